"""Recommendations' services: bad input refused whole and per field, a retried create returns the first
recommendation, corrections audited (the status only by steps), every RECOMMENDATIONS step and who may take it,
and the history keeping each report's evidence."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prokuratura.core.models import AuditEntry, Sensitivity

from ..models import ImplementationStatus, Recommendation, RecommendationSource
from ..services import (
    RecommendationData,
    recommendation_close,
    recommendation_note,
    recommendation_record,
    recommendation_reopen,
    recommendation_report,
    recommendation_start,
    recommendation_update,
)
from ..transitions import RECOMMENDATIONS
from . import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RS = ImplementationStatus


def data(**values):
    base = {
        "source_kind": RecommendationSource.SPECIAL_PROCEDURE,
        "source": f.un_mandate(),
        "text": "Establish an independent mechanism to investigate complaints of torture.",
        "issued_on": TODAY - dt.timedelta(days=40),
    }
    base.update(values)
    return RecommendationData(**base)


def test_recorded_with_history_and_audit(cast):
    rec = recommendation_record(by=cast.intl_officer, data=data(responsible=f.domestic_agency()))
    assert rec.status == RS.NOT_STARTED and rec.status_changed_on == TODAY
    assert [t.step for t in rec.transitions.all()] == ["create"]
    assert AuditEntry.objects.filter(
        object_type="relations.recommendation", action=AuditEntry.Action.CREATE
    ).exists()


def _bad_cases():
    return [
        ({"source_kind": "press", "text": " ", "issued_on": None}, {"source_kind", "text", "issued_on"}),
        ({"issued_on": TODAY + dt.timedelta(days=1)}, {"issued_on"}),
        ({"issued_on": dt.date(1985, 1, 1)}, {"issued_on"}),
        ({"due_date": TODAY - dt.timedelta(days=50)}, {"due_date"}),
        ({"status": "done"}, {"status"}),
        ({"status": RS.IMPLEMENTED}, {"evidence"}),
        ({"status": RS.PARTIALLY, "evidence": " "}, {"evidence"}),
        ({"status": RS.IN_PROGRESS}, {"planned_actions"}),
        ({"sensitivity": "secret"}, {"sensitivity"}),
    ]


@pytest.mark.parametrize(("values", "fields"), _bad_cases())
def test_bad_input_refused_per_field_nothing_saved(cast, values, fields):
    with pytest.raises(ValidationError) as caught:
        recommendation_record(by=cast.intl_officer, data=data(**values))
    assert set(caught.value.message_dict) == fields
    assert not Recommendation.objects.exists()


def test_responsible_is_a_kazakh_body_and_a_visit_comes_first(cast):
    with pytest.raises(ValidationError) as caught:
        recommendation_record(by=cast.intl_officer, data=data(responsible=f.counterpart("osce")))
    assert set(caught.value.message_dict) == {"responsible"}
    visit = f.event(by=cast.intl_officer, kind="incoming_visit", principal=f.un_mandate())
    with pytest.raises(ValidationError) as caught:
        recommendation_record(
            by=cast.intl_officer, data=data(event=visit, issued_on=visit.start_date - dt.timedelta(days=1))
        )
    assert set(caught.value.message_dict) == {"issued_on"}
    assert not Recommendation.objects.exists()


def test_an_inactive_officer_is_refused(cast):
    cast.prosecutor_almaty.is_active = False
    cast.prosecutor_almaty.save(update_fields=["is_active"])
    with pytest.raises(ValidationError) as caught:
        recommendation_record(by=cast.intl_officer, data=data(officer=cast.prosecutor_almaty))
    assert set(caught.value.message_dict) == {"officer"}


def test_entered_late_with_its_status_of_the_day(cast):
    rec = recommendation_record(
        by=cast.intl_officer, data=data(status=RS.IMPLEMENTED, evidence="Law of 2020 adopted")
    )
    assert rec.status == RS.IMPLEMENTED and rec.evidence == "Law of 2020 adopted"


def test_a_retried_create_returns_the_first(cast):
    first = recommendation_record(by=cast.intl_officer, data=data(), submission_key="r-1")
    again = recommendation_record(by=cast.intl_officer, data=data(text="Other"), submission_key="r-1")
    assert again.pk == first.pk and Recommendation.objects.count() == 1


def test_who_may_record(cast):
    for user in (cast.analyst, cast.auditor, cast.outsider, cast.admin):
        with pytest.raises(PermissionDenied):
            recommendation_record(by=user, data=data())
    with pytest.raises(PermissionDenied):
        recommendation_record(by=cast.intl_officer, data=data(sensitivity=Sensitivity.RESTRICTED))
    assert not Recommendation.objects.exists()


def test_update_audited_and_never_the_status(cast):
    rec = f.recommendation(by=cast.intl_officer)
    rec = recommendation_update(
        by=cast.intl_officer,
        recommendation=rec,
        data=data(
            issued_on=rec.issued_on,
            source=rec.source,
            text=rec.text,
            document="A/HRC/13/39/Add.3",
            status=RS.IMPLEMENTED,
            evidence="x",
        ),
    )
    assert rec.document == "A/HRC/13/39/Add.3" and rec.status == RS.NOT_STARTED and rec.evidence == ""
    entry = AuditEntry.objects.get(object_type="relations.recommendation", action=AuditEntry.Action.UPDATE)
    assert set(entry.changes) == {"document"}
    with pytest.raises(PermissionDenied):
        recommendation_update(by=cast.prosecutor_almaty, recommendation=rec, data=data())
    with pytest.raises(ValidationError):
        recommendation_update(by=cast.intl_officer, recommendation=rec, data=data(text=""))


def test_start_then_report_keeps_each_reports_evidence(cast):
    rec = f.recommendation(by=cast.intl_officer)
    with pytest.raises(ValidationError) as caught:
        recommendation_start(
            by=cast.intl_officer,
            recommendation=rec,
            planned_actions=" ",
            due_date=TODAY - dt.timedelta(days=1),
        )
    assert set(caught.value.message_dict) == {"planned_actions", "due_date"}
    recommendation_start(
        by=cast.intl_officer,
        recommendation=rec,
        planned_actions="Draft amendments to the Criminal Procedure Code",
        due_date=TODAY + dt.timedelta(days=90),
    )
    assert rec.status == RS.IN_PROGRESS and rec.due_date == TODAY + dt.timedelta(days=90)
    with pytest.raises(ValidationError) as caught:
        recommendation_report(by=cast.intl_officer, recommendation=rec, status=RS.NOTED, evidence="")
    assert set(caught.value.message_dict) == {"status", "evidence"}
    recommendation_report(
        by=cast.intl_officer, recommendation=rec, status=RS.PARTIALLY, evidence="Draft law submitted"
    )
    recommendation_report(
        by=cast.intl_officer, recommendation=rec, status=RS.IMPLEMENTED, evidence="Law No. 12 adopted"
    )
    rec.refresh_from_db()
    assert rec.status == RS.IMPLEMENTED and rec.evidence == "Law No. 12 adopted"
    history = [(t.step, t.to_status, t.reason) for t in rec.transitions.order_by("at", "id")]
    assert history == [
        ("create", RS.NOT_STARTED, ""),
        ("start", RS.IN_PROGRESS, ""),
        ("report", RS.PARTIALLY, "Draft law submitted"),
        ("report", RS.IMPLEMENTED, "Law No. 12 adopted"),
    ]
    with pytest.raises(ValidationError):  # closed: no more reports
        recommendation_report(by=cast.intl_officer, recommendation=rec, status=RS.PARTIALLY, evidence="x")


def test_heads_note_close_and_reopen(cast):
    rec = f.recommendation(by=cast.intl_officer)
    with pytest.raises(PermissionDenied):
        recommendation_note(by=cast.intl_officer, recommendation=rec, reason="Not accepted at the UPR")
    with pytest.raises(ValidationError):
        recommendation_note(by=cast.head_gpo, recommendation=rec, reason=" ")
    recommendation_note(by=cast.head_gpo, recommendation=rec, reason="Not accepted at the UPR")
    assert rec.status == RS.NOTED
    with pytest.raises(ValidationError):  # noted is closed: only reopened
        recommendation_close(by=cast.head_gpo, recommendation=rec, reason="x")
    with pytest.raises(PermissionDenied):
        recommendation_reopen(by=cast.head_astana, recommendation=rec, reason="Accepted after all")
    recommendation_reopen(by=cast.head_gpo, recommendation=rec, reason="Accepted after all")
    assert rec.status == RS.IN_PROGRESS
    recommendation_close(by=cast.head_gpo, recommendation=rec, reason="The law was repealed")
    assert rec.status == RS.NOT_RELEVANT
    assert rec.transitions.get(step="close").reason == "The law was repealed"


@pytest.mark.parametrize(
    ("role", "steps"),
    [
        ("intl_officer", ["start"]),
        ("head_gpo", ["start", "note", "close"]),
        ("prosecutor_almaty", []),
        ("head_astana", []),
        ("auditor", []),
    ],
)
def test_who_is_offered_which_step(cast, role, steps):
    rec = f.recommendation(by=cast.intl_officer)
    assert [s.name for s in RECOMMENDATIONS.available(actor=getattr(cast, role), record=rec)] == steps


def test_the_officer_in_charge_takes_the_officers_steps(cast):
    rec = f.recommendation(by=cast.head_gpo, officer=cast.prosecutor_almaty)
    recommendation_start(by=cast.prosecutor_almaty, recommendation=rec, planned_actions="Training of judges")
    assert rec.status == RS.IN_PROGRESS
    assert [s.name for s in RECOMMENDATIONS.available(actor=cast.prosecutor_almaty, record=rec)] == ["report"]
