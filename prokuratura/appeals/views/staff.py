"""The staff's appeal screens: register, one appeal with the steps the user may take, letters (the list: lists.py)."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from prokuratura.accounts.roles import Perm
from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.lifecycle import StepForm, step_forms
from prokuratura.core.permissions import SignedInRequest, require
from prokuratura.supervision.views.appeal_panel import appeal_panel

from .. import selectors, services
from ..access import access_appeal, may_change
from ..forms import AttachmentForm, NoteForm, StaffRegistrationForm
from ..models import Appeal, Channel, LetterTemplate, Status
from ..transitions import APPEALS


@require(Perm.APPEALS_REGISTER)
def appeal_register(request: SignedInRequest) -> HttpResponse:
    user = request.user
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
                "region": user.office.region_id if user.office else None,
            }
        )
        status = 200
    return render(request, "appeals/appeal_register.html", {"form": form}, status=status)


# Work on an appeal that is not a lifecycle step: the same people as its steps (access.may_change).
_EXTRAS: dict[str, tuple[type[forms.Form], Promise, Promise]] = {
    "note": (NoteForm, gettext_lazy("Add an internal note"), gettext_lazy("Note added.")),
    "attach": (AttachmentForm, gettext_lazy("Attach files"), gettext_lazy("Files attached.")),
}


def _actions(
    request: SignedInRequest, appeal: Appeal, bound: dict[str, forms.Form] | None = None
) -> dict[str, Any]:
    """The forms of the lifecycle steps the user may take now (from the declaration), then notes and files;
    each form carries its heading as `step_label`."""
    user = request.user
    offered: dict[str, Any] = dict(step_forms(APPEALS, actor=user, record=appeal))
    if may_change(user=user, appeal=appeal):
        offered.update({name: form_class() for name, (form_class, _l, _d) in _EXTRAS.items()})
    offered.update(bound or {})
    for name, form in offered.items():
        form.step_label = APPEALS.step(name).label if name in APPEALS.by_name else _EXTRAS[name][1]
    return offered


def _detail_context(
    request: SignedInRequest, appeal: Appeal, bound: dict[str, forms.Form] | None = None
) -> dict:
    issued = services.issued_letters(appeal=appeal)
    labels = dict(LetterTemplate.Kind.choices)
    letters = [
        (kind, labels[kind], issued.get(kind)) for kind in services.letter_kinds_available(appeal=appeal)
    ]
    awaiting_signoff = None
    if appeal.status == Status.AWAITING_SIGNOFF:
        # What the head signs: the letter as it will go out, over the reader's name if the reader may sign it.
        signs = APPEALS.may_take(actor=request.user, record=appeal, step=APPEALS.step("sign_off"))
        awaiting_signoff = services.letter_html(
            services.answer_letter_preview(
                appeal=appeal,
                outcome=appeal.outcome,
                answer_text=appeal.answer_text,
                rights_restored=appeal.rights_restored,
                persons_restored=appeal.persons_restored,
                signer=request.user if signs else None,
            )
        )
    return {
        "appeal": appeal,
        "awaiting_signoff": awaiting_signoff,
        "actions": _actions(request, appeal, bound),
        "transitions": selectors.appeal_history(appeal=appeal),
        "notes": selectors.appeal_notes(appeal=appeal),
        "attachments": selectors.appeal_attachments(appeal=appeal),
        "letters": letters,
        "extension_limit": services.extension_limit(appeal),
        "supervision": appeal_panel(user=request.user, appeal=appeal),
    }


@require(Perm.APPEALS_VIEW)
def appeal_detail(request: SignedInRequest, pk: int) -> HttpResponse:
    appeal = access_appeal(user=request.user, appeal_id=pk, request=request)
    return render(request, "appeals/appeal_detail.html", _detail_context(request, appeal))


def _step_form(request: SignedInRequest, appeal: Appeal, name: str) -> tuple[Any, StepForm]:
    """The step and its form bound to what was posted; 403 for a step the user may not take now."""
    step = APPEALS.step(name)
    if step.form_class is None or not APPEALS.may_take(actor=request.user, record=appeal, step=step):
        raise PermissionDenied
    return step, step.form_class(request.POST, request.FILES, actor=request.user, record=appeal)


def _take_step(request: SignedInRequest, appeal: Appeal, name: str) -> tuple[forms.Form, Any]:
    """Validate the step's form and perform it; the message on success, None with the errors on the form."""
    step, form = _step_form(request, appeal, name)
    if not form.is_valid():
        return form, None
    try:
        APPEALS.perform(
            step=name,
            by=request.user,
            record=appeal,
            inputs=form.inputs(),
            version=form.cleaned_data.get("version") or None,
            request=request,
        )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return form, None
    return form, step.done


def _add_extra(request: SignedInRequest, appeal: Appeal, name: str) -> tuple[forms.Form, Any]:
    form_class, _label, done = _EXTRAS[name]
    if not may_change(user=request.user, appeal=appeal):
        raise PermissionDenied
    form = form_class(request.POST, request.FILES)
    if not form.is_valid():
        return form, None
    try:
        if name == "note":
            services.appeal_note_add(by=request.user, appeal=appeal, text=form.cleaned_data["text"])
        else:
            services.appeal_attachments_add(
                by=request.user, appeal=appeal, uploads=form.cleaned_data["attachments"]
            )
    except ValidationError as exc:
        add_service_errors(form, exc)
        return form, None
    return form, done


# The steps whose form sends a letter: the prosecutor may read the letter before sending (the "Preview" button).
PREVIEWED_STEPS = frozenset({"answer", "submit_answer"})


def _preview_answer(request: SignedInRequest, appeal: Appeal, action: str) -> HttpResponse:
    """The detail page with the step's form as filled in and, under it, the letter it would send. Nothing is
    saved; the form's own errors (or the service's checks) show as they would on sending."""
    _step, form = _step_form(request, appeal, action)
    preview = None
    if form.is_valid():
        inputs = form.inputs()
        try:
            letter = services.answer_letter_preview(
                appeal=appeal,
                outcome=inputs["outcome"],
                answer_text=inputs["answer_text"],
                rights_restored=inputs.get("rights_restored", False),
                persons_restored=inputs.get("persons_restored", 0),
                signer=request.user if action == "answer" else None,
            )
            preview = services.letter_html(letter)
        except ValidationError as exc:
            add_service_errors(form, exc)
    context = _detail_context(request, appeal, {action: form})
    context.update(failed_action=action, letter_preview=preview, preview_action=action)
    return render(request, "appeals/appeal_detail.html", context, status=200 if preview else 400)


@require(Perm.APPEALS_VIEW)
@require_POST
def appeal_action(request: SignedInRequest, pk: int, action: str) -> HttpResponse:
    appeal = access_appeal(user=request.user, appeal_id=pk, request=request)
    if action in PREVIEWED_STEPS and request.POST.get("preview"):
        return _preview_answer(request, appeal, action)
    if action in APPEALS.by_name:
        form, done = _take_step(request, appeal, action)
    elif action in _EXTRAS:
        form, done = _add_extra(request, appeal, action)
    else:
        raise Http404
    if done is not None:
        messages.success(request, done)
        return redirect("appeals:detail", pk=appeal.pk)
    appeal = access_appeal(user=request.user, appeal_id=pk)
    context = _detail_context(request, appeal, {action: form})
    context["failed_action"] = action
    return render(request, "appeals/appeal_detail.html", context, status=400)


@require(Perm.APPEALS_VIEW)
def appeal_letter(request: SignedInRequest, pk: int, kind: str, fmt: str) -> HttpResponse:
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
def attachment_download(request: SignedInRequest, pk: int, attachment_id: int) -> HttpResponse:
    appeal = access_appeal(user=request.user, appeal_id=pk, request=request)
    attachment = appeal.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404
    response = FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)
    response["Content-Type"] = attachment.content_type
    response["X-Content-Type-Options"] = "nosniff"
    return response  # type: ignore[return-value]  # a FileResponse streams; Django treats it as a response


@require(Perm.APPEALS_VIEW)
def deadlines(request: SignedInRequest) -> HttpResponse:
    scope = request.GET.get("scope", "mine")
    if scope not in ("mine", "office"):
        scope = "mine"
    lists = selectors.deadline_lists(user=request.user, scope=scope, limit=200, brief=True)
    return render(request, "appeals/deadlines.html", {"lists": lists, "scope": scope})
