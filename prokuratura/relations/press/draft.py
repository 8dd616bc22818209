"""The draft event a press text is read into: every item with where it was read (`Found`), and its JSON form (the
API's answer and the review page's signed payload)."""

from __future__ import annotations

import datetime as dt
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from ..models import EventKind

# --- the draft ---------------------------------------------------------------------------------------------------


@dataclass
class Found:
    """Where an item was read: the words as written, their offsets in the text, and the sentence around them."""

    text: str
    start: int
    end: int
    sentence: str
    sentence_start: int

    @property
    def before(self) -> str:
        return self.sentence[: max(0, self.start - self.sentence_start)]

    @property
    def matched(self) -> str:
        return self.sentence[
            max(0, self.start - self.sentence_start) : max(0, self.end - self.sentence_start)
        ]

    @property
    def after(self) -> str:
        return self.sentence[max(0, self.end - self.sentence_start) :]


@dataclass
class StateItem:
    iso2: str
    name: str
    found: Found


@dataclass
class OrgItem:
    code: str
    name: str
    kind: str
    found: Found


@dataclass
class OfficialItem:
    name: str
    title: str
    state: str  # ISO2 of the state the official represents, or ""
    organisation: str  # code of the organisation or agency, or ""
    found: Found

    @property
    def affiliation(self) -> str:
        if self.state:
            return f"state:{self.state}"
        return f"org:{self.organisation}" if self.organisation else ""


@dataclass
class TopicItem:
    code: str
    name: str
    found: Found


@dataclass
class FigureItem:
    value: Decimal
    text: str
    subject: str
    found: Found


@dataclass
class Draft:
    text: str
    language: str
    title: str = ""
    summary: str = ""
    date: dt.date | None = None
    end_date: dt.date | None = None
    date_found: Found | None = None
    published_on: dt.date | None = None
    place: str = ""  # the place's key in the gazetteer
    place_name: str = ""
    place_found: Found | None = None
    country: str = ""  # ISO2 of the place's state
    kind: str = EventKind.MEETING
    kind_found: Found | None = None
    principal: str = ""  # code
    holder_name: str = ""
    states: list[StateItem] = field(default_factory=list)
    organisations: list[OrgItem] = field(default_factory=list)
    officials: list[OfficialItem] = field(default_factory=list)
    topics: list[TopicItem] = field(default_factory=list)
    figures: list[FigureItem] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        messages = []
        if self.date is None:
            messages.append(_("No date was recognised in the text: type the date of the event."))
        unattached = sum(1 for official in self.officials if not official.affiliation)
        if unattached:
            messages.append(
                _(
                    "Choose the state or organisation of every official that has none: a participant is a state, "
                    "an organisation or an agency."
                )
            )
        return messages

    def as_dict(self) -> dict[str, Any]:
        """JSON-ready: dates as ISO strings, numbers as strings (the API's and the signed form's payload)."""
        data = asdict(self)
        for name in ("date", "end_date", "published_on"):
            value = getattr(self, name)
            data[name] = value.isoformat() if value else None
        for figure in data["figures"]:
            figure["value"] = str(figure["value"])
        data["warnings"] = [str(message) for message in self.warnings]
        return data


def draft_from_dict(data: dict[str, Any]) -> Draft:
    """The inverse of `Draft.as_dict` (the review page's signed payload)."""

    def found(value: dict[str, Any] | None) -> Found | None:
        return Found(**value) if value else None

    def date(value: str | None) -> dt.date | None:
        return dt.date.fromisoformat(value) if value else None

    return Draft(
        text=data["text"],
        language=data["language"],
        title=data.get("title", ""),
        summary=data.get("summary", ""),
        date=date(data.get("date")),
        end_date=date(data.get("end_date")),
        date_found=found(data.get("date_found")),
        published_on=date(data.get("published_on")),
        place=data.get("place", ""),
        place_name=data.get("place_name", ""),
        place_found=found(data.get("place_found")),
        country=data.get("country", ""),
        kind=data.get("kind", EventKind.MEETING),
        kind_found=found(data.get("kind_found")),
        principal=data.get("principal", ""),
        holder_name=data.get("holder_name", ""),
        states=[StateItem(s["iso2"], s["name"], Found(**s["found"])) for s in data.get("states", [])],
        organisations=[
            OrgItem(o["code"], o["name"], o["kind"], Found(**o["found"]))
            for o in data.get("organisations", [])
        ],
        officials=[
            OfficialItem(o["name"], o["title"], o["state"], o["organisation"], Found(**o["found"]))
            for o in data.get("officials", [])
        ],
        topics=[TopicItem(t["code"], t["name"], Found(**t["found"])) for t in data.get("topics", [])],
        figures=[
            FigureItem(Decimal(f["value"]), f["text"], f["subject"], Found(**f["found"]))
            for f in data.get("figures", [])
        ],
    )
