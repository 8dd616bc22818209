"""Importing a legacy register: the jobs of the user's office, the upload form, a job's progress and report."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from prokuratura.accounts.roles import Perm
from prokuratura.core.access import office_subtree_q
from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.forms.offices import OfficeChoiceField
from prokuratura.core.models import Office
from prokuratura.core.permissions import SignedInRequest, require

from ..models import ImportJob
from ..services.imports import (
    COLUMNS,
    MAX_UPLOAD_BYTES,
    Stall,
    access_import_job,
    import_job_create,
    import_job_heartbeat_stale,
    import_job_list,
    import_job_rejected,
    import_job_rejected_csv,
    import_job_retry,
    import_job_stall,
)

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

PAGE_SIZE = 50
REPORT_LIMIT = 500  # rejected rows shown on the page; the CSV has them all
FINISHED = (ImportJob.State.DONE, ImportJob.State.FAILED)


class ImportForm(forms.Form):
    office = OfficeChoiceField(
        label=gettext_lazy("Office whose register this is"), queryset=Office.objects.none()
    )
    file = forms.FileField(
        label=gettext_lazy("File"),
        help_text=gettext_lazy("CSV (UTF-8) or Excel XLSX, with the column names in the first row."),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        office_field: Any = self.fields["office"]
        if user.office:
            office_field.queryset = Office.objects.filter(
                office_subtree_q(field="pk", office=user.office), is_active=True
            ).order_by("path")
            office_field.initial = user.office_id


@require(Perm.APPEALS_IMPORT)
@require_GET
def import_list(request: SignedInRequest) -> HttpResponse:
    page = Paginator(import_job_list(user=request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    # A running job whose worker stopped says so here too; its page tells whether it will be resumed.
    stalled = {
        job.pk
        for job in page.object_list
        if job.state == ImportJob.State.RUNNING and import_job_heartbeat_stale(job)
    }
    return render(request, "appeals/import_list.html", {"page": page, "stalled": stalled})


@require(Perm.APPEALS_IMPORT)
@require_http_methods(["GET", "POST"])
def import_new(request: SignedInRequest) -> HttpResponse:
    status = 200
    if request.method == "POST":
        form = ImportForm(request.POST, request.FILES, user=request.user)
        if form.is_valid():
            try:
                job = import_job_create(
                    by=request.user,
                    upload=form.cleaned_data["file"],
                    office=form.cleaned_data["office"],
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("The file is accepted; the import runs in the background."))
                return redirect("appeals:import_detail", pk=job.pk)
        status = 400
    else:
        form = ImportForm(user=request.user)
    context = {"form": form, "columns": COLUMNS, "max_mb": MAX_UPLOAD_BYTES // (1024 * 1024)}
    return render(request, "appeals/import_new.html", context, status=status)


@require(Perm.APPEALS_IMPORT)
@require_http_methods(["GET", "POST"])
def import_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    job = access_import_job(user=request.user, job_id=pk)
    if request.method == "POST":
        try:
            import_job_retry(by=request.user, job=job, request=request)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("The import is queued again."))
        return redirect("appeals:import_detail", pk=job.pk)
    stall = import_job_stall(job=job)
    # A job whose worker died and that nothing will resume is as good as finished: its report so far, and a retry.
    finished = job.state in FINISHED or stall == Stall.STOPPED
    context = {
        "job": job,
        "finished": finished,
        "stall": stall,
        "rejected": import_job_rejected(job=job, limit=REPORT_LIMIT) if finished else [],
        "report_limit": REPORT_LIMIT,
    }
    return render(request, "appeals/import_detail.html", context)


@require(Perm.APPEALS_IMPORT)
@require_GET
@never_cache
def import_status(request: SignedInRequest, pk: int) -> HttpResponse:
    """The progress fragment the job page polls; once the job has finished, htmx reloads the page for the report."""
    job = access_import_job(user=request.user, job_id=pk)
    stall = import_job_stall(job=job)
    finished = job.state in FINISHED or stall == Stall.STOPPED
    response = render(
        request, "appeals/import_status.html", {"job": job, "finished": finished, "stall": stall}
    )
    if getattr(request, "htmx", False) and finished:
        response["HX-Refresh"] = "true"
    return response


@require(Perm.APPEALS_IMPORT)
@require_GET
def import_rejected_csv(request: SignedInRequest, pk: int) -> HttpResponse:
    job = access_import_job(user=request.user, job_id=pk)
    response = HttpResponse(import_job_rejected_csv(job=job), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="import-{job.pk}-rejected.csv"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
