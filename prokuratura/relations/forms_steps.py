"""The detail pages' forms for the relations lifecycles' steps that ask more than a reason (named in
relations.transitions; the plain ones are core.lifecycle's)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from prokuratura.core.lifecycle import StepForm

from .models import ImplementationStatus


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class EventHoldForm(StepForm):
    outcomes = forms.CharField(
        label=_("Outcomes"), widget=forms.Textarea(attrs={"rows": 4}), required=False, max_length=20000
    )
    start_date = forms.DateField(label=_("Held from"), widget=date_input(), required=False)
    end_date = forms.DateField(label=_("Held until"), widget=date_input(), required=False)

    def setup(self) -> None:
        self.fields["start_date"].initial = self.record.start_date
        self.fields["end_date"].initial = self.record.end_date
        self.fields["outcomes"].initial = self.record.outcomes


class TaskCompleteForm(StepForm):
    result = forms.CharField(
        label=_("What was done"), widget=forms.Textarea(attrs={"rows": 3}), max_length=20000
    )
    done_on = forms.DateField(label=_("Done on"), widget=date_input(), required=False)


class TaskRescheduleForm(StepForm):
    due_date = forms.DateField(label=_("New due date"), widget=date_input())
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 2}), max_length=5000)


class ProjectCompleteForm(StepForm):
    outputs = forms.CharField(label=_("Outputs"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000)
    end_date = forms.DateField(label=_("Ended on"), widget=date_input(), required=False)

    def setup(self) -> None:
        self.fields["outputs"].initial = self.record.outputs


class RecommendationStartForm(StepForm):
    planned_actions = forms.CharField(
        label=_("Planned actions"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )
    due_date = forms.DateField(label=_("Planned by"), widget=date_input(), required=False)

    def setup(self) -> None:
        self.fields["planned_actions"].initial = self.record.planned_actions
        self.fields["due_date"].initial = self.record.due_date


REPORT_CHOICES = [
    (s.value, s.label)
    for s in (
        ImplementationStatus.IN_PROGRESS,
        ImplementationStatus.PARTIALLY,
        ImplementationStatus.IMPLEMENTED,
    )
]


class RecommendationReportForm(StepForm):
    status = forms.ChoiceField(label=_("Status now"), choices=REPORT_CHOICES)
    evidence = forms.CharField(
        label=_("What was done (evidence)"), widget=forms.Textarea(attrs={"rows": 4}), max_length=20000
    )
