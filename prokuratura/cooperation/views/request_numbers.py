"""The requests' numbers (cooperation.request_stats): the page with its tables, the figures as CSV, and the page's two
charts as SVG — requests by partner state, and days to execution by partner state.

All are counted on every request and sent with `Cache-Control: no-cache, no-store`, so a new request shows at once.
A chart reads the same filters from its query string and counts with the same selector as the tables beside it, so
the two cannot disagree; with filters that do not validate the CSV and the charts answer 400 with the errors as plain
text, since a file or an image of other figures than the ones asked for would mislead (as supervision's numbers do).
"""

from __future__ import annotations

import csv
import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from prokuratura.accounts.roles import Perm
from prokuratura.core.charts import ChartSeries, bar_chart, bar_chart_height
from prokuratura.core.csv_export import CSV_BOM, CSV_DELIMITER, text_cell
from prokuratura.core.forms.offices import OfficeChoiceField
from prokuratura.core.htmx import partial_requested
from prokuratura.core.models import Office
from prokuratura.core.permissions import SignedInRequest, require

from ..models_requests import Direction, RequestKind
from ..request_stats import (
    DurationRow,
    NumbersFilters,
    Outcome,
    RequestNumbers,
    numbers_offices,
    request_numbers,
)

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

CHARTS = ("partners", "durations")
# A chart shows at most this many partner states (the most requests, or the most executions, first); the table
# beside it lists every one.
CHART_ROWS = 15


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class RequestNumbersForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=_date_input())
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=_date_input())
    office = OfficeChoiceField(
        label=gettext_lazy("Office (with the offices below it)"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=gettext_lazy("All"),
    )
    direction = forms.ChoiceField(
        label=gettext_lazy("Direction"),
        choices=[("", gettext_lazy("Both")), *Direction.choices],
        required=False,
    )
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of request"),
        choices=[("", gettext_lazy("All")), *RequestKind.choices],
        required=False,
    )

    def __init__(self, *args: Any, user: User, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        fields: Any = self.fields
        fields["office"].queryset = numbers_offices(user=user)
        fields["date_from"].initial = self.year_start
        fields["date_to"].initial = self.year_end

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.today.year, 1, 1)

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.today.year, 12, 31)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # An empty field means the current year, so the plain page and a half-filled form agree.
        data["date_from"] = data.get("date_from") or self.year_start
        data["date_to"] = data.get("date_to") or self.year_end
        if data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> NumbersFilters:
        data = self.cleaned_data
        return NumbersFilters(
            date_from=data["date_from"],
            date_to=data["date_to"],
            office=data.get("office"),
            direction=data.get("direction") or "",
            kind=data.get("kind") or "",
        )


def _parse(request: SignedInRequest) -> tuple[RequestNumbersForm, NumbersFilters | None]:
    """The filter form and its filters (None when they do not validate); other parameters are ignored."""
    form = RequestNumbersForm(request.GET or None, user=request.user, today=timezone.localdate())
    if not form.is_bound:
        return form, NumbersFilters(date_from=form.year_start, date_to=form.year_end)
    if form.is_valid():
        return form, form.filters()
    return form, None


def _errors(form: forms.Form) -> str:
    return "; ".join(str(error) for errors in form.errors.values() for error in errors)


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def _filter_query(filters: NumbersFilters, **extra: str) -> str:
    """The query string that gives these figures again (the charts' and the CSV's links)."""
    return urlencode(
        {
            **extra,
            "date_from": filters.date_from.isoformat(),
            "date_to": filters.date_to.isoformat(),
            "office": filters.office.pk if filters.office else "",
            "direction": filters.direction,
            "kind": filters.kind,
        }
    )


def _chart_partners(numbers: RequestNumbers) -> list[Any]:
    return numbers.table("partner").rows[:CHART_ROWS]


def _chart_durations(numbers: RequestNumbers) -> list[DurationRow]:
    return sorted(numbers.durations, key=lambda row: (-row.count, row.partner_name))[:CHART_ROWS]


@require(Perm.COOP_STATS)
@never_cache
def request_numbers_page(request: SignedInRequest) -> HttpResponse:
    form, filters = _parse(request)
    context: dict[str, Any] = {"form": form, "numbers": None}
    if filters is not None:
        numbers = request_numbers(user=request.user, filters=filters)
        partner_rows = len(_chart_partners(numbers))
        duration_rows = len(_chart_durations(numbers))
        context.update(
            numbers=numbers,
            scope=scope_sentence(numbers),
            query=_filter_query(filters),
            partners_chart=_filter_query(filters, chart="partners"),
            partners_height=bar_chart_height(categories=partner_rows, series=2),
            partners_cut=len(numbers.table("partner").rows) > CHART_ROWS,
            durations_chart=_filter_query(filters, chart="durations"),
            durations_height=bar_chart_height(categories=duration_rows, series=2),
            durations_cut=len(numbers.durations) > CHART_ROWS,
            chart_rows=CHART_ROWS,
        )
    if partial_requested(request, "request-numbers-results"):
        # htmx swaps 2xx responses only, so the filter errors come with 200 here.
        return render(request, "cooperation/request_numbers_results.html", context)
    status = 200 if filters is not None else 400
    return render(request, "cooperation/request_numbers.html", context, status=status)


def scope_sentence(numbers: RequestNumbers) -> str:
    """What the figures cover, in the active language: the period, and the office, direction and kind chosen."""
    values = {
        "start": date_format(numbers.date_from, "d.m.Y"),
        "end": date_format(numbers.date_to, "d.m.Y"),
        "office": numbers.office.name if numbers.office else "",
    }
    if numbers.office is not None:
        sentence = (
            _("Requests started from %(start)s to %(end)s in %(office)s and the offices below it.") % values
        )
    else:
        sentence = _("Requests started from %(start)s to %(end)s.") % values
    narrowed = [str(Direction(numbers.direction).label)] if numbers.direction else []
    if numbers.kind:
        narrowed.append(str(RequestKind(numbers.kind).label))
    if narrowed:
        sentence += " " + _("Only: %(what)s.") % {"what": ", ".join(narrowed)}
    return sentence


# --- CSV ---------------------------------------------------------------------------------------------------------


def _days(value: Decimal | int | None) -> str:
    return "" if value is None else str(value)


def csv_rows(numbers: RequestNumbers) -> list[list[Any]]:
    """The page's figures as the CSV's rows: a block per table, each with its own heading row, a blank row
    between blocks (the same tables, in the same order, as the page)."""
    outcome_labels = [str(label) for _key, label in numbers.outcomes]
    rows: list[list[Any]] = [[scope_sentence(numbers)], []]
    for table in numbers.tables:
        rows.append([str(_("Code")), str(table.label), str(_("Total")), *outcome_labels])
        rows += [[text_cell(row.key), text_cell(row.name), row.total, *row.cells] for row in table.rows]
        rows.append(["", str(_("Total")), table.totals.total, *table.totals.cells])
        rows.append([])
    rows.append(
        [
            str(_("Code")),
            str(_("Days to execution: partner state")),
            str(_("Direction")),
            str(_("Executed requests")),
            str(_("Median, days")),
            str(_("90th percentile, days")),
            str(_("Shortest, days")),
            str(_("Longest, days")),
        ]
    )
    for row in [*numbers.durations, *numbers.duration_totals]:
        rows.append(
            [
                text_cell(row.partner),
                text_cell(row.partner_name),
                row.direction_label,
                row.count,
                _days(row.median),
                _days(row.p90),
                _days(row.shortest),
                _days(row.longest),
            ]
        )
    rows.append([])
    overdue_on = date_format(numbers.today, "d.m.Y")
    for heading, items in (
        (_("Overdue on %(date)s: office") % {"date": overdue_on}, numbers.overdue_by_office),
        (_("Overdue on %(date)s: partner state") % {"date": overdue_on}, numbers.overdue_by_partner),
    ):
        rows.append([str(_("Code")), heading, str(_("Overdue")), str(_("Oldest due date"))])
        rows += [
            [text_cell(item.key), text_cell(item.name), item.count, item.oldest_due.isoformat()]
            for item in items
        ]
        rows.append(["", str(_("Total")), numbers.overdue_total, ""])
        rows.append([])
    return rows[:-1]


@require(Perm.COOP_STATS)
@never_cache
def request_numbers_csv(request: SignedInRequest) -> HttpResponse:
    form, filters = _parse(request)
    if filters is None:
        return _bad_request(_errors(form))
    numbers = request_numbers(user=request.user, filters=filters)
    filename = f"request-numbers-{numbers.date_from:%Y%m%d}-{numbers.date_to:%Y%m%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(CSV_BOM)
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    for row in csv_rows(numbers):
        writer.writerow(row)
    return response


# --- charts ------------------------------------------------------------------------------------------------------


def chart_svg(chart: str, numbers: RequestNumbers) -> str:
    """The page's chart `chart` ("partners" or "durations") of these figures, in the active language."""
    scope = scope_sentence(numbers)
    beside = _("The same figures are in the table beside the chart.")
    if chart == "partners":
        rows = _chart_partners(numbers)
        executed = (Outcome.EXECUTED, Outcome.PARTLY_EXECUTED, Outcome.MATERIALS_SENT)
        return bar_chart(
            title=_("Requests by partner state"),
            desc=" ".join(
                [
                    scope,
                    _(
                        "Requests started, and of them the ones executed in full or in part, for the %(n)d partner "
                        "states with the most requests."
                    )
                    % {"n": CHART_ROWS},
                    beside,
                ]
            ),
            categories=[row.name for row in rows],
            series=[
                ChartSeries(_("Requests"), tuple(float(row.total) for row in rows)),
                ChartSeries(
                    _("Executed in full or in part"),
                    tuple(float(sum(row.value(o) for o in executed)) for row in rows),
                ),
            ],
        )
    durations = _chart_durations(numbers)
    return bar_chart(
        title=_("Days to execution by partner state"),
        desc=" ".join(
            [
                scope,
                _(
                    "Median and 90th percentile of the days from sending (or receipt) to execution, for the %(n)d "
                    "partner states and directions with the most executed requests."
                )
                % {"n": CHART_ROWS},
                beside,
            ]
        ),
        categories=[f"{row.partner_name} — {row.direction_label}" for row in durations],
        series=[
            ChartSeries(_("Median, days"), tuple(float(row.median or 0) for row in durations)),
            ChartSeries(_("90th percentile, days"), tuple(float(row.p90 or 0) for row in durations)),
        ],
    )


@require(Perm.COOP_STATS)
@never_cache
def request_numbers_chart(request: SignedInRequest) -> HttpResponse:
    chart = request.GET.get("chart", "")
    if chart not in CHARTS:
        return _bad_request(_("Unknown chart: choose one of %(charts)s.") % {"charts": ", ".join(CHARTS)})
    form, filters = _parse(request)
    if filters is None:
        return _bad_request(_errors(form))
    numbers = request_numbers(user=request.user, filters=filters)
    response = HttpResponse(chart_svg(chart, numbers), content_type="image/svg+xml; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("request-numbers/", request_numbers_page, name="request_numbers"),
    path("request-numbers.csv", request_numbers_csv, name="request_numbers_csv"),
    path("request-numbers.svg", request_numbers_chart, name="request_numbers_chart"),
]
