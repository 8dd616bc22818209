"""The appeals dashboard (tables of figures per office or region, by region and by month), the main table as CSV,
and the dashboard's two charts as SVG images.

All are computed on every request and sent with `Cache-Control: no-cache, no-store`, so a new answer shows at
once. The filter form lives here, next to its only views (as public.py keeps its own forms). A chart reads the
same filters from its query string and counts with the same selectors (stats.py) as the table beside it, so the
two cannot disagree; with filters that do not validate it answers 400 with the errors as plain text, since an
image of other figures than the ones asked for would mislead (as cooperation's charts do).
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from prokuratura.accounts.roles import Perm
from prokuratura.core.charts import ChartSeries, bar_chart, bar_chart_height, line_chart
from prokuratura.core.csv_export import CSV_BOM, CSV_DELIMITER, text_cell
from prokuratura.core.forms.offices import OfficeChoiceField
from prokuratura.core.htmx import partial_requested
from prokuratura.core.models import Office
from prokuratura.core.permissions import SignedInRequest, require

from ..stats import (
    CHART_COLUMNS,
    COLUMNS,
    GroupBy,
    StatsTable,
    StatsTrend,
    TrendUnit,
    appeal_stats,
    appeal_stats_trend,
    stats_offices,
)

if TYPE_CHECKING:
    from prokuratura.accounts.models import User


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class StatsFilterForm(forms.Form):
    period_from = forms.DateField(label=gettext_lazy("Registered from"), required=False, widget=_date_input())
    period_to = forms.DateField(label=gettext_lazy("Registered to"), required=False, widget=_date_input())
    group_by = forms.ChoiceField(label=gettext_lazy("Group by"), choices=GroupBy.choices, required=False)
    office = OfficeChoiceField(
        label=gettext_lazy("Office (with the offices below it)"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=gettext_lazy("All"),
    )

    def __init__(self, *args: Any, user: User, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        fields: Any = self.fields
        fields["office"].queryset = stats_offices(user=user)
        fields["period_from"].initial = self.year_start
        fields["period_to"].initial = self.year_end
        fields["group_by"].initial = GroupBy.OFFICE

    @property
    def year_start(self) -> dt.date:
        return dt.date(self.today.year, 1, 1)

    @property
    def year_end(self) -> dt.date:
        return dt.date(self.today.year, 12, 31)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        # An empty field means the current year, so the plain page and a half-filled form agree.
        data["period_from"] = data.get("period_from") or self.year_start
        data["period_to"] = data.get("period_to") or self.year_end
        data["group_by"] = data.get("group_by") or GroupBy.OFFICE
        if data["period_to"] < data["period_from"]:
            self.add_error("period_to", _("The end of the period is before its start."))
        return data


CHARTS = ("regions", "trend")


def _filters(request: SignedInRequest) -> tuple[StatsFilterForm, dict[str, Any] | None]:
    """The filter form and its values (None when they do not validate); chart parameters are ignored."""
    form = StatsFilterForm(request.GET or None, user=request.user, today=timezone.localdate())
    if not form.is_bound:
        return form, {"period_from": form.year_start, "period_to": form.year_end, "group_by": GroupBy.OFFICE}
    if form.is_valid():
        return form, form.cleaned_data
    return form, None


def _stats(request: SignedInRequest, data: dict[str, Any], group_by: str, today: dt.date) -> StatsTable:
    return appeal_stats(
        user=request.user,
        period_from=data["period_from"],
        period_to=data["period_to"],
        group_by=group_by,
        office=data.get("office"),
        today=today,
    )


def _trend(request: SignedInRequest, data: dict[str, Any], today: dt.date) -> StatsTrend:
    return appeal_stats_trend(
        user=request.user,
        period_from=data["period_from"],
        period_to=data["period_to"],
        office=data.get("office"),
        today=today,
    )


def _table(request: SignedInRequest) -> tuple[StatsFilterForm, StatsTable | None]:
    form, data = _filters(request)
    if data is None:
        return form, None
    return form, _stats(request, data, data["group_by"], form.today)


def _errors(form: forms.Form) -> str:
    return "; ".join(str(error) for errors in form.errors.values() for error in errors)


def _chart_query(chart: str, data: dict[str, Any]) -> str:
    """The chart image's query string: the filters that decide its figures (the grouping does not)."""
    office = data.get("office")
    return urlencode(
        {
            "chart": chart,
            "period_from": data["period_from"].isoformat(),
            "period_to": data["period_to"].isoformat(),
            "office": office.pk if office else "",
        }
    )


@require(Perm.APPEALS_STATS)
@never_cache
def stats(request: SignedInRequest) -> HttpResponse:
    form, data = _filters(request)
    context: dict[str, Any] = {"form": form, "table": None, "query": request.GET.urlencode()}
    if data is not None:
        table = _stats(request, data, data["group_by"], form.today)
        # The chart by region stands next to a table by region: the main one, or one of its own.
        by_region = (
            table if table.group_by == GroupBy.REGION else _stats(request, data, GroupBy.REGION, form.today)
        )
        trend = _trend(request, data, form.today)
        context.update(
            table=table,
            by_region=by_region,
            trend=trend,
            chart_columns=CHART_COLUMNS,
            regions_chart=_chart_query("regions", data),
            regions_height=bar_chart_height(categories=len(by_region.rows), series=len(CHART_COLUMNS)),
            trend_chart=_chart_query("trend", data),
        )
    if partial_requested(request, "stats-results"):
        # htmx swaps 2xx responses only, so the filter errors come with 200 here.
        return render(request, "appeals/stats_results.html", context)
    status = 200 if data is not None else 400
    return render(request, "appeals/stats_dashboard.html", context, status=status)


@require(Perm.APPEALS_STATS)
@never_cache
def stats_csv(request: SignedInRequest) -> HttpResponse:
    form, table = _table(request)
    if table is None:
        return HttpResponse(_errors(form), status=400, content_type="text/plain; charset=utf-8")
    filename = f"appeals-{table.group_by}-{table.period_from:%Y%m%d}-{table.period_to:%Y%m%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(CSV_BOM)
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    group_label = GroupBy(table.group_by).label
    code_label = _("Code") if table.group_by == GroupBy.OFFICE else _("KATO code")
    writer.writerow([str(code_label), str(group_label), *(str(label) for _key, label in COLUMNS)])
    for row in table.rows:
        writer.writerow([text_cell(row.code), text_cell(row.name), *row.cells])
    writer.writerow(["", str(_("Total")), *table.totals])
    return response


def _series(rows: list[Any]) -> list[ChartSeries]:
    """One series per chart column, read from the same rows the table beside the chart shows."""
    return [
        ChartSeries(str(label), tuple(float(row.chart_cells()[index]) for row in rows))
        for index, (_key, label) in enumerate(CHART_COLUMNS)
    ]


def _chart_scope(table: StatsTable | StatsTrend) -> str:
    values = {
        "start": date_format(table.period_from, "d.m.Y"),
        "end": date_format(table.period_to, "d.m.Y"),
        "today": date_format(table.today, "d.m.Y"),
    }
    if table.office is not None:
        return _(
            "Appeals registered from %(start)s to %(end)s in %(office)s and the offices below it, as of %(today)s."
        ) % {**values, "office": table.office.name}
    return _("Appeals registered from %(start)s to %(end)s, as of %(today)s.") % values


def chart_svg(chart: str, request: SignedInRequest, data: dict[str, Any], today: dt.date) -> str:
    """The dashboard's chart `chart` ("regions" or "trend") for the filters `data`, in the active language."""
    if chart == "regions":
        table = _stats(request, data, GroupBy.REGION, today)
        return bar_chart(
            title=_("Appeals by region"),
            desc=" ".join(
                [
                    _chart_scope(table),
                    _("Received, answered and overdue, by the region where the matter arose."),
                    _("The same figures are in the table beside the chart."),
                ]
            ),
            categories=[row.name for row in table.rows],
            series=_series(table.rows),
        )
    trend = _trend(request, data, today)
    if trend.unit == TrendUnit.MONTH:
        title = _("Appeals by month of registration")
    else:
        title = _("Appeals by year of registration")
    return line_chart(
        title=title,
        desc=" ".join(
            [
                _chart_scope(trend),
                _("Received, answered and overdue, by when the appeals were registered."),
                _("The same figures are in the table beside the chart."),
            ]
        ),
        categories=[point.label for point in trend.points],
        series=_series(trend.points),
    )


@require(Perm.APPEALS_STATS)
@never_cache
def stats_chart(request: SignedInRequest) -> HttpResponse:
    chart = request.GET.get("chart", "")
    if chart not in CHARTS:
        message = _("Unknown chart: choose one of %(charts)s.") % {"charts": ", ".join(CHARTS)}
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    form, data = _filters(request)
    if data is None:
        return HttpResponse(_errors(form), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(
        chart_svg(chart, request, data, form.today), content_type="image/svg+xml; charset=utf-8"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
