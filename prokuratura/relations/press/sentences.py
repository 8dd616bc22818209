"""Sentences and paragraphs of a press text, as offsets: every extracted item points at the sentence it came from."""

from __future__ import annotations

import bisect
import re

from .draft import Found

# --- sentences and paragraphs ------------------------------------------------------------------------------------

_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "st",
        "no",
        "nos",
        "vs",
        "etc",
        "u",
        "s",
        "e",
        "g",
        "i",
        "al",
        "jr",
        "sr",
        "gen",
        "col",
        "lt",
        "sgt",
        "art",
        "para",
        "dept",
        "govt",
        "inc",
        "ltd",
        "co",
        "г",
        "гг",
        "тыс",
        "млн",
        "млрд",
        "им",
        "ул",
        "т",
        "е",
        "д",
        "см",
        "стр",
        "ст",
        "п",
        "ч",
        "проф",
        "акад",
        "др",
        "пр",
        "руб",
        "долл",
        "обл",
        "р-н",
        "ж",
        "б",
        "т",
        "б",
        "ә",
    ]
)
_BOUNDARY = re.compile(r"[.!?…]+[\"»”’)]*\s+(?=[«\"“„(]?[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ0-9])")


def sentences(text: str) -> list[tuple[int, int]]:
    """The sentences' (start, end) offsets: a line is at least one sentence; a full stop after an abbreviation,
    an initial or a date line's capitals ("ASTANA. KAZINFORM") ends none."""
    spans: list[tuple[int, int]] = []
    position = 0
    for line in text.split("\n"):
        start = position
        line_start = position
        position += len(line) + 1
        if not line.strip():
            continue
        for match in _BOUNDARY.finditer(line):
            before = line[: match.start()]
            word = re.search(r"([^\W_]+)\W*$", before)
            last = word.group(1) if word else ""
            rest = line[match.end() :]
            following = re.match(r"[^\W_]+", rest)
            if last.lower() in _ABBREVIATIONS or (len(last) == 1 and last.isupper()):
                continue
            if last.isupper() and len(last) > 1 and following and following.group().isupper():
                continue
            end = line_start + match.start() + len(match.group().rstrip())
            spans.append((start, end))
            start = line_start + match.end()
        spans.append((start, line_start + len(line.rstrip())))
    return [(s, e) for s, e in spans if e > s]


class Sentences:
    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = sentences(text)
        self.starts = [s for s, _e in self.spans]

    def index(self, offset: int) -> int:
        return max(0, bisect.bisect_right(self.starts, offset) - 1)

    def span(self, offset: int) -> tuple[int, int]:
        return self.spans[self.index(offset)] if self.spans else (0, len(self.text))

    def found(self, start: int, end: int) -> Found:
        s, e = self.span(start)
        e = max(e, min(end, len(self.text)))
        return Found(self.text[start:end], start, end, self.text[s:e], s)


def paragraphs(text: str) -> list[tuple[int, int]]:
    spans = []
    position = 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((position, position + len(line)))
        position += len(line) + 1
    return spans
