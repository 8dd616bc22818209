"""Dates in a press text: the date line, full dates in kk/ru/en, ranges, relative days, publication stamps."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from . import lexicon as lx
from .gazetteer import PLACE, Mention, kazakh_forms, tokenize

# --- the date line -----------------------------------------------------------------------------------------------

_DATELINE = re.compile(r"^(?P<head>[^\n–—]{2,100}?)\s+[–—-]{1,2}\s+(?=\S)")
# A date line without its dash: the place, then the agency's name in capitals ("ASTANA. KAZINFORM The …").
_DATELINE_AGENCY = re.compile(
    r"^(?P<head>[^\n–—]{2,60}?[.,]\s+[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ]{3,}(?:[-–][A-ZА-ЯЁ]+)?)\s+(?=\S)"
)


def dateline(text: str, paras: list[tuple[int, int]], mentions: list[Mention]) -> tuple[int, int] | None:
    """A date line ("ASTANA. KAZINFORM –", "АСТАНА, 22 октября. КАЗИНФОРМ –", "Shymkent, 5 March 2024."): the head
    of one of the first five paragraphs that starts with a place, before a dash, or a place and a date."""
    for start, end in paras[:5]:
        places = [m for m in mentions if m.category == PLACE and start <= m.start < end]
        if not places or text[start : places[0].start].strip(' "«“'):
            continue
        match = _DATELINE.match(text[start:end]) or _DATELINE_AGENCY.match(text[start:end])
        if match is not None and places[0].start < start + match.end("head"):
            return start, start + match.end("head")
        after = places[0].end
        spans = [s for s in date_spans(text[after:end]) if text[after : after + s[0]].strip(" ,.:/") == ""]
        if spans:
            tail = _DATELINE_TAIL.match(text, after + spans[0][1], end)
            return start, tail.end() if tail else after + spans[0][1]
    return None


# What closes a date line after its date: the year's word ("24 мая 2024 года.", "2024 жылы") and the stop.
_DATELINE_TAIL = re.compile(r"(?:\s*(?:года|год|г\.|жылы|жылғы|ж\.))?\s*[.,:]?")


# --- dates -------------------------------------------------------------------------------------------------------

_MONTH = "|".join(sorted((re.escape(m) for m in lx.MONTHS), key=len, reverse=True))
_M = rf"(?P<m>(?:{_MONTH}))\.?(?:[а-яәғқңөұүһі]{{0,4}})?"
_DAY_SUFFIX = r"(?:-?(?:го|е|ші|шы|інші|ыншы)|st|nd|rd|th)?"
_RANGE = r"\s*(?:[–—-]|по|to|until|and|и)\s*"
_DATE_PATTERNS = [
    re.compile(r"(?<![\d.])(?P<y>\d{4})-(?P<mn>\d{2})-(?P<d>\d{2})(?!\d)"),
    re.compile(r"(?<![\d.])(?P<d>\d{1,2})\.(?P<mn>\d{1,2})\.(?P<y>\d{4})(?![\d])"),
    re.compile(
        rf"(?<![\d.])(?P<y>\d{{4}})\s*(?:ж\.|жылғы|жылы|жыл)\s+(?:(?P<d1>\d{{1,2}}){_DAY_SUFFIX}{_RANGE})?"
        rf"(?P<d>\d{{1,2}}){_DAY_SUFFIX}\s+{_M}(?![^\W\d_])",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?<![\d.])(?:(?P<d1>\d{{1,2}}){_DAY_SUFFIX}(?:\s+(?P<m1>(?:{_MONTH}))\.?)?{_RANGE})?"
        rf"(?P<d>\d{{1,2}}){_DAY_SUFFIX}\s+(?:of\s+)?{_M}(?![^\W\d_])(?:,?\s+(?P<y>\d{{4}})(?!\d))?",
        re.IGNORECASE,
    ),
    re.compile(
        rf"(?<![\w]){_M}(?![^\W\d_])\s+(?P<d>\d{{1,2}})(?:st|nd|rd|th)?(?:\s*[–—-]\s*(?P<d2>\d{{1,2}}))?"
        rf"(?!\d)(?:,?\s+(?P<y>\d{{4}})(?!\d))?",
        re.IGNORECASE,
    ),
]
_PUBLISHED = re.compile(
    r"(published|posted|updated|date of publication|опубликовано|дата публикации|обновлено|жарияланды|"
    r"жарияланған|жаңартылды)[\s:]*$",
    re.IGNORECASE,
)
_TIME_AFTER = re.compile(r"^[,\s]*(\d{1,2}:\d{2})")


@dataclass
class DateHit:
    start: int
    end: int
    date: dt.date
    end_date: dt.date | None
    stamp: bool = False  # a publication stamp


def _month(name: str | None) -> int | None:
    if not name:
        return None
    word = name.lower().rstrip(".")
    if word in lx.MONTHS:
        return lx.MONTHS[word]
    for form in kazakh_forms(word):
        if form in lx.MONTHS:
            return lx.MONTHS[form]
    return None


def _make(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


_Raw = tuple[int, int, int | None, int, int, int | None, int | None]
_BARE_YEAR = re.compile(r"(?<![\d.,/-])(19[89]\d|20\d\d)(?![\d.,/-]?\d)")


def _raw_dates(text: str) -> list[_Raw]:
    """(start, end, year or None, month, day, first day of a range, its month) of every date written out."""
    raw: list[_Raw] = []
    taken: list[tuple[int, int]] = []
    for pattern in _DATE_PATTERNS:
        for match in pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in taken):
                continue
            groups = match.groupdict()
            month = int(groups["mn"]) if groups.get("mn") else _month(groups.get("m"))
            if month is None:
                continue
            year = int(groups["y"]) if groups.get("y") else None
            day = int(groups["d"])
            first_day = int(groups["d1"]) if groups.get("d1") else None
            first_month = _month(groups.get("m1")) if groups.get("m1") else None
            last_day = int(groups["d2"]) if groups.get("d2") else None
            if last_day is not None:  # "October 22-24": the match's day is the first
                first_day, day = day, last_day
            raw.append((start, end, year, month, day, first_day, first_month))
            taken.append((start, end))
    return raw


def date_spans(text: str) -> list[tuple[int, int]]:
    """Where dates are written, with or without a year (no figure is read there)."""
    return [(r[0], r[1]) for r in _raw_dates(text)]


def find_dates(text: str, published: dt.date | None = None) -> list[DateHit]:
    raw = _raw_dates(text)
    known_year = next((r[2] for r in sorted(raw) if r[2]), None)
    if known_year is None and published is None:
        # "22 октября" and, elsewhere, only "2015 г.": the one year the text names
        years = {int(y) for y in _BARE_YEAR.findall(text)}
        known_year = years.pop() if len(years) == 1 else None
    hits: list[DateHit] = []
    for start, end, year, month, day, first_day, first_month in raw:
        if year is None:
            year = known_year or (published.year if published else None)
            if year is None:
                continue
            if published and known_year is None and (month - published.month) > 6:
                year -= 1  # "on 28 December", published in January
        last = _make(year, month, day)
        if last is None or not 1990 <= year <= 2100:
            continue
        first = _make(year, first_month or month, first_day) if first_day else None
        if first is not None and first > last:
            first = None
        stamp = bool(_PUBLISHED.search(text[max(0, start - 40) : start])) or bool(
            _TIME_AFTER.match(text[end:])
        )
        hits.append(DateHit(start, end, first or last, last if first else None, stamp))
    if published:
        for token in tokenize(text):
            delta = lx.RELATIVE_DAYS.get(token.norm)
            if delta is not None:
                hits.append(DateHit(token.start, token.end, published + dt.timedelta(days=delta), None))
    return sorted(hits, key=lambda h: h.start)
