"""Precision and recall of the extractor on the test corpus (`prokuratura/relations/tests/press_corpus/`).

Each `<name>.txt|.html|.docx.txt` has a `<name>.gold.json` written by hand: `published_on` (given to the extractor,
as the officer would), `date`, `place` (the place's English name in lower case, "" when the text names none),
`kind`, `organisations` (counterpart codes), `states` (ISO codes, Kazakhstan never), `officials` (name and title),
`topics` (codes), `figures` (value, subject and the subject's head word). A `.docx.txt` is the text of a Word
document: the evaluation builds the .docx with python-docx (a paragraph per line) and reads it back through the
upload path, so the .docx reader is measured too.

What counts as a match (per field, over the whole corpus: precision = matched / extracted, recall = matched /
in the gold files):
- date, place, kind: equal (one item per text when extracted or annotated);
- organisations, states, topics: the same code;
- officials: the same name (word by word, allowing Russian and Kazakh case endings) and every word of the gold
  title of three letters or more found in the extracted title;
- figures: the same value and the gold head word among the words of the extracted subject.
Each gold item is matched at most once. The gazetteer is built from the reference files
(`gazetteer_from_files`), so the figures do not depend on a database.
"""

from __future__ import annotations

import datetime as dt
import io
import json
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from .draft import Draft
from .extract import extract
from .gazetteer import Gazetteer, gazetteer_from_files, tokenize, word_matches
from .text import text_from_upload

CORPUS_DIR = Path(__file__).resolve().parent.parent / "tests" / "press_corpus"
# Texts written after the rules and never tuned on: the honest estimate for a new text.
HELD_OUT_DIR = CORPUS_DIR / "held_out"
FIELDS = ("date", "place", "kind", "organisations", "states", "officials", "topics", "figures")
DOCX_SOURCE = ".docx.txt"


@dataclass
class Score:
    matched: int = 0
    extracted: int = 0
    gold: int = 0

    @property
    def precision(self) -> float:
        return self.matched / self.extracted if self.extracted else 1.0

    @property
    def recall(self) -> float:
        return self.matched / self.gold if self.gold else 1.0

    def add(self, other: Score) -> None:
        self.matched += other.matched
        self.extracted += other.extracted
        self.gold += other.gold


@dataclass
class Document:
    name: str
    filename: str
    data: bytes
    gold: dict[str, Any]


@dataclass
class Report:
    fields: dict[str, Score] = field(default_factory=lambda: {name: Score() for name in FIELDS})
    documents: dict[str, dict[str, Score]] = field(default_factory=dict)
    drafts: dict[str, Draft] = field(default_factory=dict)


def docx_bytes(text: str) -> bytes:
    import docx  # python-docx

    document = docx.Document()
    for line in text.split("\n"):
        document.add_paragraph(line)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def corpus(directory: Path | None = None) -> list[Document]:
    folder = directory or CORPUS_DIR
    documents = []
    for gold_path in sorted(folder.glob("*.gold.json")):
        name = gold_path.name[: -len(".gold.json")]
        gold = json.loads(gold_path.read_text(encoding="utf-8"))
        source = next((p for p in sorted(folder.glob(f"{name}.*")) if p != gold_path), None)
        if source is None:
            continue
        if source.name.endswith(DOCX_SOURCE):
            filename = source.name[: -len(".txt")]
            data = docx_bytes(source.read_text(encoding="utf-8"))
        else:
            filename, data = source.name, source.read_bytes()
        documents.append(Document(name, filename, data, gold))
    return documents


def _words(text: str) -> list[str]:
    return [t.norm for t in tokenize(text) if not t.attached]


def _same_name(gold: str, found: str, language: str) -> bool:
    a, b = _words(gold), _words(found)
    return len(a) == len(b) and all(word_matches(x, y, language) for x, y in zip(a, b, strict=True))


def _title_covered(gold: str, found: str, language: str) -> bool:
    found_words = _words(found)
    return all(
        any(word_matches(word, other, language) for other in found_words)
        for word in _words(gold)
        if len(word) >= 3
    )


def _one_to_one(gold: list[Any], found: list[Any], same: Any) -> int:
    used: set[int] = set()
    matched = 0
    for item in gold:
        for n, candidate in enumerate(found):
            if n not in used and same(item, candidate):
                used.add(n)
                matched += 1
                break
    return matched


def _single(gold: Any, found: Any) -> Score:
    return Score(int(bool(gold) and gold == found), int(bool(found)), int(bool(gold)))


def _codes(gold: list[str], found: list[str]) -> Score:
    return Score(len(set(gold) & set(found)), len(set(found)), len(set(gold)))


def score(draft: Draft, gold: dict[str, Any]) -> dict[str, Score]:
    language = draft.language
    officials = gold.get("officials", [])
    figures = gold.get("figures", [])
    return {
        "date": _single(gold.get("date") or None, draft.date.isoformat() if draft.date else None),
        "place": _single(gold.get("place") or None, draft.place or None),
        "kind": _single(gold.get("kind"), draft.kind),
        "organisations": _codes(gold.get("organisations", []), [o.code for o in draft.organisations]),
        "states": _codes(gold.get("states", []), [s.iso2 for s in draft.states]),
        "topics": _codes(gold.get("topics", []), [t.code for t in draft.topics]),
        "officials": Score(
            _one_to_one(
                officials,
                draft.officials,
                lambda g, o: (
                    _same_name(g["name"], o.name, language) and _title_covered(g["title"], o.title, language)
                ),
            ),
            len(draft.officials),
            len(officials),
        ),
        "figures": Score(
            _one_to_one(
                figures,
                draft.figures,
                lambda g, f: (
                    Decimal(g["value"]) == f.value
                    and any(
                        word_matches(g["head"], w, language) or g["head"] == w
                        for w in [*_words(f.subject), f.subject]
                    )
                ),
            ),
            len(draft.figures),
            len(figures),
        ),
    }


def evaluate(directory: Path | None = None, gazetteer: Gazetteer | None = None) -> Report:
    gazetteer = gazetteer or gazetteer_from_files()
    report = Report()
    for document in corpus(directory):
        text = text_from_upload(document.filename, document.data)
        published = document.gold.get("published_on")
        draft = extract(text, gazetteer, published=dt.date.fromisoformat(published) if published else None)
        scores = score(draft, document.gold)
        report.documents[document.name] = scores
        report.drafts[document.name] = draft
        for name, value in scores.items():
            report.fields[name].add(value)
    return report


def table(report: Report) -> str:
    """The Markdown table of docs/PRESS_IMPORT.md."""
    lines = [
        f"Corpus: {len(report.documents)} texts.",
        "",
        "| field | precision | recall | matched | extracted | in gold |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for name, value in report.fields.items():
        lines.append(
            f"| {name} | {value.precision:.2f} | {value.recall:.2f} | {value.matched} | {value.extracted} | {value.gold} |"
        )
    return "\n".join(lines)
