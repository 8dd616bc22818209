"""The joint projects' forms: the list's filters and recording or correcting a project. Forms parse and offer
choices; the services decide (services.projects), and their errors come back onto the form."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Role
from prokuratura.core.models import Department, Office, Sensitivity

from . import project_selectors as selectors
from .forms_steps import date_input
from .models import CURRENCIES, Counterpart, Project, ProjectStatus, Topic
from .project_selectors import ProjectFilters
from .services import ProjectData

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

ANY = ("", _("Any"))
# The one-time token a create form carries, so that a second click on "Save" returns the record the first made.
KEY_FIELD_LENGTH = 64
TEXT_MAX = 20000
# The statuses a project may be entered with (services.projects: proposed, under way or completed).
ENTRY_STATUSES = (ProjectStatus.PROPOSED, ProjectStatus.ACTIVE, ProjectStatus.COMPLETED)
EARLIEST_YEAR, LATEST_YEAR = 1991, 2100


def submission_key_field() -> forms.CharField:
    return forms.CharField(widget=forms.HiddenInput, required=False, max_length=KEY_FIELD_LENGTH)


def textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def counterpart_label(counterpart: Counterpart) -> str:
    """The counterpart under its organisation, e.g. "OSCE › OSCE Programme Office in Astana" (the ancestors by
    their short forms)."""
    above = [a.abbreviation or a.name for a in counterpart.ancestors()]
    return " › ".join([*above, counterpart.label])


class CounterpartChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return counterpart_label(obj)


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.office.code})" if obj.office_id else obj.full_name


class DepartmentChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.office.code}: {obj.name}"


class OfficesChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{'— ' * obj.depth}{obj.name} ({obj.code})"


class AmountField(forms.DecimalField):
    """An amount as people type it: "1 500 000,50" as well as "1500000.50"."""

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if isinstance(value, str):
            value = value.replace("\u00a0", "").replace("\u202f", "").replace(" ", "").replace(",", ".")
        return super().to_python(value)


def sensitivity_choices(user: User, current: str | None = None) -> list[tuple[str, Any]]:
    """Who may read the record: only a head restricts one (a record already restricted keeps its choice)."""
    if user.has_role(Role.HEAD):
        return list(Sensitivity.choices)
    return [(v, label) for v, label in Sensitivity.choices if v != Sensitivity.RESTRICTED or v == current]


def officer_queryset(*, office: Office | None, current: User | None) -> QuerySet[User]:
    """Who may be named the officer: relations staff of the office and below, and whoever is named already."""
    from prokuratura.accounts.models import User

    workers = selectors.relations_workers(office=office)
    if current is None:
        return workers
    return User.objects.filter(pk__in=[*workers.values_list("pk", flat=True), current.pk]).select_related(
        "office"
    )


# --- the list's filters -----------------------------------------------------------------------------------------


class ProjectFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"), max_length=200, required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    partner = CounterpartChoiceField(
        label=_("Partner"),
        queryset=Counterpart.objects.none(),
        required=False,
        empty_label=_("All"),
        help_text=_("With its bodies and field offices."),
    )
    status = forms.ChoiceField(label=_("Status"), choices=[ANY, *ProjectStatus.choices], required=False)
    year = forms.IntegerField(
        label=_("Under way in the year"), min_value=EARLIEST_YEAR, max_value=LATEST_YEAR, required=False
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=selectors.topic_choices(), required=False, empty_label=_("All")
    )

    def __init__(self, data: Any = None, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        partner: Any = self.fields["partner"]
        partner.queryset = selectors.partner_choices()

    def filters(self) -> ProjectFilters:
        """The selector's filters: none when the form is not valid (the list then shows everything)."""
        if not self.is_bound or not self.is_valid():
            return ProjectFilters()
        data = self.cleaned_data
        return ProjectFilters(
            q=data.get("q") or "",
            partner=data.get("partner"),
            status=data.get("status") or "",
            year=data.get("year"),
            topic=data.get("topic"),
        )


# --- recording and correcting -----------------------------------------------------------------------------------


class ProjectForm(forms.Form):
    """Record a joint project (with its status of the day: proposed, under way or completed), or correct one
    (`project` given: the status changes only by the lifecycle's steps)."""

    partner = CounterpartChoiceField(
        label=_("Partner"),
        queryset=Counterpart.objects.none(),
        help_text=_("An organisation, its body or field office, or a foreign state's authority."),
    )
    title = forms.CharField(label=_("Title"), max_length=500)
    reference = forms.CharField(label=_("Partner's reference"), max_length=60, required=False)
    start_date = forms.DateField(label=_("From"), widget=date_input())
    end_date = forms.DateField(label=_("To"), widget=date_input(), required=False)
    budget = AmountField(
        label=_("Budget"), max_digits=16, decimal_places=2, min_value=Decimal("0"), required=False
    )
    currency = forms.ChoiceField(label=_("Currency"), choices=[("", "—"), *CURRENCIES], required=False)
    status = forms.ChoiceField(
        label=_("Status at entry"),
        choices=[(s.value, s.label) for s in ENTRY_STATUSES],
        initial=ProjectStatus.PROPOSED,
        help_text=_("A project under way or completed is entered with its status of the day."),
    )
    topics = forms.ModelMultipleChoiceField(
        label=_("Topics"),
        queryset=Topic.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    description = forms.CharField(
        label=_("Description"), widget=textarea(4), max_length=TEXT_MAX, required=False
    )
    outputs = forms.CharField(label=_("Outputs"), widget=textarea(4), max_length=TEXT_MAX, required=False)
    offices = OfficesChoiceField(
        label=_("Offices involved"),
        queryset=Office.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        required=False,
    )
    departments = DepartmentChoiceField(
        label=_("Departments involved"),
        queryset=Department.objects.none(),
        widget=forms.SelectMultiple(attrs={"size": 8}),
        required=False,
    )
    manager = UserChoiceField(label=_("Project officer"), queryset=None, required=False)  # type: ignore[arg-type]
    sensitivity = forms.ChoiceField(label=_("Who may read the record"), initial=Sensitivity.INTERNAL)
    submission_key = submission_key_field()

    def __init__(
        self, data: Any = None, *, user: User, project: Project | None = None, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.user, self.project = user, project
        fields: Any = self.fields
        fields["partner"].queryset = selectors.partner_choices()
        fields["topics"].queryset = selectors.topic_choices()
        fields["offices"].queryset = selectors.office_choices()
        fields["departments"].queryset = selectors.department_choices()
        if project is None:
            fields["manager"].queryset = officer_queryset(office=user.office, current=None)
            fields["sensitivity"].choices = sensitivity_choices(user)
        else:
            del fields["status"], fields["submission_key"]
            fields["manager"].queryset = officer_queryset(office=project.office, current=project.manager)
            fields["sensitivity"].choices = sensitivity_choices(user, project.sensitivity)

    @classmethod
    def initial_from(cls, project: Project) -> dict[str, Any]:
        return {
            "partner": project.partner_id,
            "title": project.title,
            "reference": project.reference,
            "start_date": project.start_date,
            "end_date": project.end_date,
            "budget": project.budget,
            "currency": project.currency,
            "topics": [t.pk for t in project.topics.all()],
            "description": project.description,
            "outputs": project.outputs,
            "offices": [o.pk for o in project.offices.all()],
            "departments": [d.pk for d in project.departments.all()],
            "manager": project.manager_id,
            "sensitivity": project.sensitivity,
        }

    def data_for_service(self) -> ProjectData:
        data = self.cleaned_data
        return ProjectData(
            partner=data["partner"],
            title=data["title"],
            start_date=data["start_date"],
            end_date=data.get("end_date"),
            reference=data.get("reference") or "",
            budget=data.get("budget"),
            currency=data.get("currency") or "",
            description=data.get("description") or "",
            outputs=data.get("outputs") or "",
            manager=data.get("manager"),
            topics=list(data.get("topics") or []),
            offices=list(data.get("offices") or []),
            departments=list(data.get("departments") or []),
            status=data.get("status") or (self.project.status if self.project else ProjectStatus.PROPOSED),
            sensitivity=data["sensitivity"],
        )
