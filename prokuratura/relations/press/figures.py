"""Figures in a press text: every number (digits or words) with its subject, in kk/ru/en."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from . import lexicon as lx
from .draft import FigureItem
from .gazetteer import ORG, Mention, Token, kazakh_forms
from .sentences import Sentences

# --- numbers and figures -----------------------------------------------------------------------------------------

_ORDINAL_SUFFIXES = frozenset(
    [
        "й",
        "го",
        "я",
        "е",
        "м",
        "х",
        "ый",
        "ой",
        "ий",
        "ая",
        "ое",
        "ые",
        "ого",
        "ому",
        "ым",
        "ом",
        "ши",
        "ші",
        "шы",
        "ыншы",
        "інші",
        "ншы",
        "нші",
    ]
)
_COMPOUND_GAP = ("-", "‑", "–")


def gap(text: str, a: Token, b: Token) -> str:
    return text[a.end : b.start]


def _is_adjective_ru(word: str) -> bool:
    return len(word) > 3 and word.endswith(lx.RU_ADJECTIVE_ENDINGS)


_KK_VERB = re.compile(
    r"(ды|ді|ты|ті|ған|ген|қан|кен|ады|еді|йды|йді|атын|етін|уда|уде|ып|іп|ылды|ілді|қойды)$"
)
_KK_ADJECTIVE = re.compile(r"(лық|лік|дық|дік|тық|тік|ғы|гі|қы|кі|ты|ті)$")


@dataclass
class _Number:
    value: Decimal
    first: int  # token index
    last: int  # token index of the number's last word (a multiplier included)


class Figures:
    def __init__(
        self,
        text: str,
        tokens: list[Token],
        language: str,
        blocked: list[tuple[int, int]],
        mentions: list[Mention],
    ) -> None:
        self.text = text
        self.tokens = tokens
        self.language = language
        self.blocked = blocked
        self.named = [(m.start, m.end) for m in mentions if m.category == ORG]

    def _in(self, spans: list[tuple[int, int]], token: Token) -> bool:
        return any(s <= token.start < e for s, e in spans)

    def _digits(self, i: int) -> _Number | None:
        tokens, text = self.tokens, self.text
        token = tokens[i]
        digits = token.text
        last = i
        # thousands groups: "10 000", "10,000" (English), "10.000"
        while last + 1 < len(tokens):
            following = tokens[last + 1]
            between = gap(text, tokens[last], following)
            if not (following.text.isdigit() and len(following.text) == 3):
                break
            if between in (" ", "\u202f", "\u00a0") or (between == "," and self.language == "en"):
                digits += following.text
                last += 1
                continue
            break
        if last + 1 < len(tokens):
            following = tokens[last + 1]
            between = gap(text, tokens[last], following)
            decimal = (between == "." and self.language == "en") or (between == "," and self.language != "en")
            if (
                decimal
                and following.text.isdigit()
                and not (between == "," and len(following.text) == 3 and self.language == "en")
            ):
                digits += "." + following.text
                last += 1
        try:
            return _Number(Decimal(digits), i, last)
        except InvalidOperation:
            return None

    def _words(self, i: int) -> _Number | None:
        table = lx.NUMBER_WORDS.get(self.language, {})
        total = current = 0
        last = i - 1
        j = i
        while j < len(self.tokens) and self.tokens[j].norm in table:
            if j > i and gap(self.text, self.tokens[j - 1], self.tokens[j]).strip(" -‑") != "":
                break
            value = table[self.tokens[j].norm]
            if value == 100:
                current = max(current, 1) * 100
            elif value == 1000:
                total += max(current, 1) * 1000
                current = 0
            else:
                current += value
            last = j
            j += 1
        if last < i:
            return None
        return _Number(Decimal(total + current), i, last)

    def _reference_before(self, i: int) -> bool:
        before = self.text[max(0, self.tokens[i].start - 3) : self.tokens[i].start]
        if "№" in before or "#" in before or "/" in before:
            return True
        if i > 0:
            previous = self.tokens[i - 1]
            between = gap(self.text, previous, self.tokens[i])
            if previous.norm in lx.REFERENCE_WORDS and between.strip(" .") == "":
                return True
        return False

    def scan(self, sentences: Sentences) -> list[FigureItem]:
        figures: list[FigureItem] = []
        tokens = self.tokens
        i = 0
        while i < len(tokens):
            token = tokens[i]
            number: _Number | None = None
            if token.text.isdigit() and not token.attached:
                number = self._digits(i)
                if (
                    number
                    and len(token.text) == 4
                    and number.first == number.last
                    and 1900 <= int(token.text) <= 2100
                ):
                    number = None  # a year
            elif token.norm in lx.NUMBER_WORDS.get(self.language, {}) and not token.attached:
                number = self._words(i)
            if number is None or self._in(self.blocked, token) or self._reference_before(i):
                i += 1
                continue
            figure = self._figure(number, sentences)
            if figure is not None:
                figures.append(figure)
                i = max(i + 1, self._subject_end)
            else:
                i = number.last + 1
        return figures

    _subject_end = 0

    def _figure(self, number: _Number, sentences: Sentences) -> FigureItem | None:
        tokens, text = self.tokens, self.text
        value = number.value
        last = number.last
        after = text[tokens[last].end : tokens[last].end + 2]
        if after.startswith((":", "/")) and last + 1 < len(tokens) and tokens[last + 1].text.isdigit():
            return None  # a time or a symbol
        if after.startswith("/"):
            return None
        unit = ""
        if after.lstrip().startswith("%"):
            unit = "%"
        j = last + 1
        # a Kazakh ending hyphenated onto the number ("500-ден"), an ordinal ("5-й", "2-ші"), a compound ("two-day")
        if j < len(tokens) and gap(text, tokens[last], tokens[j]) in _COMPOUND_GAP:
            following = tokens[j]
            if following.norm in _ORDINAL_SUFFIXES or following.norm in lx.REFERENCE_AFTER:
                return None
            if following.attached:
                j += 1
            elif following.norm not in lx.MULTIPLIERS:
                return None
        # a multiplier: "500 thousand", "500 тыс.", "1,5 млн", "500 мың"
        while j < len(tokens) and gap(text, tokens[j - 1], tokens[j]).strip() == "":
            factor = self._multiplier(tokens[j])
            if factor is None:
                break
            value *= factor
            last = j
            j += 1
            if j < len(tokens) and tokens[j].attached:  # "млн-нан"
                j += 1
        if (
            j < len(tokens)
            and tokens[j].norm in lx.DATE_AFTER
            and len(tokens[number.first].text) == 4
            and tokens[number.first].text.isdigit()
        ):
            return None  # "1991 г.", "1991 жылы": a year
        # Kazakh: "500-ден астам", "40-қа жуық"; the word carries the ending when not hyphenated ("мыңнан астам")
        if j < len(tokens) and tokens[j].norm in lx.KK_AFTER_NUMBER:
            last = j
            j += 1
        if j < len(tokens) and tokens[j].norm in ("percent", "процента", "процентов", "процент", "пайыз"):
            unit = tokens[j].text
            last = j
            j += 1
        start_token = number.first
        for back in (2, 1):  # "more than", "не менее", "около"
            k = number.first - back
            if k < 0:
                continue
            phrase = " ".join(t.norm for t in tokens[k : number.first])
            between = text[tokens[k].start : tokens[number.first].start]
            if phrase in lx.APPROXIMATORS and re.fullmatch(r"[^\W_]+(\s+[^\W_]+)*\s+", between):
                start_token = k
                break
        currency = ""
        before = text[max(0, tokens[number.first].start - 2) : tokens[number.first].start].strip()
        if before in lx.CURRENCIES:
            currency = lx.CURRENCIES[before]
        subject = self._subject(j)
        if subject is None:
            if not (unit or currency):
                return None
            subject_text, end = (unit or currency), tokens[last].end
            self._subject_end = last + 1
        else:
            first, final = subject
            subject_text = text[tokens[first].start : tokens[final].end]
            if currency:
                subject_text = f"{currency} {subject_text}"
            elif unit:
                subject_text = f"{unit} {subject_text}"
            end = tokens[final].end
            self._subject_end = final + 1
        written_start = tokens[start_token].start
        if currency:
            written_start = min(written_start, tokens[number.first].start - len(before))
        written = text[written_start : tokens[last].end] + ("%" if unit == "%" else "")
        return FigureItem(
            value, written.strip()[:100], subject_text.strip()[:300], sentences.found(written_start, end)
        )

    def _multiplier(self, token: Token) -> Decimal | None:
        if token.norm in lx.MULTIPLIERS:
            return lx.MULTIPLIERS[token.norm]
        if self.language == "kk":  # "мыңнан" — the multiplier with its ending
            return next((lx.MULTIPLIERS[f] for f in kazakh_forms(token.norm) if f in lx.MULTIPLIERS), None)
        return None

    def _subject(self, j: int) -> tuple[int, int] | None:
        tokens, text, language = self.tokens, self.text, self.language
        if j >= len(tokens):
            return None
        first = j
        between = gap(text, tokens[j - 1], tokens[j]).strip(" -‑")
        if between not in ("", "%", "$", "€") and not (
            between == "." and tokens[j - 1].norm in lx.MULTIPLIERS
        ):
            return None
        chosen: list[int] = []
        noun_seen = False
        while j < len(tokens) and len(chosen) < (3 if language == "kk" else 6):
            token = tokens[j]
            if chosen and gap(text, tokens[j - 1], token).strip(" -‑") != "":
                break
            if token.attached:
                j += 1
                continue
            if token.text.isdigit() or token.norm in lx.MONTHS and chosen:
                break
            if language == "en":
                if token.norm in lx.EN_SUBJECT_STOP:
                    break
                if not token.capitalised and len(token.norm) > 4 and token.norm.endswith("ed"):
                    break
            elif language == "ru":
                if token.norm in lx.RU_SUBJECT_STOP:
                    break
                if noun_seen and not (
                    token.upper
                    or self._in(self.named, token)
                    or gap(text, tokens[j - 1], token) in _COMPOUND_GAP
                ):
                    break
                if not _is_adjective_ru(token.norm) or token.upper:
                    noun_seen = True
            else:
                if token.norm in lx.KK_SUBJECT_STOP:
                    break
                if noun_seen or (chosen and _KK_VERB.search(token.norm) and not token.capitalised):
                    break
                if not (token.upper or token.norm in lx.KK_ADJECTIVES or _KK_ADJECTIVE.search(token.norm)):
                    noun_seen = True
            chosen.append(j)
            j += 1
        if not chosen:
            return None
        return first, chosen[-1]
