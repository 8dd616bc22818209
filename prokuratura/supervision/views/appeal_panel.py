"""The "Supervision" section of an appeal's page (the other way of the link between an appeal and the inspections,
violations and acts it led to). The appeals detail view calls `appeal_panel`; its template is
supervision/includes/appeal_supervision.html."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from prokuratura.accounts.roles import Perm
from prokuratura.appeals.access import may_change as may_change_appeal

from .. import selectors

if TYPE_CHECKING:
    from prokuratura.accounts.models import User
    from prokuratura.appeals.models import Appeal


def appeal_panel(*, user: User, appeal: Appeal) -> dict[str, Any] | None:
    """What the section shows to `user` (who has already been let see `appeal`), or None for a user without
    `supervision.view` (no queries then). Opening an inspection on the appeal is for anyone doing supervision who
    sees it; recording a violation or issuing an act on it, for who works on the appeal (as the services check)."""
    if not user.has_perm(Perm.SUPERVISION_VIEW):
        return None
    works = user.has_perm(Perm.SUPERVISION_WORK)
    records = selectors.appeal_supervision(user=user, appeal=appeal)
    return {
        **records,
        "may_open_inspection": works,
        "may_record": works and may_change_appeal(user=user, appeal=appeal),
    }
