"""Finding the reference data's names in a press text: organisations and counterparts (names, short forms and other
names in kk/ru/en), states (core.Country's names and `relations_state_forms.csv`: short forms, adjectives,
demonyms), places (Kazakhstan's regional centres and cities, world capitals of `relations_places.csv`) and topics
(their keywords, a stem may end in `*`).

Matching is on normalised tokens, so Russian and Kazakh endings do not hide a name: a Russian text's words are
compared without their case endings ("Астане", "Астаной" → "астан"), a Kazakh word by the forms it may have had
before its case, possessive and plural suffixes ("Астанада" → "астана", "ЕҚЫҰ-ның" → "ЕҚЫҰ"), an English word
with and without a plural or possessive ending. A name written in capitals in the reference ("US", "ООН") matches
only capitals, a capitalised one only a capitalised word ("Turkey", not "turkey"). The longest name wins ("OSCE
Programme Office in Astana" over "OSCE"), and a word belongs to one name only.

`gazetteer_from_db()` builds from the database (cached per process; rebuilt when a reference row changed — the
rows are read on every call, their hash decides), `gazetteer_from_files()` from the CSV files alone (the
evaluation uses it, so its figures do not depend on a database's contents).
"""

from __future__ import annotations

import csv
import hashlib
import re
import threading
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.conf import settings

LANGUAGES = ("en", "ru", "kk")
ORG, STATE, PLACE, TOPIC = "organisation", "state", "place", "topic"
# Matched first when two names of the same length cover the same words ("Singapore": the state, then the city).
CATEGORY_ORDER = {ORG: 0, STATE: 1, PLACE: 2, TOPIC: 3}
HOME_STATE = "KZ"

STATE_FORMS_FILE = "relations_state_forms.csv"
PLACES_FILE = "relations_places.csv"
COUNTERPARTS_FILE = "relations_counterparts.csv"
TOPICS_FILE = "relations_topics.csv"
REGIONS_FILE = "kz_regions.csv"

# --- tokens ------------------------------------------------------------------------------------------------------

_TOKEN = re.compile(r"[^\W_]+(?:['’ʼ][^\W_]+)*")
_KAZAKH_LETTERS = set("әғқңөұүһіӘҒҚҢӨҰҮҺІ")
# Case endings a Kazakh text hyphenates onto a short form or a number ("АҚШ-тың", "ЕҚЫҰ-ға", "500-ден").
HYPHEN_SUFFIXES = frozenset(
    [
        "ның",
        "нің",
        "дың",
        "дің",
        "тың",
        "тің",
        "ға",
        "ге",
        "қа",
        "ке",
        "на",
        "не",
        "а",
        "е",
        "ны",
        "ні",
        "ды",
        "ді",
        "ты",
        "ті",
        "н",
        "да",
        "де",
        "та",
        "те",
        "нда",
        "нде",
        "дан",
        "ден",
        "тан",
        "тен",
        "нан",
        "нен",
        "мен",
        "бен",
        "пен",
        "дағы",
        "дегі",
        "тағы",
        "тегі",
        "ндағы",
        "ндегі",
        "ші",
        "шы",
        "ыншы",
        "інші",
        "ншы",
        "нші",
        "ға",
        "дейін",
        "ке",
        "дейін",
        "сы",
        "сі",
        "ы",
        "і",
        "ге",
        "дейін",
        "шақты",
    ]
)
_CASE = [
    "ндағы",
    "ндегі",
    "дағы",
    "дегі",
    "тағы",
    "тегі",
    "менен",
    "ның",
    "нің",
    "дың",
    "дің",
    "тың",
    "тің",
    "нда",
    "нде",
    "дан",
    "ден",
    "тан",
    "тен",
    "нан",
    "нен",
    "мен",
    "бен",
    "пен",
    "ға",
    "ге",
    "қа",
    "ке",
    "на",
    "не",
    "ны",
    "ні",
    "ды",
    "ді",
    "ты",
    "ті",
    "да",
    "де",
    "та",
    "те",
    "а",
    "е",
    "н",
]
_POSSESSIVE = ["ымыз", "іміз", "мыз", "міз", "сы", "сі", "ым", "ім", "ың", "ің", "ы", "і"]
_PLURAL = ["лар", "лер", "дар", "дер", "тар", "тер"]
_VOICED = {"б": "п", "г": "к", "ғ": "қ"}


@dataclass(frozen=True)
class Token:
    text: str  # as written
    norm: str  # lower case, ё → е, an English possessive dropped
    start: int
    end: int
    attached: bool = False  # a Kazakh ending hyphenated onto the word before it

    @property
    def upper(self) -> bool:
        return self.text.isupper()

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()


def normalise(word: str) -> str:
    word = unicodedata.normalize("NFC", word).lower().replace("ё", "е").replace("’", "'").replace("ʼ", "'")
    if word.endswith("'s"):
        word = word[:-2]
    return word


def tokenize(text: str) -> list[Token]:
    tokens: list[Token] = []
    for match in _TOKEN.finditer(text):
        word = match.group()
        start = match.start()
        previous = tokens[-1] if tokens else None
        attached = bool(
            previous is not None
            and start >= 2
            and text[start - 1] in "-‑"
            and previous.end == start - 1
            and word.lower() in HYPHEN_SUFFIXES
            and (previous.upper or previous.text.isdigit())
        )
        tokens.append(Token(word, normalise(word), start, match.end(), attached))
    return tokens


def detect_language(text: str) -> str:
    """ "kk", "ru" or "en", from the letters: Cyrillic with the letters only Kazakh has is Kazakh."""
    sample = text[:20000]
    latin = cyrillic = kazakh = 0
    for char in sample:
        if "a" <= char.lower() <= "z":
            latin += 1
        elif "\u0400" <= char <= "\u04ff":
            cyrillic += 1
            if char in _KAZAKH_LETTERS:
                kazakh += 1
    if cyrillic <= latin:
        return "en"
    return "kk" if kazakh >= max(3, cyrillic * 0.015) else "ru"


# Russian noun and adjective endings, longest first: a word is kept without its longest one, and a text's word is
# looked up without each one it may carry ("Астане" → "астан", "китайской" → "китайск").
_RUSSIAN_ENDINGS = [
    "иями",
    "ями",
    "ами",
    "ыми",
    "ими",
    "ией",
    "ого",
    "его",
    "ому",
    "ему",
    "ая",
    "яя",
    "ое",
    "ее",
    "ые",
    "ие",
    "ый",
    "ий",
    "ой",
    "ей",
    "ую",
    "юю",
    "ым",
    "им",
    "ых",
    "их",
    "ах",
    "ях",
    "ов",
    "ев",
    "ом",
    "ем",
    "ам",
    "ям",
    "ию",
    "ия",
    "ии",
    "ье",
    "ья",
    "ьи",
    "ью",
    "а",
    "я",
    "о",
    "е",
    "ы",
    "и",
    "у",
    "ю",
    "й",
    "ь",
]


@lru_cache(maxsize=50000)
def russian_forms(word: str) -> frozenset[str]:
    forms = {word}
    for ending in _RUSSIAN_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 2:
            forms.add(word[: -len(ending)])
    return frozenset(forms)


@lru_cache(maxsize=50000)
def russian_base(word: str) -> str:
    return min(russian_forms(word), key=len)


def _strip(words: set[str], suffixes: list[str]) -> set[str]:
    found = set(words)
    for word in words:
        for suffix in suffixes:
            if word.endswith(suffix) and len(word) - len(suffix) >= 2:
                found.add(word[: -len(suffix)])
    return found


@lru_cache(maxsize=50000)
def kazakh_forms(word: str) -> frozenset[str]:
    """The forms a Kazakh word may have had before its case, possessive and plural suffixes (with the voiced
    final consonant unvoiced: "кітабы" → "кітап")."""
    forms = _strip(_strip(_strip({word}, _CASE), _POSSESSIVE), _PLURAL)
    forms |= {form[:-1] + _VOICED[form[-1]] for form in forms if form and form[-1] in _VOICED}
    return frozenset(forms)


@lru_cache(maxsize=50000)
def keys(norm: str, language: str) -> frozenset[str]:
    """What a text's word may be looked up as in `language`'s index."""
    if language == "ru":
        return russian_forms(norm)
    if language == "kk":
        return kazakh_forms(norm)
    found = {norm}
    if len(norm) > 3 and norm.endswith("s"):
        found.add(norm[:-1])
        if norm.endswith("es") and len(norm) > 4:
            found.add(norm[:-2])
        if norm.endswith("ies"):
            found.add(norm[:-3] + "y")
    return frozenset(found)


def base(norm: str, language: str) -> str:
    """How a reference name's word is kept in `language`'s index."""
    return russian_base(norm) if language == "ru" else norm


def word_matches(a: str, b: str, language: str) -> bool:
    """Two words are the same word in different forms (the evaluation's comparison)."""
    first, second = normalise(a), normalise(b)
    return base(first, language) in keys(second, language) or base(second, language) in keys(first, language)


def contains(words: frozenset[str], token: Token, language: str) -> bool:
    """The token is one of `words` (kept by `base`) in some form."""
    return bool(keys(token.norm, language) & words)


# --- the index ---------------------------------------------------------------------------------------------------

NO_CASE, CAPITALISED, CAPITALS = 0, 1, 2


@dataclass(frozen=True)
class Pattern:
    value: str
    prefix: bool  # a keyword's stem ending in "*": any word that starts with it
    case: int

    def accepts(self, token: Token, language: str) -> bool:
        if self.case == CAPITALS and not token.upper:
            return False
        if self.case == CAPITALISED and not token.capitalised:
            return False
        if self.prefix:
            return token.norm.startswith(self.value)
        return self.value in keys(token.norm, language)


@dataclass(frozen=True)
class Target:
    category: str
    key: str


@dataclass
class Entry:
    patterns: tuple[Pattern, ...]
    targets: list[Target]
    order: int


@dataclass(frozen=True)
class Mention:
    category: str
    key: str
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class OrgInfo:
    code: str
    kind: str
    name_en: str
    country: str  # a foreign authority's state (ISO2), else ""
    parent: str  # the parent's code, else ""


@dataclass(frozen=True)
class PlaceInfo:
    key: str
    name_en: str
    name_ru: str
    name_kk: str
    country: str

    def name(self, language: str) -> str:
        return {"ru": self.name_ru, "kk": self.name_kk}.get(language, "") or self.name_en


PREFIX_INDEX = 3


@dataclass
class Gazetteer:
    orgs: dict[str, OrgInfo] = field(default_factory=dict)
    places: dict[str, PlaceInfo] = field(default_factory=dict)
    states: dict[str, str] = field(default_factory=dict)  # ISO2 → English name
    topics: dict[str, str] = field(default_factory=dict)  # code → English name
    _index: dict[str, dict[str, list[Entry]]] = field(default_factory=dict)
    _prefixes: dict[str, dict[str, list[Entry]]] = field(default_factory=dict)
    _seen: dict[tuple[str, tuple[Pattern, ...]], Entry] = field(default_factory=dict)
    _count: int = 0

    def add(self, form: str, target: Target, *, case_sensitive: bool = True) -> None:
        """Index one written form of a name (any language) in every language's index."""
        form = form.strip()
        tokens = [t for t in tokenize(form) if not t.attached]
        if not tokens or (len(tokens) == 1 and len(tokens[0].norm) < 2):
            return
        for language in LANGUAGES:
            patterns = []
            for token in tokens:
                prefix = form[token.end : token.end + 1] == "*"
                case = NO_CASE
                if case_sensitive and token.upper and (len(token.text) >= 2 or len(tokens) > 1):
                    case = CAPITALS
                elif case_sensitive and token.capitalised:
                    case = CAPITALISED
                value = token.norm if prefix else base(token.norm, language)
                if prefix and len(value) < PREFIX_INDEX:
                    prefix, value = False, base(token.norm, language)
                patterns.append(Pattern(value, prefix, case))
            key = (language, tuple(patterns))
            entry = self._seen.get(key)
            if entry is not None:
                if target not in entry.targets:
                    entry.targets.append(target)
                continue
            self._count += 1
            entry = Entry(tuple(patterns), [target], self._count)
            self._seen[key] = entry
            first = patterns[0]
            if first.prefix:
                self._prefixes.setdefault(language, {}).setdefault(first.value[:PREFIX_INDEX], []).append(
                    entry
                )
            else:
                self._index.setdefault(language, {}).setdefault(first.value, []).append(entry)

    def _candidates(self, token: Token, language: str) -> Iterator[Entry]:
        index = self._index.get(language, {})
        for key in keys(token.norm, language):
            yield from index.get(key, ())
        yield from self._prefixes.get(language, {}).get(token.norm[:PREFIX_INDEX], ())

    def find(self, text: str, language: str, tokens: list[Token] | None = None) -> list[Mention]:
        """Every name in the text, the longest first, none overlapping (in reading order); one mention per target
        the words may mean."""
        words = [t for t in (tokens if tokens is not None else tokenize(text)) if not t.attached]
        found: list[tuple[int, int, Entry]] = []  # first word, number of words, entry
        for i, word in enumerate(words):
            best: Entry | None = None
            for entry in self._candidates(word, language):
                size = len(entry.patterns)
                if i + size > len(words):
                    continue
                if not all(p.accepts(words[i + j], language) for j, p in enumerate(entry.patterns)):
                    continue
                if best is None or (size, -entry.order) > (len(best.patterns), -best.order):
                    best = entry
            if best is not None:
                found.append((i, len(best.patterns), best))
        taken = [False] * len(words)
        chosen: list[tuple[int, int, Entry]] = []
        for i, size, entry in sorted(found, key=lambda f: (-f[1], f[0])):
            if not any(taken[i : i + size]):
                taken[i : i + size] = [True] * size
                chosen.append((i, size, entry))
        mentions: list[Mention] = []
        for i, size, entry in sorted(chosen, key=lambda c: c[0]):
            start, end = words[i].start, words[i + size - 1].end
            for target in sorted(entry.targets, key=lambda t: CATEGORY_ORDER.get(t.category, 9)):
                mentions.append(Mention(target.category, target.key, start, end, text[start:end]))
        return mentions


# --- building ----------------------------------------------------------------------------------------------------


def split_names(value: str) -> list[str]:
    """The other names of a counterpart or a topic's keywords: one per line, or separated by " | "."""
    return [part.strip() for part in re.split(r"\n|\s\|\s|\|", value or "") if part.strip()]


DOMESTIC = "domestic_agency"
# "… of the Republic of Kazakhstan", "Агентство Республики Казахстан по …", "Қазақстан Республикасының …": a
# domestic agency is named without its state as often as with it.
_HOME_STATE_IN_NAME = re.compile(
    r"\s+of\s+(the\s+)?(Republic\s+of\s+)?Kazakhstan\b|\s+Республики\s+Казахстан\b|\s+РК\b|"
    r"^Қазақстан\s+Республикасы(ның)?\s+|^ҚР\s+"
)


def _without_home_state(name: str) -> str:
    return re.sub(r"\s{2,}", " ", _HOME_STATE_IN_NAME.sub(" ", name)).strip()


def _city_name(name: str) -> str:
    """A city of republican significance's name without "г." / "қаласы" / "city"."""
    name = re.sub(r"^(г\.|город)\s*", "", name.strip())
    return re.sub(r"\s+(қаласы|city|City)$", "", name).strip()


@dataclass(frozen=True)
class Rows:
    """The reference rows a gazetteer is built from (from the database or the CSV files)."""

    # code, kind, name_en, name_ru, name_kk, abbr_en, abbr_ru, abbr_kk, aliases, country, parent code
    counterparts: tuple[tuple[str, ...], ...]
    # iso2, name_en, name_ru, name_kk
    countries: tuple[tuple[str, ...], ...]
    # code, name_en, name_ru, name_kk, keywords
    topics: tuple[tuple[str, ...], ...]
    # name_en, name_ru, name_kk (a city's names)
    cities: tuple[tuple[str, ...], ...]


def _reference_dir() -> Path:
    return Path(settings.BASE_DIR) / "data" / "reference"


def _read(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return [{k: (v or "").strip() for k, v in row.items() if k} for row in csv.DictReader(handle)]


@lru_cache(maxsize=4)
def _file_rows(directory: str) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """relations_state_forms.csv and relations_places.csv (read once per process: they change with a release)."""
    folder = Path(directory)
    return _read(folder / STATE_FORMS_FILE), _read(folder / PLACES_FILE)


def build(rows: Rows, directory: Path | None = None) -> Gazetteer:
    folder = directory or _reference_dir()
    state_forms, places = _file_rows(str(folder))
    gazetteer = Gazetteer()
    for code, kind, *names, aliases, country, parent in rows.counterparts:
        gazetteer.orgs[code] = OrgInfo(code, kind, names[0], country, parent)
        target = Target(ORG, code)
        forms = [name for name in (*names, *split_names(aliases)) if name]
        if kind == DOMESTIC:
            forms += [short for name in forms if (short := _without_home_state(name)) != name]
        for name in forms:
            gazetteer.add(name, target)
    known_states = set()
    for iso2, *names in rows.countries:
        known_states.add(iso2)
        gazetteer.states[iso2] = names[0]
        for name in names:
            if name:
                gazetteer.add(name, Target(STATE, iso2))
    for row in state_forms:
        iso2 = row.get("iso2", "").upper()
        if iso2 in known_states and row.get("form"):
            gazetteer.add(row["form"], Target(STATE, iso2))
    for row in places:
        key = normalise(row.get("name_en", ""))
        if not key:
            continue
        gazetteer.places[key] = PlaceInfo(
            key, row["name_en"], row.get("name_ru", ""), row.get("name_kk", ""), row.get("iso2", "").upper()
        )
        for name in (
            row["name_en"],
            row.get("name_ru", ""),
            row.get("name_kk", ""),
            *split_names(row.get("aliases", "")),
        ):
            if name:
                gazetteer.add(name, Target(PLACE, key))
    for name_en, name_ru, name_kk in rows.cities:
        names = [_city_name(n) for n in (name_en, name_ru, name_kk)]
        key = normalise(names[0])
        if not key:
            continue
        if key not in gazetteer.places:
            gazetteer.places[key] = PlaceInfo(key, names[0], names[1], names[2], HOME_STATE)
        for name in names:
            if name:
                gazetteer.add(name, Target(PLACE, key))
    for code, *names, keywords in rows.topics:
        gazetteer.topics[code] = names[0]
        for name in (*names, *split_names(keywords)):
            if name:
                gazetteer.add(name, Target(TOPIC, code), case_sensitive=False)
    return gazetteer


def _fingerprint(rows: Rows) -> str:
    return hashlib.sha256(repr(rows).encode("utf-8")).hexdigest()


_cache: dict[str, Gazetteer] = {}
_cache_lock = threading.Lock()


def _cached(rows: Rows, directory: Path | None = None) -> Gazetteer:
    key = _fingerprint(rows) + str(directory or "")
    with _cache_lock:
        found = _cache.get(key)
    if found is None:
        found = build(rows, directory)
        with _cache_lock:
            _cache.clear()  # only the current reference data is worth keeping
            _cache[key] = found
    return found


def db_rows() -> Rows:
    from prokuratura.core.models import Country, Region

    from ..models import Counterpart, Topic

    parents = dict(Counterpart.objects.values_list("id", "code"))
    counterparts = tuple(
        (
            code,
            kind,
            name_en,
            name_ru,
            name_kk,
            abbr_en,
            abbr_ru,
            abbr_kk,
            aliases,
            country or "",
            parents.get(parent, ""),
        )
        for code, kind, name_en, name_ru, name_kk, abbr_en, abbr_ru, abbr_kk, aliases, country, parent in (
            Counterpart.objects.filter(is_active=True)
            .order_by("ordering", "id")
            .values_list(
                "code",
                "kind",
                "name_en",
                "name_ru",
                "name_kk",
                "abbreviation_en",
                "abbreviation_ru",
                "abbreviation_kk",
                "aliases",
                "country_id",
                "parent_id",
            )
        )
    )
    cities: list[tuple[str, ...]] = []
    for unit, name_en, name_ru, name_kk, centre_en, centre_ru, centre_kk in Region.objects.values_list(
        "unit_type", "name_en", "name_ru", "name_kk", "admin_center", "admin_center_ru", "admin_center_kk"
    ):
        if unit == Region.UnitType.CITY:
            cities.append((name_en, name_ru, name_kk))
        elif centre_en:
            cities.append((re.sub(r"\s*\(.*\)$", "", centre_en), centre_ru, centre_kk))
    return Rows(
        counterparts=counterparts,
        countries=tuple(
            Country.objects.order_by("iso2").values_list("iso2", "name_en", "name_ru", "name_kk")
        ),
        topics=tuple(
            Topic.objects.order_by("ordering", "code").values_list(
                "code", "name_en", "name_ru", "name_kk", "keywords"
            )
        ),
        cities=tuple(cities),
    )


def gazetteer_from_db() -> Gazetteer:
    """The gazetteer of the database's reference rows (4 queries; built again only when a row changed)."""
    return _cached(db_rows())


def _pycountry_rows() -> tuple[tuple[str, ...], ...]:
    import pycountry

    from prokuratura.core.reference import _country_catalogues, _translated

    ru, kk = _country_catalogues()
    rows = []
    for country in sorted(pycountry.countries, key=lambda c: c.alpha_2):
        name_ru = _translated(ru, country.name) or country.name
        rows.append((country.alpha_2, country.name, name_ru, _translated(kk, country.name) or name_ru))
    return tuple(rows)


def file_rows(directory: Path | None = None) -> Rows:
    """The rows the reference files and pycountry give (what `load_reference` and `load_relations` load)."""
    folder = directory or _reference_dir()
    counterparts = tuple(
        (
            r.get("code", ""),
            r.get("kind", ""),
            r.get("name_en", ""),
            r.get("name_ru", ""),
            r.get("name_kk", ""),
            r.get("abbreviation_en", ""),
            r.get("abbreviation_ru", ""),
            r.get("abbreviation_kk", ""),
            r.get("aliases", ""),
            r.get("country_iso2", "").upper(),
            r.get("parent_code", ""),
        )
        for r in _read(folder / COUNTERPARTS_FILE)
        if r.get("code")
    )
    topics = tuple(
        (r["code"], r.get("name_en", ""), r.get("name_ru", ""), r.get("name_kk", ""), r.get("keywords", ""))
        for r in _read(folder / TOPICS_FILE)
        if r.get("code")
    )
    cities: list[tuple[str, ...]] = []
    for r in _read(folder / REGIONS_FILE):
        if r.get("unit_type") == "city_republican":
            cities.append((r.get("name_en", ""), r.get("name_ru", ""), r.get("name_kk", "")))
        elif r.get("admin_center_en"):
            centre = re.sub(r"\s*\(.*\)$", "", r["admin_center_en"])
            cities.append((centre, r.get("admin_center_ru", ""), r.get("admin_center_kk", "")))
    return Rows(counterparts=counterparts, countries=_pycountry_rows(), topics=topics, cities=tuple(cities))


def gazetteer_from_files(directory: Path | None = None) -> Gazetteer:
    return _cached(file_rows(directory), directory)
