"""load_reference: counts, idempotency, rejected rows, atomicity, the calendar agreeing with the data file."""

import csv
import datetime as dt
import functools
import gettext
import io
import re
import shutil

import pycountry
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from prokuratura.core import calendar as working_calendar
from prokuratura.core import reference
from prokuratura.core.models import AuditEntry, CalendarException, Country, CrimeCategory, Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    working_calendar.clear_cache()
    yield
    working_calendar.clear_cache()


@pytest.fixture
def data_copy(tmp_path):
    """A writable copy of data/reference to play the newer shared folder."""
    target = tmp_path / "data"
    shutil.copytree(reference.DEFAULT_SOURCE, target)
    return target


def _rewrite(path, change):
    """Rewrite a CSV through `change(rows) -> rows` (rows are dicts, header kept)."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header, rows = reader.fieldnames, list(reader)
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def _by_name(reports):
    return {r.dataset: r for r in reports}


def _snapshot():
    return (
        list(Country.objects.order_by("iso2").values()),
        list(Region.objects.order_by("kato_code").values()),
        list(CrimeCategory.objects.order_by("code").values()),
        list(CalendarException.objects.order_by("date").values()),
    )


# --- counts --------------------------------------------------------------------------------------------------


def test_first_load_creates_everything():
    reports = _by_name(reference.reference_load())
    assert all(not r.error and not r.rejected for r in reports.values())
    assert Region.objects.count() == 20 == reports["regions"].created
    assert Region.objects.filter(unit_type=Region.UnitType.CITY).count() == 3
    assert CrimeCategory.objects.filter(kind=CrimeCategory.Kind.ICCS_SECTION).count() == 11
    assert CrimeCategory.objects.filter(kind=CrimeCategory.Kind.FOCUS_AREA).count() == 8
    assert Country.objects.count() >= 249
    assert reports["countries"].created == len(pycountry.countries)


def test_country_names_and_regions():
    reference.countries_load()
    kz = Country.objects.get(iso2="KZ")
    assert (kz.iso3, kz.numeric) == ("KAZ", "398")
    assert kz.name_kk == "Қазақстан"
    assert kz.name_ru == "Казахстан"
    assert kz.name_en == "Kazakhstan"
    assert kz.world_region == "asia"
    assert Country.objects.get(iso2="FR").world_region == "europe"
    assert Country.objects.get(iso2="BR").world_region == "americas"
    assert not Country.objects.filter(world_region="").exists()


def test_every_pycountry_country_has_a_world_region_in_the_data_file():
    with (reference.DEFAULT_SOURCE / "world_regions.csv").open(encoding="utf-8") as handle:
        rows = {row["iso2"]: row for row in csv.DictReader(handle)}
    assert {c.alpha_2 for c in pycountry.countries} <= set(rows)
    assert {row["world_region"] for row in rows.values()} <= set(reference.WORLD_REGIONS)
    assert all("M49" in row["source"] for row in rows.values())


def test_missing_kazakh_names_fall_back_and_are_counted(monkeypatch):
    ru, kk = reference._country_catalogues()

    class WithoutKazakhstan(gettext.NullTranslations):
        def gettext(self, message):
            return message if message in {"Kazakhstan", "France"} else kk.gettext(message)

    class WithoutFrance(gettext.NullTranslations):
        def gettext(self, message):
            return message if message == "France" else ru.gettext(message)

    monkeypatch.setattr(reference, "_country_catalogues", lambda: (WithoutFrance(), WithoutKazakhstan()))
    report = reference.countries_load()
    assert report.fallbacks == {"kk_from_ru": 1, "kk_from_en": 1, "ru_from_en": 1}
    assert Country.objects.get(iso2="KZ").name_kk == "Казахстан"  # the Russian name
    assert Country.objects.get(iso2="FR").name_kk == "France"
    assert "1 filled with the Russian name" in report.notes[0]


def test_region_fields():
    reference.regions_load()
    astana = Region.objects.get(kato_code="710000000")
    assert astana.unit_type == Region.UnitType.CITY
    assert astana.name_kk and astana.name_ru and astana.name_en == "Astana"
    assert astana.source_url.startswith("https://")
    abai = Region.objects.get(kato_code="100000000")
    assert abai.admin_center == "Semey"


def test_every_administrative_centre_has_its_kazakh_and_russian_name_in_cyrillic():
    reference.regions_load()
    west = Region.objects.get(kato_code="270000000")
    assert (west.admin_center, west.admin_center_kk, west.admin_center_ru) == (
        "Oral (Uralsk)",
        "Орал",
        "Уральск",
    )
    for region in Region.objects.exclude(admin_center=""):
        for name in (region.admin_center_kk, region.admin_center_ru):
            assert name and not re.search("[A-Za-z]", name), (region.kato_code, name)
    # The cities of republican significance have no administrative centre of their own.
    assert not Region.objects.filter(unit_type=Region.UnitType.CITY).exclude(admin_center_ru="").exists()
    with translation.override("kk"):
        assert west.admin_center_name == "Орал"
    with translation.override("ru"):
        assert west.admin_center_name == "Уральск"
    with translation.override("en"):
        assert west.admin_center_name == "Oral (Uralsk)"


def test_a_shared_copy_without_the_services_columns_keeps_the_stored_translations(data_copy):
    """data/reference adds kk/ru columns to two shared files; `--source` may point at the shared folder, which
    lacks them: the stored Kazakh and Russian texts stay, and nothing counts as updated."""
    reference.regions_load()
    reference.calendar_exceptions_load()
    for name, columns in (
        ("kz_regions.csv", {"admin_center_kk", "admin_center_ru"}),
        ("kz_nonworking_days.csv", {"name_kk", "name_ru", "legal_basis_kk", "legal_basis_ru"}),
    ):
        path = data_copy / name
        with path.open(encoding="utf-8", newline="") as handle:
            reader = csv.DictReader(handle)
            header = [column for column in reader.fieldnames if column not in columns]
            rows = [{key: row[key] for key in header} for row in reader]
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
            writer.writeheader()
            writer.writerows(rows)
    regions = reference.regions_load(source=data_copy)
    days = reference.calendar_exceptions_load(source=data_copy)
    assert (regions.updated, days.updated) == (0, 0)
    assert Region.objects.get(kato_code="100000000").admin_center_ru == "Семей"
    assert CalendarException.objects.get(date=dt.date(2024, 5, 8)).reason_ru.startswith("Выходной день")


def test_crime_categories_cite_their_source():
    reference.crime_categories_load()
    section = CrimeCategory.objects.get(code="07")
    assert section.name_en == "Acts involving fraud, deception or corruption"
    assert "ICCS" in section.source and "Version 1.0" in section.source
    assert list(
        CrimeCategory.objects.filter(kind=CrimeCategory.Kind.ICCS_SECTION).values_list("code", flat=True)
    ) == [f"{i:02d}" for i in range(1, 12)]
    focus = set(
        CrimeCategory.objects.filter(kind=CrimeCategory.Kind.FOCUS_AREA).values_list("code", flat=True)
    )
    assert focus == {
        "transnational_organized_crime",
        "drug_trafficking",
        "cybercrime",
        "extremism",
        "terrorism",
        "corruption",
        "trafficking_in_persons",
        "money_laundering",
    }
    assert all(c.name_kk and c.name_ru for c in CrimeCategory.objects.all())


# --- idempotency and audit -----------------------------------------------------------------------------------


def test_second_run_changes_nothing():
    reference.reference_load()
    before, audit_count = _snapshot(), AuditEntry.objects.count()
    reports = reference.reference_load()
    assert [(r.created, r.updated) for r in reports] == [(0, 0)] * 4
    assert all(r.unchanged > 0 for r in reports)
    assert _snapshot() == before
    assert AuditEntry.objects.count() == audit_count


def test_one_audit_entry_per_data_set_run():
    reference.reference_load()
    entries = list(AuditEntry.objects.filter(object_type="core.reference").order_by("id"))
    assert [e.reason for e in entries] == [
        "load_reference countries",
        "load_reference regions",
        "load_reference crime_categories",
        "load_reference calendar",
    ]
    regions = entries[1]
    assert regions.actor_id is None
    assert regions.action == AuditEntry.Action.UPDATE
    assert regions.changes["created"] == 20 and regions.changes["updated"] == 0
    assert AuditEntry.objects.count() == 4  # not one per row


def test_a_changed_value_is_updated(data_copy):
    reference.regions_load()

    def rename(rows):
        rows[0]["admin_center_en"] = "Semei"
        return rows

    _rewrite(data_copy / "kz_regions.csv", rename)
    report = reference.regions_load(source=data_copy)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 19)
    assert Region.objects.get(kato_code="100000000").admin_center == "Semei"
    entry = AuditEntry.objects.filter(object_type="core.reference").first()
    assert entry.changes["updated"] == 1


# --- bad input -----------------------------------------------------------------------------------------------


def test_malformed_rows_are_rejected_with_a_reason_and_the_rest_load(data_copy):
    def spoil(rows):
        rows[1]["unit_type"] = "oblast"  # not a choice
        rows[2]["kato_code"] = "15000000X"
        rows[3]["name_kk"] = "x" * 400  # longer than the column
        return rows

    _rewrite(data_copy / "kz_regions.csv", spoil)
    report = reference.regions_load(source=data_copy)
    assert report.created == 17
    assert [(r.line, r.key) for r in report.rejected] == [
        (3, "110000000"),
        (4, "15000000X"),
        (5, "190000000"),
    ]
    reasons = [r.reason for r in report.rejected]
    assert "unit_type" in reasons[0]
    assert "9 digits" in reasons[1]
    assert "name_kk" in reasons[2]
    assert not Region.objects.filter(kato_code__in=["110000000", "150000000", "190000000"]).exists()
    assert AuditEntry.objects.get(object_type="core.reference").changes["rejected_rows"] == [
        "3:110000000",
        "4:15000000X",
        "5:190000000",
    ]


def test_a_rejected_update_leaves_the_stored_row_as_it_was(data_copy):
    reference.regions_load()

    def spoil(rows):
        rows[0]["name_en"] = "Renamed"
        rows[0]["unit_type"] = "oblast"
        return rows

    _rewrite(data_copy / "kz_regions.csv", spoil)
    report = reference.regions_load(source=data_copy)
    assert report.updated == 0 and len(report.rejected) == 1
    assert Region.objects.get(kato_code="100000000").name_en == "Abai Region"


def test_bad_calendar_rows(data_copy):
    keys = {}

    def spoil(rows):
        rows[7]["date"] = "2024-02-30"
        rows[8]["kind"] = "day_of_rest"
        rows[9]["year"] = "2023"
        rows.append(dict(rows[10]))  # a duplicate date
        keys.update(kind=rows[8]["date"], year=rows[9]["date"], duplicate=rows[10]["date"])
        return rows

    _rewrite(data_copy / "kz_nonworking_days.csv", spoil)
    report = reference.calendar_exceptions_load(source=data_copy)
    reasons = {r.key: r.reason for r in report.rejected}
    assert len(report.rejected) == 4
    assert "not a date" in reasons["2024-02-30"]
    assert "day_of_rest" in reasons[keys["kind"]]
    assert "2023" in reasons[keys["year"]]
    assert "earlier" in reasons[keys["duplicate"]]


def test_a_missing_column_loads_nothing_of_that_data_set(data_copy):
    path = data_copy / "kz_regions.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle)
        header = [name for name in reader.fieldnames if name != "name_ru"]
        rows = [{k: v for k, v in row.items() if k != "name_ru"} for row in reader]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=header, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    reports = _by_name(reference.reference_load(source=data_copy))
    assert "name_ru" in reports["regions"].error
    assert Region.objects.count() == 0
    assert CrimeCategory.objects.count() == 19  # the other data sets still load


def test_a_failure_mid_way_rolls_the_data_set_back(monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(reference, "audit_record", broken)
    with pytest.raises(RuntimeError):
        reference.regions_load()
    assert Region.objects.count() == 0


# --- the calendar data set -----------------------------------------------------------------------------------


def test_calendar_rows_by_kind():
    report = reference.calendar_exceptions_load()
    assert report.created == 17
    assert CalendarException.objects.get(date=dt.date(2024, 5, 4)).kind == CalendarException.Kind.WORKING_DAY
    moved = CalendarException.objects.get(date=dt.date(2024, 5, 8))
    assert moved.kind == CalendarException.Kind.DAY_OFF
    assert "G24G0000109" in moved.legal_basis and moved.source_url.startswith("https://")
    # Holidays the package already makes days off need no row.
    assert not CalendarException.objects.filter(date=dt.date(2024, 5, 9)).exists()


def test_calendar_notes_are_loaded_in_three_languages():
    reference.calendar_exceptions_load(include_unverified=True)
    moved = CalendarException.objects.get(date=dt.date(2024, 5, 8))
    assert moved.reason == "Day off moved from Sat 4 May (Wed)"
    assert moved.reason_ru == "Выходной день, перенесённый с субботы, 4 мая (ср)"
    assert moved.reason_kk == "4 мамыр, сенбіден ауыстырылған демалыс күні (ср)"
    with translation.override("kk"):
        assert moved.note == moved.reason_kk
    with translation.override("ru"):
        assert moved.note == moved.reason_ru
    with translation.override("en"):
        assert moved.note == moved.reason
        assert moved.legal_basis_text == moved.legal_basis
    assert moved.legal_basis_ru.startswith(
        "Приказ Министра труда и социальной защиты населения РК от 17.04.2024"
    )
    with translation.override("kk"):
        assert moved.legal_basis_text.startswith("ҚР Еңбек және халықты әлеуметтік қорғау министрінің")
    # Every row the file gives has its note and legal basis in Kazakh and Russian, in Cyrillic.
    for row in CalendarException.objects.all():
        assert row.reason_kk and row.reason_ru and row.legal_basis_kk and row.legal_basis_ru, row.date
        assert re.search("[А-Яа-яӘәҒғҚқҢңӨөҰұҮүІі]", row.reason_kk + row.reason_ru), row.date


def test_the_reconciling_rows_carry_their_note_in_three_languages(monkeypatch):
    real = working_calendar._statutory.__wrapped__

    @functools.lru_cache
    def stale(year):
        days_off, working = real(year)
        return (days_off | {dt.date(2026, 8, 31)}) if year == 2026 else days_off, working

    monkeypatch.setattr(working_calendar, "_statutory", stale)
    reference.calendar_exceptions_load()
    row = CalendarException.objects.get(date=dt.date(2026, 8, 31))
    assert (row.reason, row.reason_kk, row.reason_ru) == (
        reference.RECONCILE_REASON,
        reference.RECONCILE_REASON_KK,
        reference.RECONCILE_REASON_RU,
    )
    with translation.override("ru"):
        assert row.note.startswith("Рабочий день по справочным данным")


def test_unverified_rows_are_skipped_unless_asked_for():
    report = reference.calendar_exceptions_load()
    assert [r.key for r in report.skipped] == ["2027-01-01", "2027-01-02", "2027-01-04", "2027-01-07"]
    assert not CalendarException.objects.filter(date__year=2027).exists()
    report = reference.calendar_exceptions_load(include_unverified=True)
    assert report.skipped == []
    assert CalendarException.objects.filter(date=dt.date(2027, 1, 4)).exists()


def test_the_loaded_calendar_matches_the_data_file_even_with_a_package_that_disagrees(monkeypatch):
    """An older `holidays` made 2026-08-31 a day off; pretend ours also forgot Independence Day 2026."""
    real = working_calendar._statutory.__wrapped__

    @functools.lru_cache
    def stale(year):
        days_off, working = real(year)
        if year == 2026:
            days_off = (days_off | {dt.date(2026, 8, 31)}) - {dt.date(2026, 12, 16)}
        return days_off, working

    monkeypatch.setattr(working_calendar, "_statutory", stale)
    assert working_calendar.working_days_in_year(2026) == 247  # two errors cancel out in the total
    assert not working_calendar.is_working_day(dt.date(2026, 8, 31))

    report = reference.calendar_exceptions_load()
    assert CalendarException.objects.get(date=dt.date(2026, 8, 31)).kind == CalendarException.Kind.WORKING_DAY
    assert CalendarException.objects.get(date=dt.date(2026, 12, 16)).kind == CalendarException.Kind.DAY_OFF
    assert report.created == 19
    assert working_calendar.is_working_day(dt.date(2026, 8, 31))
    assert not working_calendar.is_working_day(dt.date(2026, 12, 16))
    assert [working_calendar.working_days_in_year(y) for y in (2024, 2025, 2026)] == [249, 246, 247]
    assert reference.calendar_exceptions_load().created == 0  # still idempotent


# --- the command ---------------------------------------------------------------------------------------------


def test_command_reports_counts_and_is_idempotent():
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    assert "regions: 20 created, 0 updated" in out.getvalue()
    assert "skipped line 63 (2027-01-01)" in out.getvalue()
    out = io.StringIO()
    call_command("load_reference", stdout=out)
    lines = [line for line in out.getvalue().splitlines() if not line.startswith(" ")]
    assert len(lines) == 4
    assert all("0 created, 0 updated" in line for line in lines)


def test_command_lists_rejected_rows(data_copy):
    def spoil(rows):
        rows[0]["kato_code"] = "1"
        return rows

    _rewrite(data_copy / "kz_regions.csv", spoil)
    out = io.StringIO()
    call_command("load_reference", "--source", str(data_copy), "--only", "regions", stdout=out)
    assert "regions: 19 created" in out.getvalue()
    assert "rejected line 2 (1): A KATO code has 9 digits." in out.getvalue()


def test_command_source_must_exist(tmp_path):
    with pytest.raises(CommandError):
        call_command("load_reference", "--source", str(tmp_path / "nowhere"))


def test_command_fails_when_a_data_set_cannot_load(data_copy):
    (data_copy / "kz_regions.csv").write_text("kato_code\n100000000\n", encoding="utf-8")
    with pytest.raises(CommandError, match="regions"):
        call_command("load_reference", "--source", str(data_copy), stdout=io.StringIO(), stderr=io.StringIO())
    assert Region.objects.count() == 0
    assert Country.objects.count() >= 249
