"""Sending the daily e-mails (reminders, control lists) over one connection to the default mailer."""

from __future__ import annotations

import logging
from typing import Any

from django.core.mail import EmailMessage, mailers

logger = logging.getLogger(__name__)


def send_each[U: Any](messages: list[tuple[U, EmailMessage]], *, what: str) -> list[U]:
    """Send each user their message over one connection; the users whose message did not go out (all of them when
    the server cannot be reached), in order. `what` names the e-mails in the log ("request reminders")."""
    if not messages:
        return []
    mailer = mailers.default
    try:
        mailer.open()
    except OSError:
        logger.exception("could not connect to the mail server; %s %s not sent", len(messages), what)
        return [user for user, _message in messages]
    failed: list[U] = []
    try:
        for user, message in messages:
            try:
                sent = mailer.send_messages([message])
            except OSError:  # smtplib.SMTPException is an OSError
                logger.exception("could not e-mail %s to %s", what, user.get_username())
                sent = 0
            if not sent:
                failed.append(user)
    finally:
        try:
            mailer.close()
        except OSError:
            logger.warning("the mail server did not close the connection cleanly", exc_info=True)
    return failed
