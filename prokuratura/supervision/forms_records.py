"""The records' own forms (plan an inspection, record a violation, draft an act, record a visit) and the lists'
filters. Forms parse and offer choices; the services decide, and their errors come back onto the form
(core.forms.errors.add_service_errors)."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Perm, Role
from prokuratura.appeals.access import appeals_visible_q
from prokuratura.appeals.models import Appeal
from prokuratura.core.access import office_subtree_ids, offices_visible_to
from prokuratura.core.forms.offices import OfficeChoiceField
from prokuratura.core.models import CrimeCategory, Office, Sensitivity
from prokuratura.core.validators import validate_bin

from . import selectors
from .forms import date_input
from .models import (
    LETTER_LANGUAGES,
    ActStatus,
    ActType,
    FacilityKind,
    Ground,
    Inspection,
    InspectionKind,
    InspectionStatus,
    SubjectKind,
    Violation,
    ViolationCategory,
)
from .selectors import ListFilters
from .services import ActData, InspectionData, ViolationData, VisitData

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

ANY = ("", _("Any"))
# The one-time token a form carries, so that a second click on "Save" returns the record the first one made.
KEY_FIELD_LENGTH = 64


def submission_key_field() -> forms.CharField:
    return forms.CharField(widget=forms.HiddenInput, required=False, max_length=KEY_FIELD_LENGTH)


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def supervision_workers(*, office: Office | None) -> QuerySet[User]:
    """Active users holding `supervision.work` in `office` and the offices below it (who may be made responsible
    for an inspection there), by office, then name."""
    from prokuratura.accounts.selectors import users_holding

    return users_holding(permission=Perm.SUPERVISION_WORK, office=office)


def _own_offices(user: User) -> QuerySet[Office]:
    """The user's office and the offices below it (where the user may plan an inspection)."""
    if user.office is None:
        return Office.objects.none()
    return Office.objects.filter(is_active=True, pk__in=office_subtree_ids(user.office)).order_by("path")


class UserChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.full_name} ({obj.office.code})" if obj.office_id else obj.full_name


# --- the lists' filters ----------------------------------------------------------------------------------------


class ListFilterForm(forms.Form):
    """What every supervision list filters by; each list adds its status and kind choices."""

    q = forms.CharField(
        label=_("Search"), max_length=200, required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    office = OfficeChoiceField(
        label=_("Office and below"), queryset=Office.objects.none(), required=False, empty_label=_("All")
    )
    date_from = forms.DateField(label=_("From"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("To"), required=False, widget=date_input())
    mine = forms.BooleanField(label=_("Mine only"), required=False)

    def __init__(self, data: Any = None, *, user: User, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        office: Any = self.fields["office"]
        office.queryset = offices_visible_to(user=user).order_by("path")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> ListFilters:
        """The selector's filters: none when the form is not valid (the list then shows everything)."""
        if not self.is_bound or not self.is_valid():
            return ListFilters()
        data = self.cleaned_data
        return ListFilters(
            q=data.get("q") or "",
            status=data.get("status") or "",
            kind=data.get("kind") or "",
            office=data.get("office"),
            date_from=data.get("date_from"),
            date_to=data.get("date_to"),
            mine=bool(data.get("mine")),
        )


class InspectionFilterForm(ListFilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=[ANY, *InspectionStatus.choices], required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[ANY, *InspectionKind.choices], required=False)

    field_order = ["q", "status", "kind", "office", "date_from", "date_to", "mine"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_from"].label = _("Period starts from")
        self.fields["date_to"].label = _("Period starts until")
        self.fields["mine"].label = _("Only those I am responsible for")


class ActFilterForm(ListFilterForm):
    status = forms.ChoiceField(label=_("Status"), choices=[ANY, *ActStatus.choices], required=False)
    kind = forms.ChoiceField(label=_("Type"), required=False)

    field_order = ["q", "status", "kind", "office", "date_from", "date_to", "mine"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        kind: Any = self.fields["kind"]
        kind.choices = [ANY, *((t.code, t.name) for t in selectors.act_types(active_only=False))]
        self.fields["date_from"].label = _("Dated from")
        self.fields["date_to"].label = _("Dated until")
        self.fields["mine"].label = _("Only acts I drafted")


class VisitFilterForm(ListFilterForm):
    kind = forms.ChoiceField(label=_("Kind of place"), choices=[ANY, *FacilityKind.choices], required=False)

    field_order = ["q", "kind", "office", "date_from", "date_to", "mine"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["date_from"].label = _("Visited from")
        self.fields["date_to"].label = _("Visited until")
        self.fields["mine"].label = _("Only my visits")


# --- inspections -----------------------------------------------------------------------------------------------


def _appeal_by_number(*, user: User, number: str) -> Appeal | None:
    """The appeal with this registration number, if the user may see it (appeals' own record rule)."""
    return (
        Appeal.objects.filter(appeals_visible_q(user=user), reg_number=number.strip())
        .select_related("office")
        .first()
    )


class InspectionForm(forms.Form):
    """Plan an inspection, or correct a planned or running one (`inspection` given: its office and the end of its
    period are not changed here — the end moves only by the "extend" step)."""

    office = OfficeChoiceField(label=_("Office"), queryset=Office.objects.none())
    kind = forms.ChoiceField(label=_("Kind of inspection"), choices=InspectionKind.choices)
    ground = forms.ChoiceField(label=_("Grounds"), choices=Ground.choices)
    ground_appeal_number = forms.CharField(
        label=_("Registration number of the appeal"),
        max_length=40,
        required=False,
        help_text=_("When the grounds are a citizen's appeal."),
    )
    ground_detail = forms.CharField(
        label=_("The instruction, report or information in detail"),
        max_length=500,
        required=False,
        help_text=_("Its number and date, the media outlet or the body that informed."),
    )
    subject_kind = forms.ChoiceField(label=_("What is inspected"), choices=SubjectKind.choices)
    subject_name = forms.CharField(label=_("Name of the body or organisation"), max_length=300)
    subject_bin = forms.CharField(
        label=_("BIN"), max_length=12, required=False, validators=[validate_bin], help_text=_("12 digits")
    )
    subject_official = forms.CharField(label=_("Official"), max_length=300, required=False)
    period_start = forms.DateField(label=_("Period from"), widget=date_input())
    period_end = forms.DateField(label=_("Period until"), widget=date_input())
    responsible = UserChoiceField(label=_("Responsible prosecutor"), queryset=None)  # type: ignore[arg-type]
    topics = forms.CharField(label=_("Scope: the questions inspected"), widget=_textarea(4), required=False)
    iccs_sections = forms.ModelMultipleChoiceField(
        label=_("Crime categories (ICCS sections)"),
        queryset=CrimeCategory.objects.filter(kind=CrimeCategory.Kind.ICCS_SECTION),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    focus_areas = forms.ModelMultipleChoiceField(
        label=_("Crime focus areas"),
        queryset=CrimeCategory.objects.filter(kind=CrimeCategory.Kind.FOCUS_AREA),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    sensitivity = forms.ChoiceField(
        label=_("Who may read the record"), choices=Sensitivity.choices, initial=Sensitivity.INTERNAL
    )
    submission_key = submission_key_field()

    def __init__(
        self, data: Any = None, *, user: User, inspection: Inspection | None = None, **kwargs: Any
    ) -> None:
        super().__init__(data, **kwargs)
        self.user, self.inspection = user, inspection
        fields: Any = self.fields
        if inspection is None:
            fields["office"].queryset = _own_offices(user)
            fields["responsible"].queryset = supervision_workers(office=user.office)
            if user.office is not None:
                self.initial.setdefault("office", user.office.pk)
            self.initial.setdefault("responsible", user.pk)
        else:
            del fields["office"], fields["period_end"], fields["submission_key"]
            fields["responsible"].queryset = supervision_workers(office=inspection.office)
        self.ground_appeal: Appeal | None = None

    @classmethod
    def initial_from(cls, inspection: Inspection) -> dict[str, Any]:
        categories = list(inspection.crime_categories.all())
        return {
            "kind": inspection.kind,
            "ground": inspection.ground,
            "ground_appeal_number": inspection.ground_appeal.reg_number if inspection.ground_appeal else "",
            "ground_detail": inspection.ground_detail,
            "subject_kind": inspection.subject_kind,
            "subject_name": inspection.subject_name,
            "subject_bin": inspection.subject_bin,
            "subject_official": inspection.subject_official,
            "period_start": inspection.period_start,
            "responsible": inspection.responsible_id,
            "topics": inspection.topics,
            "iccs_sections": [c.pk for c in categories if c.kind == CrimeCategory.Kind.ICCS_SECTION],
            "focus_areas": [c.pk for c in categories if c.kind == CrimeCategory.Kind.FOCUS_AREA],
            "sensitivity": inspection.sensitivity,
        }

    @classmethod
    def initial_from_appeal(cls, appeal: Appeal, *, user: User) -> dict[str, Any]:
        """An inspection on a citizen's appeal: the appeal as the grounds, its respondent as the subject."""
        initial: dict[str, Any] = {
            "ground": Ground.APPEAL,
            "ground_appeal_number": appeal.reg_number,
            "kind": InspectionKind.UNSCHEDULED,
            "subject_name": appeal.respondent_body or appeal.respondent_official,
            "subject_official": appeal.respondent_official,
            "subject_kind": (
                SubjectKind.OFFICIAL
                if appeal.respondent_official and not appeal.respondent_body
                else SubjectKind.STATE_BODY
            ),
            "topics": appeal.subject,
        }
        if user.office is not None and appeal.office.is_within(user.office):
            initial["office"] = appeal.office_id
        if appeal.crime_focus_id:
            initial["focus_areas"] = [appeal.crime_focus_id]
        return initial

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        number = (data.get("ground_appeal_number") or "").strip()
        if data.get("ground") == Ground.APPEAL:
            if not number:
                self.add_error("ground_appeal_number", _("Name the appeal that is the ground."))
            else:
                self.ground_appeal = _appeal_by_number(user=self.user, number=number)
                if self.ground_appeal is None:
                    self.add_error("ground_appeal_number", _("No appeal with this number that you may see."))
        return data

    def data_for_service(self) -> InspectionData:
        data = self.cleaned_data
        inspection = self.inspection
        return InspectionData(
            office=inspection.office if inspection else data["office"],
            kind=data["kind"],
            ground=data["ground"],
            ground_appeal=self.ground_appeal if data["ground"] == Ground.APPEAL else None,
            ground_detail=data["ground_detail"],
            subject_kind=data["subject_kind"],
            subject_name=data["subject_name"],
            subject_bin=data["subject_bin"],
            subject_official=data["subject_official"],
            period_start=data["period_start"],
            period_end=inspection.period_end if inspection else data["period_end"],
            responsible=data["responsible"],
            topics=data["topics"],
            crime_categories=[*data["iccs_sections"], *data["focus_areas"]],
            sensitivity=data["sensitivity"],
        )


# Where a service's error about the appeal lands on the form (the form asks for the number, not the record).
INSPECTION_ERROR_FIELDS = {"ground_appeal": "ground_appeal_number"}


# --- violations ------------------------------------------------------------------------------------------------


class ViolationForm(forms.Form):
    found_on = forms.DateField(label=_("Found on"), widget=date_input())
    description = forms.CharField(label=_("Description of the violation"), widget=_textarea(4))
    law_violated = forms.CharField(
        label=_("Act and article violated"),
        max_length=400,
        help_text=_("E.g. the Labour Code of the Republic of Kazakhstan, article 113."),
    )
    category = forms.ChoiceField(label=_("Category"), choices=ViolationCategory.choices)
    persons_affected = forms.IntegerField(
        label=_("Persons whose rights were violated"), min_value=0, initial=0
    )
    damage = forms.DecimalField(
        label=_("Damage, tenge"), min_value=Decimal("0"), max_digits=18, decimal_places=2, initial=0
    )
    submission_key = submission_key_field()

    @classmethod
    def initial_from(cls, violation: Violation) -> dict[str, Any]:
        return {name: getattr(violation, name) for name in ViolationData.__dataclass_fields__}

    def data_for_service(self) -> ViolationData:
        data = self.cleaned_data
        return ViolationData(
            found_on=data["found_on"],
            description=data["description"],
            law_violated=data["law_violated"],
            category=data["category"],
            persons_affected=data["persons_affected"],
            damage=data["damage"],
        )


# --- acts of response ------------------------------------------------------------------------------------------


def violation_choices(
    *, user: User, inspection: Inspection | None = None, appeal: Appeal | None = None, visit: Any = None
) -> QuerySet[Violation] | None:
    """The violations an act drafted on `inspection` or `appeal` may answer (those of the same source the user may
    see); None for an act after a visit or on its own, which answers none."""
    if inspection is not None:
        return selectors.inspection_violations(user=user, inspection=inspection)
    if appeal is not None:
        return selectors.violation_list(user=user).filter(appeal=appeal).order_by("found_on", "id")
    return None


class ViolationChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return f"{obj.found_on:%d.%m.%Y} — {obj.law_violated}: {obj.description[:120]}"


class ActForm(forms.Form):
    """Draft an act, or edit a draft. `violations`: those of the same inspection or appeal the act may answer
    (none: the field is left out)."""

    act_type = forms.ModelChoiceField(label=_("Type of act"), queryset=ActType.objects.none())
    addressee_name = forms.CharField(label=_("Addressee"), max_length=300)
    addressee_official = forms.CharField(
        label=_("Official the act is addressed to"), max_length=300, required=False
    )
    addressee_bin = forms.CharField(
        label=_("Addressee's BIN"), max_length=12, required=False, validators=[validate_bin]
    )
    addressee_address = forms.CharField(label=_("Addressee's address"), max_length=500, required=False)
    language = forms.ChoiceField(label=_("Language of the act"), choices=LETTER_LANGUAGES, initial="ru")
    violations = ViolationChoiceField(
        label=_("Violations the act answers"),
        queryset=Violation.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    subject = forms.CharField(label=_("Title"), max_length=300, required=False)
    text = forms.CharField(label=_("Text of the act"), widget=_textarea(12), required=False)
    submission_key = submission_key_field()

    def __init__(
        self,
        data: Any = None,
        *,
        violations: QuerySet[Violation] | None,
        draft: bool = True,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        fields: Any = self.fields
        fields["act_type"].queryset = selectors.act_types()
        if violations is None:
            del fields["violations"]
        else:
            fields["violations"].queryset = violations
        if draft:
            hint = _("Leave empty to start from the type's template in the act's language.")
            fields["subject"].help_text = hint
            fields["text"].help_text = hint
        else:
            del fields["submission_key"]
            fields["subject"].required = True
            fields["text"].required = True

    @classmethod
    def initial_from(cls, act: Any) -> dict[str, Any]:
        return {
            "act_type": act.act_type_id,
            "addressee_name": act.addressee_name,
            "addressee_official": act.addressee_official,
            "addressee_bin": act.addressee_bin,
            "addressee_address": act.addressee_address,
            "language": act.language,
            "violations": [v.pk for v in act.violations.all()],
            "subject": act.subject,
            "text": act.text,
        }

    def data_for_service(self) -> ActData:
        data = self.cleaned_data
        return ActData(
            act_type=data["act_type"],
            addressee_name=data["addressee_name"],
            language=data["language"],
            subject=data["subject"],
            text=data["text"],
            addressee_official=data["addressee_official"],
            addressee_bin=data["addressee_bin"],
            addressee_address=data["addressee_address"],
            violations=list(data.get("violations") or []),
        )


# --- visits to places of detention -----------------------------------------------------------------------------


def facility_choices(facilities: list[Any], *, first_region_id: int | None = None) -> list[tuple[Any, Any]]:
    """The places of detention grouped by region (the user's own region first), for a <select> with optgroups."""
    groups: dict[int, tuple[str, list[tuple[int, str]]]] = {}
    for facility in facilities:
        group = groups.setdefault(facility.region_id, (facility.region.name, []))
        group[1].append((facility.pk, f"{facility.name} — {facility.get_kind_display()}"))
    ordered = sorted(groups.items(), key=lambda item: item[0] != first_region_id)
    return [("", "—"), *((name, options) for _id, (name, options) in ordered)]


class VisitForm(forms.Form):
    facility = forms.TypedChoiceField(label=_("Place of detention"), coerce=int)
    visited_on = forms.DateField(label=_("Visited on"), widget=date_input())
    unannounced = forms.BooleanField(label=_("The visit was unannounced"), required=False, initial=True)
    findings = forms.CharField(label=_("Findings"), widget=_textarea(6))
    torture_alleged = forms.BooleanField(label=_("Torture was alleged"), required=False)
    ill_treatment_alleged = forms.BooleanField(
        label=_("Cruel, inhuman or degrading treatment was alleged"), required=False
    )
    persons_concerned = forms.CharField(
        label=_("Persons concerned"),
        widget=_textarea(3),
        required=False,
        help_text=_("Required when torture or ill-treatment is alleged."),
    )
    persons_count = forms.IntegerField(label=_("Number of persons concerned"), min_value=0, initial=0)
    follow_up = forms.CharField(label=_("Follow-up"), widget=_textarea(3), required=False)
    sensitivity = forms.ChoiceField(
        label=_("Who may read the record"),
        choices=Sensitivity.choices,
        initial=Sensitivity.RESTRICTED,
        help_text=_("Restricted: only the visiting prosecutor and the heads over the office read it."),
    )
    submission_key = submission_key_field()

    def __init__(self, data: Any = None, *, user: User, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.facilities = {f.pk: f for f in selectors.facilities()}
        facility: Any = self.fields["facility"]
        region_id = user.office.region_id if user.office is not None else None
        facility.choices = facility_choices(list(self.facilities.values()), first_region_id=region_id)
        # A visit's record is restricted; only a head may open it to more readers (services.visits).
        if not user.has_role(Role.HEAD):
            del self.fields["sensitivity"]
        if editing:
            del self.fields["submission_key"]

    @classmethod
    def initial_from(cls, visit: Any) -> dict[str, Any]:
        names = [n for n in VisitData.__dataclass_fields__ if n != "facility"]
        initial = {name: getattr(visit, name) for name in names}
        initial["facility"] = visit.facility_id
        return initial

    def data_for_service(self, *, current_sensitivity: str = Sensitivity.RESTRICTED) -> VisitData:
        data = self.cleaned_data
        return VisitData(
            facility=self.facilities[data["facility"]],
            visited_on=data["visited_on"],
            findings=data["findings"],
            unannounced=data["unannounced"],
            torture_alleged=data["torture_alleged"],
            ill_treatment_alleged=data["ill_treatment_alleged"],
            persons_concerned=data["persons_concerned"],
            persons_count=data["persons_count"],
            follow_up=data["follow_up"],
            sensitivity=data.get("sensitivity") or current_sensitivity,
        )
