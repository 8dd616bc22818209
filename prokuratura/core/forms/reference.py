from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class CountrySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Search by name or ISO code"),
        max_length=100,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
    )
