import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from prokuratura.accounts.access import access_api_token
from prokuratura.accounts.services import token_create


def test_owner_gets_their_token(cast):
    token, _secret = token_create(by=cast.analyst, name="mine")
    assert access_api_token(user=cast.analyst, token_id=token.pk) == token


def test_missing_token_is_404(cast):
    with pytest.raises(Http404):
        access_api_token(user=cast.analyst, token_id=999_999)


def test_someone_elses_token_is_404_even_for_an_administrator(cast):
    token, _secret = token_create(by=cast.analyst, name="mine")
    with pytest.raises(Http404):
        access_api_token(user=cast.admin, token_id=token.pk)


def test_inactive_owner_is_404(cast):
    token, _secret = token_create(by=cast.analyst, name="mine")
    cast.analyst.is_active = False
    with pytest.raises(Http404):
        access_api_token(user=cast.analyst, token_id=token.pk)


def test_anonymous_is_404(cast):
    token, _secret = token_create(by=cast.analyst, name="mine")
    with pytest.raises(Http404):
        access_api_token(user=AnonymousUser(), token_id=token.pk)
