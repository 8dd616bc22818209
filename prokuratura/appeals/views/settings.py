"""The administrators' appeals settings: rule values, topics, routing rules and letter templates.

Every view needs `appeals.manage_settings`. The settings are national (one table each, not per office), so an
administrator who may manage them may see every row; a missing row is a 404.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.models import Office
from prokuratura.core.permissions import SignedInRequest, require

from .. import selectors
from ..access import access_appeal, appeals_visible_q
from ..forms_settings import LetterTemplateForm, RoutingRuleForm, RuleForm, TopicForm
from ..models import (
    LANGUAGE_CHOICES,
    Appeal,
    AppealRule,
    LetterTemplate,
    OfficeAppealSetting,
    RoutingRule,
    Topic,
)
from ..rules import rule_display
from ..services import settings as settings_services

LANGUAGES = dict(LANGUAGE_CHOICES)


@require(Perm.APPEALS_MANAGE)
def settings_index(request: SignedInRequest) -> HttpResponse:
    topics = Topic.objects.aggregate(total=Count("pk"), active=Count("pk", filter=Q(is_active=True)))
    routing = RoutingRule.objects.aggregate(total=Count("pk"), active=Count("pk", filter=Q(is_active=True)))
    context = {
        "rule_count": AppealRule.objects.count(),
        "topics": topics,
        "routing": routing,
        "template_count": LetterTemplate.objects.count(),
        "template_expected": len(LetterTemplate.Kind.choices) * len(LANGUAGE_CHOICES),
        "signoff_count": OfficeAppealSetting.objects.filter(answer_signoff_required=True).count(),
    }
    return render(request, "appeals/settings_index.html", context)


# --- rules ---------------------------------------------------------------------------------------------------


@require(Perm.APPEALS_MANAGE)
def rule_list(request: SignedInRequest) -> HttpResponse:
    rows = [
        (
            row,
            settings_services.rule_bounds(row.code),
            rule_display(code=row.code, value=row.value, unit=row.unit, description=row.description),
        )
        for row in AppealRule.objects.order_by("code")
    ]
    return render(request, "appeals/settings_rule_list.html", {"rows": rows})


@require(Perm.APPEALS_MANAGE)
def rule_edit(request: SignedInRequest, code: str) -> HttpResponse:
    row = get_object_or_404(AppealRule, code=code)
    bounds = settings_services.rule_bounds(row.code)
    form = RuleForm(request.POST or None, bounds=bounds, initial={"value": row.value})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                settings_services.appeal_rule_update(
                    by=request.user,
                    rule=row,
                    value=form.cleaned_data["value"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The rule %(code)s was saved.") % {"code": row.code})
                return redirect("appeals:rule_list")
        status = 400
    shown = rule_display(code=row.code, value=row.value, unit=row.unit, description=row.description)
    context = {"row": row, "form": form, "bounds": bounds, "shown": shown}
    return render(request, "appeals/settings_rule_form.html", context, status=status)


# --- topics --------------------------------------------------------------------------------------------------


@require(Perm.APPEALS_MANAGE)
def topic_list(request: SignedInRequest) -> HttpResponse:
    topics = Topic.objects.order_by("ordering", "code")
    return render(request, "appeals/settings_topic_list.html", {"topics": topics})


def _topic_form(request: SignedInRequest, topic: Topic | None) -> HttpResponse:
    # The form validates a copy, so a refused edit never changes the instance the service reads.
    instance = Topic.objects.get(pk=topic.pk) if topic else None
    initial = {} if topic else {"ordering": settings_services.topic_next_ordering()}
    form = TopicForm(request.POST or None, instance=instance, initial=initial, fixed_code=topic is not None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in TopicForm.Meta.fields}
            try:
                if topic is None:
                    settings_services.topic_create(by=request.user, data=data, request=request)
                    messages.success(request, _("The topic was added."))
                else:
                    settings_services.topic_update(by=request.user, topic=topic, data=data, request=request)
                    messages.success(request, _("The topic was saved."))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("appeals:topic_list")
        status = 400
    return render(request, "appeals/settings_topic_form.html", {"form": form, "topic": topic}, status=status)


@require(Perm.APPEALS_MANAGE)
def topic_add(request: SignedInRequest) -> HttpResponse:
    return _topic_form(request, None)


@require(Perm.APPEALS_MANAGE)
def topic_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    return _topic_form(request, get_object_or_404(Topic, pk=pk))


# --- routing rules -------------------------------------------------------------------------------------------


@require(Perm.APPEALS_MANAGE)
def routing_list(request: SignedInRequest) -> HttpResponse:
    rows = RoutingRule.objects.select_related("region", "topic", "office", "department").order_by(
        "-is_active", "priority", "id"
    )
    return render(request, "appeals/settings_routing_list.html", {"rows": rows})


def _routing_form(request: SignedInRequest, routing_rule: RoutingRule | None) -> HttpResponse:
    instance = RoutingRule.objects.get(pk=routing_rule.pk) if routing_rule else None
    form = RoutingRuleForm(request.POST or None, instance=instance)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = {name: form.cleaned_data[name] for name in RoutingRuleForm.Meta.fields}
            try:
                if routing_rule is None:
                    settings_services.routing_rule_create(by=request.user, data=data, request=request)
                    messages.success(request, _("The routing rule was added."))
                else:
                    settings_services.routing_rule_update(
                        by=request.user, routing_rule=routing_rule, data=data, request=request
                    )
                    messages.success(request, _("The routing rule was saved."))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("appeals:routing_list")
        status = 400
    context = {"form": form, "routing_rule": routing_rule}
    return render(request, "appeals/settings_routing_form.html", context, status=status)


@require(Perm.APPEALS_MANAGE)
def routing_add(request: SignedInRequest) -> HttpResponse:
    return _routing_form(request, None)


@require(Perm.APPEALS_MANAGE)
def routing_edit(request: SignedInRequest, pk: int) -> HttpResponse:
    return _routing_form(request, get_object_or_404(RoutingRule, pk=pk))


@require(Perm.APPEALS_MANAGE)
def routing_delete(request: SignedInRequest, pk: int) -> HttpResponse:
    """GET asks for confirmation; POST deletes."""
    routing_rule = get_object_or_404(
        RoutingRule.objects.select_related("region", "topic", "office", "department"), pk=pk
    )
    if request.method == "POST":
        settings_services.routing_rule_delete(by=request.user, routing_rule=routing_rule, request=request)
        messages.success(request, _("The routing rule was deleted."))
        return redirect("appeals:routing_list")
    return render(request, "appeals/settings_routing_delete.html", {"routing_rule": routing_rule})


# --- letter templates ----------------------------------------------------------------------------------------


@require(Perm.APPEALS_MANAGE)
def template_list(request: SignedInRequest) -> HttpResponse:
    existing = {(row.kind, row.language): row for row in LetterTemplate.objects.all()}
    rows = [
        {
            "kind": kind,
            "label": label,
            "cells": [
                {"language": code, "language_name": name, "template": existing.get((kind, code))}
                for code, name in LANGUAGE_CHOICES
            ],
        }
        for kind, label in LetterTemplate.Kind.choices
    ]
    return render(
        request, "appeals/settings_template_list.html", {"rows": rows, "letter_languages": LANGUAGE_CHOICES}
    )


def _preview_appeal(request: SignedInRequest, number: str, language: str) -> Appeal:
    """The appeal the administrator named, if they may see it (their own visibility, like everywhere else), or
    the made-up sample when they named none."""
    if not number:
        return settings_services.sample_appeal(user=request.user, language=language)
    found = (
        Appeal.objects.filter(appeals_visible_q(user=request.user))
        .filter(reg_number=number.strip())
        .values_list("pk", flat=True)
        .first()
    )
    if found is None:
        raise ValidationError(
            {"preview_number": _("No appeal with this registration number is open to you.")}, code="not_found"
        )
    try:
        return access_appeal(user=request.user, appeal_id=found, request=request)
    except Http404:
        raise ValidationError(
            {"preview_number": _("No appeal with this registration number is open to you.")}, code="not_found"
        ) from None


@require(Perm.APPEALS_MANAGE)
def template_edit(request: SignedInRequest, kind: str, language: str) -> HttpResponse:
    if kind not in LetterTemplate.Kind.values or language not in LANGUAGES:
        raise Http404
    template = LetterTemplate.objects.filter(kind=kind, language=language).first()
    initial = {"subject": template.subject, "body": template.body} if template else {}
    form = LetterTemplateForm(request.POST or None, initial=initial)
    for name in ("subject", "body"):
        form.fields[name].widget.attrs["lang"] = language
    status = 200
    preview = None
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                if "preview" in request.POST:
                    user = request.user
                    appeal = _preview_appeal(request, data["preview_number"], language)
                    preview = settings_services.letter_template_preview(
                        appeal=appeal,
                        kind=kind,
                        language=language,
                        subject=data["subject"],
                        body=data["body"],
                        signer="" if appeal.pk else user.get_full_name(),
                    )
                else:
                    settings_services.letter_template_update(
                        by=request.user,
                        kind=kind,
                        language=language,
                        subject=data["subject"],
                        body=data["body"],
                        request=request,
                    )
                    messages.success(request, _("The letter template was saved."))
                    return redirect("appeals:template_list")
            except ValidationError as error:
                add_service_errors(form, error)
        if not form.is_valid():
            status = 400
    context = {
        "form": form,
        "template": template,
        "kind_label": LetterTemplate.Kind(kind).label,
        "language_name": LANGUAGES[language],
        "language": language,
        "preview": preview,
    }
    return render(request, "appeals/settings_template_form.html", context, status=status)


# --- sign-off of answers, per office -------------------------------------------------------------------------


class SignoffForm(forms.Form):
    office = forms.ModelChoiceField(queryset=Office.objects.filter(is_active=True))
    required = forms.BooleanField(required=False)


@require(Perm.APPEALS_MANAGE)
def signoff_list(request: SignedInRequest) -> HttpResponse:
    """Which offices' answers need a head's sign-off before they go out; one button per office turns it on or off."""
    if request.method == "POST":
        form = SignoffForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Choose an office from the list."))
            return redirect("appeals:signoff_list")
        office, required = form.cleaned_data["office"], form.cleaned_data["required"]
        settings_services.office_signoff_set(by=request.user, office=office, required=required)
        if required:
            message = _("%(office)s: answers now need a head's sign-off.")
        else:
            message = _("%(office)s: answers go out without a head's sign-off.")
        messages.success(request, message % {"office": office.name})
        return redirect(f"{reverse('appeals:signoff_list')}#office-{office.pk}")
    return render(request, "appeals/settings_signoff_list.html", {"rows": selectors.office_signoff_rows()})
