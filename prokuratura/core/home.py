"""The cards on the home page: a small registry that each app adds to.

The home page greets the user with one section per role they hold (the role's name and what it does) and, in
each, the cards of that role's work; cards meant for everyone come last. A card is only ever shown when its
link would open: the policy is read from the view the URL resolves to (`access_policy`, set by
`core.permissions.require`), so the home page can never offer a page that refuses the user. A card whose URL
name does not exist (its app is not installed yet) is silently left out.

How an app adds its cards — in its AppConfig.ready()::

    from prokuratura.core.home import HomeCard, register_card

    register_card(HomeCard(
        key="appeals.inbox",                 # unique; registering the same key again replaces the card
        title=_("Appeals to register"),      # gettext_lazy: rendered in the reader's language
        description=_("New appeals from citizens, waiting for registration."),
        url_name="appeals:inbox",
        roles={Role.REGISTRAR},              # whose section shows it; empty = the "for everyone" section
        order=10,                            # smaller first within a section
    ))

`policy` may add a check on top of the view's own (for a card that should appear only for users holding a
stricter permission than the page needs). Cards of the core and accounts apps are registered below.

A card is a link; a *panel* is live content (counts, a short list) shown under the cards of a section. Its
`build(user)` returns the context for its template, or None to show nothing; like a card, a panel appears
once, in the first of its roles' sections the user has (empty roles = the "for everyone" section)::

    register_panel(HomePanel(
        key="appeals.deadlines_mine",
        template="appeals/home_deadlines.html",   # included with `panel` = what build() returned
        build=lambda user: {"lists": deadline_lists(user=user, scope="mine", limit=5)},
        roles={Role.PROSECUTOR},
        policy=Perm.APPEALS_VIEW,
    ))
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Perm, Role

from .permissions import user_may

if TYPE_CHECKING:
    from prokuratura.accounts.models import User


@dataclass(frozen=True)
class HomeCard:
    key: str
    title: Any
    description: Any
    url_name: str
    roles: frozenset[str] = field(default_factory=frozenset)
    policy: str | None = None
    order: int = 100

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", frozenset(self.roles))


# What each role does, shown under the role's heading. Domain apps may add to the sentences via translations,
# not here: one summary per role.
ROLE_SUMMARIES: dict[str, Any] = {
    Role.REGISTRAR: _("Registers incoming appeals and documents and routes them to the right prosecutor."),
    Role.PROSECUTOR: _(
        "Handles the appeals and supervision cases assigned to you and prepares acts of response."
    ),
    Role.HEAD: _("Assigns and oversees the work of your office and the offices below it."),
    Role.INTL_OFFICER: _(
        "Works on legal-assistance requests, treaties and relations with foreign and international bodies."
    ),
    Role.ANALYST: _("Prepares statistics and reports on the work of the prosecution service."),
    Role.AUDITOR: _("Checks who did what and when: the audit trail and user accounts."),
    Role.ADMIN: _("Maintains offices, reference data, the working-day calendar and user accounts."),
}

# The order role sections appear in when a user holds several roles.
ROLE_ORDER: tuple[str, ...] = (
    Role.REGISTRAR,
    Role.PROSECUTOR,
    Role.HEAD,
    Role.INTL_OFFICER,
    Role.ANALYST,
    Role.AUDITOR,
    Role.ADMIN,
)


@dataclass(frozen=True)
class HomePanel:
    key: str
    template: str
    build: Callable[[User], dict[str, Any] | None]
    roles: frozenset[str] = field(default_factory=frozenset)
    policy: str | None = None
    order: int = 100

    def __post_init__(self) -> None:
        object.__setattr__(self, "roles", frozenset(self.roles))


_REGISTRY: dict[str, HomeCard] = {}
_PANELS: dict[str, HomePanel] = {}


def register_panel(panel: HomePanel) -> HomePanel:
    _PANELS[panel.key] = panel
    return panel


def unregister_panel(key: str) -> None:
    _PANELS.pop(key, None)


def registered_panels() -> list[HomePanel]:
    return sorted(_PANELS.values(), key=lambda p: (p.order, p.key))


def register_card(card: HomeCard) -> HomeCard:
    _REGISTRY[card.key] = card
    return card


def unregister_card(key: str) -> None:
    _REGISTRY.pop(key, None)


def registered_cards() -> list[HomeCard]:
    return sorted(_REGISTRY.values(), key=lambda c: (c.order, c.key))


def _card_url(card: HomeCard, user: User) -> str | None:
    """The card's URL if the user may open it, else None (also when the URL name does not exist)."""
    try:
        url = reverse(card.url_name)
    except NoReverseMatch:
        return None
    try:
        view_policy = getattr(resolve(url).func, "access_policy", None)
    except Resolver404:  # pragma: no cover - reverse() and resolve() disagree only with a broken URL conf
        return None
    if view_policy is None or not user_may(user, view_policy):
        return None  # deny by default: an undeclared view is refused anyway
    if card.policy is not None and not user_may(user, card.policy):
        return None
    return url


def _entry(card: HomeCard, url: str) -> dict[str, Any]:
    return {"key": card.key, "title": card.title, "description": card.description, "url": url}


def _panels_by_role(user: User, panels: Iterable[HomePanel]) -> dict[str | None, list[dict[str, Any]]]:
    """Each panel the user may see, built once, under the first of its roles the user holds (None: for
    everyone). A panel is built only when it will be shown, so its queries run only then."""
    placed: dict[str | None, list[dict[str, Any]]] = {}
    for panel in panels:
        if panel.policy is not None and not user_may(user, panel.policy):
            continue
        if panel.roles:
            role = next((r for r in ROLE_ORDER if r in panel.roles and user.has_role(r)), None)
            if role is None:
                continue
        else:
            role = None
        context = panel.build(user)
        if context is not None:
            placed.setdefault(role, []).append(
                {"key": panel.key, "template": panel.template, "context": context}
            )
    return placed


def sections_for(
    user: User, cards: Iterable[HomeCard] | None = None, panels: Iterable[HomePanel] | None = None
) -> list[dict[str, Any]]:
    """[{"role", "title", "summary", "cards": [...], "panels": [...]}] — one section per role the user holds,
    then one for everyone (role None). A page appears once, in the first section with a card for it (so a
    role's own wording wins over the general card); the general section is dropped when empty, a role's own
    section is kept, since it still says what the role does."""
    cards = registered_cards() if cards is None else list(cards)
    placed = _panels_by_role(user, registered_panels() if panels is None else panels)
    visible = [(card, url) for card in cards if (url := _card_url(card, user)) is not None]
    shown: set[str] = set()
    sections = []
    for role in ROLE_ORDER:
        if not user.has_role(role):
            continue
        entries = []
        for card, url in visible:
            if role in card.roles and url not in shown:
                shown.add(url)
                entries.append(_entry(card, url))
        sections.append(
            {
                "role": role,
                "title": Role(role).label,
                "summary": ROLE_SUMMARIES.get(role, ""),
                "cards": entries,
                "panels": placed.get(role, []),
            }
        )
    general = []
    for card, url in visible:
        if not card.roles and url not in shown:
            shown.add(url)
            general.append(_entry(card, url))
    if general or placed.get(None):
        sections.append(
            {
                "role": None,
                "title": _("For everyone"),
                "summary": "",
                "cards": general,
                "panels": placed.get(None, []),
            }
        )
    return sections


# --- the cards of core and accounts ---------------------------------------------------------------------------

register_card(
    HomeCard(
        key="core.offices",
        title=_("Offices"),
        description=_("The tree of prosecutor's offices and their departments."),
        url_name="core:office_list",
        roles=frozenset({Role.ADMIN}),
        order=10,
    )
)
register_card(
    HomeCard(
        key="core.calendar",
        title=_("Working-day calendar"),
        description=_("Holidays, transferred days off and the working days that time limits are counted in."),
        url_name="core:calendar",
        roles=frozenset({Role.ADMIN}),
        order=20,
    )
)
register_card(
    HomeCard(
        key="core.reference",
        title=_("Reference data"),
        description=_("Regions, countries and crime categories."),
        url_name="core:reference",
        roles=frozenset({Role.ADMIN}),
        order=30,
    )
)
register_card(
    HomeCard(
        key="accounts.users",
        title=_("Users"),
        description=_("Staff accounts, their offices and roles."),
        url_name="accounts:user_list",
        roles=frozenset({Role.ADMIN, Role.AUDITOR, Role.HEAD}),
        order=40,
    )
)
register_card(
    HomeCard(
        key="accounts.role_policies",
        title=_("Role security policies"),
        description=_("Which roles must sign in with a second factor."),
        url_name="accounts:role_policies",
        roles=frozenset({Role.ADMIN}),
        policy=Perm.MANAGE_ROLE_POLICY,
        order=50,
    )
)
register_card(
    HomeCard(
        key="core.audit",
        title=_("Audit trail"),
        description=_("Every change, sign-in and restricted read, in a tamper-evident chain."),
        url_name="core:audit_list",
        roles=frozenset({Role.AUDITOR}),
        order=60,
    )
)
register_card(
    HomeCard(
        key="core.offices_everyone",
        title=_("Offices"),
        description=_("Find an office, its departments and where it sits in the tree."),
        url_name="core:office_list",
        order=200,
    )
)
register_card(
    HomeCard(
        key="core.calendar_everyone",
        title=_("Working-day calendar"),
        description=_("Which days count as working days for time limits."),
        url_name="core:calendar",
        order=210,
    )
)
register_card(
    HomeCard(
        key="accounts.tokens",
        title=_("API tokens"),
        description=_("Let a program use the REST API in your name."),
        url_name="accounts:token_list",
        order=900,
    )
)
