"""A press text → a draft event: pure functions over the text and a `Gazetteer` (no database access here).

What is read, and the rules (docs/PRESS_IMPORT.md has the examples):

- **date**: a date line's date ("ASTANA, 22 October 2015 – …") first; else the first date in reading order —
  "22 October 2015", "October 22, 2015", "22.10.2015", "2015-10-22", "22 октября 2015 г.", "2015 жылғы 22 қазан",
  ranges ("5–13 May 2009", "с 5 по 13 мая") give the end date too; "today"/"сегодня"/"бүгін" (and yesterday,
  tomorrow) count from the publication date when it is given. A date without a year takes the year of a full
  date in the text, else of the publication date. A stamp such as "Published: 12.03.2024" is the publication
  date, not the event's. No date found: `date` is None and the draft says so.
- **place**: the city of the date line; else the first place after "in"/"в"/"во" or with a Kazakh locative
  ending ("Астанада"), in the headline and lead first.
- **kind**: cue words ("familiarisation visit", "conference", "seminar", "visit", "negotiations", "signed",
  "met"…) in the headline, else the lead, else the whole text; when several kinds are cued in the same part the
  more specific wins (familiarisation, conference, training, visit, negotiation, signing, meeting). A visit is
  incoming when it takes place in Kazakhstan, outgoing when abroad. Nothing cued: a meeting.
- **organisations**, **states**, **topics**: the gazetteer's matches, one item per organisation/state/topic
  (its first mention); Kazakhstan is not listed among the states (it is always there), nor a state named only
  inside an organisation's name.
- **officials**: a person's name (two to four capitalised words, or initials and a surname) right after a title
  ("Deputy Prosecutor General Andrey Kravchenko", "заместитель Генерального прокурора Андрей Кравченко",
  "Бас прокурордың орынбасары Андрей Кравченко") or followed by one after a comma ("Andrey Kravchenko, Deputy
  Prosecutor General"). The official belongs to the state or organisation the title names; else, when the
  sentence names exactly one, to it; a prosecutor's title with no foreign state is Kazakhstan's prosecution
  service; else to the principal organisation; else the officer chooses.
- **figures**: every number in digits or words (2 and up: "one" is left out) with its subject, "more than",
  "around", "thousand", "млн", "мың" and Kazakh "астам"/"жуық" taken in; not dates, years (1900–2100), times,
  ordinals, article and document numbers ("Article 5", "№ 12", "5-бап"), nor number-word compounds ("two-day").
- **title**: the headline (a short first line), else the first sentence; **summary**: the first paragraph.
Every item keeps the words it matched and the sentence it came from, with offsets into the text.
"""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

from ..models import CounterpartKind, EventKind
from . import lexicon as lx
from .dates import date_spans, dateline, find_dates
from .draft import Draft, OfficialItem, OrgItem, StateItem, TopicItem
from .figures import Figures
from .gazetteer import (
    HOME_STATE,
    ORG,
    PLACE,
    STATE,
    TOPIC,
    Gazetteer,
    Mention,
    Target,
    detect_language,
    tokenize,
)
from .officials import Officials
from .sentences import Sentences, paragraphs, sentences

MAX_TITLE = 300
KIND = "kind"


# --- kinds -------------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def _cues() -> Gazetteer:
    cues = Gazetteer()
    for kind, phrases in lx.KIND_CUES:
        for phrase in phrases:
            cues.add(phrase, Target(KIND, str(kind)), case_sensitive=False)
    return cues


_KIND_ORDER = {str(kind): n for n, (kind, _p) in enumerate(lx.KIND_CUES)}


# --- the extractor -----------------------------------------------------------------------------------------------

_HOME_PROSECUTION = ("prosecutor", "прокурор", "прокуроры", "генпрокурор")


def _home_prosecution(gazetteer: Gazetteer) -> str:
    """The code of Kazakhstan's prosecution service among the domestic agencies (its English name says so)."""
    for code, info in gazetteer.orgs.items():
        if info.kind == CounterpartKind.DOMESTIC_AGENCY and "prosecutor general" in info.name_en.lower():
            return code
    return ""


def extract(text: str, gazetteer: Gazetteer, *, published: dt.date | None = None) -> Draft:
    """The draft event of a cleaned press text (press.text.checked)."""
    language = detect_language(text)
    draft = Draft(text=text, language=language, published_on=published)
    tokens = tokenize(text)
    mentions = _foreign_authorities(text, gazetteer, gazetteer.find(text, language, tokens))
    found = Sentences(text)
    paras = paragraphs(text)
    line = dateline(text, paras, mentions)

    # the headline, the lead (its first paragraph) and the summary
    title_span, lead_span = _title_and_lead(text, paras, line, mentions)
    draft.title = _clean_title(text[title_span[0] : title_span[1]]) if title_span else ""
    if lead_span:
        lead_start = line[1] if line and lead_span[0] <= line[0] < lead_span[1] else lead_span[0]
        draft.summary = text[lead_start : lead_span[1]].strip(" –—-")
    zones = [z for z in (title_span, lead_span, (0, len(text))) if z]

    # the date
    dates = find_dates(text, published)
    stamps = [h for h in dates if h.stamp]
    if published is None and stamps:
        draft.published_on = stamps[0].date
        dates = find_dates(text, draft.published_on)
    dates = [h for h in dates if not h.stamp]
    chosen = None
    if line:
        chosen = next((h for h in dates if line[0] <= h.start < line[1]), None)
        lead = zones[1] if len(zones) > 2 else zones[0]
        if chosen is not None:
            day = chosen.date
            spans = [
                h for h in dates if lead[0] <= h.start < lead[1] and h.date <= day <= (h.end_date or h.date)
            ]
            chosen = next(
                (h for h in spans if h.end_date), chosen
            )  # "(12 May 2023) – … concluded a visit from 3 to 12 May": the visit's dates
    if chosen is None and dates:
        chosen = dates[0]
    if chosen is not None:
        draft.date, draft.end_date = chosen.date, chosen.end_date
        draft.date_found = found.found(chosen.start, chosen.end)

    # the place
    place = _place(gazetteer, text, mentions, line, zones, language)
    if place is not None:
        info = gazetteer.places[place.key]
        draft.place, draft.place_name, draft.country = info.key, info.name(language), info.country
        draft.place_found = found.found(place.start, place.end)

    # organisations, states, topics: the first mention of each
    seen: set[tuple[str, str]] = set()
    inside_orgs = [(m.start, m.end) for m in mentions if m.category == ORG]
    for mention in mentions:
        key = (mention.category, mention.key)
        if key in seen:
            continue
        if mention.category == ORG:
            seen.add(key)
            org = gazetteer.orgs[mention.key]
            draft.organisations.append(
                OrgItem(mention.key, org.name_en, org.kind, found.found(mention.start, mention.end))
            )
        elif mention.category == STATE and mention.key != HOME_STATE:
            if any(
                s <= mention.start and mention.end <= e and (s, e) != (mention.start, mention.end)
                for s, e in inside_orgs
            ):
                continue
            seen.add(key)
            draft.states.append(
                StateItem(
                    mention.key,
                    gazetteer.states.get(mention.key, mention.key),
                    found.found(mention.start, mention.end),
                )
            )
        elif mention.category == TOPIC:
            seen.add(key)
            draft.topics.append(
                TopicItem(
                    mention.key,
                    gazetteer.topics.get(mention.key, mention.key),
                    found.found(mention.start, mention.end),
                )
            )

    draft.principal = _principal(draft, zones)

    # the kind
    cue = _kind(text, language, zones)
    if cue is not None:
        kind, start, end = cue
        if kind == lx.VISIT:
            abroad = draft.country and draft.country != HOME_STATE
            kind = EventKind.OUTGOING_VISIT if abroad else EventKind.INCOMING_VISIT
        draft.kind = kind
        draft.kind_found = found.found(start, end)
    if draft.kind in (EventKind.INCOMING_VISIT, EventKind.FAMILIARISATION) and not draft.country:
        draft.country = HOME_STATE

    # officials
    months = frozenset(lx.MONTHS)
    home = _home_prosecution(gazetteer)
    for name, title, n_start, n_end, t_start, t_end in Officials(
        text, tokens, language, mentions, months
    ).find(found):
        state, code = _affiliation(draft, gazetteer, mentions, found, title, t_start, t_end, n_start, home)
        start = min(n_start, t_start)
        draft.officials.append(OfficialItem(name, title, state, code, found.found(start, max(n_end, t_end))))
    principal = gazetteer.orgs.get(draft.principal)
    if principal is not None and principal.kind == CounterpartKind.MANDATE:
        holder = next((o for o in draft.officials if o.organisation == draft.principal), None)
        draft.holder_name = holder.name if holder else ""

    # figures (not inside a date)
    blocked = date_spans(text) + [(h.start, h.end) for h in find_dates(text, draft.published_on)]
    draft.figures = Figures(text, tokens, language, blocked, mentions).scan(found)
    return draft


def _foreign_authorities(text: str, gazetteer: Gazetteer, mentions: list[Mention]) -> list[Mention]:
    """ "Генеральной прокуратуры Кыргызстана", "Министерство юстиции Турции": a domestic agency's name followed by
    a foreign state is that state's authority (the one whose English name shares most words with it)."""
    result: list[Mention] = []
    skip = -1
    for n, mention in enumerate(mentions):
        if n <= skip:
            continue
        following = mentions[n + 1] if n + 1 < len(mentions) else None
        agency = gazetteer.orgs.get(mention.key) if mention.category == ORG else None
        if (
            agency is not None
            and agency.kind == CounterpartKind.DOMESTIC_AGENCY
            and following is not None
            and following.category == STATE
            and following.key != HOME_STATE
            and re.fullmatch(r"\s*(of\s+)?(the\s+)?", text[mention.end : following.start])
        ):
            words = set(agency.name_en.lower().split())
            candidates = [
                o
                for o in gazetteer.orgs.values()
                if o.kind == CounterpartKind.FOREIGN_AUTHORITY and o.country == following.key
            ]
            if candidates:
                best = max(candidates, key=lambda o: len(words & set(o.name_en.lower().split())))
                result.append(
                    Mention(ORG, best.code, mention.start, following.end, text[mention.start : following.end])
                )
                skip = n + 1
                continue
        result.append(mention)
    return result


def _clean_title(title: str) -> str:
    title = re.sub(r"\s+", " ", title).strip(" –—-")
    return title if len(title) <= MAX_TITLE else title[: MAX_TITLE - 1].rsplit(" ", 1)[0] + "…"


_BOILERPLATE = re.compile(
    r"^(press[ -]release|news|пресс-релиз|новости|сообщение для печати|баспасөз релизі|баспасөз хабарламасы|"
    r"жаңалықтар)\W*$",
    re.IGNORECASE,
)


def _boilerplate(line: str, mentions: list[Mention]) -> bool:
    """A line that is not the headline: "PRESS RELEASE", or only the name of the office that issues it."""
    stripped = line.strip()
    if _BOILERPLATE.match(stripped):
        return True
    return any(m.category == ORG and m.text.strip() == stripped for m in mentions)


def _title_and_lead(
    text: str, paras: list[tuple[int, int]], dateline: tuple[int, int] | None, mentions: list[Mention]
) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    if not paras:
        return None, None
    while len(paras) > 2 and _boilerplate(text[paras[0][0] : paras[0][1]], mentions):
        paras = paras[1:]  # "PRESS RELEASE", the issuing office's name
    first = paras[0]
    first_text = text[first[0] : first[1]]
    headline = (
        len(paras) > 1
        and len(first_text) <= 250
        and not (dateline and first[0] <= dateline[0] < first[1])
        and not re.search(r"[.!?]\s+\S", first_text.rstrip(". "))
    )
    if headline:
        lead = next((p for p in paras[1:] if p[1] - p[0] >= 40), paras[1])
        return first, lead
    spans = sentences(text)
    if dateline and dateline[0] == first[0]:  # the sentence after the date line
        end = next((e for _s, e in spans if e > dateline[1]), first[1])
        return (dateline[1], end), first
    return spans[0], first


def _place(
    gazetteer: Gazetteer,
    text: str,
    mentions: list[Mention],
    dateline: tuple[int, int] | None,
    zones: list[tuple[int, int]],
    language: str,
) -> Mention | None:
    places = [m for m in mentions if m.category == PLACE]
    if dateline:
        heads = [m for m in places if dateline[0] <= m.start < dateline[1]]
        home = [m for m in heads if gazetteer.places[m.key].country == HOME_STATE]
        if heads:  # "GENEVA / ASTANA (…) –": the place in Kazakhstan
            return (home or heads)[0]
    for zone in zones:
        for mention in places:
            if not zone[0] <= mention.start < zone[1]:
                continue
            before = text[max(0, mention.start - 4) : mention.start].lower()
            if language == "en" and re.search(
                r"\b(in|at)\s+(the\s+)?$", text[max(0, mention.start - 8) : mention.start].lower()
            ):
                return mention
            if language == "ru" and re.search(r"\b(в|во)\s+$", before):
                return mention
            if language == "kk" and re.search(
                r"(да|де|та|те|нда|нде|дағы|дегі|тағы|тегі)$",
                text[mention.start : mention.end + 6].split()[0].lower()
                if text[mention.start :].split()
                else "",
            ):
                return mention
    return None


def _kind(text: str, language: str, zones: list[tuple[int, int]]) -> tuple[str, int, int] | None:
    cues = _cues().find(text, language)
    # A familiarisation trip cued in the headline or the lead is the event, whatever else it held (a meeting).
    head_end = zones[1][1] if len(zones) > 2 else zones[0][1]
    trip = [m for m in cues if m.key == str(EventKind.FAMILIARISATION) and m.start < head_end]
    if trip:
        return trip[0].key, trip[0].start, trip[0].end
    for zone in zones:
        inside = [m for m in cues if zone[0] <= m.start < zone[1]]
        if inside:
            best = min(inside, key=lambda m: (_KIND_ORDER[m.key], m.start))
            return best.key, best.start, best.end
    return None


def _principal(draft: Draft, zones: list[tuple[int, int]]) -> str:
    """The counterpart the event is about: a mandate first, else the first organisation that is not Kazakh in
    the headline and lead, else in the text."""
    orgs = draft.organisations
    mandates = [o for o in orgs if o.kind == CounterpartKind.MANDATE]
    if mandates:
        return mandates[0].code
    foreign = [o for o in orgs if o.kind != CounterpartKind.DOMESTIC_AGENCY]
    for zone in zones:
        inside = [o for o in foreign if zone[0] <= o.found.start < zone[1]]
        if inside:
            return inside[0].code
    return ""


def _affiliation(
    draft: Draft,
    gazetteer: Gazetteer,
    mentions: list[Mention],
    found: Sentences,
    title: str,
    t_start: int,
    t_end: int,
    n_start: int,
    home: str,
) -> tuple[str, str]:
    """(state ISO2, organisation code) the official belongs to (see the module's rules)."""

    def choose(candidates: list[Mention]) -> tuple[str, str] | None:
        for mention in candidates:
            if mention.category == ORG:
                return "", mention.key
            if mention.category == STATE and mention.key != HOME_STATE:
                return mention.key, ""
        return None

    in_title = [m for m in mentions if t_start <= m.start < t_end and m.category in (ORG, STATE)]
    chosen = choose(in_title)
    if chosen:
        return chosen
    prosecutor = any(word in title.lower() for word in _HOME_PROSECUTION)
    home_state = not in_title or any(m.category == STATE and m.key == HOME_STATE for m in in_title)
    if prosecutor and home_state and home:
        return "", home
    s_start, s_end = found.span(n_start)
    in_sentence = [m for m in mentions if s_start <= m.start < s_end and m.category in (ORG, STATE)]
    foreign = [m for m in in_sentence if not (m.category == STATE and m.key == HOME_STATE)]
    if len({(m.category, m.key) for m in foreign}) == 1:
        chosen = choose(foreign)
        if chosen:
            return chosen
    if draft.principal:
        return "", draft.principal
    return "", ""
