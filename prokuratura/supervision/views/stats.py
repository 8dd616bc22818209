"""The numbers of supervision (supervision.stats): the page with its table, the table as CSV, and the page's two
charts as SVG — acts by type, and violations and acts by region.

All are counted on every request and sent with `Cache-Control: no-cache, no-store`, so a new act shows at once. A
chart reads the same filters from its query string and counts with the same selector as the table beside it, so
the two cannot disagree; with filters that do not validate it answers 400 with the errors as plain text, since an
image of other figures than the ones asked for would mislead (as the appeals' charts do).
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
from prokuratura.core.models import Office, Region
from prokuratura.core.permissions import SignedInRequest, require

from ..stats import Figure, Group, Numbers, numbers_offices, numbers_regions, supervision_numbers

if TYPE_CHECKING:
    from prokuratura.accounts.models import User


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class NumbersFilterForm(forms.Form):
    date_from = forms.DateField(label=gettext_lazy("From"), required=False, widget=_date_input())
    date_to = forms.DateField(label=gettext_lazy("To"), required=False, widget=_date_input())
    group = forms.ChoiceField(label=gettext_lazy("Group by"), choices=Group.choices, required=False)
    office = OfficeChoiceField(
        label=gettext_lazy("Office (with the offices below it)"),
        queryset=Office.objects.none(),
        required=False,
        empty_label=gettext_lazy("All"),
    )
    region = forms.ModelChoiceField(
        label=gettext_lazy("Region"),
        queryset=Region.objects.none(),
        required=False,
        empty_label=gettext_lazy("All"),
    )

    def __init__(self, *args: Any, user: User, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        fields: Any = self.fields
        fields["office"].queryset = numbers_offices(user=user)
        fields["region"].queryset = numbers_regions(user=user)
        fields["date_from"].initial = self.year_start
        fields["date_to"].initial = self.year_end
        fields["group"].initial = Group.OFFICE

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
        data["group"] = data.get("group") or Group.OFFICE
        if data["date_to"] < data["date_from"]:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


CHARTS = ("types", "regions")


def _filters(request: SignedInRequest) -> tuple[NumbersFilterForm, dict[str, Any] | None]:
    """The filter form and its values (None when they do not validate); other parameters are ignored."""
    form = NumbersFilterForm(request.GET or None, user=request.user, today=timezone.localdate())
    if not form.is_bound:
        return form, {"date_from": form.year_start, "date_to": form.year_end, "group": Group.OFFICE}
    if form.is_valid():
        return form, form.cleaned_data
    return form, None


def _numbers(request: SignedInRequest, data: dict[str, Any], group: str) -> Numbers:
    return supervision_numbers(
        user=request.user,
        date_from=data["date_from"],
        date_to=data["date_to"],
        office=data.get("office"),
        region=data.get("region"),
        group=group,
    )


def _errors(form: forms.Form) -> str:
    return "; ".join(str(error) for errors in form.errors.values() for error in errors)


def _chart_query(chart: str, data: dict[str, Any]) -> str:
    """The chart image's query string: the filters that decide its figures (the grouping does not)."""
    office, region = data.get("office"), data.get("region")
    return urlencode(
        {
            "chart": chart,
            "date_from": data["date_from"].isoformat(),
            "date_to": data["date_to"].isoformat(),
            "office": office.pk if office else "",
            "region": region.pk if region else "",
        }
    )


@require(Perm.SUPERVISION_STATS)
@never_cache
def numbers(request: SignedInRequest) -> HttpResponse:
    form, data = _filters(request)
    context: dict[str, Any] = {"form": form, "numbers": None, "query": request.GET.urlencode()}
    if data is not None:
        table = _numbers(request, data, data["group"])
        by_type = table if table.group == Group.ACT_TYPE else _numbers(request, data, Group.ACT_TYPE)
        by_region = table if table.group == Group.REGION else _numbers(request, data, Group.REGION)
        context.update(
            numbers=table,
            by_type=by_type,
            by_region=by_region,
            types_chart=_chart_query("types", data),
            types_height=bar_chart_height(categories=len(by_type.rows), series=2),
            regions_chart=_chart_query("regions", data),
            regions_height=bar_chart_height(categories=len(by_region.rows), series=2),
        )
    if partial_requested(request, "numbers-results"):
        # htmx swaps 2xx responses only, so the filter errors come with 200 here.
        return render(request, "supervision/stats_results.html", context)
    status = 200 if data is not None else 400
    return render(request, "supervision/stats.html", context, status=status)


def _csv_value(value: Figure) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    return str(value)


@require(Perm.SUPERVISION_STATS)
@never_cache
def numbers_csv(request: SignedInRequest) -> HttpResponse:
    form, data = _filters(request)
    if data is None:
        return HttpResponse(_errors(form), status=400, content_type="text/plain; charset=utf-8")
    table = _numbers(request, data, data["group"])
    filename = f"supervision-{table.group}-{table.date_from:%Y%m%d}-{table.date_to:%Y%m%d}.csv"
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response.write(CSV_BOM)
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    code_label = {
        Group.OFFICE: _("Code"),
        Group.REGION: _("KATO code"),
        Group.ACT_TYPE: _("Code"),
        Group.MONTH: _("Month"),
    }[Group(table.group)]
    writer.writerow(
        [str(code_label), str(Group(table.group).label), *(str(label) for _key, label in table.columns)]
    )
    for row in table.rows:
        writer.writerow([text_cell(row.key), text_cell(row.name), *(_csv_value(v) for v in row.cells)])
    writer.writerow(["", str(_("Total")), *(_csv_value(v) for v in table.total_cells)])
    return response


def _scope_sentence(table: Numbers) -> str:
    values = {
        "start": date_format(table.date_from, "d.m.Y"),
        "end": date_format(table.date_to, "d.m.Y"),
        "office": table.office.name if table.office else "",
        "region": table.region.name if table.region else "",
    }
    if table.office is not None and table.region is not None:
        return _("From %(start)s to %(end)s in %(office)s and the offices below it, in %(region)s.") % values
    if table.office is not None:
        return _("From %(start)s to %(end)s in %(office)s and the offices below it.") % values
    if table.region is not None:
        return _("From %(start)s to %(end)s in the offices of %(region)s.") % values
    return _("From %(start)s to %(end)s.") % values


def chart_svg(chart: str, request: SignedInRequest, data: dict[str, Any]) -> str:
    """The page's chart `chart` ("types" or "regions") for the filters `data`, in the active language."""
    if chart == "types":
        table = _numbers(request, data, Group.ACT_TYPE)
        return bar_chart(
            title=_("Acts of response by type"),
            desc=" ".join(
                [
                    _scope_sentence(table),
                    _("Acts issued and acts satisfied, by type of act."),
                    _("The same figures are in the table beside the chart."),
                ]
            ),
            categories=[row.name for row in table.rows],
            series=[
                ChartSeries(_("Acts issued"), tuple(float(row.figures.acts) for row in table.rows)),
                ChartSeries(
                    _("Acts satisfied"), tuple(float(row.figures.acts_satisfied) for row in table.rows)
                ),
            ],
        )
    table = _numbers(request, data, Group.REGION)
    return bar_chart(
        title=_("Violations found and acts issued by region"),
        desc=" ".join(
            [
                _scope_sentence(table),
                _("Violations found and acts issued, by the region of the office."),
                _("The same figures are in the table beside the chart."),
            ]
        ),
        categories=[row.name for row in table.rows],
        series=[
            ChartSeries(
                _("Violations found"), tuple(float(row.figures.violations or 0) for row in table.rows)
            ),
            ChartSeries(_("Acts issued"), tuple(float(row.figures.acts) for row in table.rows)),
        ],
    )


@require(Perm.SUPERVISION_STATS)
@never_cache
def numbers_chart(request: SignedInRequest) -> HttpResponse:
    chart = request.GET.get("chart", "")
    if chart not in CHARTS:
        message = _("Unknown chart: choose one of %(charts)s.") % {"charts": ", ".join(CHARTS)}
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    form, data = _filters(request)
    if data is None:
        return HttpResponse(_errors(form), status=400, content_type="text/plain; charset=utf-8")
    response = HttpResponse(chart_svg(chart, request, data), content_type="image/svg+xml; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("numbers/", numbers, name="numbers"),
    path("numbers/csv/", numbers_csv, name="numbers_csv"),
    path("numbers/chart.svg", numbers_chart, name="numbers_chart"),
]
