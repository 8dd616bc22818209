"""The appeals dashboard (tables of figures per office or region) and the same table as CSV.

Both are computed on every request and sent with `Cache-Control: no-cache, no-store`, so a new answer shows at
once. The filter form lives here, next to its only two views (as public.py keeps its own forms).
"""

from __future__ import annotations

import csv
import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache

from prokuratura.accounts.roles import Perm
from prokuratura.core.csv_export import CSV_BOM, CSV_DELIMITER, text_cell
from prokuratura.core.forms.offices import OfficeChoiceField
from prokuratura.core.htmx import partial_requested
from prokuratura.core.models import Office
from prokuratura.core.permissions import SignedInRequest, require

from ..stats import COLUMNS, GroupBy, StatsTable, appeal_stats, stats_offices

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


def _table(request: SignedInRequest) -> tuple[StatsFilterForm, StatsTable | None]:
    form = StatsFilterForm(request.GET or None, user=request.user, today=timezone.localdate())
    if not form.is_bound:
        data: dict[str, Any] = {
            "period_from": form.year_start,
            "period_to": form.year_end,
            "group_by": GroupBy.OFFICE,
        }
    elif form.is_valid():
        data = form.cleaned_data
    else:
        return form, None
    table = appeal_stats(
        user=request.user,
        period_from=data["period_from"],
        period_to=data["period_to"],
        group_by=data["group_by"],
        office=data.get("office"),
        today=form.today,
    )
    return form, table


@require(Perm.APPEALS_STATS)
@never_cache
def stats(request: SignedInRequest) -> HttpResponse:
    form, table = _table(request)
    context = {"form": form, "table": table, "query": request.GET.urlencode()}
    if partial_requested(request, "stats-results"):
        # htmx swaps 2xx responses only, so the filter errors come with 200 here.
        return render(request, "appeals/stats_results.html", context)
    return render(request, "appeals/stats_dashboard.html", context, status=200 if table else 400)


@require(Perm.APPEALS_STATS)
@never_cache
def stats_csv(request: SignedInRequest) -> HttpResponse:
    form, table = _table(request)
    if table is None:
        errors = "; ".join(str(error) for errors in form.errors.values() for error in errors)
        return HttpResponse(errors, status=400, content_type="text/plain; charset=utf-8")
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
