"""Requests for legal assistance for tests: `outgoing_mla(...)` and `incoming_extradition(...)` record them through
the intake service (so numbering, history and audit are as in life), on a bilateral treaty with state XA."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from prokuratura.cooperation.models_requests import (
    AssistanceRequest,
    BasisKind,
    Direction,
    ExtraditionPurpose,
    Measure,
    RequestKind,
)
from prokuratura.cooperation.request_services import (
    PersonData,
    RequestData,
    request_create,
    request_person_add,
)
from prokuratura.core.models import Country

from .factories import CountryFactory, InstrumentFactory


def treaty(
    iso2: str = "XA",
    subjects: tuple[str, ...] = ("mla", "extradition", "transfer_sentenced", "transfer_proceedings"),
):
    partner = CountryFactory(iso2=iso2)
    CountryFactory(iso2="KZ", iso3="KAZ", name_en="Kazakhstan", name_ru="Казахстан", name_kk="Қазақстан")
    return InstrumentFactory(partner=partner, subjects=list(subjects))


def complete_mla(**overrides: Any) -> dict[str, Any]:
    return {
        "requesting_authority": "Prosecutor General's Office of the Republic of Kazakhstan",
        "proceedings_subject": "Pre-trial investigation of unauthorised access to a bank's systems (CC art. 205)",
        "conducting_authority": "Investigation department, Astana police",
        "facts_summary": "In March 2026 unknown persons accessed the bank's network from addresses in State XA.",
        "assistance_sought": "Subscriber data and logs for the listed addresses.",
        "purpose": "To identify the persons who accessed the network.",
        "measures": [Measure.BANK_RECORDS, Measure.LOCATE],
        **overrides,
    }


def outgoing_mla(*, by, office, instrument=None, **overrides: Any) -> AssistanceRequest:
    instrument = instrument or treaty()
    fields: dict[str, Any] = {
        "kind": RequestKind.MLA,
        "partner": instrument.partner,
        "foreign_authority": "Ministry of Justice of State XA",
        "basis_kind": BasisKind.INSTRUMENT,
        "basis": instrument,
        **complete_mla(),
        **overrides,
    }
    return request_create(by=by, direction=Direction.OUTGOING, office=office, data=RequestData(**fields))


def incoming_extradition(
    *, by, office, instrument=None, citizen: bool = True, **overrides: Any
) -> AssistanceRequest:
    instrument = instrument or treaty()
    received_on = overrides.pop("received_on", None) or timezone.localdate() - dt.timedelta(days=2)
    fields: dict[str, Any] = {
        "kind": RequestKind.EXTRADITION,
        "partner": instrument.partner,
        "foreign_authority": "Prosecutor General's Office of State XA",
        "basis_kind": BasisKind.INSTRUMENT,
        "basis": instrument,
        "extradition_purpose": ExtraditionPurpose.PROSECUTION,
        "offence_article": "Criminal Code of XA, art. 190 (fraud)",
        "penalty": "up to 7 years' imprisonment",
        "limitation": "Criminal Code of XA, art. 80: 10 years",
        "warrant": "District court of XA, 02.02.2026",
        **overrides,
    }
    record = request_create(
        by=by,
        direction=Direction.INCOMING,
        office=office,
        data=RequestData(**fields),
        received_on=received_on,
    )
    request_person_add(
        by=by,
        assistance_request=record,
        data=PersonData(
            role="sought",
            full_name="Ivanov Ivan",
            birth_date=dt.date(1985, 5, 1),
            nationality=Country.objects.get(iso2="KZ") if citizen else instrument.partner,
            location="Almaty",
            description="Height 180 cm, scar on the left hand",
        ),
    )
    return record
