"""Is a request complete? The contents a request must carry before an outgoing one is signed and when an incoming
one is registered, each missing item named — as the UNODC MLA Request Writer Tool stops drafting until the
essential information is present.

- Mutual legal assistance: UNTOC art. 18(15) — (a) the requesting authority; (b) the subject and nature of the
  proceedings and the authority conducting them; (c) a summary of the facts, except for the service of documents;
  (d) the assistance sought and any particular procedure; (e) where possible, the identity, location and
  nationality of any person concerned (a warning, not a stop); (f) the purpose.
- Extradition (UNTOC art. 16; the Minsk Convention 1993 art. 58; the bilateral extradition treaties): the
  identity and description, nationality and location of the person; the offence provision and its penalty; the
  arrest warrant (prosecution) or the enforceable judgment and the time left to serve (sentence); the limitation
  provision; the assurances the partner's profile requires.
- Transfers: the judgment and the sentenced person (transfer of a sentenced person, CETS 112 art. 6); the facts and
  the offence (transfer of proceedings).
- Every kind: a legal basis (a treaty or convention of the register, or reciprocity with its assurance), the
  partner's authority, and the translations the treaty or the partner's profile requires (`required_languages`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .models_requests import (
    Assurance,
    BasisKind,
    Direction,
    ExtraditionPurpose,
    Measure,
    PersonRole,
    RequestKind,
    TranslationStatus,
)

if TYPE_CHECKING:
    from .models import CountryProfile
    from .models_requests import AssistanceRequest, RequestPerson

# Languages a treaty or a profile may name, by the words that name them in English, Russian and Kazakh (the
# register's `languages` and the profile's `language_requirements` are free text).
LANGUAGE_WORDS: dict[str, tuple[str, ...]] = {
    "kk": ("kazakh", "казах", "қазақ"),
    "ru": ("russian", "русск", "орыс"),
    "en": ("english", "английск", "ағылшын"),
    "zh": ("chinese", "китайск", "қытай"),
    "fr": ("french", "французск", "француз"),
    "de": ("german", "немецк", "неміс"),
    "es": ("spanish", "испанск", "испан"),
    "ar": ("arabic", "арабск", "араб"),
    "tr": ("turkish", "турецк", "түрік"),
    "fa": ("persian", "farsi", "персидск", "парсы"),
    "ko": ("korean", "корейск", "корей"),
    "ja": ("japanese", "японск", "жапон"),
    "uz": ("uzbek", "узбекск", "өзбек"),
    "ky": ("kyrgyz", "киргизск", "қырғыз"),
    "tg": ("tajik", "таджикск", "тәжік"),
    "az": ("azerbaijani", "азербайджанск", "әзербайжан"),
    "hy": ("armenian", "армянск", "армян"),
    "ka": ("georgian", "грузинск", "грузин"),
    "uk": ("ukrainian", "украинск", "украин"),
    "mn": ("mongolian", "монгольск", "моңғол"),
    "it": ("italian", "итальянск", "итальян"),
    "pl": ("polish", "польск", "поляк"),
    "hi": ("hindi", "хинди"),
}
# The language names (ISO 639-1 code → name in English, marked for the catalogue; shown through gettext).
LANGUAGE_NAMES = {
    "kk": gettext_noop("Kazakh"),
    "ru": gettext_noop("Russian"),
    "en": gettext_noop("English"),
    "zh": gettext_noop("Chinese"),
    "fr": gettext_noop("French"),
    "de": gettext_noop("German"),
    "es": gettext_noop("Spanish"),
    "ar": gettext_noop("Arabic"),
    "tr": gettext_noop("Turkish"),
    "fa": gettext_noop("Persian"),
    "ko": gettext_noop("Korean"),
    "ja": gettext_noop("Japanese"),
    "uz": gettext_noop("Uzbek"),
    "ky": gettext_noop("Kyrgyz"),
    "tg": gettext_noop("Tajik"),
    "az": gettext_noop("Azerbaijani"),
    "hy": gettext_noop("Armenian"),
    "ka": gettext_noop("Georgian"),
    "uk": gettext_noop("Ukrainian"),
    "mn": gettext_noop("Mongolian"),
    "it": gettext_noop("Italian"),
    "pl": gettext_noop("Polish"),
    "hi": gettext_noop("Hindi"),
}


def languages_named(text: str) -> list[str]:
    """The languages a free text names ("Russian or English"; «на русском языке»), as ISO 639-1 codes."""
    lowered = (text or "").lower()
    return [code for code, words in LANGUAGE_WORDS.items() if any(w in lowered for w in words)]


def partner_profile(request: AssistanceRequest) -> CountryProfile | None:
    from .models import CountryProfile

    try:
        return request.partner.profile  # type: ignore[attr-defined, no-any-return]
    except CountryProfile.DoesNotExist:
        return None


def required_languages(request: AssistanceRequest) -> list[str]:
    """The languages the request must be in besides its own, from the chosen treaty's accepted languages and the
    partner's profile. Where both name several, any one of them will do, so the first named not already the
    request's language is asked for; an incoming request must come in (or with a translation into) Kazakh or
    Russian (the Language Law: proceedings in the state or the Russian language)."""
    if request.direction == Direction.INCOMING:
        return [] if request.language in ("kk", "ru") else ["ru"]
    named: list[str] = []
    if request.basis_id is not None and request.basis is not None:
        named = languages_named(request.basis.languages)
    if not named:
        profile = partner_profile(request)
        if profile is not None:
            named = languages_named(profile.language_requirements)
    if not named or request.language in named:
        return []
    return [named[0]]


@dataclass(frozen=True)
class Item:
    code: str
    message: str
    field: str = ""


@dataclass
class Completeness:
    missing: list[Item] = field(default_factory=list)
    warnings: list[Item] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        return not self.missing

    def codes(self) -> list[str]:
        return [i.code for i in self.missing]


def _blank(value: str) -> bool:
    return not (value or "").strip()


def _basis(request: AssistanceRequest, result: Completeness) -> None:
    if request.basis_kind == BasisKind.INSTRUMENT and request.basis_id is None:
        result.missing.append(
            Item("basis", _("Choose the treaty or convention the request rests on."), "basis")
        )
    elif request.basis_kind == BasisKind.RECIPROCITY and _blank(request.reciprocity_assurance):
        result.missing.append(
            Item(
                "reciprocity_assurance",
                _("A request on reciprocity needs the assurance of reciprocity."),
                "reciprocity_assurance",
            )
        )
    elif not request.basis_kind:
        result.missing.append(Item("basis", _("Choose the legal basis of the request."), "basis_kind"))


def _required(result: Completeness, request: AssistanceRequest, fields: list[tuple[str, str]]) -> None:
    for name, message in fields:
        if _blank(getattr(request, name)):
            result.missing.append(Item(name, message, name))


def _person_gaps(person: RequestPerson) -> list[str]:
    gaps = []
    if person.nationality_id is None and not person.stateless:
        gaps.append(_("nationality"))
    if _blank(person.location):
        gaps.append(_("location"))
    if person.birth_date is None and _blank(person.identity_document):
        gaps.append(_("date of birth or identity document"))
    return gaps


def _mla(request: AssistanceRequest, persons: list[RequestPerson], result: Completeness) -> None:
    service_only = request.measures == [Measure.SERVICE]
    _required(
        result,
        request,
        [
            ("requesting_authority", _("Name the requesting authority.")),
            ("proceedings_subject", _("Describe the subject and nature of the proceedings.")),
            ("conducting_authority", _("Name the authority conducting the proceedings.")),
            ("assistance_sought", _("Describe the assistance sought.")),
            ("purpose", _("State the purpose for which the evidence, information or action is sought.")),
        ],
    )
    if not service_only and _blank(request.facts_summary):
        result.missing.append(
            Item(
                "facts_summary",
                _("Summarise the relevant facts (not needed only to serve documents)."),
                "facts_summary",
            )
        )
    if not request.measures:
        result.missing.append(Item("measures", _("Choose the measures sought."), "measures"))
    for person in persons:
        gaps = _person_gaps(person)
        if gaps:
            result.warnings.append(
                Item(
                    "person",
                    _("Where possible, give the %(what)s of %(person)s.")
                    % {"what": ", ".join(gaps), "person": person.full_name},
                )
            )


def _extradition(request: AssistanceRequest, persons: list[RequestPerson], result: Completeness) -> None:
    sought = [p for p in persons if p.role in (PersonRole.SOUGHT, PersonRole.SENTENCED, PersonRole.SUSPECT)]
    if not sought:
        result.missing.append(
            Item("person", _("Add the person sought, with their identity and description."))
        )
    for person in sought:
        if person.birth_date is None and _blank(person.identity_document):
            result.missing.append(
                Item(
                    "person_identity",
                    _("Give the date of birth or identity document of %(person)s.")
                    % {"person": person.full_name},
                )
            )
        if _blank(person.description):
            result.missing.append(
                Item(
                    "person_description",
                    _("Describe %(person)s (appearance, identifying marks).") % {"person": person.full_name},
                )
            )
        if person.nationality_id is None and not person.stateless:
            result.missing.append(
                Item(
                    "person_nationality",
                    _("Give the nationality of %(person)s.") % {"person": person.full_name},
                )
            )
        if _blank(person.location):
            result.missing.append(
                Item("person_location", _("Give the location of %(person)s.") % {"person": person.full_name})
            )
    _required(
        result,
        request,
        [
            ("offence_article", _("Give the provision of the criminal law that defines the offence.")),
            ("penalty", _("Give the penalty the provision sets.")),
            ("limitation", _("Give the limitation provision.")),
        ],
    )
    if not request.extradition_purpose:
        result.missing.append(
            Item(
                "extradition_purpose",
                _("Say whether extradition is sought for prosecution or to enforce a sentence."),
                "extradition_purpose",
            )
        )
    elif request.extradition_purpose == ExtraditionPurpose.PROSECUTION:
        _required(result, request, [("warrant", _("Give the arrest warrant (court and date)."))])
    else:
        _required(
            result,
            request,
            [
                ("judgment", _("Give the enforceable judgment (court and date).")),
                ("sentence_remaining", _("Give the time left to serve.")),
            ],
        )
    if request.direction == Direction.OUTGOING:
        for code in assurances_required(request):
            if code not in request.assurances:
                result.missing.append(
                    Item(
                        f"assurance_{code}",
                        _("%(state)s requires an assurance: %(assurance)s.")
                        % {"state": request.partner.name, "assurance": Assurance(code).label},
                        "assurances",
                    )
                )


def assurances_required(request: AssistanceRequest) -> list[str]:
    """The assurances the partner's profile requires of an outgoing extradition request (a requested state that
    asks for an assurance on the death penalty: the profile's `death_penalty_assurance` is yes or conditional)."""
    profile = partner_profile(request)
    if profile is None or request.kind != RequestKind.EXTRADITION:
        return []
    required = []
    if profile.death_penalty_assurance in ("yes", "conditional"):
        required.append(Assurance.DEATH_PENALTY.value)
    return required


def _transfer(request: AssistanceRequest, persons: list[RequestPerson], result: Completeness) -> None:
    if request.kind == RequestKind.TRANSFER_SENTENCED:
        if not any(p.role == PersonRole.SENTENCED for p in persons):
            result.missing.append(Item("person", _("Add the sentenced person.")))
        _required(
            result,
            request,
            [
                ("judgment", _("Give the enforceable judgment (court and date).")),
                ("sentence_remaining", _("Give the time left to serve.")),
            ],
        )
    else:
        _required(
            result,
            request,
            [
                ("facts_summary", _("Summarise the relevant facts.")),
                ("offence_article", _("Give the provision of the criminal law that defines the offence.")),
            ],
        )


def _translations(request: AssistanceRequest, result: Completeness) -> None:
    done = {t.language for t in request.translations.all() if t.status == TranslationStatus.DONE}
    for code in request.translations_required or []:
        if code not in done:
            result.missing.append(
                Item(
                    f"translation_{code}",
                    _("The translation into %(language)s is not done yet.")
                    % {"language": _(LANGUAGE_NAMES.get(code, code))},
                )
            )


def request_completeness(request: AssistanceRequest) -> Completeness:
    """What the request still lacks (each item named), and what it should give where possible."""
    result = Completeness()
    _basis(request, result)
    if _blank(request.foreign_authority):
        result.missing.append(
            Item("foreign_authority", _("Name the foreign authority."), "foreign_authority")
        )
    persons = list(request.persons.all())
    if request.kind == RequestKind.MLA:
        _mla(request, persons, result)
    elif request.kind == RequestKind.EXTRADITION:
        _extradition(request, persons, result)
    else:
        _transfer(request, persons, result)
    _translations(request, result)
    return result
