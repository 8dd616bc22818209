"""accounts' REST operations: /me, personal API tokens (with Idempotency-Key), the staff list."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.test import Client
from django.utils import timezone

from prokuratura.accounts.models import ApiToken
from prokuratura.accounts.services import token_create
from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.core.api_support import idempotency_purge
from prokuratura.core.models import AuditEntry, IdempotencyRecord
from prokuratura.core.tests.api_client import assert_error, bearer

API = "/api/v1"
JSON = "application/json"


@pytest.fixture(autouse=True)
def _fresh_throttles():
    cache.clear()  # throttle history lives in the cache
    yield
    cache.clear()


# --- /me -------------------------------------------------------------------------------------------------------


def test_me_shows_office_roles_and_permissions(cast, offices):
    body = bearer(cast.head_astana).get(f"{API}/me").json()
    assert body["username"] == "head_astana"
    assert body["office"] == {
        "id": offices.astana.pk,
        "code": "AST",
        "name": "Astana city prosecutor's office",
    }
    assert body["department"] is None
    assert body["roles"] == ["head"]
    assert "accounts.view_users" in body["permissions"] and "core.view_audit" not in body["permissions"]
    assert body["permissions"] == sorted(body["permissions"])


def test_me_with_the_session(cast, client_for):
    assert client_for(cast.outsider).get(f"{API}/me").json()["roles"] == []


def test_me_needs_authentication(db):
    assert_error(Client().get(f"{API}/me"), 401)


# --- listing and revoking tokens -------------------------------------------------------------------------------


def test_token_list_shows_only_my_tokens_without_secrets(cast, django_assert_num_queries):
    token_create(by=cast.analyst, name="laptop")
    token_create(by=cast.auditor, name="not mine")
    client = bearer(cast.analyst)  # creates "test client"
    client.get(f"{API}/tokens")
    with django_assert_num_queries(2):  # token (with its user), list; AUTHENTICATED needs no roles
        body = client.get(f"{API}/tokens").json()
    assert [t["name"] for t in body] == ["test client", "laptop"]
    assert all("secret" not in t and "digest" not in t for t in body)


def test_revoke_my_token(cast):
    token, secret = token_create(by=cast.analyst, name="old")
    client = bearer(cast.analyst)
    response = client.delete(f"{API}/tokens/{token.pk}")
    assert response.status_code == 204
    assert response.content == b""
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEntry.objects.filter(
        object_type="accounts.apitoken", object_id=str(token.pk), action="update"
    ).exists()
    assert_error(Client(HTTP_AUTHORIZATION=f"Bearer {secret}").get(f"{API}/me"), 401)
    assert client.delete(f"{API}/tokens/{token.pk}").status_code == 204  # revoking twice is no error


def test_revoking_someone_elses_token_is_404(cast):
    token, _secret = token_create(by=cast.auditor, name="theirs")
    assert_error(bearer(cast.admin).delete(f"{API}/tokens/{token.pk}"), 404, "not_found")
    token.refresh_from_db()
    assert token.revoked_at is None
    assert_error(bearer(cast.admin).delete(f"{API}/tokens/99999999"), 404)


def test_a_token_can_revoke_itself(cast):
    token, secret = token_create(by=cast.analyst, name="self")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert client.delete(f"{API}/tokens/{token.pk}").status_code == 204
    assert_error(client.get(f"{API}/tokens"), 401)


# --- creating tokens -------------------------------------------------------------------------------------------


def test_create_token_returns_the_secret_once(cast):
    client = bearer(cast.analyst)
    response = client.post(f"{API}/tokens", {"name": "ci", "expires_in_days": 30}, content_type=JSON)
    assert response.status_code == 201
    body = response.json()
    assert body["secret"].startswith("pk_") and body["prefix"] == body["secret"][:10]
    token = ApiToken.objects.get(pk=body["id"])
    assert token.user == cast.analyst and token.name == "ci"
    assert abs(token.expires_at - (timezone.now() + dt.timedelta(days=30))) < dt.timedelta(minutes=1)
    assert body["secret"] not in token.digest
    new = Client(HTTP_AUTHORIZATION=f"Bearer {body['secret']}")
    assert new.get(f"{API}/me").json()["username"] == "analyst"
    assert "secret" not in client.get(f"{API}/tokens").json()[0]


def test_create_token_defaults_to_90_days(cast):
    body = bearer(cast.analyst).post(f"{API}/tokens", {"name": "x"}, content_type=JSON).json()
    expires = dt.datetime.fromisoformat(body["expires_at"])
    assert abs(expires - (timezone.now() + dt.timedelta(days=90))) < dt.timedelta(minutes=1)


@pytest.mark.parametrize(
    "payload",
    [
        {},
        {"name": ""},
        {"name": "x" * 101},
        {"name": "x", "expires_in_days": 0},
        {"name": "x", "expires_in_days": 366},
        {"name": "x", "expires_in_days": "soon"},
    ],
)
def test_create_token_invalid_input_is_422(cast, payload):
    body = assert_error(bearer(cast.analyst).post(f"{API}/tokens", payload, content_type=JSON), 422)
    assert body["details"][0]["loc"][0] == "body"


def test_a_blank_name_is_refused_by_the_service_with_its_message_dict(cast):
    response = bearer(cast.analyst).post(f"{API}/tokens", {"name": "   "}, content_type=JSON)
    body = assert_error(response, 422, "validation_error")
    assert body["details"] == {"name": ["Give the token a name."]}


def test_create_token_is_throttled(cast, settings):
    client = bearer(cast.analyst)
    for _i in range(30):
        assert client.post(f"{API}/tokens", {"name": "loop"}, content_type=JSON).status_code == 201
    response = client.post(f"{API}/tokens", {"name": "loop"}, content_type=JSON)
    assert_error(response, 429, "throttled")
    assert int(response["Retry-After"]) > 0
    # another user is not affected
    assert bearer(cast.auditor).post(f"{API}/tokens", {"name": "x"}, content_type=JSON).status_code == 201


def test_create_token_with_session_needs_csrf(cast, no_2fa):
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.analyst)
    assert_error(client.post(f"{API}/tokens", {"name": "x"}, content_type=JSON), 403, "csrf_failed")
    assert not ApiToken.objects.filter(user=cast.analyst).exists()


# --- Idempotency-Key -------------------------------------------------------------------------------------------


def _create(client, payload, key):
    return client.post(f"{API}/tokens", payload, content_type=JSON, HTTP_IDEMPOTENCY_KEY=key)


def test_same_key_same_body_replays_the_response(cast):
    client = bearer(cast.analyst)
    first = _create(client, {"name": "deploy"}, "key-1")
    second = _create(client, {"name": "deploy"}, "key-1")
    assert first.status_code == second.status_code == 201
    assert "Idempotent-Replayed" not in first
    assert second["Idempotent-Replayed"] == "true"
    assert second.json()["id"] == first.json()["id"]
    assert ApiToken.objects.filter(user=cast.analyst, name="deploy").count() == 1


def test_a_replay_does_not_show_the_secret_again(cast):
    """The secret is stored nowhere in clear, not even in the idempotency record."""
    client = bearer(cast.analyst)
    first = _create(client, {"name": "deploy"}, "key-1").json()
    replay = _create(client, {"name": "deploy"}, "key-1").json()
    assert first["secret"] and replay["secret"] is None
    assert {k: v for k, v in replay.items() if k != "secret"} == {
        k: v for k, v in first.items() if k != "secret"
    }
    assert first["secret"] not in IdempotencyRecord.objects.get(key="key-1").response_body


def test_same_key_different_body_is_409(cast):
    client = bearer(cast.analyst)
    _create(client, {"name": "one"}, "key-1")
    assert_error(_create(client, {"name": "two"}, "key-1"), 409, "idempotency_key_reused")
    assert not ApiToken.objects.filter(name="two").exists()


def test_keys_belong_to_one_user(cast):
    _create(bearer(cast.analyst), {"name": "same"}, "shared-key")
    response = _create(bearer(cast.auditor), {"name": "same"}, "shared-key")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response
    assert ApiToken.objects.filter(name="same").count() == 2


def test_a_key_still_in_progress_is_409(cast):
    """What a second request sees while the first holds the key (the unique constraint makes it race-safe)."""
    client = bearer(cast.analyst)
    IdempotencyRecord.objects.create(
        user=cast.analyst,
        key="busy",
        method="POST",
        path=f"{API}/tokens",
        request_hash="0" * 64,
        created_at=timezone.now(),
    )
    assert_error(_create(client, {"name": "x"}, "busy"), 409)
    assert not ApiToken.objects.filter(name="x").exists()


def test_a_failed_create_releases_the_key(cast):
    client = bearer(cast.analyst)
    assert _create(client, {"name": "  "}, "key-1").status_code == 422
    assert not IdempotencyRecord.objects.filter(key="key-1").exists()
    assert _create(client, {"name": "fixed"}, "key-1").status_code == 201


def test_an_expired_key_is_free_again(cast):
    client = bearer(cast.analyst)
    _create(client, {"name": "old"}, "key-1")
    IdempotencyRecord.objects.filter(key="key-1").update(created_at=timezone.now() - dt.timedelta(hours=25))
    response = _create(client, {"name": "new"}, "key-1")
    assert response.status_code == 201 and "Idempotent-Replayed" not in response


@pytest.mark.parametrize("key", ["", "k" * 101])
def test_an_invalid_key_is_422(cast, key):
    body = assert_error(_create(bearer(cast.analyst), {"name": "x"}, key), 422)
    assert body["details"][0]["loc"] == ["header", "Idempotency-Key"]


def test_purge_removes_only_old_records(cast):
    now = timezone.now()
    for key, age in (("old", 25), ("new", 1)):
        IdempotencyRecord.objects.create(
            user=cast.analyst,
            key=key,
            method="POST",
            path="/",
            request_hash="0" * 64,
            created_at=now - dt.timedelta(hours=age),
        )
    assert idempotency_purge(older_than=dt.timedelta(hours=24)) == 1
    assert list(IdempotencyRecord.objects.values_list("key", flat=True)) == ["new"]


# --- staff list ------------------------------------------------------------------------------------------------


def test_users_list_follows_the_selectors_visibility(cast):
    names = {u["username"] for u in bearer(cast.head_astana).get(f"{API}/users").json()["items"]}
    assert names == {"registrar_astana", "prosecutor_astana", "head_astana"}  # Astana and below
    everyone = bearer(cast.auditor).get(f"{API}/users?page_size=200").json()
    assert everyone["count"] == 10


def test_users_list_filters(cast, offices):
    client = bearer(cast.admin)
    body = client.get(f"{API}/users?role=prosecutor").json()
    assert {u["username"] for u in body["items"]} == {"prosecutor_astana", "prosecutor_almaty"}
    assert body["items"][0]["roles"] == ["prosecutor"]
    body = client.get(f"{API}/users?office={offices.almaty.pk}").json()
    assert {u["username"] for u in body["items"]} == {"prosecutor_almaty", "outsider"}
    assert client.get(f"{API}/users?q=registrar").json()["count"] == 1
    assert_error(client.get(f"{API}/users?role=king"), 422)


def test_users_list_needs_view_users(cast):
    assert_error(bearer(cast.prosecutor_astana).get(f"{API}/users"), 403, "forbidden")


def test_users_list_query_count(cast, offices, django_assert_num_queries):
    for _i in range(5):
        UserFactory(office=offices.gpo, roles=["analyst"])
    client = bearer(cast.admin)
    client.get(f"{API}/users")
    # the token with its owner's roles, count, page, prefetched roles
    with django_assert_num_queries(4):
        assert client.get(f"{API}/users").json()["count"] == 15
