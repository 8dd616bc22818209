"""Officials in a press text: a person's name with the title before it or after it, in kk/ru/en."""

from __future__ import annotations

import re
from functools import lru_cache

from . import lexicon as lx
from .figures import gap
from .gazetteer import ORG, PLACE, STATE, Mention, Token, base, contains
from .sentences import Sentences

# --- officials ---------------------------------------------------------------------------------------------------

_NAME_STOPWORDS = frozenset(
    [
        "the",
        "a",
        "an",
        "in",
        "on",
        "at",
        "this",
        "that",
        "these",
        "his",
        "her",
        "its",
        "their",
        "our",
        "with",
        "by",
        "for",
        "of",
        "and",
        "to",
        "from",
        "as",
        "during",
        "after",
        "before",
        "mr",
        "mrs",
        "ms",
        "dr",
        "в",
        "во",
        "на",
        "с",
        "по",
        "и",
        "о",
        "об",
        "при",
        "для",
        "это",
        "этот",
        "как",
        "бұл",
        "осы",
        "және",
        "мен",
    ]
)
_PREPOSITIONS = frozenset(
    {"for", "of", "on", "in", "to", "at", "по", "в", "во", "на", "при", "жөніндегі", "бойынша"}
)
_KK_ATTRIBUTE = re.compile(r"(ның|нің|дың|дің|тың|тің|лық|лік|дық|дік|тық|тік|дағы|дегі|тағы|тегі)$")
_HARD_GAP = re.compile(r"[,;:()«»\"“”!?…]|[.](\s|$)|\s[–—-]\s")


@lru_cache(maxsize=8)
def _title_words(language: str) -> tuple[frozenset[str], frozenset[str], frozenset[str]]:
    def based(words: frozenset[str]) -> frozenset[str]:
        return frozenset(base(w, language) for w in words)

    heads = lx.TITLE_HEADS[language] | (frozenset(lx.RU_HEAD_FORMS) if language == "ru" else frozenset())
    return based(heads), based(lx.TITLE_MODIFIERS[language]), lx.TITLE_STOPS[language]


def _is(token: Token, words: frozenset[str], language: str) -> bool:
    return contains(words, token, language)


@lru_cache(maxsize=1)
def _ru_nominatives() -> dict[str, str]:
    found = {base(word, "ru"): word for word in lx.TITLE_HEADS["ru"]}
    found.update({base(form, "ru"): word for form, word in lx.RU_HEAD_FORMS.items()})
    return found


class Officials:
    def __init__(
        self, text: str, tokens: list[Token], language: str, mentions: list[Mention], months: frozenset[str]
    ) -> None:
        self.text = text
        self.tokens = [t for t in tokens if not t.attached]
        self.language = language
        self.mentions = [m for m in mentions if m.category in (ORG, STATE, PLACE)]
        self.heads, self.modifiers, self.stops = _title_words(language)
        self.months = months

    def _mention(self, token: Token) -> Mention | None:
        return next((m for m in self.mentions if m.start <= token.start < m.end), None)

    def _hard(self, a: Token, b: Token) -> bool:
        between = gap(self.text, a, b)
        if len(a.text) == 1 and a.text.isupper() and between.strip() == ".":
            return False  # "U.S. Ambassador", "A. Kravchenko"
        return bool(_HARD_GAP.search(between))

    def _name_word(self, token: Token) -> bool:
        word = token.text
        if not word[:1].isupper() or not word.replace("'", "").replace("’", "").isalpha():
            return False
        if (word.isupper() and len(word) > 1) or token.norm in _NAME_STOPWORDS or token.norm in self.months:
            return False
        if self._mention(token) is not None or token.norm in lx.NOT_NAMES:
            return False
        return not _is(token, self.heads, self.language) and not _is(token, self.modifiers, self.language)

    def _names(self) -> list[tuple[int, int]]:
        """Runs of two to four name words (an initial "A." counts), joined by spaces or hyphens."""
        runs: list[tuple[int, int]] = []
        tokens = self.tokens
        i = 0
        while i < len(tokens):
            if not self._name_word(tokens[i]):
                i += 1
                continue
            j = i
            while j + 1 < len(tokens) and self._name_word(tokens[j + 1]):
                between = gap(self.text, tokens[j], tokens[j + 1])
                initial = len(tokens[j].text) == 1 and between.strip() == "."
                if between not in (" ", "-", "‑") and not initial:
                    break
                j += 1
            words = j - i + 1
            hyphens = sum(1 for k in range(i, j) if gap(self.text, tokens[k], tokens[k + 1]) in ("-", "‑"))
            if 2 <= words - hyphens <= 4 or (words - hyphens == 1 and hyphens):
                runs.append((i, j))
            i = j + 1
        return runs

    def _mandate_title(self, first: int) -> tuple[int, int] | None:
        """ "The Special Rapporteur on torture…, Helena Marsh,": a mandate or office named just before the name,
        between commas, is the title."""
        tokens = self.tokens
        if first == 0 or gap(self.text, tokens[first - 1], tokens[first]).strip() != ",":
            return None
        mention = self._mention(tokens[first - 1])
        if mention is None or mention.category != ORG:
            return None
        words = [k for k in range(first) if mention.start <= tokens[k].start < mention.end]
        if not any(_is(tokens[k], self.heads, self.language) for k in words):
            return None
        return words[0], words[-1]

    def _kazakh_attribute(self, token: Token) -> bool:
        """A Kazakh title's genitive chain and attributes: "Интерполдың өңірлік кеңсесінің басшысы"."""
        return self.language == "kk" and _KK_ATTRIBUTE.search(token.norm) is not None

    def _title_word(self, token: Token) -> bool:
        return _is(token, self.heads, self.language) or _is(token, self.modifiers, self.language)

    def _left_title(self, first: int) -> tuple[int, int] | None:
        """The title before the name: (index of its first word, index of its head nearest the name)."""
        tokens = self.tokens
        head = None
        k = first - 1
        while k >= 0 and first - k <= 14:
            if self._hard(tokens[k], tokens[k + 1]):
                break
            token = tokens[k]
            if _is(token, self.heads, self.language):
                head = k
                break
            if token.norm in self.stops and not token.capitalised:
                break
            k -= 1
        if head is None:
            return None
        start = head
        k = head - 1
        while k >= 0 and not self._hard(tokens[k], tokens[k + 1]):
            token = tokens[k]
            joined = (
                token.norm in ("and", "и", "және")
                and k > 0
                and _is(tokens[k - 1], self.modifiers, self.language)
                and _is(tokens[k + 1], self.modifiers, self.language)
                and tokens[k + 1].norm not in _PREPOSITIONS | {"the"}
            )
            if joined:  # "Extraordinary and Plenipotentiary", "Чрезвычайный и Полномочный"
                k -= 1
                continue
            if token.norm in self.stops and not _is(token, self.modifiers, self.language):
                break
            mention = self._mention(token)
            if (
                mention is not None
                and mention.category == PLACE
                and k > 0
                and tokens[k - 1].norm in _PREPOSITIONS
            ):
                break  # "В Астане заместитель …": the place of the sentence, not of the title
            if self._title_word(token) or mention is not None or self._kazakh_attribute(token):
                start = k
                k -= 1
                continue
            break
        while start < head and tokens[start].norm in (
            "the",
            "of",
            "and",
            "in",
            "to",
            "for",
            "on",
            "по",
            "и",
            "в",
        ):
            start += 1
        return start, head

    def _right_title(self, last: int) -> tuple[int, int] | None:
        """ ", Deputy Prosecutor General of Kazakhstan," after the name: (first, last) word of the title."""
        tokens = self.tokens
        k = last + 1
        if k >= len(tokens) or gap(self.text, tokens[last], tokens[k]).strip() != ",":
            return None
        first = k
        if tokens[first].norm == "the":
            first += 1
        end = None
        head_seen = False
        k = first
        while k < len(tokens) and k - first < 14:
            if k > first and self._hard(tokens[k - 1], tokens[k]):
                break
            if _is(tokens[k], self.heads, self.language):
                head_seen = True
            elif not head_seen and k - first >= 4:
                return None
            end = k
            k += 1
        return (first, end) if head_seen and end is not None else None

    def _nominative(self, words: list[Token], title_tokens: list[Token]) -> tuple[str, str] | None:
        """A Russian title and name in an oblique case, given back in the nominative."""
        if self.language != "ru" or not title_tokens:
            return None
        nominatives = _ru_nominatives()
        head_index = next((n for n, t in enumerate(title_tokens) if base(t.norm, "ru") in nominatives), None)
        if head_index is None:
            return None
        head = title_tokens[head_index]
        lexical = nominatives[base(head.norm, "ru")]
        if head.norm == lexical:
            return None
        case = next((c for c, pattern in lx.RU_CASE_ENDINGS.items() if re.search(pattern, head.norm)), None)
        if case is None:
            return None
        # Head words in the same case as the first are in apposition ("главой офиса… послом") and are given back in
        # the nominative; the others are its complement ("заместителем Генерального прокурора").
        title_words = []
        for n, token in enumerate(title_tokens):
            word = token.text
            key = base(token.norm, "ru")
            same_case = re.search(lx.RU_CASE_ENDINGS[case], token.norm) is not None
            if (n == head_index or (n > head_index and same_case)) and key in nominatives:
                nominative = nominatives[key]
                word = nominative[:1].upper() + nominative[1:] if token.capitalised else nominative
            elif n < head_index and re.search(r"(ым|ого|ому|ом)$", word):
                stem = re.sub(r"(ым|ого|ому|ом)$", "", word)
                word = stem + ("ий" if stem[-1:] in "гкхжшщч" else "ый")
            title_words.append(word)
        names = []
        for token in words:
            word = token.text
            for ending, replacement in lx.RU_NAME_CASES[case]:
                if word.endswith(ending) and len(word) - len(ending) >= 2:
                    word = word[: -len(ending)] + replacement
                    break
            else:
                if case in ("genitive", "dative"):
                    word = re.sub(r"(?<=[бвгджзклмнпрстфхцчшщ])[ау]$", "", word)
                    word = re.sub(r"(?<=[бвгджзклмнпрстфхцчшщ])[яю]$", "ь", word)
            names.append(word)
        return " ".join(title_words), " ".join(names)

    def find(self, sentences: Sentences) -> list[tuple[str, str, int, int, int, int]]:
        """(name, title, name start, name end, title start, title end) of every official named with a title."""
        found = []
        tokens, text = self.tokens, self.text
        for first, last in self._names():
            before = tokens[first - 1] if first else None
            if (
                before is not None
                and last - first >= 2
                and before.norm in _PREPOSITIONS
                and not before.capitalised
            ):
                first = last - 1  # "Representative for Central Asia Ashita Mittal": the place ends the title
            left = self._left_title(first)
            mandate = self._mandate_title(first) if left is None else None
            if left is not None:
                t_first, t_last = left[0], first - 1
            elif mandate is not None:
                t_first, t_last = mandate
            else:
                right = self._right_title(last)
                if right is None:
                    continue
                t_first, t_last = right
            name_tokens = tokens[first : last + 1]
            name = text[name_tokens[0].start : name_tokens[-1].end]
            title = text[tokens[t_first].start : tokens[t_last].end].strip(" ,")
            if self.language == "kk":
                for suffix in lx.KK_NAME_SUFFIXES:
                    if name.endswith(suffix) and len(name_tokens[-1].text) > len(suffix) + 3:
                        name = name[: -len(suffix)]
                        break
            normal = self._nominative(name_tokens, tokens[t_first : t_last + 1]) if left is not None else None
            if normal is not None:
                title, name = normal
            found.append(
                (
                    name,
                    title,
                    name_tokens[0].start,
                    name_tokens[-1].end,
                    tokens[t_first].start,
                    tokens[t_last].end,
                )
            )
        return found
