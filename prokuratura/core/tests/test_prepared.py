"""core.prepared: an INSERT and a query built once per connection give what the ORM would, and fall back to it."""

import datetime as dt

import pytest
from django.db import connection, connections
from django.db.models import Value
from django.db.models.functions import Now
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from prokuratura.appeals.models import Appeal
from prokuratura.appeals.tests.factories import register
from prokuratura.core.models import AuditEntry, CalendarException
from prokuratura.core.prepared import PreparedQuery, Slot, insert

pytestmark = pytest.mark.django_db

FIELDS = ["created_at", "actor_repr", "action", "object_type", "object_id", "changes", "reason", "ip_address"]


def entry(**overrides):
    values = {
        "created_at": timezone.now(),
        "actor_repr": "registrar",
        "action": AuditEntry.Action.CREATE,
        "object_type": "appeals.appeal",
        "object_id": "7",
        "changes": {"office": {"before": None, "after": "GPO"}},
        "reason": "",
        "ip_address": "10.0.0.1",
        "prev_hash": "",
        "hash": "",
    }
    return AuditEntry(**{**values, **overrides})


def test_insert_writes_what_save_writes_and_reads_back_the_id():
    saved = entry()
    saved.save(force_insert=True)
    inserted = insert(entry(created_at=saved.created_at))
    assert inserted.pk is not None and inserted.pk != saved.pk
    assert inserted._state.adding is False and inserted._state.db == "default"
    rows = AuditEntry.objects.filter(pk__in=[saved.pk, inserted.pk]).order_by("pk").values(*FIELDS)
    assert rows[0] == rows[1]


def test_the_first_insert_of_a_connection_keeps_the_times_it_wrote(offices):
    """Compiling the INSERT runs the fields' pre_save again: the object must still hold what the row holds (the
    lifecycle compares its `updated_at` with the row's to refuse stale steps)."""
    from prokuratura.core.prepared import _INSERTS

    connections["default"].__dict__.get(_INSERTS, {}).clear()
    appeal = register()
    stored = Appeal.objects.values_list("created_at", "updated_at").get(pk=appeal.pk)
    assert (appeal.created_at, appeal.updated_at) == stored


def test_insert_builds_its_statement_once_per_connection():
    insert(entry())
    with CaptureQueriesContext(connection) as queries:
        second = insert(entry(object_id="8"))
    assert len(queries.captured_queries) == 1
    assert "INSERT INTO" in queries.captured_queries[0]["sql"]
    assert AuditEntry.objects.get(pk=second.pk).object_id == "8"


def test_an_expression_is_saved_the_ordinary_way_and_receivers_hear_an_insert():
    with_expression = insert(entry(created_at=Now()))
    assert AuditEntry.objects.get(pk=with_expression.pk).created_at is not None
    # The calendar's copy listens for saves (core.calendar): its receiver still hears an inserted exception.
    day = dt.date(2031, 3, 4)
    from prokuratura.core.calendar import is_working_day

    assert is_working_day(day)
    insert(CalendarException(date=day, kind=CalendarException.Kind.DAY_OFF, reason="test"))
    assert not is_working_day(day)


def _by_email(email):
    return Appeal.objects.filter(applicant_email__iexact=email).order_by("pk").values_list("pk")


BY_EMAIL = PreparedQuery("test.by_email", _by_email, [Slot(Appeal, "applicant_email", "sample %_\\ e-mail")])
BY_TOPIC = PreparedQuery(
    "test.by_topic",
    lambda topic_id, since: (
        Appeal.objects.filter(topic_id=topic_id, registered_on__gte=since)
        .order_by("pk")
        .values_list("pk", "registered_on")
    ),
    [Slot(Appeal, "topic", -1), Slot(Appeal, "registered_on", dt.date(1, 2, 3))],
)


def test_a_prepared_query_answers_as_its_queryset_and_is_built_once(offices):
    first, second = register(), register(subject="Другое")
    expected = list(
        Appeal.objects.filter(topic_id=first.topic_id, registered_on__gte=first.registered_on)
        .order_by("pk")
        .values_list("pk", "registered_on")
    )
    assert (
        BY_TOPIC.rows(first.topic_id, first.registered_on)
        == expected
        == [
            (first.pk, first.registered_on),
            (second.pk, second.registered_on),
        ]
    )
    assert BY_TOPIC.rows(first.topic_id, first.registered_on + dt.timedelta(days=1)) == []
    with CaptureQueriesContext(connection) as queries:
        assert BY_TOPIC.rows(first.topic_id, first.registered_on) == expected
    assert len(queries.captured_queries) == 1


def test_a_lookup_that_rewrites_its_value_runs_the_queryset_and_still_answers_right(offices):
    # On SQLite `iexact` is a LIKE with the value escaped: the compiled SQL would treat "_" as a wildcard.
    underscore = register(applicant_email="a_b@example.kz")
    register(applicant_email="axb@example.kz")
    assert BY_EMAIL.rows("A_B@example.kz") == [(underscore.pk,)]


def test_a_text_slot_needs_a_sample_no_lookup_leaves_alone():
    with pytest.raises(ValueError, match="must contain"):
        Slot(Appeal, "applicant_email", "plain@example.kz")


def _prepared_on_server(fragment):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_prepared_statements WHERE statement LIKE %s", [f"%{fragment}%"]
        )
        return cursor.fetchone()[0]


def _marked(marker):
    return PreparedQuery(
        f"test.{marker}",
        lambda kind: (
            AuditEntry.objects.filter(object_type=kind)
            .annotate(**{marker: Value(1)})
            .values_list("pk", marker)
        ),
        [Slot(AuditEntry, "object_type", "sample %_\\ type")],
    )


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_on_postgresql_the_statements_are_prepared_once_per_connection_unless_turned_off(settings):
    insert(entry(object_type="test.prepared"))
    insert(entry(object_type="test.prepared"))
    assert _prepared_on_server('INSERT INTO "core_auditentry"') == 1
    prepared = _marked("marker_prepared")
    assert prepared.rows("test.prepared") == prepared.rows("test.prepared") != []
    assert _prepared_on_server("marker_prepared") == 1
    # The ORM's own statements keep client-side binding: nothing of theirs is prepared.
    list(AuditEntry.objects.annotate(marker_orm=Value(1)).values_list("pk", "marker_orm")[:1])
    assert _prepared_on_server("marker_orm") == 0

    settings.DB_PREPARED_STATEMENTS = False
    unprepared = _marked("marker_unprepared")
    assert unprepared.rows("test.prepared") == prepared.rows("test.prepared")
    assert _prepared_on_server("marker_unprepared") == 0
