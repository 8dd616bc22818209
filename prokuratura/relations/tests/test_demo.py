"""The demo of international relations (relations.demo): seeded once, through the services and the lifecycles, with
every record's history on the days its steps stand for. The test database has the counterparts and topics of the
data migration; the states and two treaties of the register are made here; the demo loads the real UN visits."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.db.models import Q
from django.utils import timezone

from prokuratura.cooperation.models import Instrument
from prokuratura.core.management.commands.seed_demo import Command
from prokuratura.core.models import AuditEntry

from .. import demo_data as D
from ..demo import KEY, RelationsSeedReport, _Refs, seed_demo_relations
from ..models import (
    Counterpart,
    CounterpartKind,
    Event,
    EventKind,
    EventStatus,
    EventTransition,
    FollowUpTask,
    ImplementationStatus,
    Project,
    ProjectStatus,
    Recommendation,
    RecommendationTransition,
    TaskStatus,
    Topic,
)
from ..transitions import EVENTS, PROJECTS, RECOMMENDATIONS, TASKS
from . import factories as f

pytestmark = pytest.mark.django_db

DOMESTIC = {
    "gpo",
    "knb_atc",
    "knb",
    "aca",
    "src",
    "afm",
    "mvd",
    "minjust",
    "mfa",
    "supreme_court",
    "ombudsman",
    "cec",
}
TREATIES = (("kz-fr-mla", "FR", "2021-10-28"), ("kz-cy-tsp", "CY", "2024-03-25"))


@pytest.fixture
def reference(cast):
    """The states the demo names, a counterpart for each of its keys (the migration's where it has one), two treaties
    of the register signed in the demo's years. The UN visits are loaded by the demo itself (none are loaded)."""
    for iso2 in {"KZ", *D.STATES, *D.OSCE_AMBASSADORS}:
        f.country(iso2, iso2)
    for key, codes in D.COUNTERPARTS.items():
        if not Counterpart.objects.filter(Q(code__in=codes) | Q(abbreviation_en__in=codes)).exists():
            f.counterpart(
                codes[0], CounterpartKind.DOMESTIC_AGENCY if key in DOMESTIC else CounterpartKind.ORGANISATION
            )
    for codes in D.TOPICS.values():
        if not Topic.objects.filter(code__in=codes).exists():
            f.topic(codes[0])
    for code, partner, signed in TREATIES:
        Instrument.objects.create(
            code=code,
            kind="bilateral",
            title_en=code,
            partner_id=partner,
            signed_date=dt.date.fromisoformat(signed),
        )
    return cast


def _cp(key: str) -> Counterpart:
    found = _Refs(RelationsSeedReport()).cp(key)
    assert found is not None
    return found


def test_demo_seeded_once_with_every_kind_and_status_linked_and_with_its_history(reference):
    """One seeding (it takes seconds), checked in three parts."""
    out = io.StringIO()
    Command(stdout=out).seed_relations(1)
    said = out.getvalue()
    assert "Demo international relations" in said and "14 on loaded UN visits" in said
    skipped = set(said.partition("skipped:")[2].replace(",", " ").rstrip(".\n").split())
    assert skipped <= {"treaty", *(t[0] for t in D.SIGNINGS), *(t[1] for t in D.SIGNINGS)}  # only treaties
    models = (Event, FollowUpTask, Project, Recommendation, EventTransition, AuditEntry)
    counts = [m.objects.count() for m in models]
    assert seed_demo_relations(seed=1) is None  # a second run adds nothing
    Command(stdout=out).seed_relations(1)
    assert [m.objects.count() for m in models] == counts
    _every_kind_and_status()
    _linked_to_the_register_and_the_loaded_visits()
    _every_record_has_its_history_along_its_lifecycle()


def _every_kind_and_status() -> None:
    today = timezone.localdate()
    events = Event.objects.filter(submission_key__startswith=KEY)
    assert set(events.values_list("kind", flat=True)) == set(EventKind.values)
    assert set(events.values_list("status", flat=True)) == set(EventStatus.values)
    assert (
        events.filter(start_date__year=today.year - 5).exists()
        and events.filter(start_date__gt=today).exists()
    )
    assert not events.filter(status=EventStatus.HELD, start_date__gt=today).exists()
    assert events.filter(sensitivity="restricted").exists()
    tasks = FollowUpTask.objects.all()
    assert set(tasks.values_list("status", flat=True)) == set(TaskStatus.values)
    assert tasks.filter(
        status__in=[TaskStatus.OPEN, TaskStatus.IN_PROGRESS], due_date__lt=today
    ).exists()  # overdue
    assert {t.owner.username for t in tasks.select_related("owner")} >= {"intl_officer", "head_gpo"}
    projects = Project.objects.all()
    assert 15 <= projects.count() <= 25
    assert set(projects.values_list("status", flat=True)) == set(ProjectStatus.values)
    assert set(projects.values_list("currency", flat=True)) == {"USD", "EUR", "KZT"}
    assert projects.filter(partner=_cp("osce_poa")).count() > projects.count() / 2
    recs = Recommendation.objects.all()
    assert 30 <= recs.count() <= 50
    assert set(recs.values_list("status", flat=True)) == set(ImplementationStatus.values)
    assert set(recs.values_list("source_kind", flat=True)) >= {
        "special_procedure",
        "upr",
        "treaty_body",
        "osce_odihr",
        "coe",
    }
    assert (
        not recs.filter(responsible__isnull=False)
        .exclude(responsible__kind=CounterpartKind.DOMESTIC_AGENCY)
        .exists()
    )


def _linked_to_the_register_and_the_loaded_visits() -> None:
    events = Event.objects.filter(submission_key__startswith=KEY)
    osce = events.get(submission_key=f"{KEY}osce-visit")
    assert osce.participants.filter(country__isnull=False, side="partner").count() == 18
    agencies = {_cp(key) for key in ("knb_atc", "aca", "src", "osce_poa")}
    assert {p.counterpart for p in osce.participants.filter(counterpart__isnull=False)} == agencies
    # The real signings of the register are linked to its treaties.
    linked = events.filter(agreements__instrument__code__in=[code for code, _p, _d in TREATIES])
    assert linked.distinct().count() == 2
    on_visits = Recommendation.objects.filter(event__import_key__isnull=False).select_related("event")
    assert on_visits.count() == sum(1 for r in D.RECOMMENDATIONS if r.visit)
    assert all(r.source_id == r.event.principal_id and r.issued_on >= r.event.start_date for r in on_visits)
    # No visit of a special procedure is invented: the loaded ones stay the only ones.
    assert not events.filter(principal__kind=CounterpartKind.MANDATE).exists()


def _every_record_has_its_history_along_its_lifecycle() -> None:
    today = timezone.localdate()
    for lifecycle, records in (
        (EVENTS, Event.objects.filter(submission_key__startswith=KEY)),
        (TASKS, FollowUpTask.objects.all()),
        (PROJECTS, Project.objects.all()),
        (RECOMMENDATIONS, Recommendation.objects.all()),
    ):
        fk = f"{lifecycle.history_fk}_id"
        history: dict[int, list] = {}
        for row in lifecycle.history._default_manager.order_by("id"):
            history.setdefault(getattr(row, fk), []).append(row)
        for record in records:
            rows = history[record.pk]
            assert rows[0].step == "create" and rows[0].to_status in {
                lifecycle.initial,
                *lifecycle.also_initial,
            }
            for row in rows[1:]:
                step = lifecycle.step(row.step)
                assert row.from_status in step.sources
                assert row.to_status in step.targets() or row.to_status == row.from_status
            assert rows[-1].to_status == record.status
            moments = [row.at for row in rows]
            assert moments == sorted(moments) and moments[-1].date() <= today
    # The steps are dated as the work went, not on the day of the seeding.
    assert RecommendationTransition.objects.filter(at__year__lt=today.year - 2).exists()
    done = FollowUpTask.objects.filter(status=TaskStatus.DONE)
    assert done.exists() and all(t.created_at.date() <= t.done_on <= today for t in done)
