"""Input of the administrators' appeals settings screens. The services (services/settings.py) validate again and
their errors come back onto these forms next to the field they name."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.utils.translation import gettext_lazy as _

from prokuratura.core.forms.offices import OfficeChoiceField
from prokuratura.core.models import Department, Office, Region

from .models import RoutingRule, Topic


class RuleForm(forms.Form):
    value = forms.IntegerField(label=_("Value"))
    reason = forms.CharField(
        label=_("Reason for the change"),
        required=False,
        max_length=500,
        help_text=_(
            "For example, the law that changed the time limit, its number and date. Kept in the audit trail."
        ),
    )

    def __init__(self, *args: Any, bounds: tuple[int, int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        low, high = bounds
        field: Any = self.fields["value"]
        field.min_value, field.max_value = low, high
        field.validators.extend([MinValueValidator(low), MaxValueValidator(high)])
        field.widget.attrs.update({"min": low, "max": high})
        field.help_text = _("A whole number from %(low)d to %(high)d.") % {"low": low, "high": high}


class TopicForm(forms.ModelForm):
    """Add a topic, or (with `fixed_code`) rename, reorder or deactivate one: its code does not change."""

    class Meta:
        model = Topic
        fields = ["code", "name_kk", "name_ru", "name_en", "ordering", "is_active"]
        labels = {"ordering": _("Position in lists")}
        help_texts = {
            "code": _("Lower-case Latin letters, digits and underscores; it cannot be changed later."),
            "ordering": _("Topics are listed by this number, smallest first."),
            "is_active": _(
                "Inactive topics stay on the appeals that have them but cannot be chosen for new ones."
            ),
        }
        error_messages = {"code": {"unique": _("A topic with this code already exists.")}}

    def __init__(self, *args: Any, fixed_code: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_code:
            self.fields["code"].disabled = True
            self.fields["code"].help_text = _("The code cannot be changed.")


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Topic) -> str:
        if obj.is_active:
            return obj.name
        return str(_("%(name)s (inactive)") % {"name": obj.name})


class DepartmentChoiceField(forms.ModelChoiceField):
    """Departments named with their office, since several offices have a department of the same name."""

    def label_from_instance(self, obj: Department) -> str:
        return f"{obj.office.code} · {obj.name}"


class RoutingRuleForm(forms.ModelForm):
    region = forms.ModelChoiceField(
        label=_("Region"),
        queryset=Region.objects.order_by("kato_code"),
        required=False,
        empty_label=_("Any region"),
    )
    topic = TopicChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.order_by("ordering", "code"),
        required=False,
        empty_label=_("Any topic"),
    )
    office = OfficeChoiceField(label=_("Office"), queryset=Office.objects.order_by("path"))
    department = DepartmentChoiceField(
        label=_("Department"),
        queryset=Department.objects.select_related("office").order_by("office__path", "code"),
        required=False,
        empty_label=_("None (the office decides)"),
        help_text=_("Must be a department of the office chosen above."),
    )

    class Meta:
        model = RoutingRule
        fields = ["region", "topic", "office", "department", "priority", "is_active"]
        help_texts = {
            "priority": _(
                "When several equally specific rules match, the one with the smallest number wins."
            ),
        }


class LetterTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Subject line"), max_length=300)
    body = forms.CharField(
        label=_("Body"),
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "A Django template. It may use {{ appeal.reg_number }}, {{ appeal.registered_on|date:'d.m.Y' }}, "
            "{{ appeal.due_date }}, {{ appeal.applicant_name }}, {{ appeal.answer_text }}, "
            "{{ appeal.extended_until }}, {{ appeal.forwarded_to }}, {{ office.name }}, {{ today }} and "
            "{{ signer }}. A blank line starts a new paragraph."
        ),
    )
    preview_number = forms.CharField(
        label=_("Preview with the appeal numbered"),
        required=False,
        max_length=40,
        help_text=_("Leave empty to preview with a made-up sample appeal."),
    )
