"""The appeals list, an office's daily tool: search and filters, whose appeals (assigned to me, my office, all I may
see), the order (registration, due date, number, status), assigning several appeals at once, and the export of the
list as CSV or XLSX. Everything the list shows is in its URL, so Back, Forward, a bookmark and the export agree."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from prokuratura.accounts.roles import Perm
from prokuratura.core.htmx import partial_requested
from prokuratura.core.permissions import SignedInRequest, require

from .. import exports, selectors
from ..forms import AppealFilterForm, BulkAssignForm
from ..services.lists import BULK_MAX, appeal_assign_many, appeal_list_export_audit
from ..transitions import APPEALS

PAGE_SIZE = 50
EXPORT_FORMATS = ("csv", "xlsx")

VIEW_LABELS = {
    selectors.VIEW_MINE: gettext_lazy("Assigned to me"),
    selectors.VIEW_OFFICE: gettext_lazy("My office and below"),
    selectors.VIEW_ALL: gettext_lazy("All I may see"),
}
# The sortable columns, as the table heads them.
SORT_LABELS = {
    "number": gettext_lazy("Number"),
    "registered": gettext_lazy("Registered"),
    "status": gettext_lazy("Status"),
    "due": gettext_lazy("Due"),
}


@dataclass
class ListQuery:
    """What the list's URL asks for: the filters (when the form is valid), the view, the order and the page."""

    form: AppealFilterForm
    filters: dict[str, Any]
    view: str
    sort: str
    page_number: str
    params: QueryDict  # the URL's parameters without the page

    @property
    def valid(self) -> bool:
        return not self.form.is_bound or self.form.is_valid()


def _list_query(request: SignedInRequest, params: QueryDict) -> ListQuery:
    params = params.copy()
    page_number = params.pop("page", ["1"])[-1]
    form = AppealFilterForm(params or None)
    valid = form.is_valid() if form.is_bound else True
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_bound and valid else {}
    # A bad view or order is never an error: the reader's default view, the default order.
    view = selectors.list_view_or_default(params.get("view"), user=request.user)
    sort = selectors.clean_sort(params.get("sort"))
    return ListQuery(form, filters, view, sort, page_number, params)


def _with(params: QueryDict, **values: str) -> str:
    """The parameters with `values` set (and no page: a new view or order starts at the first page)."""
    changed = params.copy()
    changed.pop("page", None)
    for key, value in values.items():
        changed[key] = value
    return changed.urlencode()


def _sort_links(listed: ListQuery) -> dict[str, dict[str, str]]:
    """For each sortable column: the query its header links to (the other direction when the list is sorted by it,
    else its first direction) and its `aria-sort`."""
    links = {}
    current = listed.sort.removeprefix("-")
    descending = listed.sort.startswith("-")
    for key, label in SORT_LABELS.items():
        if key == current:
            target = key if descending else f"-{key}"
            state = "descending" if descending else "ascending"
        else:
            target, state = selectors.SORT_FIRST_DIRECTION[key], ""
        links[key] = {"query": _with(listed.params, sort=target), "aria_sort": state, "label": str(label)}
    return links


def _list_context(
    request: SignedInRequest, listed: ListQuery, bulk_form: BulkAssignForm | None = None
) -> dict[str, Any]:
    user = request.user
    page = selectors.appeal_list_page(
        user=user,
        filters=listed.filters,
        view=listed.view,
        sort=listed.sort,
        page_number=listed.page_number,
        per_page=PAGE_SIZE,
    )
    rows = list(page.object_list)
    assignable: set[int] = set()
    if user.has_perm(Perm.APPEALS_ASSIGN):
        assignable, users = selectors.list_assign_choices(user=user, rows=rows)
        if bulk_form is None and assignable:
            here = listed.params.copy()
            here["page"] = str(page.number)
            bulk_form = BulkAssignForm(users=users, initial={"query": here.urlencode()})
    for row in rows:
        row.may_assign = row.pk in assignable  # type: ignore[attr-defined]
        row.version = APPEALS.version(row)  # type: ignore[attr-defined]
    posted: Any = bulk_form.data if bulk_form is not None and bulk_form.is_bound else QueryDict()
    selected = set(posted.getlist("appeal"))
    export_query = _with(listed.params, view=listed.view, sort=listed.sort)
    return {
        "form": listed.form,
        "page": page,
        "rows": rows,
        "query": listed.params.urlencode(),
        "view": listed.view,
        "sort": listed.sort,
        "default_sort": selectors.DEFAULT_SORT,
        "views": [
            {
                "code": code,
                "label": label,
                "query": _with(listed.params, view=code),
                "current": code == listed.view,
            }
            for code, label in VIEW_LABELS.items()
        ],
        "sort_links": _sort_links(listed),
        "bulk": bulk_form,
        "selected": selected,
        "export_query": export_query,
        "export_cap": selectors.EXPORT_ROW_CAP,
    }


@require(Perm.APPEALS_VIEW)
def appeal_list(request: SignedInRequest) -> HttpResponse:
    listed = _list_query(request, request.GET)
    context = _list_context(request, listed)
    # The form comes back with the results, so the page htmx keeps for Back and Forward holds the words searched.
    if partial_requested(request, "appeal-search"):
        # htmx swaps 2xx answers only: the filter errors come with 200, next to their fields.
        return render(request, "appeals/appeal_search.html", context)
    return render(request, "appeals/appeal_list.html", context, status=200 if listed.valid else 400)


@require(Perm.APPEALS_ASSIGN)
@require_POST
def appeal_assign_selected(request: SignedInRequest) -> HttpResponse:
    """Assign the appeals ticked on the list to one prosecutor: each through the lifecycle on its own; the page says
    which were assigned and which were not, and why."""
    user = request.user
    ids = [int(v) for v in request.POST.getlist("appeal") if v.isdigit() and 0 < int(v) < 2**63]
    chosen = selectors.appeals_selected(user=user, ids=ids[: BULK_MAX + 1])
    _assignable, users = selectors.list_assign_choices(user=user, rows=chosen)
    form = BulkAssignForm(request.POST, users=users)
    back = QueryDict(str(request.POST.get("query", ""))[:2000])
    if not form.is_valid():
        listed = _list_query(request, back)
        context = _list_context(request, listed, bulk_form=form)
        return render(request, "appeals/appeal_list.html", context, status=400)
    assignee = form.chosen_assignee()
    results = appeal_assign_many(
        by=user,
        appeal_ids=form.cleaned_data["appeal"],
        assignee=assignee,
        reason=form.cleaned_data["reason"],
        versions=form.versions(),
        request=request,
    )
    _report(request, results, assignee_name=assignee.full_name)
    return redirect(f"{reverse('appeals:list')}?{back.urlencode()}")


def _report(request: SignedInRequest, results: list[Any], *, assignee_name: str) -> None:
    done = [r.reg_number for r in results if r.done]
    if done:
        messages.success(
            request,
            ngettext(
                "%(count)d appeal assigned to %(name)s: %(numbers)s.",
                "%(count)d appeals assigned to %(name)s: %(numbers)s.",
                len(done),
            )
            % {"count": len(done), "name": assignee_name, "numbers": ", ".join(done)},
        )
    missing = [r for r in results if not r.done and r.code == "not_found"]
    if missing:
        messages.error(
            request,
            ngettext(
                "%(count)d selected appeal was not found, or you may not see it.",
                "%(count)d selected appeals were not found, or you may not see them.",
                len(missing),
            )
            % {"count": len(missing)},
        )
    for refused in results:
        if not refused.done and refused.code != "not_found":
            messages.error(
                request,
                _("%(number)s was not assigned: %(reason)s")
                % {"number": refused.reg_number, "reason": refused.message},
            )


@require(Perm.APPEALS_VIEW)
@never_cache
def appeal_export(request: SignedInRequest, fmt: str) -> HttpResponse:
    """The list as the page shows it (filters, view, order, the record rule), as CSV or XLSX, at most
    EXPORT_ROW_CAP rows; each export is audited."""
    if fmt not in EXPORT_FORMATS:
        raise Http404
    listed = _list_query(request, request.GET)
    if not listed.valid:
        problems = "; ".join(str(error) for errors in listed.form.errors.values() for error in errors)
        return HttpResponse(problems, status=400, content_type="text/plain; charset=utf-8")
    cap = selectors.EXPORT_ROW_CAP
    counted, rows = selectors.appeal_export_rows(
        user=request.user, filters=listed.filters, view=listed.view, sort=listed.sort, cap=cap
    )
    cut = counted > cap
    appeal_list_export_audit(
        by=request.user,
        fmt=fmt,
        view=listed.view,
        sort=listed.sort,
        filters=listed.filters,
        rows=min(counted, cap),
        capped=cut,
        request=request,
    )
    name = exports.filename(fmt, now=timezone.localtime())
    response: HttpResponse
    if fmt == "csv":
        response = StreamingHttpResponse(  # type: ignore[assignment]
            exports.csv_lines(rows, cap=cap, cut=cut, language=translation.get_language()),
            content_type=exports.CSV_CONTENT_TYPE,
        )
    else:
        response = FileResponse(  # type: ignore[assignment]
            exports.xlsx_file(rows, cap=cap, cut=cut), content_type=exports.XLSX_CONTENT_TYPE
        )
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
