"""The staff's appeal screens: register, list and search, one appeal with the steps the user may take, letters."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prokuratura.accounts.roles import Perm
from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.models import Department
from prokuratura.core.permissions import require

from .. import selectors, services
from ..access import access_appeal, is_head_over, may_work_on
from ..forms import (
    AnswerForm,
    AppealFilterForm,
    AssignForm,
    AttachmentForm,
    ExtendForm,
    ForwardForm,
    NoteForm,
    OptionalReasonForm,
    ReasonForm,
    RouteForm,
    StaffRegistrationForm,
)
from ..models import Appeal, Channel, LetterTemplate, Status
from ..services.letters import letter_available

PAGE_SIZE = 50


@require(Perm.APPEALS_VIEW)
def appeal_list(request: HttpRequest) -> HttpResponse:
    params = request.GET.copy()
    page_number = params.pop("page", ["1"])[-1]
    form = AppealFilterForm(params or None)
    valid = form.is_valid() if form.is_bound else True
    filters = {k: v for k, v in form.cleaned_data.items() if v} if form.is_bound and valid else {}
    page = selectors.appeal_list_page(
        user=request.user, filters=filters, page_number=page_number, per_page=PAGE_SIZE
    )
    context = {"form": form, "page": page, "query": params.urlencode()}
    template = (
        "appeals/appeal_results.html" if getattr(request, "htmx", False) else "appeals/appeal_list.html"
    )
    return render(request, template, context, status=200 if valid else 400)


@require(Perm.APPEALS_REGISTER)
def appeal_register(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if request.method == "POST":
        form = StaffRegistrationForm(request.POST, request.FILES)
        if form.is_valid():
            data = form.appeal_data()
            try:
                result = services.appeal_register(
                    by=request.user,
                    channel=Channel.STAFF,
                    data=data,
                    uploads=form.cleaned_data["attachments"],
                    submission_key=form.cleaned_data.get("submission_key") or None,
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if result.created:
                    messages.success(
                        request,
                        _("Appeal %(number)s registered; due by %(due)s.")
                        % {
                            "number": result.appeal.reg_number,
                            "due": result.appeal.due_date.strftime("%d.%m.%Y"),
                        },
                    )
                return redirect("appeals:detail", pk=result.appeal.pk)
        status = 400
    else:
        form = StaffRegistrationForm(
            initial={
                "submission_key": uuid.uuid4().hex,
                "applicant_language": (request.LANGUAGE_CODE or "ru")[:2],
                "received_via": "phone",
                "region": user.office.region_id if user.office_id else None,
            }
        )
        status = 200
    return render(request, "appeals/appeal_register.html", {"form": form}, status=status)


def _action_forms(request: HttpRequest, appeal: Appeal) -> dict[str, Any]:
    """The forms of the steps the table and the user's role allow now (the page offers nothing else)."""
    user: Any = request.user
    offered: dict[str, Any] = {}
    may = lambda target: services.appeal_may_take(user=user, appeal=appeal, target=target)  # noqa: E731
    if may(Status.ASSIGNED):
        offered["assign"] = AssignForm(
            assignees=selectors.assignable_users(appeal=appeal),
            departments=Department.objects.filter(
                office__path__startswith=appeal.office.path, is_active=True
            ),
            initial={"assignee": appeal.assignee_id},
        )
    may_route = user.has_perm(Perm.APPEALS_REGISTER) or user.has_perm(Perm.APPEALS_ASSIGN)
    in_subtree = bool(user.office_id) and appeal.office.path.startswith(user.office.path)
    if appeal.status in (Status.REGISTERED, Status.ASSIGNED) and may_route and in_subtree:
        route_form = RouteForm(initial={"office": appeal.office_id})
        office_field: Any = route_form.fields["office"]
        office_field.queryset = office_field.queryset.filter(path__startswith=user.office.path)
        offered["route"] = route_form
    if may(Status.IN_REVIEW):
        offered["start"] = OptionalReasonForm()
    if may(Status.EXTENDED):
        offered["extend"] = ExtendForm(
            initial={"until": appeal.extension_requested_until, "reason": appeal.extension_request_reason}
        )
    elif (
        may_work_on(user=user, appeal=appeal)
        and appeal.status in (Status.IN_REVIEW, Status.EXTENDED)
        and not is_head_over(user=user, appeal=appeal)
    ):
        offered["request_extension"] = ExtendForm()
    if may(Status.ANSWERED):
        offered["answer"] = AnswerForm()
    if may(Status.FORWARDED):
        offered["forward"] = ForwardForm()
    if may(Status.LEFT_WITHOUT_CONSIDERATION):
        offered["leave"] = ReasonForm()
    if may(Status.CLOSED):
        offered["close"] = OptionalReasonForm()
    if may(Status.REOPENED):
        offered["reopen"] = ReasonForm()
    if may_work_on(user=user, appeal=appeal) or is_head_over(user=user, appeal=appeal):
        offered["note"] = NoteForm()
        offered["attach"] = AttachmentForm()
    return offered


def _detail_context(
    request: HttpRequest, appeal: Appeal, forms_override: dict[str, Any] | None = None
) -> dict:
    offered = _action_forms(request, appeal)
    offered.update(forms_override or {})
    letters = [
        (kind, label)
        for kind, label in LetterTemplate.Kind.choices
        if letter_available(appeal=appeal, kind=kind)
    ]
    return {
        "appeal": appeal,
        "actions": offered,
        "transitions": appeal.transitions.select_related("by"),
        "notes": appeal.notes.select_related("author"),
        "attachments": appeal.attachments.all(),
        "letters": letters,
        "extension_limit": services.extension_limit(appeal),
    }


@require(Perm.APPEALS_VIEW)
def appeal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    appeal = access_appeal(user=request.user, appeal_id=pk, request=request)
    return render(request, "appeals/appeal_detail.html", _detail_context(request, appeal))


def _do_assign(request: HttpRequest, appeal: Appeal, form: forms.Form) -> Appeal:
    return services.appeal_assign(
        by=request.user,
        appeal=appeal,
        assignee=form.cleaned_data["assignee"],
        department=form.cleaned_data.get("department"),
        reason=form.cleaned_data.get("reason", ""),
        request=request,
    )


def _do_route(request: HttpRequest, appeal: Appeal, form: forms.Form) -> Appeal:
    return services.appeal_route(
        by=request.user, appeal=appeal, office=form.cleaned_data["office"], reason=form.cleaned_data["reason"]
    )


def _do_extend(request: HttpRequest, appeal: Appeal, form: forms.Form) -> Appeal:
    return services.appeal_extend(
        by=request.user,
        appeal=appeal,
        until=form.cleaned_data["until"],
        reason=form.cleaned_data["reason"],
        request=request,
    )


def _do_request_extension(request: HttpRequest, appeal: Appeal, form: forms.Form) -> Appeal:
    return services.appeal_request_extension(
        by=request.user,
        appeal=appeal,
        until=form.cleaned_data["until"],
        reason=form.cleaned_data["reason"],
        request=request,
    )


def _do_answer(request: HttpRequest, appeal: Appeal, form: forms.Form) -> Appeal:
    return services.appeal_answer(by=request.user, appeal=appeal, request=request, **form.cleaned_data)


def _do_forward(request: HttpRequest, appeal: Appeal, form: forms.Form) -> Appeal:
    return services.appeal_forward(by=request.user, appeal=appeal, request=request, **form.cleaned_data)


def _do_note(request: HttpRequest, appeal: Appeal, form: forms.Form) -> Any:
    return services.appeal_note_add(by=request.user, appeal=appeal, text=form.cleaned_data["text"])


def _do_attach(request: HttpRequest, appeal: Appeal, form: forms.Form) -> Any:
    return services.appeal_attachments_add(
        by=request.user, appeal=appeal, uploads=form.cleaned_data["attachments"]
    )


ACTIONS: dict[str, tuple[type[forms.Form], Callable[[HttpRequest, Appeal, Any], Any], Any]] = {
    "assign": (AssignForm, _do_assign, gettext_lazy("Appeal assigned.")),
    "route": (RouteForm, _do_route, gettext_lazy("Appeal sent to another office.")),
    "start": (
        OptionalReasonForm,
        lambda r, a, f: services.appeal_start_review(by=r.user, appeal=a, request=r),
        gettext_lazy("Review started."),
    ),
    "extend": (ExtendForm, _do_extend, gettext_lazy("Term extended; the applicant will be told.")),
    "request_extension": (
        ExtendForm,
        _do_request_extension,
        gettext_lazy("Extension requested from the head."),
    ),
    "answer": (AnswerForm, _do_answer, gettext_lazy("Answer recorded.")),
    "forward": (ForwardForm, _do_forward, gettext_lazy("Appeal forwarded to the competent body.")),
    "leave": (
        ReasonForm,
        lambda r, a, f: services.appeal_leave_without_consideration(
            by=r.user, appeal=a, reason=f.cleaned_data["reason"], request=r
        ),
        gettext_lazy("Appeal left without consideration."),
    ),
    "close": (
        OptionalReasonForm,
        lambda r, a, f: services.appeal_close(
            by=r.user, appeal=a, reason=f.cleaned_data["reason"], request=r
        ),
        gettext_lazy("Appeal closed."),
    ),
    "reopen": (
        ReasonForm,
        lambda r, a, f: services.appeal_reopen(
            by=r.user, appeal=a, reason=f.cleaned_data["reason"], request=r
        ),
        gettext_lazy("Appeal reopened."),
    ),
    "note": (NoteForm, _do_note, gettext_lazy("Note added.")),
    "attach": (AttachmentForm, _do_attach, gettext_lazy("Files attached.")),
}


@require(Perm.APPEALS_VIEW)
@require_POST
def appeal_action(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    appeal = access_appeal(user=request.user, appeal_id=pk, request=request)
    if action not in ACTIONS:
        raise Http404
    offered = _action_forms(request, appeal)
    if action not in offered:
        raise PermissionDenied
    form_class, perform, done = ACTIONS[action]
    offered_fields: Any = offered[action].fields
    form: forms.Form
    if action == "assign":
        form = AssignForm(
            request.POST,
            assignees=offered_fields["assignee"].queryset,
            departments=offered_fields["department"].queryset,
        )
    else:
        form = form_class(request.POST, request.FILES)
        if action == "route":
            office_field: Any = form.fields["office"]
            office_field.queryset = offered_fields["office"].queryset
    if form.is_valid():
        try:
            perform(request, appeal, form)
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(request, done)
            return redirect("appeals:detail", pk=appeal.pk)
    appeal = access_appeal(user=request.user, appeal_id=pk)
    context = _detail_context(request, appeal, {action: form})
    context["failed_action"] = action
    return render(request, "appeals/appeal_detail.html", context, status=400)


@require(Perm.APPEALS_VIEW)
def appeal_letter(request: HttpRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
    appeal = access_appeal(user=request.user, appeal_id=pk, request=request)
    if kind not in LetterTemplate.Kind.values or fmt not in ("pdf", "docx"):
        raise Http404
    try:
        content, content_type, filename = services.letter_file(appeal=appeal, kind=kind, fmt=fmt)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("appeals:detail", pk=appeal.pk)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require(Perm.APPEALS_VIEW)
def attachment_download(request: HttpRequest, pk: int, attachment_id: int) -> HttpResponse:
    appeal = access_appeal(user=request.user, appeal_id=pk, request=request)
    attachment = appeal.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
    response["Content-Type"] = attachment.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # a FileResponse streams; Django treats it as a response


@require(Perm.APPEALS_VIEW)
def deadlines(request: HttpRequest) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    if scope not in ("mine", "office"):
        scope = "mine"
    lists = selectors.deadline_lists(user=request.user, scope=scope, limit=200, brief=True)
    return render(request, "appeals/deadlines.html", {"lists": lists, "scope": scope})
