"""Writes the appeals list starts: assigning several appeals at once, and the audit entry of an export.

Assigning several appeals is the lifecycle's `assign` step taken on each of them, through the kernel
(`APPEALS.perform`: the step's table, permission, actor rule and condition, the stale-form check, then the step's
service), each in its own transaction. One refusal does not undo the others: the caller gets, for every appeal asked
for, whether it was assigned and, if not, why. An id the user may not see is reported as not found, like one that
does not exist.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils.translation import gettext as _

from prokuratura.core.audit import audit_record
from prokuratura.core.models import AuditEntry

from ..access import appeals_visible_q
from ..models import Appeal
from ..transitions import APPEALS

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

# At most this many appeals in one request (the page shows 50): a bigger batch is refused before anything is done.
BULK_MAX = 200


@dataclass(frozen=True)
class BulkResult:
    """One appeal's outcome. `reg_number` is empty for an appeal not found (or not visible to the user)."""

    appeal_id: int
    reg_number: str
    done: bool
    code: str = (
        ""  # why not: not_found, forbidden, or the ValidationError's code (stale, invalid_transition, …)
    )
    message: str = ""


def appeal_assign_many(
    *,
    by: User,
    appeal_ids: Sequence[int],
    assignee: User,
    reason: str = "",
    versions: Mapping[int, str] | None = None,
    request: HttpRequest | None = None,
) -> list[BulkResult]:
    """Assign each of `appeal_ids` to `assignee` through the lifecycle, each in its own transaction; the results in
    the order asked (duplicates once). `versions` (appeal id → the version the user's page showed) refuses an
    appeal changed since, as a step form does."""
    ids = list(dict.fromkeys(appeal_ids))
    if not ids:
        raise ValidationError({"appeal_ids": _("Select at least one appeal.")}, code="required")
    if len(ids) > BULK_MAX:
        raise ValidationError(
            {"appeal_ids": _("Select at most %(max)d appeals at a time.") % {"max": BULK_MAX}}, code="max"
        )
    versions = versions or {}
    visible = {
        appeal.pk: appeal
        for appeal in Appeal.objects.filter(appeals_visible_q(user=by), pk__in=ids).select_related(
            "office", "assignee"
        )
    }
    results = []
    for appeal_id in ids:
        appeal = visible.get(appeal_id)
        if appeal is None:
            results.append(
                BulkResult(
                    appeal_id,
                    "",
                    False,
                    "not_found",
                    _("The appeal was not found, or you may not see it."),
                )
            )
            continue
        results.append(_assign_one(by, appeal, assignee, reason, versions.get(appeal_id), request))
    return results


def _assign_one(
    by: User, appeal: Appeal, assignee: User, reason: str, version: str | None, request: HttpRequest | None
) -> BulkResult:
    try:
        with transaction.atomic():
            APPEALS.perform(
                step="assign",
                by=by,
                record=appeal,
                inputs={"assignee": assignee, "department": None, "reason": reason},
                version=version or None,
                request=request,
            )
    except PermissionDenied:
        return BulkResult(
            appeal.pk, appeal.reg_number, False, "forbidden", _("You may not assign this appeal.")
        )
    except ValidationError as exc:
        code = getattr(exc, "code", None) or _first_code(exc)
        return BulkResult(appeal.pk, appeal.reg_number, False, code or "invalid", " ".join(exc.messages))
    return BulkResult(appeal.pk, appeal.reg_number, True)


def _first_code(exc: ValidationError) -> str:
    for error in exc.error_list if not hasattr(exc, "error_dict") else sum(exc.error_dict.values(), []):
        if error.code:
            return str(error.code)
    return ""


def appeal_list_export_audit(
    *,
    by: User,
    fmt: str,
    view: str,
    sort: str,
    filters: Mapping[str, Any],
    rows: int,
    capped: bool,
    request: HttpRequest | None = None,
) -> AuditEntry:
    """Record that `by` exported the appeals list: the format, what was asked (view, order, filters) and how many
    rows went into the file. Personal data leaves the system in such a file, so each export is on the trail."""
    with transaction.atomic():
        return audit_record(
            actor=by,
            action=AuditEntry.Action.READ,
            object_type=Appeal._meta.label_lower,
            object_repr=f"appeal list export ({fmt})",
            # In the trail's shape (field: before/after), so the audit page shows each fact on its own line.
            changes={
                name: {"before": None, "after": value}
                for name, value in {
                    "export_format": fmt,
                    "view": view,
                    "sort": sort,
                    "filters": {key: _plain(value) for key, value in filters.items()},
                    "rows": rows,
                    "cut_at_cap": capped,
                }.items()
            },
            reason=_("Export of the appeals list"),
            request=request,
        )


def _plain(value: Any) -> Any:
    if isinstance(value, models.Model):
        return f"{value._meta.label_lower}:{value.pk}"
    if isinstance(value, bool | int | str) or value is None:
        return value
    return str(value)
