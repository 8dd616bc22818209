"""The joint projects' reads: who sees which project, the list's filters (a partner with everything below it, the
year a project was under way, topic, status, words), the budget totals per currency, the forms' choices."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from prokuratura.core.models import Sensitivity

from .. import project_selectors as sel
from ..models import CounterpartKind, ProjectStatus
from ..project_selectors import ProjectFilters
from ..services import project_start
from . import factories as f

pytestmark = pytest.mark.django_db


def titles(qs):
    return sorted(p.title for p in qs)


def test_each_reader_sees_what_the_record_rule_allows(cast):
    gpo = f.project(by=cast.intl_officer, title="GPO project")
    almaty = f.project(by=cast.prosecutor_almaty, title="Almaty project")
    restricted = f.project(by=cast.head_astana, title="Astana restricted", sensitivity=Sensitivity.RESTRICTED)
    assert titles(sel.project_list(user=cast.head_gpo)) == titles([gpo, almaty, restricted])
    assert titles(sel.project_list(user=cast.prosecutor_almaty)) == ["Almaty project"]
    assert titles(sel.project_list(user=cast.head_astana)) == ["Astana restricted"]
    assert titles(sel.project_list(user=cast.prosecutor_astana)) == []
    assert titles(sel.project_list(user=cast.auditor)) == ["Almaty project", "GPO project"]
    assert list(sel.project_list(user=cast.outsider)) == []
    assert list(sel.project_list(user=cast.analyst)) == []


def test_a_partner_filter_takes_in_its_bodies_and_field_offices(cast):
    osce = f.counterpart("test-org")
    office = f.counterpart("test-org-office", CounterpartKind.FIELD_OFFICE, parent=osce)
    unodc = f.counterpart("test-other-org")
    f.project(by=cast.intl_officer, title="With the OSCE", partner=osce)
    f.project(by=cast.intl_officer, title="With the Programme Office", partner=office)
    f.project(by=cast.intl_officer, title="With UNODC", partner=unodc)
    found = sel.project_list(user=cast.head_gpo, filters=ProjectFilters(partner=osce))
    assert titles(found) == ["With the OSCE", "With the Programme Office"]
    found = sel.project_list(user=cast.head_gpo, filters=ProjectFilters(partner=office))
    assert titles(found) == ["With the Programme Office"]


def test_year_status_topic_and_words(cast):
    drugs = f.topic("drugs")
    old = f.project(
        by=cast.intl_officer,
        title="Old",
        start_date=dt.date(2015, 3, 1),
        end_date=dt.date(2017, 6, 30),
        topics=[drugs],
    )
    open_ended = f.project(by=cast.intl_officer, title="Open", start_date=dt.date(2016, 1, 1))
    f.project(by=cast.intl_officer, title="Recent", start_date=dt.date(2020, 1, 1), reference="KAZ-42")
    project_start(by=cast.intl_officer, project=open_ended)

    def found(**filters):
        return titles(sel.project_list(user=cast.head_gpo, filters=ProjectFilters(**filters)))

    assert found(year=2017) == ["Old", "Open"]
    assert found(year=2014) == []
    assert found(year=2021) == ["Open", "Recent"]
    assert found(status=ProjectStatus.ACTIVE) == ["Open"]
    assert found(topic=drugs) == [old.title]
    assert found(q="kaz-42") == ["Recent"]
    assert found(q="reform support") == []


def test_budget_totals_per_currency_for_the_list(cast):
    f.project(by=cast.intl_officer, budget=Decimal("1000.50"), currency="EUR")
    f.project(by=cast.intl_officer, budget=Decimal("2000"), currency="EUR")
    f.project(by=cast.intl_officer, budget=Decimal("300"), currency="USD")
    f.project(by=cast.intl_officer)  # no budget
    f.project(  # not the reader's
        by=cast.head_astana, budget=Decimal("99999"), currency="USD", sensitivity=Sensitivity.RESTRICTED
    )
    totals = sel.project_budget_totals(sel.project_list(user=cast.intl_officer))
    assert totals == [("EUR", Decimal("3000.50")), ("USD", Decimal("300"))]


def test_the_projects_page_reads(cast, offices):
    osce = f.counterpart("osce")
    office = f.counterpart("osce-astana", CounterpartKind.FIELD_OFFICE, parent=osce)
    project = f.project(by=cast.intl_officer, partner=office, offices=[offices.almaty], topics=[f.topic()])
    links = sel.project_links(project=project)
    assert links.offices == [offices.almaty] and len(links.topics) == 1 and links.departments == []
    assert sel.partner_chain(office) == [osce, office]
    assert [h.step for h in sel.project_history(project=project)] == ["create"]
    rows = list(sel.project_export_rows(user=cast.head_gpo))
    assert [r.pk for r in rows] == [project.pk]


def test_choices(cast):
    osce = f.counterpart("osce")
    agency = f.domestic_agency()
    assert osce in sel.partner_choices() and agency not in sel.partner_choices()
    workers = list(sel.relations_workers(office=cast.head_astana.office))
    assert cast.head_astana in workers and cast.prosecutor_astana in workers
    assert cast.registrar_astana not in workers and cast.intl_officer not in workers
    assert list(sel.relations_workers(office=None)) == []
