"""Relations records for tests, made through the services so history and audit are real. Counterparts and topics
are made directly (they are reference data)."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import timezone

from prokuratura.core.models import Country

from ..models import (
    Counterpart,
    CounterpartKind,
    EventKind,
    MandateKind,
    RecommendationSource,
    Topic,
    TopicKind,
)
from ..services import (
    EventData,
    ParticipantData,
    ProjectData,
    RecommendationData,
    event_record,
    project_record,
    recommendation_record,
)


def country(iso2: str = "US", name_en: str = "United States of America") -> Country:
    found, _ = Country.objects.get_or_create(
        iso2=iso2,
        defaults={"iso3": iso2 + "X", "name_en": name_en, "name_ru": name_en, "name_kk": name_en},
    )
    return found


def counterpart(code: str, kind: str = CounterpartKind.ORGANISATION, **values: Any) -> Counterpart:
    defaults = {"kind": kind, "name_en": code.upper(), "name_ru": code.upper(), "name_kk": code.upper()}
    defaults.update(values)
    found, _ = Counterpart.objects.get_or_create(code=code, defaults=defaults)
    return found


def un_mandate(code: str = "sr-torture", mandate_kind: str = MandateKind.SPECIAL_RAPPORTEUR) -> Counterpart:
    un = counterpart("un", name_en="United Nations", abbreviation_en="UN")
    body = counterpart(
        "hrc-special-procedures", CounterpartKind.BODY, parent=un, name_en="Special procedures"
    )
    return counterpart(code, CounterpartKind.MANDATE, parent=body, mandate_kind=mandate_kind, name_en=code)


def domestic_agency(code: str = "gpo-kz") -> Counterpart:
    return counterpart(code, CounterpartKind.DOMESTIC_AGENCY, name_en="Prosecutor General's Office")


def topic(code: str = "terrorism", kind: str = TopicKind.CRIME) -> Topic:
    found, _ = Topic.objects.get_or_create(
        code=code, defaults={"kind": kind, "name_en": code, "name_ru": code, "name_kk": code}
    )
    return found


def event(*, by: Any, held: bool = True, participants: list[ParticipantData] | None = None, **values: Any):
    today = timezone.localdate()
    start = today - dt.timedelta(days=30) if held else today + dt.timedelta(days=30)
    data: dict[str, Any] = {
        "kind": EventKind.MEETING,
        "title": "Meeting with the OSCE Programme Office",
        "start_date": start,
        "end_date": start,
        "held": held,
        "place": "Astana",
    }
    data.update(values)
    if participants is None:
        participants = [ParticipantData(counterpart=counterpart("osce", name_en="OSCE"))]
    return event_record(by=by, data=EventData(**data), participants=participants)


def project(*, by: Any, **values: Any):
    data: dict[str, Any] = {
        "partner": counterpart("osce", name_en="OSCE"),
        "title": "Criminal justice reform support",
        "start_date": timezone.localdate() - dt.timedelta(days=100),
    }
    data.update(values)
    return project_record(by=by, data=ProjectData(**data))


def recommendation(*, by: Any, **values: Any):
    data: dict[str, Any] = {
        "source_kind": RecommendationSource.SPECIAL_PROCEDURE,
        "source": un_mandate(),
        "text": "Ensure that all allegations of torture are investigated promptly and impartially.",
        "issued_on": timezone.localdate() - dt.timedelta(days=60),
    }
    data.update(values)
    return recommendation_record(by=by, data=RecommendationData(**data))


def un_visit(
    *,
    by: Any,
    mandate_code: str,
    start: dt.date,
    end: dt.date,
    mandate_kind: str = MandateKind.SPECIAL_RAPPORTEUR,
    holder_name: str = "",
    sensitivity: str = "public",
):
    """A held visit of a UN mandate (a special procedure, or a treaty body such as the SPT), public as the loaded
    history is."""
    from ..services import EventData, event_record

    mandate = un_mandate(mandate_code, mandate_kind)
    return event_record(
        by=by,
        data=EventData(
            kind=EventKind.INCOMING_VISIT,
            title=f"Visit of {mandate_code}",
            start_date=start,
            end_date=end,
            held=True,
            principal=mandate,
            holder_name=holder_name,
            sensitivity=sensitivity,
        ),
    )
