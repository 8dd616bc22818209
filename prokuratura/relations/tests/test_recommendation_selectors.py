"""The recommendations' reads: who sees which, the list's filters (who made it, a mandate or body with everything
below it, theme, responsible body, status, overdue, visit, words), the counts by status, the source chain."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from prokuratura.core.models import Sensitivity

from .. import recommendation_selectors as sel
from ..models import CounterpartKind, ImplementationStatus, MandateKind, RecommendationSource
from ..recommendation_selectors import RecommendationFilters
from ..services import recommendation_close, recommendation_start
from . import factories as f

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
RS = ImplementationStatus


def texts(qs):
    return sorted(r.text for r in qs)


def test_each_reader_sees_what_the_record_rule_allows(cast):
    f.recommendation(by=cast.intl_officer, text="GPO")
    f.recommendation(by=cast.prosecutor_almaty, text="Almaty")
    f.recommendation(by=cast.head_astana, text="Astana restricted", sensitivity=Sensitivity.RESTRICTED)
    f.recommendation(by=cast.head_gpo, text="Named officer", officer=cast.prosecutor_astana)
    assert texts(sel.recommendation_list(user=cast.head_gpo)) == [
        "Almaty",
        "Astana restricted",
        "GPO",
        "Named officer",
    ]
    assert texts(sel.recommendation_list(user=cast.prosecutor_almaty)) == ["Almaty"]
    assert texts(sel.recommendation_list(user=cast.prosecutor_astana)) == ["Named officer"]
    assert texts(sel.recommendation_list(user=cast.outsider)) == []


def test_the_filters(cast):
    torture = f.un_mandate("sr-torture")
    judges = f.un_mandate("sr-judges")
    treaty_body = f.counterpart("test-committee", CounterpartKind.BODY, mandate_kind=MandateKind.TREATY_BODY)
    theme = f.topic("torture-prevention")
    agency = f.domestic_agency()
    visit = f.event(by=cast.intl_officer, kind="incoming_visit", principal=torture)
    f.recommendation(
        by=cast.intl_officer,
        text="Torture A",
        source=torture,
        event=visit,
        theme=theme,
        document="A/HRC/13/39/Add.3",
        paragraph="81(a)",
        issued_on=visit.end_date,
        due_date=TODAY - dt.timedelta(days=1),
    )
    late_but_closed = f.recommendation(
        by=cast.intl_officer, text="Torture B", source=torture, due_date=TODAY - dt.timedelta(days=1)
    )
    recommendation_close(by=cast.head_gpo, recommendation=late_but_closed, reason="Superseded")
    f.recommendation(by=cast.intl_officer, text="Judges", source=judges, responsible=agency)
    f.recommendation(
        by=cast.intl_officer,
        text="Committee",
        source=treaty_body,
        source_kind=RecommendationSource.TREATY_BODY,
    )

    def found(**filters):
        return texts(sel.recommendation_list(user=cast.head_gpo, filters=RecommendationFilters(**filters)))

    special_procedures = torture.parent
    assert found(source=special_procedures) == ["Judges", "Torture A", "Torture B"]
    assert found(source=torture) == ["Torture A", "Torture B"]
    assert found(source_kind=RecommendationSource.TREATY_BODY) == ["Committee"]
    assert found(theme=theme) == ["Torture A"]
    assert found(responsible=agency) == ["Judges"]
    assert found(status=RS.NOT_RELEVANT) == ["Torture B"]
    assert found(overdue=True) == ["Torture A"]
    assert found(event=visit) == ["Torture A"]
    assert found(q="A/HRC/13/39") == ["Torture A"]
    assert found(q="81(a)") == ["Torture A"]
    assert found(q="torture") == ["Torture A", "Torture B"]
    assert [r.text for r in sel.event_recommendations(user=cast.head_gpo, event=visit)] == ["Torture A"]
    assert [e.pk for e in sel.event_choices(user=cast.head_gpo, with_recommendations=True)] == [visit.pk]


def test_counts_by_status_in_one_query(cast, django_assert_num_queries):
    first = f.recommendation(by=cast.intl_officer)
    f.recommendation(by=cast.intl_officer)
    recommendation_start(by=cast.intl_officer, recommendation=first, planned_actions="Draft a law")
    listed = sel.recommendation_list(user=cast.head_gpo)
    with django_assert_num_queries(1):
        counts = sel.recommendation_status_counts(listed)
    by_status = {c.status: c.count for c in counts}
    assert by_status == dict.fromkeys(RS.values, 0) | {RS.NOT_STARTED: 1, RS.IN_PROGRESS: 1}
    assert [c.status for c in counts] == list(RS.values)


def test_overdue_source_chain_and_kind(cast):
    rec = f.recommendation(by=cast.intl_officer, due_date=TODAY - dt.timedelta(days=3))
    assert sel.is_overdue(rec) and not sel.is_overdue(rec, today=TODAY - dt.timedelta(days=5))
    mandate = f.un_mandate()
    assert [c.code for c in sel.source_chain(mandate)] == [
        "un",
        "un-hrc",
        "hrc-special-procedures",
        mandate.code,
    ]
    assert sel.source_chain(None) == []
    assert sel.source_kind_for(mandate) == RecommendationSource.SPECIAL_PROCEDURE
    spt = f.counterpart("test-spt", CounterpartKind.MANDATE, mandate_kind=MandateKind.TREATY_BODY)
    assert sel.source_kind_for(spt) == RecommendationSource.TREATY_BODY
    assert sel.source_kind_for(f.counterpart("test-org")) == ""
    assert sel.source_get(source_id=mandate.pk) == mandate
    assert sel.source_get(source_id=f.domestic_agency().pk) is None
    assert [r.pk for r in sel.recommendation_export_rows(user=cast.head_gpo)] == [rec.pk]
