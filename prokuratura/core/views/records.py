"""What the record pages of every module share (supervision, the requests register): the lifecycle's step forms on
a detail page and posting one, the one-time submission key of a create form, the lists' paging."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.paginator import Page
from django.http import Http404

from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.lifecycle import Lifecycle, StepForm, step_forms
from prokuratura.core.pagination import CappedPaginator
from prokuratura.core.permissions import SignedInRequest

PAGE_SIZE = 50


def new_submission_key() -> str:
    return uuid.uuid4().hex


def submission_key(request: SignedInRequest, form: forms.Form) -> str | None:
    """The service's key for the form's one-time token. The user's id is part of it, so a token can only ever
    return a record its own user's first click made."""
    key = (form.cleaned_data.get("submission_key") or "").strip()
    return f"web:{request.user.pk}:{key}" if key else None


def add_errors(form: forms.Form, error: ValidationError, renamed: dict[str, str] | None = None) -> None:
    """The service's messages next to the fields they name (`renamed`: a service field the form asks for under
    another name), the rest on top."""
    if renamed and hasattr(error, "error_dict"):
        error = ValidationError(
            {renamed.get(name, name): errors for name, errors in error.error_dict.items()}
        )
    add_service_errors(form, error)


def paginate(request: SignedInRequest, queryset: Any) -> Page:
    return CappedPaginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


def query_without_page(request: SignedInRequest) -> str:
    params = request.GET.copy()
    params.pop("page", None)
    return params.urlencode()


def step_actions(
    lifecycle: Lifecycle[Any], *, actor: Any, record: Any, bound: dict[str, StepForm] | None = None
) -> dict[str, StepForm]:
    """The forms of the steps the user may take now (from the declaration), a posted one in place of its blank
    form; each carries its heading as `step_label`, and its fields' ids start with `step-<name>-`."""
    offered: dict[str, Any] = dict(step_forms(lifecycle, actor=actor, record=record))
    offered.update(bound or {})
    for name, form in offered.items():
        form.step_label = lifecycle.step(name).label
        form.auto_id = f"step-{name}-%s"  # several forms on one page: each field's id its own
    return offered


def take_step(
    request: SignedInRequest, lifecycle: Lifecycle[Any], record: Any, name: str
) -> tuple[StepForm, Any]:
    """Validate the step's form and perform it through the lifecycle (with the version the form was rendered
    with). Returns the form and the step's message when done, or None with the reasons on the form.

    A step the user may not take now goes to `perform` too, which refuses it before the service runs (and audits
    the attempt where the lifecycle says so): its reason comes back on the form, or 403 when the user may never
    take it."""
    step = lifecycle.by_name.get(name)
    if step is None or step.form_class is None:
        raise Http404
    user = request.user
    form = step.form_class(request.POST, request.FILES, actor=user, record=record)
    allowed = lifecycle.may_take(actor=user, record=record, step=step)
    if allowed and not form.is_valid():
        return form, None
    try:
        lifecycle.perform(
            step=name,
            by=user,
            record=record,
            inputs=form.inputs() if allowed else {},
            version=(form.cleaned_data.get("version") if allowed else request.POST.get("version")) or None,
            request=request,
        )
    except ValidationError as exc:
        add_errors(form, exc)
        return form, None
    return form, step.done


def history_rows(lifecycle: Lifecycle[Any], rows: Any) -> list[Any]:
    """The lifecycle's history rows, oldest first, each with its statuses' labels and what a step that kept the
    status did (core.lifecycle.history_note)."""
    labels = dict(lifecycle.statuses.choices)
    listed = list(rows)
    for row in listed:
        row.from_label = labels.get(row.from_status, row.from_status)
        row.to_label = labels.get(row.to_status, row.to_status)
        row.note = lifecycle.history_note(row.step)
    return listed
