"""`manage.py press_evaluate [--details] [--held-out]`: precision and recall of the press import per field on the test corpus
(prokuratura/relations/tests/press_corpus), the table docs/PRESS_IMPORT.md shows."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from prokuratura.relations.press.evaluate import FIELDS, HELD_OUT_DIR, evaluate, table


class Command(BaseCommand):
    help = "Precision and recall of the press-release import on the test corpus, per field."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--details", action="store_true", help="Also each text's figures per field.")
        parser.add_argument(
            "--held-out",
            action="store_true",
            help="Score the held-out texts (press_corpus/held_out: written after the rules, never tuned on).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        report = evaluate(HELD_OUT_DIR if options["held_out"] else None)
        self.stdout.write(table(report))
        if options["details"]:
            for name, scores in report.documents.items():
                cells = ", ".join(
                    f"{field} {scores[field].matched}/{scores[field].extracted}/{scores[field].gold}"
                    for field in FIELDS
                )
                self.stdout.write(f"{name}: {cells}")
