"""The appeals module's panels on the home page: the deadline lists (due today, due soon, overdue).

A prosecutor sees the appeals assigned to them; heads and registrars see their office and the offices below
it. Registered from `AppealsConfig.ready()`; the full lists are on the `appeals:deadlines` page.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Perm, Role
from prokuratura.core.home import HomePanel, register_panel

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

# A home page shows the first few of each list; the deadlines page has them all.
HOME_LIST_LIMIT = 5


def _deadlines(scope: str, title: Any) -> Any:
    def build(user: User) -> dict[str, Any]:
        from .selectors import deadline_lists

        return {
            "scope": scope,
            "title": title,
            "lists": deadline_lists(user=user, scope=scope, limit=HOME_LIST_LIMIT, brief=True),
        }

    return build


def register_home_panels() -> None:
    register_panel(
        HomePanel(
            key="appeals.deadlines_mine",
            template="appeals/home_deadlines.html",
            build=_deadlines("mine", _("Deadlines of the appeals assigned to you")),
            roles=frozenset({Role.PROSECUTOR}),
            policy=Perm.APPEALS_VIEW,
            order=10,
        )
    )
    register_panel(
        HomePanel(
            key="appeals.deadlines_office",
            template="appeals/home_deadlines.html",
            build=_deadlines("office", _("Deadlines in your office and the offices below it")),
            roles=frozenset({Role.HEAD, Role.REGISTRAR}),
            policy=Perm.APPEALS_VIEW,
            order=10,
        )
    )


def register_home_cards() -> None:
    """Links to the appeals pages, in the sections of the roles that use them (shown only when they would open)."""
    from prokuratura.core.home import HomeCard, register_card

    cards = [
        HomeCard(
            key="appeals.register",
            title=_("Register an appeal"),
            description=_("An appeal received in person, by phone, by post or from another body."),
            url_name="appeals:register",
            roles=frozenset({Role.REGISTRAR}),
            order=10,
        ),
        HomeCard(
            key="appeals.import",
            title=_("Import a legacy register"),
            description=_("Load appeals from a CSV or Excel file, with a report of the rows refused."),
            url_name="appeals:import_list",
            roles=frozenset({Role.REGISTRAR, Role.ADMIN}),
            order=30,
        ),
        HomeCard(
            key="appeals.list",
            title=_("Appeals"),
            description=_("Search and filter the appeals of your office."),
            url_name="appeals:list",
            roles=frozenset({Role.REGISTRAR, Role.PROSECUTOR, Role.HEAD, Role.AUDITOR}),
            order=20,
        ),
        HomeCard(
            key="appeals.stats",
            title=_("Appeals statistics"),
            description=_(
                "Received, answered, on time, overdue, outcomes and people helped, by office and region."
            ),
            url_name="appeals:stats",
            roles=frozenset({Role.ANALYST, Role.HEAD}),
            order=40,
        ),
        HomeCard(
            key="appeals.settings",
            title=_("Appeals settings"),
            description=_("Time limits and other rules, topics, routing and letter templates."),
            url_name="appeals:settings",
            roles=frozenset({Role.ADMIN}),
            order=40,
        ),
    ]
    for card in cards:
        register_card(card)
