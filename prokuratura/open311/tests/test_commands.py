"""`manage.py open311_clients add|list|revoke`."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from prokuratura.open311 import services
from prokuratura.open311.models import Open311Client


def run(*args):
    out = StringIO()
    call_command("open311_clients", *args, stdout=out)
    return out.getvalue()


def test_add_prints_the_key_once_and_it_works(db):
    output = run("add", "City app", "--contact", "ops@example.kz", "--hourly-limit", "30", "--relay")
    api_key = next(line.split(": ", 1)[1] for line in output.splitlines() if line.startswith("api_key: "))
    client = Open311Client.objects.get()
    assert client.hourly_limit == 30 and client.relay and client.contact == "ops@example.kz"
    assert services.open311_client_authenticate(api_key=api_key) == client
    listing = run("list")
    assert "City app" in listing and client.key_prefix in listing and api_key not in listing


def test_revoke_by_prefix_or_id(db):
    run("add", "One")
    run("add", "Two")
    one, two = Open311Client.objects.order_by("name")
    assert "Revoked" in run("revoke", one.key_prefix)
    assert "Revoked" in run("revoke", str(two.pk))
    assert all(c.revoked_at for c in Open311Client.objects.all())
    assert "revoked" in run("list")


def test_mistakes_are_reported_not_raised(db):
    run("add", "One")
    with pytest.raises(CommandError, match="name"):
        run("add", "One")
    with pytest.raises(CommandError, match="No single"):
        run("revoke", "o311_nothing")
    assert "No Open311 clients." not in run("list")
