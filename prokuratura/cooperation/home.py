"""The international department's cards on the home page."""

from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Role
from prokuratura.core.home import HomeCard, register_card


def register_home_cards() -> None:
    register_card(
        HomeCard(
            key="cooperation.resolver",
            title=_("Legal basis for a request"),
            description=_(
                "Which treaty or convention applies to a partner state, a kind of cooperation and an offence."
            ),
            url_name="cooperation:resolver",
            roles=frozenset({Role.INTL_OFFICER}),
            order=10,
        )
    )
    register_card(
        HomeCard(
            key="cooperation.treaties",
            title=_("Treaty register"),
            description=_("Bilateral treaties and multilateral conventions, with the source of every fact."),
            url_name="cooperation:treaty_list",
            roles=frozenset({Role.INTL_OFFICER}),
            order=20,
        )
    )
    register_card(
        HomeCard(
            key="cooperation.countries",
            title=_("Country profiles"),
            description=_(
                "Per partner state: instruments, central authority, language and other requirements."
            ),
            url_name="cooperation:country_list",
            roles=frozenset({Role.INTL_OFFICER}),
            order=30,
        )
    )
    register_card(
        HomeCard(
            key="cooperation.numbers",
            title=_("Treaty numbers"),
            description=_(
                "Agreements signed, ratified and in force on a date, beside the official statements."
            ),
            url_name="cooperation:numbers",
            roles=frozenset({Role.INTL_OFFICER, Role.ANALYST}),
            order=40,
        )
    )
