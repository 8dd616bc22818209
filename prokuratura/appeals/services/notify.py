"""Messages to applicants: the receipt, the extension and forwarding notices and the answer, by e-mail when the
applicant gave an address. Sent from a background task queued with the registration's own transaction, so a slow or failing mail
server never blocks or undoes a registration; a failure is logged and the letter stays downloadable."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import EmailMessage

from prokuratura.core.tasks import enqueue_with_work

from ..models import Appeal, LetterTemplate
from .letters import letter_available, letter_pdf, letter_render

logger = logging.getLogger(__name__)


def notify_applicant(*, appeal_id: int, kind: str) -> None:
    """Queue the message with the caller's work (core.tasks.enqueue_with_work: in its transaction with the
    database queue, after its commit otherwise; tests run the queue immediately)."""
    from ..tasks import send_applicant_letter

    enqueue_with_work(send_applicant_letter, appeal_id, kind)


def applicant_letter_send(*, appeal: Appeal, kind: str) -> bool:
    """Send one letter to the applicant's e-mail; False when there is nothing to send or sending failed."""
    if not appeal.applicant_email or not letter_available(appeal=appeal, kind=kind):
        return False
    letter = letter_render(appeal=appeal, kind=kind)
    message = EmailMessage(
        subject=letter.subject,
        body=letter.body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[appeal.applicant_email],
    )
    if kind == LetterTemplate.Kind.ANSWER:
        message.attach(f"{letter.filename_stem}.pdf", letter_pdf(letter), "application/pdf")
    try:
        message.send()
    except OSError:
        logger.exception("could not e-mail the %s letter of appeal %s", kind, appeal.pk)
        return False
    return True
