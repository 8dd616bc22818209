"""Pages for members of the public, without an account: file an appeal, follow it by its tracking code."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prokuratura.core.actors import PUBLIC
from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.permissions import public
from prokuratura.core.qr import qr_svg
from prokuratura.core.throttle import throttle_hit

from .. import selectors, services, spam
from ..forms import AppealIntakeForm
from ..models import Channel, LetterTemplate, ReceivedVia, Status
from ..rules import rule

SUBMISSIONS_PER_HOUR = 10
LOOKUPS_PER_HOUR = 60


class PublicAppealForm(AppealIntakeForm):
    website = forms.CharField(
        label=gettext_lazy("Leave this field empty"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    challenge_token = forms.CharField(widget=forms.HiddenInput)
    challenge_answer = forms.CharField(label=gettext_lazy("Anti-spam check: the sum"), max_length=3)
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=100)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["consent_personal_data"].label = gettext_lazy(
            "I consent to the processing of my personal data for the consideration of this appeal"
        )
        kind_field: Any = self.fields["kind"]
        kind_field.choices = [c for c in kind_field.choices if c[0] != "response"]
        # Only an anonymous report of a crime or threat is considered; the form says so next to the choice.
        self.fields["applicant_type"].help_text = gettext_lazy(
            "Anonymous appeals are not considered, except reports of a crime or of a threat to security."
        )


def _terms() -> dict[str, int]:
    return {"review_days": rule("review_working_days")}


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def _fresh_form(request: HttpRequest) -> PublicAppealForm:
    question, token = spam.challenge_new()
    form = PublicAppealForm(
        initial={
            "challenge_token": token,
            "submission_key": uuid.uuid4().hex,
            "applicant_language": (request.LANGUAGE_CODE or "ru")[:2],
        }
    )
    form.challenge_question = question  # type: ignore[attr-defined]
    return form


@public
def public_appeal(request: HttpRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "appeals/public_form.html", {"form": _fresh_form(request), **_terms()})
    form = PublicAppealForm(request.POST, request.FILES)
    if form.is_valid():
        passed = spam.challenge_passes(
            token=form.cleaned_data["challenge_token"],
            answer=form.cleaned_data["challenge_answer"],
            honeypot=form.cleaned_data["website"],
            submission_key=form.cleaned_data["submission_key"],
        )
        if not passed:
            form.add_error("challenge_answer", _("The anti-spam check failed. Solve the sum again."))
        elif throttle_hit(
            key=f"public-appeal:{_client_ip(request)}", limit=SUBMISSIONS_PER_HOUR, window_seconds=3600
        ):
            form.add_error(
                None, _("Too many appeals from your address in the last hour. Please try again later.")
            )
        else:
            try:
                result = services.appeal_register(
                    by=PUBLIC,
                    channel=Channel.PUBLIC_WEB,
                    data=form.appeal_data(received_via=ReceivedVia.WEB),
                    uploads=form.cleaned_data["attachments"],
                    submission_key=f"web:{form.cleaned_data['submission_key']}",
                    request=request,
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                request.session["appeals_last_tracking_code"] = result.appeal.tracking_code
                return redirect("appeals:public_receipt")
    # Always a fresh challenge: the one sent may have been spent (spam.challenge_passes), and a new sum means the
    # old answer is no use to a bot either.
    question, token = spam.challenge_new()
    data: Any = form.data.copy()  # type: ignore[attr-defined]
    data["challenge_token"] = token
    data["challenge_answer"] = ""
    form.data = data
    form.challenge_question = question  # type: ignore[attr-defined]
    # Browsers never refill a file input: say so when the person had chosen files.
    context = {"form": form, "files_lost": bool(request.FILES), **_terms()}
    return render(request, "appeals/public_form.html", context, status=400)


@public
def public_receipt(request: HttpRequest) -> HttpResponse:
    code = request.session.get("appeals_last_tracking_code")
    appeal = selectors.appeal_public_status(tracking_code=code) if code else None
    if appeal is None:
        return redirect("appeals:public_appeal")
    status_url = request.build_absolute_uri(
        f"{reverse('appeals:public_status')}?{urlencode({'code': appeal.tracking_code})}"
    )
    context = {
        "appeal": appeal,
        "status_url": status_url,
        "qr": qr_svg(status_url, _("QR code: the page where you follow the appeal")),
        "review_days": rule("review_working_days"),
    }
    return render(request, "appeals/public_receipt.html", context)


@public
def public_status(request: HttpRequest) -> HttpResponse:
    code = (request.GET.get("code") or "").strip()
    appeal = None
    error = ""
    status = 200
    if code:
        if throttle_hit(
            key=f"public-status:{_client_ip(request)}", limit=LOOKUPS_PER_HOUR, window_seconds=3600
        ):
            error = _("Too many look-ups from your address. Please try again later.")
            status = 429
        else:
            appeal = selectors.appeal_public_status(tracking_code=code)
            if appeal is None:
                error = _("No appeal has this tracking code. Check it and try again.")
                status = 404
    context = {
        "code": code,
        "appeal": appeal,
        "error": error,
        "answered": appeal is not None and appeal.status in (Status.ANSWERED, Status.CLOSED),
        # An answer awaiting the head's sign-off has not been sent: the public sees the review going on, and no
        # decision until the letter goes out.
        "stage": _public_stage(appeal) if appeal is not None else "",
        "decision_told": appeal is not None and appeal.status != Status.AWAITING_SIGNOFF,
        "letters": _letters_told(appeal) if appeal is not None else [],
        "status_url": reverse("appeals:public_status"),
    }
    return render(request, "appeals/public_status.html", context, status=status)


def _public_stage(appeal: Any) -> str:
    if appeal.status == Status.AWAITING_SIGNOFF:
        return str(Status.IN_REVIEW.label)
    return str(appeal.get_status_display())


def _letters_told(appeal: Any) -> list[tuple[str, Any]]:
    """The letters the applicant is sent (receipt, extension notice, forwarding notice, answer) that exist now."""
    return [
        (kind, label)
        for kind, label in LetterTemplate.Kind.choices
        if services.letter_available(appeal=appeal, kind=kind)
    ]


@public
def public_letter(request: HttpRequest, kind: str) -> HttpResponse:
    """A letter the applicant is sent, as PDF, for the holder of the tracking code (the code is the only key, so it
    is throttled like the status page; an unknown code or a letter not sent yet is 404)."""
    code = (request.GET.get("code") or "").strip()
    if throttle_hit(key=f"public-status:{_client_ip(request)}", limit=LOOKUPS_PER_HOUR, window_seconds=3600):
        return HttpResponse(_("Too many look-ups from your address. Please try again later."), status=429)
    appeal = selectors.appeal_public_status(tracking_code=code) if code else None
    if appeal is None or kind not in dict(_letters_told(appeal)):
        raise Http404
    content, content_type, filename = services.letter_file(appeal=appeal, kind=kind, fmt="pdf")
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"  # a letter names the applicant: no shared cache keeps it
    return response
