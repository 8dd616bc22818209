"""The requests' numbers through the API: `GET /cooperation/request-numbers` — the same selector as the numbers page
(cooperation.request_stats.request_numbers), so the page, its CSV and the API give the same figures. Thin: it
declares its permission and every error it answers, parses its query, calls the selector."""

import datetime as dt
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Query, Router, Schema

from prokuratura.accounts.roles import Perm
from prokuratura.core.api_support import ApiError, api_permission, api_user, errors

from .models_requests import Direction, RequestKind
from .request_stats import Dimension, NumbersFilters, Outcome, numbers_office, request_numbers

router = Router(tags=["cooperation"])

DirectionName = Literal["outgoing", "incoming"]
KindName = Literal["mla", "extradition", "transfer_sentenced", "transfer_proceedings"]
DimensionName = Literal["direction", "kind", "partner", "focus_area", "iccs_section"]
# The Literals follow the choices they stand for.
assert set(Direction.values) == {"outgoing", "incoming"}  # noqa: S101
assert set(RequestKind.values) == {"mla", "extradition", "transfer_sentenced", "transfer_proceedings"}  # noqa: S101
assert set(Dimension.values) == {"direction", "kind", "partner", "focus_area", "iccs_section"}  # noqa: S101
assert set(Outcome.values) == {  # noqa: S101
    "open",
    "executed",
    "partly_executed",
    "refused",
    "withdrawn",
    "materials_sent",
}


class RequestNumbersQuery(Schema):
    date_from: dt.date | None = Field(
        None, description="The period's first day (of the start date); 1 January of this year if omitted."
    )
    date_to: dt.date | None = Field(
        None, description="The period's last day; 31 December of this year if omitted."
    )
    office: str | None = Field(
        None,
        max_length=30,
        description="Office code: that office and the offices below it (within your scope).",
    )
    direction: DirectionName | None = None
    kind: KindName | None = None


class OutcomesOut(Schema):
    open: int = Field(..., description="Still in work.")
    executed: int
    partly_executed: int
    refused: int
    withdrawn: int
    materials_sent: int = Field(..., description="Incoming: executed, and the materials sent back.")


class CountRowOut(Schema):
    key: str = Field(
        ...,
        description="Direction or kind code, ISO alpha-2 of the partner state, or crime-category code; '' for the "
        "requests without a focus area or ICCS section.",
    )
    name: str
    total: int
    outcomes: OutcomesOut = Field(..., alias="by_outcome")


class CountTableOut(Schema):
    dimension: DimensionName
    label: str
    rows: list[CountRowOut]
    totals: CountRowOut


class DurationOut(Schema):
    partner: str = Field(..., description="ISO alpha-2; '' in `duration_totals`.")
    partner_name: str
    direction: DirectionName
    count: int = Field(..., description="Requests executed in full or in part that were measured.")
    median: Decimal | None = Field(..., description="Days, exact to one decimal place (percentile_cont 0.5).")
    p90: Decimal | None = Field(..., description="Days, exact to one decimal place (percentile_cont 0.9).")
    shortest: int | None
    longest: int | None


class OverdueOut(Schema):
    key: str = Field(..., description="Office code, or ISO alpha-2 of the partner state.")
    name: str
    count: int
    oldest_due: dt.date


class RequestNumbersOut(Schema):
    date_from: dt.date
    date_to: dt.date
    today: dt.date = Field(..., description="The day the overdue requests are counted on.")
    office: str | None = Field(..., description="The office filter's code.")
    direction: DirectionName | None
    kind: KindName | None
    total: CountRowOut = Field(..., description="Requests started in the period, by outcome.")
    tables: list[CountTableOut] = Field(
        ..., description="By direction, kind, partner state, focus area and ICCS section, in that order."
    )
    durations: list[DurationOut] = Field(
        ..., description="Days from sending (outgoing) or receipt (incoming) to execution, per partner state."
    )
    duration_totals: list[DurationOut] = Field(..., description="The same per direction, all partner states.")
    overdue_total: int
    overdue_by_office: list[OverdueOut]
    overdue_by_partner: list[OverdueOut]


def _problem(name: str, message: str, kind: str) -> dict[str, Any]:
    return {"loc": ["query", name], "msg": message, "type": kind}


@router.get(
    "/cooperation/request-numbers",
    response={200: RequestNumbersOut, **errors(401, 403, 422)},
    summary="Request numbers",
    description="Requests for legal assistance started (sent or received) in the period, by direction, kind, "
    "partner state, focus area and ICCS section, each split by outcome; the median and 90th percentile of the "
    "days to execution per partner state and direction; the requests overdue today by office and partner state "
    "— counted over your office and the offices below it (every office for national roles), restricted requests "
    "included. The same figures as the numbers page and its CSV.",
)
@api_permission(Perm.COOP_STATS)
def cooperation_request_numbers(request: HttpRequest, params: Query[RequestNumbersQuery]) -> Any:
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
    if problems:
        raise ApiError(422, "validation_error", problems[0]["msg"], problems)
    numbers = request_numbers(
        user=user,
        filters=NumbersFilters(
            date_from=date_from,
            date_to=date_to,
            office=office,
            direction=params.direction or "",
            kind=params.kind or "",
        ),
        today=today,
    )
    return {
        "date_from": numbers.date_from,
        "date_to": numbers.date_to,
        "today": numbers.today,
        "office": office.code if office else None,
        "direction": numbers.direction or None,
        "kind": numbers.kind or None,
        "total": numbers.total,
        "tables": [
            {"dimension": t.dimension, "label": str(t.label), "rows": t.rows, "totals": t.totals}
            for t in numbers.tables
        ],
        "durations": numbers.durations,
        "duration_totals": numbers.duration_totals,
        "overdue_total": numbers.overdue_total,
        "overdue_by_office": numbers.overdue_by_office,
        "overdue_by_partner": numbers.overdue_by_partner,
    }
