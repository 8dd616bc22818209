"""The resolver's question: partner state, kind of cooperation, offence, the facts that decide a convention's scope
(transnational? an organised criminal group? the financing of terrorism?) and date (a GET form)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import ScopeCondition, Subject
from .resolver import FACT_NO, FACT_UNKNOWN, FACT_YES, ResolverChoices

FACT_CHOICES = [
    (FACT_UNKNOWN, _("Not known yet")),
    (FACT_YES, _("Yes")),
    (FACT_NO, _("No")),
]


def _fact(label: Any, help_text: Any) -> forms.ChoiceField:
    return forms.ChoiceField(label=label, choices=FACT_CHOICES, required=False, help_text=help_text)


class ResolverForm(forms.Form):
    country = forms.ChoiceField(label=_("Partner state"))
    kind = forms.ChoiceField(label=_("Kind of cooperation"), choices=Subject.choices)
    iccs_section = forms.ChoiceField(
        label=_("Offence: ICCS section"),
        required=False,
        help_text=_("UNODC International Classification of Crime for Statistical Purposes."),
    )
    focus_area = forms.ChoiceField(label=_("Offence: focus area"), required=False)
    transnational = _fact(
        _("Is the offence transnational?"),
        _(
            "Committed in more than one state, or prepared, directed or with substantial effects in another (UNTOC art. 3(2))."
        ),
    )
    organised_group = _fact(
        _("Is an organised criminal group involved?"),
        _(
            "Three or more persons acting in concert to commit serious crimes for a material benefit (UNTOC art. 2(a))."
        ),
    )
    terrorist_financing = _fact(
        _("Is it the financing of terrorism?"),
        _("Providing or collecting funds for terrorist acts (ICSFT art. 2)."),
    )
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

    def fact_fields(self) -> list[forms.BoundField]:
        return [self[code] for code in ScopeCondition.values]

    def resolve_arguments(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "country": data["country"],
            "kind": data["kind"],
            "on_date": data["date"],
            "iccs_section": data.get("iccs_section") or "",
            "focus_area": data.get("focus_area") or "",
            "facts": {code: data.get(code) or FACT_UNKNOWN for code in ScopeCondition.values},
        }
