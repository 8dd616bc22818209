"""Helpers for API tests: a real django.test.Client carrying a bearer token, and checks of the error shape."""

from typing import Any

from django.test import Client

from prokuratura.accounts.services import token_create


def bearer(user: Any, **client_kwargs: Any) -> Client:
    """A test client that sends a fresh personal API token of `user` with every request."""
    _token, secret = token_create(by=user, name="test client")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}", **client_kwargs)


def assert_error(response: Any, status: int, code: str | None = None) -> dict[str, Any]:
    """The response is the one error shape, with this status (and code); returns the body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert set(body) == {"error", "message", "details"}
    assert isinstance(body["message"], str) and body["message"]
    if code is not None:
        assert body["error"] == code
    return body
