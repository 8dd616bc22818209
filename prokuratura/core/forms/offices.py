from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from prokuratura.core.models import Department, Office, Region


class OfficeChoiceField(forms.ModelChoiceField):
    """Offices indented by their depth in the tree, so the select box reads like the organisation chart."""

    def label_from_instance(self, obj: Office) -> str:
        return f"{'— ' * obj.depth}{obj.name} ({obj.code})"


class OfficeFilterForm(forms.Form):
    region = forms.ModelChoiceField(
        label=_("Region"), queryset=Region.objects.order_by("kato_code"), required=False, empty_label=_("All")
    )
    q = forms.CharField(
        label=_("Search"), max_length=100, required=False, widget=forms.TextInput(attrs={"type": "search"})
    )


class OfficeForm(forms.ModelForm):
    """Field input. The place in the tree is the service's to check (core.services), and its errors come back
    onto this form; the view passes a copy of the office, which the form's own validation may change."""

    parent = OfficeChoiceField(
        label=_("Reports to"), queryset=Office.objects.order_by("path"), required=False, empty_label=_("None")
    )

    class Meta:
        model = Office
        fields = [
            "code",
            "level",
            "parent",
            "region",
            "name_kk",
            "name_ru",
            "name_en",
            "address_kk",
            "address_ru",
            "phone",
            "email",
            "is_active",
        ]


class DepartmentForm(forms.ModelForm):
    class Meta:
        model = Department
        fields = ["code", "name_kk", "name_ru", "name_en", "is_active"]
