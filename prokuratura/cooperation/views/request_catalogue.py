"""The requests' catalogue: the control terms (law as data: each with its legal source and whether it was verified)
and the templates the request and cover letters start from.

Reading: everyone who works with requests (`cooperation.requests_view`) and the administrators who correct it
(`cooperation.requests_manage`, who do not see the requests themselves). As no single permission names both, the
reading views declare a signed-in user and the selectors refuse anyone else (403: request_catalogue_selectors).
Correcting: administrators only — a term with the source of the correction (audited, shown in its history), a
template that compiles (previewed on made-up facts before it is saved).
"""

from __future__ import annotations

import copy

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.letters import sheet_html
from prokuratura.core.permissions import SignedInRequest, require

from .. import request_catalogue_selectors as catalogue
from ..forms_request_catalogue import RequestTemplateForm, RequestTermForm
from ..models_requests import LETTER_LANGUAGES, RequestKind, RequestTemplate
from ..request_catalogue_services import request_template_save, request_term_update
from ..request_letters import request_template_preview

LANGUAGES = dict(LETTER_LANGUAGES)


# --- terms ----------------------------------------------------------------------------------------------------------


@require(Perm.VIEW_REFERENCE)
def request_terms(request: SignedInRequest) -> HttpResponse:
    rows = catalogue.term_catalogue(user=request.user)
    context = {
        "rows": rows,
        "any_unverified": any(not row.verified for row in rows),
        "may_manage": catalogue.may_manage_catalogue(request.user),
    }
    return render(request, "cooperation/request_catalogue_terms.html", context)


@require(Perm.COOP_REQUESTS_MANAGE)
def request_term_edit(request: SignedInRequest, term_id: int) -> HttpResponse:
    term = catalogue.term_get(user=request.user, term_id=term_id)
    # The form validates a copy, so a refused correction never changes the row the service reads.
    form = RequestTermForm(request.POST or None, instance=copy.copy(term))
    status = 200
    if request.method == "POST":
        if form.is_valid():
            if not form.changes_anything():
                messages.info(request, _("Nothing was changed."))
                return redirect("cooperation:request_terms")
            try:
                request_term_update(
                    by=request.user,
                    term=term,
                    changes=form.changes(),
                    source=form.cleaned_data["source"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The correction was saved and recorded in the audit trail."))
                return redirect("cooperation:request_term_edit", term_id=term.pk)
        status = 400
    context = {
        "term": term,
        "form": form,
        "history": catalogue.term_history(user=request.user, term=term),
    }
    return render(request, "cooperation/request_catalogue_term_form.html", context, status=status)


# --- templates ------------------------------------------------------------------------------------------------------


@require(Perm.VIEW_REFERENCE)
def request_templates(request: SignedInRequest) -> HttpResponse:
    context = {
        "rows": catalogue.template_grid(user=request.user),
        "letter_languages": LETTER_LANGUAGES,
        "may_manage": catalogue.may_manage_catalogue(request.user),
    }
    return render(request, "cooperation/request_catalogue_templates.html", context)


@require(Perm.COOP_REQUESTS_MANAGE)
def request_template_edit(request: SignedInRequest, kind: str, document: str, language: str) -> HttpResponse:
    """The text a letter of a kind starts from, in one language. "Preview" shows the letter it makes on made-up
    facts without saving; "Save" saves it (audited). A template that does not compile is refused with the error."""
    template = catalogue.template_get(user=request.user, kind=kind, document=document, language=language)
    initial = {"subject": template.subject, "body": template.body} if template else {}
    form = RequestTemplateForm(request.POST or None, initial=initial, language=language)
    status = 200
    preview = None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if "preview" in request.POST:
                    preview = sheet_html(
                        request_template_preview(
                            kind=kind,
                            document=document,
                            language=language,
                            subject=data["subject"],
                            body=data["body"],
                            office=request.user.office,
                        )
                    )
                else:
                    request_template_save(
                        by=request.user,
                        kind=kind,
                        document=document,
                        language=language,
                        subject=data["subject"],
                        body=data["body"],
                        request=request,
                    )
                    messages.success(request, _("The template was saved."))
                    return redirect("cooperation:request_templates")
            except ValidationError as error:
                add_service_errors(form, error)
        if not form.is_valid():
            status = 400
    context = {
        "template": template,
        "form": form,
        "kind_label": RequestKind(kind).label,
        "document_label": RequestTemplate.Document(document).label,
        "language_name": LANGUAGES[language],
        "language": language,
        "preview": preview,
        "history": catalogue.template_history(user=request.user, template=template),
    }
    return render(request, "cooperation/request_catalogue_template_form.html", context, status=status)


urlpatterns: list[URLPattern] = [
    path("requests/catalogue/terms/", request_terms, name="request_terms"),
    path("requests/catalogue/terms/<int:term_id>/", request_term_edit, name="request_term_edit"),
    path("requests/catalogue/templates/", request_templates, name="request_templates"),
    path(
        "requests/catalogue/templates/<slug:kind>/<slug:document>/<slug:language>/",
        request_template_edit,
        name="request_template_edit",
    ),
]
