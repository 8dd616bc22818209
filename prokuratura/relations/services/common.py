"""What the relations services share: who may correct a record."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm, Role
from prokuratura.core.record_services import require_staff


def corrector(
    by: Any,
    *,
    may_change: Callable[[User], bool],
    refusal: str,
    errors: dict[str, list[str]],
    sensitivity: tuple[str, str],
) -> User:
    """The acting user, allowed to correct the record (`may_change`, else `refusal`), with the corrected data
    valid (`errors` raised whole) and a change of who may read it (`sensitivity`: now, asked) only by a head."""
    user = require_staff(by, Perm.RELATIONS_WORK)
    if not may_change(user):
        raise PermissionDenied(refusal)
    if errors:
        raise ValidationError(errors)
    if sensitivity[0] != sensitivity[1] and not user.has_role(Role.HEAD):
        raise PermissionDenied(_("Only a head changes who may read a record."))
    return user
