"""The numbers of international relations (relations.stats): the page with its tables and the official statements of
the time beside the counts, each table as CSV (`?table=…`), and the page's charts as SVG.

`?date=YYYY-MM-DD` (default today), `?years=N` (default 5: "the N years before the date") and `?year=YYYY` (the
delegations by state in one year). On the page input that cannot be used is shown next to its field and today's
figures over five years are shown (status 400, as the other numbers pages answer); the CSV and the charts answer
400 with the errors as plain text, since a file or an image of other figures than the ones asked for would mislead.
Nothing is cached.
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import Any

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
from prokuratura.core.charts import ChartSeries, bar_chart, bar_chart_height, line_chart
from prokuratura.core.csv_export import CSV_BOM, CSV_DELIMITER, text_cell
from prokuratura.core.permissions import SignedInRequest, require

from ..models import MandateKind
from ..stats import DEFAULT_YEARS, DIRECTIONS, MAX_YEARS, RelationsNumbers, StatusCounts, relations_numbers

CHARTS = ("delegations", "projects", "recommendations")
TABLES = (
    "visits",
    "mandates",
    "treaty_bodies",
    "statements",
    "projects_by_organisation",
    "projects_by_partner",
    "delegations_by_year",
    "delegations_by_state",
    "recommendations_by_status",
    "recommendations_by_source",
)
# A chart shows at most this many organisations; the table beside it lists every one.
CHART_ROWS = 12


class NumbersForm(forms.Form):
    date = forms.DateField(
        label=gettext_lazy("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        input_formats=["%Y-%m-%d"],
    )
    years = forms.IntegerField(
        label=gettext_lazy("Years before the date"),
        required=False,
        min_value=1,
        max_value=MAX_YEARS,
    )
    year = forms.IntegerField(
        label=gettext_lazy("Delegations by state in the year"),
        required=False,
        min_value=1992,
        help_text=gettext_lazy("Empty: the years before the date."),
    )

    def __init__(self, *args: Any, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        self.fields["date"].initial = today
        self.fields["years"].initial = DEFAULT_YEARS

    def clean_date(self) -> dt.date:
        value = self.cleaned_data.get("date") or self.today
        if value > self.today:
            raise forms.ValidationError(_("The date cannot be in the future."), code="future")
        return value

    def clean_years(self) -> int:
        return self.cleaned_data.get("years") or DEFAULT_YEARS

    def clean_year(self) -> int | None:
        value = self.cleaned_data.get("year")
        if value is not None and value > self.today.year:
            raise forms.ValidationError(_("The year cannot be in the future."), code="future")
        return value


def _parse(request: SignedInRequest) -> tuple[NumbersForm, dt.date, int, int | None, bool]:
    """The form, the date, N, the year (today, five years and none when the input is wrong), and whether it was
    valid. Parameters the form does not know are ignored."""
    today = timezone.localdate()
    data = {name: request.GET[name] for name in ("date", "years", "year") if name in request.GET}
    form = NumbersForm(data or None, today=today)
    if not form.is_bound:
        return form, today, DEFAULT_YEARS, None, True
    if form.is_valid():
        return form, form.cleaned_data["date"], form.cleaned_data["years"], form.cleaned_data["year"], True
    return form, today, DEFAULT_YEARS, None, False


def _errors(form: forms.Form) -> str:
    return "; ".join(str(error) for errors in form.errors.values() for error in errors)


def _bad_request(message: str) -> HttpResponse:
    return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")


def numbers_query(on: dt.date, years: int, year: int | None, **extra: str) -> str:
    """The query string that gives these figures again (the CSV's, the charts' and the statements' links)."""
    params: dict[str, str | int] = {**extra, "date": on.isoformat(), "years": years}
    if year:
        params["year"] = year
    return urlencode(params)


def _top(rows: tuple[StatusCounts, ...]) -> tuple[StatusCounts, ...]:
    return rows[:CHART_ROWS]


@require(Perm.RELATIONS_STATS)
@never_cache
def numbers(request: SignedInRequest) -> HttpResponse:
    form, on, years, year, valid = _parse(request)
    found = relations_numbers(user=request.user, on=on, years=years, year=year)
    query = numbers_query(on, years, year)
    statuses = len(found.projects.statuses)
    context = {
        "form": form,
        "valid": valid,
        "numbers": found,
        "query": query,
        "tables": TABLES,
        "directions": DIRECTIONS,
        "visit_statements": [
            (check, numbers_query(check.statement.date, check.years or years, None))
            for check in found.visit_statements
        ],
        "project_statements": [
            (check, numbers_query(check.statement.date, years, None)) for check in found.projects.statements
        ],
        "may_view": request.user.has_perm(Perm.RELATIONS_VIEW),
        "chart_delegations": numbers_query(on, years, year, chart="delegations"),
        "chart_projects": numbers_query(on, years, year, chart="projects"),
        "chart_recommendations": numbers_query(on, years, year, chart="recommendations"),
        "projects_height": bar_chart_height(
            categories=len(_top(found.projects.by_organisation)), series=statuses
        ),
        "recommendations_height": bar_chart_height(categories=len(found.recommendations.by_status), series=1),
        "projects_cut": len(found.projects.by_organisation) > CHART_ROWS,
        "chart_rows": CHART_ROWS,
    }
    return render(request, "relations/numbers/numbers.html", context, status=200 if valid else 400)


# --- CSV ---------------------------------------------------------------------------------------------------------


def _day(value: dt.date) -> str:
    return value.isoformat()


def _status_table(rows: tuple[StatusCounts, ...], total: StatusCounts, statuses: Any, heading: str) -> Any:
    codes = [code for code, _label in statuses]
    head = [str(_("Code")), heading, *(str(label) for _code, label in statuses), str(_("Total"))]
    body = [[text_cell(r.key), text_cell(r.name), *r.cells(codes), r.total] for r in (*rows, total)]
    return head, body


def csv_table(found: RelationsNumbers, table: str) -> tuple[list[str], list[list[Any]]]:
    """One of the page's tables as a heading row and rows."""
    if table in ("visits", "treaty_bodies"):
        visits = found.visits.visits if table == "visits" else found.visits.treaty_body_visits
        head = [str(_("From")), str(_("To")), str(_("Mandate")), str(_("Mandate holder")), str(_("Report"))]
        return head, [
            [
                _day(v.start),
                _day(v.end),
                text_cell(v.mandate),
                text_cell(v.holder),
                text_cell(v.report_symbol),
            ]
            for v in visits
        ]
    if table == "mandates":
        head = [str(_("Mandate")), str(_("Kind of mandate")), str(_("Visits")), str(_("Mandate holder"))]
        return head, [
            [
                text_cell(row.mandate),
                str(MandateKind(row.mandate_kind).label),
                row.count,
                text_cell(", ".join(row.holders)),
            ]
            for row in found.visits.by_mandate
        ]
    if table == "statements":
        head = [str(_("Date")), str(_("Stated")), str(_("Counted from the records")), str(_("Years")),
                str(_("Statement")), str(_("Said by")), str(_("Source"))]  # fmt: skip
        return head, [
            [
                _day(c.statement.date),
                c.stated,
                c.counted,
                c.years or "",
                text_cell(c.statement.statement),
                text_cell(c.statement.speaker),
                text_cell(" | ".join(c.sources)),
            ]
            for c in (*found.visit_statements, *found.projects.statements)
        ]
    if table == "projects_by_organisation":
        p = found.projects
        return _status_table(p.by_organisation, p.total, p.statuses, str(_("Organisation")))
    if table == "projects_by_partner":
        p = found.projects
        head, body = _status_table(p.by_partner, p.total, p.statuses, str(_("Partner")))
        parents = [r.parent for r in p.by_partner] + [""]
        return [head[0], head[1], str(_("Organisation")), *head[2:]], [
            [row[0], row[1], text_cell(parent), *row[2:]] for row, parent in zip(body, parents, strict=True)
        ]
    if table == "delegations_by_year":
        d = found.delegations
        head = [str(_("Year")), *(str(label) for _key, label in DIRECTIONS)]
        return head, [[r.year, *r.cells] for r in d.by_year] + [[str(_("Total")), *d.totals.cells]]
    if table == "delegations_by_state":
        head = [str(_("Code")), str(_("State")), *(str(label) for _key, label in DIRECTIONS)]
        return head, [[r.iso2, text_cell(r.name), *r.cells] for r in found.delegations.by_state]
    if table == "recommendations_by_status":
        head = [str(_("Code")), str(_("Implementation")), str(_("Recommendations"))]
        return head, [[code, label, n] for code, label, n in found.recommendations.by_status]
    r = found.recommendations
    return _status_table(r.by_source, r.total, r.statuses, str(_("Made by")))


@require(Perm.RELATIONS_STATS)
@never_cache
def numbers_csv(request: SignedInRequest) -> HttpResponse:
    table = request.GET.get("table", "")
    if table not in TABLES:
        return _bad_request(_("Unknown table: choose one of %(tables)s.") % {"tables": ", ".join(TABLES)})
    form, on, years, year, valid = _parse(request)
    if not valid:
        return _bad_request(_errors(form))
    found = relations_numbers(user=request.user, on=on, years=years, year=year)
    head, rows = csv_table(found, table)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    name = table.replace("_", "-")
    response["Content-Disposition"] = f'attachment; filename="relations-{name}-{on:%Y%m%d}.csv"'
    response.write(CSV_BOM)
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    writer.writerow(head)
    writer.writerows(rows)
    return response


# --- charts ------------------------------------------------------------------------------------------------------


def chart_svg(chart: str, found: RelationsNumbers) -> str:
    beside = _("The same figures are in the table beside the chart.")
    when = date_format(found.on, "d.m.Y")
    if chart == "delegations":
        rows = found.delegations.by_year
        return line_chart(
            title=_("Delegations received and sent by year"),
            desc=" ".join(
                [_("Held visits, by the year they started, up to %(date)s.") % {"date": when}, beside]
            ),
            categories=[str(r.year) for r in rows],
            series=[
                ChartSeries(str(label), tuple(float(r.cells[i]) for r in rows))
                for i, (_key, label) in enumerate(DIRECTIONS)
            ],
        )
    if chart == "projects":
        p = found.projects
        organisations = _top(p.by_organisation)
        return bar_chart(
            title=_("Joint projects by partner organisation and status"),
            desc=" ".join(
                [
                    _("Projects started by %(date)s, and those proposed, by their status today.")
                    % {"date": when},
                    beside,
                ]
            ),
            categories=[row.name for row in organisations],
            series=[
                ChartSeries(label, tuple(float(row.counts.get(code, 0)) for row in organisations))
                for code, label in p.statuses
            ],
        )
    r = found.recommendations
    return bar_chart(
        title=_("Recommendations by implementation status"),
        desc=" ".join(
            [_("Recommendations made by %(date)s, by their status today.") % {"date": when}, beside]
        ),
        categories=[label for _code, label, _n in r.by_status],
        series=[ChartSeries(_("Recommendations"), tuple(float(n) for _code, _label, n in r.by_status))],
    )


@require(Perm.RELATIONS_STATS)
@never_cache
def numbers_chart(request: SignedInRequest) -> HttpResponse:
    chart = request.GET.get("chart", "")
    if chart not in CHARTS:
        return _bad_request(_("Unknown chart: choose one of %(charts)s.") % {"charts": ", ".join(CHARTS)})
    form, on, years, year, valid = _parse(request)
    if not valid:
        return _bad_request(_errors(form))
    found = relations_numbers(user=request.user, on=on, years=years, year=year)
    response = HttpResponse(chart_svg(chart, found), content_type="image/svg+xml; charset=utf-8")
    response["X-Content-Type-Options"] = "nosniff"
    return response


urlpatterns = [
    path("numbers/", numbers, name="numbers"),
    path("numbers.csv", numbers_csv, name="numbers_csv"),
    path("numbers.svg", numbers_chart, name="numbers_chart"),
]
