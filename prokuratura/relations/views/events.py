"""Meetings and visits: the list (filters, CSV), recording and correcting an event with its participants,
agreements signed and figures, the event's page (its steps, documents, follow-up tasks, recommendations and
history), and the follow-up tasks: the list, a task's page with its steps and history.

Every event is read through access_event (404 when the user may not see it; a restricted one's read is audited),
every task through access_task; the writes are relations.services', the steps the lifecycles' (take_step, with
the version the page was rendered with)."""

from __future__ import annotations

import csv
import mimetypes
import os
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.forms.utils import ErrorDict
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prokuratura.accounts.roles import Perm
from prokuratura.core.csv_export import CSV_BOM, CSV_DELIMITER, text_cell
from prokuratura.core.lifecycle import StepForm
from prokuratura.core.permissions import SignedInRequest, require
from prokuratura.core.views.records import (
    add_errors,
    history_rows,
    new_submission_key,
    paginate,
    query_without_page,
    step_actions,
    submission_key,
)
from prokuratura.core.views.records import take_step as take_lifecycle_step

from .. import selectors, services
from ..access import access_event, access_task, may_change_event, may_change_task
from ..forms import (
    FORMSETS,
    DocumentForm,
    EventFilterForm,
    EventForm,
    TaskFilterForm,
    TaskForm,
    event_formsets,
)
from ..models import CounterpartKind, Event, EventKind, EventStatus, FollowUpTask
from ..transitions import EVENTS, TASK_OPEN, TASKS

EXPORT_CHUNK = 500


# --- the list ----------------------------------------------------------------------------------------------------


@require(Perm.RELATIONS_VIEW)
def event_list(request: SignedInRequest) -> HttpResponse:
    form = EventFilterForm(request.GET or None, choices=selectors.event_choices())
    page = paginate(request, selectors.event_list(user=request.user, filters=form.filters()))
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "may_work": request.user.has_perm(Perm.RELATIONS_WORK),
    }
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "relations/events/list.html", context, status=status)


def _csv_row(event: Event) -> list[Any]:
    return [
        event.pk,
        event.start_date.isoformat(),
        event.end_date.isoformat(),
        event.get_kind_display(),
        event.get_status_display(),
        text_cell(event.title),
        text_cell(event.place),
        event.country.name if event.country else "",
        text_cell(event.principal.label) if event.principal else "",
        text_cell(event.host.label) if event.host else "",
        text_cell(event.holder_name),
        text_cell(event.report_symbol),
    ]


@require(Perm.RELATIONS_VIEW)
def event_export(request: SignedInRequest) -> HttpResponse:
    """The filtered list as CSV (every row the list would page through)."""
    form = EventFilterForm(request.GET or None, choices=selectors.event_choices())
    events = selectors.event_list(user=request.user, filters=form.filters())
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="events-{timezone.localdate():%Y-%m-%d}.csv"'
    response.write(CSV_BOM)
    writer = csv.writer(response, delimiter=CSV_DELIMITER)
    writer.writerow(
        [
            _("Number"),
            _("From"),
            _("To"),
            _("Kind"),
            _("Status"),
            _("Title"),
            _("Place"),
            _("Country"),
            _("Counterpart"),
            _("Host"),
            _("Mandate holder"),
            _("Report"),
        ]
    )
    for event in events.iterator(chunk_size=EXPORT_CHUNK):
        writer.writerow(_csv_row(event))
    return response


# --- recording and correcting ------------------------------------------------------------------------------------


def _service_errors(
    form: EventForm, list_errors: dict[str, list[str]], error: ValidationError | PermissionDenied
) -> None:
    """The service's messages next to the fields they name; the lists' messages above their tables."""
    if isinstance(error, PermissionDenied):
        form.add_error("sensitivity" if "sensitivity" in form.fields else None, str(error))
        return
    if hasattr(error, "error_dict"):
        rest = {}
        for name, errors in error.error_dict.items():
            if name in dict(FORMSETS):
                list_errors[name] = [m for e in errors for m in e.messages]
            else:
                rest[name] = errors
        if not rest:
            return
        error = ValidationError(rest)
    add_errors(form, error)


def _form_page(request: SignedInRequest, context: dict[str, Any], *, status: int = 200) -> HttpResponse:
    return render(request, "relations/events/form.html", context, status=status)


MORE_ROWS, MAX_ROWS = 5, 100  # rows one "Add more rows" adds; the most a list takes (the formsets' max_num)


def _as_int(value: Any) -> int:
    try:
        return max(int(value), 0)
    except (TypeError, ValueError):
        return 0


def _without_errors(form: EventForm, formsets: Any) -> None:
    """Show the bound input without the messages a half-filled form would raise (the officer is still typing)."""
    form._errors = ErrorDict()  # type: ignore[attr-defined]
    for formset in formsets:
        for row in formset.forms:
            row._errors = ErrorDict()
        formset._errors = []
        formset._non_form_errors = formset.error_class()


def _save_event(request: SignedInRequest, *, event: Event | None) -> tuple[dict[str, Any], Event | None]:
    """Validate the posted form and its lists and call the service; the page's context, and the event when saved."""
    user = request.user
    choices = selectors.event_choices(instruments=True)
    # "Add more rows" to one list: the page again with the typed input and more rows, nothing saved.
    more = request.POST.get("more_rows", "")
    data: QueryDict = request.POST.copy()
    if more in dict(FORMSETS):
        total = f"{more}-TOTAL_FORMS"
        data[total] = str(min(_as_int(data.get(total)) + MORE_ROWS, MAX_ROWS))
    form = EventForm(
        data,
        user=user,
        choices=choices,
        event=event,
        initial=EventForm.initial_from(event) if event else None,
    )
    formsets = event_formsets(data, choices=choices, event=event)
    list_errors: dict[str, list[str]] = {}
    context: dict[str, Any] = {"form": form, "formsets": formsets, "list_errors": list_errors, "event": event}
    if more in dict(FORMSETS):
        _without_errors(form, formsets.values())
        context["more_rows"] = more
        return context, None
    if not (form.is_valid() and all(f.is_valid() for f in formsets.values())):
        return context, None
    lists = {name: formset.items() for name, formset in formsets.items()}
    try:
        if event is None:
            saved = services.event_record(
                by=user,
                data=form.data_for_service(),
                submission_key=submission_key(request, form),
                request=request,
                **lists,
            )
        else:
            saved = services.event_update(
                by=user, event=event, data=form.data_for_service(), request=request, **lists
            )
    except (ValidationError, PermissionDenied) as error:
        _service_errors(form, list_errors, error)
        return context, None
    return context, saved


def _initial_from_query(request: SignedInRequest, choices: Any) -> dict[str, Any]:
    """`?principal=<counterpart id>&kind=<kind>` (the counterparts' page links here): a mandate's visit is an
    incoming visit unless the link says otherwise."""
    initial: dict[str, Any] = {}
    principal = next((c for c in choices.counterparts if str(c.pk) == request.GET.get("principal")), None)
    if principal is not None:
        initial["principal"] = principal.pk
        if principal.kind == CounterpartKind.MANDATE:
            initial["kind"] = EventKind.INCOMING_VISIT
    if request.GET.get("kind") in EventKind.values:
        initial["kind"] = request.GET["kind"]
    return initial


@require(Perm.RELATIONS_WORK)
def event_create(request: SignedInRequest) -> HttpResponse:
    if request.method == "POST":
        context, event = _save_event(request, event=None)
        if event is not None:
            messages.success(request, _("The event is recorded."))
            return redirect("relations:event_detail", pk=event.pk)
        return _form_page(request, context, status=200 if context.get("more_rows") else 400)
    choices = selectors.event_choices(instruments=True)
    initial = {"submission_key": new_submission_key(), **_initial_from_query(request, choices)}
    context = {
        "form": EventForm(user=request.user, choices=choices, initial=initial),
        "formsets": event_formsets(choices=choices),
        "list_errors": {},
    }
    return _form_page(request, context)


@require(Perm.RELATIONS_WORK)
def event_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    event = access_event(user=request.user, event_id=pk, for_write=True, request=request)
    if request.method == "POST":
        context, saved = _save_event(request, event=event)
        if saved is not None:
            messages.success(request, _("The event's record is saved."))
            return redirect("relations:event_detail", pk=event.pk)
        return _form_page(request, context, status=200 if context.get("more_rows") else 400)
    choices = selectors.event_choices(instruments=True)
    context = {
        "event": event,
        "form": EventForm(
            user=request.user, choices=choices, event=event, initial=EventForm.initial_from(event)
        ),
        "formsets": event_formsets(choices=choices, event=event),
        "list_errors": {},
    }
    return _form_page(request, context)


# --- the event's page --------------------------------------------------------------------------------------------


def _detail(
    request: SignedInRequest,
    event: Event,
    *,
    bound: dict[str, StepForm] | None = None,
    task_form: TaskForm | None = None,
    document_form: DocumentForm | None = None,
    failed_action: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    may_change = may_change_event(user=user, event=event)
    takes_tasks = may_change and event.status != EventStatus.CANCELLED
    if takes_tasks and task_form is None:
        task_form = TaskForm(owners=selectors.task_owner_choices(event=event), initial={"owner": user.pk})
    if may_change and document_form is None:
        document_form = DocumentForm()
    page = selectors.event_page(user=user, event=event)
    context = {
        "event": event,
        "page": page,
        "actions": step_actions(EVENTS, actor=user, record=event, bound=bound),
        "history": history_rows(EVENTS, page.history),
        "may_change": may_change,
        "may_add_recommendation": user.has_perm(Perm.RELATIONS_WORK) and may_change,
        "task_form": task_form if takes_tasks else None,
        "document_form": document_form if may_change else None,
        "failed_action": failed_action,
        "files_lost": failed_action == "document",
    }
    return render(request, "relations/events/detail.html", context, status=status)


@require(Perm.RELATIONS_VIEW)
def event_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _detail(request, access_event(user=request.user, event_id=pk, request=request))


@require(Perm.RELATIONS_VIEW)
@require_POST
def event_step(request: SignedInRequest, pk: int, step: str) -> HttpResponse:
    event = access_event(user=request.user, event_id=pk, request=request)
    form, done = take_lifecycle_step(request, EVENTS, event, step)
    if done is not None:
        messages.success(request, done)
        return redirect("relations:event_detail", pk=event.pk)
    event = access_event(user=request.user, event_id=pk)
    return _detail(request, event, bound={step: form}, failed_action=step, status=400)


@require(Perm.RELATIONS_WORK)
@require_POST
def event_task_add(request: SignedInRequest, pk: int) -> HttpResponse:
    event = access_event(user=request.user, event_id=pk, for_write=True, request=request)
    form = TaskForm(request.POST, owners=selectors.task_owner_choices(event=event))
    if form.is_valid():
        d = form.cleaned_data
        try:
            services.task_add(
                by=request.user,
                event=event,
                title=d["title"],
                owner=d["owner"],
                due_date=d["due_date"],
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The follow-up task is added."))
            return redirect("relations:event_detail", pk=event.pk)
    return _detail(request, event, task_form=form, failed_action="task", status=400)


@require(Perm.RELATIONS_WORK)
@require_POST
def event_document_add(request: SignedInRequest, pk: int) -> HttpResponse:
    event = access_event(user=request.user, event_id=pk, for_write=True, request=request)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.event_document_add(
                by=request.user,
                event=event,
                title=form.cleaned_data["title"],
                upload=form.cleaned_data["file"],
                request=request,
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("The document is attached."))
            return redirect("relations:event_detail", pk=event.pk)
    return _detail(request, event, document_form=form, failed_action="document", status=400)


@require(Perm.RELATIONS_VIEW)
def event_document_file(request: SignedInRequest, pk: int, document_id: int) -> HttpResponse:
    """A document, only to who may see the event (access_event first)."""
    event = access_event(user=request.user, event_id=pk, request=request)
    document = selectors.event_document_get(event=event, document_id=document_id)
    if document is None or not document.file:
        raise Http404
    name = os.path.basename(document.file.name or "") or "document"
    response = FileResponse(document.file.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # a FileResponse streams; Django treats it as a response


@require(Perm.RELATIONS_WORK)
@require_POST
def event_document_remove(request: SignedInRequest, pk: int, document_id: int) -> HttpResponse:
    event = access_event(user=request.user, event_id=pk, for_write=True, request=request)
    document = selectors.event_document_get(event=event, document_id=document_id)
    if document is None:
        raise Http404
    services.event_document_remove(by=request.user, document=document, request=request)
    messages.success(request, _("The document is removed."))
    return redirect("relations:event_detail", pk=event.pk)


# --- follow-up tasks ---------------------------------------------------------------------------------------------


@require(Perm.RELATIONS_VIEW)
def task_list(request: SignedInRequest) -> HttpResponse:
    form = TaskFilterForm(request.GET or None)
    page = paginate(request, selectors.task_list(user=request.user, filters=form.filters()))
    today = timezone.localdate()
    for task in page.object_list:
        task.is_overdue = task.status in TASK_OPEN and task.due_date < today  # type: ignore[attr-defined]
    context = {"form": form, "page": page, "query": query_without_page(request)}
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "relations/events/task_list.html", context, status=status)


def _task_page(
    request: SignedInRequest,
    task: FollowUpTask,
    *,
    bound: dict[str, StepForm] | None = None,
    failed_action: str = "",
    status: int = 200,
) -> HttpResponse:
    user = request.user
    context = {
        "task": task,
        "is_overdue": task.status in TASK_OPEN and task.due_date < timezone.localdate(),
        "actions": step_actions(TASKS, actor=user, record=task, bound=bound),
        "history": history_rows(TASKS, selectors.task_history(task=task)),
        "may_change": may_change_task(user=user, task=task),
        "failed_action": failed_action,
    }
    return render(request, "relations/events/task_detail.html", context, status=status)


@require(Perm.RELATIONS_VIEW)
def task_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    return _task_page(request, access_task(user=request.user, task_id=pk, request=request))


@require(Perm.RELATIONS_VIEW)
@require_POST
def task_step(request: SignedInRequest, pk: int, step: str) -> HttpResponse:
    task = access_task(user=request.user, task_id=pk, request=request)
    form, done = take_lifecycle_step(request, TASKS, task, step)
    if done is not None:
        messages.success(request, done)
        return redirect("relations:task_detail", pk=task.pk)
    task = access_task(user=request.user, task_id=pk)
    return _task_page(request, task, bound={step: form}, failed_action=step, status=400)


urlpatterns: list[URLPattern] = [
    path("events/", event_list, name="event_list"),
    path("events/export.csv", event_export, name="event_export"),
    path("events/new/", event_create, name="event_create"),
    path("events/<int:pk>/", event_detail, name="event_detail"),
    path("events/<int:pk>/edit/", event_edit, name="event_edit"),
    path("events/<int:pk>/do/<slug:step>/", event_step, name="event_step"),
    path("events/<int:pk>/tasks/new/", event_task_add, name="event_task_add"),
    path("events/<int:pk>/documents/new/", event_document_add, name="event_document_add"),
    path("events/<int:pk>/documents/<int:document_id>/", event_document_file, name="event_document_file"),
    path(
        "events/<int:pk>/documents/<int:document_id>/remove/",
        event_document_remove,
        name="event_document_remove",
    ),
    path("tasks/", task_list, name="task_list"),
    path("tasks/<int:pk>/", task_detail, name="task_detail"),
    path("tasks/<int:pk>/do/<slug:step>/", task_step, name="task_step"),
]
