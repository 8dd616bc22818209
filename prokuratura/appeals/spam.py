"""Spam protection for the public form that needs no outside service.

Three checks, each cheap for a person and costly for a bot:
- a honeypot field hidden from people (screen readers are told to leave it empty);
- a signed timestamp: the form must be at least a few seconds old and not older than a day;
- a small sum to solve, whose answer is signed into the form (nothing stored on the server).
The public views also throttle submissions per address (core cache).
"""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.core import signing
from django.core.cache import cache

SALT = "appeals.public-form"
MIN_SECONDS = 3
MAX_SECONDS = 24 * 3600


def challenge_new() -> tuple[str, str]:
    """(question, signed token) for a fresh form."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"t": int(time.time()), "s": a + b}, salt=SALT)
    return f"{a} + {b}", token


def challenge_question(token: str) -> str | None:
    """The question a token was made for (re-shown after a failed submission)."""
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_SECONDS)
    except signing.BadSignature:
        return None
    total = int(data["s"])
    first = max(1, total - 9)
    return f"{first} + {total - first}"


def challenge_passes(*, token: str, answer: str, honeypot: str, now: float | None = None) -> bool:
    if honeypot:
        return False
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_SECONDS)
    except signing.BadSignature:
        return False
    age = (now or time.time()) - int(data["t"])
    if age < getattr(settings, "APPEALS_PUBLIC_FORM_MIN_SECONDS", MIN_SECONDS):
        return False
    return answer.strip() == str(data["s"])


def throttle_hit(*, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit; True when the caller has gone over `limit` hits in the window."""
    cache_key = f"throttle:{key}"
    added = cache.add(cache_key, 1, window_seconds)
    if added:
        return False
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, window_seconds)
        return False
    return count > limit
