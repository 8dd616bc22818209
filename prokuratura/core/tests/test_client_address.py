"""ClientAddressMiddleware: the client's address from trusted proxies' X-Forwarded-For, and nobody else's."""

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.urls import reverse

from prokuratura.accounts.models import LoginFailure
from prokuratura.core.middleware import client_address, trusted_networks

PROXIES = trusted_networks(["127.0.0.1", "10.0.0.0/8", "fd00::/8"])


@pytest.mark.parametrize(
    ("remote_addr", "forwarded_for", "expected"),
    [
        # No proxy trusted to speak: the connection's address, whatever the header says.
        ("203.0.113.7", "198.51.100.1", "203.0.113.7"),
        # One trusted proxy: the address it appended.
        ("127.0.0.1", "203.0.113.7", "203.0.113.7"),
        # What the client wrote itself (left of the proxy's entry) is never believed.
        ("127.0.0.1", "6.6.6.6, 203.0.113.7", "203.0.113.7"),
        # Two trusted hops (balancer 10.1.1.1, then nginx on 127.0.0.1): walk past both.
        ("127.0.0.1", "6.6.6.6, 203.0.113.7, 10.1.1.1", "203.0.113.7"),
        # An untrusted hop in the chain ends the walk: it is the client as far as we can tell.
        ("127.0.0.1", "203.0.113.7, 198.51.100.9", "198.51.100.9"),
        # Garbage keeps the proxy's address rather than guess.
        ("127.0.0.1", "not-an-address", "127.0.0.1"),
        ("127.0.0.1", "203.0.113.7:4431", "127.0.0.1"),
        # No header, or only trusted hops: a request from inside.
        ("127.0.0.1", "", "127.0.0.1"),
        ("127.0.0.1", "10.2.2.2", "10.2.2.2"),
        # IPv6, and an IPv4 client written the dual-stack way.
        ("fd00::1", "2001:db8::5", "2001:db8::5"),
        ("127.0.0.1", "::ffff:203.0.113.7", "203.0.113.7"),
    ],
)
def test_the_client_is_the_first_untrusted_hop_from_the_right(remote_addr, forwarded_for, expected):
    assert client_address(remote_addr=remote_addr, forwarded_for=forwarded_for, trusted=PROXIES) == expected


def test_a_wrong_proxy_entry_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        trusted_networks(["10.0.0.0/8", "proxy.example"])


def _failed_login(client, **meta):
    client.post("/accounts/login/", {"username": "someone", "password": "wrong-password"}, **meta)
    return LoginFailure.objects.order_by("-id").values_list("ip_address", flat=True).first()


def test_by_default_nobody_is_trusted(client, db):
    assert _failed_login(client, HTTP_X_FORWARDED_FOR="198.51.100.1") == "127.0.0.1"


def test_behind_a_trusted_proxy_every_reader_of_remote_addr_sees_the_client(client, db, settings):
    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    assert _failed_login(client, HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7") == "203.0.113.7"


def test_citizens_behind_one_proxy_get_a_throttle_each(client, db, settings):
    from prokuratura.appeals.views.public import LOOKUPS_PER_HOUR

    settings.TRUSTED_PROXIES = ["127.0.0.1"]
    url = reverse("appeals:public_status")
    for _i in range(LOOKUPS_PER_HOUR + 1):
        client.get(url, {"code": "AAAA-BBBB-CCCC"}, HTTP_X_FORWARDED_FOR="203.0.113.7")
    assert client.get(url, {"code": "AAAA-BBBB-CCCC"}, HTTP_X_FORWARDED_FOR="203.0.113.7").status_code == 429
    assert client.get(url, {"code": "AAAA-BBBB-CCCC"}, HTTP_X_FORWARDED_FOR="203.0.113.8").status_code == 404
