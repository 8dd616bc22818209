"""The meetings and visits' forms: the list's and the calendar's filters, recording or correcting an event with its
participants, agreements signed and figures (formsets), a follow-up task, a document, the tasks list's filter.

Forms parse and offer choices; the services decide (relations.services.events), and their errors come back onto the
form (core.views.records.add_errors). The selects are built from one read of the reference data
(selectors.event_choices), shared by every row of a formset.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Role
from prokuratura.core.models import Sensitivity

from .forms_steps import date_input
from .models import (
    CounterpartKind,
    Event,
    EventKind,
    EventStatus,
    ParticipantSide,
    TaskStatus,
)
from .selectors import SCOPE_MINE, SCOPE_OFFICE, EventChoices, EventFilters, TaskFilters
from .services import AgreementData, EventData, FigureData, ParticipantData

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

ANY = ("", _("Any"))
KEY_FIELD_LENGTH = 64
MONTH_FORMAT = "%Y-%m"
# The calendar shows months from the first recorded history to a few years ahead.
FIRST_YEAR, LAST_YEAR = 1991, 2100


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


class PickField(forms.ChoiceField):
    """A select over objects read once (`objects`), optionally grouped; cleans to the object itself, so a formset of
    twenty rows reads its choices once, not twenty times."""

    def __init__(
        self,
        *,
        key: Callable[[Any], str] = lambda o: str(o.pk),
        label_of: Callable[[Any], str] = str,
        group_of: Callable[[Any], str] | None = None,
        empty_label: Any = "—",
        **kwargs: Any,
    ) -> None:
        super().__init__(choices=[], **kwargs)
        self.key, self.label_of, self.group_of, self.empty_label = key, label_of, group_of, empty_label
        self.objects: dict[str, Any] = {}

    def set_objects(self, objects: Iterable[Any]) -> None:
        listed = list(objects)
        self.objects = {self.key(o): o for o in listed}
        empty = [("", self.empty_label)]
        if self.group_of is None:
            self.choices = empty + [(self.key(o), self.label_of(o)) for o in listed]
            return
        groups: dict[str, list[tuple[str, str]]] = {}
        for o in listed:
            groups.setdefault(self.group_of(o), []).append((self.key(o), self.label_of(o)))
        self.choices = empty + list(groups.items())

    def to_python(self, value: Any) -> Any:
        return "" if value in self.empty_values else str(value)

    def validate(self, value: Any) -> None:
        if value == "" and self.required:
            raise ValidationError(self.error_messages["required"], code="required")
        if value != "" and value not in self.objects:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice", params={"value": value}
            )

    def clean(self, value: Any) -> Any:
        key = super().clean(value)
        return self.objects.get(key) if key else None

    def prepare_value(self, value: Any) -> Any:
        if hasattr(value, "pk"):
            return self.key(value)
        return value


def _counterpart_label(c: Any) -> str:
    parent = c.parent.abbreviation or c.parent.name if c.parent_id else ""
    return f"{c.label} — {parent}" if parent else c.label


def _counterpart_group(c: Any) -> str:
    return str(CounterpartKind(c.kind).label) if c.kind in CounterpartKind.values else c.kind


def country_field(label: Any, **kwargs: Any) -> PickField:
    return PickField(label=label, key=lambda o: o.iso2, label_of=lambda o: o.name, required=False, **kwargs)


def counterpart_field(label: Any, **kwargs: Any) -> PickField:
    return PickField(
        label=label, label_of=_counterpart_label, group_of=_counterpart_group, required=False, **kwargs
    )


def _instrument_label(i: Any) -> str:
    year = f" ({i.signed_date:%Y})" if i.signed_date else ""
    partner = f"{i.partner.name}: " if i.partner_id else ""
    return f"{partner}{i}{year}"


# --- the list's and the calendar's filters ---------------------------------------------------------------------


class EventFilterBase(forms.Form):
    """What the list and the calendar both filter by: kind, state, counterpart (with everything below it)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=[ANY, *EventKind.choices], required=False)
    state = country_field(_("State"), empty_label=_("Any"))
    counterpart = counterpart_field(_("Organisation or counterpart"), empty_label=_("Any"))

    def __init__(self, data: Any = None, *, choices: EventChoices, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        fields: Any = self.fields
        fields["state"].set_objects(choices.countries)
        fields["counterpart"].set_objects(choices.counterparts)
        fields["counterpart"].help_text = _("Its bodies, mandates and offices are included.")

    def valid_data(self) -> dict[str, Any]:
        """The cleaned filters, or none when the form is not valid (everything is then shown)."""
        if not self.is_bound or not self.is_valid():
            return {}
        return self.cleaned_data

    def filters(self) -> EventFilters:
        data = self.valid_data()
        state, counterpart, topic = data.get("state"), data.get("counterpart"), data.get("topic")
        return EventFilters(
            q=data.get("q") or "",
            kind=data.get("kind") or "",
            status=data.get("status") or "",
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            year=data.get("year"),
            state=state.iso2 if state else "",
            counterpart=counterpart.pk if counterpart else None,
            topic=topic.code if topic else "",
            special_procedures=bool(data.get("special_procedures")),
        )


class EventFilterForm(EventFilterBase):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Words of the title, place, mandate holder or summary."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=[ANY, *EventStatus.choices], required=False)
    date_from = forms.DateField(label=_("From"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=date_input())
    year = forms.IntegerField(label=_("Year"), required=False, min_value=FIRST_YEAR, max_value=LAST_YEAR)
    topic = PickField(label=_("Topic"), key=lambda o: o.code, label_of=lambda o: o.name, required=False)
    special_procedures = forms.BooleanField(label=_("Visits of UN special procedures only"), required=False)

    field_order = [
        "q",
        "kind",
        "status",
        "date_from",
        "date_to",
        "year",
        "state",
        "counterpart",
        "topic",
        "special_procedures",
    ]

    def __init__(self, data: Any = None, *, choices: EventChoices, **kwargs: Any) -> None:
        super().__init__(data, choices=choices, **kwargs)
        topic: Any = self.fields["topic"]
        topic.empty_label = _("Any")
        topic.set_objects(choices.topics)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data


class CalendarFilterForm(EventFilterBase):
    month = forms.CharField(label=_("Month"), required=False, widget=forms.TextInput(attrs={"type": "month"}))

    field_order = ["month", "kind", "state", "counterpart"]

    def clean_month(self) -> dt.date | None:
        value = (self.cleaned_data.get("month") or "").strip()
        if not value:
            return None
        try:
            first = dt.datetime.strptime(value, MONTH_FORMAT).date()  # noqa: DTZ007 — a calendar month, no time
        except ValueError:
            raise ValidationError(
                _("Give the month as YYYY-MM, for example 2026-12."), code="invalid"
            ) from None
        if not FIRST_YEAR <= first.year <= LAST_YEAR:
            raise ValidationError(
                _("Choose a month between %(first)d and %(last)d.")
                % {"first": FIRST_YEAR, "last": LAST_YEAR},
                code="range",
            )
        return first

    def month_first(self, today: dt.date) -> dt.date:
        return self.valid_data().get("month") or today.replace(day=1)


# --- recording an event ------------------------------------------------------------------------------------------


class EventForm(forms.Form):
    """Record an event, or correct one (`event` given: it keeps its status; "held" is asked only when recording)."""

    kind = forms.ChoiceField(label=_("Kind"), choices=EventKind.choices)
    title = forms.CharField(label=_("Title"), max_length=300)
    start_date = forms.DateField(label=_("From"), widget=date_input())
    end_date = forms.DateField(
        label=_("To"), widget=date_input(), required=False, help_text=_("Empty for a one-day event.")
    )
    held = forms.BooleanField(label=_("It has already taken place"), required=False)
    place = forms.CharField(label=_("Place"), max_length=200, required=False)
    country = country_field(_("Country"))
    host = counterpart_field(_("Host"))
    principal = counterpart_field(
        _("Counterpart"), help_text=_("The organisation met, or the mandate that visits.")
    )
    holder_name = forms.CharField(
        label=_("Mandate holder"),
        max_length=200,
        required=False,
        help_text=_("For the visit of a mandate: the special rapporteur's or expert's name."),
    )
    topics = forms.MultipleChoiceField(
        label=_("Topics"), widget=forms.CheckboxSelectMultiple, required=False, choices=[]
    )
    summary = forms.CharField(label=_("Summary"), widget=_textarea(4), required=False, max_length=20000)
    outcomes = forms.CharField(label=_("Outcomes"), widget=_textarea(3), required=False, max_length=20000)
    report_symbol = forms.CharField(
        label=_("Report"), max_length=60, required=False, help_text=_("For example A/HRC/13/39/Add.3.")
    )
    source_url = forms.CharField(label=_("Sources"), widget=_textarea(2), required=False, max_length=5000)
    note = forms.CharField(label=_("Note"), widget=_textarea(2), required=False, max_length=5000)
    sensitivity = forms.ChoiceField(
        label=_("Who may read the record"), choices=Sensitivity.choices, initial=Sensitivity.INTERNAL
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=KEY_FIELD_LENGTH)

    def __init__(
        self,
        data: Any = None,
        *,
        user: User,
        choices: EventChoices,
        event: Event | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.event = event
        fields: Any = self.fields
        if not user.has_role(Role.HEAD):
            # Only a head restricts a record or changes who may read it (services.events).
            if event is None:
                fields["sensitivity"].choices = [
                    c for c in Sensitivity.choices if c[0] != Sensitivity.RESTRICTED
                ]
            else:
                fields["sensitivity"].disabled = True
        fields["country"].set_objects(choices.countries)
        fields["host"].set_objects(choices.counterparts)
        fields["principal"].set_objects(choices.counterparts)
        self.topic_objects = {t.code: t for t in choices.topics}
        fields["topics"].choices = [(t.code, t.name) for t in choices.topics]
        if event is not None:
            del fields["held"], fields["submission_key"]

    @classmethod
    def initial_from(cls, event: Event) -> dict[str, Any]:
        return {
            "kind": event.kind,
            "title": event.title,
            "start_date": event.start_date,
            "end_date": event.end_date,
            "place": event.place,
            "country": event.country_id or "",
            "host": event.host_id or "",
            "principal": event.principal_id or "",
            "holder_name": event.holder_name,
            "topics": [t.code for t in event.topics.all()],
            "summary": event.summary,
            "outcomes": event.outcomes,
            "report_symbol": event.report_symbol,
            "source_url": event.source_url,
            "note": event.note,
            "sensitivity": event.sensitivity,
        }

    def data_for_service(self) -> EventData:
        d = self.cleaned_data
        return EventData(
            kind=d["kind"],
            title=d["title"],
            start_date=d["start_date"],
            end_date=d.get("end_date"),
            held=bool(d.get("held")),
            place=d.get("place") or "",
            country=d.get("country"),
            host=d.get("host"),
            principal=d.get("principal"),
            holder_name=d.get("holder_name") or "",
            topics=[self.topic_objects[code] for code in d.get("topics") or []],
            summary=d.get("summary") or "",
            outcomes=d.get("outcomes") or "",
            report_symbol=d.get("report_symbol") or "",
            source_url=d.get("source_url") or "",
            note=d.get("note") or "",
            sensitivity=d.get("sensitivity") or Sensitivity.INTERNAL,
        )


class RowForm(forms.Form):
    """A row of one of the event's lists; the choices come from the formset's `form_kwargs`. A row whose
    `filled_fields` are all empty is left out (a blank extra row, or one the officer emptied)."""

    filled_fields: tuple[str, ...] = ()

    def __init__(self, *args: Any, choices: EventChoices, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.setup(choices)

    def setup(self, choices: EventChoices) -> None:
        """Give the selects their objects."""

    def is_blank(self) -> bool:
        data = self.cleaned_data
        return all(data.get(name) in (None, "", [], False) for name in self.filled_fields)

    def item(self) -> Any:
        raise NotImplementedError


class ParticipantForm(RowForm):
    side = forms.ChoiceField(
        label=_("Side"), choices=ParticipantSide.choices, initial=ParticipantSide.PARTNER
    )
    country = country_field(_("State"))
    counterpart = counterpart_field(_("or organisation or agency"))
    official_name = forms.CharField(label=_("Official"), max_length=200, required=False)
    official_title = forms.CharField(label=_("Title"), max_length=300, required=False)
    heads_delegation = forms.BooleanField(label=_("Heads the delegation"), required=False)
    delegation_size = forms.IntegerField(label=_("Delegation size"), required=False, min_value=0)

    filled_fields = ("country", "counterpart", "official_name", "official_title", "delegation_size")

    def setup(self, choices: EventChoices) -> None:
        fields: Any = self.fields
        fields["country"].set_objects(choices.countries)
        fields["counterpart"].set_objects(choices.counterparts)

    def item(self) -> ParticipantData:
        d = self.cleaned_data
        return ParticipantData(
            side=d.get("side") or ParticipantSide.PARTNER,
            country=d.get("country"),
            counterpart=d.get("counterpart"),
            official_name=d.get("official_name") or "",
            official_title=d.get("official_title") or "",
            heads_delegation=bool(d.get("heads_delegation")),
            delegation_size=d.get("delegation_size"),
        )


class AgreementForm(RowForm):
    instrument = PickField(label=_("Treaty in the register"), label_of=_instrument_label, required=False)
    title = forms.CharField(
        label=_("or its title"),
        max_length=500,
        required=False,
        help_text=_("When it is not in the register."),
    )
    signed_on = forms.DateField(label=_("Signed on"), widget=date_input(), required=False)

    filled_fields = ("instrument", "title", "signed_on")

    def setup(self, choices: EventChoices) -> None:
        instrument: Any = self.fields["instrument"]
        instrument.set_objects(choices.instruments)

    def item(self) -> AgreementData:
        d = self.cleaned_data
        return AgreementData(
            instrument=d.get("instrument"), title=d.get("title") or "", signed_on=d.get("signed_on")
        )


class FigureForm(RowForm):
    value = forms.DecimalField(label=_("Number"), max_digits=18, decimal_places=2, required=False)
    text = forms.CharField(label=_("As written"), max_length=100, required=False)
    subject = forms.CharField(label=_("What it counts"), max_length=300, required=False)
    sentence = forms.CharField(label=_("Sentence"), widget=_textarea(2), required=False, max_length=5000)

    filled_fields = ("value", "text", "subject", "sentence")

    def item(self) -> FigureData:
        d = self.cleaned_data
        value: Decimal | None = d.get("value")
        return FigureData(
            value=value,  # type: ignore[arg-type]  # None: the service refuses the row with its message
            text=d.get("text") or (f"{value:f}" if value is not None else ""),
            subject=d.get("subject") or "",
            sentence=d.get("sentence") or "",
        )


class RowFormSet(forms.BaseFormSet):
    def items(self) -> list[Any]:
        """The filled-in rows not marked for deletion, in order (blank extra rows are left out)."""
        return [
            form.item()
            for form in self.forms
            if form.has_changed() and not form.is_blank() and not self._should_delete_form(form)  # type: ignore[attr-defined]
        ]


def _formset(form: type[RowForm], extra: int) -> Any:
    return forms.formset_factory(
        form, formset=RowFormSet, extra=extra, can_delete=True, max_num=100, validate_max=True
    )


ParticipantFormSet = _formset(ParticipantForm, extra=3)
AgreementFormSet = _formset(AgreementForm, extra=1)
FigureFormSet = _formset(FigureForm, extra=1)

FORMSETS = (
    ("participants", ParticipantFormSet),
    ("agreements", AgreementFormSet),
    ("figures", FigureFormSet),
)


def event_formsets(data: Any = None, *, choices: EventChoices, event: Event | None = None) -> dict[str, Any]:
    """The three lists' formsets (prefixes participants, agreements, figures), filled from `event` when not bound."""
    initial: dict[str, list[dict[str, Any]]] = {"participants": [], "agreements": [], "figures": []}
    if event is not None and data is None:
        initial["participants"] = [
            {
                "side": p.side,
                "country": p.country_id or "",
                "counterpart": p.counterpart_id or "",
                "official_name": p.official_name,
                "official_title": p.official_title,
                "heads_delegation": p.heads_delegation,
                "delegation_size": p.delegation_size,
            }
            for p in event.participants.all()
        ]
        initial["agreements"] = [
            {"instrument": a.instrument_id or "", "title": a.title, "signed_on": a.signed_on}
            for a in event.agreements.all()
        ]
        initial["figures"] = [
            {"value": f.value, "text": f.text, "subject": f.subject, "sentence": f.sentence}
            for f in event.figures.all()
        ]
    return {
        prefix: formset(
            data, prefix=prefix, initial=initial[prefix] or None, form_kwargs={"choices": choices}
        )
        for prefix, formset in FORMSETS
    }


# --- follow-up tasks and documents ---------------------------------------------------------------------------------


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.office.code})" if obj.office_id else obj.full_name


class TaskForm(forms.Form):
    title = forms.CharField(label=_("What is to be done"), widget=_textarea(2), max_length=500)
    owner = UserChoiceField(label=_("Owner"), queryset=None)  # type: ignore[arg-type]
    due_date = forms.DateField(label=_("Due"), widget=date_input())

    def __init__(self, data: Any = None, *, owners: QuerySet[User], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "task-%s")
        super().__init__(data, **kwargs)
        owner: Any = self.fields["owner"]
        owner.queryset = owners


class DocumentForm(forms.Form):
    title = forms.CharField(label=_("Title of the document"), max_length=300)
    file = forms.FileField(label=_("File"), help_text=_("PDF, Word, OpenDocument, Excel, text or an image."))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "document-%s")
        super().__init__(*args, **kwargs)


class TaskFilterForm(forms.Form):
    scope = forms.ChoiceField(
        label=_("Whose tasks"),
        choices=[(SCOPE_MINE, _("Mine")), (SCOPE_OFFICE, _("My office's and the offices below"))],
        required=False,
    )
    status = forms.ChoiceField(label=_("Status"), choices=[ANY, *TaskStatus.choices], required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def filters(self) -> TaskFilters:
        if not self.is_bound or not self.is_valid():
            return TaskFilters()
        d = self.cleaned_data
        return TaskFilters(
            scope=d.get("scope") or SCOPE_MINE, status=d.get("status") or "", overdue=bool(d.get("overdue"))
        )
