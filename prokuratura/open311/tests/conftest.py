"""Open311 test fixtures: a client application with its api_key."""

from types import SimpleNamespace

import pytest

from prokuratura.core.actors import SETUP
from prokuratura.open311 import services


@pytest.fixture
def app(db):
    """A client application (not relaying for others) and its api_key."""
    client, api_key = services.open311_client_create(by=SETUP, name="Astana city app", hourly_limit=100)
    return SimpleNamespace(client=client, api_key=api_key)
