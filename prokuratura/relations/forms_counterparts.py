"""The administrators' form for an organisation or counterpart (the service checks the hierarchy's rules)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from prokuratura.core.models import Country

from .counterpart_selectors import counterpart_parent_choices
from .models import Counterpart
from .services.counterparts import CounterpartData

FORM_FIELDS = (
    "code",
    "kind",
    "parent",
    "mandate_kind",
    "country",
    "name_kk",
    "name_ru",
    "name_en",
    "abbreviation_kk",
    "abbreviation_ru",
    "abbreviation_en",
    "aliases",
    "website",
    "source_url",
    "is_active",
)


class CounterpartForm(forms.ModelForm):
    class Meta:
        model = Counterpart
        fields = FORM_FIELDS
        widgets = {
            "aliases": forms.Textarea(attrs={"rows": 4}),
            "source_url": forms.Textarea(attrs={"rows": 2}),
        }
        help_texts = {
            "code": _("Lower-case Latin letters and digits joined by hyphens, e.g. osce-astana. Set once."),
            "parent": _("The organisation or body it belongs to (a mandate belongs to a body)."),
            "mandate_kind": _(
                "Only for a mandate: a special rapporteur, an independent expert, a working group "
                "or a treaty body."
            ),
            "country": _("A foreign authority names its state."),
            "aliases": _("Other names and spellings the press uses, in any language: one per line."),
            "source_url": _("Where the names come from: addresses separated by “ | ”."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        parent: Any = self.fields["parent"]
        parent.queryset = counterpart_parent_choices(counterpart=self.instance if self.instance.pk else None)
        country: Any = self.fields["country"]
        country.queryset = Country.objects.order_by("name_en")
        for name in (
            "name_kk",
            "name_ru",
            "name_en",
            "abbreviation_kk",
            "abbreviation_ru",
            "abbreviation_en",
        ):
            self.fields[name].widget.attrs["lang"] = name[-2:]
        if self.instance.pk:
            # The code keys the data file and links: it is set once.
            self.fields["code"].disabled = True

    def validate_unique(self) -> None:
        """The service says it, with its own message (a code taken in another case too)."""

    def data_for_service(self) -> CounterpartData:
        data = self.cleaned_data
        return CounterpartData(
            code=self.instance.code if self.instance.pk else data["code"],
            kind=data["kind"],
            parent=data.get("parent"),
            country=data.get("country"),
            mandate_kind=data.get("mandate_kind") or "",
            name_kk=data["name_kk"],
            name_ru=data["name_ru"],
            name_en=data["name_en"],
            abbreviation_kk=data.get("abbreviation_kk") or "",
            abbreviation_ru=data.get("abbreviation_ru") or "",
            abbreviation_en=data.get("abbreviation_en") or "",
            aliases=data.get("aliases") or "",
            website=data.get("website") or "",
            source_url=data.get("source_url") or "",
            is_active=bool(data.get("is_active")),
        )
