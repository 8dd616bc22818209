"""The supervision numbers and control lists through the API: `GET /supervision/numbers` (supervision.stats, the
same selector as the numbers page) and `GET /supervision/control` (supervision.control, the caller's three control
lists with their sizes). Thin: each declares its permission and every error it answers, parses its query, calls
one selector."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from prokuratura.accounts.roles import Perm
from prokuratura.core.api_support import ApiError, api_permission, api_user, errors

from .control import SCOPES, clean_scope, control_lists
from .models import Act, Inspection
from .stats import Group, numbers_office, numbers_region, supervision_numbers

router = Router(tags=["supervision"])

GroupName = Literal["office", "region", "act_type", "month"]
ScopeName = Literal["mine", "office", "all"]
assert set(Group.values) == {"office", "region", "act_type", "month"}  # noqa: S101 - the Literal follows Group
assert set(SCOPES) == {"mine", "office", "all"}  # noqa: S101 - the Literal follows SCOPES

# --- numbers ---------------------------------------------------------------------------------------------------


class NumbersQuery(Schema):
    date_from: dt.date | None = Field(
        None, description="The period's first day; 1 January of this year if omitted."
    )
    date_to: dt.date | None = Field(
        None, description="The period's last day; 31 December of this year if omitted."
    )
    office: str | None = Field(
        None,
        max_length=30,
        description="Office code: that office and the offices below it (within your scope).",
    )
    region: str | None = Field(
        None, max_length=9, description="KATO code of a region: the offices of that region."
    )
    group: GroupName = Field(
        "office", description="Rows per office, region (of the office), type of act or month."
    )


class FiguresOut(Schema):
    inspections: int | None = Field(
        ...,
        description="Inspections started in the period and carried out (null when grouped by type of act).",
    )
    violations: int | None = Field(..., description="Violations found in the period (null by type of act).")
    damage: Decimal | None = Field(..., description="Damage found, tenge (null by type of act).")
    acts: int = Field(..., description="Acts of response dated in the period, withdrawn ones left out.")
    acts_by_type: dict[str, int] = Field(..., description="Acts issued per act type code.")
    acts_satisfied: int = Field(
        ..., description="Of those, satisfied fully or partly by the addressee or granted by a court."
    )
    persons_restored: int
    amount_recovered: Decimal = Field(..., description="Tenge.")
    persons_disciplinary: int
    persons_administrative: int
    persons_criminal: int


class NumbersRowOut(Schema):
    key: str = Field(
        ..., description="The office's code, the region's KATO code, the act type's code or YYYY-MM."
    )
    name: str
    figures: FiguresOut


class ActTypeColumnOut(Schema):
    code: str
    name: str


class NumbersOut(Schema):
    group: GroupName
    date_from: dt.date
    date_to: dt.date
    office: str | None = Field(..., description="The office filter's code.")
    region: str | None = Field(..., description="The region filter's KATO code.")
    act_types: list[ActTypeColumnOut] = Field(
        ..., description="The act types of `acts_by_type`, in catalogue order."
    )
    rows: list[NumbersRowOut]
    totals: FiguresOut


def _problem(name: str, message: str, kind: str) -> dict[str, Any]:
    return {"loc": ["query", name], "msg": message, "type": kind}


@router.get(
    "/supervision/numbers",
    response={200: NumbersOut, **errors(401, 403, 422)},
    summary="Supervision numbers",
    description="Inspections, violations and damage found, acts of response by type, acts satisfied, persons "
    "whose rights were restored, amounts recovered and persons brought to responsibility, per office, region, "
    "type of act or month, for a period — counted over your office and the offices below it (every office for "
    "national roles). Amounts are decimal strings in tenge.",
)
@api_permission(Perm.SUPERVISION_STATS)
def supervision_numbers_api(request: HttpRequest, params: Query[NumbersQuery]) -> Any:
    user = api_user(request)
    today = timezone.localdate()
    date_from = params.date_from or dt.date(today.year, 1, 1)
    date_to = params.date_to or dt.date(today.year, 12, 31)
    problems: list[dict[str, Any]] = []
    if date_to < date_from:
        problems.append(_problem("date_to", _("The end of the period is before its start."), "period_order"))
    office = numbers_office(user=user, code=params.office) if params.office else None
    if params.office and office is None:
        problems.append(
            _problem(
                "office",
                _("Unknown office code, or not one of yours: %(code)s.") % {"code": params.office},
                "unknown_office",
            )
        )
    region = numbers_region(user=user, kato_code=params.region) if params.region else None
    if params.region and region is None:
        problems.append(
            _problem("region", _("Unknown region: %(code)s.") % {"code": params.region}, "unknown_region")
        )
    if problems:
        raise ApiError(422, "validation_error", problems[0]["msg"], problems)
    numbers = supervision_numbers(
        user=user, date_from=date_from, date_to=date_to, office=office, region=region, group=params.group
    )
    return {
        "group": numbers.group,
        "date_from": numbers.date_from,
        "date_to": numbers.date_to,
        "office": office.code if office else None,
        "region": region.kato_code if region else None,
        "act_types": [{"code": code, "name": name} for code, name in numbers.act_types],
        "rows": [{"key": row.key, "name": row.name, "figures": row.figures} for row in numbers.rows],
        "totals": numbers.totals,
    }


# --- control lists ---------------------------------------------------------------------------------------------


class ControlQuery(Schema):
    scope: ScopeName | None = Field(
        None,
        description="Whose: acts you are the prosecutor of and inspections you are responsible for (`mine`), of "
        "your office and the offices below it (`office`), or all you may see (`all`). By role when omitted: "
        "`office` for heads, `all` for auditors, else `mine`.",
    )
    limit: int = Field(
        50, ge=1, le=200, description="At most this many rows per list (the counts are whole)."
    )


class ControlActOut(Schema):
    id: int
    number: str
    act_type: str = Field(..., alias="act_type.code")
    act_type_name: str
    status: str
    office: str = Field(..., alias="office.code")
    author_id: int
    author_name: str
    addressee_name: str
    issued_on: dt.date | None
    due_date: dt.date | None

    @staticmethod
    def resolve_act_type_name(obj: Act) -> str:
        return obj.act_type.name

    @staticmethod
    def resolve_author_name(obj: Act) -> str:
        return obj.author.full_name


class ControlInspectionOut(Schema):
    id: int
    number: str
    status: str
    office: str = Field(..., alias="office.code")
    subject_name: str
    responsible_id: int
    responsible_name: str
    period_start: dt.date
    period_end: dt.date

    @staticmethod
    def resolve_responsible_name(obj: Inspection) -> str:
        return obj.responsible.full_name


class ControlCountsOut(Schema):
    overdue_acts: int
    acts_without_result: int
    inspections_past_period: int


class ControlOut(Schema):
    today: dt.date
    scope: ScopeName
    counts: ControlCountsOut
    overdue_acts: list[ControlActOut] = Field(
        ..., description="Issued, the answer due before today; the longest overdue first."
    )
    acts_without_result: list[ControlActOut] = Field(
        ...,
        description="Replied or in court with no result recorded, or with no due date and issued more than 30 "
        "days ago; the oldest first.",
    )
    inspections_past_period: list[ControlInspectionOut] = Field(
        ..., description="Ordered or in progress, the period ended before today; the longest past first."
    )


@router.get(
    "/supervision/control",
    response={200: ControlOut, **errors(401, 403, 422)},
    summary="Control lists",
    description="Acts whose answer is overdue, acts without a recorded result and inspections past their period, "
    "with the size of each list — the same lists as the control page and the home page.",
)
@api_permission(Perm.SUPERVISION_VIEW)
def supervision_control_api(request: HttpRequest, params: Query[ControlQuery]) -> Any:
    user = api_user(request)
    return control_lists(user=user, scope=clean_scope(params.scope, user=user), limit=params.limit)
