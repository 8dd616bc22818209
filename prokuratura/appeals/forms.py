"""Input for the appeals screens. Forms parse; the services decide (their errors come back onto the form)."""

from __future__ import annotations

import copy
from typing import Any

from django import forms
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from prokuratura.core.access import office_subtree_ids
from prokuratura.core.forms.offices import OfficeChoiceField
from prokuratura.core.lifecycle import StepForm
from prokuratura.core.models import CrimeCategory, Department, Office, Region, Sensitivity
from prokuratura.core.validators import validate_bin, validate_iin

from .models import LANGUAGE_CHOICES, AppealKind, ApplicantType, Outcome, ReceivedVia, Status, Topic
from .rules import APPEAL_TEXT_MAX_LENGTH, rule
from .services.intake import AppealData
from .services.workflow import ANSWER_OUTCOMES
from .transitions import CORRECTABLE_FIELDS


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    widget = MultipleFileInput

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[Any]:
        if not data:
            return []
        items = data if isinstance(data, list | tuple) else [data]
        return [super(MultipleFileField, self).clean(item, initial) for item in items]


def limit_attachments(field: forms.Field) -> None:
    """Tell the browser the attachment limits of the rules table, so static/js/app.js can refuse a file that is too
    large, or one file too many, before the form is sent: the page and what was typed stay as they are. Without the
    script, or when the limits change meanwhile, the service checks again (services.attachments)."""
    max_mb, max_count = rule("attachment_max_mb"), rule("attachment_max_count")
    field.widget.attrs.update(
        {
            "data-max-bytes": str(max_mb * 1024 * 1024),
            "data-max-count": str(max_count),
            # The service's own messages; the script puts the file's name in place of {name}.
            "data-too-large": gettext("“%(name)s” is larger than %(max)d MB.")
            % {"name": "{name}", "max": max_mb},
            "data-too-many": gettext("At most %(max)d files may be attached.") % {"max": max_count},
        }
    )


def _date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class AppealIntakeForm(forms.Form):
    """The fields every channel asks for; the staff and public forms add their own."""

    kind = forms.ChoiceField(label=_("Kind of appeal"), choices=AppealKind.choices)
    applicant_type = forms.ChoiceField(label=_("Applicant"), choices=ApplicantType.choices)
    applicant_name = forms.CharField(
        label=_("Full name or organisation's name"), max_length=300, required=False
    )
    applicant_iin = forms.CharField(
        label=_("IIN"), max_length=12, required=False, validators=[validate_iin], help_text=_("12 digits")
    )
    applicant_bin = forms.CharField(
        label=_("BIN"), max_length=12, required=False, validators=[validate_bin], help_text=_("12 digits")
    )
    applicant_email = forms.EmailField(label=_("E-mail"), required=False)
    applicant_phone = forms.CharField(label=_("Phone"), max_length=40, required=False)
    applicant_address = forms.CharField(label=_("Postal address"), max_length=500, required=False)
    applicant_language = forms.ChoiceField(label=_("Language of the answer"), choices=LANGUAGE_CHOICES)
    region = forms.ModelChoiceField(label=_("Region"), queryset=Region.objects.order_by("kato_code"))
    topic = forms.ModelChoiceField(label=_("Topic"), queryset=Topic.objects.filter(is_active=True))
    subject = forms.CharField(label=_("Subject"), max_length=300)
    text = forms.CharField(
        label=_("Text of the appeal"),
        max_length=APPEAL_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={
            "max_length": _(
                "The text is too long: at most %(limit_value)d characters, it has %(show_value)d. "
                "Shorten it or attach the rest as a file."
            )
        },
    )
    respondent_body = forms.CharField(label=_("Body complained about"), max_length=300, required=False)
    respondent_official = forms.CharField(
        label=_("Official complained about"), max_length=300, required=False
    )
    decision_learned_on = forms.DateField(
        label=_("For a complaint: when the applicant learned of the decision"),
        required=False,
        widget=_date_input(),
    )
    attachments = MultipleFileField(label=_("Attachments"))
    consent_personal_data = forms.BooleanField(
        label=_("The applicant consents to the processing of their personal data"), required=False
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_attachments(self.fields["attachments"])

    def appeal_data(self, **extra: Any) -> AppealData:
        names = AppealData.field_names()
        values = {k: v for k, v in self.cleaned_data.items() if k in names}
        values.update(extra)
        return AppealData(**values)


class StaffRegistrationForm(AppealIntakeForm):
    received_via = forms.ChoiceField(label=_("Received"), choices=ReceivedVia.choices)
    # A registrar's judgment of what the appeal says; the public form has no such box (an anonymous appeal is
    # triaged on its text, appeals.transitions).
    is_urgent_report = forms.BooleanField(
        label=_("Reports a crime being prepared or committed, or a threat to state or public security"),
        required=False,
    )
    received_at = forms.DateTimeField(
        label=_("Received at"),
        required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leave empty for now."),
    )
    crime_focus = forms.ModelChoiceField(
        label=_("Crime focus area"),
        queryset=CrimeCategory.objects.filter(kind=CrimeCategory.Kind.FOCUS_AREA),
        required=False,
    )
    sensitivity = forms.ChoiceField(
        label=_("Sensitivity"), choices=Sensitivity.choices, initial=Sensitivity.INTERNAL
    )
    office = OfficeChoiceField(
        label=_("Office (leave empty to route by region and topic)"),
        queryset=Office.objects.filter(is_active=True).order_by("path"),
        required=False,
    )
    forward_to = forms.CharField(
        label=_("For an urgent anonymous report: the competent body it goes to at once"),
        max_length=300,
        required=False,
    )
    submission_key = forms.CharField(widget=forms.HiddenInput, required=False, max_length=100)


class AppealFilterForm(forms.Form):
    STATUS_CHOICES = [("", _("Any")), ("open", _("Open (not yet answered)")), *Status.choices]
    q = forms.CharField(
        label=_("Search"), max_length=200, required=False, widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = forms.ChoiceField(label=_("Kind"), choices=[("", _("Any")), *AppealKind.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=STATUS_CHOICES, required=False)
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("kato_code"), required=False, empty_label=_("All")
    )
    office = OfficeChoiceField(
        label=_("Office"), queryset=Office.objects.order_by("path"), required=False, empty_label=_("All")
    )
    topic = forms.ModelChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), required=False, empty_label=_("All")
    )
    registered_from = forms.DateField(label=_("Registered from"), required=False, widget=_date_input())
    registered_to = forms.DateField(label=_("Registered to"), required=False, widget=_date_input())
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("registered_from"), data.get("registered_to")
        if start and end and end < start:
            self.add_error("registered_to", _("The end of the period is before its start."))
        return data


class AssignForm(StepForm):
    assignee: forms.ModelChoiceField[Any] = forms.ModelChoiceField(label=_("Prosecutor"), queryset=None)  # type: ignore[arg-type]
    department = forms.ModelChoiceField(
        label=_("Department"), queryset=Department.objects.none(), required=False
    )
    reason = forms.CharField(
        label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )

    def setup(self) -> None:
        from .selectors import assignable_departments, assignable_users

        fields: Any = self.fields
        fields["assignee"].queryset = assignable_users(appeal=self.record)
        fields["assignee"].label_from_instance = lambda u: (
            f"{u.get_full_name() or u.username} ({u.office.code})"
        )
        fields["department"].queryset = assignable_departments(appeal=self.record)
        self.initial.setdefault("assignee", self.record.assignee_id)


class RouteForm(StepForm):
    office = OfficeChoiceField(label=_("Office"), queryset=Office.objects.none())
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def setup(self) -> None:
        """Offices of the acting user's subtree (the service refuses any other)."""
        office_field: Any = self.fields["office"]
        own = getattr(self.actor, "office", None)
        ids = office_subtree_ids(own) if own is not None else []
        office_field.queryset = Office.objects.filter(is_active=True, pk__in=ids).order_by("path")
        self.initial.setdefault("office", self.record.office_id)


class CorrectForm(StepForm):
    """A registered appeal's details, as registered, to put right (transitions.CORRECTABLE_FIELDS): the staff
    registration form's own fields, so the two ask alike."""

    reason = forms.CharField(label=_("What was wrong"), widget=forms.Textarea(attrs={"rows": 2}))

    def setup(self) -> None:
        reason = self.fields.pop("reason")
        for name in CORRECTABLE_FIELDS:
            self.fields[name] = copy.deepcopy(StaffRegistrationForm.base_fields[name])
            self.initial.setdefault(
                name, getattr(self.record, f"{name}_id" if name in FOREIGN_KEYS else name)
            )
        self.fields["reason"] = reason
        topic: Any = self.fields["topic"]
        topic.queryset = Topic.objects.filter(Q(is_active=True) | Q(pk=self.record.topic_id))

    def inputs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"details": {name: data[name] for name in CORRECTABLE_FIELDS}, "reason": data["reason"]}


FOREIGN_KEYS = frozenset({"region", "topic", "crime_focus"})


class ReasonForm(StepForm):
    reason = forms.CharField(label=_("Reasons"), widget=forms.Textarea(attrs={"rows": 3}))


class OptionalReasonForm(StepForm):
    reason = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 2}), required=False)


class ExtendForm(StepForm):
    until = forms.DateField(label=_("New term"), widget=_date_input())
    reason = forms.CharField(label=_("Reasons for the extension"), widget=forms.Textarea(attrs={"rows": 3}))

    def setup(self) -> None:
        """A head deciding on a prosecutor's request starts from what was asked."""
        self.initial.setdefault("until", self.record.extension_requested_until)
        self.initial.setdefault("reason", self.record.extension_request_reason)


class AnswerForm(StepForm):
    outcome = forms.ChoiceField(
        label=_("Decision"), choices=[(v, label) for v, label in Outcome.choices if v in ANSWER_OUTCOMES]
    )
    answer_text = forms.CharField(
        label=_("Answer to the applicant"), widget=forms.Textarea(attrs={"rows": 8})
    )
    rights_restored = forms.BooleanField(label=_("Rights were restored"), required=False)
    persons_restored = forms.IntegerField(
        label=_("For how many persons"), min_value=0, initial=0, required=False
    )

    def setup(self) -> None:
        """An answer returned by the head for rework starts from the draft that was submitted."""
        for name in ("outcome", "answer_text", "rights_restored", "persons_restored"):
            value = getattr(self.record, name)
            if value:
                self.initial.setdefault(name, value)

    def clean_persons_restored(self) -> int:
        return self.cleaned_data.get("persons_restored") or 0


class ForwardForm(StepForm):
    forwarded_to = forms.CharField(label=_("Competent body"), max_length=300)
    reason = forms.CharField(
        label=_("Why it is outside our competence"), widget=forms.Textarea(attrs={"rows": 3})
    )


class NoteForm(forms.Form):
    text = forms.CharField(label=_("Internal note"), widget=forms.Textarea(attrs={"rows": 3}))


class AttachmentForm(forms.Form):
    attachments = MultipleFileField(label=_("Attachments"), required=True)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        limit_attachments(self.fields["attachments"])


class BulkAssignForm(forms.Form):
    """The list's "assign the selected appeals" form. The prosecutors offered are those the appeals may go to
    (selectors.assignable_users_in), grouped by office; the lifecycle checks each appeal again
    (services.lists.appeal_assign_many)."""

    appeal = forms.TypedMultipleChoiceField(
        label=_("Selected appeals"),
        coerce=int,
        widget=forms.MultipleHiddenInput,
        error_messages={"required": _("Select at least one appeal.")},
    )
    assignee = forms.TypedChoiceField(
        label=_("Assign to"),
        coerce=int,
        error_messages={
            "required": _("Choose the prosecutor to assign the appeals to."),
            "invalid_choice": _("Choose a prosecutor from the list."),
        },
    )
    reason = forms.CharField(
        label=_("Instructions"), widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )
    query = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2000)

    def __init__(self, *args: Any, users: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.users = {user.pk: user for user in users}
        groups: dict[Any, list[tuple[int, str]]] = {}
        for user in self.users.values():
            groups.setdefault(user.office, []).append((user.pk, user.full_name))
        fields: Any = self.fields
        fields["assignee"].choices = [
            ("", _("Choose…")),
            *((office.name if office else "", choices) for office, choices in groups.items()),
        ]
        # Any id is accepted here; which of them the user may see and assign is the service's question.
        fields["appeal"].valid_value = lambda value: str(value).isdigit() and 0 < int(value) < 2**63

    def clean_appeal(self) -> list[int]:
        from .services.lists import BULK_MAX

        ids = list(dict.fromkeys(self.cleaned_data["appeal"]))
        if len(ids) > BULK_MAX:
            raise forms.ValidationError(_("Select at most %(max)d appeals at a time.") % {"max": BULK_MAX})
        return ids

    def chosen_assignee(self) -> Any:
        return self.users[self.cleaned_data["assignee"]]

    def versions(self) -> dict[int, str]:
        """The version of each selected appeal as the page showed it (`version-<id>` fields)."""
        return {
            pk: str(self.data.get(f"version-{pk}", ""))[:64]
            for pk in self.cleaned_data.get("appeal", [])
            if self.data.get(f"version-{pk}")
        }
