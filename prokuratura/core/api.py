"""core's REST operations: offices, reference data, the working-day calendar, number validation, the audit trail.

Thin: each operation declares its permission, parses input with a schema, calls an access helper, a selector or a
calendar function, and returns a schema. Errors are raised and turned into the error shape by the API.
"""

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Path, Query, Router, Schema
from ninja.pagination import paginate

from prokuratura.accounts.roles import Perm

from . import calendar as working_calendar
from . import reference_selectors, selectors
from .access import access_audit_entry, access_office
from .api_support import (
    AUTHENTICATED,
    KeysetPagination,
    PageNumberPagination,
    api_permission,
    api_user,
    errors,
)
from .models import AuditEntry, CrimeCategory, Office, Region
from .validators import iin_birth_date, validate_bin, validate_iin

router = Router()

MAX_ID = 2**63 - 1  # bigint: larger ids cannot exist, and must not reach the database as a query parameter


# --- schemas ---------------------------------------------------------------------------------------------------


class NamedOut(Schema):
    name: str = Field(..., description="The name in the request's language.")
    name_kk: str
    name_ru: str
    name_en: str


class OfficeOut(NamedOut):
    id: int
    code: str
    level: Office.Level
    parent_id: int | None
    region_id: int | None
    depth: int = Field(..., description="0 for the Prosecutor General's Office, 1 for regional offices, …")
    is_active: bool
    address_kk: str = Field(..., description="The letterhead's address in Kazakh.")
    address_ru: str = Field(..., description="The letterhead's address in Russian.")
    phone: str
    email: str


class OfficeFilters(Schema):
    level: Office.Level | None = None
    region: int | None = Field(None, ge=1, le=MAX_ID, description="Region id.")
    parent: int | None = Field(None, ge=1, le=MAX_ID, description="Parent office id: its direct children.")
    q: str | None = Field(None, max_length=100, description="Part of the code or of a name in any language.")


class DepartmentOut(NamedOut):
    id: int
    code: str
    office_id: int
    is_active: bool


class RegionOut(NamedOut):
    id: int
    kato_code: str
    unit_type: Region.UnitType
    admin_center: str


class CountryOut(NamedOut):
    iso2: str
    iso3: str
    numeric: str
    world_region: str


class CountryFilters(Schema):
    q: str | None = Field(None, max_length=100, description="Part of a name in any language, or an ISO code.")


class CrimeCategoryOut(NamedOut):
    id: int
    code: str
    kind: CrimeCategory.Kind


class CrimeCategoryFilters(Schema):
    kind: CrimeCategory.Kind | None = None


class IsWorkingDayIn(Schema):
    date: dt.date


class IsWorkingDayOut(Schema):
    date: dt.date
    is_working_day: bool


class AddWorkingDaysIn(Schema):
    start: dt.date
    days: int = Field(..., ge=0, le=3650, description="How many working days after `start` (0–3650).")


class AddWorkingDaysOut(Schema):
    start: dt.date
    days: int
    result: dt.date = Field(
        ..., description="The `days`-th working day after `start` (for 0: `start` or the next working day)."
    )


class WorkingDaysBetweenIn(Schema):
    start: dt.date
    end: dt.date


class WorkingDaysBetweenOut(Schema):
    start: dt.date
    end: dt.date
    working_days: int = Field(
        ..., description="Working days in (start, end]; negative when end is before start."
    )


class NumberIn(Schema):
    value: str = Field(..., max_length=64, description="The number as typed.")


class NumberCheckOut(Schema):
    valid: bool
    message: str | None = Field(..., description="Why the number is not valid, in the request's language.")
    birth_date: dt.date | None = Field(None, description="For a valid IIN: the holder's date of birth.")


class AuditEntryOut(Schema):
    seq: int
    created_at: dt.datetime
    actor_id: int | None
    actor_repr: str = Field(..., description="The actor's username at the time.")
    action: AuditEntry.Action
    object_type: str
    object_id: str
    object_repr: str
    reason: str
    ip_address: str | None
    prev_hash: str
    hash: str


class AuditEntryDetailOut(AuditEntryOut):
    changes: dict[str, Any] = Field(..., description='Changed fields: {"field": {"before": …, "after": …}}.')


class AuditFilters(Schema):
    action: AuditEntry.Action | None = None
    object_type: str | None = Field(None, max_length=100, description="e.g. `core.office`")
    object_id: str | None = Field(None, max_length=64)
    actor: str | None = Field(None, max_length=150, description="Username of the actor.")
    date_from: dt.date | None = Field(None, description="Entries on or after this day.")
    date_to: dt.date | None = Field(None, description="Entries on or before this day.")


# --- flat, filtered lists (core.selectors builds the nested office tree for the HTML pages) ----------------------


def _office_list(*, filters: OfficeFilters) -> QuerySet[Office]:
    qs = Office.objects.order_by("path")
    if filters.level:
        qs = qs.filter(level=filters.level)
    if filters.region:
        qs = qs.filter(region_id=filters.region)
    if filters.parent:
        qs = qs.filter(parent_id=filters.parent)
    if filters.q:
        q = filters.q.strip()
        qs = qs.filter(
            Q(code__icontains=q) | Q(name_kk__icontains=q) | Q(name_ru__icontains=q) | Q(name_en__icontains=q)
        )
    return qs


# --- offices ---------------------------------------------------------------------------------------------------


@router.get(
    "/offices",
    response={200: list[OfficeOut], **errors(401, 403, 422)},
    tags=["offices"],
    summary="List offices",
    description="Prosecutor's offices in tree order, filtered by level, region, parent office or text.",
)
@paginate(PageNumberPagination)
@api_permission(Perm.VIEW_OFFICES)
def office_list(request: HttpRequest, filters: Query[OfficeFilters]) -> Any:
    return _office_list(filters=filters)


@router.get(
    "/offices/{office_id}",
    response={200: OfficeOut, **errors(401, 403, 404, 422)},
    tags=["offices"],
    summary="One office",
    description="404 when there is no such office or you may not see it.",
)
@api_permission(Perm.VIEW_OFFICES)
def office_detail(request: HttpRequest, office_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return access_office(user=api_user(request), office_id=office_id)


@router.get(
    "/offices/{office_id}/departments",
    response={200: list[DepartmentOut], **errors(401, 403, 404, 422)},
    tags=["offices"],
    summary="Departments of an office",
    description="The office's departments by code, inactive ones included (see `is_active`).",
)
@api_permission(Perm.VIEW_OFFICES)
def office_departments(request: HttpRequest, office_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    office = access_office(user=api_user(request), office_id=office_id)
    return selectors.office_departments(office=office)


# --- reference data --------------------------------------------------------------------------------------------


@router.get(
    "/regions",
    response={200: list[RegionOut], **errors(401, 403)},
    tags=["reference"],
    summary="Regions",
    description="Kazakhstan's regions and cities of republican significance, by KATO code.",
)
@api_permission(Perm.VIEW_REFERENCE)
def region_list(request: HttpRequest) -> Any:
    return list(reference_selectors.region_list(user=api_user(request)))


@router.get(
    "/countries",
    response={200: list[CountryOut], **errors(401, 403, 422)},
    tags=["reference"],
    summary="Countries",
    description="States by English name (ISO 3166-1), with names in Kazakh, Russian and English.",
)
@paginate(PageNumberPagination)
@api_permission(Perm.VIEW_REFERENCE)
def country_list(request: HttpRequest, filters: Query[CountryFilters]) -> Any:
    countries = reference_selectors.country_list(user=api_user(request), q=filters.q or "")
    # By English name whatever the request's language, so a client paging through the list sees one order.
    return countries.order_by("name_en", "iso2")


@router.get(
    "/crime-categories",
    response={200: list[CrimeCategoryOut], **errors(401, 403, 422)},
    tags=["reference"],
    summary="Crime categories",
    description="UNODC ICCS level-1 sections and the service's focus areas.",
)
@api_permission(Perm.VIEW_REFERENCE)
def crime_category_list(request: HttpRequest, filters: Query[CrimeCategoryFilters]) -> Any:
    return list(reference_selectors.crime_category_list(user=api_user(request), kind=filters.kind))


# --- calendar --------------------------------------------------------------------------------------------------


@router.get(
    "/calendar/is-working-day",
    response={200: IsWorkingDayOut, **errors(401, 403, 422)},
    tags=["calendar"],
    summary="Is a date a working day?",
    description="Kazakhstan's five-day week with statutory holidays, transfers and the recorded exceptions.",
)
@api_permission(Perm.VIEW_CALENDAR)
def calendar_is_working_day(request: HttpRequest, params: Query[IsWorkingDayIn]) -> Any:
    return {"date": params.date, "is_working_day": working_calendar.is_working_day(params.date)}


@router.get(
    "/calendar/add-working-days",
    response={200: AddWorkingDaysOut, **errors(401, 403, 422)},
    tags=["calendar"],
    summary="Add working days to a date",
    description="The n-th working day after `start`, as deadlines counted in working days are computed.",
)
@api_permission(Perm.VIEW_CALENDAR)
def calendar_add_working_days(request: HttpRequest, params: Query[AddWorkingDaysIn]) -> Any:
    result = working_calendar.add_working_days(params.start, params.days)
    return {"start": params.start, "days": params.days, "result": result}


@router.get(
    "/calendar/working-days-between",
    response={200: WorkingDaysBetweenOut, **errors(401, 403, 422)},
    tags=["calendar"],
    summary="Working days between two dates",
    description="Working days in the half-open interval (start, end]; the dates may be at most 20 years apart.",
)
@api_permission(Perm.VIEW_CALENDAR)
def calendar_working_days_between(request: HttpRequest, params: Query[WorkingDaysBetweenIn]) -> Any:
    try:
        count = working_calendar.working_days_between(params.start, params.end)
    except ValueError:
        raise ValidationError({"end": [_("The dates may be at most 20 years apart.")]}) from None
    return {"start": params.start, "end": params.end, "working_days": count}


# --- number validation -----------------------------------------------------------------------------------------


def _check(validate: Any, value: str) -> dict[str, Any]:
    try:
        validate(value)
    except ValidationError as exc:
        return {"valid": False, "message": " ".join(exc.messages), "birth_date": None}
    return {"valid": True, "message": None, "birth_date": None}


@router.post(
    "/validate/iin",
    response={200: NumberCheckOut, **errors(400, 401, 403, 415, 422)},
    tags=["validation"],
    summary="Check an IIN",
    description="Whether a value is a well-formed individual identification number (length, birth date, check "
    "digit), and the birth date it encodes. Says nothing about whether the number was issued.",
)
@api_permission(AUTHENTICATED)
def validate_iin_endpoint(request: HttpRequest, payload: NumberIn) -> Any:
    result = _check(validate_iin, payload.value)
    if result["valid"]:
        result["birth_date"] = iin_birth_date(payload.value)
    return result


@router.post(
    "/validate/bin",
    response={200: NumberCheckOut, **errors(400, 401, 403, 415, 422)},
    tags=["validation"],
    summary="Check a BIN",
    description="Whether a value is a well-formed business identification number (month, entity type, check "
    "digit). `birth_date` is always null.",
)
@api_permission(AUTHENTICATED)
def validate_bin_endpoint(request: HttpRequest, payload: NumberIn) -> Any:
    return _check(validate_bin, payload.value)


# --- audit trail -----------------------------------------------------------------------------------------------


@router.get(
    "/audit",
    response={200: list[AuditEntryOut], **errors(401, 403, 422)},
    tags=["audit"],
    summary="Audit trail",
    description="Newest first, without the changed fields (see the single entry). Keyset-paginated: pass the "
    "`next_after` of one page as `after` for the next.",
)
@paginate(KeysetPagination, field="seq", descending=True)
@api_permission(Perm.VIEW_AUDIT)
def audit_list(request: HttpRequest, filters: Query[AuditFilters]) -> Any:
    return selectors.audit_list(user=api_user(request), filters=filters.model_dump(exclude_none=True))


@router.get(
    "/audit/{seq}",
    response={200: AuditEntryDetailOut, **errors(401, 403, 404, 422)},
    tags=["audit"],
    summary="One audit entry",
    description="By its sequence number in the chain, with the changed fields.",
)
@api_permission(Perm.VIEW_AUDIT)
def audit_detail(request: HttpRequest, seq: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return access_audit_entry(user=api_user(request), seq=seq)
