"""Appeals for tests, registered through the service so numbers, deadlines and audit are real."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from prokuratura.appeals.models import AppealKind, ApplicantType, Channel, ReceivedVia, Topic
from prokuratura.appeals.services import AppealData, appeal_register
from prokuratura.core.actors import SETUP, Actor
from prokuratura.core.models import Region

VALID_IIN = "900101300126"  # check digit computed in core/tests/test_validators.py


def appeal_data(**overrides: Any) -> AppealData:
    values: dict[str, Any] = {
        "kind": AppealKind.COMPLAINT,
        "subject": "Невыплата заработной платы",
        "text": "Работодатель не выплачивает заработную плату три месяца.",
        "region": Region.objects.order_by("kato_code").first(),
        "topic": Topic.objects.get(code="labour"),
        "applicant_type": ApplicantType.INDIVIDUAL,
        "applicant_name": "Асанов Серик Болатович",
        "applicant_iin": VALID_IIN,
        "applicant_email": "serik@example.kz",
        "applicant_language": "ru",
        "consent_personal_data": True,
        "received_via": ReceivedVia.POST,
    }
    values.update(overrides)
    return AppealData(**values)


def register(
    *,
    by: Actor = SETUP,
    channel: str = Channel.STAFF,
    received_at: dt.datetime | None = None,
    **overrides: Any,
):
    """Register an appeal; received now unless `received_at` is given. Returns the Appeal."""
    data = appeal_data(received_at=received_at or timezone.now(), **overrides)
    return appeal_register(by=by, channel=channel, data=data).appeal
