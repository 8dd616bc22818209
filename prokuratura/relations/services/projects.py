"""Joint projects with partner organisations (transitions.PROJECTS)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm, Role
from prokuratura.core.actors import Actor
from prokuratura.core.models import Department, Office, Sensitivity
from prokuratura.core.record_services import (
    EARLIEST_DATE,
    create_audited,
    existing,
    require_staff,
    update_audited,
)

from ..models import CURRENCIES, Counterpart, CounterpartKind, Project, ProjectStatus, Topic
from ..transitions import PROJECTS
from .common import corrector

PROJECT_FIELDS = (
    "partner",
    "title",
    "reference",
    "start_date",
    "end_date",
    "budget",
    "currency",
    "status",
    "description",
    "outputs",
    "manager",
    "sensitivity",
)
PARTNER_KINDS = frozenset(
    {
        CounterpartKind.ORGANISATION,
        CounterpartKind.BODY,
        CounterpartKind.FIELD_OFFICE,
        CounterpartKind.FOREIGN_AUTHORITY,
    }
)
MAX_BUDGET = Decimal("10") ** 13


@dataclass
class ProjectData:
    partner: Counterpart | None
    title: str
    start_date: dt.date | None
    end_date: dt.date | None = None
    reference: str = ""
    budget: Decimal | None = None
    currency: str = ""
    description: str = ""
    outputs: str = ""
    manager: User | None = None
    topics: list[Topic] = field(default_factory=list)
    offices: list[Office] = field(default_factory=list)
    departments: list[Department] = field(default_factory=list)
    # A project entered once it is under way or over comes with its status of the day (proposed otherwise).
    status: str = ProjectStatus.PROPOSED
    sensitivity: str = Sensitivity.INTERNAL


def _errors(data: ProjectData, *, is_new: bool) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if data.partner is None:
        add("partner", _("Choose the partner organisation."))
    elif data.partner.kind not in PARTNER_KINDS:
        add(
            "partner",
            _("A joint project's partner is an organisation, its body or office, or a foreign authority."),
        )
    if not data.title.strip():
        add("title", _("Give the project a title."))
    if data.start_date is None:
        add("start_date", _("Give the date the project starts."))
    elif data.start_date < EARLIEST_DATE:
        add("start_date", _("The date is too far in the past."))
    if data.start_date and data.end_date and data.end_date < data.start_date:
        add("end_date", _("The project cannot end before it starts."))
    if data.budget is not None:
        if data.budget < 0:
            add("budget", _("The budget cannot be negative."))
        elif data.budget >= MAX_BUDGET:
            add("budget", _("The budget is too large."))
        if not data.currency:
            add("currency", _("Give the budget's currency."))
    if data.currency and data.currency not in dict(CURRENCIES):
        add("currency", _("Choose a currency from the list."))
    if data.manager is not None and not data.manager.is_active:
        add("manager", _("Choose an active user."))
    if data.sensitivity not in Sensitivity.values:
        add("sensitivity", _("Choose who may read the record."))
    if is_new:
        if data.status not in (ProjectStatus.PROPOSED, ProjectStatus.ACTIVE, ProjectStatus.COMPLETED):
            add("status", _("A project is entered proposed, under way or completed."))
        elif data.status == ProjectStatus.COMPLETED:
            if not data.end_date or data.end_date > timezone.localdate():
                add("end_date", _("A completed project has ended: give its end date."))
            if not data.outputs.strip():
                add("outputs", _("Describe the outputs of a completed project."))
        elif (
            data.status == ProjectStatus.ACTIVE and data.start_date and data.start_date > timezone.localdate()
        ):
            add("start_date", _("A project under way has started: the date cannot be in the future."))
    return errors


def _values(data: ProjectData) -> dict[str, object]:
    return {
        "partner": data.partner,
        "title": data.title.strip(),
        "reference": data.reference.strip(),
        "start_date": data.start_date,
        "end_date": data.end_date,
        "budget": data.budget,
        "currency": data.currency if data.budget is not None or data.currency else "",
        "description": data.description.strip(),
        "outputs": data.outputs.strip(),
        "manager": data.manager,
        "sensitivity": data.sensitivity,
    }


def _links(project: Project) -> dict[str, list[str]]:
    return {
        "topics": sorted(t.code for t in project.topics.all()),
        "offices": sorted(o.code for o in project.offices.all()),
        "departments": sorted(f"{d.office_id}:{d.code}" for d in project.departments.all()),
    }


def _set_links(project: Project, data: ProjectData) -> None:
    project.topics.set(data.topics)
    project.offices.set(data.offices)
    project.departments.set(data.departments)


def project_record(
    *, by: User, data: ProjectData, submission_key: str | None = None, request: HttpRequest | None = None
) -> Project:
    by = require_staff(by, Perm.RELATIONS_WORK)
    found = existing(Project, submission_key)
    if found is not None:
        return found
    if by.office is None:
        raise ValidationError(_("You are not attached to an office."))
    if errors := _errors(data, is_new=True):
        raise ValidationError(errors)
    if data.sensitivity == Sensitivity.RESTRICTED and not by.has_role(Role.HEAD):
        raise PermissionDenied(_("Only a head restricts a record."))
    project = Project(office=by.office, created_by=by, status=data.status, **_values(data))

    def after_save(saved: Project) -> None:
        _set_links(saved, data)
        PROJECTS.record_history(record=saved, by=by, step="create")

    return create_audited(
        by=by,
        record=project,
        fields=PROJECT_FIELDS,
        submission_key=submission_key,
        request=request,
        after_save=after_save,
        described=_links,
    )


def project_update(
    *, by: User, project: Project, data: ProjectData, request: HttpRequest | None = None
) -> Project:
    """Correct the project (its status changes only by the lifecycle's steps)."""
    from ..access import may_change_project

    by = corrector(
        by,
        may_change=lambda user: may_change_project(user=user, project=project),
        refusal=_("You may not change this project."),
        errors=_errors(data, is_new=False),
        sensitivity=(project.sensitivity, data.sensitivity),
    )
    return update_audited(
        by=by,
        record=project,
        changes=_values(data),
        fields=PROJECT_FIELDS,
        request=request,
        after_save=lambda saved: _set_links(saved, data),
        described=_links,
    )


def project_start(
    *, by: Actor, project: Project, reason: str = "", request: HttpRequest | None = None
) -> Project:
    if project.start_date > timezone.localdate():
        raise ValidationError(
            {"start_date": [_("The project's start date is still ahead: correct it first.")]}
        )
    return PROJECTS.transition(step="start", by=by, record=project, reason=reason, request=request)


def project_suspend(
    *, by: Actor, project: Project, reason: str, request: HttpRequest | None = None
) -> Project:
    return PROJECTS.transition(step="suspend", by=by, record=project, reason=reason, request=request)


def project_resume(
    *, by: Actor, project: Project, reason: str = "", request: HttpRequest | None = None
) -> Project:
    return PROJECTS.transition(step="resume", by=by, record=project, reason=reason, request=request)


def project_complete(
    *,
    by: Actor,
    project: Project,
    outputs: str,
    end_date: dt.date | None = None,
    request: HttpRequest | None = None,
) -> Project:
    end_date = end_date or timezone.localdate()
    errors: dict[str, list[str]] = {}
    if not outputs.strip():
        errors["outputs"] = [_("Describe the project's outputs.")]
    if end_date > timezone.localdate():
        errors["end_date"] = [_("The date cannot be in the future.")]
    elif end_date < project.start_date:
        errors["end_date"] = [_("The project cannot end before it starts.")]
    if errors:
        raise ValidationError(errors)
    return PROJECTS.transition(
        step="complete",
        by=by,
        record=project,
        changes={"outputs": outputs.strip(), "end_date": end_date},
        request=request,
    )


def project_cancel(
    *, by: Actor, project: Project, reason: str, request: HttpRequest | None = None
) -> Project:
    return PROJECTS.transition(step="cancel", by=by, record=project, reason=reason, request=request)
