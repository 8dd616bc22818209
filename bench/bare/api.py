"""`POST /bare/appeals`: parse the appeal's JSON, one INSERT, 201 with a small body. No authentication, no
idempotency, no numbering: the floor the app's registration is measured against."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from ninja import NinjaAPI

from .models import BareAppeal
from .schemas import AppealIn, BareOut

api = NinjaAPI(title="bare reference", urls_namespace="bare", docs_url=None, openapi_url=None)


@api.post("/appeals", response={201: BareOut})
def bare_appeal_create(request: HttpRequest, payload: AppealIn) -> Any:
    applicant = payload.applicant
    appeal = BareAppeal.objects.create(
        kind=payload.kind,
        subject=payload.subject,
        text=payload.text,
        region=payload.region,
        topic=payload.topic,
        received_via=payload.received_via,
        received_at=payload.received_at or timezone.now(),
        applicant_type=applicant.type,
        applicant_name=applicant.name,
        applicant_iin=applicant.iin,
        applicant_bin=applicant.bin,
        applicant_email=applicant.email,
        applicant_phone=applicant.phone,
        applicant_address=applicant.address,
        applicant_language=applicant.language,
        consent_personal_data=applicant.consent_personal_data,
        respondent_body=payload.respondent_body,
        respondent_official=payload.respondent_official,
        crime_focus=payload.crime_focus,
        decision_learned_on=payload.decision_learned_on,
        is_urgent_report=payload.is_urgent_report,
        sensitivity=payload.sensitivity,
        office=payload.office,
    )
    return 201, BareOut(id=appeal.pk, received_at=appeal.received_at)
