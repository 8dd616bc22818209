"""Dates read one way, dd.mm.yyyy, in all three languages (prokuratura/formats)."""

import datetime as dt

import pytest
from django import forms
from django.template import Context, Template
from django.utils import formats, translation

DAY = dt.date(2026, 1, 2)
MOMENT = dt.datetime(2026, 1, 2, 9, 5)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_dates_read_dd_mm_yyyy_in_every_language(language):
    with translation.override(language):
        assert formats.date_format(DAY) == "02.01.2026"
        assert formats.date_format(DAY, "SHORT_DATE_FORMAT") == "02.01.2026"
        assert formats.date_format(MOMENT, "DATETIME_FORMAT") == "02.01.2026 09:05"
        assert formats.date_format(MOMENT, "SHORT_DATETIME_FORMAT") == "02.01.2026 09:05"
        # A date printed without a filter, and with the named formats the templates use.
        html = Template('{{ day }}|{{ day|date:"DATE_FORMAT" }}|{{ day|date:"SHORT_DATE_FORMAT" }}').render(
            Context({"day": DAY})
        )
        assert html == "02.01.2026|02.01.2026|02.01.2026"


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
def test_a_date_field_reads_what_people_type_and_what_the_date_picker_sends(language):
    field = forms.DateField()
    with translation.override(language):
        assert field.clean("02.01.2026") == DAY
        assert field.clean("2026-01-02") == DAY
