"""The recommendations' forms: the list's filters and recording or correcting a recommendation. Forms parse and
offer choices; the services decide (services.recommendations), and their errors come back onto the form."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from prokuratura.core.models import Sensitivity

from . import recommendation_selectors as selectors
from .forms_projects import (
    ANY,
    TEXT_MAX,
    CounterpartChoiceField,
    UserChoiceField,
    officer_queryset,
    sensitivity_choices,
    submission_key_field,
    textarea,
)
from .forms_steps import date_input
from .models import Counterpart, Event, ImplementationStatus, Recommendation, RecommendationSource, Topic
from .recommendation_selectors import RecommendationFilters
from .services import RecommendationData

if TYPE_CHECKING:
    from prokuratura.accounts.models import User


class EventChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.start_date:%d.%m.%Y} {obj.title}"


# --- the list's filters -----------------------------------------------------------------------------------------


class RecommendationFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("In the text, the document symbol and the paragraph."),
    )
    source_kind = forms.ChoiceField(
        label=_("Made by"), choices=[ANY, *RecommendationSource.choices], required=False
    )
    source = CounterpartChoiceField(
        label=_("Mandate or body"),
        queryset=Counterpart.objects.none(),
        required=False,
        empty_label=_("All"),
        help_text=_("With everything below it."),
    )
    theme = forms.ModelChoiceField(
        label=_("Theme"), queryset=selectors.theme_choices(), required=False, empty_label=_("All")
    )
    responsible = forms.ModelChoiceField(
        label=_("Responsible body"),
        queryset=Counterpart.objects.none(),
        required=False,
        empty_label=_("All"),
    )
    status = forms.ChoiceField(
        label=_("Implementation"), choices=[ANY, *ImplementationStatus.choices], required=False
    )
    event = EventChoiceField(
        label=_("Visit or meeting"), queryset=Event.objects.none(), required=False, empty_label=_("All")
    )
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def __init__(self, data: Any = None, *, user: User, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        fields: Any = self.fields
        fields["source"].queryset = selectors.source_choices()
        fields["responsible"].queryset = selectors.responsible_choices()
        fields["event"].queryset = selectors.event_choices(user=user, with_recommendations=True)

    def filters(self) -> RecommendationFilters:
        """The selector's filters: none when the form is not valid (the list then shows everything)."""
        if not self.is_bound or not self.is_valid():
            return RecommendationFilters()
        data = self.cleaned_data
        return RecommendationFilters(
            q=data.get("q") or "",
            source_kind=data.get("source_kind") or "",
            source=data.get("source"),
            theme=data.get("theme"),
            responsible=data.get("responsible"),
            status=data.get("status") or "",
            overdue=bool(data.get("overdue")),
            event=data.get("event"),
        )


# --- recording and correcting -----------------------------------------------------------------------------------


class RecommendationForm(forms.Form):
    """Record a recommendation (with its implementation status of the day and the evidence for it), or correct one
    (`recommendation` given: the status and the evidence change only by the lifecycle's steps)."""

    source_kind = forms.ChoiceField(label=_("Made by"), choices=RecommendationSource.choices)
    source = CounterpartChoiceField(
        label=_("Mandate or body"),
        queryset=Counterpart.objects.none(),
        required=False,
        help_text=_("E.g. the Special Rapporteur on torture, the Committee against Torture, ODIHR."),
    )
    event = EventChoiceField(
        label=_("Visit or meeting"),
        queryset=Event.objects.none(),
        required=False,
        help_text=_("The visit whose report made the recommendation, if any."),
    )
    document = forms.CharField(
        label=_("Document"), max_length=120, required=False, help_text=_("E.g. A/HRC/13/39/Add.3")
    )
    paragraph = forms.CharField(label=_("Paragraph"), max_length=30, required=False)
    issued_on = forms.DateField(label=_("Made on"), widget=date_input())
    text = forms.CharField(label=_("Recommendation"), widget=textarea(5), max_length=TEXT_MAX)
    theme = forms.ModelChoiceField(label=_("Theme"), queryset=Topic.objects.none(), required=False)
    responsible = forms.ModelChoiceField(
        label=_("Responsible body"), queryset=Counterpart.objects.none(), required=False
    )
    officer = UserChoiceField(label=_("Officer in charge"), queryset=None, required=False)  # type: ignore[arg-type]
    planned_actions = forms.CharField(
        label=_("Planned actions"), widget=textarea(4), max_length=TEXT_MAX, required=False
    )
    due_date = forms.DateField(label=_("Planned by"), widget=date_input(), required=False)
    status = forms.ChoiceField(
        label=_("Implementation status at entry"),
        choices=ImplementationStatus.choices,
        initial=ImplementationStatus.NOT_STARTED,
        help_text=_("A recommendation entered late comes with its status of the day."),
    )
    evidence = forms.CharField(
        label=_("Evidence"),
        widget=textarea(3),
        max_length=TEXT_MAX,
        required=False,
        help_text=_("What was done, for a recommendation entered partially implemented or implemented."),
    )
    sensitivity = forms.ChoiceField(label=_("Who may read the record"), initial=Sensitivity.INTERNAL)
    submission_key = submission_key_field()

    def __init__(
        self, data: Any = None, *, user: User, recommendation: Recommendation | None = None, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.user, self.recommendation = user, recommendation
        fields: Any = self.fields
        fields["source"].queryset = selectors.source_choices()
        fields["theme"].queryset = selectors.theme_choices()
        fields["responsible"].queryset = selectors.responsible_choices()
        events = selectors.event_choices(user=user)
        if recommendation is not None and recommendation.event_id:
            events = events | Event.objects.filter(pk=recommendation.event_id)  # kept, whoever may see it
        fields["event"].queryset = events
        if recommendation is None:
            fields["officer"].queryset = officer_queryset(office=user.office, current=None)
            fields["sensitivity"].choices = sensitivity_choices(user)
        else:
            del fields["status"], fields["evidence"], fields["submission_key"]
            fields["officer"].queryset = officer_queryset(
                office=recommendation.office, current=recommendation.officer
            )
            fields["sensitivity"].choices = sensitivity_choices(user, recommendation.sensitivity)

    @classmethod
    def initial_from(cls, recommendation: Recommendation) -> dict[str, Any]:
        r = recommendation
        return {
            "source_kind": r.source_kind,
            "source": r.source_id,
            "event": r.event_id,
            "document": r.document,
            "paragraph": r.paragraph,
            "issued_on": r.issued_on,
            "text": r.text,
            "theme": r.theme_id,
            "responsible": r.responsible_id,
            "officer": r.officer_id,
            "planned_actions": r.planned_actions,
            "due_date": r.due_date,
            "sensitivity": r.sensitivity,
        }

    @classmethod
    def initial_for_source(cls, source: Counterpart) -> dict[str, Any]:
        """A recommendation of this mandate or body: who made it, where its kind tells."""
        initial: dict[str, Any] = {"source": source.pk}
        if kind := selectors.source_kind_for(source):
            initial["source_kind"] = kind
        return initial

    @classmethod
    def initial_for_event(cls, event: Event, *, today: dt.date | None = None) -> dict[str, Any]:
        """A recommendation of a visit: the visit, its principal mandate or body as the source (and who made it,
        where the mandate tells), made when the visit ended (or today, if it has not ended yet)."""
        day = today or timezone.localdate()
        initial: dict[str, Any] = {"event": event.pk, "issued_on": min(event.end_date, day)}
        principal = event.principal
        if principal is not None and principal.kind in selectors.SOURCE_KINDS:
            initial.update(cls.initial_for_source(principal))
        return initial

    def data_for_service(self) -> RecommendationData:
        data = self.cleaned_data
        rec = self.recommendation
        return RecommendationData(
            source_kind=data["source_kind"],
            text=data["text"],
            issued_on=data["issued_on"],
            source=data.get("source"),
            event=data.get("event"),
            document=data.get("document") or "",
            paragraph=data.get("paragraph") or "",
            theme=data.get("theme"),
            responsible=data.get("responsible"),
            officer=data.get("officer"),
            planned_actions=data.get("planned_actions") or "",
            due_date=data.get("due_date"),
            status=data.get("status") or (rec.status if rec else ImplementationStatus.NOT_STARTED),
            evidence=data.get("evidence") or (rec.evidence if rec else ""),
            sensitivity=data["sensitivity"],
        )
