"""Spam protection for the public form that needs no outside service.

Three checks, each cheap for a person and costly for a bot:
- a honeypot field hidden from people (screen readers are told to leave it empty);
- a signed timestamp: the form must be at least a few seconds old and not older than a day;
- a small sum to solve, whose answer is signed into the form with a random nonce. A token that passed is spent:
  its nonce is noted in the shared cache (settings.CACHES) until the token would have expired anyway, so one solved
  form cannot be replayed. A wrong answer spends the token too, so a bot cannot try every sum on one token.
The public views also throttle submissions per address (core.throttle, in the same shared cache).
"""

from __future__ import annotations

import hashlib
import secrets
import time

from django.conf import settings
from django.core import signing

from prokuratura.core.throttle import shared_cache

SALT = "appeals.public-form"
MIN_SECONDS = 3
MAX_SECONDS = 24 * 3600


def challenge_new() -> tuple[str, str]:
    """(question, signed token) for a fresh form."""
    a, b = secrets.randbelow(9) + 1, secrets.randbelow(9) + 1
    token = signing.dumps({"t": int(time.time()), "s": a + b, "n": secrets.token_urlsafe(12)}, salt=SALT)
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


def challenge_passes(
    *, token: str, answer: str, honeypot: str, submission_key: str = "", now: float | None = None
) -> bool:
    """Whether the form passes. A token with a right signature, old enough, is spent on its first use, right or
    wrong; a spent token fails like a wrong answer — except for a repeat of the very submission that spent it (same
    `submission_key`: a double click, a reload after a lost answer), which passes so that the intake service can
    answer it with the appeal already filed. The caller shows a fresh challenge whenever the form is re-shown."""
    if honeypot:
        return False
    try:
        data = signing.loads(token, salt=SALT, max_age=MAX_SECONDS)
    except signing.BadSignature:
        return False
    age = (now or time.time()) - int(data["t"])
    if age < getattr(settings, "APPEALS_PUBLIC_FORM_MIN_SECONDS", MIN_SECONDS):
        return False  # not spent: the same person may send the same form a moment later
    # A token signed before nonces were added is spent by its own digest (two such forms made in the same second
    # for the same sum share one, and the second is refused: rare, and only for a day after the upgrade).
    nonce = data.get("n") or hashlib.sha256(token.encode()).hexdigest()[:32]
    cache = shared_cache()
    marker = f"challenge-spent:{nonce}"
    # add() is atomic in the shared cache: of two submissions of one token, exactly one spends it.
    spent_now = cache.add(marker, submission_key or "-", MAX_SECONDS + 60)
    if not spent_now and (not submission_key or cache.get(marker) != submission_key):
        return False
    return answer.strip() == str(data["s"])
