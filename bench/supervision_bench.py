"""Supervision at national scale: ten years of acts of response, inspections and violations in a database of their
own, then the control lists and the numbers against hand-written SQL.

    .venv/bin/python bench/supervision_bench.py --acts 2000000 [--reuse] [--dbname bench_supervision]
    .venv/bin/python bench/supervision_bench.py --acts 2000000 --reuse --reads numbers    # some reads only

PostgreSQL only (127.0.0.1:5432, user root). The database is dropped and rebuilt unless --reuse finds one seeded
with the same number of acts. It is migrated, loaded with the reference data, the demo office tree and users, and
BENCH_STAFF prosecutors per office (so one prosecutor's acts are a realistic few thousand over ten years), then
filled by COPY with indexes, unique constraints and foreign keys set aside and built once at the end
(prokuratura.appeals.demo._BulkLoad), and VACUUM ANALYZEd. Proportions: per act 0.4 inspections and about 0.75
violations (an inspection carried out: 1–3 violations, and once completed 1–3 acts; each office's remaining share of
acts, about a quarter, on no inspection); offices weighted by their region's population as the appeals' demo does. Statuses follow each record's age: the last months hold the
drafts, acts awaiting their answer (some overdue), replies without a result and running inspections (some past their
period); older ones are mostly closed, with the few forgotten ones a real register has. Not generated: the steps'
history, the act–violation links, letters and audit entries (the reads measured here touch none of them).

Measured, for the national head (`head_gpo`), a regional head (`head`, Astana) and a district prosecutor
(`prosecutor`, in the scope the control page opens on: office, office, mine), each round-robin over --rounds:
- the three control lists (prokuratura.supervision.control): the first page of 25 and the count;
- the home panel's counts (`control_counts`);
- the numbers (prokuratura.supervision.stats.supervision_numbers) for the last twelve months, by office and by type
  of act — for the heads and an analyst (a prosecutor holds no supervision.view_stats);
against (a) the statements the ORM sent, replayed through the cursor (the database's share) and (b) SQL written by
hand for the same rows. It prints a table with the medians and the ratio ORM / hand-written SQL, the EXPLAIN
(ANALYZE, BUFFERS) of every statement, and writes everything to var/bench/supervision-<N>-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import statistics
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import appeals as bench  # noqa: E402 - bench/appeals.py, beside this file: the database and timing helpers

ROOT, BENCH_DIR, PG_SERVER = bench.ROOT, bench.BENCH_DIR, bench.PG_SERVER
BENCH_STAFF = {"general": 10, "regional": 30, "district": 25}  # prosecutors per office
YEARS = 10
INSPECTIONS_PER_ACT, STANDALONE_ACTS = 0.4, 0.1  # STANDALONE_ACTS: at least this share
MARKER = "supervision.bench"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--acts", type=int, default=2_000_000, help="Acts to generate (default 2,000,000).")
    parser.add_argument("--reuse", action="store_true", help="Keep a database already seeded with --acts N.")
    parser.add_argument("--dbname", default="bench_supervision", help="PostgreSQL database (%(default)s).")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=15, help="Repetitions of each read (%(default)s).")
    parser.add_argument("--budget", type=float, default=20, help="Seconds each read may take in all (20).")
    parser.add_argument("--seed-only", action="store_true", help="Build the database, measure nothing.")
    parser.add_argument("--reads", default="", help="Measure only the reads whose label contains this text.")
    return parser.parse_args()


def prepare_database(args: argparse.Namespace) -> tuple[str, bool]:
    import psycopg
    from psycopg import sql

    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.dbname]).fetchone()
        if exists and not args.reuse:
            conn.execute(sql.SQL("DROP DATABASE {} WITH (FORCE)").format(sql.Identifier(args.dbname)))
            exists = None
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(args.dbname)))
    return f"{PG_SERVER}/{args.dbname}", bool(exists)


def seeded_acts() -> int:
    from prokuratura.core.models import AuditEntry

    entry = AuditEntry.objects.filter(object_type=MARKER).order_by("-id").first()
    return int(entry.changes.get("acts", 0)) if entry else 0


# --- the data ----------------------------------------------------------------------------------------------------


class _Copy:
    """Rows of one model as lists in the model's column order, written by COPY; `template` holds each column's
    default (what a new model instance would store), so a row sets only what varies."""

    def __init__(self, model: type[Any]) -> None:
        from django.db import connection
        from django.utils import timezone

        self.model = model
        self.fields = [f for f in model._meta.concrete_fields if not getattr(f, "generated", False)]
        self.at = {f.attname: i for i, f in enumerate(self.fields)}
        now = timezone.now()
        self.template = [
            now if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False) else f.get_default()
            for f in self.fields
        ]
        self.template = [
            f.get_db_prep_save(v, connection) for f, v in zip(self.fields, self.template, strict=True)
        ]
        qn = connection.ops.quote_name
        self.statement = (
            f"COPY {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in self.fields)}) FROM STDIN"
        )
        self.rows: list[list[Any]] = []
        self.written = 0

    def row(self, **values: Any) -> list[Any]:
        row = self.template[:]
        at = self.at
        for name, value in values.items():
            row[at[name]] = value
        self.rows.append(row)
        return row

    def flush(self) -> None:
        from django.db import connection

        if not self.rows:
            return
        with connection.cursor() as cursor, cursor.cursor.copy(self.statement) as copy:
            for row in self.rows:
                copy.write_row(row)
        self.written += len(self.rows)
        self.rows = []


def _staff(offices: list[Any]) -> dict[int, list[int]]:
    """BENCH_STAFF prosecutors per office (no password), plus the demo users of the office."""
    from prokuratura.accounts.models import User, UserRole
    from prokuratura.accounts.roles import Role

    users = [
        User(
            username=f"bench.{office.code.lower()}.{n}",
            first_name="Бенч",
            last_name=f"Прокурор {n}",
            office=office,
        )
        for office in offices
        for n in range(BENCH_STAFF[office.level])
    ]
    for user in users:
        user.set_unusable_password()
    User.objects.bulk_create(users, batch_size=1000)
    made = User.objects.filter(username__startswith="bench.")
    UserRole.objects.bulk_create([UserRole(user=u, role=Role.PROSECUTOR) for u in made], batch_size=1000)
    staff: dict[int, list[int]] = {}
    for user_id, office_id in User.objects.filter(user_roles__role=Role.PROSECUTOR).values_list(
        "id", "office"
    ):
        staff.setdefault(office_id, []).append(user_id)
    return staff


def _age_mix(age: int, table: list[tuple[int, list[tuple[str, float]]]]) -> list[tuple[str, float]]:
    for limit, mix in table:
        if age <= limit:
            return mix
    return table[-1][1]


# Status by the record's age in days (an act: from its date; an inspection: from the end of its period).
ACT_MIX = [
    (30, [("issued", 0.72), ("replied", 0.12), ("closed", 0.10), ("withdrawn", 0.02), ("in_court", 0.04)]),
    (120, [("closed", 0.62), ("replied", 0.12), ("issued", 0.16), ("in_court", 0.06), ("withdrawn", 0.04)]),
    (
        10**6,
        [("closed", 0.955), ("withdrawn", 0.025), ("in_court", 0.005), ("replied", 0.005), ("issued", 0.01)],
    ),
]
INSPECTION_MIX = [
    (-1, [("in_progress", 0.6), ("ordered", 0.3), ("planned", 0.1)]),  # the period has not ended yet
    (
        60,
        [
            ("completed", 0.55),
            ("in_progress", 0.2),
            ("implemented", 0.15),
            ("cancelled", 0.05),
            ("ordered", 0.05),
        ],
    ),
    (
        200,
        [
            ("implemented", 0.35),
            ("completed", 0.3),
            ("closed", 0.3),
            ("cancelled", 0.04),
            ("in_progress", 0.01),
        ],
    ),
    (10**6, [("closed", 0.9), ("implemented", 0.04), ("cancelled", 0.05), ("completed", 0.01)]),
]
TYPE_WEIGHTS = {
    "submission": 45,
    "protest": 15,
    "warning": 10,
    "order": 10,
    "claim": 8,
    "administrative": 7,
    "disciplinary": 5,
}
TERMS = {
    "protest": 10,
    "submission": 30,
    "order": 30,
    "administrative": 30,
    "disciplinary": 30,
}  # days; others none
ADDRESSEES = [
    "Акимат района",
    "ТОО «Жылу Сервис»",
    "Управление образования",
    "Отдел земельных отношений",
    "АО «Энергосбыт Центр»",
    "Управление здравоохранения",
    "ТОО «КазСтройИнвест»",
    "Отдел занятости и социальных программ",
]
LAWS = [
    "Трудовой кодекс РК, ст. 113",
    "Земельный кодекс РК, ст. 43",
    "Бюджетный кодекс РК, ст. 4",
    "Закон РК «О государственных закупках», ст. 6",
    "Предпринимательский кодекс РК, ст. 144",
]
CATEGORIES = ["labour", "land", "budget", "procurement", "business", "citizens", "social", "environment"]
TEXT = (
    "По результатам проверки выявлены нарушения закона. Требую рассмотреть акт, устранить нарушения, их причины "
    "и условия, им способствующие, и сообщить о результатах в установленный срок."
)


def _pick(rng: random.Random, mix: list[tuple[str, float]]) -> str:
    roll, total = rng.random(), 0.0
    for value, share in mix:
        total += share
        if roll < total:
            return value
    return mix[-1][0]


def generate(args: argparse.Namespace, today: dt.date) -> dict[str, int]:
    """COPY the inspections, violations and acts into the (index-free) tables; returns how many of each."""
    from prokuratura.appeals.demo import REGION_POPULATION
    from prokuratura.core.models import Office
    from prokuratura.supervision.models import Act, ActType, Inspection, Violation

    rng = random.Random(f"supervision-bench:{args.seed}")
    offices = list(Office.objects.select_related("region").order_by("path"))
    staff = _staff(offices)
    weights = {}
    for office in offices:
        if office.region is None:
            weights[office.pk] = 0.02 * sum(REGION_POPULATION.values())
        else:
            share = 0.4 if office.level == "regional" else 0.6
            weights[office.pk] = REGION_POPULATION.get(office.region.kato_code, 500) * share
    total_weight = sum(weights.values())
    types = {t.code: t.pk for t in ActType.objects.all()}
    type_codes = [c for c in TYPE_WEIGHTS if c in types]
    type_weights = [TYPE_WEIGHTS[c] for c in type_codes]
    inspections, violations, acts = _Copy(Inspection), _Copy(Violation), _Copy(Act)
    next_id = {"inspection": 1, "violation": 1, "act": 1}
    span = YEARS * 365
    started = time.perf_counter()

    def act_row(
        office: Any,
        author: int,
        inspection_id: int | None,
        sensitivity: str,
        on: dt.date,
        counters: dict[int, int],
    ) -> None:
        code = rng.choices(type_codes, type_weights)[0]
        age = (today - on).days
        if age < 0:
            status, on_date = "draft", None
        else:
            status, on_date = _pick(rng, _age_mix(age, ACT_MIX)), on
            if code == "warning" and status in ("replied", "in_court"):
                status = "closed"  # nothing answers a warning: its result is recorded at once
            elif code == "claim" and status == "replied":
                status = "in_court"  # a claim is answered by the court
        values: dict[str, Any] = {
            "id": next_id["act"],
            "office_id": office.pk,
            "status": status,
            "sensitivity": sensitivity,
            "act_type_id": types[code],
            "inspection_id": inspection_id,
            "author_id": author,
            "addressee_name": rng.choice(ADDRESSEES),
            "language": "kk" if rng.random() < 0.3 else "ru",
            "subject": code,
            "text": TEXT,
            "created_by_id": author,
        }
        next_id["act"] += 1
        if on_date is not None:
            year = on_date.year
            counters[year] = counters.get(year, 0) + 1
            term = TERMS.get(code)
            values.update(
                year=year,
                sequence=counters[year],
                number=f"{office.code}-{year}/Н-{counters[year]}",
                issued_on=on_date,
                due_date=on_date + dt.timedelta(days=term) if term else None,
                signer_id=author,
                signer_name="Б. Прокурор",
                signer_position="Помощник прокурора",
            )
            if status in ("replied", "in_court", "closed"):
                reply = min(today, on_date + dt.timedelta(days=rng.randint(3, 40)))
                court = code in ("claim",) or status == "in_court"
                if not court:
                    result = (
                        "appealed"
                        if status == "in_court"
                        else rng.choice(["satisfied"] * 6 + ["partly"] * 2 + ["rejected"] * 2)
                    )
                    values.update(
                        reply_on=reply,
                        reply_number="1-1",
                        reply_summary="Нарушения устранены.",
                        result=result,
                    )
                if status == "closed":
                    if court:
                        values.update(
                            court_decision_on=reply,
                            court_result=rng.choice(["satisfied", "partly", "rejected"]),
                        )
                    values.update(
                        persons_restored=rng.choice([0, 0, 1, 2, 5, 12]),
                        amount_recovered=Decimal(rng.choice([0, 0, 0, 150_000, 1_200_000, 8_500_000])),
                        persons_disciplinary=rng.choice([0, 0, 1, 2]),
                        persons_administrative=rng.choice([0, 0, 0, 1]),
                        persons_criminal=1 if rng.random() < 0.02 else 0,
                    )
        acts.row(**values)

    for office in offices:
        n_acts = round(args.acts * weights[office.pk] / total_weight)
        n_inspections = round(n_acts * INSPECTIONS_PER_ACT)
        first_act = next_id["act"]
        people = staff[office.pk]
        act_counters: dict[int, int] = {}
        inspection_counters: dict[int, int] = {}
        starts = sorted(today - dt.timedelta(days=rng.randint(-30, span)) for _n in range(n_inspections))
        for start in starts:
            end = start + dt.timedelta(days=rng.randint(20, 40))
            age = (today - end).days
            status = _pick(rng, _age_mix(age, INSPECTION_MIX))
            if start > today:
                status = "planned"
            responsible = rng.choice(people)
            sensitivity = "internal" if rng.random() < 0.97 else rng.choice(["public", "restricted"])
            inspection_counters[start.year] = inspection_counters.get(start.year, 0) + 1
            inspection_id = next_id["inspection"]
            next_id["inspection"] += 1
            inspections.row(
                id=inspection_id,
                number=f"{office.code}-{start.year}/П-{inspection_counters[start.year]}",
                office_id=office.pk,
                status=status,
                sensitivity=sensitivity,
                kind=rng.choice(["scheduled", "unscheduled"]),
                ground="plan",
                subject_kind="state_body",
                subject_name=rng.choice(ADDRESSEES),
                period_start=start,
                period_end=end,
                responsible_id=responsible,
                topics="Соблюдение законодательства",
                results="Выявлены нарушения." if status in ("completed", "implemented", "closed") else "",
                completed_on=min(end, today) if status in ("completed", "implemented", "closed") else None,
                created_by_id=responsible,
            )
            if status in ("planned", "ordered", "cancelled"):
                continue
            found_until = min(end, today)
            for _n in range(rng.choice([1, 2, 2, 3])):
                violations.row(
                    id=next_id["violation"],
                    office_id=office.pk,
                    sensitivity=sensitivity,
                    inspection_id=inspection_id,
                    found_on=start + dt.timedelta(days=rng.randint(0, max(0, (found_until - start).days))),
                    description="Нарушение закона",
                    law_violated=rng.choice(LAWS),
                    category=rng.choice(CATEGORIES),
                    persons_affected=rng.choice([0, 0, 1, 3, 10]),
                    damage=Decimal(rng.choice([0, 0, 250_000, 4_000_000])),
                    created_by_id=responsible,
                )
                next_id["violation"] += 1
            if status == "in_progress":
                continue
            for _n in range(rng.choice([1, 2, 2, 2, 3])):
                act_row(
                    office,
                    responsible,
                    inspection_id,
                    sensitivity,
                    end + dt.timedelta(days=rng.randint(0, 20)),
                    act_counters,
                )
        # Acts on no inspection (a tenth or so) make up the office's share: inspections still running, planned
        # or cancelled have none.
        for _n in range(max(round(n_acts * STANDALONE_ACTS), n_acts - (next_id["act"] - first_act))):
            on = today - dt.timedelta(days=rng.randint(0, span))
            act_row(office, rng.choice(people), None, "internal", on, act_counters)
        for copier in (inspections, violations, acts):
            if len(copier.rows) > 50_000:
                copier.flush()
        print(
            f"  {office.code:<12} acts {acts.written + len(acts.rows):>9,}  {time.perf_counter() - started:6.0f} s",
            flush=True,
        )
    for copier in (inspections, violations, acts):
        copier.flush()
    return {"inspections": inspections.written, "violations": violations.written, "acts": acts.written}


def build(args: argparse.Namespace, result: dict[str, Any]) -> None:
    import os

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from prokuratura.appeals.demo import _BulkLoad
    from prokuratura.core.actors import SETUP
    from prokuratura.core.audit import audit_record
    from prokuratura.core.demo import seed_offices, seed_users
    from prokuratura.supervision.models import Act, Inspection, Violation

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_reference", stdout=quiet)
    seed_users(seed_offices())
    result["setup_seconds"] = round(time.perf_counter() - started, 1)
    today = timezone.localdate()
    load = _BulkLoad(connection.alias, [Inspection, Violation, Act], after_id=0)
    load.set_aside()
    started = time.perf_counter()
    try:
        with transaction.atomic():
            counts = generate(args, today)
    finally:
        generated = time.perf_counter() - started
        load.restore()
    with connection.cursor() as cursor:
        for model in (Inspection, Violation, Act):
            table = model._meta.db_table
            cursor.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
    audit_record(actor=SETUP, action="create", object_type=MARKER, object_id=str(args.acts), changes=counts)
    result["seed"] = {
        **counts,
        "generate_and_copy_seconds": round(generated, 1),
        "index_seconds": round(time.perf_counter() - started - generated, 1),
        "analyze_seconds": bench.analyze(),
    }


# --- the reads and their hand-written SQL ------------------------------------------------------------------------

ACT_PAGE = """
SELECT a.*, o.*, t.*, u.* FROM supervision_act a
JOIN core_office o ON o.id = a.office_id JOIN supervision_acttype t ON t.id = a.act_type_id
JOIN accounts_user u ON u.id = a.author_id
WHERE {where} ORDER BY {order} LIMIT 25"""
INSPECTION_PAGE = """
SELECT i.*, o.*, u.* FROM supervision_inspection i
JOIN core_office o ON o.id = i.office_id JOIN accounts_user u ON u.id = i.responsible_id
WHERE {where} ORDER BY i.period_end, i.id LIMIT 25"""
# A regional reader's offices, as a constant list: what one would write by hand (read once, outside the timing).
SUBTREE = "ANY(%(offices)s)"


def _subtree(user: Any) -> list[int]:
    from prokuratura.core.models import Office

    return list(Office.objects.filter(path__startswith=user.office.path).values_list("pk", flat=True))


def _hand_sql(who: str, user: Any, today: dt.date) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """The control lists and counts as one would write them by hand for this user's default scope: the national head
    sees every record (all sensitivities of every office), a regional head every record of the offices below, a
    prosecutor's own acts and inspections are theirs whatever their sensitivity."""
    from prokuratura.supervision.control import NO_TERM_RESULT_AFTER_DAYS

    params = {
        "today": today,
        "cutoff": today - dt.timedelta(days=NO_TERM_RESULT_AFTER_DAYS),
        "user": user.pk,
        "offices": _subtree(user),
    }
    scope_a, scope_i = {
        "national": ("TRUE", "TRUE"),
        "regional": (f"a.office_id = {SUBTREE}", f"i.office_id = {SUBTREE}"),
        "prosecutor": ("a.author_id = %(user)s", "i.responsible_id = %(user)s"),
    }[who]
    overdue = f"a.status = 'issued' AND a.due_date < %(today)s AND {scope_a}"
    without = (
        "(a.status IN ('replied', 'in_court') OR (a.status = 'issued' AND a.due_date IS NULL AND a.issued_on < "
        f"%(cutoff)s)) AND {scope_a}"
    )
    past = f"i.status IN ('ordered', 'in_progress') AND i.period_end < %(today)s AND {scope_i}"
    return {
        "overdue acts": [
            (ACT_PAGE.format(where=overdue, order="a.due_date, a.id"), params),
            (f"SELECT count(*) FROM supervision_act a WHERE {overdue}", params),
        ],
        "acts without result": [
            (ACT_PAGE.format(where=without, order="a.issued_on, a.id"), params),
            (f"SELECT count(*) FROM supervision_act a WHERE {without}", params),
        ],
        "inspections past period": [
            (INSPECTION_PAGE.format(where=past), params),
            (f"SELECT count(*) FROM supervision_inspection i WHERE {past}", params),
        ],
        "control counts": [
            (
                "SELECT count(*) FILTER (WHERE a.status = 'issued' AND a.due_date < %(today)s), count(*) FILTER "
                "(WHERE a.status IN ('replied', 'in_court') OR (a.status = 'issued' AND a.due_date IS NULL AND "
                f"a.issued_on < %(cutoff)s)) FROM supervision_act a WHERE a.status IN ('issued', 'replied', "
                f"'in_court') AND {scope_a}",
                params,
            ),
            (f"SELECT count(*) FROM supervision_inspection i WHERE {past}", params),
        ],
    }


def _hand_numbers(
    who: str, user: Any, date_from: dt.date, date_to: dt.date
) -> dict[str, list[tuple[str, dict[str, Any]]]]:
    """The numbers' grouped counts by hand: acts, inspections, violations per office (with the offices' names), and
    acts per type (with the catalogue)."""
    params = {"from": date_from, "to": date_to, "offices": _subtree(user)}
    scope = "TRUE" if who in ("national", "analyst") else f"office_id = {SUBTREE}"
    acts = (
        "SELECT {key}, act_type_id, count(*), count(*) FILTER (WHERE result IN ('satisfied', 'partly') OR "
        "court_result IN ('satisfied', 'partly')), sum(persons_restored), sum(amount_recovered), "
        "sum(persons_disciplinary), sum(persons_administrative), sum(persons_criminal) FROM supervision_act "
        f"WHERE issued_on BETWEEN %(from)s AND %(to)s AND status <> 'withdrawn' AND {scope} GROUP BY {{key}}, act_type_id"
    )
    return {
        "numbers by office": [
            (acts.format(key="office_id"), params),
            (
                "SELECT office_id, count(*) FROM supervision_inspection WHERE period_start BETWEEN %(from)s AND "
                f"%(to)s AND status NOT IN ('planned', 'cancelled') AND {scope} GROUP BY office_id",
                params,
            ),
            (
                "SELECT office_id, count(*), sum(damage) FROM supervision_violation WHERE found_on BETWEEN "
                f"%(from)s AND %(to)s AND {scope} GROUP BY office_id",
                params,
            ),
            ("SELECT id, code, name_ru, name_kk, name_en, path FROM core_office", {}),
            ("SELECT id, code, name_ru, name_kk, name_en, ordering, is_active FROM supervision_acttype", {}),
        ],
        "numbers by act type": [
            (acts.format(key="act_type_id").replace(", act_type_id, count", ", count"), params),
            ("SELECT id, code, name_ru, name_kk, name_en, ordering, is_active FROM supervision_acttype", {}),
        ],
    }


def _run_sql(statements: list[tuple[str, dict[str, Any]]]) -> Callable[[], None]:
    from django.db import connection

    def run() -> None:
        with connection.cursor() as cursor:
            for statement, params in statements:
                cursor.execute(statement, params)
                cursor.fetchall()

    return run


def operations(
    users: dict[str, Any], today: dt.date
) -> list[tuple[str, Callable[[], Any], list[tuple[str, dict[str, Any]]]]]:
    from prokuratura.supervision import control, stats

    year_ago = today - dt.timedelta(days=364)
    out = []
    readers = [
        ("national", "head_gpo", "office"),
        ("regional", "head", "office"),
        ("prosecutor", "prosecutor", "mine"),
    ]
    lists = {
        "overdue acts": control.overdue_acts,
        "acts without result": control.acts_without_result,
        "inspections past period": control.inspections_past_period,
    }
    for who, username, scope in readers:
        user = users[username]
        hand = _hand_sql(who, user, today)

        def fresh(user: Any = user) -> Any:
            # A request reads its user's office subtree once (core.access.office_subtree_ids caches it on the
            # Office instance): forget it, as a new request would.
            if user.office is not None and hasattr(user.office, "_subtree_ids"):
                del user.office._subtree_ids
            return user

        for label, fn in lists.items():

            def page(fn: Any = fn, scope: str = scope, fresh: Any = fresh) -> tuple[list[Any], int]:
                user = fresh()
                return list(fn(user=user, scope=scope, today=today)[:25]), fn(
                    user=user, scope=scope, today=today
                ).count()

            out.append((f"{who} {scope}: {label} (page + count)", page, hand[label]))
        out.append(
            (
                f"{who} {scope}: control counts",
                lambda scope=scope, fresh=fresh: control.control_counts(
                    user=fresh(), scope=scope, today=today
                ),
                hand["control counts"],
            )
        )
    for who, username in (("national", "head_gpo"), ("regional", "head"), ("analyst", "analyst")):
        user = users[username]
        hand = _hand_numbers(who, user, year_ago, today)
        for group, label in (("office", "numbers by office"), ("act_type", "numbers by act type")):
            out.append(
                (
                    f"{who}: {label}, 12 months",
                    lambda user=user, group=group: stats.supervision_numbers(
                        user=user, date_from=year_ago, date_to=today, group=group
                    ),
                    hand[label],
                )
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
            username__in=["head_gpo", "head", "prosecutor", "analyst"]
        )
    }
    reads: dict[str, Any] = {}
    plans: dict[str, Any] = {}
    for label, fn, hand in operations(users, today):
        if args.reads not in label:
            continue
        fn()
        orm_sql = bench.captured_sql(fn)
        hand_fn = _run_sql(hand)
        hand_fn()
        orm, replayed = bench.timed_pair(fn, bench.replay(orm_sql), args.rounds, args.budget)
        _orm2, raw = bench.timed_pair(fn, hand_fn, args.rounds, args.budget)
        item = {
            "queries": len(orm_sql),
            "orm": bench.summary(orm),
            "orm_sql_replayed": bench.summary(replayed),
            "hand_sql": bench.summary(raw),
        }
        item["ratio"] = round(statistics.median(orm) / statistics.median(raw), 2)
        reads[label] = item
        print(
            f"  {label:<58} orm {item['orm']['p50_ms']:>8.1f}  replayed {item['orm_sql_replayed']['p50_ms']:>8.1f}"
            f"  hand {item['hand_sql']['p50_ms']:>8.1f} ms  ×{item['ratio']}",
            flush=True,
        )
        with connection.cursor() as cursor:
            explained = []
            for statement in [s for s in orm_sql if s.lstrip().upper().startswith("SELECT")]:
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
    print(f"supervision benchmark — PostgreSQL, {result['acts']:,} acts")
    seed = result.get("seed")
    if seed:
        print(
            f"  seeding: {seed['acts']:,} acts, {seed['inspections']:,} inspections, {seed['violations']:,} violations;"
            f" generate + COPY {seed['generate_and_copy_seconds']} s, indexes {seed['index_seconds']} s, "
            f"analyze {seed['analyze_seconds']} s"
        )
    print(f"  database size: {result['machine']['database_size_mb']:,} MB")
    print(f"  {'read':<58} {'q':>3} {'orm p50':>9} {'replay p50':>10} {'hand p50':>9} {'ratio':>6}  (ms)")
    for label, item in result.get("reads", {}).items():
        print(
            f"  {label:<58} {item['queries']:>3} {item['orm']['p50_ms']:>9.1f} {item['orm_sql_replayed']['p50_ms']:>10.1f}"
            f" {item['hand_sql']['p50_ms']:>9.1f} {item['ratio']:>6}"
        )


def main() -> None:
    args = parse_args()
    url, may_exist = prepare_database(args)
    bench.setup_django(url)
    result: dict[str, Any] = {
        "acts": args.acts,
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", "bench/supervision_bench.py", *sys.argv[1:]]),
    }
    print(f"supervision benchmark: PostgreSQL {args.dbname}, {args.acts:,} acts", flush=True)
    bench.run_seeded(
        args,
        result,
        may_exist=may_exist,
        seeded=lambda: seeded_acts() == args.acts,
        build=build,
        measure=measure,
        print_table=print_table,
        out_name=f"supervision-{args.acts}",
    )


if __name__ == "__main__":
    main()
