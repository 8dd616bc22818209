"""The demo year of supervision (supervision.demo), seeded small on the test office tree."""

from __future__ import annotations

import io
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.utils import timezone

from prokuratura.accounts.models import User
from prokuratura.appeals.demo import seed_appeals
from prokuratura.core.models import AuditEntry, Office, Sensitivity
from prokuratura.core.validators import validate_bin
from prokuratura.supervision import control
from prokuratura.supervision.demo import seed_supervision
from prokuratura.supervision.demo_data import PAST
from prokuratura.supervision.models import (
    Act,
    ActStatus,
    DetentionVisit,
    Ground,
    Inspection,
    InspectionStatus,
    Violation,
)

pytestmark = pytest.mark.django_db

IS = InspectionStatus
SMALL_PLAN = (
    IS.CLOSED,
    IS.IMPLEMENTED,
    IS.COMPLETED,
    IS.COMPLETED,
    PAST,
    IS.ORDERED,
    IS.PLANNED,
    IS.CANCELLED,
)


@pytest.fixture
def seeded(cast):
    seed_appeals(count=40, seed=3)
    report = seed_supervision(
        rng=random.Random(7),
        offices=Office.objects.all(),
        users=User.objects.select_related("office"),
        plan=SMALL_PLAN,
    )
    return report


def test_every_office_gets_inspections_in_several_statuses(seeded, offices):
    by_office: dict[int, set[str]] = {}
    for office_id, status in Inspection.objects.values_list("office", "status"):
        by_office.setdefault(office_id, set()).add(status)
    assert set(by_office) == set(Office.objects.values_list("pk", flat=True))
    for office in (offices.astana, offices.astana_district, offices.almaty):
        assert by_office[office.pk] == set(IS.values)
    assert len(by_office[offices.gpo.pk]) == 4
    assert seeded.inspections == Inspection.objects.count()
    assert sum(seeded.inspection_statuses.values()) == seeded.inspections


def test_acts_violations_and_visits_are_made_through_the_services(seeded):
    acts = Counter(Act.objects.values_list("status", flat=True))
    assert len(acts) >= 5 and acts == seeded.act_statuses
    assert Violation.objects.count() == seeded.violations > 0
    # Every record audited, every act issued with a number and a due date by the type's rule where it has one.
    assert AuditEntry.objects.filter(object_type="supervision.act", action="create").count() == seeded.acts
    issued = Act.objects.exclude(status__in=[ActStatus.DRAFT]).exclude(issued_on=None)
    assert issued.exists() and not issued.filter(number="").exists()
    assert not Act.objects.filter(
        act_type__code="submission", status=ActStatus.ISSUED, due_date=None
    ).exists()
    assert Act.objects.filter(language="kk").exists() and Act.objects.filter(language="ru").exists()
    for value in Inspection.objects.exclude(subject_bin="").values_list("subject_bin", flat=True):
        validate_bin(value)
    visits = DetentionVisit.objects.all()
    assert visits.count() == seeded.visits == 6  # two per office with a region
    assert not visits.exclude(sensitivity=Sensitivity.RESTRICTED).exists()
    assert Act.objects.filter(visit__isnull=False, sensitivity=Sensitivity.RESTRICTED).exists()


def test_some_records_come_from_the_demo_appeals(seeded):
    assert Inspection.objects.filter(ground=Ground.APPEAL, ground_appeal__isnull=False).exists()
    assert Violation.objects.filter(appeal__isnull=False).exists()
    assert Act.objects.filter(appeal__isnull=False).exists()


def test_the_control_lists_have_something_to_show(seeded, cast):
    counts = control.control_counts(user=cast.head_gpo, scope=control.SCOPE_OFFICE)
    assert counts["inspections_past_period"] >= 3  # one per regional and district office (PAST in the plan)
    assert counts["overdue_acts"] + counts["acts_without_result"] > 0


def test_the_history_is_dated_on_the_days_of_the_steps(seeded):
    today = timezone.localdate()
    closed = Inspection.objects.filter(status=IS.CLOSED).first()
    steps = list(closed.history.order_by("at", "id"))
    assert [s.step for s in steps] == ["create", "order", "start", "complete", "implement", "close"]
    assert timezone.localtime(steps[2].at).date() == closed.period_start
    assert timezone.localtime(steps[3].at).date() == closed.completed_on
    assert all(timezone.localtime(s.at).date() < today for s in steps)
    act = Act.objects.filter(status=ActStatus.CLOSED).exclude(reply_on=None).first()
    issue = act.history.get(step="issue")
    assert timezone.localtime(issue.at).date() == act.issued_on


def test_seed_demo_seeds_supervision_once(cast):
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert "Demo supervision:" in out.getvalue()
    assert Inspection.objects.values("office").distinct().count() == Office.objects.count()
    count = Inspection.objects.count()
    again = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=again)
    assert "Demo supervision:" not in again.getvalue()
    assert Inspection.objects.count() == count
