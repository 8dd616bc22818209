"""The calendar page's GET forms (year, working-day calculator) and the administrators' exception form."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from prokuratura.core.models import CalendarException

# Kazakhstan's holiday law starts in 1991; far-future years have no meaning for deadlines.
MIN_YEAR, MAX_YEAR = 1991, 2100
MAX_CALCULATOR_DAYS = 3650


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


class YearForm(forms.Form):
    year = forms.IntegerField(label=_("Year"), min_value=MIN_YEAR, max_value=MAX_YEAR)


class AddWorkingDaysForm(forms.Form):
    """Start date + n working days → the date (the n-th working day after the start)."""

    start = forms.DateField(label=_("Start date"), widget=DateInput())
    days = forms.IntegerField(label=_("Working days to add"), min_value=0, max_value=MAX_CALCULATOR_DAYS)

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        start = data.get("start")
        if start is not None and not MIN_YEAR <= start.year <= MAX_YEAR:
            self.add_error(
                "start",
                _("Choose a date between %(first)d and %(last)d.") % {"first": MIN_YEAR, "last": MAX_YEAR},
            )
        return data


class CountWorkingDaysForm(forms.Form):
    """Two dates → the working days after the first up to and including the second."""

    date_from = forms.DateField(label=_("From"), widget=DateInput())
    date_to = forms.DateField(label=_("To"), widget=DateInput())

    def clean(self) -> dict[str, Any]:
        super().clean()
        data = self.cleaned_data
        first, last = data.get("date_from"), data.get("date_to")
        if first and last and abs((last - first).days) > 366 * 20:
            raise ValidationError(_("The dates may be at most 20 years apart."), code="range_too_long")
        return data


def _validate_sources(value: str) -> None:
    """One or more http(s) addresses separated by " | " (as in the reference data files)."""
    check = URLValidator(schemes=["http", "https"])
    for part in value.split(" | "):
        try:
            check(part.strip())
        except ValidationError:
            raise ValidationError(
                _("Enter web addresses starting with http:// or https://, separated by “ | ”."),
                code="invalid",
            ) from None


class CalendarExceptionForm(forms.ModelForm):
    source_url = forms.CharField(
        label=_("Source"),
        required=False,
        max_length=2000,
        validators=[_validate_sources],
        help_text=_("Web address of the order or publication; several may be separated by “ | ”."),
    )

    class Meta:
        model = CalendarException
        fields = [
            "date",
            "kind",
            "reason",
            "reason_kk",
            "reason_ru",
            "legal_basis",
            "legal_basis_kk",
            "legal_basis_ru",
            "source_url",
        ]
        widgets = {"date": DateInput()}
        help_texts = {
            "reason": _("For example: “Day off moved from Saturday 4 May”."),
            "reason_kk": _("Shown to readers of the Kazakh pages; when empty, they see the Russian text."),
            "reason_ru": _("Shown to readers of the Russian pages; when empty, they see the English text."),
            "legal_basis": _("For example: the Labour Ministry's order, its number and date."),
        }
        error_messages = {
            "date": {"unique": _("There is already an exception for this date; edit that one instead.")},
        }
