"""The numbers' selectors, with the real history of the UN visits to Kazakhstan (un_special_procedures_visits_kz.csv):
6 special-procedure visits in the five years before 22.10.2015, 7 counting from 1 January 2010, the SPT apart, and
the official statement of that day (8) beside the count."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from prokuratura.core.models import Sensitivity

from ..models import (
    CounterpartKind,
    EventKind,
    ImplementationStatus,
    MandateKind,
    ParticipantSide,
    ProjectStatus,
    RecommendationSource,
    RelationsStatement,
)
from ..services import ParticipantData
from ..stats import (
    delegation_numbers,
    project_numbers,
    recommendation_numbers,
    relations_numbers,
    special_procedure_visits,
    visit_statements,
    window_start,
)
from . import factories as f

pytestmark = pytest.mark.django_db
D = dt.date
SR, IE, TB = MandateKind.SPECIAL_RAPPORTEUR, MandateKind.INDEPENDENT_EXPERT, MandateKind.TREATY_BODY
STATEMENT_DAY = D(2015, 10, 22)

# The 14 rows of un_special_procedures_visits_kz.csv: mandate, kind, holder, start, end.
UN_VISITS = [
    ("sr-judges", SR, "Leandro Despouy", D(2004, 6, 11), D(2004, 6, 17)),
    ("sr-torture", SR, "Manfred Nowak", D(2009, 5, 5), D(2009, 5, 13)),
    ("ie-minorities", IE, "Gay McDougall", D(2009, 7, 6), D(2009, 7, 15)),
    ("sr-housing", SR, "Raquel Rolnik", D(2010, 9, 6), D(2010, 9, 13)),
    ("sr-education", SR, "Kishore Singh", D(2011, 9, 12), D(2011, 9, 20)),
    ("sr-slavery", SR, "Gulnara Shahinian", D(2012, 9, 24), D(2012, 10, 1)),
    ("sr-slavery", SR, "Gulnara Shahinian", D(2014, 3, 25), D(2014, 3, 27)),
    ("sr-religion", SR, "Heiner Bielefeldt", D(2014, 3, 25), D(2014, 4, 4)),
    ("sr-assembly", SR, "Maina Kiai", D(2015, 1, 19), D(2015, 1, 27)),
    ("sr-toxics", SR, "Baskut Tuncak", D(2015, 3, 26), D(2015, 4, 8)),
    ("spt", TB, "Victor Zaharia (head)", D(2016, 9, 20), D(2016, 9, 29)),
    ("sr-disability", SR, "Catalina Devandas-Aguilar", D(2017, 9, 4), D(2017, 9, 12)),
    ("sr-terrorism", SR, "Fionnuala Ní Aoláin", D(2019, 5, 10), D(2019, 5, 17)),
    ("spt", TB, "", D(2023, 3, 26), D(2023, 4, 1)),
]


def load_un_visits(by) -> None:
    for code, kind, holder, start, end in UN_VISITS:
        f.un_visit(by=by, mandate_code=code, mandate_kind=kind, holder_name=holder, start=start, end=end)


def sp_statement() -> RelationsStatement:
    """The statement of 22.10.2015 (the reference data's migration may have loaded it already)."""
    found, _ = RelationsStatement.objects.update_or_create(
        subject=RelationsStatement.Subject.SPECIAL_PROCEDURE_VISITS,
        date=STATEMENT_DAY,
        figure_value=8,
        defaults={
            "period_years": 5,
            "statement": "Eight UN Special Rapporteurs have visited Kazakhstan in the past five years",
            "speaker": "A. Kravchenko",
            "source_url": "https://en.inform.kz/news/prosecutor-general-39-s-office-held-meeting-with-osce-ambassadors"
            "_a2831300/",
            "note": "",
        },
    )
    return found


def osce_statement() -> RelationsStatement:
    found, _ = RelationsStatement.objects.update_or_create(
        subject=RelationsStatement.Subject.JOINT_PROJECTS,
        date=STATEMENT_DAY,
        figure_value=40,
        defaults={
            "partner_code": "osce-astana",
            "statement": "Around 40 joint projects have been implemented under the auspices of the OSCE Centre in "
            "Astana",
            "speaker": "A. Kravchenko",
        },
    )
    return found


@pytest.fixture
def history(cast):
    load_un_visits(cast.intl_officer)


def test_six_special_procedure_visits_in_the_five_years_before_the_statement(cast, history):
    counted = special_procedure_visits(user=cast.head_gpo, on=STATEMENT_DAY, years=5)
    assert counted.since == D(2010, 10, 22)
    assert counted.total == 6
    assert [v.start for v in counted.visits][0] == D(2011, 9, 12)
    slavery = next(row for row in counted.by_mandate if row.count == 2)
    assert slavery.holders == ["Gulnara Shahinian"]
    assert counted.treaty_body_total == 0


def test_seven_counting_from_the_start_of_2010(cast, history):
    counted = special_procedure_visits(user=cast.head_gpo, on=STATEMENT_DAY, since=D(2010, 1, 1))
    assert counted.total == 7


def test_treaty_body_visits_are_counted_apart(cast, history):
    counted = special_procedure_visits(user=cast.head_gpo, on=D(2023, 12, 31), years=10)
    assert counted.total == 6  # 2014 (2), 2015 (2), 2017, 2019 — from 31.12.2013
    assert counted.treaty_body_total == 2
    everything = special_procedure_visits(user=cast.head_gpo, on=D(2024, 1, 1), years=30)
    assert (everything.total, everything.treaty_body_total) == (12, 2)


def test_numbers_count_the_office_subtree_and_the_public_history_everywhere(cast, history):
    # Numbers, not records (core.access.counting_scope_q): an internal visit recorded in Almaty counts at the root
    # office (the analyst, a head there) but not in Astana, where the published (public) history still counts.
    f.un_visit(
        by=cast.prosecutor_almaty,
        mandate_code="sr-health",
        start=D(2015, 6, 1),
        end=D(2015, 6, 5),
        sensitivity=Sensitivity.INTERNAL,
    )
    assert special_procedure_visits(user=cast.analyst, on=STATEMENT_DAY).total == 7
    assert special_procedure_visits(user=cast.head_gpo, on=STATEMENT_DAY).total == 7
    assert special_procedure_visits(user=cast.head_astana, on=STATEMENT_DAY).total == 6
    assert special_procedure_visits(user=cast.outsider, on=STATEMENT_DAY).total == 0


def test_the_statement_of_the_time_beside_the_count(cast, history):
    sp_statement()
    [check] = visit_statements(user=cast.analyst, on=D(2026, 1, 1))
    assert (check.stated, check.counted, check.years) == (8, 6, 5)
    assert check.differs and check.nearest
    assert check.links == [check.statement.source_url]


def test_window_start_on_29_february():
    assert window_start(D(2024, 2, 29), 1) == D(2023, 2, 28)


def test_projects_by_partner_organisation_and_status_with_the_osce_statement(cast):
    osce = f.counterpart("osce", name_en="OSCE")
    office = f.counterpart("osce-astana", CounterpartKind.FIELD_OFFICE, parent=osce, name_en="OSCE PO Astana")
    undp = f.counterpart("test-partner", name_en="Test partner")
    by = cast.intl_officer
    f.project(by=by, partner=office, start_date=D(2012, 1, 10), status=ProjectStatus.ACTIVE)
    f.project(
        by=by,
        partner=office,
        start_date=D(2013, 1, 10),
        end_date=D(2014, 1, 1),
        status=ProjectStatus.COMPLETED,
        outputs="Manual",
    )
    f.project(by=by, partner=osce, start_date=D(2016, 1, 10), status=ProjectStatus.ACTIVE)
    f.project(by=by, partner=undp, start_date=D(2014, 1, 10), budget=Decimal("1000"), currency="USD")
    osce_statement()
    numbers = project_numbers(user=cast.head_gpo, on=D(2026, 1, 1))
    assert numbers.total.total == 4
    top = {row.key: row.counts for row in numbers.by_organisation}
    assert top == {str(osce.pk): {"active": 2, "completed": 1}, str(undp.pk): {"proposed": 1}}
    partner = {row.key: (row.parent, row.total) for row in numbers.by_partner}
    assert partner[str(office.pk)] == (osce.name, 2)
    assert partner[str(osce.pk)] == ("", 1)
    [check] = numbers.statements
    assert (check.stated, check.counted) == (40, 2)  # the field office's two, started by 22.10.2015
    assert project_numbers(user=cast.outsider, on=D(2026, 1, 1)).total.total == 0


def test_delegations_received_and_sent_per_year_and_by_state(cast):
    us, cn = f.country("US"), f.country("CN", "China")
    by = cast.intl_officer
    today = D.today()
    year = today.year
    day = today - dt.timedelta(days=1) if today.month > 1 or today.day > 1 else today
    f.event(
        by=by,
        kind=EventKind.INCOMING_VISIT,
        start_date=day,
        end_date=day,
        participants=[ParticipantData(country=us), ParticipantData(country=cn)],
    )
    f.event(
        by=by,
        kind=EventKind.FAMILIARISATION,
        start_date=day,
        end_date=day,
        participants=[ParticipantData(country=us)],
    )
    f.event(
        by=by,
        kind=EventKind.OUTGOING_VISIT,
        start_date=D(year - 2, 3, 1),
        end_date=D(year - 2, 3, 2),
        participants=[
            ParticipantData(country=cn),
            ParticipantData(country=f.country("KZ", "Kazakhstan"), side=ParticipantSide.KAZAKHSTAN),
        ],
    )
    f.event(by=by, kind=EventKind.MEETING, start_date=day, end_date=day)  # not a delegation
    f.event(by=by, held=False, kind=EventKind.INCOMING_VISIT)  # planned: not counted
    numbers = delegation_numbers(user=cast.head_gpo, on=today)
    assert [(r.year, r.received, r.sent) for r in numbers.by_year] == [
        (year - 2, 0, 1),
        (year - 1, 0, 0),
        (year, 2, 0),
    ]
    assert {r.iso2: r.cells for r in numbers.by_state} == {"US": (2, 0), "CN": (1, 1)}
    this_year = delegation_numbers(user=cast.head_gpo, on=today, year=year)
    assert {r.iso2: r.cells for r in this_year.by_state} == {"US": (2, 0), "CN": (1, 0)}


def test_recommendations_by_status_and_source(cast):
    by = cast.intl_officer
    f.recommendation(by=by)
    f.recommendation(by=by, status=ImplementationStatus.IMPLEMENTED, evidence="Law adopted")
    f.recommendation(by=by, source_kind=RecommendationSource.UPR, source=None)
    numbers = recommendation_numbers(user=cast.head_gpo, on=D.today())
    assert numbers.total.total == 3 and numbers.implemented == 1 and numbers.open == 2
    rows = {row.key: row.counts for row in numbers.by_source}
    assert rows == {"special_procedure": {"not_started": 1, "implemented": 1}, "upr": {"not_started": 1}}


def test_all_tables_in_a_fixed_number_of_queries(cast, history, django_assert_max_num_queries):
    sp_statement()
    osce_statement()
    f.project(by=cast.intl_officer)
    f.recommendation(by=cast.intl_officer)
    user = type(cast.head_gpo).objects.get(pk=cast.head_gpo.pk)
    with django_assert_max_num_queries(10):
        numbers = relations_numbers(user=user, on=STATEMENT_DAY, years=5)
    assert numbers.visits.total == 6 and numbers.visit_statements[0].counted == 6
