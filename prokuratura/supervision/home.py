"""The supervision module's cards and panels on the home page."""

from __future__ import annotations


def register_home_cards() -> None:
    """Links to the supervision pages in the prosecutor's and the head's sections (shown only when they would
    open)."""
    from django.utils.translation import gettext_lazy as _

    from prokuratura.accounts.roles import Role
    from prokuratura.core.home import HomeCard, register_card

    workers = frozenset({Role.PROSECUTOR, Role.HEAD})
    cards = [
        HomeCard(
            key="supervision.plan_inspection",
            title=_("Plan an inspection"),
            description=_(
                "Of a state body, an organisation or an official: on an appeal, an instruction, the plan, "
                "a media report or another body's information."
            ),
            url_name="supervision:inspection_create",
            roles=workers,
            order=50,
        ),
        HomeCard(
            key="supervision.inspections",
            title=_("Inspections"),
            description=_("Planned, running and completed inspections, their violations and acts."),
            url_name="supervision:inspection_list",
            roles=workers,
            order=51,
        ),
        HomeCard(
            key="supervision.acts",
            title=_("Acts of response"),
            description=_(
                "Protests, submissions, orders, warnings and the others: their terms, replies and results."
            ),
            url_name="supervision:act_list",
            roles=workers,
            order=52,
        ),
        HomeCard(
            key="supervision.visits",
            title=_("Visits to places of detention"),
            description=_("Findings of visits to detention centres, prisons and other closed institutions."),
            url_name="supervision:visit_list",
            roles=workers,
            order=53,
        ),
    ]
    for card in cards:
        register_card(card)


def register_home_panels() -> None:
    """The control lists (supervision.control): a prosecutor's own overdue acts, acts without a result and
    inspections past their period; a head's office and the offices below it. Each list shows its first
    HOME_LIST_LIMIT rows and links to the full list on the control page."""
    from collections.abc import Callable
    from typing import Any

    from django.utils.translation import gettext_lazy as _

    from prokuratura.accounts.models import User
    from prokuratura.accounts.roles import Perm, Role
    from prokuratura.core.home import HomePanel, register_panel

    from .control import HOME_LIST_LIMIT, SCOPE_MINE, SCOPE_OFFICE, control_lists

    def control(scope: str, title: Any) -> Callable[[User], dict[str, Any]]:
        def build(user: User) -> dict[str, Any]:
            return {
                "scope": scope,
                "office_scope": scope != SCOPE_MINE,  # the lists name each record's prosecutor and office
                "title": title,
                "lists": control_lists(user=user, scope=scope, limit=HOME_LIST_LIMIT),
            }

        return build

    register_panel(
        HomePanel(
            key="supervision.control_mine",
            template="supervision/home_control.html",
            build=control(SCOPE_MINE, _("Control of your acts and inspections")),
            roles=frozenset({Role.PROSECUTOR}),
            policy=Perm.SUPERVISION_VIEW,
            order=20,
        )
    )
    register_panel(
        HomePanel(
            key="supervision.control_office",
            template="supervision/home_control.html",
            build=control(
                SCOPE_OFFICE, _("Control of acts and inspections in your office and the offices below it")
            ),
            roles=frozenset({Role.HEAD}),
            policy=Perm.SUPERVISION_VIEW,
            order=20,
        )
    )
