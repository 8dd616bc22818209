"""Joint projects' services: bad input refused whole and per field, a retried create returns the first project,
corrections audited, every PROJECTS step and who may take it."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prokuratura.core.models import AuditEntry, Sensitivity

from ..models import CounterpartKind, Project, ProjectStatus
from ..services import (
    ProjectData,
    project_cancel,
    project_complete,
    project_record,
    project_resume,
    project_start,
    project_suspend,
    project_update,
)
from ..transitions import PROJECTS
from . import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


def data(**values):
    base = {
        "partner": f.counterpart("osce", name_en="OSCE"),
        "title": "Support to criminal justice reform",
        "start_date": TODAY - dt.timedelta(days=30),
    }
    base.update(values)
    return ProjectData(**base)


def test_recorded_with_links_history_and_audit(cast, offices):
    topic = f.topic("cybercrime")
    project = project_record(
        by=cast.intl_officer,
        data=data(
            budget=Decimal("125000.50"),
            currency="EUR",
            topics=[topic],
            offices=[offices.astana, offices.almaty],
            manager=cast.intl_officer,
        ),
    )
    assert project.status == ProjectStatus.PROPOSED and project.office == offices.gpo
    assert set(project.offices.all()) == {offices.astana, offices.almaty}
    assert list(project.topics.all()) == [topic]
    assert [t.step for t in project.transitions.all()] == ["create"]
    entry = AuditEntry.objects.get(object_type="relations.project", action=AuditEntry.Action.CREATE)
    assert entry.changes["offices"]["after"] == ["ALA", "AST"]


@pytest.mark.parametrize(
    ("values", "fields"),
    [
        ({"partner": None, "title": " ", "start_date": None}, {"partner", "title", "start_date"}),
        ({"end_date": TODAY - dt.timedelta(days=60)}, {"end_date"}),
        ({"budget": Decimal("-1"), "currency": "EUR"}, {"budget"}),
        ({"budget": Decimal("10") ** 13, "currency": "EUR"}, {"budget"}),
        ({"budget": Decimal("100")}, {"currency"}),
        ({"currency": "XXX"}, {"currency"}),
        ({"start_date": dt.date(1980, 1, 1)}, {"start_date"}),
        ({"status": ProjectStatus.SUSPENDED}, {"status"}),
        ({"status": ProjectStatus.COMPLETED}, {"end_date", "outputs"}),
        ({"status": ProjectStatus.ACTIVE, "start_date": TODAY + dt.timedelta(days=5)}, {"start_date"}),
        ({"sensitivity": "secret"}, {"sensitivity"}),
    ],
)
def test_bad_input_refused_per_field_nothing_saved(cast, values, fields):
    with pytest.raises(ValidationError) as caught:
        project_record(by=cast.intl_officer, data=data(**values))
    assert set(caught.value.message_dict) == fields
    assert not Project.objects.exists()


def test_partner_must_be_an_organisation_or_foreign_authority(cast):
    agency = f.domestic_agency()
    with pytest.raises(ValidationError) as caught:
        project_record(by=cast.intl_officer, data=data(partner=agency))
    assert "partner" in caught.value.message_dict
    field_office = f.counterpart("osce-astana", CounterpartKind.FIELD_OFFICE, parent=f.counterpart("osce"))
    assert project_record(by=cast.intl_officer, data=data(partner=field_office)).partner == field_office


def test_entered_completed_or_under_way(cast):
    done = project_record(
        by=cast.intl_officer,
        data=data(status=ProjectStatus.COMPLETED, end_date=TODAY - dt.timedelta(days=1), outputs="A manual"),
    )
    assert done.status == ProjectStatus.COMPLETED
    running = project_record(by=cast.intl_officer, data=data(status=ProjectStatus.ACTIVE))
    assert running.status == ProjectStatus.ACTIVE


def test_a_retried_create_returns_the_first_project(cast):
    first = project_record(by=cast.intl_officer, data=data(), submission_key="k-1")
    again = project_record(by=cast.intl_officer, data=data(title="Changed"), submission_key="k-1")
    assert again.pk == first.pk and Project.objects.count() == 1


def test_who_may_record(cast):
    for user in (cast.analyst, cast.auditor, cast.outsider, cast.registrar_astana):
        with pytest.raises(PermissionDenied):
            project_record(by=user, data=data())
    with pytest.raises(PermissionDenied):
        project_record(by=cast.intl_officer, data=data(sensitivity=Sensitivity.RESTRICTED))
    restricted = project_record(by=cast.head_astana, data=data(sensitivity=Sensitivity.RESTRICTED))
    assert restricted.sensitivity == Sensitivity.RESTRICTED
    assert not Project.objects.exclude(pk=restricted.pk).exists()


def test_update_is_audited_and_keeps_the_status(cast, offices):
    project = f.project(by=cast.intl_officer)
    project_update(
        by=cast.intl_officer,
        project=project,
        data=data(
            title="Renamed",
            start_date=project.start_date,
            offices=[offices.astana],
            status=ProjectStatus.COMPLETED,
        ),
    )
    project.refresh_from_db()
    assert project.title == "Renamed" and project.status == ProjectStatus.PROPOSED
    entry = AuditEntry.objects.get(object_type="relations.project", action=AuditEntry.Action.UPDATE)
    assert set(entry.changes) == {"title", "offices"}


def test_update_refused_to_others_and_on_bad_input(cast):
    project = f.project(by=cast.intl_officer)
    with pytest.raises(PermissionDenied):
        project_update(by=cast.prosecutor_almaty, project=project, data=data())
    with pytest.raises(PermissionDenied):  # only a head changes who may read it
        project_update(by=cast.intl_officer, project=project, data=data(sensitivity=Sensitivity.PUBLIC))
    with pytest.raises(ValidationError):
        project_update(by=cast.intl_officer, project=project, data=data(title=""))
    project.refresh_from_db()
    assert project.title == "Criminal justice reform support"


def test_the_officer_named_may_change_it(cast):
    project = f.project(by=cast.head_gpo, manager=cast.prosecutor_almaty)
    project = project_update(
        by=cast.prosecutor_almaty,
        project=project,
        data=data(title="By the officer", manager=cast.prosecutor_almaty),
    )
    project_start(by=cast.prosecutor_almaty, project=project)
    assert project.status == ProjectStatus.ACTIVE


def test_start_suspend_resume_complete(cast):
    project = f.project(by=cast.intl_officer)
    project_start(by=cast.intl_officer, project=project)
    with pytest.raises(ValidationError):
        project_suspend(by=cast.intl_officer, project=project, reason=" ")
    project_suspend(by=cast.intl_officer, project=project, reason="The partner's funding is frozen")
    assert project.status == ProjectStatus.SUSPENDED
    with pytest.raises(ValidationError):  # not from suspended
        project_complete(by=cast.intl_officer, project=project, outputs="x")
    project_resume(by=cast.intl_officer, project=project)
    with pytest.raises(ValidationError) as caught:
        project_complete(by=cast.intl_officer, project=project, outputs=" ")
    assert "outputs" in caught.value.message_dict
    with pytest.raises(ValidationError) as caught:
        project_complete(
            by=cast.intl_officer, project=project, outputs="x", end_date=TODAY + dt.timedelta(days=1)
        )
    assert "end_date" in caught.value.message_dict
    project_complete(by=cast.intl_officer, project=project, outputs="Two trainings held")
    project.refresh_from_db()
    assert project.status == ProjectStatus.COMPLETED and project.end_date == TODAY
    assert [t.step for t in project.transitions.order_by("at", "id")] == [
        "create",
        "start",
        "suspend",
        "resume",
        "complete",
    ]
    assert PROJECTS.available(actor=cast.head_gpo, record=project) == []


def test_a_project_not_yet_begun_cannot_start(cast):
    project = f.project(by=cast.intl_officer, start_date=TODAY + dt.timedelta(days=10))
    with pytest.raises(ValidationError) as caught:
        project_start(by=cast.intl_officer, project=project)
    assert "start_date" in caught.value.message_dict


def test_only_a_head_over_the_office_cancels(cast):
    project = f.project(by=cast.intl_officer)
    with pytest.raises(PermissionDenied):
        project_cancel(by=cast.intl_officer, project=project, reason="No longer needed")
    with pytest.raises(PermissionDenied):
        project_cancel(by=cast.head_astana, project=project, reason="No longer needed")
    with pytest.raises(ValidationError):
        project_cancel(by=cast.head_gpo, project=project, reason="")
    project_cancel(by=cast.head_gpo, project=project, reason="No longer needed")
    assert project.status == ProjectStatus.CANCELLED
    assert project.transitions.get(step="cancel").reason == "No longer needed"


@pytest.mark.parametrize(
    ("role", "steps"),
    [
        ("intl_officer", ["start"]),
        ("head_gpo", ["start", "cancel"]),
        ("head_astana", []),
        ("prosecutor_almaty", []),
        ("auditor", []),
    ],
)
def test_who_is_offered_which_step(cast, role, steps):
    project = f.project(by=cast.intl_officer)
    offered = PROJECTS.available(actor=getattr(cast, role), record=project)
    assert [s.name for s in offered] == steps
