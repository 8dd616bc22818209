"""The forms of the requests' catalogue (correcting a control term with its source; a letter template in one
language) and of the letters page (which document, in which language)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models_requests import LETTER_LANGUAGES, RequestTemplate, RequestTerm
from .request_catalogue_services import TERM_FIELDS


class RequestTermForm(forms.ModelForm):
    """The facts of a control term, and where the corrected facts come from. Bind it to a copy of the row: the
    model form writes the posted values onto its instance while validating."""

    source = forms.CharField(
        label=_("Source of the correction"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Required. The act, article or order the corrected term comes from, and where its text was read (for "
            "example the official publication on adilet.zan.kz). It is recorded in the audit trail with the change."
        ),
    )

    class Meta:
        model = RequestTerm
        fields = TERM_FIELDS
        widgets = {
            "legal_source": forms.Textarea(attrs={"rows": 2, "lang": "en"}),
            "legal_source_kk": forms.Textarea(attrs={"rows": 2, "lang": "kk"}),
            "legal_source_ru": forms.Textarea(attrs={"rows": 2, "lang": "ru"}),
            "note": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "urgent_days": _("Leave empty where an urgent request has no shorter term."),
            "verified": _("Tick only when the time limit was checked against the text of its source."),
        }

    def changes(self) -> dict[str, Any]:
        """The corrected facts (the service audits only those that differ from the row)."""
        return {name: self.cleaned_data[name] for name in TERM_FIELDS}

    def changes_anything(self) -> bool:
        return any(name in TERM_FIELDS for name in self.changed_data)


TEMPLATE_HELP = _(
    "A Django template over the request's facts: {{ request.number }}, {{ request.date }}, {{ request.partner }}, "
    "{{ request.foreign_authority }}, {{ request.basis }} (or {{ request.reciprocity }} with "
    "{{ request.reciprocity_assurance }}), {{ request.case_number }}, {{ request.offence_article }}, "
    "{{ request.requesting_authority }}, {{ request.proceedings_subject }}, {{ request.conducting_authority }}, "
    "{{ request.facts_summary }}, {{ request.assistance_sought }}, {{ request.procedure }}, {{ request.purpose }}, "
    "the lists {{ request.measures }}, {{ request.assurances }} and {{ request.translations }}, the extradition "
    "facts ({{ request.for_prosecution }}, {{ request.for_sentence }}, {{ request.penalty }}, "
    "{{ request.limitation }}, {{ request.warrant }}, {{ request.judgment }}, {{ request.sentence_remaining }}), "
    "{{ request.urgent }}, and the lists {{ persons }} and {{ sought }}, each person with name, role, nationality, "
    "birth_date, location, identity_document and description. Free texts come without their final full stop. "
    "A blank line starts a new paragraph. Only the logic tags (if, for, with…) may be used."
)


class RequestTemplateForm(forms.Form):
    subject = forms.CharField(label=_("Title"), max_length=300)
    body = forms.CharField(
        label=_("Text"), widget=forms.Textarea(attrs={"rows": 24}), help_text=TEMPLATE_HELP
    )

    def __init__(self, *args: Any, language: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["lang"] = language


class LetterChoiceForm(forms.Form):
    """Which letter the page shows: the request or its cover letter, in Kazakh, Russian or English."""

    document = forms.ChoiceField(label=_("Document"), choices=RequestTemplate.Document.choices)
    language = forms.ChoiceField(label=_("Language of the letter"), choices=LETTER_LANGUAGES)
