"""Reads of the requests' catalogue: the control terms (law as data, each with its source and whether it was
verified), the letter templates by kind × document × language, and each row's change history from the audit trail.

Who reads it: everyone who works with requests (`cooperation.requests_view`: prosecutors, international officers,
heads, auditors) — an officer should see which terms are not yet confirmed — and the administrators who correct it
(`cooperation.requests_manage`), who do not see the requests themselves. Anyone else is refused (403): the catalogue
is not secret, but it is no one else's business either. It is not filtered by office.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import FieldDoesNotExist, PermissionDenied
from django.http import Http404
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.models import AuditEntry

from .models_requests import LETTER_LANGUAGES, RequestKind, RequestTemplate, RequestTerm

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

HISTORY_LIMIT = 100


def may_read_catalogue(user: User) -> bool:
    if not (user and user.is_authenticated and user.is_active):
        return False
    # Law as data, like the act types and the calendar: every staff member reads it (core.view_reference).
    return user.has_perm(Perm.VIEW_REFERENCE)


def may_manage_catalogue(user: User) -> bool:
    return bool(
        user and user.is_authenticated and user.is_active and user.has_perm(Perm.COOP_REQUESTS_MANAGE)
    )


def _reader(user: User) -> None:
    if not may_read_catalogue(user):
        raise PermissionDenied


# --- terms ----------------------------------------------------------------------------------------------------------


def term_catalogue(*, user: User) -> list[RequestTerm]:
    """Every control term, by direction, kind and step."""
    _reader(user)
    return list(RequestTerm.objects.order_by("direction", "kind", "milestone"))


def term_get(*, user: User, term_id: int) -> RequestTerm:
    _reader(user)
    found = RequestTerm.objects.filter(pk=term_id).first()
    if found is None:
        raise Http404
    return found


# --- templates ------------------------------------------------------------------------------------------------------


@dataclass
class TemplateCell:
    language: str
    language_name: str
    template: RequestTemplate | None


@dataclass
class TemplateRow:
    kind: str
    kind_label: str
    document: str
    document_label: str
    cells: list[TemplateCell]


def template_grid(*, user: User) -> list[TemplateRow]:
    """One row per kind and document, with the template in each letter language (None where it is missing)."""
    _reader(user)
    found = {(t.kind, t.document, t.language): t for t in RequestTemplate.objects.all()}
    return [
        TemplateRow(
            kind=kind,
            kind_label=str(kind_label),
            document=document,
            document_label=str(document_label),
            cells=[
                TemplateCell(language=code, language_name=name, template=found.get((kind, document, code)))
                for code, name in LETTER_LANGUAGES
            ],
        )
        for kind, kind_label in RequestKind.choices
        for document, document_label in RequestTemplate.Document.choices
    ]


def template_get(*, user: User, kind: str, document: str, language: str) -> RequestTemplate | None:
    """The template of a kind, document and language (None when it is not written yet); 404 for a code that names
    none of them."""
    _reader(user)
    if (
        kind not in RequestKind.values
        or document not in RequestTemplate.Document.values
        or language not in dict(LETTER_LANGUAGES)
    ):
        raise Http404
    return RequestTemplate.objects.filter(kind=kind, document=document, language=language).first()


# --- history --------------------------------------------------------------------------------------------------------


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
    reason: str  # for a term: the source of the correction
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


def _history(model: type[Any], object_id: int, hidden: tuple[str, ...] = ()) -> list[HistoryEntry]:
    entries = AuditEntry.objects.filter(
        object_type=model._meta.label_lower, object_id=str(object_id)
    ).order_by("-id")[:HISTORY_LIMIT]
    return [
        HistoryEntry(
            seq=entry.seq,
            at=entry.created_at,
            actor=entry.actor_repr,
            action_label=entry.get_action_display(),
            reason=entry.reason,
            changes=[
                HistoryChange(
                    field=name,
                    label=_label(model, name),
                    before=_shown(model, name, change.get("before")),
                    after=_shown(model, name, change.get("after")),
                )
                for name, change in sorted((entry.changes or {}).items())
                if isinstance(change, dict) and name not in hidden
            ],
        )
        for entry in entries
    ]


def term_history(*, user: User, term: RequestTerm) -> list[HistoryEntry]:
    """Each correction of the term, newest first: who changed which fact, from what to what, on what source."""
    _reader(user)
    return _history(RequestTerm, term.pk)


def template_history(*, user: User, template: RequestTemplate | None) -> list[HistoryEntry]:
    """Each change of the template, newest first (the texts themselves are long: the page folds them)."""
    _reader(user)
    if template is None:
        return []
    return _history(RequestTemplate, template.pk, hidden=("kind", "document", "language"))
