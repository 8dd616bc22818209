"""The main menu. Each entry names the permission its view requires, so the menu never offers a refused page."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Perm

from .permissions import AUTHENTICATED, user_may

if TYPE_CHECKING:
    from prokuratura.accounts.models import User


@dataclass(frozen=True)
class NavItem:
    label: Any
    url_name: str
    policy: str


MENU: list[NavItem] = [
    NavItem(_("Home"), "core:home", AUTHENTICATED),
    NavItem(_("Appeals"), "appeals:list", Perm.APPEALS_VIEW),
    NavItem(_("Appeals statistics"), "appeals:stats", Perm.APPEALS_STATS),
    NavItem(_("Appeals settings"), "appeals:settings", Perm.APPEALS_MANAGE),
    NavItem(_("Inspections"), "supervision:inspection_list", Perm.SUPERVISION_VIEW),
    NavItem(_("Acts of response"), "supervision:act_list", Perm.SUPERVISION_VIEW),
    NavItem(_("Detention visits"), "supervision:visit_list", Perm.SUPERVISION_VIEW),
    NavItem(_("Supervision control"), "supervision:control", Perm.SUPERVISION_VIEW),
    NavItem(_("Supervision numbers"), "supervision:numbers", Perm.SUPERVISION_STATS),
    NavItem(_("Act types and time limits"), "supervision:catalogue", Perm.VIEW_REFERENCE),
    NavItem(_("Places of detention"), "supervision:facility_list", Perm.VIEW_REFERENCE),
    NavItem(_("Treaties"), "cooperation:treaty_list", Perm.COOP_VIEW),
    NavItem(_("Country profiles"), "cooperation:country_list", Perm.COOP_VIEW),
    NavItem(_("Legal basis"), "cooperation:resolver", Perm.COOP_VIEW),
    NavItem(_("Treaty numbers"), "cooperation:numbers", Perm.COOP_STATS),
    NavItem(_("Requests for legal assistance"), "cooperation:request_list", Perm.COOP_REQUESTS_VIEW),
    NavItem(_("Request numbers"), "cooperation:request_numbers", Perm.COOP_STATS),
    NavItem(_("Request time limits and templates"), "cooperation:request_terms", Perm.VIEW_REFERENCE),
    NavItem(_("Meetings and visits"), "relations:event_list", Perm.RELATIONS_VIEW),
    NavItem(_("Events calendar"), "relations:calendar", Perm.RELATIONS_VIEW),
    NavItem(_("Follow-up tasks"), "relations:task_list", Perm.RELATIONS_VIEW),
    NavItem(_("Joint projects"), "relations:project_list", Perm.RELATIONS_VIEW),
    NavItem(_("Recommendations"), "relations:recommendation_list", Perm.RELATIONS_VIEW),
    NavItem(_("Import a press release"), "relations:press_import", Perm.RELATIONS_WORK),
    NavItem(_("Relations numbers"), "relations:numbers", Perm.RELATIONS_STATS),
    NavItem(_("Organisations and counterparts"), "relations:counterpart_list", Perm.RELATIONS_VIEW),
    NavItem(_("Offices"), "core:office_list", "core.view_offices"),
    NavItem(_("Calendar"), "core:calendar", "core.view_calendar"),
    NavItem(_("Reference data"), "core:reference", "core.view_reference"),
    NavItem(_("Users"), "accounts:user_list", "accounts.view_users"),
    NavItem(_("Audit trail"), "core:audit_list", "core.view_audit"),
]


def items_for(user: User) -> list[dict[str, str]]:
    items = []
    for item in MENU:
        if user_may(user, item.policy):
            try:
                url = reverse(item.url_name)
            except Exception:  # noqa: S112 - an entry whose view is not installed yet is simply not shown
                continue
            items.append({"label": str(item.label), "url": url, "name": item.url_name})
    return items
