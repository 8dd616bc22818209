"""The treaty numbers: the counting rules on real dates (partial dates, ratified versus in force, terminated,
undated, two subjects), by subject and region, the change over time, statements near a date, multilateral
conventions, the query count, and the real register on 2015-10-22."""

import datetime as dt

import pytest

from prokuratura.cooperation.models import (
    Instrument,
    InstrumentParty,
    OfficialStatement,
    Precision,
)
from prokuratura.cooperation.stats import (
    bilateral_counts_on,
    bilateral_series,
    multilateral_on,
    statements_near,
)

from .factories import CountryFactory, InstrumentFactory

pytestmark = pytest.mark.django_db

D = dt.date
SIGNED = D(2010, 1, 1)


def treaty(
    iso2="TR",
    *,
    region="asia",
    signed=SIGNED,
    precision=Precision.DAY,
    ratified=None,
    in_force=None,
    terminated=None,
    subjects=None,
    status=Instrument.Status.SIGNED,
):
    return InstrumentFactory(
        partner=CountryFactory(iso2=iso2, world_region=region),
        signed_date=signed,
        signed_precision=precision,
        ratified_date=ratified,
        in_force_date=in_force,
        terminated_date=terminated,
        status=status,
        subjects=subjects or ["mla"],
    )


def counts(day):
    return bilateral_counts_on(on_date=day)


def test_a_month_precise_signature_counts_from_the_last_day_of_the_month():
    treaty(signed=D(2011, 2, 1), precision=Precision.MONTH)
    assert counts(D(2011, 2, 15)).signed.count == 0
    assert counts(D(2011, 2, 27)).signed.count == 0
    assert counts(D(2011, 2, 28)).signed.count == 1
    assert counts(D(2011, 3, 1)).signed.count == 1


def test_a_year_precise_signature_counts_from_31_december():
    treaty(signed=D(1997, 1, 1), precision=Precision.YEAR)
    assert counts(D(1997, 12, 30)).total.count == 0
    assert counts(D(1997, 12, 31)).total.count == 1


def test_a_day_precise_signature_counts_from_that_day():
    treaty(signed=D(2015, 10, 22))
    assert counts(D(2015, 10, 21)).signed.count == 0
    assert counts(D(2015, 10, 22)).signed.count == 1


def test_ratified_is_not_in_force_until_entry_into_force():
    treaty(signed=D(2010, 1, 1), ratified=D(2011, 5, 1), in_force=D(2012, 3, 1))
    before, ratified, in_force = counts(D(2011, 4, 30)), counts(D(2011, 5, 1)), counts(D(2012, 3, 1))
    assert (before.signed.count, before.ratified.count, before.in_force.count) == (1, 0, 0)
    assert (ratified.signed.count, ratified.ratified.count, ratified.in_force.count) == (1, 1, 0)
    assert (in_force.signed.count, in_force.ratified.count, in_force.in_force.count) == (1, 1, 1)


def test_entry_into_force_without_a_ratification_act_counts_as_ratified():
    treaty(signed=D(2010, 1, 1), ratified=None, in_force=D(2011, 1, 1))
    result = counts(D(2011, 1, 1))
    assert (result.ratified.count, result.in_force.count) == (1, 1)


def test_a_terminated_treaty_stays_signed_and_ratified_but_not_in_force():
    treaty(signed=D(1995, 1, 1), ratified=D(1996, 1, 1), in_force=D(1997, 1, 1), terminated=D(2010, 5, 1))
    before, after = counts(D(2010, 4, 30)), counts(D(2010, 5, 1))
    assert (before.in_force.count, before.terminated.in_force) == (1, 0)
    assert (after.signed.count, after.ratified.count, after.in_force.count) == (1, 1, 0)
    assert after.terminated.cells == (1, 1, 1)
    assert after.total.count == 1


def test_an_undated_treaty_is_counted_apart_never_in_a_figure():
    treaty("XB", signed=None, status=Instrument.Status.UNKNOWN)
    treaty("XC", signed=D(2000, 1, 1))
    result = counts(D(2026, 1, 1))
    assert result.undated == 1
    assert result.total.count == 1
    assert result.total.states == ("State XC",)


def test_a_treaty_known_only_by_its_entry_into_force_is_counted():
    treaty(signed=None, in_force=D(2001, 1, 1), status=Instrument.Status.IN_FORCE)
    result = counts(D(2001, 1, 1))
    assert (result.total.count, result.signed.count, result.in_force.count, result.undated) == (1, 0, 1, 0)


def test_a_two_subject_treaty_counts_once_in_the_total_and_under_each_subject():
    treaty("KG", subjects=["extradition", "transfer_proceedings"])
    treaty("TR", subjects=["extradition"])
    result = counts(D(2020, 1, 1))
    assert result.total.count == 2
    assert result.subject_total.signed == 2
    by_subject = {row.code: row.signed for row in result.by_subject}
    assert by_subject == {"extradition": 2, "transfer_proceedings": 1}
    assert sum(by_subject.values()) == 3


def test_partner_states_are_distinct_and_sorted_by_name():
    treaty("TR", subjects=["mla"])
    treaty("TR", subjects=["extradition"], signed=D(2012, 1, 1))
    treaty("CN", subjects=["extradition"], ratified=D(2011, 1, 1))
    result = counts(D(2020, 1, 1))
    assert result.total.count == 3
    assert result.total.states == ("State CN", "State TR")
    assert result.ratified.states == ("State CN",)
    assert {row.code: row.states for row in result.by_subject} == {"mla": 1, "extradition": 2}


def test_by_region_of_the_partner_adds_up_to_the_total():
    treaty("TR", region="asia")
    treaty("HU", region="europe", ratified=D(2011, 1, 1))
    treaty("IT", region="europe")
    treaty("ZZ", region="")
    result = counts(D(2020, 1, 1))
    rows = {row.code: (row.label, row.signed, row.ratified, row.states) for row in result.by_region}
    assert rows == {
        "asia": ("Asia", 1, 0, 1),
        "europe": ("Europe", 2, 1, 2),
        "": ("Region not known", 1, 0, 1),
    }
    assert sum(row.signed for row in result.by_region) == result.region_total.signed == 4


def test_multilateral_instruments_are_not_counted_as_bilateral():
    InstrumentFactory(kind=Instrument.Kind.MULTILATERAL, partner=None, parties=[], short_name="UNTOC")
    assert counts(D(2026, 1, 1)).total.count == 0


def test_series_counts_at_each_year_end_and_today_for_this_year():
    treaty("TR", signed=D(2011, 2, 1), precision=Precision.MONTH, ratified=D(2012, 6, 1))
    treaty("CN", signed=D(2013, 7, 1), in_force=D(2014, 1, 1))
    today = D(2014, 3, 5)
    points = bilateral_series(start_year=2010, end_year=2020, today=today)
    assert [p.year for p in points] == [2010, 2011, 2012, 2013, 2014]
    assert points[-1].on_date == today
    assert points[1].on_date == D(2011, 12, 31)
    assert [p.cells for p in points] == [(0, 0, 0), (1, 0, 0), (1, 1, 0), (2, 1, 0), (2, 2, 1)]
    assert [p.states for p in points] == [0, 1, 1, 2, 2]


def test_series_starts_by_default_at_the_first_dated_year():
    treaty(signed=D(1993, 5, 1))
    treaty("XB", signed=None, status=Instrument.Status.UNKNOWN)
    points = bilateral_series(today=D(1995, 1, 1))
    assert [p.year for p in points] == [1993, 1994, 1995]


def statement(day, figure, *, precision=Precision.DAY, text=None, key=None, source="https://example.org/s"):
    return OfficialStatement.objects.create(
        date=day,
        date_precision=precision,
        date_text=text or (day.isoformat() if day else "undated"),
        figure=figure,
        statement=f"Statement: {figure}",
        source_url=source,
        import_key=key or figure,
    )


def test_statements_near_a_date_are_those_within_two_years_with_the_nearest_marked():
    statement(D(2013, 11, 1), "6 EU countries", precision=Precision.MONTH)
    statement(D(2015, 10, 22), "44")
    statement(D(2017, 10, 22), "two years on")
    statement(D(2017, 10, 26), "3 Inter-American conventions")  # two years and four days: too far
    statement(None, "later", text="2025 (approx.)")
    near = statements_near(on_date=D(2015, 10, 22))
    assert [r.statement.figure for r in near.rows] == ["6 EU countries", "44", "two years on"]
    assert [r.nearest for r in near.rows] == [False, True, False]
    assert [r.days_apart for r in near.rows] == [-691, 0, 731]
    assert near.undated == 1
    assert near.total == 5


def test_a_month_precise_statement_is_at_distance_zero_within_its_month():
    statement(D(2013, 11, 1), "6 EU countries", precision=Precision.MONTH)
    (row,) = statements_near(on_date=D(2013, 11, 20)).rows
    assert (row.days_apart, row.nearest) == (0, True)
    (row,) = statements_near(on_date=D(2013, 12, 5)).rows
    assert row.days_apart == -5


def test_all_statements_with_years_none_includes_the_undated_last():
    statement(D(2019, 1, 16), "19")
    statement(D(2005, 1, 1), "old")
    statement(None, "undated", text="2025 (approx.)")
    near = statements_near(on_date=D(2015, 10, 22), years=None)
    assert [r.statement.figure for r in near.rows] == ["old", "19", "undated"]
    assert [r.nearest for r in near.rows] == [False, True, False]
    assert near.undated == 0


def test_each_statement_has_the_registers_count_on_its_date_beside_it():
    treaty("TR", signed=D(2011, 2, 1), precision=Precision.MONTH, ratified=D(2013, 1, 1))
    treaty("CN", signed=D(2012, 5, 1), in_force=D(2013, 11, 15))
    statement(D(2013, 11, 1), "month", precision=Precision.MONTH)
    statement(D(2012, 1, 1), "year", precision=Precision.YEAR)
    rows = statements_near(on_date=D(2013, 1, 1), years=None).rows
    assert {r.statement.figure: r.register for r in rows} == {"year": (2, 0, 0), "month": (2, 2, 1)}


def test_only_web_addresses_become_links():
    statement(D(2015, 1, 1), "x", source="https://a.example | javascript:alert(1)")
    (row,) = statements_near(on_date=D(2015, 1, 1)).rows
    assert row.links == ["https://a.example"]
    assert row.other_sources == ["javascript:alert(1)"]


def convention(
    short_name, *, kz_date=None, precision=Precision.DAY, kz_in_force=None, status="party", ratified=None
):
    instrument = InstrumentFactory(
        kind=Instrument.Kind.MULTILATERAL,
        partner=None,
        parties=[],
        short_name=short_name,
        ratified_date=ratified,
        in_force_date=None,
        status=Instrument.Status.RATIFIED,
    )
    if status is not None:
        InstrumentParty.objects.create(
            instrument=instrument,
            country=CountryFactory(iso2="KZ"),
            status=status,
            date=kz_date,
            date_precision=precision,
            in_force_date=kz_in_force,
        )
    return instrument


def test_multilateral_conventions_kazakhstan_was_party_to_on_a_date():
    convention("UNCAC", kz_date=D(2008, 5, 4), kz_in_force=D(2008, 7, 17))
    convention("Trafficking", kz_date=D(2008, 7, 1), precision=Precision.MONTH)
    convention("CETS 173", kz_date=None, status=InstrumentParty.Status.SIGNATORY)
    convention("Minsk", kz_date=None)
    convention("Chisinau", status=None, ratified=D(2004, 3, 29))
    on_june = multilateral_on(on_date=D(2008, 6, 1))
    assert [r.instrument.short_name for r in on_june.party] == ["Chisinau", "UNCAC"]
    assert [r.in_force for r in on_june.party] == [False, False]
    assert [i.short_name for i in on_june.date_unknown] == ["Minsk"]
    on_august = multilateral_on(on_date=D(2008, 8, 1))
    assert sorted(r.instrument.short_name for r in on_august.party) == ["Chisinau", "Trafficking", "UNCAC"]
    assert on_august.in_force == 1


def test_query_count_does_not_grow_with_the_register(django_assert_max_num_queries):
    for index in range(30):
        treaty(f"Q{index % 10}", signed=D(2000 + index % 20, 1, 1), subjects=["mla", "extradition"])
    with django_assert_max_num_queries(2):
        bilateral_counts_on(on_date=D(2015, 1, 1))
    with django_assert_max_num_queries(2):
        bilateral_series(today=D(2026, 1, 1))
    statement(D(2015, 1, 1), "x")
    with django_assert_max_num_queries(3):
        statements_near(on_date=D(2015, 1, 1))
    with django_assert_max_num_queries(2):
        multilateral_on(on_date=D(2015, 1, 1))


def test_the_real_register_on_22_october_2015(coop_reference):
    on_day = bilateral_counts_on(on_date=D(2015, 10, 22))
    today = bilateral_counts_on(on_date=D(2026, 11, 26))
    # 79 distinct instruments (77 in file 1, Georgia and India in the addendum), 37 partner states; those with no
    # date at all are counted apart.
    assert today.total.count + today.undated == 79
    assert today.total.state_count <= 37
    assert 0 < on_day.total.count < today.total.count
    assert on_day.in_force.count <= on_day.ratified.count <= on_day.signed.count
    assert on_day.subject_total.signed == on_day.signed.count
    assert sum(row.signed for row in on_day.by_subject) > on_day.signed.count  # the two-subject instruments
    near = statements_near(on_date=D(2015, 10, 22))
    nearest = [r.statement for r in near.rows if r.nearest]
    assert [s.figure_value for s in nearest] == [44]
