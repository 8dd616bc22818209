"""The refusal-grounds checklist of an incoming request: what the record itself suggests for each ground, for the
officer and the head to weigh (the decision is theirs, recorded by request_services.request_grounds_assess).

- Own nationals: the Constitution of the Republic of Kazakhstan, art. 11(1) — a citizen of the Republic may not
  be extradited to a foreign state unless an international treaty of the Republic provides otherwise; the Criminal
  Procedure Code, art. 590 (grounds to refuse extradition) lists citizenship first.
- The political-offence exception is not available where the applicable convention excludes it for the offence:
  `POLITICAL_CARVE_OUTS` below, each with its article.
- The death penalty: Kazakhstan abolished it (Constitutional amendment of 2022, Law of 29.12.2021 No. 89-VII on
  its abolition in the Criminal Code); extradition to a state that keeps it needs the assurance that it will be
  neither imposed nor carried out.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _

from .completeness import partner_profile
from .models_requests import Assurance, Direction, PersonRole, RefusalGround, RequestKind

if TYPE_CHECKING:
    from .models_requests import AssistanceRequest, RequestPerson

KAZAKHSTAN = "KZ"


@dataclass(frozen=True)
class CarveOut:
    """A convention that says offences of a focus area shall not be regarded as political for extradition or
    mutual legal assistance."""

    short_name: str
    focus_areas: frozenset[str]
    article: str


# Sources: the conventions' texts (UN Treaty Collection; the SCO's texts as ratified by Kazakhstan).
POLITICAL_CARVE_OUTS = (
    CarveOut("ICSFT", frozenset({"terrorism"}), "art. 14"),
    CarveOut("1988 Vienna Convention", frozenset({"drug_trafficking"}), "art. 3(10)"),
    CarveOut("UNCAC", frozenset({"corruption"}), "art. 44(4)"),
    CarveOut("Shanghai Convention 2001", frozenset({"terrorism", "extremism"}), "art. 2(2)"),
    CarveOut("SCO Counter-Terrorism Convention 2009", frozenset({"terrorism"}), "art. 3"),
    CarveOut("SCO Extremism Convention 2017", frozenset({"extremism"}), "art. 3"),
)
# The focus areas no applicable convention lets be treated as political offences, whatever the basis chosen: the
# universal conventions Kazakhstan and nearly every state are party to exclude it (ICSFT art. 14; 1988 Vienna
# Convention art. 3(10); UNCAC art. 44(4)).
NEVER_POLITICAL = frozenset({"terrorism", "drug_trafficking", "corruption"})


def _citizens(persons: list[RequestPerson]) -> list[RequestPerson]:
    return [
        p
        for p in persons
        if p.nationality_id == KAZAKHSTAN
        and p.role in (PersonRole.SOUGHT, PersonRole.SUSPECT, PersonRole.SENTENCED)
    ]


def _political_hint(request: AssistanceRequest) -> str:
    focus = request.focus_area.code if request.focus_area_id and request.focus_area else ""
    if not focus:
        return ""
    basis = request.basis.short_name if request.basis_id and request.basis else ""
    for carve_out in POLITICAL_CARVE_OUTS:
        if carve_out.short_name == basis and focus in carve_out.focus_areas:
            return _(
                "Not available: %(convention)s, %(article)s, says the offence shall not be regarded as political."
            ) % {"convention": basis, "article": carve_out.article}
    if focus in NEVER_POLITICAL:
        return _(
            "Not available for this offence: the conventions on terrorist financing, drugs and corruption exclude "
            "the political-offence exception."
        )
    return ""


def refusal_suggestions(request: AssistanceRequest, persons: list[RequestPerson]) -> dict[str, str]:
    """For each ground, what the record suggests (empty: nothing either way). Only incoming requests are weighed."""
    hints: dict[str, str] = dict.fromkeys(RefusalGround.values, "")
    if request.direction != Direction.INCOMING:
        return hints
    if request.kind in (RequestKind.EXTRADITION, RequestKind.TRANSFER_PROCEEDINGS):
        citizens = _citizens(persons)
        if citizens:
            hints[RefusalGround.OWN_NATIONAL] = _(
                "%(names)s: a citizen of Kazakhstan. Kazakhstan does not extradite its citizens (Constitution, "
                "art. 11; Criminal Procedure Code, art. 590)."
            ) % {"names": ", ".join(p.full_name for p in citizens)}
    hints[RefusalGround.POLITICAL] = _political_hint(request)
    if request.kind == RequestKind.EXTRADITION:
        profile = partner_profile(request)
        if (
            profile is not None
            and profile.death_penalty_assurance in ("yes", "conditional")
            and Assurance.DEATH_PENALTY not in request.assurances
        ):
            hints[RefusalGround.DEATH_PENALTY] = _(
                "%(state)s may impose the death penalty and the request gives no assurance that it will not."
            ) % {"state": request.partner.name}
    return hints
