"""The lifecycle kernel: how every record with a status changes it.

A module declares its lifecycle once (`Lifecycle` with its `Step`s, in the app's `transitions.py`): the statuses,
and for each step where it may start, the status it leads to, the permission, who may take it (`Who`), whether a
reason is required, what it does to the deadline, the service that carries it out, the page's form and the API's
input schema. Everything else is read from that declaration:

- `Lifecycle.transition` — the one function that changes a status, for every module: it locks the row, refuses
  a change made meanwhile, checks the step's table, permission and actor rule, applies the service's changes,
  stamps who/when/why in the module's history table and audits the changed fields;
- `Lifecycle.perform` — what the page and the API call: checks the step for the actor, refuses a stale form
  (the `version` the form was rendered with), then calls the step's service;
- `Lifecycle.available` — the steps an actor may take on a record now (the detail page's forms, the API's
  `GET …/steps`); `core.lifecycle_api.add_step_endpoints` makes the API's step endpoints.

A step's service validates its own facts (the law's rules), then calls `transition`. It never takes a flag that
switches the checks off: channels without an account act as named system actors (`core.actors`), and a step
lets one in only by naming it in its `who` rule.

The history model has the fields of `core.models.TransitionRecordBase`.
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models, transaction
from django.http import HttpRequest
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from .actors import SystemActor, is_user, user_or_none
from .audit import audit_record, audit_refusal, diff, snapshot
from .models import AuditEntry
from .prepared import insert

if TYPE_CHECKING:
    from .actors import Actor

# A step whose target is SAME leaves the status as it is (e.g. sending an appeal to another office).
SAME = "="


class Reason(enum.StrEnum):
    NONE = "none"
    OPTIONAL = "optional"
    REQUIRED = "required"


class Deadline(enum.StrEnum):
    """What a step does to the record's deadline. The kernel refuses a KEEP step that moves it."""

    KEEP = "keep"  # the term runs on
    SET = "set"  # the step sets a new term (an extension)
    RESTART = "restart"  # a new term from today (a reopening)
    STOP = "stop"  # the work ends; the term no longer runs


# --- who may take a step ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Who:
    """An actor rule: `test(actor, record) -> bool`, with a label for the documentation. Combine with | & ~."""

    test: Callable[[Any, Any], bool]
    label: str
    system_actors: frozenset[SystemActor] = frozenset()

    def __call__(self, actor: Actor, record: Any) -> bool:
        return bool(self.test(actor, record))

    def __or__(self, other: Who) -> Who:
        return Who(
            lambda a, r: self(a, r) or other(a, r),
            f"{self.label} or {other.label}",
            self.system_actors | other.system_actors,
        )

    def __and__(self, other: Who) -> Who:
        return Who(
            lambda a, r: self(a, r) and other(a, r),
            f"{self.label} and {other.label}",
            self.system_actors & other.system_actors,
        )

    def __invert__(self) -> Who:
        return Who(lambda a, r: not self(a, r), f"not {self.label}")


def _office(record: Any, office_field: str) -> Any:
    return getattr(record, office_field)


def assignee(field: str = "assignee") -> Who:
    """The user the record is assigned to."""
    return Who(lambda a, r: is_user(a) and getattr(r, f"{field}_id") == a.pk, f"the {field}")


def head_over(office_field: str = "office") -> Who:
    """A head of the record's office or of an office above it."""

    def test(actor: Actor, record: Any) -> bool:
        if not is_user(actor) or actor.office is None or not actor.has_role("head"):
            return False
        return bool(_office(record, office_field).is_within(actor.office))

    return Who(test, "a head over the office")


def office_staff(office_field: str = "office") -> Who:
    """Staff of the record's office or of an office above it (e.g. the registering office)."""

    def test(actor: Actor, record: Any) -> bool:
        if not is_user(actor) or actor.office is None:
            return False
        return bool(_office(record, office_field).is_within(actor.office))

    return Who(test, "staff of the office or above")


def system(*actors: SystemActor) -> Who:
    """The named system actors (an intake rule, a scheduled job)."""
    allowed = frozenset(actors)
    return Who(lambda a, r: a in allowed, " or ".join(str(a) for a in actors), allowed)


@dataclass(frozen=True)
class When:
    """A condition on the record under which a step may be taken (e.g. "while the term runs"), with the reason
    given when it does not hold. Unlike `Who`, it says nothing about the actor."""

    test: Callable[[Any], bool]
    refusal: Callable[[Any], str]


# --- the declaration -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Step:
    """One step of a lifecycle. `service`, `form` and `schema` are dotted paths (the service module imports the
    lifecycle, so the declaration cannot import it)."""

    name: str
    label: str | Promise
    sources: frozenset[str]
    target: str
    who: Who
    service: str
    permission: str | None = None  # a Perm constant; users need it, system actors only the `who` rule
    reason: Reason = Reason.NONE
    deadline: Deadline = Deadline.KEEP
    also_targets: frozenset[str] = (
        frozenset()
    )  # other statuses the service may choose (e.g. back to registered)
    form: str | None = None  # the detail page's form (a StepForm); None: not offered on the page
    schema: str | None = None  # the API's input (a StepSchema); None: no API endpoint
    when: When | None = None  # a condition on the record, refused with its reason
    done: str | Promise = ""  # the message after the page's step succeeded
    description: str = ""  # the API operation's description

    def targets(self) -> frozenset[str]:
        return frozenset({self.target}) | self.also_targets

    @cached_property
    def service_func(self) -> Callable[..., Any]:
        return import_string(self.service)

    @cached_property
    def form_class(self) -> type[StepForm] | None:
        return import_string(self.form) if self.form else None

    @cached_property
    def schema_class(self) -> Any:
        return import_string(self.schema) if self.schema else None


@dataclass
class Lifecycle[M: models.Model]:
    """A record type's statuses and steps, with the machinery that enforces them."""

    model: type[M]
    history: type[models.Model]  # fields of core.models.TransitionRecordBase plus a foreign key `history_fk`
    history_fk: str
    statuses: type[models.TextChoices]
    initial: str
    steps: tuple[Step, ...]
    tracked_fields: tuple[str, ...]  # audited when a step changes them
    record_name: str  # the services' keyword for the record, e.g. "appeal"
    status_field: str = "status"
    deadline_field: str | None = None
    version_field: str = "updated_at"
    clean_exclude: tuple[str, ...] = ()
    audit_refusals: bool = False  # a refused step (perform) leaves a security entry in the audit trail
    also_initial: frozenset[str] = (
        frozenset()
    )  # other statuses a record may be created in (an incoming request)
    by_name: dict[str, Step] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self.by_name = {}
        statuses = set(self.statuses.values)
        for step in self.steps:
            if step.name in self.by_name:
                raise ValueError(f"{self.model.__name__}: step {step.name!r} declared twice")
            unknown = (step.sources | step.targets()) - statuses - {SAME}
            if unknown:
                raise ValueError(f"{self.model.__name__}.{step.name}: unknown statuses {sorted(unknown)}")
            if step.permission is None and not step.who.system_actors:
                raise ValueError(f"{self.model.__name__}.{step.name}: a step for users declares a permission")
            self.by_name[step.name] = step
        LIFECYCLES[self.model._meta.label_lower] = self

    # --- reading the declaration --------------------------------------------------------------------------

    def step(self, name: str) -> Step:
        try:
            return self.by_name[name]
        except KeyError:
            raise ValueError(f"{self.model.__name__} has no step {name!r}") from None

    def status_of(self, record: M) -> str:
        return str(getattr(record, self.status_field))

    def table(self) -> dict[str, frozenset[str]]:
        """Which status may follow which (derived from the steps; SAME is shown as the status itself)."""
        table: dict[str, set[str]] = {s: set() for s in self.statuses.values}
        for step in self.steps:
            for source in step.sources:
                table[source] |= {source if t == SAME else t for t in step.targets()}
        return {s: frozenset(t) for s, t in table.items()}

    def history_note(self, step: str) -> str:
        """What a history row adds to "from → to": the outcome of a step that is not a move to a status of its own
        (target SAME: a re-routing, a request); nothing where the statuses say it all."""
        declared = self.by_name.get(step)
        if declared is None or declared.target != SAME:
            return ""
        return str(declared.done or declared.label).rstrip(".")

    def version(self, record: M) -> str:
        value = getattr(record, self.version_field)
        return value.isoformat() if hasattr(value, "isoformat") else str(value)

    # --- who may do what ----------------------------------------------------------------------------------

    def may_take(self, *, actor: Actor, record: M, step: Step | str) -> bool:
        """The table, the permission, the actor rule and the step's condition, as the page and the API offer
        steps."""
        step = step if isinstance(step, Step) else self.step(step)
        if self.status_of(record) not in step.sources or not self._actor_allowed(actor, record, step):
            return False
        return step.when is None or step.when.test(record)

    def _actor_allowed(self, actor: Actor, record: M, step: Step) -> bool:
        if isinstance(actor, SystemActor):
            return actor in step.who.system_actors and step.who(actor, record)
        if not is_user(actor) or not actor.is_active:
            return False
        if step.permission is None or not actor.has_perm(step.permission):
            return False
        return step.who(actor, record)

    def available(self, *, actor: Actor, record: M) -> list[Step]:
        return [s for s in self.steps if self.may_take(actor=actor, record=record, step=s)]

    def check(self, *, actor: Actor, record: M, step: Step) -> None:
        """The table (422), then the actor (403), then the step's condition (422 with its reason): a user who may
        never take the step learns nothing more, one who may learns why not now."""
        current = self.status_of(record)
        if current not in step.sources:
            raise ValidationError(
                _("“%(step)s” cannot be taken while the status is “%(current)s”.")
                % {"step": step.label, "current": self.statuses(current).label},
                code="invalid_transition",
            )
        if not self._actor_allowed(actor, record, step):
            raise PermissionDenied(_("You may not take this step."))
        if step.when is not None and not step.when.test(record):
            raise ValidationError(step.when.refusal(record), code="not_now")

    # --- doing it -----------------------------------------------------------------------------------------

    def perform(
        self,
        *,
        step: str,
        by: Actor,
        record: M,
        inputs: dict[str, Any],
        version: str | None = None,
        request: HttpRequest | None = None,
    ) -> Any:
        """Take a step from the page or the API: check it for the actor, refuse a stale form, call the service."""
        declared = self.step(step)
        try:
            self.check(actor=by, record=record, step=declared)
            with transaction.atomic():
                if version:
                    current = self.model._default_manager.select_for_update().get(pk=record.pk)
                    if self.version(current) != version:
                        raise stale_error()
                return declared.service_func(by=by, **{self.record_name: record}, request=request, **inputs)
        except (ValidationError, PermissionDenied) as error:
            if self.audit_refusals:
                audit_refusal(actor=by, what=f"step {step}", error=error, obj=record, request=request)
            raise

    def transition(
        self,
        *,
        step: str,
        by: Actor,
        record: M,
        reason: str = "",
        changes: dict[str, Any] | None = None,
        to: str | None = None,
        request: HttpRequest | None = None,
    ) -> M:
        """Take `step` on `record`, applying `changes` (field → value) in the same write. `to` picks one of the
        step's declared targets where the service decides (default: the step's target)."""
        declared = self.step(step)
        target = to or declared.target
        if target not in declared.targets():
            raise ValueError(f"{self.model.__name__}.{step}: {target!r} is not a declared target")
        self.check(actor=by, record=record, step=declared)
        reason = reason.strip()
        if declared.reason == Reason.REQUIRED and not reason:
            raise ValidationError({"reason": _("Give the reasons for this decision.")})
        changes = changes or {}
        if declared.deadline == Deadline.KEEP and self.deadline_field in changes:
            raise ValueError(f"{self.model.__name__}.{step} declares that it keeps the deadline")
        with transaction.atomic():
            locked = self.model._default_manager.select_for_update().get(pk=record.pk)
            # Changed since the caller read it (any save moves the version): the step and its actor rule were
            # checked against a copy that is no longer the record.
            if self.version(locked) != self.version(record) or self.status_of(locked) != self.status_of(
                record
            ):
                raise stale_error()
            before = snapshot(locked, self.tracked_fields)
            from_status = self.status_of(locked)
            for name, value in changes.items():
                setattr(locked, name, value)
            setattr(locked, self.status_field, from_status if target == SAME else target)
            locked.full_clean(exclude=list(self.clean_exclude))
            locked.save()
            self.record_history(record=locked, by=by, step=step, from_status=from_status, reason=reason)
            audit_record(
                actor=by,
                action=AuditEntry.Action.TRANSITION,
                obj=locked,
                changes=diff(before, snapshot(locked, self.tracked_fields)),
                reason=reason,
                request=request,
            )
        for name in {*self.tracked_fields, self.status_field, self.version_field, *changes}:
            setattr(record, name, getattr(locked, name))
        return record

    def record_history(
        self, *, record: M, by: Actor, step: str, from_status: str = "", reason: str = ""
    ) -> None:
        """One row in the module's history table (also for the record's creation: step "create", which must
        leave the record in the declared initial status)."""
        if step == "create" and self.status_of(record) not in {self.initial, *self.also_initial}:
            raise ValueError(
                f"{self.model.__name__} is created {str(self.initial)!r}, not {self.status_of(record)!r}"
            )
        insert(  # one per step of every record in the system: its INSERT built once (core.prepared)
            self.history(
                **{self.history_fk: record},
                step=step,
                from_status=from_status,
                to_status=self.status_of(record),
                by=user_or_none(by),
                by_system=by.code if isinstance(by, SystemActor) else "",
                at=timezone.now(),
                reason=reason,
            )
        )


def stale_error() -> ValidationError:
    return ValidationError(
        _("Someone else changed this record meanwhile; reload it and try again."), code="stale"
    )


LIFECYCLES: dict[str, Lifecycle[Any]] = {}


# --- the page's forms ------------------------------------------------------------------------------------------


class StepForm(forms.Form):
    """A step's input on the detail page. It carries the version the page was rendered with, so a form
    submitted after someone else changed the record is refused instead of overwriting their change."""

    version = forms.CharField(widget=forms.HiddenInput, required=False)

    def __init__(
        self, data: Any = None, files: Any = None, *, actor: Actor, record: Any, **kwargs: Any
    ) -> None:
        super().__init__(data, files, **kwargs)
        self.actor, self.record = actor, record
        self.setup()

    def setup(self) -> None:
        """Fit the fields to the actor and the record (choices, initial values)."""

    def inputs(self) -> dict[str, Any]:
        """The service's keyword arguments."""
        return {k: v for k, v in self.cleaned_data.items() if k != "version"}


class PlainStepForm(StepForm):
    """A step that asks nothing."""


class ReasonForm(StepForm):
    reason = forms.CharField(label=_lazy("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(StepForm):
    reason = forms.CharField(label=_lazy("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


def step_forms(lifecycle: Lifecycle[Any], *, actor: Actor, record: Any) -> dict[str, StepForm]:
    """The forms of the steps the actor may take now, each carrying the record's version."""
    version = lifecycle.version(record)
    offered: dict[str, StepForm] = {}
    for step in lifecycle.available(actor=actor, record=record):
        if step.form_class is None:
            continue
        form = step.form_class(actor=actor, record=record)
        form.initial["version"] = version
        offered[step.name] = form
    return offered
