"""The requests register's pages: the list, recording a request (outgoing or incoming, the legal basis chosen from
the resolver's answer), its page (the completeness check, facts, persons, correspondence, translations, the
refusal-grounds checklist, history and the lifecycle's steps), correcting it, and the forms its page posts.

Every request is read through access_request (404 when the user may not see it), the persons through
access_request_persons; the writes are request_services', the steps REQUESTS.perform's (via take_step, with the
version the page was rendered with)."""

from __future__ import annotations

import mimetypes
import os
from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prokuratura.accounts.roles import Perm
from prokuratura.core.htmx import partial_requested
from prokuratura.core.lifecycle import Step, StepForm
from prokuratura.core.permissions import SignedInRequest, require
from prokuratura.core.views.records import (
    add_errors,
    history_rows,
    new_submission_key,
    paginate,
    query_without_page,
    step_actions,
    submission_key,
    take_step,
)

from .. import request_selectors, request_services
from ..completeness import LANGUAGE_NAMES, Item
from ..forms_requests import (
    REQUEST_ERROR_FIELDS,
    GroundsForm,
    LetterForm,
    PersonForm,
    RequestFilterForm,
    RequestForm,
    TranslationOrderForm,
    TranslationStatusForm,
)
from ..models_requests import AssistanceRequest, Direction, GroundFinding, RequestStatus
from ..request_access import access_request, access_request_persons
from ..request_letters import letters_available
from ..request_page_selectors import request_choices, request_letter_get, request_translation_get
from ..request_transitions import AWAITING, INCOMING_EDITABLE, OUTGOING_EDITABLE, REQUESTS

S = RequestStatus
BASIS_TARGET = "basis-choices"
RESULTS_TARGET = "request-results"
# The checklist may be weighed until the decision is taken (request_services.request_grounds_assess).
GROUNDS_OPEN = frozenset({S.RECEIVED, S.REGISTERED, S.RETURNED, S.CHECKED, S.ASSIGNED})
MULTIPLE = ("measures", "assurances")


def _editable(record: AssistanceRequest) -> bool:
    allowed = OUTGOING_EDITABLE if record.direction == Direction.OUTGOING else INCOMING_EDITABLE
    return record.status in allowed


def _overdue(record: AssistanceRequest, today: Any) -> bool:
    return bool(record.due_date and record.status in AWAITING and record.due_date < today)


# --- the list ----------------------------------------------------------------------------------------------------


@require(Perm.COOP_REQUESTS_VIEW)
def request_list(request: SignedInRequest) -> HttpResponse:
    user = request.user
    form = RequestFilterForm(request.GET or None, user=user, choices=request_choices())
    page = paginate(request, request_selectors.request_list(user=user, filters=form.filters()))
    today = timezone.localdate()
    for row in page.object_list:
        row.is_overdue = _overdue(row, today)  # type: ignore[attr-defined]
    context = {
        "form": form,
        "page": page,
        "query": query_without_page(request),
        "may_work": user.has_perm(Perm.COOP_REQUESTS_WORK),
    }
    if partial_requested(request, RESULTS_TARGET):
        return render(request, "cooperation/request_results.html", context)
    status = 400 if form.is_bound and not form.is_valid() else 200
    return render(request, "cooperation/request_list.html", context, status=status)


# --- recording and correcting --------------------------------------------------------------------------------------


def _posted_as_initial(post: QueryDict) -> dict[str, Any]:
    """What the officer entered so far, as the form's starting values (asking for the legal bases again must not
    show errors on fields not yet filled in)."""
    return {
        name: post.getlist(name) if name in MULTIPLE else post.get(name)
        for name in post
        if name not in ("csrfmiddlewaretoken", "refresh")
    }


def _form_page(
    request: SignedInRequest, form: RequestForm, context: dict[str, Any], status: int = 200
) -> HttpResponse:
    context = {**context, "form": form}
    if partial_requested(request, BASIS_TARGET):
        return render(request, "cooperation/request_basis.html", context)
    return render(request, "cooperation/request_form.html", context, status=status)


@require(Perm.COOP_REQUESTS_WORK)
def request_create(request: SignedInRequest) -> HttpResponse:
    """Record a request: `?direction=outgoing` (a draft) or `?direction=incoming` (received)."""
    user = request.user
    direction = request.GET.get("direction", Direction.OUTGOING)
    if direction not in Direction.values:
        raise Http404
    today = timezone.localdate()
    kwargs: dict[str, Any] = {
        "user": user,
        "direction": direction,
        "choices": request_choices(),
        "today": today,
    }
    context: dict[str, Any] = {"direction": direction, "incoming": direction == Direction.INCOMING}
    if request.method == "POST":
        if request.POST.get("refresh"):
            form = RequestForm(initial=_posted_as_initial(request.POST), **kwargs)
            return _form_page(request, form, context)
        form = RequestForm(request.POST, **kwargs)
        if form.is_valid():
            d = form.cleaned_data
            try:
                record = request_services.request_create(
                    by=user,
                    direction=direction,
                    office=d["office"],
                    data=form.data_for_service(),
                    received_on=d.get("received_on"),
                    sensitivity=d.get("sensitivity") or None,
                    submission_key=submission_key(request, form),
                    request=request,
                )
            except ValidationError as exc:
                add_errors(form, exc, REQUEST_ERROR_FIELDS)
            else:
                messages.success(request, _("Request %(number)s recorded.") % {"number": record.number})
                return redirect("cooperation:request_detail", pk=record.pk)
        return _form_page(request, form, context, status=400)
    initial: dict[str, Any] = {"submission_key": new_submission_key(), "office": user.office}
    if direction == Direction.INCOMING:
        initial["received_on"] = today
    if request.GET.get("partner"):
        initial["partner"] = request.GET["partner"].upper()
    return _form_page(request, RequestForm(initial=initial, **kwargs), context)


@require(Perm.COOP_REQUESTS_WORK)
def request_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    user = request.user
    record = access_request(user=user, request_id=pk, for_write=True, request=request)
    if not _editable(record):
        messages.error(
            request,
            _("A request cannot be corrected while the status is “%(status)s”.")
            % {"status": record.get_status_display()},
        )
        return redirect("cooperation:request_detail", pk=record.pk)
    kwargs: dict[str, Any] = {
        "user": user,
        "direction": record.direction,
        "choices": request_choices(),
        "today": timezone.localdate(),
        "record": record,
    }
    context: dict[str, Any] = {
        "record": record,
        "direction": record.direction,
        "incoming": record.direction == Direction.INCOMING,
    }
    if request.method == "POST":
        if request.POST.get("refresh"):
            return _form_page(
                request, RequestForm(initial=_posted_as_initial(request.POST), **kwargs), context
            )
        form = RequestForm(request.POST, **kwargs)
        if form.is_valid():
            try:
                request_services.request_update(
                    by=user,
                    assistance_request=record,
                    data=form.data_for_service(),
                    sensitivity=form.cleaned_data.get("sensitivity") or None,
                    request=request,
                )
            except ValidationError as exc:
                add_errors(form, exc, REQUEST_ERROR_FIELDS)
            else:
                messages.success(request, _("The request's details are saved."))
                return redirect("cooperation:request_detail", pk=record.pk)
        return _form_page(request, form, context, status=400)
    return _form_page(request, RequestForm(initial=RequestForm.initial_from(record), **kwargs), context)


# --- the request's page --------------------------------------------------------------------------------------------


def _blocked_steps(user: Any, record: AssistanceRequest, offered: list[Step]) -> list[tuple[Step, str]]:
    """The steps the user could take now but for the step's condition (e.g. the completeness check), with the
    kernel's reason: the page says why "Mark as checked" is not offered."""
    blocked = []
    for step in REQUESTS.steps:
        if step in offered or record.status not in step.sources:
            continue
        try:
            REQUESTS.check(actor=user, record=record, step=step)
        except ValidationError as exc:
            if exc.code == "not_now":
                blocked.append((step, " ".join(exc.messages)))
        except PermissionDenied:
            continue
    return blocked


def _masked(items: list[Item], persons_visible: bool) -> list[str]:
    """The completeness messages; those naming a person concerned only for who may see the personal data."""
    if persons_visible:
        return [i.message for i in items]
    hidden = _("A person concerned: an item is missing (personal data restricted).")
    return [hidden if i.code.startswith("person") else i.message for i in items]


def _detail_context(
    request: SignedInRequest,
    record: AssistanceRequest,
    *,
    bound: dict[str, StepForm] | None = None,
    failed_action: str = "",
    letter_form: LetterForm | None = None,
    translation_form: TranslationOrderForm | None = None,
    status_form: TranslationStatusForm | None = None,
    grounds_form: GroundsForm | None = None,
) -> dict[str, Any]:
    user = request.user
    detail = request_selectors.request_detail(user=user, assistance_request=record, request=request)
    may_change = detail.may_change
    editable = may_change and _editable(record)
    status_forms = []
    for task in detail.translations:
        task_form = status_form if status_form is not None and status_form.task.pk == task.pk else None
        task_form = task_form or TranslationStatusForm(task=task)
        failed_here = failed_action == f"translation-{task.pk}"
        status_forms.append((task, task_form if may_change and task_form.open else None, failed_here))
    weighs = may_change and record.direction == Direction.INCOMING and record.status in GROUNDS_OPEN
    if weighs and grounds_form is None:
        grounds_form = GroundsForm(rows=detail.grounds)
    if may_change and letter_form is None:
        letter_form = LetterForm(
            initial={"submission_key": new_submission_key(), "dated": timezone.localdate()},
            auto_id="letter-%s",
        )
    if may_change and translation_form is None:
        translation_form = TranslationOrderForm(auto_id="translation-%s")
    persons_visible = detail.persons is not None
    return {
        "record": record,
        "detail": detail,
        "missing": _masked(detail.completeness.missing, persons_visible),
        "warnings": _masked(detail.completeness.warnings, persons_visible),
        "required_languages": [_(LANGUAGE_NAMES.get(c, c)) for c in record.translations_required],
        "actions": step_actions(REQUESTS, actor=user, record=record, bound=bound),
        "blocked": _blocked_steps(user, record, detail.steps),
        "history": history_rows(REQUESTS, detail.history),
        "may_edit": editable,
        "persons_editable": editable and persons_visible,
        "letter_form": letter_form if may_change else None,
        "translation_form": translation_form if may_change else None,
        "translations": status_forms,
        "grounds_form": grounds_form if weighs else None,
        "grounds": [
            (g, GroundFinding(g.finding).label)
            for g in detail.grounds
            if g.finding != GroundFinding.UNASSESSED or g.suggestion
        ],
        "failed_action": failed_action,
        "language_names": {c: _(n) for c, n in LANGUAGE_NAMES.items()},
        "letters_available": letters_available(record),
    }


@require(Perm.COOP_REQUESTS_VIEW)
def request_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    record = access_request(user=request.user, request_id=pk, request=request)
    return render(request, "cooperation/request_detail.html", _detail_context(request, record))


def _detail_again(request: SignedInRequest, pk: int, **kwargs: Any) -> HttpResponse:
    """The request's page re-read (the failed write changed nothing) with the posted form and its errors."""
    record = access_request(user=request.user, request_id=pk)
    return render(
        request, "cooperation/request_detail.html", _detail_context(request, record, **kwargs), status=400
    )


@require(Perm.COOP_REQUESTS_VIEW)
@require_POST
def request_step(request: SignedInRequest, pk: int, name: str) -> HttpResponse:
    record = access_request(user=request.user, request_id=pk, request=request)
    form, done = take_step(request, REQUESTS, record, name)
    if done is not None:
        messages.success(request, done)
        return redirect("cooperation:request_detail", pk=record.pk)
    return _detail_again(request, pk, bound={name: form}, failed_action=name)


# --- persons concerned ---------------------------------------------------------------------------------------------


def _person_page(request: SignedInRequest, context: dict[str, Any], status: int = 200) -> HttpResponse:
    return render(request, "cooperation/request_person_form.html", context, status=status)


@require(Perm.COOP_REQUESTS_WORK)
def request_person_add(request: SignedInRequest, pk: int) -> HttpResponse:
    record = access_request(user=request.user, request_id=pk, for_write=True, request=request)
    choices = request_choices()
    if request.method == "POST":
        form = PersonForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                request_services.request_person_add(
                    by=request.user, assistance_request=record, data=form.data_for_service(), request=request
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The person is added."))
                return redirect("cooperation:request_detail", pk=record.pk)
        return _person_page(request, {"record": record, "form": form}, status=400)
    return _person_page(request, {"record": record, "form": PersonForm(choices=choices)})


def _person(request: SignedInRequest, record: AssistanceRequest, person_id: int) -> Any:
    persons = access_request_persons(user=request.user, assistance_request=record, request=request)
    found = next((p for p in persons or [] if p.pk == person_id), None)
    if found is None:
        raise Http404
    return found


@require(Perm.COOP_REQUESTS_WORK)
def request_person_edit(request: SignedInRequest, pk: int, person_id: int) -> HttpResponse:
    record = access_request(user=request.user, request_id=pk, for_write=True, request=request)
    person = _person(request, record, person_id)
    choices = request_choices()
    context: dict[str, Any] = {"record": record, "person": person}
    if request.method == "POST":
        form = PersonForm(request.POST, choices=choices)
        if form.is_valid():
            try:
                request_services.request_person_update(
                    by=request.user,
                    assistance_request=record,
                    person=person,
                    data=form.data_for_service(),
                    request=request,
                )
            except ValidationError as exc:
                add_errors(form, exc)
            else:
                messages.success(request, _("The person's details are saved."))
                return redirect("cooperation:request_detail", pk=record.pk)
        return _person_page(request, {**context, "form": form}, status=400)
    form = PersonForm(initial=PersonForm.initial_from(person), choices=choices)
    return _person_page(request, {**context, "form": form})


@require(Perm.COOP_REQUESTS_WORK)
@require_POST
def request_person_remove(request: SignedInRequest, pk: int, person_id: int) -> HttpResponse:
    record = access_request(user=request.user, request_id=pk, for_write=True, request=request)
    person = _person(request, record, person_id)
    try:
        request_services.request_person_remove(
            by=request.user, assistance_request=record, person=person, request=request
        )
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(request, _("The person is removed from the request."))
    return redirect("cooperation:request_detail", pk=record.pk)


# --- correspondence and translations -------------------------------------------------------------------------------


@require(Perm.COOP_REQUESTS_WORK)
@require_POST
def request_letter_add(request: SignedInRequest, pk: int) -> HttpResponse:
    record = access_request(user=request.user, request_id=pk, for_write=True, request=request)
    form = LetterForm(request.POST, request.FILES, auto_id="letter-%s")
    if form.is_valid():
        d = form.cleaned_data
        try:
            request_services.request_letter_add(
                by=request.user,
                assistance_request=record,
                direction=d["direction"],
                dated=d["dated"],
                counterpart=d["counterpart"],
                summary=d["summary"],
                reference=d.get("reference") or "",
                attachment=d.get("attachment"),
                submission_key=submission_key(request, form),
                request=request,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The letter is logged."))
            return redirect("cooperation:request_detail", pk=record.pk)
    return _detail_again(request, pk, letter_form=form, failed_action="letter")


@require(Perm.COOP_REQUESTS_VIEW)
def request_letter_file(request: SignedInRequest, pk: int, letter_id: int) -> HttpResponse:
    """A letter's attachment, only to who may see the request (access_request first)."""
    record = access_request(user=request.user, request_id=pk, request=request)
    letter = request_letter_get(assistance_request=record, letter_id=letter_id)
    if letter is None or not letter.attachment:
        raise Http404
    name = os.path.basename(letter.attachment.name or "") or "attachment"
    response = FileResponse(letter.attachment.open("rb"), as_attachment=True, filename=name)
    response["Content-Type"] = mimetypes.guess_type(name)[0] or "application/octet-stream"
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # a FileResponse streams; Django treats it as a response


@require(Perm.COOP_REQUESTS_WORK)
@require_POST
def request_translation_order(request: SignedInRequest, pk: int) -> HttpResponse:
    record = access_request(user=request.user, request_id=pk, for_write=True, request=request)
    form = TranslationOrderForm(request.POST, auto_id="translation-%s")
    if form.is_valid():
        d = form.cleaned_data
        try:
            request_services.translation_order(
                by=request.user,
                assistance_request=record,
                language=d["language"],
                document=d["document"],
                due_date=d.get("due_date"),
                translator=d.get("translator") or "",
                request=request,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The translation is ordered."))
            return redirect("cooperation:request_detail", pk=record.pk)
    return _detail_again(request, pk, translation_form=form, failed_action="translation")


@require(Perm.COOP_REQUESTS_WORK)
@require_POST
def request_translation_status(request: SignedInRequest, pk: int, task_id: int) -> HttpResponse:
    record = access_request(user=request.user, request_id=pk, for_write=True, request=request)
    task = request_translation_get(assistance_request=record, task_id=task_id)
    if task is None:
        raise Http404
    form = TranslationStatusForm(request.POST, task=task)
    if form.is_valid():
        try:
            request_services.translation_set_status(
                by=request.user,
                assistance_request=record,
                task=task,
                status=form.cleaned_data["status"],
                done_on=form.cleaned_data.get("done_on"),
                request=request,
            )
        except ValidationError as exc:
            add_errors(form, exc)
        else:
            messages.success(request, _("The translation's status is saved."))
            return redirect("cooperation:request_detail", pk=record.pk)
    return _detail_again(request, pk, status_form=form, failed_action=f"translation-{task.pk}")


# --- the refusal-grounds checklist ---------------------------------------------------------------------------------


@require(Perm.COOP_REQUESTS_WORK)
@require_POST
def request_grounds(request: SignedInRequest, pk: int) -> HttpResponse:
    user = request.user
    record = access_request(user=user, request_id=pk, for_write=True, request=request)
    persons = access_request_persons(user=user, assistance_request=record) or []
    rows = request_selectors.request_grounds(assistance_request=record, persons=persons)
    form = GroundsForm(request.POST, rows=rows)
    if form.is_valid():
        try:
            request_services.request_grounds_assess(
                by=user, assistance_request=record, findings=form.findings(), request=request
            )
        except ValidationError as exc:
            add_errors(form, exc, form.error_fields())
        else:
            messages.success(request, _("The refusal-grounds checklist is saved."))
            return redirect("cooperation:request_detail", pk=record.pk)
    return _detail_again(request, pk, grounds_form=form, failed_action="grounds")


urlpatterns: list[URLPattern] = [
    path("requests/", request_list, name="request_list"),
    path("requests/new/", request_create, name="request_create"),
    path("requests/<int:pk>/", request_detail, name="request_detail"),
    path("requests/<int:pk>/edit/", request_edit, name="request_edit"),
    path("requests/<int:pk>/step/<slug:name>/", request_step, name="request_step"),
    path("requests/<int:pk>/persons/new/", request_person_add, name="request_person_add"),
    path("requests/<int:pk>/persons/<int:person_id>/edit/", request_person_edit, name="request_person_edit"),
    path(
        "requests/<int:pk>/persons/<int:person_id>/remove/",
        request_person_remove,
        name="request_person_remove",
    ),
    path("requests/<int:pk>/letters/new/", request_letter_add, name="request_letter_add"),
    path("requests/<int:pk>/letters/<int:letter_id>/file/", request_letter_file, name="request_letter_file"),
    path("requests/<int:pk>/translations/new/", request_translation_order, name="request_translation_order"),
    path(
        "requests/<int:pk>/translations/<int:task_id>/status/",
        request_translation_status,
        name="request_translation_status",
    ),
    path("requests/<int:pk>/grounds/", request_grounds, name="request_grounds"),
]
