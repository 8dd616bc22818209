"""Idempotent creates (core.api_support.idempotent): the claim lives in the create's transaction, so a request that
dies leaves its key free at once; a live one makes a retry wait, then replay or 409."""

import datetime as dt
import hashlib
import json
import threading

import pytest
from django.core.management import call_command
from django.db import connection, connections
from django.test import Client
from django.utils import timezone

from prokuratura.appeals.models import Appeal
from prokuratura.appeals.tests.test_api import payload
from prokuratura.core.api_support import IDEMPOTENCY_STALE_CLAIM
from prokuratura.core.models import IdempotencyRecord
from prokuratura.core.tests.api_client import assert_error, bearer

on_postgresql = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only")


@pytest.fixture
def registrar_api(cast, no_2fa):
    return bearer(cast.registrar_astana)


def body(**overrides):
    return json.dumps(payload(**overrides), ensure_ascii=False)


def send(client, key, **overrides):
    return client.post(
        "/api/v1/appeals", body(**overrides), content_type="application/json", HTTP_IDEMPOTENCY_KEY=key
    )


def _claim(user, key, *, age, status_code=None):
    """A claim committed by itself, as releases before this one did, for the same request `send` makes."""
    return IdempotencyRecord.objects.create(
        user=user,
        key=key,
        method="POST",
        path="/api/v1/appeals",
        request_hash=hashlib.sha256(body().encode()).hexdigest(),
        status_code=status_code,
        created_at=timezone.now() - age,
    )


def test_a_claim_left_without_an_outcome_by_an_earlier_release_is_taken_over_after_a_minute(
    registrar_api, cast, offices
):
    _claim(cast.registrar_astana, "dead", age=IDEMPOTENCY_STALE_CLAIM + dt.timedelta(seconds=5))
    response = send(registrar_api, "dead")
    assert response.status_code == 201, response.content
    assert "Idempotent-Replayed" not in response
    record = IdempotencyRecord.objects.get(key="dead")
    assert record.status_code == 201 and json.loads(record.response_body)["id"] == response.json()["id"]


def test_a_fresh_claim_without_an_outcome_is_still_in_progress(registrar_api, cast, offices):
    _claim(cast.registrar_astana, "fresh", age=dt.timedelta(seconds=5))
    response = send(registrar_api, "fresh")
    assert_error(response, 409, "idempotency_in_progress")
    assert Appeal.objects.count() == 0


def test_a_failed_create_leaves_no_claim_behind(registrar_api, offices):
    assert send(registrar_api, "fix", topic="astrology").status_code == 422
    assert not IdempotencyRecord.objects.filter(key="fix").exists()
    assert send(registrar_api, "fix").status_code == 201


def test_idempotency_purge_command_removes_day_old_keys(cast, capsys):
    _claim(cast.registrar_astana, "old", age=dt.timedelta(hours=25), status_code=201)
    _claim(cast.registrar_astana, "new", age=dt.timedelta(hours=1), status_code=201)
    call_command("idempotency_purge")
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]
    assert "1 idempotency record(s)" in capsys.readouterr().out


# --- PostgreSQL: another connection holding the key --------------------------------------------------------------


def _raw_connection():
    import psycopg

    params = connection.settings_dict
    return psycopg.connect(
        dbname=params["NAME"],
        user=params["USER"] or None,
        password=params["PASSWORD"] or None,
        host=params["HOST"] or None,
        port=params["PORT"] or None,
    )


def _raw_claim(raw, user, key):
    """What a request that has claimed the key and is still creating looks like to everybody else."""
    raw.execute(
        "INSERT INTO core_idempotencyrecord (user_id, key, method, path, request_hash, response_body, created_at) "
        "VALUES (%s, %s, 'POST', '/api/v1/appeals', %s, '', now())",
        [user.pk, key, "0" * 64],
    )


@on_postgresql
def test_the_claim_of_a_request_whose_connection_closed_is_free_at_once(registrar_api, cast, offices):
    raw = _raw_connection()  # psycopg opens a transaction with the first statement
    _raw_claim(raw, cast.registrar_astana, "killed")
    raw.close()  # the process died: the server rolls its transaction back
    response = send(registrar_api, "killed")
    assert response.status_code == 201, response.content
    assert "Idempotent-Replayed" not in response


@on_postgresql
def test_a_claim_held_by_a_live_request_is_409_in_progress_after_the_wait(
    registrar_api, cast, offices, settings
):
    settings.IDEMPOTENCY_WAIT_SECONDS = 0.2
    raw = _raw_connection()
    try:
        _raw_claim(raw, cast.registrar_astana, "busy")
        response = send(registrar_api, "busy")
        assert_error(response, 409, "idempotency_in_progress")
        assert Appeal.objects.count() == 0
        # The wait's lock_timeout was for the claim only; the connection is back to its own setting.
        with connection.cursor() as cursor:
            cursor.execute("SHOW lock_timeout")
            assert cursor.fetchone()[0] == "0"
    finally:
        raw.close()


@on_postgresql
@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_retries_with_one_key_create_one_appeal(migrated_rows, cast, no_2fa):
    authorization = bearer(cast.registrar_astana).defaults["HTTP_AUTHORIZATION"]
    barrier = threading.Barrier(20)
    results: list = [None] * 20
    errors: list = []

    def retry(index):
        try:
            barrier.wait(timeout=30)
            response = send(Client(HTTP_AUTHORIZATION=authorization), "storm")
            results[index] = (
                response.status_code,
                response.get("Idempotent-Replayed"),
                response.json()["id"],
            )
        except Exception as error:  # noqa: BLE001 - reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=retry, args=(i,)) for i in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    assert Appeal.objects.count() == 1
    assert {status for status, _replayed, _id in results} == {201}
    assert sorted(replayed or "" for _status, replayed, _id in results) == [""] + ["true"] * 19
    assert {appeal_id for _status, _replayed, appeal_id in results} == {Appeal.objects.get().pk}
