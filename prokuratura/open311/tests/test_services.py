"""The client register: who may add and revoke clients, keys stored only as digests, audit, authentication."""

import datetime as dt
import hashlib

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from prokuratura.core.actors import PUBLIC, SETUP
from prokuratura.core.models import AuditEntry
from prokuratura.open311 import services
from prokuratura.open311.models import Open311Client


def test_a_deployer_adds_a_client_and_gets_its_key_once(db):
    client, api_key = services.open311_client_create(by=SETUP, name="  City   app ", contact="ops@example.kz")
    assert client.name == "City app" and api_key.startswith("o311_") and len(api_key) > 40
    stored = Open311Client.objects.get()
    assert stored.key_digest == hashlib.sha256(api_key.encode()).hexdigest()
    assert api_key not in str(Open311Client.objects.values().get())  # the key itself is nowhere
    assert stored.key_prefix == api_key[:10] and stored.created_by is None
    entry = AuditEntry.objects.get(object_type="open311.open311client")
    assert entry.action == AuditEntry.Action.CREATE and entry.actor_repr == "system:setup"


def test_an_administrator_may_add_a_client_and_others_may_not(cast):
    client, _key = services.open311_client_create(by=cast.admin, name="Portal")
    assert client.created_by == cast.admin
    for actor in (cast.registrar_astana, cast.head_gpo, cast.auditor, PUBLIC):
        with pytest.raises(PermissionDenied):
            services.open311_client_create(by=actor, name=f"by {actor}")
        with pytest.raises(PermissionDenied):
            services.open311_client_revoke(by=actor, client=client)
    assert Open311Client.objects.count() == 1 and client.revoked_at is None


@pytest.mark.parametrize(
    ("name", "limit", "field"), [("", 10, "name"), ("Dup", 10, "name"), ("X", 0, "hourly_limit")]
)
def test_bad_client_details_are_refused(db, name, limit, field):
    services.open311_client_create(by=SETUP, name="Dup")
    with pytest.raises(ValidationError) as refused:
        services.open311_client_create(by=SETUP, name=name, hourly_limit=limit)
    assert field in refused.value.message_dict
    assert Open311Client.objects.count() == 1


def test_a_key_authenticates_until_it_is_revoked(db):
    client, api_key = services.open311_client_create(by=SETUP, name="App")
    assert services.open311_client_authenticate(api_key=api_key) == client
    assert services.open311_client_authenticate(api_key=api_key + "x") is None
    assert services.open311_client_authenticate(api_key="") is None
    services.open311_client_revoke(by=SETUP, client=client)
    assert services.open311_client_authenticate(api_key=api_key) is None
    entry = AuditEntry.objects.filter(object_type="open311.open311client").latest("id")
    assert entry.action == AuditEntry.Action.UPDATE and "revoked_at" in entry.changes
    services.open311_client_revoke(by=SETUP, client=client)  # again: nothing more happens
    assert AuditEntry.objects.filter(object_type="open311.open311client").count() == 2


def test_the_last_use_is_written_at_most_once_a_minute(db, django_assert_num_queries):
    client, api_key = services.open311_client_create(by=SETUP, name="App")
    with django_assert_num_queries(2):  # read, and note the first use
        services.open311_client_authenticate(api_key=api_key)
    with django_assert_num_queries(1):
        services.open311_client_authenticate(api_key=api_key)
    Open311Client.objects.filter(pk=client.pk).update(last_used_at=timezone.now() - dt.timedelta(minutes=2))
    with django_assert_num_queries(2):
        services.open311_client_authenticate(api_key=api_key)
