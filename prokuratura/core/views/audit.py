"""The audit trail for auditors: a filtered, keyset-paginated list, one entry's detail, and chain verification."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_POST

from prokuratura.accounts.roles import Perm
from prokuratura.core import selectors
from prokuratura.core.access import access_audit_entry
from prokuratura.core.anchors import anchor_file_path, read_anchors
from prokuratura.core.audit import Anchor, audit_verify
from prokuratura.core.forms.audit import AuditFilterForm
from prokuratura.core.htmx import partial_requested
from prokuratura.core.permissions import SignedInRequest, require

PAGE_SIZE = 50
FILTER_FIELDS = ("actor", "action", "object_type", "object_id", "date_from", "date_to")


@require(Perm.VIEW_AUDIT)
def audit_list(request: SignedInRequest) -> HttpResponse:
    form = AuditFilterForm(request.GET or None)
    valid = form.is_valid() if form.is_bound else True
    data = form.cleaned_data if form.is_bound and valid else {}
    filters = {name: data.get(name) for name in FILTER_FIELDS}
    entries = selectors.audit_list(user=request.user, filters=filters)
    page = selectors.audit_page(entries, before=data.get("before"), after=data.get("after"), size=PAGE_SIZE)
    # The page links keep the filters and replace only the cursor.
    query = request.GET.copy()
    for cursor in ("before", "after"):
        query.pop(cursor, None)
    context = {"form": form, "page": page, "query": query.urlencode(), "valid": valid}
    if partial_requested(request, "audit-results"):
        # Only the results region. htmx swaps 2xx responses only, so the filter errors come with 200 here.
        return render(request, "core/audit_results.html", context)
    context["unsealed"] = selectors.audit_unsealed_count(user=request.user)
    return render(request, "core/audit_list.html", context, status=200 if valid else 400)


@require(Perm.VIEW_AUDIT)
def audit_detail(request: SignedInRequest, seq: int) -> HttpResponse:
    entry = access_audit_entry(user=request.user, seq=seq)
    context = {
        "entry": entry,
        "rows": selectors.audit_change_rows(entry=entry),
        "check": selectors.audit_entry_check(entry=entry),
    }
    return render(request, "core/audit_detail.html", context)


@require(Perm.VIEW_AUDIT)
@require_POST
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    """Runs in the request: a SHA-256 per entry is cheap, and the nightly `manage.py audit_verify` is the
    routine check; this button is for an auditor who wants the answer now. It seals what is committed first, so
    the answer covers everything written up to now. When the anchors go to a file, the chain is checked against
    them too (read only)."""
    path = anchor_file_path()
    anchors: list[Anchor] = []
    anchor_error = ""
    if path is not None:
        try:
            anchors = read_anchors(path).anchors
        except OSError as error:
            anchor_error = error.strerror or type(error).__name__
    report = audit_verify(anchors=anchors)
    context = {"report": report, "anchor_file": path, "anchor_error": anchor_error}
    return render(request, "core/audit_verify.html", context)
