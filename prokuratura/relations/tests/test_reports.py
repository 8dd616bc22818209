"""relations_headline_figures: the reports module's figures, from the numbers' selectors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from ..models import EventKind, ImplementationStatus, ProjectStatus
from ..reports import relations_headline_figures
from . import factories as f
from .test_stats import STATEMENT_DAY, load_un_visits

pytestmark = pytest.mark.django_db


def test_headline_figures_on_the_statement_day(cast):
    load_un_visits(cast.intl_officer)
    figures = relations_headline_figures(user=cast.head_gpo, on=STATEMENT_DAY)
    assert figures["special_procedure_visits"] == 6
    assert figures["treaty_body_visits"] == 0
    assert figures["delegations_received"] == 2  # 2015: the two visits of that year, both up to 22.10
    assert figures["delegations_sent"] == 0


def test_headline_figures_today(cast):
    today = timezone.localdate()
    by = cast.intl_officer
    day = max(dt.date(today.year, 1, 1), today - dt.timedelta(days=1))
    f.event(by=by, kind=EventKind.OUTGOING_VISIT, start_date=day, end_date=day)
    f.project(by=by, status=ProjectStatus.ACTIVE)
    f.project(by=by)  # proposed
    f.recommendation(by=by)
    f.recommendation(by=by, status=ImplementationStatus.IMPLEMENTED, evidence="Law adopted")
    figures = relations_headline_figures(user=cast.head_gpo, on=today)
    assert figures == {
        "special_procedure_visits": 0,
        "treaty_body_visits": 0,
        "projects_active": 1,
        "delegations_received": 0,
        "delegations_sent": 1,
        "recommendations_implemented": 1,
        "recommendations_open": 1,
    }
    assert relations_headline_figures(user=cast.outsider, on=today)["projects_active"] == 0
