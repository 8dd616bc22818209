"""The national demo register (appeals/demo.py): numbers, codes, IINs, deadlines, counters, mix, query count."""

import datetime as dt
import io
import re
from collections import Counter

import pytest
from dateutil.relativedelta import relativedelta
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from prokuratura.appeals.demo import DEFAULT_DEMO_APPEALS, seed_appeals
from prokuratura.appeals.models import (
    OPEN_STATUSES,
    Appeal,
    AppealTransition,
    ApplicantType,
    Outcome,
    RegistrationCounter,
    Status,
)
from prokuratura.appeals.services import registration_date, term_start
from prokuratura.appeals.services.intake import TRACKING_ALPHABET
from prokuratura.appeals.tests.factories import register
from prokuratura.core.calendar import add_working_days, is_working_day
from prokuratura.core.models import AuditEntry, Office
from prokuratura.core.tests.factories import OfficeFactory, RegionFactory
from prokuratura.core.validators import is_valid_bin, is_valid_iin

TODAY = dt.date(2026, 6, 17)  # a Wednesday; fixed so the test does not depend on the day it runs
CODE = re.compile(f"^[{TRACKING_ALPHABET}]{{4}}-[{TRACKING_ALPHABET}]{{4}}-[{TRACKING_ALPHABET}]{{4}}$")


@pytest.fixture
def seeded(offices, cast):
    report = seed_appeals(count=200, seed=7, today=TODAY)
    return report, list(Appeal.objects.select_related("office").order_by("id"))


def test_seeding_creates_the_appeals_and_their_transitions(seeded):
    report, appeals = seeded
    assert report.appeals == len(appeals) == 200
    assert report.transitions == AppealTransition.objects.count()
    for appeal in appeals:
        steps = list(appeal.transitions.order_by("at", "id").values_list("from_status", "to_status", "at"))
        assert steps[0][:2] == ("", Status.REGISTERED)
        assert steps[-1][1] == appeal.status
        assert [at for _a, _b, at in steps] == sorted(at for _a, _b, at in steps)
        assert all(prev[1] == nxt[0] for prev, nxt in zip(steps, steps[1:], strict=False))


def test_numbers_are_unique_and_consecutive_per_office_and_year(seeded):
    _report, appeals = seeded
    assert len({a.reg_number for a in appeals}) == len(appeals)
    issued: dict[tuple[str, int], list[int]] = {}
    for appeal in sorted(appeals, key=lambda a: (a.received_at, a.id)):
        office_code, year, number = appeal.reg_number.rsplit("-", 2)
        assert office_code == appeal.office.code
        assert int(year) == appeal.registered_on.year
        issued.setdefault((office_code, int(year)), []).append(int(number))
    for numbers in issued.values():
        assert numbers == list(range(1, len(numbers) + 1))  # in order of receipt, no gaps
    counters = {(c.office.code, c.year): c.last for c in RegistrationCounter.objects.select_related("office")}
    assert counters == {key: len(numbers) for key, numbers in issued.items()}


def test_tracking_codes_are_unique_and_well_formed(seeded):
    _report, appeals = seeded
    codes = [a.tracking_code for a in appeals]
    assert len(set(codes)) == len(codes)
    assert all(CODE.match(code) for code in codes)


def test_applicants_have_valid_identification_numbers(seeded):
    _report, appeals = seeded
    individuals = [a for a in appeals if a.applicant_type == ApplicantType.INDIVIDUAL]
    organisations = [a for a in appeals if a.applicant_type == ApplicantType.ORGANISATION]
    assert individuals and organisations
    assert all(is_valid_iin(a.applicant_iin) for a in individuals)
    assert all(is_valid_bin(a.applicant_bin) for a in organisations)
    assert all(
        not a.applicant_iin and not a.applicant_name
        for a in appeals
        if a.applicant_type == ApplicantType.ANONYMOUS
    )


def test_registration_dates_and_deadlines_follow_the_calendar(seeded):
    _report, appeals = seeded
    for appeal in appeals:
        assert is_working_day(appeal.registered_on)
        assert registration_date(appeal.received_at) == appeal.registered_on  # APPC art. 64, as the service
        assert appeal.statutory_due_date == add_working_days(
            term_start(appeal), 15
        )  # from receipt, as the service
        anonymous = appeal.applicant_type == "anonymous"
        assert appeal.forward_due == (
            appeal.registered_on if anonymous else add_working_days(appeal.registered_on, 3)
        )
        if appeal.extended_until:
            assert appeal.due_date == appeal.extended_until > appeal.statutory_due_date
            assert appeal.extended_until <= term_start(appeal) + relativedelta(months=2)
        else:
            assert appeal.due_date == appeal.statutory_due_date
        assert appeal.registered_on <= TODAY
        for day in (appeal.answered_on, appeal.closed_on, appeal.forwarded_on):
            assert day is None or appeal.registered_on <= day <= TODAY


def test_status_and_outcome_mix(seeded):
    report, appeals = seeded
    statuses = Counter(a.status for a in appeals)
    assert statuses[Status.CLOSED] == 100 and statuses[Status.ANSWERED] == 40  # 50 % and 20 %
    assert statuses[Status.FORWARDED] == 10 and statuses[Status.LEFT_WITHOUT_CONSIDERATION] == 6
    overdue = [a for a in appeals if a.status in OPEN_STATUSES and a.due_date < TODAY]
    assert len(overdue) == 10  # 5 %
    assert all(
        a.assignee_id for a in appeals if a.status not in (Status.REGISTERED,) and a.status in OPEN_STATUSES
    )
    answered = [a for a in appeals if a.status in (Status.ANSWERED, Status.CLOSED)]
    assert {a.outcome for a in answered} <= {
        Outcome.SATISFIED,
        Outcome.PARTLY_SATISFIED,
        Outcome.EXPLAINED,
        Outcome.REJECTED,
    }
    assert all(a.answer_text and a.answered_on for a in answered)
    restored = [a for a in appeals if a.rights_restored]
    assert restored and all(
        a.persons_restored >= 1 and a.outcome in (Outcome.SATISFIED, Outcome.PARTLY_SATISFIED)
        for a in restored
    )
    assert all(
        a.forwarded_to and a.outcome == Outcome.FORWARDED for a in appeals if a.status == Status.FORWARDED
    )
    assert all(
        a.status == Status.LEFT_WITHOUT_CONSIDERATION or a.is_urgent_report
        for a in appeals
        if a.applicant_type == ApplicantType.ANONYMOUS
    )
    assert {a.applicant_language for a in appeals} == {"kk", "ru"}
    assert report.by_status[Status.CLOSED] == 100


def test_a_real_registration_afterwards_gets_the_next_number(seeded, cast, offices):
    _report, _appeals = seeded
    appeal = register(by=cast.registrar_astana)
    assert appeal.office == offices.astana  # the region's own office, by the default routing
    year = appeal.registered_on.year
    seeded_there = Appeal.objects.filter(office=offices.astana, registered_on__year=year).exclude(
        pk=appeal.pk
    )
    assert seeded_there.exists()
    assert appeal.reg_number == f"AST-{year}-{seeded_there.count() + 1:06d}"


def test_the_run_is_audited_once_not_per_row(offices, cast):
    before = AuditEntry.objects.count()
    seed_appeals(count=50, seed=3, today=TODAY)
    entries = list(AuditEntry.objects.order_by("id")[before:])
    assert len(entries) == 1
    assert entries[0].object_type == "appeals.demo" and entries[0].changes["appeals"] == 50


def test_same_seed_same_register(offices, cast):
    def rows():
        return list(
            Appeal.objects.order_by("id").values_list(
                "reg_number", "tracking_code", "status", "applicant_iin", "text", "due_date"
            )
        )

    with transaction.atomic():
        seed_appeals(count=60, seed=11, today=TODAY)
        first = rows()
        transaction.set_rollback(True)
    seed_appeals(count=60, seed=11, today=TODAY)
    assert rows() == first
    seed_appeals(count=60, seed=11, today=TODAY)  # again on top: new rows, no clash
    assert Appeal.objects.count() == 120
    assert Appeal.objects.values("tracking_code").distinct().count() == 120


@pytest.mark.django_db(transaction=True)
def test_writing_on_a_second_thread_gives_the_same_register(migrated_rows, offices, cast):
    """Outside a transaction the chunks are written by a background thread; the rows must not depend on it."""

    def rows():
        return list(
            Appeal.objects.order_by("id").values_list("reg_number", "tracking_code", "text", "repeated_of")
        )

    with transaction.atomic():  # inside a transaction: written on this thread
        seed_appeals(count=400, seed=4, chunk_size=50, today=TODAY)
        inline = rows()
        transaction.set_rollback(True)
    report = seed_appeals(count=400, seed=4, chunk_size=50, today=TODAY)
    assert report.appeals == 400 and report.transitions == AppealTransition.objects.count()
    threaded = rows()
    if connection.vendor == "postgresql":  # sequences are not rolled back, so ids (and links) moved on
        inline, threaded = [r[:3] for r in inline], [r[:3] for r in threaded]
    assert threaded == inline
    assert Appeal.objects.filter(repeated_of__isnull=False).exists()


def _queries(count, **kwargs):
    with CaptureQueriesContext(connection) as ctx:
        seed_appeals(count=count, today=TODAY, **kwargs)
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_number_of_appeals(offices, cast):
    _queries(5)  # warm up caches (rules) once
    assert _queries(400) == _queries(200)  # one chunk each: the rows go in one statement per table
    per_chunk = _queries(200, chunk_size=100) - _queries(100, chunk_size=100)
    assert 0 < per_chunk <= 10
    assert _queries(400, chunk_size=100) - _queries(200, chunk_size=100) == 2 * per_chunk


def test_demo_prosecutors_are_created_for_offices_without_staff(offices, cast):
    lonely = OfficeFactory(
        code="AST-02", level=Office.Level.DISTRICT, parent=offices.astana, region=offices.astana.region
    )
    report = seed_appeals(count=300, seed=5, today=TODAY)
    assert report.users_created == ["demo.prosecutor.ast-02"]
    assigned = Appeal.objects.filter(office=lonely, assignee__isnull=False)
    assert assigned.exists()
    assert set(assigned.values_list("assignee__username", flat=True)) == {"demo.prosecutor.ast-02"}


def test_seed_demo_if_empty_builds_offices_users_and_demo_appeals(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "demo-Test-pass-91")
    RegionFactory(kato_code="710000000", unit_type="city_republican", name_en="Astana", name_ru="г. Астана")
    out = io.StringIO()
    call_command("seed_demo", "--if-empty", stdout=out)
    assert Office.objects.filter(code__in=["GPO", "R-710000000", "D-710000000"]).count() == 3
    assert Appeal.objects.count() == DEFAULT_DEMO_APPEALS
    assert f"Demo appeals: {DEFAULT_DEMO_APPEALS}" in out.getvalue()
    call_command("seed_demo", "--if-empty", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())  # appeals exist: the default adds none
    assert Appeal.objects.count() == DEFAULT_DEMO_APPEALS
    call_command("seed_demo", "--appeals", "25", stdout=io.StringIO())
    assert Appeal.objects.count() == DEFAULT_DEMO_APPEALS + 25
    assert timezone.localdate() >= Appeal.objects.latest("registered_on").registered_on


def _schema():
    """The appeal and transition tables' indexes, constraints and triggers, as the database describes them."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT indexname, indexdef FROM pg_indexes"
                " WHERE tablename IN ('appeals_appeal', 'appeals_appealtransition')"
                " UNION ALL SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint"
                " WHERE conrelid IN ('appeals_appeal'::regclass, 'appeals_appealtransition'::regclass)"
            )
        else:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master"
                " WHERE tbl_name IN ('appeals_appeal', 'appeals_appealtransition', 'appeals_appeal_fts')"
            )
        return {(name, _normalised(definition)) for name, definition in cursor.fetchall()}


def _normalised(definition: str) -> str:
    """PostgreSQL prints a partial index's `status IN (…)` differently once re-created from its own printed text
    (`'a'::character varying` inside `ARRAY[…]::text[]`, then `('a'::character varying)::text`): the same index, so
    casts and brackets are dropped before comparing."""
    if definition is None:
        return definition
    text = re.sub(r"::(character varying|text)(\[\])?", "", definition)
    return re.sub(r"[()\s]", "", text)


@pytest.mark.django_db(transaction=True)
def test_bulk_load_builds_the_indexes_again_at_the_end(migrated_rows, offices, cast):
    """A bulk load drops the secondary indexes, foreign keys and (SQLite) full-text triggers, then makes them
    again exactly as they were; the full-text index holds the new rows and follows later changes."""
    from prokuratura.appeals.search import appeal_search_filter

    before = _schema()
    assert len(before) > 10
    old = register(by=cast.registrar_astana, subject="Давняя жалоба")
    report = seed_appeals(count=300, seed=9, chunk_size=100, today=TODAY, bulk=True)
    assert report.appeals == 300 and report.index_seconds > 0
    assert _schema() == before
    appeals = Appeal.objects.order_by()
    assert appeal_search_filter(appeals, "давняя").get() == old  # the row from before, still found once
    seeded = Appeal.objects.exclude(pk=old.pk).order_by("id").first()
    word = re.findall(r"\w{6,}", seeded.subject)[0]
    assert seeded in appeal_search_filter(appeals, word)
    seeded.subject = "Совершенно новая тема"
    seeded.save(update_fields=["subject"])
    assert appeal_search_filter(appeals, "совершенно").get() == seeded  # the triggers are back (SQLite)
    assert report.transitions == AppealTransition.objects.count() - old.transitions.count()
