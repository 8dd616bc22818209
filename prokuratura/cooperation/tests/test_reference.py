import datetime as dt
import shutil

import pytest

from prokuratura.cooperation.models import (
    Instrument,
    InstrumentParty,
    OfficialStatement,
    OrganisationMembership,
    ReferenceImport,
    partial_date_display,
    partial_date_label,
)
from prokuratura.cooperation.reference import (
    BILATERAL,
    MEMBERSHIPS,
    MULTILATERAL,
    TITLES,
    cooperation_load,
    parse_partial_date,
)
from prokuratura.core.models import AuditEntry
from prokuratura.core.reference import DEFAULT_SOURCE


def test_partial_dates():
    assert parse_partial_date("2011-02") == (dt.date(2011, 2, 1), "month")
    assert parse_partial_date("1997") == (dt.date(1997, 1, 1), "year")
    assert parse_partial_date("2013-11 (approx.)") == (dt.date(2013, 11, 1), "month")
    assert parse_partial_date("") == (None, "day")
    with pytest.raises(ValueError):
        parse_partial_date("March 6")


def test_partial_dates_read_dd_mm_yyyy_on_the_pages_and_iso_in_the_api():
    day = dt.date(2011, 2, 17)
    assert [partial_date_display(day, precision) for precision in ("day", "month", "year")] == [
        "17.02.2011",
        "02.2011",
        "2011",
    ]
    assert [partial_date_label(day, precision) for precision in ("day", "month", "year")] == [
        "2011-02-17",
        "2011-02",
        "2011",
    ]
    assert partial_date_display(None, "day") == ""


def test_real_data_loads_as_the_readme_counts(coop_reference):
    bilateral = Instrument.objects.filter(kind="bilateral")
    # 79 rows of file 1, two instruments on two rows each → 77 instruments with 35 partner states; the addendum
    # adds Georgia (a new partner) and India's MLA agreement.
    assert bilateral.count() == 79
    assert bilateral.values("partner").distinct().count() == 36
    assert Instrument.objects.filter(kind="multilateral").count() == 20
    assert OfficialStatement.objects.count() == 12
    kg = bilateral.get(partner="KG", signed_date=dt.date(1997, 4, 8))
    assert sorted(kg.subject_codes()) == ["extradition", "transfer_proceedings"]
    tr = bilateral.get(partner="TR", signed_date=dt.date(1995, 8, 15))
    assert sorted(tr.subject_codes()) == ["extradition", "mla"]
    # Nothing invented: the US MLA treaty has no entry-into-force date in the sources.
    us = bilateral.get(partner="US")
    assert us.in_force_date is None and us.ratified_date == dt.date(2015, 7, 16)
    cn = bilateral.get(partner="CN", subjects__subject="transfer_sentenced")
    assert (cn.signed_date, cn.signed_precision, cn.signed_label) == (dt.date(2011, 2, 1), "month", "2011-02")
    assert set(kg.parties.values_list("country_id", flat=True)) == {"KZ", "KG"}
    chisinau = Instrument.objects.get(code="chisinau-2002")
    assert chisinau.supersedes.code == "minsk-1993"
    assert Instrument.objects.get(code="uncac").open_to_all_states
    ru_minsk = InstrumentParty.objects.get(instrument__code="minsk-1993", country="RU")
    assert ru_minsk.confidence == "unverified"
    uncac_kz = InstrumentParty.objects.get(instrument__code="uncac", country="KZ")
    assert uncac_kz.in_force_date == dt.date(2008, 7, 17)
    statement = OfficialStatement.objects.get(date=dt.date(2015, 10, 22))
    assert statement.figure_value == 44
    assert ReferenceImport.objects.count() == 5


def test_second_run_changes_nothing(coop_reference):
    entries = AuditEntry.objects.count()
    reports = cooperation_load()
    assert all(not r.changed and not r.rejected for r in reports)
    assert AuditEntry.objects.count() == entries
    assert ReferenceImport.objects.count() == 5


def test_administrators_correction_survives_a_reload(coop_reference):
    us = Instrument.objects.get(kind="bilateral", partner="US")
    us.in_force_date = dt.date(2016, 1, 1)
    us.corrections = {"in_force_date": {"value": "2016-01-01", "source": "MFA note", "by": "admin"}}
    us.save()
    reports = cooperation_load(datasets=(BILATERAL,))
    us.refresh_from_db()
    assert us.in_force_date == dt.date(2016, 1, 1)
    assert any("in_force_date" in note for note in reports[0].notes)


def test_bad_rows_are_rejected_and_nothing_of_them_saved(coop_reference, tmp_path):
    shutil.copy(DEFAULT_SOURCE / "kz_bilateral_criminal_treaties.csv", tmp_path)
    path = tmp_path / "kz_bilateral_criminal_treaties.csv"
    with path.open("a", encoding="utf-8") as handle:
        handle.write("XQ,Nowhere,extradition,Treaty with nowhere,2020-01-01,,,,in_force,https://x,sourced,\n")
        handle.write("FR,France,extradition,Bad dates,2020-01-01,,,2019-01-01,in_force,https://x,sourced,\n")
        handle.write("FR,France,piracy,Bad type,2020-02-01,,,,signed,https://x,sourced,\n")
    (report,) = cooperation_load(source=tmp_path, datasets=(BILATERAL,))
    reasons = " ".join(r.reason for r in report.rejected)
    assert len(report.rejected) == 3
    assert "XQ" in reasons and "piracy" in reasons and "entry into force" in reasons
    assert not Instrument.objects.filter(
        title_en__in=["Treaty with nowhere", "Bad dates", "Bad type"]
    ).exists()
    assert Instrument.objects.filter(kind="bilateral").count() == 79


def test_missing_countries_stop_the_load(db):
    reports = cooperation_load(datasets=(BILATERAL, MULTILATERAL))
    assert all("load_reference" in r.error for r in reports)
    assert not Instrument.objects.exists()


def test_the_new_data_loads_addendum_coe_members_titles_wildcards_and_scope(coop_reference):
    georgia = Instrument.objects.get(kind="bilateral", partner="GE")
    india = Instrument.objects.get(kind="bilateral", partner="IN", subjects__subject="mla")
    assert georgia.subject_codes() == ["legal_assistance"] and georgia.ratified_date == dt.date(2006, 1, 14)
    assert georgia.in_force_date is None and georgia.status == "ratified"
    assert india.in_force_date == dt.date(2000, 12, 22)
    coe = OrganisationMembership.objects.filter(organisation="coe")
    assert coe.count() == 47
    assert coe.filter(member_until__isnull=True).count() == 46
    russia = coe.get(country="RU")
    assert (russia.member_from, russia.member_until) == (dt.date(1996, 2, 28), dt.date(2022, 3, 16))
    assert not coe.filter(country__in=["CN", "US", "KZ"]).exists()
    cets = Instrument.objects.get(code="cets-141")
    assert (cets.open_to_all_states, cets.open_to_group) == (True, "coe")
    assert Instrument.objects.get(code="untoc").open_to_group == "un"
    assert Instrument.objects.get(code="untoc").scope_conditions == ["transnational", "organised_group"]
    assert Instrument.objects.get(code="untoc").scope_source == "UNTOC art. 3(1)"
    assert Instrument.objects.get(code="icsft").scope_conditions == ["terrorist_financing"]
    assert [c.code for c in Instrument.objects.get(code="uncac").offence_categories.all()] == ["corruption"]
    china = Instrument.objects.get(kind="bilateral", partner="CN", subjects__subject="extradition")
    assert china.title_ru == "Договор между Республикой Казахстан и Китайской Народной Республикой о выдаче"
    assert china.title_kk.startswith("Қазақстан Республикасы мен Қытай Халық Республикасы арасындағы")
    assert "adilet.zan.kz" in china.title_source
    assert cets.title_ru.startswith("Конвенция об отмывании") and cets.title_kk == ""


def test_a_wildcard_row_nobody_explained_is_refused(coop_reference, tmp_path):
    for name in ("multilateral_conventions.csv", "convention_parties.csv"):
        shutil.copy(DEFAULT_SOURCE / name, tmp_path)
    extra = (DEFAULT_SOURCE / "cooperation_instruments.csv").read_text(encoding="utf-8")
    (tmp_path / "cooperation_instruments.csv").write_text(
        extra.replace(
            ",un,transnational;organised_group,UNTOC art. 3(1)", ",,transnational;organised_group,x"
        ),
        encoding="utf-8",
    )

    (report,) = cooperation_load(source=tmp_path, datasets=(MULTILATERAL,))

    assert [r.key for r in report.rejected] == ["UNTOC:*"]
    assert "which states the “*” row of UNTOC stands for" in report.rejected[0].reason


def test_memberships_follow_the_file(coop_reference, tmp_path):
    rows = (DEFAULT_SOURCE / "coe_member_states.csv").read_text(encoding="utf-8").splitlines()
    kept = [row for row in rows if not row.startswith("RU,")]
    (tmp_path / "coe_member_states.csv").write_text("\n".join(kept) + "\n", encoding="utf-8")

    (report,) = cooperation_load(source=tmp_path, datasets=(MEMBERSHIPS,))
    (again,) = cooperation_load(source=tmp_path, datasets=(MEMBERSHIPS,))

    assert report.updated == 1 and not report.rejected
    assert not OrganisationMembership.objects.filter(country="RU").exists()
    assert not again.changed and again.unchanged == 46


def test_an_administrators_title_survives_the_titles_file(coop_reference):
    cets = Instrument.objects.get(code="cets-141")
    cets.title_ru = "Страсбургская конвенция 1990 года"
    cets.corrections = {"title_ru": {"value": cets.title_ru, "source": "MFA", "by": "admin"}}
    cets.save()

    (report,) = cooperation_load(datasets=(TITLES,))

    cets.refresh_from_db()
    assert cets.title_ru == "Страсбургская конвенция 1990 года"
    assert any("cets-141.title_ru" in note for note in report.notes)
