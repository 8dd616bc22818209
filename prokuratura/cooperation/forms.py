"""Input of the treaty register and the country profiles. Plain forms whose fields are made from the models, so
no form ever changes a model instance: the services validate again (full_clean) and their errors come back onto
these forms next to the field they name (core.forms.errors.add_service_errors)."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.forms.models import fields_for_model, model_to_dict
from django.utils.translation import gettext_lazy as _

from prokuratura.core.models import Country, CrimeCategory

from .models import (
    PROFILE_FIELDS,
    Channel,
    Confidence,
    CountryProfile,
    Instrument,
    InstrumentParty,
    Precision,
    Subject,
)
from .services import INSTRUMENT_FACT_FIELDS


def _date_widget() -> forms.DateInput:
    return forms.DateInput(format="%Y-%m-%d", attrs={"type": "date"})


def _text(rows: int = 3) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


FACT_WIDGETS: dict[str, Any] = {
    "signed_date": _date_widget(),
    "ratified_date": _date_widget(),
    "in_force_date": _date_widget(),
    "terminated_date": _date_widget(),
    "title_en": _text(2),
    "title_ru": _text(2),
    "title_kk": _text(2),
    "ratification_act": _text(2),
    "offence_scope": _text(),
    "central_authorities": _text(),
    "reservations": _text(4),
    "source_url": _text(2),
    "note": _text(),
}
FACT_LABELS: dict[str, Any] = {
    "signed_precision": _("Precision of the date of signature"),
    "ratified_precision": _("Precision of the date of ratification"),
    "open_to_all_confidence": _("Confidence of the rule above"),
    "source_url": _("Sources of the instrument's facts"),
}
# Facts that only a multilateral convention has (the model refuses them on a bilateral treaty).
MULTILATERAL_ONLY = ("family", "depositary", "open_to_all_states", "open_to_all_confidence")
FACT_HELP: dict[str, Any] = {
    "source_url": _("Where these facts come from: web addresses or references, several separated by “ | ”."),
    "signed_date": _("Known only to the month or the year? Enter its first day and choose the precision."),
    "languages": _("For example: Kazakh, Russian, English."),
}


class InstrumentFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search: title, state or kind, in any of the three languages"), max_length=200, required=False
    )
    kind = forms.ChoiceField(label=_("Kind"), required=False)
    country = forms.ChoiceField(label=_("State"), required=False)
    subject = forms.ChoiceField(label=_("Kind of cooperation"), required=False)
    status = forms.ChoiceField(label=_("Kazakhstan's status"), required=False)
    family = forms.ChoiceField(label=_("Family"), required=False)

    def __init__(self, *args: Any, countries: list[Country], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        any_choice = [("", _("Any"))]
        fields: Any = self.fields
        fields["kind"].choices = any_choice + list(Instrument.Kind.choices)
        fields["country"].choices = any_choice + [(c.iso2, c.name) for c in countries]
        fields["subject"].choices = any_choice + list(Subject.choices)
        fields["status"].choices = any_choice + list(Instrument.Status.choices)
        fields["family"].choices = any_choice + [c for c in Instrument.Family.choices if c[0]]


class InstrumentFactsForm(forms.Form):
    """The facts of an instrument an administrator corrects, and the source of the correction."""

    fact_fields: tuple[str, ...] = INSTRUMENT_FACT_FIELDS

    def __init__(self, *args: Any, instance: Instrument | None = None, **kwargs: Any) -> None:
        if instance is not None and "initial" not in kwargs:
            initial = model_to_dict(instance, fields=[*self.fact_fields, "offence_categories"])
            initial["subjects"] = instance.subject_codes()
            kwargs["initial"] = initial
        super().__init__(*args, **kwargs)
        generated = fields_for_model(
            Instrument,
            fields=list(self.fact_fields),
            widgets=FACT_WIDGETS,
            labels=FACT_LABELS,
            help_texts=FACT_HELP,
        )
        fields: dict[str, Any] = {}
        fields.update(self._leading_fields())
        fields["subjects"] = forms.MultipleChoiceField(
            label=_("Kinds of cooperation"),
            choices=Subject.choices,
            widget=forms.CheckboxSelectMultiple,
        )
        bilateral = instance is not None and instance.kind == Instrument.Kind.BILATERAL
        for name in self.fact_fields:
            if bilateral and name in MULTILATERAL_ONLY:
                continue
            fields[name] = generated[name]
            if name == "all_offences":
                fields["offence_categories"] = forms.ModelMultipleChoiceField(
                    label=_("Offence scope (categories)"),
                    queryset=CrimeCategory.objects.order_by("kind", "ordering", "code"),
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                    help_text=_("Only for a treaty that does not cover all offences."),
                )
        fields["channels"] = forms.MultipleChoiceField(
            label=_("Communication channels"),
            choices=Channel.choices,
            widget=forms.CheckboxSelectMultiple,
            required=False,
        )
        supersedes = fields["supersedes"]
        supersedes.queryset = Instrument.objects.order_by("code")
        if instance is not None:
            supersedes.queryset = supersedes.queryset.exclude(pk=instance.pk)
        supersedes.empty_label = _("None")
        if "family" in fields:
            fields["family"].choices = [
                ("", _("None (bilateral)")),
                *[c for c in Instrument.Family.choices if c[0]],
            ]
        fields.update(self._trailing_fields())
        self.fields = fields

    def _leading_fields(self) -> dict[str, forms.Field]:
        return {}

    def _trailing_fields(self) -> dict[str, forms.Field]:
        return {
            "source": forms.CharField(
                label=_("Source of the correction"),
                widget=_text(2),
                max_length=2000,
                help_text=_(
                    "The official text, law, depositary notice or page that states the corrected facts. It is shown"
                    " next to each corrected fact and kept in the audit trail."
                ),
            ),
            "reason": forms.CharField(
                label=_("Reason for the correction"),
                widget=_text(2),
                max_length=1000,
                required=False,
            ),
        }

    def facts(self) -> dict[str, Any]:
        """The cleaned facts for the service (`offence_categories` a list, `subjects` a list of codes)."""
        data = {name: self.cleaned_data[name] for name in self.fact_fields if name in self.fields}
        data["channels"] = list(self.cleaned_data.get("channels") or [])
        data["offence_categories"] = list(self.cleaned_data.get("offence_categories") or [])
        data["subjects"] = list(self.cleaned_data.get("subjects") or [])
        return data


_CODES = re.compile(r"[A-Za-z]{1,3}|[^\sA-Za-z,;]+")


def parse_country_codes(text: str) -> list[str]:
    """'kz, ru;BY' → ['KZ', 'RU', 'BY']; anything else is kept as typed, so the service can name it."""
    return [code.upper() for code in _CODES.findall(text or "")]


class InstrumentAddForm(InstrumentFactsForm):
    """A new instrument the import does not know. The source of its facts is its `source` field."""

    def _leading_fields(self) -> dict[str, forms.Field]:
        generated = fields_for_model(Instrument, fields=["code", "kind"])
        generated["code"].help_text = _("Lower-case Latin letters, digits and hyphens, e.g. kz-tr-2024-mla.")
        return {
            "code": generated["code"],
            "kind": generated["kind"],
            "partner": forms.CharField(
                label=_("Partner state (ISO code)"),
                max_length=3,
                required=False,
                help_text=_("For a bilateral treaty: the two-letter ISO code of the other state, e.g. TR."),
            ),
            "parties": forms.CharField(
                label=_("Parties (ISO codes)"),
                max_length=2000,
                required=False,
                help_text=_(
                    "The states party, e.g. “KZ, RU, BY”. A bilateral treaty has exactly two, Kazakhstan and the "
                    "partner; leave empty to list just these two."
                ),
            ),
        }

    def _trailing_fields(self) -> dict[str, forms.Field]:
        return {}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["source_url"].required = True
        self.fields["source_url"].label = _("Source of these facts")

    def create_arguments(self) -> dict[str, Any]:
        data = self.facts()
        subjects = data.pop("subjects")
        data.update(code=self.cleaned_data["code"], kind=self.cleaned_data["kind"])
        partner = self.cleaned_data["partner"].strip().upper()
        data["partner"] = partner or None
        codes = parse_country_codes(self.cleaned_data["parties"])
        if not codes and data["kind"] == Instrument.Kind.BILATERAL and partner:
            codes = ["KZ", partner]
        parties = [
            {
                "country": code,
                "status": InstrumentParty.Status.PARTY,
                "source_url": data["source_url"],
                "confidence": data["confidence"],
            }
            for code in codes
        ]
        return {"data": data, "subjects": subjects, "parties": parties}


class PartyForm(forms.Form):
    country = forms.CharField(label=_("State (ISO code)"), max_length=3, help_text=_("Two letters, e.g. RU."))
    status = forms.ChoiceField(label=_("Status"), choices=InstrumentParty.Status.choices)
    date = forms.DateField(
        label=_("Date of ratification, accession or withdrawal"), required=False, widget=_date_widget()
    )
    date_precision = forms.ChoiceField(
        label=_("The date is known to the"), choices=Precision.choices, initial=Precision.DAY
    )
    in_force_date = forms.DateField(
        label=_("Entry into force for this state"),
        required=False,
        widget=_date_widget(),
        help_text=_("Only when a source states it; otherwise the entry into force is unconfirmed."),
    )
    source_url = forms.CharField(
        label=_("Source"),
        widget=_text(2),
        max_length=2000,
        help_text=_("Where this state's participation is stated (several separated by “ | ”)."),
    )
    confidence = forms.ChoiceField(label=_("Confidence"), choices=Confidence.choices)
    note = forms.CharField(label=_("Note"), widget=_text(2), required=False, max_length=2000)
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=_text(2), required=False, max_length=1000
    )

    def __init__(self, *args: Any, fixed_country: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if fixed_country:
            self.fields["country"].disabled = True
            self.fields["country"].initial = fixed_country

    def clean_country(self) -> str:
        return str(self.cleaned_data["country"]).strip().upper()

    def save_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "country_iso2": data["country"],
            "status": data["status"],
            "date": data["date"],
            "date_precision": data["date_precision"],
            "in_force_date": data["in_force_date"],
            "source": data["source_url"],
            "confidence": data["confidence"],
            "note": data["note"],
            "reason": data["reason"],
        }


class PartyRemoveForm(forms.Form):
    country = forms.CharField(widget=forms.HiddenInput, max_length=3)
    source = forms.CharField(
        label=_("Source of the correction"),
        widget=_text(2),
        max_length=2000,
        help_text=_("Where it is stated that this state is not a party."),
    )
    reason = forms.CharField(
        label=_("Reason for the correction"), widget=_text(2), required=False, max_length=1000
    )


PROFILE_WIDGETS: dict[str, Any] = {
    name: _text(3)
    for name in (
        "central_authority",
        "contacts",
        "language_requirements",
        "dual_criminality_note",
        "extradites_nationals_note",
        "death_penalty_note",
        "other_requirements",
        "source",
    )
}


class CountryProfileForm(forms.Form):
    """A partner state's profile. `version` is the version the officer started from (optimistic concurrency)."""

    def __init__(self, *args: Any, profile: CountryProfile | None = None, **kwargs: Any) -> None:
        if profile is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                **model_to_dict(profile, fields=list(PROFILE_FIELDS)),
                "version": profile.version,
            }
        super().__init__(*args, **kwargs)
        fields: dict[str, Any] = dict(
            fields_for_model(CountryProfile, fields=list(PROFILE_FIELDS), widgets=PROFILE_WIDGETS)
        )
        fields["source"].help_text = _(
            "Where these facts come from: the state's EJN fiche, its CoE form, a letter."
        )
        fields["version"] = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
        fields["reason"] = forms.CharField(
            label=_("What changed and why"),
            widget=_text(2),
            max_length=1000,
            required=False,
            help_text=_("Shown in the profile's history."),
        )
        self.fields = fields

    def profile_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in PROFILE_FIELDS}


class CountryOpenForm(forms.Form):
    country = forms.ChoiceField(label=_("Open the profile of"))

    def __init__(self, *args: Any, countries: list[Country], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["country"]
        field.choices = [("", _("Choose a state")), *[(c.iso2, c.name) for c in countries]]


class CountrySearchForm(forms.Form):
    q = forms.CharField(label=_("Search states"), max_length=100, required=False)
