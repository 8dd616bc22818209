"""The detail pages' forms: one per lifecycle step (named in supervision.transitions), and the records' own forms
(forms_records.py)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prokuratura.core.lifecycle import StepForm

from .models import ActResult, AnsweredBy, CourtResult


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class PlainStepForm(StepForm):
    """A step that asks nothing."""


class ReasonForm(StepForm):
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(StepForm):
    reason = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class InspectionExtendForm(StepForm):
    until = forms.DateField(label=_("New end of the period"), widget=date_input())
    reason = forms.CharField(label=_("Reasons for the extension"), widget=forms.Textarea(attrs={"rows": 3}))


class InspectionCompleteForm(StepForm):
    results = forms.CharField(label=_("What the inspection found"), widget=forms.Textarea(attrs={"rows": 5}))
    completed_on = forms.DateField(label=_("Completed on"), widget=date_input(), required=False)


class ActIssueForm(StepForm):
    issued_on = forms.DateField(label=_("Date of the act"), widget=date_input(), required=False)
    due_date = forms.DateField(
        label=_("Answer due"),
        widget=date_input(),
        required=False,
        help_text=_("Only where the act names its own term, or a shorter one than the law's."),
    )

    def setup(self) -> None:
        if self.record.act_type.answered_by == AnsweredBy.NONE:
            del self.fields["due_date"]


class ActReplyForm(StepForm):
    reply_on = forms.DateField(label=_("Reply dated"), widget=date_input())
    reply_number = forms.CharField(label=_("Reply's number"), max_length=60, required=False)
    result = forms.ChoiceField(label=_("Result"), choices=ActResult.choices)
    reply_summary = forms.CharField(
        label=_("What the addressee answered"), widget=forms.Textarea(attrs={"rows": 3}), required=False
    )


class OutcomeFields(forms.Form):
    persons_restored = forms.IntegerField(
        label=_("Persons whose rights were restored"), min_value=0, initial=0
    )
    amount_recovered = forms.DecimalField(
        label=_("Amount recovered, tenge"), min_value=Decimal("0"), max_digits=18, decimal_places=2, initial=0
    )
    persons_disciplinary = forms.IntegerField(
        label=_("Brought to disciplinary responsibility"), min_value=0, initial=0
    )
    persons_administrative = forms.IntegerField(
        label=_("Brought to administrative responsibility"), min_value=0, initial=0
    )
    persons_criminal = forms.IntegerField(
        label=_("Brought to criminal responsibility"), min_value=0, initial=0
    )

    OUTCOME = (
        "persons_restored",
        "amount_recovered",
        "persons_disciplinary",
        "persons_administrative",
        "persons_criminal",
    )

    def outcome(self) -> Any:
        from .services import Outcome

        return Outcome(**{name: self.cleaned_data[name] for name in self.OUTCOME})


class ActResultForm(StepForm, OutcomeFields):
    reason = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def inputs(self) -> dict[str, Any]:
        return {"outcome": self.outcome(), "reason": self.cleaned_data["reason"]}


class ActCourtForm(StepForm, OutcomeFields):
    court_decision_on = forms.DateField(label=_("Court decision dated"), widget=date_input())
    court_result = forms.ChoiceField(label=_("Court decision"), choices=CourtResult.choices)

    def inputs(self) -> dict[str, Any]:
        return {
            "court_decision_on": self.cleaned_data["court_decision_on"],
            "court_result": self.cleaned_data["court_result"],
            "outcome": self.outcome(),
        }
