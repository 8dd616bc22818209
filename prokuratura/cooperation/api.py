"""The cooperation REST operations: the legal-basis resolver, the treaty register (list, one treaty) and what was in
force between Kazakhstan and a state on a date. Thin: each declares its permission and calls the resolver or a read.

Unknown codes and bad dates answer 422 with a translated message naming the field (`details` has the ninja shape:
loc/msg/type), so a client can show the officer what to correct.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import QuerySet, prefetch_related_objects
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from prokuratura.accounts.roles import Perm
from prokuratura.core.api_support import (
    ApiError,
    PageNumberPagination,
    api_permission,
    api_user,
    errors,
    first_messages,
)
from prokuratura.core.models import Country

from . import selectors
from .access import access_country, access_instrument
from .api_request_numbers import router as request_numbers_router
from .api_requests import router as requests_router
from .models import Instrument, InstrumentParty, Subject
from .resolver import Candidate, Tier, in_force_between, legal_basis_resolve

router = Router(tags=["cooperation"])
# The requests register (api_requests.py) and its numbers (api_request_numbers.py): /api/v1/cooperation/requests…
router.add_router("", requests_router)
router.add_router("", request_numbers_router)


# --- schemas ---------------------------------------------------------------------------------------------------


class InstrumentBriefOut(Schema):
    code: str
    kind: Instrument.Kind
    family: str = Field(
        ..., description="Resolver tier of a convention: un, cis, sco, coe, oas, other; '' bilateral."
    )
    short_name: str
    title: str = Field(..., description="In the request's language when the register has it, else English.")
    partner: str | None = Field(
        None, alias="partner_id", description="ISO code of a bilateral treaty's partner."
    )
    status: Instrument.Status = Field(..., description="Kazakhstan's status.")
    signed_date: dt.date | None = Field(..., description="First day of the month/year when known only to it.")
    signed: str = Field(..., alias="signed_label", description="As known: '2011-02-17', '2011-02' or '2011'.")
    ratified_date: dt.date | None
    ratified: str = Field(..., alias="ratified_label")
    in_force_date: dt.date | None = Field(..., description="Null: no source states the entry into force.")
    terminated_date: dt.date | None
    subjects: list[Subject]

    @staticmethod
    def resolve_subjects(obj: Instrument) -> list[str]:
        return obj.subject_codes()


class PartyOut(Schema):
    country: str = Field(..., alias="country_id")
    status: InstrumentParty.Status
    date: dt.date | None
    date_label: str
    in_force_date: dt.date | None
    confidence: str
    note: str
    source_url: str


class InstrumentOut(InstrumentBriefOut):
    title_en: str
    title_ru: str
    title_kk: str
    signed_place: str
    ratification_act: str
    all_offences: bool
    offence_categories: list[str] = Field(
        ..., description="Crime-category codes (ICCS sections, focus areas)."
    )
    offence_scope: str
    central_authorities: str
    channels: list[str]
    languages: str
    reservations: str
    depositary: str
    supersedes: str | None = Field(
        None, description="Code of the instrument it replaces between parties to both."
    )
    open_to_all_states: bool = Field(
        ..., description="Every state not listed otherwise is taken to be a party."
    )
    open_to_all_confidence: str
    confidence: str
    note: str
    sources: list[str]
    parties: list[PartyOut]

    @staticmethod
    def resolve_offence_categories(obj: Instrument) -> list[str]:
        return [c.code for c in obj.offence_categories.all()]

    @staticmethod
    def resolve_supersedes(obj: Instrument) -> str | None:
        return obj.supersedes.code if obj.supersedes is not None else None

    @staticmethod
    def resolve_parties(obj: Instrument) -> list[InstrumentParty]:
        return list(obj.parties.all())


class CandidateOut(Schema):
    tier: Tier
    tier_label: str
    applies: bool
    title: str
    instrument: InstrumentBriefOut | None = Field(..., description="Null for reciprocity.")
    reasons: list[str] = Field(..., description="Why it applies or does not, in the request's language.")
    warnings: list[str] = Field(..., description="What the officer must check before relying on it.")
    sources: list[str]
    in_force_confirmed: bool = Field(
        ..., description="False when it rests on a ratification and no source gives the entry into force."
    )
    legal_basis: str = Field(..., description="For reciprocity: the law the rule rests on.")


class ResolutionOut(Schema):
    country: str
    country_name: str
    kind: Subject
    kind_label: str
    date: dt.date = Field(..., alias="on_date")
    iccs_section: str
    focus_area: str
    applicable: list[CandidateOut] = Field(
        ..., description="In the order to use them; reciprocity only when nothing else applies."
    )
    candidates: list[CandidateOut] = Field(
        ..., description="The applicable ones, then those that do not apply, with the reasons."
    )
    warnings: list[str] = Field(
        ..., description="The warnings of the applicable instruments, each naming it."
    )
    headline: str = Field(..., description="One line: what to use, why, and what to check.")


class InForceOut(Schema):
    country: str
    country_name: str
    date: dt.date
    instruments: list[CandidateOut]


class ResolveQuery(Schema):
    country: str = Field(..., max_length=100, description="ISO 3166-1 alpha-2 code of the partner state.")
    kind: str = Field(
        ...,
        max_length=100,
        description="Kind of cooperation.",
        json_schema_extra={"enum": list(Subject.values)},
    )
    date: str | None = Field(
        None,
        max_length=100,
        description="YYYY-MM-DD; today when omitted.",
        json_schema_extra={"format": "date"},
    )
    iccs_section: str = Field("", max_length=100, description="ICCS level-1 section, e.g. `06`.")
    focus_area: str = Field("", max_length=100, description="Crime focus area, e.g. `drug_trafficking`.")


class DateQuery(Schema):
    date: str | None = Field(
        None,
        max_length=100,
        description="YYYY-MM-DD; today when omitted.",
        json_schema_extra={"format": "date"},
    )


class TreatyFilters(Schema):
    kind: Instrument.Kind | None = None
    country: str | None = Field(
        None,
        max_length=100,
        description="ISO code: bilateral treaties with this state and conventions listing it as a party or a "
        "signatory.",
    )
    subject: Subject | None = None
    status: Instrument.Status | None = Field(None, description="Kazakhstan's status.")


# --- input helpers ---------------------------------------------------------------------------------------------


def _field_error(name: str, message: str, kind: str) -> dict[str, Any]:
    return {"loc": ["query", name], "msg": message, "type": kind}


def _invalid(problems: list[dict[str, Any]]) -> ApiError:
    return ApiError(422, "validation_error", problems[0]["msg"], problems)


def _date(value: str | None, problems: list[dict[str, Any]]) -> dt.date:
    if value in (None, ""):
        return timezone.localdate()
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        problems.append(
            _field_error("date", _("Enter the date as YYYY-MM-DD, e.g. 2026-12-01."), "invalid_date")
        )
        return timezone.localdate()


def _problems(error: ValidationError) -> list[dict[str, Any]]:
    return [_field_error(name, message, f"unknown_{name}") for name, message in first_messages(error).items()]


def _treaty_list(request: HttpRequest, filters: TreatyFilters) -> QuerySet[Instrument]:
    if filters.country:
        code = filters.country.strip().upper()
        if not Country.objects.filter(iso2=code).exists():
            raise _invalid(
                [
                    _field_error(
                        "country", _("Unknown country code: %(code)s.") % {"code": code}, "unknown_country"
                    )
                ]
            )
    qs = selectors.instrument_list(user=api_user(request), filters=filters.dict(exclude_none=True))
    return qs.distinct().order_by("kind", "partner__name_en", "signed_date", "code")


# --- operations ------------------------------------------------------------------------------------------------


@router.get(
    "/cooperation/resolve",
    response={200: ResolutionOut, **errors(401, 403, 422)},
    summary="Legal basis for a request",
    description="Which instruments a request of this kind to this state about this offence may rest on at the "
    "date, in the order to use them — bilateral treaty in force, regional convention both states are party "
    "to, UN convention covering the offence, reciprocity with an assurance — each with the reasons it applies "
    "or does not, the warnings (unconfirmed entry into force, unverified party records, presumed parties) and "
    "the sources.",
)
@api_permission(Perm.COOP_VIEW)
def cooperation_resolve(request: HttpRequest, params: Query[ResolveQuery]) -> Any:
    problems: list[dict[str, Any]] = []
    on_date = _date(params.date, problems)
    try:
        resolution = legal_basis_resolve(
            country=params.country,
            kind=params.kind,
            on_date=on_date,
            iccs_section=params.iccs_section,
            focus_area=params.focus_area,
        )
    except ValidationError as error:
        problems.extend(_problems(error))
    if problems:
        raise _invalid(problems)
    return resolution


@router.get(
    "/cooperation/treaties",
    response={200: list[InstrumentBriefOut], **errors(401, 403, 422)},
    summary="Treaty register",
    description="Bilateral treaties and multilateral conventions, by kind, partner name and date of signature; "
    "filtered by kind, state, subject and Kazakhstan's status.",
)
@paginate(PageNumberPagination)
@api_permission(Perm.COOP_VIEW)
def cooperation_treaty_list(request: HttpRequest, filters: Query[TreatyFilters]) -> Any:
    return _treaty_list(request, filters)


@router.get(
    "/cooperation/treaties/{code}",
    response={200: InstrumentOut, **errors(401, 403, 404, 422)},
    summary="One treaty",
    description="Every fact the register holds on the instrument, with its parties and sources.",
)
@api_permission(Perm.COOP_VIEW)
def cooperation_treaty_detail(request: HttpRequest, code: str = Path(..., max_length=80)) -> Any:
    instrument = access_instrument(user=api_user(request), code=code)  # Http404 → the API's 404
    prefetch_related_objects([instrument], "subjects", "offence_categories", "parties")
    return instrument


@router.get(
    "/cooperation/countries/{iso2}/in-force",
    response={200: InForceOut, **errors(401, 403, 404, 422)},
    summary="In force with a state on a date",
    description="The bilateral treaties and the conventions both states were party to that were in force "
    "between Kazakhstan and the state on the date (today when omitted). Those resting on a ratification "
    "whose entry into force no source confirms are listed with `in_force_confirmed: false` and the warning.",
)
@api_permission(Perm.COOP_VIEW)
def cooperation_in_force(
    request: HttpRequest, params: Query[DateQuery], iso2: str = Path(..., min_length=2, max_length=2)
) -> Any:
    problems: list[dict[str, Any]] = []
    on_date = _date(params.date, problems)
    if problems:
        raise _invalid(problems)
    country = access_country(user=api_user(request), iso2=iso2)  # Kazakhstan or an unknown state: 404
    instruments: list[Candidate] = in_force_between(country=country, on_date=on_date)
    return {
        "country": country.iso2,
        "country_name": country.name,
        "date": on_date,
        "instruments": instruments,
    }
