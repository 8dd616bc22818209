"""The small data set the schemathesis run works on (scripts/schemathesis_run.sh): two offices, one user per kind of
caller with a personal API token, and one record of each main kind so that list and detail operations answer
with real rows, not only empty lists and 404s.

Run with the environment of the run (PROKURATURA_VAR_DIR of a migrated database with reference data):
    .venv/bin/python scripts/schemathesis_data.py TOKENS_FILE
Writes {"full": "pk_…", "outsider": "pk_…"} to TOKENS_FILE.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "prokuratura.settings")

import django  # noqa: E402

django.setup()

from prokuratura.accounts.models import User  # noqa: E402
from prokuratura.accounts.roles import Role  # noqa: E402
from prokuratura.accounts.services import token_create  # noqa: E402
from prokuratura.accounts.tests.factories import UserFactory  # noqa: E402
from prokuratura.core.models import Office, Region  # noqa: E402
from prokuratura.core.tests.factories import OfficeFactory  # noqa: E402


def main(tokens_file: str) -> None:
    region = Region.objects.order_by("kato_code").first()
    gpo = OfficeFactory(code="GPO", level=Office.Level.GENERAL, name_en="Prosecutor General's Office")
    city = OfficeFactory(
        code="AST", level=Office.Level.REGIONAL, parent=gpo, region=region, name_en="City office"
    )
    # Every role at once: the run reaches past the permission check of every operation.
    full = UserFactory(username="fuzz_full", office=gpo, roles=[role.value for role in Role])
    outsider = UserFactory(username="fuzz_outsider", office=city)
    _records(by=full)
    tokens = {
        "full": token_create(by=full, name="schemathesis")[1],
        "outsider": token_create(by=outsider, name="schemathesis")[1],
    }
    Path(tokens_file).write_text(json.dumps(tokens))


def _records(*, by: User) -> None:
    from prokuratura.appeals.tests.factories import register

    register(by=by)


if __name__ == "__main__":
    main(sys.argv[1])
