"""The resolver's question: partner state, kind of cooperation, offence and date (a GET form)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Subject
from .resolver import ResolverChoices


class ResolverForm(forms.Form):
    country = forms.ChoiceField(label=_("Partner state"))
    kind = forms.ChoiceField(label=_("Kind of cooperation"), choices=Subject.choices)
    iccs_section = forms.ChoiceField(
        label=_("Offence: ICCS section"),
        required=False,
        help_text=_("UNODC International Classification of Crime for Statistical Purposes."),
    )
    focus_area = forms.ChoiceField(label=_("Offence: focus area"), required=False)
    date = forms.DateField(
        label=_("On the date"),
        required=False,
        help_text=_("Today when left empty."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )

    def __init__(self, *args: Any, choices: ResolverChoices, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today
        fields: Any = self.fields
        fields["country"].choices = [
            ("", _("— choose a state —")),
            (_("States with a bilateral treaty"), [(c.iso2, c.name) for c in choices.treaty_states]),
            (_("Other states"), [(c.iso2, c.name) for c in choices.other_states]),
        ]
        fields["iccs_section"].choices = [("", _("— any —"))] + [
            (c.code, f"{c.code} {c.name}") for c in choices.iccs_sections
        ]
        fields["focus_area"].choices = [("", _("— none —"))] + [(c.code, c.name) for c in choices.focus_areas]
        fields["date"].initial = today
        fields["kind"].initial = Subject.MLA

    def clean_date(self) -> dt.date:
        return self.cleaned_data.get("date") or self.today

    def resolve_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "country": data["country"],
            "kind": data["kind"],
            "on_date": data["date"],
            "iccs_section": data.get("iccs_section") or "",
            "focus_area": data.get("focus_area") or "",
        }
