"""A year of demo supervision for every office (`seed_demo` calls `seed_supervision` after the demo appeals).

Everything is made through the services and the lifecycles' steps, so numbers, due dates (the type's rule on the
real calendar), history and audit are what real work would leave. Each regional and district office gets
inspections in every status (demo_data.DISTRICT_PLAN), the Prosecutor General's Office fewer; inspections find
violations of named laws; acts of several types are issued, answered, taken to court or left without an answer, some past
their due date, some with a reply but no result, so the control lists and home panels have something to show.
Some inspections are opened on a demo appeal, some violations are found while answering one, and the regional and
district prosecutors visit places of detention (a few visits with alleged ill-treatment and a follow-up act).
The proportions and words are in `demo_data`.

The services stamp the steps' history at the moment they run; the history rows are then given the days the steps
are dated on (the act's date, the reply's date…), so a record's history reads like the year it stands for. The
audit trail keeps the real moment of the seeding.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models
from django.utils import timezone

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm, Role
from prokuratura.appeals.demo import bin_make
from prokuratura.appeals.models import Appeal
from prokuratura.core.actors import SETUP
from prokuratura.core.models import Office, Sensitivity

from . import demo_data as D
from . import services as svc
from .models import (
    Act,
    ActResult,
    ActStatus,
    ActTransition,
    ActType,
    AnsweredBy,
    CourtResult,
    Facility,
    Ground,
    Inspection,
    InspectionKind,
    InspectionStatus,
    InspectionTransition,
    SubjectKind,
    Violation,
)

IS, A = InspectionStatus, ActStatus


@dataclass
class SupervisionSeedReport:
    inspections: int = 0
    violations: int = 0
    acts: int = 0
    visits: int = 0
    facilities_loaded: int = 0
    users_created: list[str] = field(default_factory=list)
    seconds: float = 0.0
    inspection_statuses: Counter[str] = field(default_factory=Counter)
    act_statuses: Counter[str] = field(default_factory=Counter)

    def summary(self) -> str:
        return (
            f"Demo supervision: {self.inspections} inspections, {self.violations} violations, {self.acts} acts, "
            f"{self.visits} visits to places of detention, in {self.seconds:.1f} s."
        )


class _Clock:
    """The days the steps are dated on, per record in the order its steps were taken (see the module's note)."""

    def __init__(self) -> None:
        self.days: dict[type[models.Model], dict[int, list[dt.date]]] = {
            InspectionTransition: {},
            ActTransition: {},
        }

    def mark(self, record: Inspection | Act, day: dt.date) -> None:
        history = InspectionTransition if isinstance(record, Inspection) else ActTransition
        self.days[history].setdefault(record.pk, []).append(day)

    def apply(self) -> None:
        for history, per_record in self.days.items():
            fk = "inspection_id" if history is InspectionTransition else "act_id"
            ids = list(per_record)
            for start in range(0, len(ids), 500):
                chunk = history._default_manager.filter(**{f"{fk}__in": ids[start : start + 500]})
                rows, seen = list(chunk.order_by(fk, "id")), Counter[int]()
                for row in rows:
                    owner = getattr(row, fk)
                    days, i = per_record[owner], seen[owner]
                    seen[owner] += 1
                    moment = dt.datetime.combine(days[min(i, len(days) - 1)], dt.time(9, 30))
                    row.at = timezone.make_aware(moment + dt.timedelta(minutes=17 * i))  # type: ignore[attr-defined]
                history._default_manager.bulk_update(rows, ["at"], batch_size=500)


@dataclass(frozen=True)
class _To:
    """An act's addressee and its opening words in Russian and Kazakh (demo_data.INTRO); `findings`: the text
    when the act answers no recorded violation (a visit's)."""

    name: str
    intro: dict[str, str]
    bin: str = ""
    findings: dict[str, str] = field(default_factory=lambda: {"ru": "", "kk": ""})

    @classmethod
    def of(
        cls, kind: str, name: str, bin: str = "", findings: Sequence[str] = ("", ""), **values: str
    ) -> _To:
        ru, kk = (text.format(name=name, **values) for text in D.INTRO[kind])
        return cls(name, {"ru": ru, "kk": kk}, bin, {"ru": findings[0], "kk": findings[1]})


class _Seeder:
    def __init__(
        self, *, rng: random.Random, users: Iterable[User], today: dt.date, report: SupervisionSeedReport
    ) -> None:
        self.rng, self.today, self.report, self.clock = rng, today, report, _Clock()
        self.prosecutors: dict[int, list[User]] = {}
        self.heads: list[User] = []
        for user in users:
            if not (user.is_active and user.office_id and user.has_perm(Perm.SUPERVISION_WORK)):
                continue
            if user.has_role(Role.HEAD) and user.has_perm(Perm.SUPERVISION_DIRECT):
                self.heads.append(user)
            elif user.has_role(Role.PROSECUTOR):
                self.prosecutors.setdefault(user.office_id, []).append(user)  # type: ignore[arg-type]
        self.types = {t.code: t for t in ActType.objects.filter(is_active=True)}
        self.type_weights = {code: weight for code, weight in D.ACT_TYPES.items() if code in self.types}

    def prosecutor(self, office: Office) -> User:
        """A prosecutor of the office; for an office without one, a demo prosecutor without a password is made
        (named as the appeals' demo names them, so the two demos share them)."""
        if office.pk not in self.prosecutors:
            from prokuratura.accounts.services import user_create

            username = f"demo.prosecutor.{office.code.lower()}"
            user = User.objects.filter(username=username).first()
            if user is None:
                first, last = D.DEMO_PROSECUTOR
                data = {"username": username, "first_name": first, "last_name": last, "office": office}
                user = user_create(by=SETUP, data=data, roles={Role.PROSECUTOR})
                self.report.users_created.append(username)
            self.prosecutors[office.pk] = [user]
        return self.rng.choice(self.prosecutors[office.pk])

    def has_head(self, office: Office) -> bool:
        return any(h.office is not None and office.is_within(h.office) for h in self.heads)

    def head(self, office: Office) -> User:
        """The nearest head over the office."""
        over = [h for h in self.heads if h.office is not None and office.is_within(h.office)]
        if not over:
            raise ValueError(f"No head over {office.code}: seed_demo makes the demo heads first.")
        return max(over, key=lambda h: len(h.office.path))  # type: ignore[union-attr]

    def day(self, low: int, high: int) -> dt.date:
        """A day from `low` to `high` days after today (negative: before)."""
        return self.today + dt.timedelta(days=self.rng.randint(low, high))

    def between(self, first: dt.date, last: dt.date) -> dt.date:
        """A day from `first` to `last`, and never after today."""
        last = min(last, self.today)
        return first + dt.timedelta(days=self.rng.randint(0, max(0, (last - first).days)))

    def subject(self, office: Office) -> tuple[str, str, str, str]:
        """What is inspected: (kind, name, BIN, official)."""
        rng, where = self.rng, office.name_ru.removeprefix("Прокуратура ")
        roll = rng.random()
        if office.parent_id is None:
            return SubjectKind.STATE_BODY, rng.choice(D.MINISTRIES), "", ""
        if roll < 0.5:
            return SubjectKind.STATE_BODY, rng.choice(D.STATE_BODIES).format(where=where), "", ""
        if roll < 0.85:
            registered = self.today - dt.timedelta(days=rng.randint(400, 7000))
            return SubjectKind.ORGANISATION, rng.choice(D.COMPANIES), bin_make(rng, registered=registered), ""
        name, official = rng.choice(D.OFFICIALS)
        return SubjectKind.OFFICIAL, name.format(where=where), "", official

    # --- an inspection, its violations and acts -------------------------------------------------------------

    def inspection(self, office: Office, plan: str, appeals: list[Appeal]) -> None:
        rng, today, clock = self.rng, self.today, self.clock
        target = IS.IN_PROGRESS if plan == D.PAST else plan
        start = self.day(*D.STARTS[plan])
        end = start + dt.timedelta(days=rng.randint(20, 40))
        if plan == IS.IN_PROGRESS:
            end = max(end, self.day(3, 20))
        responsible, head = self.prosecutor(office), self.head(office)
        mine = [a for a in appeals if a.assignee_id == responsible.pk]
        ground = Ground.APPEAL if mine and rng.random() < D.APPEAL_GROUND_SHARE else rng.choice(D.GROUNDS)
        kind, name, bin, official = self.subject(office)
        data = svc.InspectionData(
            office=office,
            subject_kind=kind,
            subject_name=name,
            subject_bin=bin,
            subject_official=official,
            kind=InspectionKind.SCHEDULED if ground == Ground.PLAN else InspectionKind.UNSCHEDULED,
            ground=ground,
            ground_appeal=rng.choice(mine) if ground == Ground.APPEAL else None,
            ground_detail=D.GROUND_DETAILS.get(ground, ""),
            period_start=start,
            period_end=end,
            responsible=responsible,
            topics=rng.choice(D.TOPICS),
        )
        ins = svc.inspection_create(by=responsible, data=data)
        clock.mark(ins, min(start - dt.timedelta(days=rng.randint(3, 10)), today))
        self.report.inspections += 1
        to = _To.of("inspection", ins.subject_name, ins.subject_bin, number=ins.number)
        if target == IS.CANCELLED:
            ins = svc.inspection_cancel(by=head, inspection=ins, reason=D.CANCEL_REASON)
            clock.mark(ins, min(start, today))
        if target in (IS.PLANNED, IS.CANCELLED):
            return self.counted(ins)
        ins = svc.inspection_order(by=head, inspection=ins)
        clock.mark(ins, min(start - dt.timedelta(days=1), today))
        if target == IS.ORDERED:
            return self.counted(ins)
        ins = svc.inspection_start(by=responsible, inspection=ins)
        clock.mark(ins, start)
        found = [self.violation(responsible, start, end, inspection=ins) for _n in range(rng.randint(1, 3))]
        if target == IS.IN_PROGRESS:
            if rng.random() < 0.5:
                self.act(responsible, A.DRAFT, min(end, today), found, to, inspection=ins)
            return self.counted(ins)
        completed_on = min(end - dt.timedelta(days=rng.randint(0, 5)), today)
        ins = svc.inspection_complete(
            by=responsible, inspection=ins, results=D.RESULTS_TEXT, completed_on=completed_on
        )
        clock.mark(ins, completed_on)
        plans = (
            rng.sample(D.PENDING_ACTS, rng.randint(2, 3))
            if target == IS.COMPLETED
            else rng.sample(D.ANSWERED_ACTS, rng.randint(1, 2))
        )
        last = max(self.act(responsible, status, completed_on, found, to, inspection=ins) for status in plans)
        if target == IS.COMPLETED:
            return self.counted(ins)
        implemented = min(last + dt.timedelta(days=rng.randint(3, 20)), today)
        ins = svc.inspection_implement(by=responsible, inspection=ins, reason=D.IMPLEMENT_REASON)
        clock.mark(ins, implemented)
        if target == IS.CLOSED:
            ins = svc.inspection_close(by=head, inspection=ins)
            clock.mark(ins, min(implemented + dt.timedelta(days=3), today))
        return self.counted(ins)

    def counted(self, inspection: Inspection) -> None:
        self.report.inspection_statuses[inspection.status] += 1

    def violation(self, by: User, first: dt.date, last: dt.date, **source: Any) -> Violation:
        category, law, description, _law_kk, _kk, most, worst = self.rng.choice(D.VIOLATIONS)
        damage = self.rng.randint(int(worst) // 10, int(worst)) // 1000 * 1000
        data = svc.ViolationData(
            found_on=self.between(first, last),
            description=description,
            law_violated=law,
            category=category,
            persons_affected=self.rng.randint(int(most) // 3, int(most)),
            damage=Decimal(damage),
        )
        self.report.violations += 1
        return svc.violation_record(by=by, data=data, **source)

    def act(
        self, by: User, status: str, since: dt.date, violations: list[Violation], to: _To, **source: Any
    ) -> dt.date:
        """An act drafted by `by` on `source` (inspection, appeal or visit: a submission on the last two) to `to`,
        issued within days of `since` and taken to `status`, answered (when it is) within weeks. Returns the day of
        its last step."""
        rng, today, clock = self.rng, self.today, self.clock
        weights = self.type_weights if "inspection" in source else {"submission": 1}
        act_type = self.types[rng.choices(list(weights), list(weights.values()))[0]]
        if status in (A.REPLIED, A.IN_COURT) and act_type.answered_by != AnsweredBy.REPLY:
            act_type = self.types["submission"]
        lang = "kk" if rng.random() < D.KAZAKH_SHARE else "ru"
        findings = " ".join(
            "{} ({}).".format(*D.KAZAKH[v.description])
            if lang == "kk"
            else f"{v.description} ({v.law_violated})."
            for v in violations
        )
        data = svc.ActData(
            act_type=act_type,
            addressee_name=to.name,
            addressee_bin=to.bin,
            language=lang,
            subject=getattr(act_type, f"name_{lang}"),
            text=D.TEXT[lang].format(intro=to.intro[lang], findings=findings or to.findings[lang]),
            violations=violations,
        )
        act = svc.act_draft(by=by, data=data, **source)
        self.report.acts += 1
        day = min(since, today)
        clock.mark(act, day)
        if status == A.WITHDRAWN and rng.random() < 0.5:  # withdrawn before it was issued
            act = svc.act_withdraw(by=self.head(act.office), act=act, reason=D.WITHDRAW_REASON)
            clock.mark(act, day)
        if status == A.DRAFT or act.status == A.WITHDRAWN:
            return self.act_counted(act, day)
        day = self.between(since, since + dt.timedelta(days=20))
        no_term = act_type.term_value is None and act_type.answered_by == AnsweredBy.REPLY
        act = svc.act_issue(
            by=by, act=act, issued_on=day, due_date=day + dt.timedelta(days=D.TERM_DAYS) if no_term else None
        )
        clock.mark(act, day)
        if status == A.WITHDRAWN:
            act = svc.act_withdraw(by=self.head(act.office), act=act, reason=D.WITHDRAW_REASON)
            clock.mark(act, day := self.between(day, day + dt.timedelta(days=5)))
        if status in (A.ISSUED, A.WITHDRAWN):
            return self.act_counted(act, day)
        day, outcome = self.between(day, day + dt.timedelta(days=45)), self.outcome(violations)
        if act_type.answered_by == AnsweredBy.REPLY:
            appealed = status == A.IN_COURT or (status == A.CLOSED and rng.random() < D.APPEALED_SHARE)
            picked = rng.choices(list(D.REPLY_RESULTS), list(D.REPLY_RESULTS.values()))[0]
            result = ActResult.APPEALED if appealed else picked
            number = f"{rng.randint(1, 999)}-{day:%y}"
            act = svc.act_record_reply(
                by=by,
                act=act,
                reply_on=day,
                result=result,
                reply_number=number,
                reply_summary=D.REPLIES[result],
            )
            clock.mark(act, day)
            if status in (A.REPLIED, A.IN_COURT):
                return self.act_counted(act, day)
            day = self.between(day, day + dt.timedelta(days=40))
            if result == ActResult.REJECTED:
                outcome = svc.Outcome()
        if act.status == A.IN_COURT or act_type.answered_by == AnsweredBy.COURT:
            decision = rng.choice(list(CourtResult))
            act = svc.act_record_court_decision(
                by=by, act=act, court_decision_on=day, court_result=decision, outcome=outcome
            )
        else:
            act = svc.act_record_result(by=by, act=act, outcome=outcome)
        clock.mark(act, day)
        return self.act_counted(act, day)

    def act_counted(self, act: Act, last: dt.date) -> dt.date:
        self.report.act_statuses[act.status] += 1
        return last

    def outcome(self, violations: Sequence[Violation]) -> svc.Outcome:
        rng = self.rng
        damage = sum((v.damage for v in violations), Decimal(0))
        return svc.Outcome(
            persons_restored=sum(v.persons_affected for v in violations),
            amount_recovered=(damage * Decimal(rng.choice(["0", "0.5", "0.8", "1"]))).quantize(Decimal("1")),
            persons_disciplinary=rng.choice([0, 1, 1, 2, 3]),
            persons_administrative=rng.choice([0, 0, 1, 2]),
            persons_criminal=1 if rng.random() < 0.05 else 0,
        )

    # --- appeals and places of detention --------------------------------------------------------------------

    def on_appeal(self, office: Office, appeals: list[Appeal]) -> None:
        """A violation found while answering an appeal of the office, and the submission it led to."""
        staff = {u.pk: u for u in self.prosecutors.get(office.pk, [])}
        appeal = next((a for a in appeals if a.assignee_id in staff), None)
        if appeal is None:
            return
        by = staff[appeal.assignee_id]  # type: ignore[index]
        found = self.violation(
            by, self.today - dt.timedelta(days=120), self.today - dt.timedelta(days=10), appeal=appeal
        )
        name = self.rng.choice(D.STATE_BODIES).format(where=office.name_ru.removeprefix("Прокуратура "))
        status = self.rng.choice([A.ISSUED, A.CLOSED, A.REPLIED])
        to = _To.of("appeal", name, number=appeal.reg_number)
        self.act(by, status, found.found_on, [found], to, appeal=appeal)

    def visit(self, office: Office, facilities: list[Facility], alleged: bool) -> None:
        rng, by, facility = self.rng, self.prosecutor(office), self.rng.choice(facilities)
        findings = D.ILL_TREATMENT if alleged else rng.choice(D.FINDINGS)
        data = svc.VisitData(
            facility=facility,
            visited_on=self.day(-330, -1),
            unannounced=rng.random() < 0.7,
            findings=findings[0],
            ill_treatment_alleged=alleged,
            persons_concerned=D.PERSON_CONCERNED if alleged else "",
            persons_count=1 if alleged else 0,
            follow_up=D.VISIT_FOLLOW_UP if alleged else "",
        )
        visit = svc.visit_record(by=by, data=data)
        self.report.visits += 1
        if alleged or (findings != D.FINDINGS[0] and rng.random() < 0.5):
            date, name = f"{data.visited_on:%d.%m.%Y}", facility.authority or facility.name_ru
            to = _To.of(
                "visit", name, "", findings, date=date, name_ru=facility.name_ru, name_kk=facility.name_kk
            )
            self.act(by, rng.choice([A.ISSUED, A.CLOSED]), data.visited_on, [], to, visit=visit)


def seed_supervision(
    *,
    rng: random.Random,
    offices: Iterable[Office],
    users: Iterable[User],
    today: dt.date | None = None,
    plan: Sequence[str] = D.DISTRICT_PLAN,
) -> SupervisionSeedReport:
    """A year of supervision for each of `offices`, by the prosecutors and heads among `users` (each office's
    own prosecutors; the nearest head over it). `plan` lists a regional or district office's inspections by the
    status each is taken to (PAST: in progress past its period); the Prosecutor General's Office has GENERAL_PLAN.
    Places of detention are loaded first when there are none."""
    from .reference import facilities_load

    started = time.perf_counter()
    report = SupervisionSeedReport()
    today = today or timezone.localdate()
    if not Facility.objects.exists():
        report.facilities_loaded = facilities_load().created
    seeder = _Seeder(rng=rng, users=users, today=today, report=report)
    facilities: dict[int, list[Facility]] = {}
    for facility in Facility.objects.filter(is_active=True).order_by("code"):
        facilities.setdefault(facility.region_id, []).append(facility)
    for office in sorted(offices, key=lambda o: o.path):
        if not seeder.has_head(office):  # not a demo office tree (no head to order and close): left alone
            continue
        appeals = list(
            Appeal.objects.filter(office=office, assignee__isnull=False, sensitivity=Sensitivity.INTERNAL)
            .select_related("office")
            .order_by("-id")[:20]
        )
        for target in D.GENERAL_PLAN if office.parent_id is None else plan:
            seeder.inspection(office, target, appeals)
        seeder.on_appeal(office, appeals)
        for n in range(D.VISITS_PER_OFFICE if office.region_id in facilities else 0):
            seeder.visit(office, facilities[office.region_id], alleged=n == 0 and rng.random() < 0.4)  # type: ignore[index]
    seeder.clock.apply()
    report.seconds = time.perf_counter() - started
    return report


def seed_demo_supervision(*, seed: int = 1) -> SupervisionSeedReport | None:
    """What `seed_demo` runs: a year of supervision for every active office, unless there are inspections."""
    if Inspection.objects.exists():
        return None
    return seed_supervision(
        rng=random.Random(f"prokuratura-supervision-demo:{seed}"),  # noqa: S311 - demo data, reproducible
        offices=Office.objects.filter(is_active=True),
        users=User.objects.filter(is_active=True, office__isnull=False).select_related("office"),
    )
