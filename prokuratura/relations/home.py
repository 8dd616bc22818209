"""The relations module's cards and panel on the home page: meetings and visits and their calendar for the
international department, and each owner's open follow-up tasks."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

HOME_TASK_LIMIT = 5


def _my_tasks(user: User) -> dict[str, Any] | None:
    """The user's open follow-up tasks, soonest due first (no panel when there are none)."""
    from django.utils import timezone

    from .selectors import open_tasks_of

    tasks = open_tasks_of(user=user, limit=HOME_TASK_LIMIT)
    if not tasks:
        return None
    today = timezone.localdate()
    for task in tasks:
        task.is_overdue = task.due_date < today  # type: ignore[attr-defined]
    return {"tasks": tasks}


def register_home_cards() -> None:
    from django.utils.translation import gettext_lazy as _

    from prokuratura.accounts.roles import Perm, Role
    from prokuratura.core.home import HomeCard, HomePanel, register_card, register_panel

    officers = frozenset({Role.INTL_OFFICER})
    for card in (
        HomeCard(
            key="relations.events",
            title=_("Meetings and visits"),
            description=_("Meetings, visits, conferences and signings with their participants and outcomes."),
            url_name="relations:event_list",
            roles=officers,
            order=60,
        ),
        HomeCard(
            key="relations.calendar",
            title=_("Events calendar"),
            description=_("The month's meetings and visits, with the days off."),
            url_name="relations:calendar",
            roles=officers,
            order=61,
        ),
    ):
        register_card(card)
    register_panel(
        HomePanel(
            key="relations.my_tasks",
            template="relations/events/home_tasks.html",
            build=_my_tasks,
            roles=frozenset({Role.INTL_OFFICER, Role.HEAD, Role.PROSECUTOR}),
            policy=Perm.RELATIONS_VIEW,
            order=30,
        )
    )
