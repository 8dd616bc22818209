"""Reads of the supervision catalogue: the act types (law as data) with their templates, one type's change history
from the audit trail, and the places of detention per region.

The catalogue is reference data: every member of staff who reads reference data (`core.view_reference`) reads all
of it — prosecutors who issue acts, heads, analysts and the administrators who correct it — so these selectors do
not filter by office. Changing it is the administrators' (`supervision.manage`, services.catalogue).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.models import AuditEntry, Region

from .models import LETTER_LANGUAGES, ActTemplate, ActType, Facility

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

HISTORY_LIMIT = 100


def _may_read(user: User) -> bool:
    return bool(user and user.is_authenticated and user.is_active and user.has_perm(Perm.VIEW_REFERENCE))


def act_type_catalogue(*, user: User) -> list[ActType]:
    """Every act type, in use or not, each with `templates_by_language` ({"kk": ActTemplate, "ru": …}) and
    `template_cells` (`template_cells`)."""
    if not _may_read(user):
        return []
    rows = list(
        ActType.objects.prefetch_related(
            Prefetch("templates", queryset=ActTemplate.objects.order_by("language"))
        ).order_by("-is_active", "ordering", "code")
    )
    for row in rows:
        row.templates_by_language = {t.language: t for t in row.templates.all()}  # type: ignore[attr-defined]
        row.template_cells = template_cells(row)  # type: ignore[attr-defined]
    return rows


def act_type_get(*, user: User, code: str) -> ActType:
    """One act type with `templates_by_language`, or 404."""
    if not _may_read(user):
        raise Http404
    row = (
        ActType.objects.prefetch_related(
            Prefetch("templates", queryset=ActTemplate.objects.order_by("language"))
        )
        .filter(code=code)
        .first()
    )
    if row is None:
        raise Http404
    row.templates_by_language = {t.language: t for t in row.templates.all()}  # type: ignore[attr-defined]
    return row


def template_cells(act_type: ActType) -> list[dict[str, Any]]:
    """The type's template in each letter language (None where it is missing), from `act_type_get`'s prefetch."""
    found: dict[str, ActTemplate] = getattr(act_type, "templates_by_language", {})
    return [
        {"language": code, "language_name": name, "template": found.get(code)}
        for code, name in LETTER_LANGUAGES
    ]


# --- history -----------------------------------------------------------------------------------------------------


@dataclass
class HistoryChange:
    field: str
    label: str
    before: Any
    after: Any


@dataclass
class HistoryEntry:
    seq: int | None  # None until the entry is sealed into the chain
    at: dt.datetime
    actor: str
    action_label: str
    subject: str  # what changed: the type itself, or its template in a language
    reason: str  # for a correction of the type: its source
    changes: list[HistoryChange]


def _label(model: type[Any], name: str) -> str:
    try:
        return str(model._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def _shown(model: type[Any], name: str, value: Any) -> Any:
    """A stored value as the page shows it: a choice by its label, yes/no for a flag."""
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return value
    choices = dict(getattr(field, "flatchoices", None) or ())
    return choices.get(value, value)


def act_type_history(*, user: User, act_type: ActType) -> list[HistoryEntry]:
    """The audit trail of one act type and of its templates, newest first: who changed which fact, from what to
    what, on what source (the reason of a correction). For everyone who reads the catalogue; no addresses."""
    if not _may_read(user):
        return []
    templates: dict[str, ActTemplate] = {
        str(t.pk): t for t in getattr(act_type, "templates_by_language", {}).values()
    }
    languages = dict(LETTER_LANGUAGES)
    entries = AuditEntry.objects.filter(
        Q(object_type=ActType._meta.label_lower, object_id=str(act_type.pk))
        | Q(object_type=ActTemplate._meta.label_lower, object_id__in=list(templates))
    ).order_by("-id")[:HISTORY_LIMIT]
    rows = []
    for entry in entries:
        model: type[Any] = ActType
        subject = _("The act type")
        if entry.object_type == ActTemplate._meta.label_lower:
            model = ActTemplate
            template = templates[entry.object_id]
            subject = _("The template in %(language)s") % {"language": languages.get(template.language, "")}
        rows.append(
            HistoryEntry(
                seq=entry.seq,
                at=entry.created_at,
                actor=entry.actor_repr,
                action_label=entry.get_action_display(),
                subject=subject,
                reason=entry.reason,
                changes=[
                    HistoryChange(
                        field=name,
                        label=_label(model, name),
                        before=_shown(model, name, change.get("before")),
                        after=_shown(model, name, change.get("after")),
                    )
                    for name, change in sorted((entry.changes or {}).items())
                    if isinstance(change, dict) and name != "act_type"
                ],
            )
        )
    return rows


# --- places of detention -------------------------------------------------------------------------------------------


def facility_regions(*, user: User) -> QuerySet[Region]:
    """The regions to choose from in the list's filter."""
    if not _may_read(user):
        return Region.objects.none()
    return Region.objects.order_by("kato_code")


def facility_catalogue(*, user: User, region: Region | None = None) -> QuerySet[Facility]:
    """Every place of detention (in use or not), by region, kind and code; `region` narrows to one region."""
    if not _may_read(user):
        return Facility.objects.none()
    qs = Facility.objects.select_related("region").order_by("region__kato_code", "kind", "code")
    if region is not None:
        qs = qs.filter(region=region)
    return qs


def facility_get(*, user: User, facility_id: int) -> Facility:
    if not _may_read(user):
        raise Http404
    found = Facility.objects.select_related("region").filter(pk=facility_id).first()
    if found is None:
        raise Http404
    return found
