"""The calendar page, its calculator, and the administrators' exception forms."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from prokuratura.core import calendar as working_calendar
from prokuratura.core import reference
from prokuratura.core.models import AuditEntry, CalendarException

CALENDAR = reverse("core:calendar")
ADD = reverse("core:calendar_exception_add")


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    """The cast's passwords are hashed with Argon2 otherwise: seconds per test for nothing tested here."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _fresh_cache():
    working_calendar.clear_cache()


def _row(day=dt.date(2026, 6, 17), kind=CalendarException.Kind.DAY_OFF, reason="Extra day off"):
    return CalendarException.objects.create(date=day, kind=kind, reason=reason, legal_basis="Order No. 1")


def _post_data(**overrides):
    data = {
        "date": "2024-05-13",
        "kind": CalendarException.Kind.DAY_OFF,
        "reason": "Day off by government order",
        "legal_basis": "Order No. 99 of 01.05.2024",
        "source_url": "https://adilet.zan.kz/rus/docs/G24G0000099",
    }
    data.update(overrides)
    return data


# --- who may do what -----------------------------------------------------------------------------------------


def test_staff_see_the_calendar(client_for, cast):
    for user in (cast.registrar_astana, cast.prosecutor_almaty, cast.auditor):
        assert client_for(user).get(CALENDAR).status_code == 200


def test_a_user_without_the_permission_is_refused(client_for, cast):
    assert client_for(cast.outsider).get(CALENDAR).status_code == 403


def test_anonymous_users_are_sent_to_sign_in(client, db):
    for url in (CALENDAR, ADD):
        response = client.get(url)
        assert response.status_code == 302 and reverse("accounts:login") in response["Location"]


def test_only_administrators_manage_exceptions(client_for, cast):
    row = _row()
    edit = reverse("core:calendar_exception_edit", args=[row.pk])
    delete = reverse("core:calendar_exception_delete", args=[row.pk])
    for user in (cast.registrar_astana, cast.head_gpo, cast.auditor):
        client = client_for(user)
        assert client.get(ADD).status_code == 403
        assert client.post(ADD, _post_data()).status_code == 403
        assert client.get(edit).status_code == 403
        assert client.post(edit, _post_data()).status_code == 403
        assert client.post(delete).status_code == 403
    assert list(CalendarException.objects.values_list("date", "reason")) == [(row.date, row.reason)]
    page = client_for(cast.registrar_astana).get(CALENDAR, {"year": 2026}).content.decode()
    assert ADD not in page and edit not in page and delete not in page


def test_administrators_see_the_management_links(client_for, cast):
    row = _row()
    page = client_for(cast.admin).get(CALENDAR, {"year": 2026}).content.decode()
    assert ADD in page
    assert reverse("core:calendar_exception_edit", args=[row.pk]) in page
    assert reverse("core:calendar_exception_delete", args=[row.pk]) in page


# --- the year view -------------------------------------------------------------------------------------------


def test_year_view_lists_months_days_off_and_the_total(client_for, cast):
    response = client_for(cast.registrar_astana).get(CALENDAR, {"year": 2026})
    assert response.status_code == 200
    html = response.content.decode()
    assert "2026 has <strong>247</strong> working days" in html
    assert html.count('<table class="month">') == 12
    assert "<caption>January 2026</caption>" in html and "<caption>December 2026</caption>" in html
    overview = response.context["overview"]
    days = {d.date: d for m in overview.months for w in m.weeks for d in w if d}
    assert len(days) == 365
    assert not days[dt.date(2026, 12, 16)].working
    assert days[dt.date(2026, 8, 31)].working
    # Days off carry a text marker, not colour alone: one per day off in the year.
    assert html.count('<span class="day-marker">off</span>') == 365 - 247


def test_year_defaults_to_the_current_year(client_for, cast):
    from django.utils import timezone

    response = client_for(cast.registrar_astana).get(CALENDAR)
    assert response.context["year"] == timezone.localdate().year


@pytest.mark.parametrize("year", ["abc", "1900", "2101", ""])
def test_a_bad_year_is_a_form_error(client_for, cast, year):
    response = client_for(cast.registrar_astana).get(CALENDAR, {"year": year})
    assert response.status_code == 400
    assert "errorlist" in response.content.decode()


def test_exceptions_of_the_year_with_legal_basis_and_source(client_for, cast):
    reference.calendar_exceptions_load()
    response = client_for(cast.registrar_astana).get(CALENDAR, {"year": 2024})
    html = response.content.decode()
    dates = [row.date for row in response.context["exceptions"]]
    assert dates == [dt.date(2024, 3, 25), dt.date(2024, 5, 4), dt.date(2024, 5, 8), dt.date(2024, 7, 8)]
    assert "G24G0000109" in html  # the Ministry's order for the May transfer
    assert 'href="https://m.ru.sputniknews.kz/20240418/' in html
    assert "2024 has <strong>249</strong> working days" in html
    weekend_working = '<td class="day-weekend-working">'
    assert html.count(weekend_working) == 1  # Saturday 4 May


def test_year_view_query_count(client_for, cast, django_assert_num_queries):
    reference.calendar_exceptions_load()
    client = client_for(cast.registrar_astana)
    client.get(CALENDAR, {"year": 2025})
    with CaptureQueriesContext(connection) as queries:
        client.get(CALENDAR, {"year": 2025})
    ours = [q for q in queries.captured_queries if "core_calendarexception" in q["sql"]]
    # The year's list; the days are answered from the process's copy of the exceptions (core.calendar), read once.
    assert len(ours) == 1
    base = len(queries.captured_queries)
    with django_assert_num_queries(base):
        client.get(CALENDAR, {"year": 2024})
    # A calculator costs no query of its own, however many days it walks.
    with django_assert_num_queries(base):
        client.get(CALENDAR, {"year": 2025, "start": "2025-01-01", "days": "200"})
    with django_assert_num_queries(base):
        client.get(CALENDAR, {"year": 2025, "date_from": "2025-01-01", "date_to": "2026-12-31"})


# --- the calculator ------------------------------------------------------------------------------------------


def test_calculator_adds_working_days(client_for, cast):
    response = client_for(cast.registrar_astana).get(CALENDAR, {"start": "2024-05-02", "days": "15"})
    assert response.status_code == 200
    assert response.context["added"]["result"] == dt.date(2024, 5, 27)
    html = response.content.decode()
    # Dates read dd.mm.yyyy in every language (prokuratura/formats); the <time> element keeps the ISO date.
    assert '15 working days after 02.05.2024: <time datetime="2024-05-27">Monday, 27.05.2024</time>' in html


def test_calculator_counts_between_dates(client_for, cast):
    response = client_for(cast.registrar_astana).get(
        CALENDAR, {"date_from": "2024-05-02", "date_to": "2024-05-27"}
    )
    assert response.context["counted"]["count"] == 15
    assert "From 02.05.2024 to 27.05.2024: <strong>15</strong> working days" in response.content.decode()


@pytest.mark.parametrize(
    "params",
    [
        {"start": "2024-05-02", "days": "-1"},
        {"start": "2024-05-02", "days": "lots"},
        {"start": "02.05.2024x", "days": "3"},
        {"start": "2024-05-02"},
        {"start": "0001-01-01", "days": "1"},
        {"date_from": "2024-05-02", "date_to": "nope"},
        {"date_from": "1991-01-01", "date_to": "2099-01-01"},
    ],
)
def test_calculator_rejects_bad_input_with_a_message(client_for, cast, params):
    response = client_for(cast.registrar_astana).get(CALENDAR, params)
    assert response.status_code == 400
    assert "errorlist" in response.content.decode() or "message-error" in response.content.decode()
    assert response.context["added"] is None and response.context["counted"] is None


def test_an_exception_added_by_an_administrator_changes_the_calculator(client_for, cast):
    reference.calendar_exceptions_load()
    params = {"start": "2024-05-02", "days": "15"}
    before = client_for(cast.registrar_astana).get(CALENDAR, params).context["added"]["result"]
    assert before == dt.date(2024, 5, 27)

    response = client_for(cast.admin).post(ADD, _post_data(date="2024-05-13"))
    assert response.status_code == 302
    assert response["Location"] == f"{CALENDAR}?year=2024"

    after = client_for(cast.registrar_astana).get(CALENDAR, params).context["added"]["result"]
    assert after == dt.date(2024, 5, 28)


# --- adding, editing, deleting -------------------------------------------------------------------------------


def test_add_saves_and_audits(client_for, cast):
    response = client_for(cast.admin).post(ADD, _post_data(), follow=True)
    assert "The calendar exception was added." in response.content.decode()
    row = CalendarException.objects.get(date=dt.date(2024, 5, 13))
    assert row.kind == CalendarException.Kind.DAY_OFF
    assert row.source_url == "https://adilet.zan.kz/rus/docs/G24G0000099"
    entry = AuditEntry.objects.get(object_type="core.calendarexception", object_id=str(row.pk))
    assert entry.action == AuditEntry.Action.CREATE and entry.actor_id == cast.admin.pk


def test_a_working_saturday_can_be_added(client_for, cast):
    client = client_for(cast.admin)
    data = _post_data(date="2026-06-20", kind=CalendarException.Kind.WORKING_DAY, reason="Working Saturday")
    assert client.post(ADD, data).status_code == 302
    assert working_calendar.is_working_day(dt.date(2026, 6, 20))
    assert (
        "2026 has <strong>248</strong> working days" in client.get(CALENDAR, {"year": 2026}).content.decode()
    )


def test_the_add_form_renders_with_labels(client_for, cast):
    html = client_for(cast.admin).get(ADD).content.decode()
    for name in ("date", "kind", "reason", "legal_basis", "source_url"):
        assert f'for="id_{name}"' in html
    assert 'type="date"' in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"reason": ""}, "reason", "This field is required."),
        ({"date": ""}, "date", "This field is required."),
        ({"date": "2024-02-30"}, "date", "Enter a valid date."),
        ({"kind": "holiday"}, "kind", "Select a valid choice."),
        ({"source_url": "javascript:alert(1)"}, "source_url", "http://"),
        ({"reason": "x" * 301}, "reason", "at most 300 characters"),
    ],
)
def test_bad_input_is_a_form_error_and_saves_nothing(client_for, cast, overrides, field, message):
    response = client_for(cast.admin).post(ADD, _post_data(**overrides))
    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert CalendarException.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="core.calendarexception").exists()


def test_a_duplicate_date_is_a_form_error(client_for, cast):
    _row(day=dt.date(2024, 5, 13), reason="First")
    response = client_for(cast.admin).post(ADD, _post_data(date="2024-05-13"))
    assert response.status_code == 400
    assert "There is already an exception for this date" in response.content.decode()
    assert list(CalendarException.objects.values_list("reason", flat=True)) == ["First"]


def test_edit_changes_the_row(client_for, cast):
    row = _row()
    url = reverse("core:calendar_exception_edit", args=[row.pk])
    client = client_for(cast.admin)
    page = client.get(url)
    assert page.status_code == 200 and 'value="2026-06-17"' in page.content.decode()
    response = client.post(url, _post_data(date="2026-06-17", reason="Renamed"))
    assert response.status_code == 302
    row.refresh_from_db()
    assert row.reason == "Renamed"
    entry = AuditEntry.objects.get(object_type="core.calendarexception", action=AuditEntry.Action.UPDATE)
    assert entry.changes["reason"] == {"before": "Extra day off", "after": "Renamed"}


def test_a_rejected_edit_changes_nothing(client_for, cast):
    row = _row()
    other = _row(day=dt.date(2026, 6, 18), reason="Other")
    url = reverse("core:calendar_exception_edit", args=[row.pk])
    response = client_for(cast.admin).post(url, _post_data(date="2026-06-18", reason="Moved"))
    assert response.status_code == 400
    row.refresh_from_db()
    other.refresh_from_db()
    assert (row.date, row.reason) == (dt.date(2026, 6, 17), "Extra day off")
    assert other.reason == "Other"


def test_edit_and_delete_of_a_missing_row_are_404(client_for, cast):
    client = client_for(cast.admin)
    assert client.get(reverse("core:calendar_exception_edit", args=[999999])).status_code == 404
    assert client.post(reverse("core:calendar_exception_delete", args=[999999])).status_code == 404


def test_delete_is_post_only_and_audited(client_for, cast):
    row = _row()
    url = reverse("core:calendar_exception_delete", args=[row.pk])
    client = client_for(cast.admin)
    assert client.get(url).status_code == 405
    assert CalendarException.objects.filter(pk=row.pk).exists()
    response = client.post(url)
    assert response.status_code == 302 and response["Location"] == f"{CALENDAR}?year=2026"
    assert not CalendarException.objects.filter(pk=row.pk).exists()
    assert AuditEntry.objects.filter(
        object_type="core.calendarexception", action=AuditEntry.Action.DELETE
    ).exists()
    assert working_calendar.is_working_day(dt.date(2026, 6, 17))


# --- the day's note in the reader's language -------------------------------------------------------------------


def test_the_notes_show_in_the_readers_language(client_for, cast):
    reference.calendar_exceptions_load()
    client = client_for(cast.registrar_astana)
    pages = {
        language: client.get(CALENDAR, {"year": 2024}, HTTP_ACCEPT_LANGUAGE=language).content.decode()
        for language in ("kk", "ru", "en")
    }
    assert "4 мамыр, сенбіден ауыстырылған демалыс күні (ср)" in pages["kk"]
    assert "Выходной день, перенесённый с субботы, 4 мая (ср)" in pages["ru"]
    assert "Day off moved from Sat 4 May (Wed)" in pages["en"]
    assert "Приказ Министра труда и социальной защиты населения РК от 17.04.2024" in pages["ru"]
    for language in ("kk", "ru"):
        assert "Day off moved from" not in pages[language]
        assert "Working Saturday" not in pages[language]
        assert "MTSZN order" not in pages[language] and "Law RK" not in pages[language]
    # Dates read dd.mm.yyyy in every language.
    for page in pages.values():
        assert '<time datetime="2024-05-08">08.05.2024' in page


def test_a_note_not_written_in_kazakh_shows_in_russian_then_english(client_for, cast):
    CalendarException.objects.create(
        date=dt.date(2026, 6, 17),
        kind=CalendarException.Kind.DAY_OFF,
        reason="Extra day off",
        reason_ru="Доп.",
    )
    CalendarException.objects.create(
        date=dt.date(2026, 6, 18), kind=CalendarException.Kind.DAY_OFF, reason="Only"
    )
    client = client_for(cast.registrar_astana)
    kk = client.get(CALENDAR, {"year": 2026}, HTTP_ACCEPT_LANGUAGE="kk").content.decode()
    assert "<td>Доп.</td>" in kk and "<td>Only</td>" in kk
    en = client.get(CALENDAR, {"year": 2026}, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "<td>Extra day off</td>" in en


def test_an_administrator_writes_the_note_in_three_languages(client_for, cast):
    client = client_for(cast.admin)
    html = client.get(ADD).content.decode()
    assert 'for="id_reason_kk"' in html and 'for="id_reason_ru"' in html
    data = _post_data(reason_kk="Үкімет қаулысымен демалыс күні", reason_ru="Выходной день по постановлению")
    assert client.post(ADD, data).status_code == 302
    row = CalendarException.objects.get(date=dt.date(2024, 5, 13))
    assert (row.reason_kk, row.reason_ru) == (
        "Үкімет қаулысымен демалыс күні",
        "Выходной день по постановлению",
    )
    entry = AuditEntry.objects.get(object_type="core.calendarexception", object_id=str(row.pk))
    assert entry.changes["reason_ru"] == {"before": None, "after": "Выходной день по постановлению"}
    # The English text is the record and stays required; the other two may be left empty.
    response = client.post(ADD, _post_data(date="2024-05-14", reason="", reason_ru="Только по-русски"))
    assert (
        response.status_code == 400
        and not CalendarException.objects.filter(date=dt.date(2024, 5, 14)).exists()
    )
    assert client.post(ADD, _post_data(date="2024-05-15")).status_code == 302


def test_the_deletion_message_gives_the_date_as_dd_mm_yyyy(client_for, cast):
    row = _row()
    client = client_for(cast.admin)
    response = client.post(reverse("core:calendar_exception_delete", args=[row.pk]), follow=True)
    assert "The calendar exception for 17.06.2026 was deleted." in response.content.decode()
