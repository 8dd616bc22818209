"""The treaty numbers: the page (headline, tables, chart, change over time, official statements beside the
register's count), the same figures as CSV, and the charts as SVG images.

`?date=YYYY-MM-DD` chooses the day (default today). On the page a date that cannot be read, or lies in the
future, is shown as an error next to the field and today's figures are shown (status 400, as the appeals
dashboard answers an invalid filter); the CSV and the chart answer 400 with the error as plain text, since a
file or an image of other figures than the ones asked for would mislead. Nothing is cached.
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache

from prokuratura.accounts.roles import Perm
from prokuratura.core.charts import ChartSeries, bar_chart, bar_chart_height, line_chart
from prokuratura.core.csv_export import CSV_BOM, CSV_DELIMITER, text_cell
from prokuratura.core.permissions import require

from ..stats import (
    STATUS_COLUMNS,
    BilateralCounts,
    Figure,
    SeriesPoint,
    bilateral_counts_on,
    bilateral_register,
    bilateral_series,
    multilateral_on,
    statements_near,
)

NAMES_SHOWN = 10
STATEMENT_YEARS = 2
CHARTS = ("series", "subjects", "regions")


class NumbersForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    statements = forms.ChoiceField(
        label=gettext_lazy("Official statements"),
        required=False,
        choices=[
            ("", gettext_lazy("Within two years of the date")),
            ("all", gettext_lazy("All")),
        ],
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["date"].initial = today

    def clean_date(self) -> dt.date:
        value = self.cleaned_data.get("date") or self.today
        if value > self.today:
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return value


def _parse(request: HttpRequest) -> tuple[NumbersForm, dt.date, bool]:
    """The form, the day to count on (today when the input is wrong) and whether the input was valid."""
    today = timezone.localdate()
    form = NumbersForm(request.GET or None, today=today)
    if not form.is_bound:
        return form, today, True
    if form.is_valid():
        return form, form.cleaned_data["date"], True
    return form, today, False


def _errors(form: forms.Form) -> str:
    return "; ".join(str(error) for errors in form.errors.values() for error in errors)


def _names(figure: Figure) -> str:
    """'A, B, C' — or the first ten and 'and N more'. Names such as "Korea, Republic of" hold a comma, so
    then the names are set apart by semicolons."""
    names = figure.states[:NAMES_SHOWN]
    shown = ("; " if any("," in name for name in names) else ", ").join(names)
    rest = figure.state_count - NAMES_SHOWN
    if rest <= 0:
        return shown
    return ngettext("%(names)s and %(n)d more", "%(names)s and %(n)d more", rest) % {
        "names": shown,
        "n": rest,
    }


def headline(counts: BilateralCounts) -> str:
    """The sentence at the top of the page, in the active language. Only the number of agreements is
    pluralised in the sentence; the other numbers follow a colon or a noun that needs no plural form, so
    one ngettext string reads right in Kazakh and Russian too."""
    values = {
        "n": counts.total.count,
        "date": date_format(counts.on_date, "d.m.Y"),
        "signed": counts.signed.count,
        "ratified": counts.ratified.count,
        "in_force": counts.in_force.count,
        "states": counts.total.state_count,
        "names": _names(counts.total),
    }
    if counts.total.state_count == 0:
        return (
            ngettext(
                "%(n)d bilateral agreement in criminal matters on %(date)s.",
                "%(n)d bilateral agreements in criminal matters on %(date)s.",
                counts.total.count,
            )
            % values
        )
    return (
        ngettext(
            "%(n)d bilateral agreement in criminal matters on %(date)s: %(signed)d signed, %(ratified)d ratified, "
            "%(in_force)d in force; partner states: %(states)d, including %(names)s.",
            "%(n)d bilateral agreements in criminal matters on %(date)s: %(signed)d signed, %(ratified)d ratified, "
            "%(in_force)d in force; partner states: %(states)d, including %(names)s.",
            counts.total.count,
        )
        % values
    )


def _chart_query(chart: str, day: dt.date) -> str:
    return f"chart={chart}&date={day.isoformat()}"


@require(Perm.COOP_STATS)
@never_cache
def numbers(request: HttpRequest) -> HttpResponse:
    form, day, valid = _parse(request)
    register = bilateral_register()
    counts = bilateral_counts_on(on_date=day, facts=register)
    all_statements = valid and form.is_bound and form.cleaned_data.get("statements") == "all"
    near = statements_near(on_date=day, years=None if all_statements else STATEMENT_YEARS, facts=register)
    series = bilateral_series(today=form.today, facts=register)
    figures = [
        ("signed", STATUS_COLUMNS[0][1], counts.signed),
        ("ratified", STATUS_COLUMNS[1][1], counts.ratified),
        ("in_force", STATUS_COLUMNS[2][1], counts.in_force),
    ]
    context = {
        "form": form,
        "valid": valid,
        "day": day,
        "counts": counts,
        "headline": headline(counts),
        "figures": [(key, label, figure, _names(figure)) for key, label, figure in figures],
        "total_names": _names(counts.total),
        "near": near,
        "statement_years": STATEMENT_YEARS,
        "all_statements": all_statements,
        "series": series,
        "multilateral": multilateral_on(on_date=day),
        "columns": STATUS_COLUMNS,
        "date_query": f"date={day.isoformat()}",
        "chart_subjects": _chart_query("subjects", day),
        "chart_regions": _chart_query("regions", day),
        "chart_series": _chart_query("series", day),
        "subjects_height": bar_chart_height(categories=len(counts.by_subject), series=len(STATUS_COLUMNS)),
        "regions_height": bar_chart_height(categories=len(counts.by_region), series=len(STATUS_COLUMNS)),
    }
    return render(request, "cooperation/numbers.html", context, status=200 if valid else 400)


def csv_rows(counts: BilateralCounts, series: list[SeriesPoint]) -> list[list[Any]]:
    """The page's figures as rows of (section, row, signed, ratified, in force)."""
    summary = str(_("Summary"))
    rows: list[list[Any]] = [
        [summary, str(_("Instruments")), counts.signed.count, counts.ratified.count, counts.in_force.count],
        [
            summary,
            str(_("Partner states")),
            counts.signed.state_count,
            counts.ratified.state_count,
            counts.in_force.state_count,
        ],
        [summary, counts.terminated.label, *counts.terminated.cells],
        [summary, str(_("No date known (not counted above)")), counts.undated, "", ""],
    ]
    subject = str(_("By kind of cooperation"))
    rows += [[subject, row.label, *row.cells] for row in counts.by_subject]
    rows.append([subject, counts.subject_total.label, *counts.subject_total.cells])
    region = str(_("By region of the world"))
    rows += [[region, row.label, *row.cells] for row in counts.by_region]
    rows.append([region, counts.region_total.label, *counts.region_total.cells])
    over_time = str(_("Change over time"))
    rows += [[over_time, point.on_date.isoformat(), *point.cells] for point in series]
    return rows


@require(Perm.COOP_STATS)
@never_cache
def numbers_csv(request: HttpRequest) -> HttpResponse:
    form, day, valid = _parse(request)
    if not valid:
        return HttpResponse(_errors(form), status=400, content_type="text/plain; charset=utf-8")
    register = bilateral_register()
    counts = bilateral_counts_on(on_date=day, facts=register)
    series = bilateral_series(today=form.today, facts=register)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="treaty-numbers-{day:%Y%m%d}.csv"'
    response.write(CSV_BOM)
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    writer.writerow([str(_("Section")), str(_("Row")), *(str(label) for _key, label in STATUS_COLUMNS)])
    for section, row, *cells in csv_rows(counts, series):
        writer.writerow([text_cell(section), text_cell(row), *cells])
    return response


def _status_series(rows: list[Any]) -> list[ChartSeries]:
    return [
        ChartSeries(str(label), tuple(float(getattr(row, key)) for row in rows))
        for key, label in STATUS_COLUMNS
    ]


def chart_svg(chart: str, day: dt.date, *, today: dt.date) -> str:
    when = date_format(day, "d.m.Y")
    if chart == "series":
        points = bilateral_series(today=today)
        return line_chart(
            title=_("Bilateral agreements in criminal matters by year"),
            desc=_(
                "Signed, ratified and in force at the end of each year, and today for the current year. "
                "The same figures are in the table beside the chart."
            ),
            categories=[str(point.year) for point in points],
            series=_status_series(points),
        )
    counts = bilateral_counts_on(on_date=day)
    if chart == "regions":
        rows = counts.by_region
        title = _("Bilateral agreements by region of the world on %(date)s") % {"date": when}
        desc = _(
            "Signed, ratified and in force, by the partner state's region. "
            "The same figures are in the table beside the chart."
        )
    else:
        rows = counts.by_subject
        title = _("Bilateral agreements by kind of cooperation on %(date)s") % {"date": when}
        desc = _(
            "Signed, ratified and in force, by kind of cooperation; an agreement covering two kinds is "
            "counted under each. The same figures are in the table beside the chart."
        )
    return bar_chart(
        title=title, desc=desc, categories=[row.label for row in rows], series=_status_series(rows)
    )


@require(Perm.COOP_STATS)
@never_cache
def numbers_chart(request: HttpRequest) -> HttpResponse:
    form, day, valid = _parse(request)
    chart = request.GET.get("chart") or "subjects"
    if not valid:
        return HttpResponse(_errors(form), status=400, content_type="text/plain; charset=utf-8")
    if chart not in CHARTS:
        message = _("Unknown chart: choose one of %(charts)s.") % {"charts": ", ".join(CHARTS)}
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    svg = chart_svg(chart, day, today=form.today)
    response = HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("numbers/", numbers, name="numbers"),
    path("numbers.csv", numbers_csv, name="numbers_csv"),
    path("numbers.svg", numbers_chart, name="numbers_chart"),
]
