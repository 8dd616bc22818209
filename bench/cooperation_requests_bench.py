"""Requests for legal assistance at national scale: ten years of incoming and outgoing requests in a database of
their own, then the register's lists, a request's page and the numbers against hand-written SQL.

    .venv/bin/python bench/cooperation_requests_bench.py --requests 50000 [--reuse] [--dbname bench_requests]
    .venv/bin/python bench/cooperation_requests_bench.py --requests 50000 --reuse --reads numbers   # some reads
    .venv/bin/python bench/cooperation_requests_bench.py --requests 50000 --sqlite var/bench/requests.sqlite3

The volume: about 3,000 outgoing and 2,000 incoming requests a year nationally, so ten years are 50,000 (--requests
scales it; --years spreads them). PostgreSQL on 127.0.0.1:5432 (user root) by default, or a SQLite file with
--sqlite. The database is dropped and rebuilt unless --reuse finds one seeded with the same number of requests. It
is migrated, loaded with the reference data, the treaty register (each (partner, kind)'s basis is the resolver's
first answer, as the demo's) and the demo office tree and users, and BENCH_OFFICERS international officers per
office; then filled by COPY (PostgreSQL) or executemany (SQLite), with the tables' secondary indexes, unique
constraints and foreign keys set aside and built once at the end (prokuratura.appeals.demo._BulkLoad), and
ANALYZEd. Per request: 1–3 persons, the letters its steps leave (2–6), a history row per step, a translation for a
third of them. Half the requests are the Prosecutor General's Office's (the central authority), the rest the
regional offices' by population. Statuses follow each request's age: the last weeks hold the drafts and the
requests awaiting registration, sending or acknowledgement; older ones are mostly ended, with the few forgotten
ones (still awaiting, long overdue) a real register has. Terrorism and extremism requests (5 %) are restricted.
Not generated: refusal checklists, reminders, audit entries (no measured read touches them).

Measured, for the national head (`head_gpo`), the international officer (`intl_officer`, at the root office, the
officer in charge of a share of the GPO's requests) and a regional head (`head`, Astana):
- the register (cooperation.request_selectors.request_list): the first page of 25 and the count — unfiltered, by
  partner state (the largest, RU), overdue, and (the officer) "mine";
- a request's page: access_request + request_detail for one of the officer's requests (the read of the persons
  concerned writes its audit entry: the ORM side includes that write, the hand-written side is the reads);
- the numbers (cooperation.request_stats.request_numbers) for the last twelve months and for the ten years — for
  both heads and an analyst (imported lazily: without the module the hand-written aggregates are timed alone);
against (a) the ORM's SELECT statements replayed through the cursor (the database's share) and (b) SQL written by
hand for the same rows. It prints a table of medians and the ratio ORM / hand-written SQL, keeps the EXPLAIN
(ANALYZE, BUFFERS) of every PostgreSQL statement, and writes everything to var/bench/requests-<db>-<N>-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import appeals as bench  # noqa: E402 - bench/appeals.py, beside this file: the database and timing helpers

ROOT, BENCH_DIR, PG_SERVER = bench.ROOT, bench.BENCH_DIR, bench.PG_SERVER
BENCH_OFFICERS = {"general": 12, "regional": 2, "district": 0}  # international officers per office
MARKER = "cooperation.requests.bench"
OUTGOING_SHARE = 0.6  # 3,000 of 5,000 a year
KINDS = {"mla": 80, "extradition": 12, "transfer_sentenced": 5, "transfer_proceedings": 3}
# Partner states by their share of the work (the CIS first); those the register does not know are left out.
PARTNERS = {
    "RU": 26, "KG": 12, "UZ": 12, "CN": 7, "TR": 5, "TJ": 4, "UA": 4, "BY": 3, "AZ": 3, "AE": 3, "US": 3,
    "GE": 2, "KR": 2, "DE": 2, "GB": 2, "IT": 1, "ES": 1, "FR": 1, "IN": 1, "LT": 1, "IR": 1, "TM": 1, "MN": 1,
}  # fmt: skip
FOCUS = {
    "": 38, "cybercrime": 12, "drug_trafficking": 14, "money_laundering": 10, "corruption": 10,
    "trafficking_in_persons": 5, "transnational_organized_crime": 6, "terrorism": 3, "extremism": 2,
}  # fmt: skip
ICCS = {"cybercrime": "09", "drug_trafficking": "06", "money_laundering": "07", "corruption": "07",
        "trafficking_in_persons": "02", "terrorism": "09", "extremism": "09"}  # fmt: skip
# Control terms in calendar days (data/reference/cooperation_request_terms.csv, working days taken as 1.4 days).
TERMS = {
    ("outgoing", "acknowledge"): 30,
    ("outgoing", "execute"): {
        "mla": 180,
        "extradition": 90,
        "transfer_sentenced": 180,
        "transfer_proceedings": 120,
    },
    ("incoming", "register"): 4,
    ("incoming", "check"): 14,
    ("incoming", "execute"): {
        "mla": 30,
        "extradition": 40,
        "transfer_sentenced": 90,
        "transfer_proceedings": 60,
    },
}
# Status by the request's age in days (from its start: drafted or received).
OUT_MIX = [
    (7, [("draft", 0.45), ("checked", 0.2), ("signed", 0.15), ("sent", 0.2)]),
    (
        45,
        [
            ("sent", 0.35),
            ("acknowledged", 0.45),
            ("draft", 0.05),
            ("withdrawn", 0.02),
            ("in_execution", 0.13),
        ],
    ),
    (
        240,
        [
            ("acknowledged", 0.2),
            ("in_execution", 0.35),
            ("executed", 0.3),
            ("partly_executed", 0.07),
            ("refused", 0.04),
            ("withdrawn", 0.02),
            ("sent", 0.02),
        ],
    ),  # fmt: skip
    (
        10**6,
        [
            ("executed", 0.72),
            ("partly_executed", 0.12),
            ("refused", 0.07),
            ("withdrawn", 0.05),
            ("in_execution", 0.03),
            ("acknowledged", 0.01),
        ],
    ),  # fmt: skip
]
IN_MIX = [
    (3, [("received", 0.6), ("registered", 0.4)]),
    (20, [("registered", 0.3), ("checked", 0.25), ("assigned", 0.35), ("returned", 0.1)]),
    (
        120,
        [
            ("assigned", 0.45),
            ("executed", 0.25),
            ("materials_sent", 0.2),
            ("returned", 0.05),
            ("refused", 0.05),
        ],
    ),
    (
        10**6,
        [
            ("materials_sent", 0.84),
            ("partly_executed", 0.03),
            ("executed", 0.03),
            ("refused", 0.06),
            ("assigned", 0.02),
            ("returned", 0.02),
        ],
    ),  # fmt: skip
]
OUT_PATH = ["draft", "checked", "signed", "sent", "acknowledged", "in_execution"]
IN_PATH = ["received", "registered", "checked", "assigned"]
STEP_INTO = {
    "checked": "check", "signed": "sign", "sent": "send", "acknowledged": "acknowledge",
    "in_execution": "start_execution", "executed": "record_result", "partly_executed": "record_result",
    "refused": "record_result", "withdrawn": "withdraw", "registered": "register", "returned": "return",
    "assigned": "assign", "materials_sent": "send_materials",
}  # fmt: skip
INCOMING_STEPS = {"checked": "accept", "executed": "record_execution", "partly_executed": "record_execution",
                  "refused": "refuse"}  # fmt: skip
KIND_CODE = {"mla": "MLA", "extradition": "EXT", "transfer_sentenced": "TSP", "transfer_proceedings": "TCP"}
NAMES = ["Ахметов Серик", "Жумабаев Нурлан", "Ким Виталий", "Смирнов Алексей", "Рахимов Шерзод", "Ли Вэй",
         "Токтогулов Бакыт", "Сулейменова Айжан", "Коваленко Игорь", "Назаров Фарход"]  # fmt: skip
FACTS = (
    "Группа лиц через счета, открытые на территории запрашиваемой Стороны, легализовала доходы от хищения; "
    "требуются сведения о движении денег и допрос свидетелей."
)


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requests", type=int, default=50_000, help="Requests to generate (default 50,000).")
    parser.add_argument("--years", type=int, default=10, help="Years they are spread over (default 10).")
    parser.add_argument(
        "--reuse", action="store_true", help="Keep a database already seeded with --requests N."
    )
    parser.add_argument("--dbname", default="bench_requests", help="PostgreSQL database (%(default)s).")
    parser.add_argument("--sqlite", metavar="PATH", help="Use this SQLite file instead of PostgreSQL.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=15, help="Repetitions of each read (%(default)s).")
    parser.add_argument("--budget", type=float, default=20, help="Seconds each read may take in all (20).")
    parser.add_argument("--seed-only", action="store_true", help="Build the database, measure nothing.")
    parser.add_argument("--reads", default="", help="Measure only the reads whose label contains this text.")
    return parser.parse_args()


def prepare_database(args: argparse.Namespace) -> tuple[str, bool]:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    if args.sqlite:
        path = Path(args.sqlite).resolve()
        exists = path.exists()
        if exists and not args.reuse:
            path.unlink()
            exists = False
        return f"sqlite:///{path}", exists
    import psycopg
    from psycopg import sql

    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.dbname]).fetchone()
        if exists and not args.reuse:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(args.dbname)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.dbname)))
    return f"{PG_SERVER}/{args.dbname}", bool(exists)


def seeded_requests() -> int:
    from prokuratura.core.models import AuditEntry

    entry = AuditEntry.objects.filter(object_type=MARKER).order_by("-id").first()
    return int(entry.changes.get("requests", 0)) if entry else 0


# --- the data ----------------------------------------------------------------------------------------------------


class _Rows:
    """Rows of one model as lists in its column order, written by COPY (PostgreSQL) or executemany (SQLite);
    `template` holds each column's default as stored, so a row sets only what varies. The primary key is left to
    the database unless `with_id` (the requests: the other rows refer to them)."""

    def __init__(self, model: type[Any], *, with_id: bool = False) -> None:
        from django.db import connection, models
        from django.utils import timezone

        self.model, self.vendor = model, connection.vendor
        self.fields = [
            f
            for f in model._meta.concrete_fields
            if not getattr(f, "generated", False) and (with_id or not f.primary_key)
        ]
        self.at = {f.attname: i for i, f in enumerate(self.fields)}
        self.json = {i for i, f in enumerate(self.fields) if isinstance(f, models.JSONField)}
        now = timezone.now()
        template = []
        for i, f in enumerate(self.fields):
            value = (
                now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            )
            template.append(json.dumps(value) if i in self.json else value)
        self.template = template
        qn = connection.ops.quote_name
        columns = ", ".join(qn(f.column) for f in self.fields)
        table = qn(model._meta.db_table)
        self.copy = f"COPY {table} ({columns}) FROM STDIN"
        self.insert = f"INSERT INTO {table} ({columns}) VALUES ({', '.join(['%s'] * len(self.fields))})"  # noqa: S608
        self.rows: list[list[Any]] = []
        self.written = 0

    def row(self, **values: Any) -> None:
        row = self.template[:]
        for name, value in values.items():
            i = self.at[name]
            row[i] = json.dumps(value) if i in self.json else value
        self.rows.append(row)

    def flush(self) -> None:
        from django.db import connection

        if not self.rows:
            return
        with connection.cursor() as cursor:
            if self.vendor == "postgresql":
                with cursor.cursor.copy(self.copy) as copy:
                    for row in self.rows:
                        copy.write_row(row)
            else:
                plain = [[_sqlite_value(v) for v in row] for row in self.rows]
                cursor.executemany(self.insert, plain)
        self.written += len(self.rows)
        self.rows = []


def _sqlite_value(value: Any) -> Any:
    """A date or an aware datetime as Django stores it in SQLite (datetimes in UTC, without the offset)."""
    if isinstance(value, dt.datetime):
        return value.astimezone(dt.UTC).replace(tzinfo=None).isoformat(sep=" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def _pick(rng: random.Random, mix: list[tuple[str, float]]) -> str:
    roll, total = rng.random(), 0.0
    for value, share in mix:
        total += share
        if roll < total:
            return value
    return mix[-1][0]


def _mix(age: int, table: list[tuple[int, list[tuple[str, float]]]]) -> list[tuple[str, float]]:
    return next((mix for limit, mix in table if age <= limit), table[-1][1])


def _officers(offices: list[Any]) -> dict[int, list[int]]:
    """BENCH_OFFICERS international officers per office (no password), plus the demo ones."""
    from prokuratura.accounts.models import User, UserRole
    from prokuratura.accounts.roles import Role

    users = [
        User(
            username=f"bench.intl.{office.code.lower()}.{n}",
            first_name="Бенч",
            last_name=f"Офицер {n}",
            office=office,
        )  # fmt: skip
        for office in offices
        for n in range(BENCH_OFFICERS[office.level])
    ]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users, batch_size=1000)
    made = User.objects.filter(username__startswith="bench.intl.")
    UserRole.objects.bulk_create([UserRole(user=u, role=Role.INTL_OFFICER) for u in made], batch_size=1000)
    staff: dict[int, list[int]] = {}
    for user_id, office_id in User.objects.filter(user_roles__role=Role.INTL_OFFICER).values_list(
        "id", "office"
    ):
        staff.setdefault(office_id, []).append(user_id)
    return staff


def _bases(partners: list[str], today: dt.date) -> dict[tuple[str, str], int | None]:
    """(partner, kind) → the resolver's first instrument (None: reciprocity), as the demo chooses."""
    from prokuratura.cooperation.resolver import legal_basis_resolve

    bases: dict[tuple[str, str], int | None] = {}
    for partner in partners:
        for kind in KINDS:
            resolution = legal_basis_resolve(country=partner, kind=kind, on_date=today)
            offered = [c.instrument.pk for c in resolution.applicable if c.instrument is not None]
            bases[(partner, kind)] = offered[0] if offered else None
    return bases


def generate(args: argparse.Namespace, today: dt.date) -> dict[str, int]:
    """Write the requests and their persons, letters, history and translations; returns how many of each."""
    from prokuratura.accounts.models import User
    from prokuratura.appeals.demo import REGION_POPULATION
    from prokuratura.cooperation.models_requests import (
        AssistanceRequest,
        Correspondence,
        RequestCounter,
        RequestPerson,
        RequestTransition,
        TranslationTask,
    )
    from prokuratura.core.models import Country, CrimeCategory, Office

    rng = random.Random(f"requests-bench:{args.seed}")
    offices = list(Office.objects.select_related("region").order_by("path"))
    staff = _officers(offices)
    demo_officer = User.objects.get(username="intl_officer").pk
    known = set(Country.objects.values_list("iso2", flat=True))
    partners = [p for p in PARTNERS if p in known]
    partner_weights = [PARTNERS[p] for p in partners]
    bases = _bases(partners, today)
    categories = {c.code: c.pk for c in CrimeCategory.objects.all()}
    weights = {}
    for office in offices:
        if office.region is None:
            weights[office.pk] = float(sum(REGION_POPULATION.get(o.region.kato_code, 500) for o in offices
                                           if o.level == "regional" and o.region))  # fmt: skip
        elif office.level == "regional":
            weights[office.pk] = float(REGION_POPULATION.get(office.region.kato_code, 500))
    owners = [o for o in offices if o.pk in weights and staff.get(o.pk)]
    owner_weights = [weights[o.pk] for o in owners]
    requests, persons, letters = (
        _Rows(AssistanceRequest, with_id=True),
        _Rows(RequestPerson),
        _Rows(Correspondence),
    )
    history, translations = _Rows(RequestTransition), _Rows(TranslationTask)
    counters: dict[tuple[int, int], int] = {}
    span = args.years * 365
    starts = sorted(today - dt.timedelta(days=rng.randint(0, span - 1)) for _n in range(args.requests))
    started = time.perf_counter()
    for rid, start in enumerate(starts, start=1):
        office = rng.choices(owners, owner_weights)[0]
        officer = (
            demo_officer if office.parent_id is None and rng.random() < 0.1 else rng.choice(staff[office.pk])
        )
        direction = "outgoing" if rng.random() < OUTGOING_SHARE else "incoming"
        kind = rng.choices(list(KINDS), list(KINDS.values()))[0]
        partner = rng.choices(partners, partner_weights)[0]
        focus = rng.choices(list(FOCUS), list(FOCUS.values()))[0]
        age = (today - start).days
        status = _pick(rng, _mix(age, OUT_MIX if direction == "outgoing" else IN_MIX))
        year = start.year
        counters[(office.pk, year)] = sequence = counters.get((office.pk, year), 0) + 1
        arrow = "OUT" if direction == "outgoing" else "IN"
        basis = bases[(partner, kind)]
        values: dict[str, Any] = {
            "id": rid,
            "office_id": office.pk,
            "sensitivity": "restricted" if focus in ("terrorism", "extremism") else "internal",
            "created_by_id": officer,
            "created_at": bench_moment(start),
            "updated_at": bench_moment(start),
            "direction": direction,
            "kind": kind,
            "status": status,
            "number": f"{office.code}-{year}/{arrow}-{KIND_CODE[kind]}-{sequence}",
            "year": year,
            "sequence": sequence,
            "extradition_purpose": "prosecution" if kind == "extradition" else "",
            "measures": ["bank_records", "testimony"] if kind == "mla" else [],
            "partner_id": partner,
            "foreign_authority": f"Central authority of {partner}",
            "basis_kind": "instrument" if basis else "reciprocity",
            "basis_id": basis,
            "reciprocity_assurance": "" if basis else "Гарантия взаимности.",
            "case_number": f"{year % 100:02d}{rng.randint(10**12, 10**13 - 1)}",
            "offence_article": "ст. 218 ч. 3 УК РК",
            "offence_category_id": categories.get(ICCS.get(focus, "07")),
            "focus_area_id": categories.get(focus) if focus else None,
            "requesting_authority": "Генеральная прокуратура Республики Казахстан",
            "proceedings_subject": "Досудебное расследование",
            "conducting_authority": "Следственный орган",
            "facts_summary": FACTS,
            "assistance_sought": "Выписки по счетам, допрос свидетелей.",
            "purpose": "Доказывание.",
            "officer_id": officer,
        }
        path = _path(direction, status)
        days = _days(rng, start, len(path), today)
        _dates(values, direction, kind, path, days)
        requests.row(**values)
        steps = STEP_INTO if direction == "outgoing" else {**STEP_INTO, **INCOMING_STEPS}
        for i, (from_status, to_status) in enumerate(zip(["", *path[:-1]], path, strict=True)):
            history.row(request_id=rid, step=steps.get(to_status, "create") if i else "create",
                        from_status=from_status, to_status=to_status, by_id=officer, at=bench_moment(days[i], i))  # fmt: skip
        for n in range(rng.choice([1, 1, 2, 3])):
            persons.row(request_id=rid, role="suspect" if n == 0 else "witness", full_name=rng.choice(NAMES),
                        birth_date=dt.date(1970 + rng.randint(0, 30), rng.randint(1, 12), rng.randint(1, 28)),
                        nationality_id=rng.choice(["KZ", partner]), location="—", created_at=bench_moment(start))  # fmt: skip
        for i in range(1, len(path)):
            if path[i] in ("sent", "acknowledged", "returned", "assigned", "materials_sent", "refused", "executed",
                           "partly_executed", "withdrawn", "received") or (i == 1 and direction == "incoming"):  # fmt: skip
                letters.row(request_id=rid, direction="in" if path[i] in ("acknowledged", "executed") else "out",
                            dated=days[i], counterpart=values["foreign_authority"], summary=path[i],
                            reference=f"{rid}/{i}", created_by_id=officer, created_at=bench_moment(days[i]))  # fmt: skip
        if rng.random() < 0.33:
            done = status not in ("draft", "received")
            translations.row(request_id=rid, language="en", document="Запрос", status="done" if done else "ordered",
                             due_date=start + dt.timedelta(days=10), done_on=days[min(1, len(days) - 1)] if done else None)  # fmt: skip
        if rid % 20_000 == 0:
            for rows in (requests, persons, letters, history, translations):
                rows.flush()
            print(f"  {rid:>9,} requests  {time.perf_counter() - started:6.1f} s", flush=True)
    for rows in (requests, persons, letters, history, translations):
        rows.flush()
    RequestCounter.objects.bulk_create(
        [RequestCounter(office_id=o, year=y, last=n) for (o, y), n in counters.items()], batch_size=1000
    )
    return {
        "requests": requests.written,
        "persons": persons.written,
        "letters": letters.written,
        "history": history.written,
        "translations": translations.written,
    }


def bench_moment(day: dt.date, minutes: int = 0) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(9, 30), tzinfo=dt.UTC) + dt.timedelta(minutes=17 * minutes)


def _path(direction: str, status: str) -> list[str]:
    """The statuses a request went through to reach `status` (its history's to_status values)."""
    if direction == "outgoing":
        if status in OUT_PATH:
            return OUT_PATH[: OUT_PATH.index(status) + 1]
        if status == "withdrawn":
            return [*OUT_PATH[:4], "withdrawn"]
        return [*OUT_PATH, status]
    if status in IN_PATH:
        return IN_PATH[: IN_PATH.index(status) + 1]
    if status == "returned":
        return [*IN_PATH[:2], "returned"]
    if status == "refused":
        return [*IN_PATH[:3], "refused"]
    if status == "materials_sent":
        return [*IN_PATH, "executed", "materials_sent"]
    return [*IN_PATH, status]


def _days(rng: random.Random, start: dt.date, steps: int, today: dt.date) -> list[dt.date]:
    """The days of the steps: within days of each other at first, weeks to months for the partner's answer."""
    gaps = [0, 2, 2, 3, 20, 25, 90, 10]
    days, day = [start], start
    for i in range(1, steps):
        day = min(day + dt.timedelta(days=rng.randint(1, max(2, gaps[min(i, len(gaps) - 1)] * 2))), today)
        days.append(day)
    return days


def _dates(values: dict[str, Any], direction: str, kind: str, path: list[str], days: list[dt.date]) -> None:
    """The request's dates and due date from its path, as the step services set them."""
    on = dict(zip(path, days, strict=True))
    status = path[-1]
    due: dt.date | None = None
    if direction == "outgoing":
        values.update(signed_on=on.get("signed"), dated=on.get("signed"), sent_on=on.get("sent"),
                      acknowledged_on=on.get("acknowledged"))  # fmt: skip
        if status in ("executed", "partly_executed", "refused"):
            values.update(executed_on=on[status], outcome="Исполнено.")
        if status == "sent":
            due = on["sent"] + dt.timedelta(days=TERMS[("outgoing", "acknowledge")])
        elif status in ("acknowledged", "in_execution"):
            due = on["acknowledged"] + dt.timedelta(days=TERMS[("outgoing", "execute")][kind])  # type: ignore[index]
    else:
        values.update(received_on=days[0], dated=days[0] - dt.timedelta(days=7))
        if "executed" in on or status == "partly_executed":
            values.update(executed_on=on.get("executed", on.get("partly_executed")), outcome="Исполнено.")
        if status == "materials_sent":
            values["materials_sent_on"] = on["materials_sent"]
        if status == "received":
            due = days[0] + dt.timedelta(days=TERMS[("incoming", "register")])
        elif status == "registered":
            due = on["registered"] + dt.timedelta(days=TERMS[("incoming", "check")])
        elif status == "assigned":
            due = on["assigned"] + dt.timedelta(days=TERMS[("incoming", "execute")][kind])  # type: ignore[index]
    values["due_date"] = due


def build(args: argparse.Namespace, result: dict[str, Any]) -> None:
    import os

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from prokuratura.appeals.demo import _BulkLoad
    from prokuratura.cooperation.models_requests import (
        AssistanceRequest,
        Correspondence,
        RequestPerson,
        RequestTransition,
        TranslationTask,
    )
    from prokuratura.core.actors import SETUP
    from prokuratura.core.audit import audit_record
    from prokuratura.core.demo import seed_offices, seed_users

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_reference", stdout=quiet)
        call_command("load_cooperation", stdout=quiet)
    seed_users(seed_offices())
    result["setup_seconds"] = round(time.perf_counter() - started, 1)
    today = timezone.localdate()
    models = [AssistanceRequest, RequestPerson, Correspondence, RequestTransition, TranslationTask]
    load = _BulkLoad(connection.alias, models, after_id=0)
    load.set_aside()
    started = time.perf_counter()
    try:
        with transaction.atomic():
            counts = generate(args, today)
    finally:
        generated = time.perf_counter() - started
        load.restore()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            for model in models:
                table = model._meta.db_table
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
                )
    audit_record(
        actor=SETUP, action="create", object_type=MARKER, object_id=str(args.requests), changes=counts
    )
    result["seed"] = {
        **counts,
        "generate_and_write_seconds": round(generated, 1),
        "index_seconds": round(time.perf_counter() - started - generated, 1),
        "analyze_seconds": bench.analyze(),
    }


# --- the reads and their hand-written SQL ------------------------------------------------------------------------

PAGE = """
SELECT r.*, o.*, c.*, u.*, i.*, f.* FROM cooperation_assistancerequest r
JOIN core_office o ON o.id = r.office_id JOIN core_country c ON c.iso2 = r.partner_id
JOIN accounts_user u ON u.id = r.officer_id LEFT JOIN cooperation_instrument i ON i.id = r.basis_id
LEFT JOIN core_crimecategory f ON f.id = r.focus_area_id
WHERE {where} ORDER BY r.created_at DESC, r.id DESC LIMIT 25"""
AWAITING = "('sent', 'acknowledged', 'in_execution', 'received', 'registered', 'assigned')"
MINE = "(r.officer_id = %(user)s OR r.prosecutor_id = %(user)s OR r.created_by_id = %(user)s)"


def _subtree(user: Any) -> list[int]:
    from prokuratura.core.models import Office

    return list(Office.objects.filter(path__startswith=user.office.path).values_list("pk", flat=True))


def _scope(who: str) -> str:
    """The record rule as one would write it by hand: the national head sees everything; the officer at the root
    office the public and internal requests and those naming them; a regional head every request of the offices
    below and those naming them."""
    return {
        "national head": "TRUE",
        "officer": f"(r.sensitivity IN ('public', 'internal') OR {MINE})",
        "regional head": f"(r.sensitivity = 'public' OR r.office_id = ANY(%(offices)s) OR {MINE})",
    }[who]


def _hand_lists(who: str, user: Any, today: dt.date) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    params = {"user": user.pk, "offices": _subtree(user), "today": today}
    scope = _scope(who)
    lists = {
        "register": scope,
        "partner RU": f"r.partner_id = 'RU' AND {scope}",
        "overdue": f"r.status IN {AWAITING} AND r.due_date < %(today)s AND {scope}",
        "mine": f"r.officer_id = %(user)s AND {scope}",
    }
    return {
        label: [
            (PAGE.format(where=where), params),
            (f"SELECT count(*) FROM cooperation_assistancerequest r WHERE {where}", params),  # noqa: S608
        ]
        for label, where in lists.items()
    }


def _hand_detail(record_id: int) -> list[tuple[str, dict[str, Any]]]:
    p = {"id": record_id}
    return [
        (
            "SELECT r.*, o.*, c.*, i.*, u.*, pr.*, cb.*, oc.*, f.*, eo.* FROM cooperation_assistancerequest r "
            "JOIN core_office o ON o.id = r.office_id JOIN core_country c ON c.iso2 = r.partner_id "
            "LEFT JOIN cooperation_instrument i ON i.id = r.basis_id JOIN accounts_user u ON u.id = r.officer_id "
            "LEFT JOIN accounts_user pr ON pr.id = r.prosecutor_id LEFT JOIN accounts_user cb ON cb.id = "
            "r.created_by_id LEFT JOIN core_crimecategory oc ON oc.id = r.offence_category_id LEFT JOIN "
            "core_crimecategory f ON f.id = r.focus_area_id LEFT JOIN core_office eo ON eo.id = r.executing_office_id "
            "WHERE r.id = %(id)s",
            p,
        ),
        (
            "SELECT p.*, c.* FROM cooperation_requestperson p LEFT JOIN core_country c ON c.iso2 = p.nationality_id "
            "WHERE p.request_id = %(id)s ORDER BY p.id",
            p,
        ),
        (
            "SELECT l.*, u.* FROM cooperation_correspondence l LEFT JOIN accounts_user u ON u.id = l.created_by_id "
            "WHERE l.request_id = %(id)s ORDER BY l.dated, l.id",
            p,
        ),
        ("SELECT * FROM cooperation_translationtask WHERE request_id = %(id)s ORDER BY language, id", p),
        ("SELECT * FROM cooperation_refusalassessment WHERE request_id = %(id)s ORDER BY id", p),
        (
            "SELECT h.*, u.* FROM cooperation_requesttransition h LEFT JOIN accounts_user u ON u.id = h.by_id "
            "WHERE h.request_id = %(id)s ORDER BY h.at, h.id",
            p,
        ),
    ]


def _hand_numbers(who: str, user: Any, date_from: dt.date, date_to: dt.date, today: dt.date) -> list[Any]:
    """The numbers by hand: five counts grouped by a dimension and the status, the days to execution grouped, the
    overdue grouped by office and partner, and the names."""
    params = {"from": date_from, "to": date_to, "today": today, "offices": _subtree(user)}
    scope = "TRUE" if who in ("national head", "analyst") else "office_id = ANY(%(offices)s)"
    started = (
        "((direction = 'outgoing' AND sent_on BETWEEN %(from)s AND %(to)s) OR (direction = 'incoming' AND "
        f"received_on BETWEEN %(from)s AND %(to)s)) AND {scope}"
    )
    grouped = [
        (f"SELECT {key}, status, count(*) FROM cooperation_assistancerequest WHERE {started} GROUP BY {key}, status", params)  # noqa: S608
        for key in ("direction", "kind", "partner_id", "focus_area_id", "offence_category_id")
    ]  # fmt: skip
    took = "executed_on - CASE WHEN direction = 'outgoing' THEN sent_on ELSE received_on END"
    return [
        *grouped,
        (
            f"SELECT partner_id, direction, {took}, count(*) FROM cooperation_assistancerequest WHERE {started} AND "  # noqa: S608
            "status IN ('executed', 'partly_executed', 'materials_sent') AND executed_on IS NOT NULL "
            f"GROUP BY partner_id, direction, {took}",
            params,
        ),
        (
            "SELECT office_id, partner_id, count(*), min(due_date) FROM cooperation_assistancerequest WHERE status IN "  # noqa: S608
            f"{AWAITING} AND due_date < %(today)s AND {scope} GROUP BY office_id, partner_id",
            params,
        ),
        ("SELECT iso2, name_en, name_ru, name_kk FROM core_country", {}),
        ("SELECT id, code, name_en, name_ru, name_kk, ordering FROM core_crimecategory", {}),
    ]


def _run_sql(statements: list[tuple[str, dict[str, Any]]]) -> Callable[[], None]:
    from django.db import connection

    vendor = connection.vendor

    def run() -> None:
        with connection.cursor() as cursor:
            for statement, params in statements:
                if vendor == "sqlite":
                    statement, params = _sqlite(statement, params)
                cursor.execute(statement, params)
                cursor.fetchall()

    return run


def _sqlite(statement: str, params: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The PostgreSQL spelling of the hand-written SQL in SQLite's: `= ANY(list)` as `IN (…)`, the date
    difference in days."""
    if "ANY(%(offices)s)" in statement:
        ids = ", ".join(str(int(i)) for i in params["offices"]) or "NULL"
        statement = statement.replace("= ANY(%(offices)s)", f"IN ({ids})")
    statement = statement.replace(
        "executed_on - CASE WHEN direction = 'outgoing' THEN sent_on ELSE received_on END",
        "julianday(executed_on) - julianday(CASE WHEN direction = 'outgoing' THEN sent_on ELSE received_on END)",
    )
    return statement, {k: v for k, v in params.items() if k != "offices"}


def _selects(fn: Callable[[], Any]) -> tuple[list[str], int]:
    """The ORM's statements: the SELECTs (replayed) and how many writes there were (not replayed: the audit
    entry of a read of personal data is one, and its sequence is unique)."""
    statements = bench.captured_sql(fn)
    reads = [s for s in statements if s.lstrip().upper().startswith(("SELECT", "WITH"))]
    return reads, len(statements) - len(reads)


def operations(
    users: dict[str, Any], today: dt.date
) -> list[tuple[str, Callable[[], Any] | None, list[Any]]]:
    from prokuratura.cooperation.models_requests import AssistanceRequest
    from prokuratura.cooperation.request_access import access_request
    from prokuratura.cooperation.request_selectors import RequestFilters, request_detail, request_list

    out: list[tuple[str, Callable[[], Any] | None, list[Any]]] = []
    readers = [("national head", "head_gpo"), ("officer", "intl_officer"), ("regional head", "head")]
    filters = {
        "register": RequestFilters(),
        "partner RU": RequestFilters(partner="RU"),
        "overdue": RequestFilters(overdue=True),
        "mine": RequestFilters(mine=True),
    }
    for who, username in readers:
        user = users[username]
        hand = _hand_lists(who, user, today)

        def fresh(user: Any = user) -> Any:
            # The office subtree is read once per Office instance (core.access.office_subtree_ids): forget it, as a
            # new request would.
            if user.office is not None and hasattr(user.office, "_subtree_ids"):
                del user.office._subtree_ids
            return user

        for label, chosen in filters.items():
            if label == "mine" and who != "officer":
                continue

            def page(chosen: Any = chosen, fresh: Any = fresh) -> tuple[list[Any], int]:
                qs = request_list(user=fresh(), filters=chosen)
                return list(qs[:25]), qs.count()

            out.append((f"{who}: list {label} (page + count)", page, hand[label]))
    officer = users["intl_officer"]
    record = (
        AssistanceRequest.objects.filter(officer=officer, sensitivity="internal", status="materials_sent")
        .order_by("-id")
        .first()
    )
    if record is not None:

        def detail(record_id: int = record.pk) -> Any:
            found = access_request(user=officer, request_id=record_id)
            return request_detail(user=officer, assistance_request=found)

        out.append(("officer: a request's page (access + detail)", detail, _hand_detail(record.pk)))
    try:
        from prokuratura.cooperation.request_stats import NumbersFilters, request_numbers
    except ImportError:  # written by another change: the hand-written aggregates are timed alone
        request_numbers = None  # type: ignore[assignment]
    periods = {"12 months": today - dt.timedelta(days=364), "10 years": today - dt.timedelta(days=3652)}
    for who, username in (("national head", "head_gpo"), ("regional head", "head"), ("analyst", "analyst")):
        user = users[username]
        for period, date_from in periods.items():
            numbers = None
            if request_numbers is not None:

                def numbers(user: Any = user, date_from: dt.date = date_from) -> Any:
                    return request_numbers(
                        user=user, filters=NumbersFilters(date_from=date_from, date_to=today), today=today
                    )

            out.append(
                (f"{who}: numbers, {period}", numbers, _hand_numbers(who, user, date_from, today, today))
            )
    return out


def measure(args: argparse.Namespace, result: dict[str, Any]) -> None:
    from django.db import connection
    from django.utils import timezone

    from prokuratura.accounts.models import User

    today = timezone.localdate()
    users = {
        u.username: u
        for u in User.objects.select_related("office").filter(
            username__in=["head_gpo", "head", "intl_officer", "analyst"]
        )
    }
    reads: dict[str, Any] = {}
    plans: dict[str, Any] = {}
    for label, fn, hand in operations(users, today):
        if args.reads not in label:
            continue
        hand_fn = _run_sql(hand)
        hand_fn()
        if fn is None:
            _unused, raw = bench.timed_pair(hand_fn, hand_fn, args.rounds, args.budget)
            item: dict[str, Any] = {"queries": None, "hand_sql": bench.summary(raw)}
            reads[label] = item
            print(f"  {label:<52} hand {item['hand_sql']['p50_ms']:>8.1f} ms (no ORM selector)", flush=True)
            continue
        fn()
        orm_sql, writes = _selects(fn)
        orm, replayed = bench.timed_pair(fn, bench.replay(orm_sql), args.rounds, args.budget)
        _orm2, raw = bench.timed_pair(fn, hand_fn, args.rounds, args.budget)
        item = {
            "queries": len(orm_sql) + writes,
            "writes": writes,
            "orm": bench.summary(orm),
            "orm_sql_replayed": bench.summary(replayed),
            "hand_sql": bench.summary(raw),
        }
        item["ratio"] = round(statistics.median(orm) / statistics.median(raw), 2)
        reads[label] = item
        print(
            f"  {label:<52} orm {item['orm']['p50_ms']:>8.1f}  replayed {item['orm_sql_replayed']['p50_ms']:>8.1f}"
            f"  hand {item['hand_sql']['p50_ms']:>8.1f} ms  ×{item['ratio']}",
            flush=True,
        )
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            explained = []
            for statement in orm_sql:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
                explained.append({"sql": statement, "plan": [r[0] for r in cursor.fetchall()]})
            hand_plans = []
            for statement, params in hand:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement, params)
                hand_plans.append({"sql": statement, "plan": [r[0] for r in cursor.fetchall()]})
        plans[label] = {"orm": explained, "hand": hand_plans}
    result["reads"] = reads
    result["explain"] = plans


def print_table(result: dict[str, Any]) -> None:
    print()
    print(f"requests benchmark — {result['db']}, {result['requests']:,} requests")
    seed = result.get("seed")
    if seed:
        print(
            f"  seeding: {seed['requests']:,} requests, {seed['persons']:,} persons, {seed['letters']:,} letters, "
            f"{seed['history']:,} history rows, {seed['translations']:,} translations; generate + write "
            f"{seed['generate_and_write_seconds']} s, indexes {seed['index_seconds']} s, analyze "
            f"{seed['analyze_seconds']} s"
        )
    print(f"  database size: {result['machine']['database_size_mb']:,} MB")
    print(f"  {'read':<52} {'q':>3} {'orm p50':>9} {'replay p50':>10} {'hand p50':>9} {'ratio':>6}  (ms)")
    for label, item in result.get("reads", {}).items():
        if item.get("queries") is None:
            print(f"  {label:<52} {'—':>3} {'—':>9} {'—':>10} {item['hand_sql']['p50_ms']:>9.1f} {'—':>6}")
            continue
        print(
            f"  {label:<52} {item['queries']:>3} {item['orm']['p50_ms']:>9.1f} "
            f"{item['orm_sql_replayed']['p50_ms']:>10.1f} {item['hand_sql']['p50_ms']:>9.1f} {item['ratio']:>6}"
        )


def main() -> None:
    args = parse_args()
    url, may_exist = prepare_database(args)
    bench.setup_django(url)
    db = "SQLite" if args.sqlite else "PostgreSQL"
    result: dict[str, Any] = {
        "db": db,
        "requests": args.requests,
        "years": args.years,
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", "bench/cooperation_requests_bench.py", *sys.argv[1:]]),
    }
    print(f"requests benchmark: {db} {args.sqlite or args.dbname}, {args.requests:,} requests", flush=True)
    bench.run_seeded(
        args,
        result,
        may_exist=may_exist,
        seeded=lambda: seeded_requests() == args.requests,
        build=build,
        measure=measure,
        print_table=print_table,
        out_name=f"requests-{db.lower()}-{args.requests}",
    )


if __name__ == "__main__":
    main()
