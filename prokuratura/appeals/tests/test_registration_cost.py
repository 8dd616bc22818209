"""What one registration through the API costs the database, and that nothing it promises is given up for it.

Issue 16: at most 12 statements on PostgreSQL for an API registration with an Idempotency-Key, with every
guarantee kept — the field rules with translated errors, the claim on the key, the gap-free number per office and
year, the transition row, the audit entry and the receipt task (on the database queue production runs)."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django_tasks_db.models import DBTaskResult

from prokuratura.appeals.models import Appeal, AppealTransition
from prokuratura.appeals.tasks import send_applicant_letter
from prokuratura.appeals.tests.factories import VALID_IIN
from prokuratura.appeals.tests.test_api import payload
from prokuratura.core.models import AuditEntry, IdempotencyRecord
from prokuratura.core.tests.api_client import assert_error, bearer

# The test's own transaction turns the create's BEGIN and COMMIT into a SAVEPOINT and its RELEASE: not counted.
TRANSACTION_CONTROL = ("SAVEPOINT", "RELEASE SAVEPOINT", "ROLLBACK TO SAVEPOINT")


def statements(queries):
    return [q["sql"] for q in queries.captured_queries if not q["sql"].startswith(TRANSACTION_CONTROL)]


@pytest.fixture
def registrar_api(cast, no_2fa, settings):
    settings.TASKS = {"default": {"BACKEND": "prokuratura.core.task_backend.DatabaseBackend"}}
    client = bearer(cast.registrar_astana)
    # The first call of a process reads the reference tables, the calendar and the routing rules once a minute,
    # and writes the token's last use once a minute.
    assert client.post("/api/v1/appeals", payload(), content_type="application/json").status_code == 201
    return client


def register(client, key, **overrides):
    return client.post(
        "/api/v1/appeals", payload(**overrides), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


def test_an_api_registration_is_at_most_twelve_statements(registrar_api, offices):
    with CaptureQueriesContext(connection) as queries:
        response = register(registrar_api, "cost-1", subject="Второе обращение")
    assert response.status_code == 201, response.content
    sql = statements(queries)
    # PostgreSQL: the token with its owner's roles; the wait bound set, the claim, the bound put back; the
    # submission key; the earlier appeals of the applicant (repeats); the number; the appeal; its transition; the
    # audit entry; the receipt task; the claim's answer. SQLite has no wait bound to set (one writer at a time)
    # and appends the audit entry to the chain at once (core.audit, AUDIT_SEAL_INLINE).
    if connection.vendor == "postgresql":
        assert len(sql) == 12, "\n".join(sql)
    else:
        assert len(sql) <= 13, "\n".join(sql)

    appeal = Appeal.objects.get(pk=response.json()["id"])
    assert appeal.reg_number.endswith("-000002")  # the warm-up took 000001: no gap
    assert list(AppealTransition.objects.filter(appeal=appeal).values_list("step", "to_status")) == [
        ("create", "registered")
    ]
    assert AuditEntry.objects.filter(
        object_type="appeals.appeal", object_id=str(appeal.pk), action="create"
    ).exists()
    task = DBTaskResult.objects.get(
        task_path=send_applicant_letter.module_path, args_kwargs__args=[appeal.pk, "receipt"]
    )
    assert task.status == "READY"
    assert IdempotencyRecord.objects.get(key="cost-1").status_code == 201


def test_a_retry_costs_no_registration_and_answers_the_same(registrar_api, offices):
    first = register(registrar_api, "cost-2")
    with CaptureQueriesContext(connection) as queries:
        again = register(registrar_api, "cost-2")
    assert again.status_code == 201 and again["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    # (A prepared statement is logged as QUERY = '…' - PARAMS = …: looked for anywhere in the line.)
    assert not any('INSERT INTO "appeals_appeal"' in sql for sql in statements(queries))
    assert Appeal.objects.filter(submission_key__endswith=":cost-2").count() == 1


def test_bad_input_leaves_no_claim_no_number_and_no_task(registrar_api, offices):
    tasks = DBTaskResult.objects.count()
    response = register(registrar_api, "cost-3", applicant={**payload()["applicant"], "iin": "123"})
    assert_error(response, 422)
    assert not IdempotencyRecord.objects.filter(key="cost-3").exists()
    assert DBTaskResult.objects.count() == tasks
    # The key is free: the corrected request registers, with the next number.
    fixed = register(registrar_api, "cost-3")
    assert fixed.status_code == 201
    assert fixed.json()["reg_number"].endswith("-000002")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL prepares statements")
def test_on_postgresql_the_registrations_statements_are_prepared_once(registrar_api, offices):
    """Every statement of a registration but the token's last use (once a minute) is prepared on the connection
    (core.prepared), so PostgreSQL parses and plans it once, not for each appeal."""
    register(registrar_api, "prepared-1")
    with connection.cursor() as cursor:
        cursor.execute("SELECT statement FROM pg_prepared_statements")
        prepared = [row[0] for row in cursor.fetchall()]
    for table in (
        "appeals_appeal",
        "appeals_appealtransition",
        "core_auditentry",
        "django_tasks_database_dbtaskresult",
    ):
        assert any(f'INSERT INTO "{table}"' in sql for sql in prepared), (table, prepared)
    assert any("core_idempotencyrecord" in sql and sql.startswith("UPDATE") for sql in prepared)
    assert any("RETURNING last" in sql for sql in prepared)  # the office's number
    with CaptureQueriesContext(connection) as queries:
        assert register(registrar_api, "prepared-2").status_code == 201
    assert all(sql.startswith("QUERY = ") for sql in statements(queries)), statements(queries)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's planner")
@pytest.mark.parametrize(
    ("contact", "index"),
    [
        ({"applicant_iin": VALID_IIN}, "appeal_applicant_iin"),
        ({"applicant_iin": "", "applicant_email": "Aigul@Example.kz"}, "appeal_applicant_email_ci"),
        (
            {"applicant_iin": "", "applicant_email": "", "applicant_phone": "+77010000000"},
            "appeal_applicant_phone",
        ),
    ],
)
def test_the_applicants_earlier_appeals_are_found_by_an_index(offices, contact, index):
    """However the applicant is known, the repeat check reads an index, never the whole register."""
    from prokuratura.appeals.services.intake import same_applicant_q
    from prokuratura.appeals.tests.factories import register as register_appeal

    appeal = register_appeal(**contact)
    sql, params = Appeal.objects.filter(same_applicant_q(appeal=appeal)).values("pk").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
        cursor.execute("SET LOCAL enable_seqscan = on")
    assert index in plan, plan


@pytest.mark.parametrize("field", ["region", "topic"])
def test_an_empty_code_is_refused_on_its_field_not_with_a_server_error(registrar_api, offices, field):
    response = register(registrar_api, f"empty-{field}", **{field: ""})
    body = assert_error(response, 422)
    assert field in body["details"]
