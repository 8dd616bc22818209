"""Fetching accounts' own records for a user. Shared rules (offices, users, audit) live in core/access.py.

Like every `access_*` helper, these answer 404 both for "does not exist" and "not yours".
"""

from __future__ import annotations

from django.http import Http404

from .models import ApiToken, User


def access_api_token(*, user: User, token_id: int) -> ApiToken:
    """A personal API token, only ever to its owner: nobody else may see or revoke it, administrators included."""
    if not (user and user.is_authenticated and user.is_active):
        raise Http404
    token = ApiToken.objects.filter(pk=token_id).first()
    if token is None:
        raise Http404
    if token.user_id != user.pk:
        raise Http404
    return token
