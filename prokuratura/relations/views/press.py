"""The press-release import: paste or upload the text (relations:press_import) → the review page with the draft
event, every item with the sentence it was read from → the officer corrects, keeps or removes items and confirms
(relations:press_confirm) → services.event_record, and the event's page.

Nothing is written before the confirmation: the draft travels with the review form, signed. A double submit
returns the first event (the form's submission key)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from prokuratura.accounts.roles import Perm
from prokuratura.core.permissions import SignedInRequest, require
from prokuratura.core.views.records import add_errors, new_submission_key, submission_key

from .. import selectors, services
from ..forms_press import ImportForm, draft_unsign, review_forms, review_initial
from ..press.extract import Draft, extract
from ..press.gazetteer import gazetteer_from_db

LISTS = ("participants", "figures")


def _review_page(
    request: SignedInRequest,
    draft: Draft,
    form: Any,
    formsets: dict[str, Any],
    *,
    status: int = 200,
    **extra: Any,
) -> HttpResponse:
    context = {
        "draft": draft,
        "form": form,
        "formsets": formsets,
        "list_errors": extra.get("list_errors", {}),
    }
    return render(request, "relations/press/review.html", context, status=status)


@require(Perm.RELATIONS_WORK)
def press_import(request: SignedInRequest) -> HttpResponse:
    if request.method != "POST":
        return render(request, "relations/press/import.html", {"form": ImportForm()})
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        return render(request, "relations/press/import.html", {"form": form}, status=400)
    draft = extract(
        form.cleaned_data["press_text"], gazetteer_from_db(), published=form.cleaned_data["published_on"]
    )
    choices = selectors.event_choices()
    initial = review_initial(
        draft, choices, source_url=form.cleaned_data.get("source_url") or "", key=new_submission_key()
    )
    event_form, formsets = review_forms(draft, choices, user=request.user, initial=initial)
    return _review_page(request, draft, event_form, formsets)


def _list_errors(form: Any, error: ValidationError | PermissionDenied) -> dict[str, list[str]]:
    """The service's messages: the lists' above their rows, the others next to the event's fields."""
    if isinstance(error, PermissionDenied):
        form.add_error(None, str(error))
        return {}
    found: dict[str, list[str]] = {}
    if hasattr(error, "error_dict"):
        rest = {}
        for name, errors in error.error_dict.items():
            if name in LISTS:
                found[name] = [m for e in errors for m in e.messages]
            else:
                rest[name] = errors
        if rest:
            add_errors(form, ValidationError(rest))
        return found
    add_errors(form, error)
    return found


@require(Perm.RELATIONS_WORK)
@require_POST
def press_confirm(request: SignedInRequest) -> HttpResponse:
    draft = draft_unsign(request.POST.get("draft", ""))
    if draft is None:
        messages.error(request, _("The draft has expired or was changed on the way. Import the text again."))
        return redirect("relations:press_import")
    choices = selectors.event_choices()
    form, formsets = review_forms(draft, choices, user=request.user, data=request.POST)
    if not (form.is_valid() and all(f.is_valid() for f in formsets.values())):
        return _review_page(request, draft, form, formsets, status=400)
    data = form.data_for_service()
    data.source_text = draft.text
    try:
        event = services.event_record(
            by=request.user,
            data=data,
            participants=formsets["participants"].items(),
            figures=formsets["figures"].items(),
            submission_key=submission_key(request, form),
            request=request,
        )
    except (ValidationError, PermissionDenied) as error:
        list_errors = _list_errors(form, error)
        return _review_page(request, draft, form, formsets, status=400, list_errors=list_errors)
    messages.success(request, _("The event was recorded from the press release."))
    return redirect("relations:event_detail", pk=event.pk)


urlpatterns: list[URLPattern] = [
    path("press/", press_import, name="press_import"),
    path("press/review/", press_confirm, name="press_confirm"),
]
