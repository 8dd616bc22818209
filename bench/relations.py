"""International relations at national scale: ten years of meetings and visits, follow-up tasks, joint projects and
recommendations in a database of their own, then the lists, the calendar and the numbers.

    .venv/bin/python bench/relations.py [--events 200000 --projects 20000 --recommendations 100000] [--reuse]
    .venv/bin/python bench/relations.py --reuse --reads numbers                       # some reads only
    .venv/bin/python bench/relations.py --events 20000 --sqlite var/bench/relations.sqlite3

The volume is far above the service's (a few hundred events a year): it shows how the reads grow, and which index a
list would need. PostgreSQL on 127.0.0.1:5432 (user root, database bench_relations) by default, or a SQLite file
with --sqlite. The database is dropped and rebuilt unless --reuse finds one seeded with the same numbers. It is
migrated (the counterparts and topics come with the migrations), loaded with the reference data, the demo office
tree and users, the treaty register and the real UN visits (`load_relations`), and the international officers of
cooperation_requests_bench; then filled by COPY (PostgreSQL) or executemany (SQLite) with the tables' secondary
indexes, unique constraints and foreign keys set aside and built once at the end (prokuratura.appeals.demo
._BulkLoad), and ANALYZEd. Per event: 3–5 participants (our delegation, one or two partner states, one or two
organisations or agencies), 1–3 topics, its history (create, held or cancelled); a third of the held ones leave a
follow-up task (with its history). Half the events are the Prosecutor General's Office's, the rest the regional
offices'. Projects: a partner organisation, budget, status by age, history. Recommendations: source, theme,
responsible body, status by age and 1–4 history rows. Not generated: agreements, figures, documents, audit entries
(no measured read touches them).

Measured, for the national head (`head_gpo`), the international officer (`intl_officer`) and a regional head
(`head`, Astana), each read timed round by round against the ORM's SELECTs replayed through the cursor (the
database's share), median and p90 over --rounds:
- the event list (relations.selectors.event_list): first page of 25 and the count, unfiltered and filtered by kind,
  by a counterpart with everything below it (the UN), by a state (a participant's or the venue's) and by text;
- the calendar (selectors.calendar_month) of the current month; the task lists (mine, the office's, overdue);
- the recommendations list (recommendation_selectors.recommendation_list) with its counts by status;
- the numbers (relations.stats.relations_numbers and its parts) for the head, an analyst and the officer.
It prints a table, keeps the EXPLAIN (ANALYZE, BUFFERS) of every PostgreSQL statement, and writes everything to
var/bench/relations-<db>-<events>-<time>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

import appeals as bench  # noqa: E402 - bench/appeals.py, beside this file: the database and timing helpers
import cooperation_requests_bench as rq  # noqa: E402 - the row writer, the database and the officers

ROOT, BENCH_DIR = bench.ROOT, bench.BENCH_DIR
MARKER = "relations.bench"
YEARS = 10
KINDS = {
    "meeting": 40,
    "incoming_visit": 14,
    "outgoing_visit": 14,
    "familiarisation": 3,
    "conference": 10,
    "negotiation": 6,
    "signing": 4,
    "training": 9,
}
PARTNER_STATES = [
    "RU",
    "CN",
    "UZ",
    "KG",
    "TJ",
    "TR",
    "US",
    "GB",
    "DE",
    "FR",
    "IT",
    "KR",
    "AE",
    "HU",
    "AZ",
    "BY",
]
TITLES = [
    "Встреча с Послом {state} в Республике Казахстан",
    "Визит делегации прокуратуры {state}",
    "Рабочий визит в {state}",
    "Переговоры по проекту договора о правовой помощи с {state}",
    "Meeting with the OSCE Programme Office on {topic}",
    "Семинар УНП ООН: {topic}",
    "Конференция по вопросам {topic}",
    "Подписание меморандума о сотрудничестве с {state}",
]
TOPIC_WORDS = [
    "противодействие терроризму",
    "киберпреступность",
    "торговля людьми",
    "возврат активов",
    "наркотики",
]
SUMMARY = (
    "Обсуждены вопросы правовой помощи по уголовным делам, выдачи, возврата активов и обмена опытом; "
    "достигнуты договорённости о дальнейшем сотрудничестве."
)
# Status by the record's age in days.
PROJECT_MIX = [
    (-1, [("proposed", 1.0)]),
    (365, [("active", 0.85), ("suspended", 0.05), ("cancelled", 0.05), ("proposed", 0.05)]),
    (10**6, [("completed", 0.8), ("active", 0.08), ("cancelled", 0.07), ("suspended", 0.05)]),
]
REC_MIX = [
    (180, [("not_started", 0.6), ("in_progress", 0.35), ("noted", 0.05)]),
    (1000, [("in_progress", 0.4), ("partially", 0.3), ("implemented", 0.15), ("noted", 0.1), ("not_started", 0.05)]),
    (10**6, [("implemented", 0.5), ("partially", 0.2), ("noted", 0.15), ("not_relevant", 0.1), ("in_progress", 0.05)]),
]  # fmt: skip
REC_PATH = {  # the steps' history that leads to each status
    "not_started": [],
    "in_progress": [("start", "not_started", "in_progress")],
    "partially": [("start", "not_started", "in_progress"), ("report", "in_progress", "partially")],
    "implemented": [
        ("start", "not_started", "in_progress"),
        ("report", "in_progress", "partially"),
        ("report", "partially", "implemented"),
    ],
    "noted": [("note", "not_started", "noted")],
    "not_relevant": [("start", "not_started", "in_progress"), ("close", "in_progress", "not_relevant")],
}
PROJECT_PATH = {
    "proposed": [],
    "active": [("start", "proposed", "active")],
    "suspended": [("start", "proposed", "active"), ("suspend", "active", "suspended")],
    "completed": [("start", "proposed", "active"), ("complete", "active", "completed")],
    "cancelled": [("cancel", "proposed", "cancelled")],
}


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--events", type=int, default=200_000, help="Events to generate (default 200,000).")
    parser.add_argument("--projects", type=int, default=20_000, help="Joint projects (default 20,000).")
    parser.add_argument("--recommendations", type=int, default=100_000, help="Recommendations (100,000).")
    parser.add_argument("--reuse", action="store_true", help="Keep a database seeded with the same numbers.")
    parser.add_argument("--dbname", default="bench_relations", help="PostgreSQL database (%(default)s).")
    parser.add_argument("--sqlite", metavar="PATH", help="Use this SQLite file instead of PostgreSQL.")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--rounds", type=int, default=15, help="Repetitions of each read (%(default)s).")
    parser.add_argument("--budget", type=float, default=20, help="Seconds each read may take in all (20).")
    parser.add_argument("--seed-only", action="store_true", help="Build the database, measure nothing.")
    parser.add_argument("--reads", default="", help="Measure only the reads whose label contains this text.")
    return parser.parse_args()


def _volume(args: argparse.Namespace) -> dict[str, int]:
    return {"events": args.events, "projects": args.projects, "recommendations": args.recommendations}


def seeded_volume() -> dict[str, int]:
    from prokuratura.core.models import AuditEntry

    entry = AuditEntry.objects.filter(object_type=MARKER).order_by("-id").first()
    return dict(entry.changes.get("volume", {})) if entry else {}


# --- the data ----------------------------------------------------------------------------------------------------


def _moment(day: dt.date, minutes: int = 0) -> dt.datetime:
    from django.utils import timezone

    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)) + dt.timedelta(minutes=minutes))


class _Generator:
    """Writes the rows; ids of events, tasks, projects and recommendations are set here (their history refers to
    them)."""

    def __init__(self, args: argparse.Namespace, today: dt.date) -> None:
        from prokuratura.accounts.models import User
        from prokuratura.core.models import Office
        from prokuratura.relations import models as m

        self.rng, self.today, self.args = random.Random(f"relations-bench:{args.seed}"), today, args
        self.m = m
        offices = list(Office.objects.order_by("path"))
        self.root = offices[0]
        self.regional = [o for o in offices if o.level == "regional"]
        self.officers = rq._officers(offices)
        self.head = User.objects.get(username="head_gpo")
        counterparts = list(m.Counterpart.objects.order_by("id"))
        self.organisations = [
            c.pk for c in counterparts if c.kind in ("organisation", "body", "field_office")
        ]
        self.agencies = [c.pk for c in counterparts if c.kind == "domestic_agency"]
        self.mandates = [c.pk for c in counterparts if c.kind == "mandate"] or self.organisations
        self.topics = list(m.Topic.objects.values_list("pk", flat=True))
        self.rows = {
            name: rq._Rows(model, with_id=name in ("event", "task", "project", "recommendation"))
            for name, model in (
                ("event", m.Event),
                ("participant", m.Participant),
                ("event_topic", m.Event.topics.through),
                ("event_history", m.EventTransition),
                ("task", m.FollowUpTask),
                ("task_history", m.TaskTransition),
                ("project", m.Project),
                ("project_history", m.ProjectTransition),
                ("recommendation", m.Recommendation),
                ("recommendation_history", m.RecommendationTransition),
            )
        }
        self.ids = {"event": 0, "task": 0, "project": 0, "recommendation": 0}
        # The loaded UN visits (and whatever else is there) keep their ids.
        self.ids["event"] = m.Event.objects.order_by("-id").values_list("id", flat=True).first() or 0

    def next_id(self, name: str) -> int:
        self.ids[name] += 1
        return self.ids[name]

    def flush(self, everything: bool = False) -> None:
        for rows in self.rows.values():
            if everything or len(rows.rows) > 50_000:
                rows.flush()

    def history(self, name: str, fk: str, record_id: int, by: int, steps: list[tuple[str, str, str]], days: list[dt.date]) -> None:  # fmt: skip
        for i, (step, source, target) in enumerate(steps):
            self.rows[name].row(**{fk: record_id}, step=step, from_status=source, to_status=target, by_id=by, at=_moment(days[min(i, len(days) - 1)], i))  # fmt: skip

    def office_and_officer(self) -> tuple[int, int]:
        office = self.root if self.rng.random() < 0.5 else self.rng.choice(self.regional)
        staff = self.officers.get(office.pk) or self.officers[self.root.pk]
        return office.pk, self.rng.choice(staff)

    def events(self) -> None:
        rng, today = self.rng, self.today
        kinds, weights = list(KINDS), list(KINDS.values())
        span = YEARS * 365
        for n in range(self.args.events):
            event_id = self.next_id("event")
            start = today - dt.timedelta(days=rng.randint(-60, span))
            end = start + dt.timedelta(days=rng.choice([0, 0, 0, 1, 2, 4]))
            kind = rng.choices(kinds, weights)[0]
            state = rng.choice(PARTNER_STATES)
            status = "planned" if end >= today else "cancelled" if rng.random() < 0.04 else "held"
            office, officer = self.office_and_officer()
            sensitivity = (
                "restricted" if rng.random() < 0.02 else "public" if rng.random() < 0.03 else "internal"
            )
            country = "KZ" if kind in ("incoming_visit", "familiarisation") or rng.random() < 0.5 else state
            if kind == "outgoing_visit":
                country = state
            title = rng.choice(TITLES).format(state=state, topic=rng.choice(TOPIC_WORDS))
            self.rows["event"].row(
                id=event_id, office_id=office, sensitivity=sensitivity, created_by_id=officer, kind=kind,
                status=status, title=f"{title} №{n}", start_date=start, end_date=end,
                place="Астана" if country == "KZ" else "", country_id=country,
                host_id=rng.choice(self.agencies) if country == "KZ" and self.agencies else None,
                principal_id=rng.choice(self.organisations) if rng.random() < 0.6 else None,
                summary=SUMMARY, outcomes="Договорённости достигнуты." if status == "held" else "",
            )  # fmt: skip
            participant = self.rows["participant"]
            participant.row(event_id=event_id, side="kz", country_id="KZ", official_name="А. Мукашев", official_title="Начальник департамента")  # fmt: skip
            for iso2 in rng.sample(PARTNER_STATES, rng.randint(1, 2)):
                participant.row(event_id=event_id, side="partner", country_id=iso2, official_name="J. Smith", official_title="Ambassador")  # fmt: skip
            for _n in range(rng.randint(1, 2)):
                pool = self.organisations if rng.random() < 0.7 or not self.agencies else self.agencies
                participant.row(event_id=event_id, side="partner", counterpart_id=rng.choice(pool))
            for topic in rng.sample(self.topics, rng.randint(1, 3)):
                self.rows["event_topic"].row(event_id=event_id, topic_id=topic)
            created = min(start - dt.timedelta(days=rng.randint(5, 30)), today)
            steps = [("create", "", "planned")]
            if status != "planned":
                steps.append(
                    ("hold", "planned", "held") if status == "held" else ("cancel", "planned", "cancelled")
                )
            self.history("event_history", "event_id", event_id, officer, steps, [created, min(end, today)])
            if status == "held" and rng.random() < 0.33:
                self.task(event_id, officer, end)
            if n % 20_000 == 0:
                self.flush()

    def task(self, event_id: int, officer: int, end: dt.date) -> None:
        rng, today = self.rng, self.today
        task_id = self.next_id("task")
        due = end + dt.timedelta(days=rng.randint(20, 75))
        if due >= today:
            status = rng.choice(["open", "in_progress"])
        else:
            status = rng.choices(["done", "open", "in_progress", "cancelled"], [85, 5, 5, 5])[0]
        owner = officer if rng.random() < 0.8 else self.head.pk
        done_on = min(due, today) if status == "done" else None
        self.rows["task"].row(
            id=task_id, event_id=event_id, title="Подготовить информацию об итогах", owner_id=owner,
            due_date=due, status=status, result="Исполнено." if done_on else "", done_on=done_on,
            created_by_id=officer, created_at=_moment(min(end, today)),
        )  # fmt: skip
        steps = [("create", "", "open")]
        if status != "open":
            steps.append(
                ("start", "open", "in_progress") if status != "cancelled" else ("cancel", "open", "cancelled")
            )
        if status == "done":
            steps.append(("complete", "in_progress", "done"))
        self.history("task_history", "task_id", task_id, owner, steps, [min(end, today), done_on or today])

    def projects(self) -> None:
        rng, today = self.rng, self.today
        for n in range(self.args.projects):
            project_id = self.next_id("project")
            start = today - dt.timedelta(days=rng.randint(-180, YEARS * 365))
            end = start + dt.timedelta(days=rng.randint(180, 1100))
            status = rq._pick(
                rng, rq._mix((today - end).days if end < today else -1 if start > today else 0, PROJECT_MIX)
            )
            office, officer = self.office_and_officer()
            currency = rng.choice(["EUR", "USD", "KZT"])
            budget = Decimal(rng.randint(20, 900) * (1_000_000 if currency == "KZT" else 1000))
            self.rows["project"].row(
                id=project_id, office_id=office, created_by_id=officer, partner_id=rng.choice(self.organisations),
                title=f"Совместный проект №{n}: {rng.choice(TOPIC_WORDS)}", start_date=start, end_date=end,
                budget=budget, currency=currency, status=status, description=SUMMARY, manager_id=officer,
                outputs="Проведено обучение." if status == "completed" else "",
            )  # fmt: skip
            steps = [("create", "", "proposed"), *PROJECT_PATH[status]]
            self.history(
                "project_history", "project_id", project_id, officer, steps, [start, min(end, today)]
            )
            if n % 20_000 == 0:
                self.flush()

    def recommendations(self) -> None:
        rng, today = self.rng, self.today
        sources = ["special_procedure", "treaty_body", "upr", "osce_odihr", "coe", "other"]
        for n in range(self.args.recommendations):
            rec_id = self.next_id("recommendation")
            issued = today - dt.timedelta(days=rng.randint(0, YEARS * 365))
            status = rq._pick(rng, rq._mix((today - issued).days, REC_MIX))
            office, officer = self.office_and_officer()
            due = issued + dt.timedelta(days=rng.randint(180, 900)) if status != "not_started" else None
            self.rows["recommendation"].row(
                id=rec_id, office_id=office, created_by_id=officer, source_kind=rng.choice(sources),
                source_id=rng.choice(self.mandates), document=f"A/HRC/{rng.randint(10, 60)}/{rng.randint(1, 80)}",
                paragraph=f"para. {rng.randint(1, 150)}", issued_on=issued,
                text=f"Рекомендация №{n}: обеспечить {rng.choice(TOPIC_WORDS)} в соответствии с международными стандартами.",
                theme_id=rng.choice(self.topics), responsible_id=rng.choice(self.agencies) if self.agencies else None,
                officer_id=officer, planned_actions="Подготовить проект закона." if due else "", due_date=due,
                status=status, evidence="Закон принят." if status in ("partially", "implemented") else "",
                status_changed_on=min(issued + dt.timedelta(days=200), today),
            )  # fmt: skip
            steps = [("create", "", "not_started"), *REC_PATH[status]]
            days = [issued + dt.timedelta(days=30 + 150 * i) for i in range(len(steps))]
            self.history("recommendation_history", "recommendation_id", rec_id, officer, steps, [min(d, today) for d in days])  # fmt: skip
            if n % 20_000 == 0:
                self.flush()

    def counts(self) -> dict[str, int]:
        return {name: rows.written for name, rows in self.rows.items()}


def build(args: argparse.Namespace, result: dict[str, Any]) -> None:
    import os

    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from prokuratura.appeals.demo import _BulkLoad
    from prokuratura.core.actors import SETUP
    from prokuratura.core.audit import audit_record
    from prokuratura.core.demo import seed_offices, seed_users
    from prokuratura.relations import models as m

    started = time.perf_counter()
    call_command("migrate", verbosity=0)
    with open(os.devnull, "w") as quiet:
        call_command("load_reference", stdout=quiet)
        seed_users(seed_offices())  # the offices need the regions; the UN visits need the offices
        for command in ("load_cooperation", "load_relations"):
            call_command(command, stdout=quiet, stderr=quiet)
    result["setup_seconds"] = round(time.perf_counter() - started, 1)
    today = timezone.localdate()
    models = [
        m.Event,
        m.Participant,
        m.Event.topics.through,
        m.EventTransition,
        m.FollowUpTask,
        m.TaskTransition,
        m.Project,
        m.ProjectTransition,
        m.Recommendation,
        m.RecommendationTransition,
    ]
    generator = _Generator(args, today)
    load = _BulkLoad(connection.alias, models, after_id=0)
    load.set_aside()
    started = time.perf_counter()
    try:
        with transaction.atomic():
            generator.events()
            generator.projects()
            generator.recommendations()
            generator.flush(everything=True)
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
    counts = generator.counts()
    audit_record(
        actor=SETUP,
        action="create",
        object_type=MARKER,
        object_id=str(args.events),
        changes={"volume": _volume(args), "rows": counts},
    )
    result["seed"] = {
        **counts,
        "generate_and_write_seconds": round(generated, 1),
        "index_seconds": round(time.perf_counter() - started - generated, 1),
        "analyze_seconds": bench.analyze(),
    }


# --- the reads ---------------------------------------------------------------------------------------------------


def _fresh(user: Any) -> Any:
    """The office subtree is read once per Office instance (core.access): forget it, as a new request would."""
    if user.office is not None and hasattr(user.office, "_subtree_ids"):
        del user.office._subtree_ids
    return user


def operations(users: dict[str, Any], today: dt.date) -> list[tuple[str, Callable[[], Any]]]:
    from prokuratura.relations import selectors as s
    from prokuratura.relations import stats
    from prokuratura.relations.models import Counterpart
    from prokuratura.relations.recommendation_selectors import (
        RecommendationFilters,
        recommendation_list,
        recommendation_status_counts,
    )

    un = Counterpart.objects.filter(code="un").values_list("pk", flat=True).first()
    event_filters = {
        "all": s.EventFilters(),
        "kind meeting": s.EventFilters(kind="meeting"),
        "counterpart UN and below": s.EventFilters(counterpart=un),
        "state US": s.EventFilters(state="US"),
        "text «ОБСЕ»": s.EventFilters(q="ОБСЕ"),
        "kind + state + text": s.EventFilters(kind="incoming_visit", state="CN", q="делегации"),
    }
    out: list[tuple[str, Callable[[], Any]]] = []
    for who, username in (("head", "head_gpo"), ("officer", "intl_officer"), ("regional head", "head")):
        user = users[username]
        for label, chosen in event_filters.items():

            def page(user: Any = user, chosen: Any = chosen) -> Any:
                qs = s.event_list(user=_fresh(user), filters=chosen)
                return list(qs[:25]), qs.count()

            out.append((f"{who}: events, {label} (page + count)", page))
        out.append(
            (f"{who}: calendar month", lambda user=user: s.calendar_month(user=_fresh(user), first=today))
        )
        for label, chosen in (
            ("mine", s.TaskFilters()),
            ("office", s.TaskFilters(scope=s.SCOPE_OFFICE)),
            ("office overdue", s.TaskFilters(scope=s.SCOPE_OFFICE, overdue=True)),
        ):

            def tasks(user: Any = user, chosen: Any = chosen) -> Any:
                qs = s.task_list(user=_fresh(user), filters=chosen)
                return list(qs[:25]), qs.count()

            out.append((f"{who}: tasks, {label} (page + count)", tasks))

        def recs(user: Any = user, overdue: bool = False) -> Any:
            qs = recommendation_list(user=_fresh(user), filters=RecommendationFilters(overdue=overdue))
            return list(qs[:25]), qs.count(), recommendation_status_counts(qs)

        out.append((f"{who}: recommendations (page + count + by status)", recs))
        out.append(
            (f"{who}: recommendations overdue (page + count + by status)", lambda u=user: recs(u, True))
        )
    for who, username in (("head", "head_gpo"), ("analyst", "analyst"), ("regional head", "head")):
        user = users[username]
        parts = {
            "numbers page (all tables)": lambda user=user: stats.relations_numbers(user=user, on=today),
            "SP visits, 5 years": lambda user=user: stats.special_procedure_visits(user=user, on=today),
            "projects by partner and status": lambda user=user: stats.project_numbers(user=user, on=today),
            "delegations by year and state": lambda user=user: stats.delegation_numbers(user=user, on=today),
            "recommendations by status": lambda user=user: stats.recommendation_numbers(user=user, on=today),
        }
        out.extend((f"{who}: numbers, {label}", fn) for label, fn in parts.items())
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
    for label, fn in operations(users, today):
        if args.reads not in label:
            continue
        fn()
        orm_sql, writes = rq._selects(fn)
        orm, replayed = bench.timed_pair(fn, bench.replay(orm_sql), args.rounds, args.budget)
        item = {
            "queries": len(orm_sql) + writes,
            "orm": {**bench.summary(orm), "p90_ms": round(bench.percentile([x * 1000 for x in orm], 90), 2)},
            "orm_sql_replayed": {
                **bench.summary(replayed),
                "p90_ms": round(bench.percentile([x * 1000 for x in replayed], 90), 2),
            },
        }
        reads[label] = item
        print(
            f"  {label:<66} q {item['queries']:>2}  orm {item['orm']['p50_ms']:>8.1f} / {item['orm']['p90_ms']:>8.1f}"
            f"  sql {item['orm_sql_replayed']['p50_ms']:>8.1f} ms",
            flush=True,
        )
        if connection.vendor != "postgresql":
            continue
        with connection.cursor() as cursor:
            explained = []
            for statement in orm_sql:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + statement)
                explained.append({"sql": statement, "plan": [r[0] for r in cursor.fetchall()]})
        plans[label] = explained
    result["reads"] = reads
    result["explain"] = plans


def print_table(result: dict[str, Any]) -> None:
    print()
    volume = result["volume"]
    print(
        f"relations benchmark — {result['db']}, {volume['events']:,} events, {volume['projects']:,} projects, "
        f"{volume['recommendations']:,} recommendations"
    )
    seed = result.get("seed")
    if seed:
        rows = ", ".join(f"{name} {n:,}" for name, n in seed.items() if not name.endswith("seconds"))
        print(
            f"  rows: {rows}; generate + write {seed['generate_and_write_seconds']} s, indexes "
            f"{seed['index_seconds']} s, analyze {seed['analyze_seconds']} s"
        )
    print(f"  database size: {result['machine']['database_size_mb']:,} MB")
    print(f"  {'read':<66} {'q':>3} {'p50':>8} {'p90':>8} {'sql p50':>8}  (ms)")
    for label, item in result.get("reads", {}).items():
        print(
            f"  {label:<66} {item['queries']:>3} {item['orm']['p50_ms']:>8.1f} {item['orm']['p90_ms']:>8.1f}"
            f" {item['orm_sql_replayed']['p50_ms']:>8.1f}"
        )


def main() -> None:
    args = parse_args()
    url, may_exist = rq.prepare_database(args)
    bench.setup_django(url)
    db = "SQLite" if args.sqlite else "PostgreSQL"
    result: dict[str, Any] = {
        "db": db,
        "volume": _volume(args),
        "started_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": " ".join([".venv/bin/python", "bench/relations.py", *sys.argv[1:]]),
    }
    print(f"relations benchmark: {db} {args.sqlite or args.dbname}, {_volume(args)}", flush=True)
    bench.run_seeded(
        args,
        result,
        may_exist=may_exist,
        seeded=lambda: seeded_volume() == _volume(args),
        build=build,
        measure=measure,
        print_table=print_table,
        out_name=f"relations-{db.lower()}-{args.events}",
    )


if __name__ == "__main__":
    main()
