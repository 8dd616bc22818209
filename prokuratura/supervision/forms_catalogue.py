"""The administrators' forms of the supervision catalogue: correcting an act type (with the source of the correction),
an act type's template in one language, and a place of detention."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prokuratura.core.models import Region

from .models import ActType, Facility
from .services.catalogue import ACT_TYPE_FIELDS, FACILITY_FIELDS


class ActTypeCorrectionForm(forms.ModelForm):
    """The facts of an act type, and where the corrected facts come from. Bind it to a copy of the row: the model
    form writes the posted values onto its instance while validating."""

    source = forms.CharField(
        label=_("Source of the correction"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required. The act and article the corrected facts come from, and where its text was read (for "
            "example the official publication on adilet.zan.kz). It is recorded in the audit trail with the change."
        ),
    )

    class Meta:
        model = ActType
        fields = ACT_TYPE_FIELDS
        widgets = {
            "legal_source": forms.Textarea(attrs={"rows": 2}),
            "legal_source_kk": forms.Textarea(attrs={"rows": 2, "lang": "kk"}),
            "legal_source_ru": forms.Textarea(attrs={"rows": 2, "lang": "ru"}),
            "note": forms.Textarea(attrs={"rows": 3}),
            "note_kk": forms.Textarea(attrs={"rows": 3, "lang": "kk"}),
            "note_ru": forms.Textarea(attrs={"rows": 3, "lang": "ru"}),
        }
        help_texts = {
            "term_value": _(
                "Leave empty where the law sets no fixed term (the act names it) or no answer is due."
            ),
            "verified": _(
                "Tick only when the time limit and the article were checked against the law's published text."
            ),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("name_kk", "name_ru", "name_en"):
            self.fields[name].widget.attrs["lang"] = name[-2:]

    def changes(self) -> dict[str, Any]:
        """The corrected facts (the service audits only those that differ from the row)."""
        return {name: self.cleaned_data[name] for name in ACT_TYPE_FIELDS}

    def changes_anything(self) -> bool:
        return any(name in ACT_TYPE_FIELDS for name in self.changed_data)


class ActTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(
        label=_("Text"),
        widget=forms.Textarea(attrs={"rows": 22}),
        help_text=_(
            "A Django template. It may use {{ office }}, {{ today }}, {{ act.type }}, {{ act.addressee }}, "
            "{{ act.addressee_official }}, {{ act.addressee_address }}, {{ act.inspection }}, {{ act.appeal }}, "
            "{{ act.facility }}, {{ act.visited_on }} and the list {{ violations }}, each with description, "
            "law_violated, found_on, damage, damage_text and persons_affected. A blank line starts a new paragraph. "
            "Do not write a term in days: say «within the time the law sets», as the terms are kept in the catalogue."
        ),
    )

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["lang"] = language


class FacilityForm(forms.ModelForm):
    class Meta:
        model = Facility
        fields = FACILITY_FIELDS

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        region: Any = self.fields["region"]
        region.queryset = Region.objects.order_by("kato_code")
        for name in ("name_kk", "name_ru", "name_en"):
            self.fields[name].widget.attrs["lang"] = name[-2:]
        if self.instance.pk:
            # The code names the place in imports and links: it is set once.
            self.fields["code"].disabled = True

    def data_for_service(self) -> dict[str, Any]:
        data = {name: self.cleaned_data[name] for name in FACILITY_FIELDS}
        if self.instance.pk:
            data.pop("code")
        return data
