"""Six years of demo international relations (`seed_demo` runs `seed_demo_relations` after the requests' demo).

From January five years back to a few months ahead: about fifteen meetings, visits, conferences, negotiation rounds,
signings and trainings a year (demo_data.YEARLY, with the partner states rotating), the real treaty signings of
the register on their days (linked to the treaties of `load_cooperation`), the OSCE ambassadors' familiarisation
visit with the Anti-Terrorism Centre, the Anti-Corruption Agency and the State Revenue Committee; follow-up tasks
(done, in progress, open, a few overdue or cancelled) owned by the international officer and the heads; twenty-odd
joint projects (mostly with the OSCE Programme Office) in every status; forty recommendations of the UN special
procedures (on the real visits `load_relations` loads, when it has run), the UPR, CAT and the Human Rights
Committee, OSCE/ODIHR and GRECO, taken along their implementation steps. No visit of a special procedure is
invented: the numbers of such visits stay those of the loaded history.

Everything is made through the services and the lifecycles (`perform`, as the pages do), so history and audit are
what real work leaves. Some services date a step today or refuse a past date (a task's due date, the day it was
set; a recommendation's planned date; the day its status changed): right after such a step a demo-only update
gives the field the day the step stands for. The history rows get the days of their steps at the end, as the
other demos do; the audit trail keeps the real moment of the seeding. Counterparts, topics, states and treaties
are looked up in the reference data; what is missing is skipped and named in the report. Idempotent: a database
with the demo's records (their submission keys) is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import models, transaction
from django.db.models import Q
from django.utils import timezone

from prokuratura.accounts.models import User
from prokuratura.cooperation.request_demo import DemoCast, demo_cast
from prokuratura.core.lifecycle import Lifecycle
from prokuratura.core.models import Country, Department, Office, Sensitivity

from . import demo_data as D
from .models import (
    Counterpart,
    CounterpartKind,
    Event,
    EventKind,
    ImplementationStatus,
    MandateKind,
    ParticipantSide,
    ProjectStatus,
    Recommendation,
    RecommendationSource,
    Topic,
)
from .services import (
    AgreementData,
    EventData,
    FigureData,
    ParticipantData,
    ProjectData,
    RecommendationData,
    event_record,
    project_record,
    recommendation_record,
    task_add,
)
from .transitions import EVENTS, PROJECTS, RECOMMENDATIONS, TASKS

KEY = "demo-relations:"  # the submission keys of the demo's records: their presence makes the seeding a no-op
YEARS = 6  # this year and the five before it
AHEAD_DAYS = 120  # planned events this far ahead
RS = ImplementationStatus


@dataclass
class RelationsSeedReport:
    events: int = 0
    participants: int = 0
    treaties_linked: int = 0
    tasks: int = 0
    projects: int = 0
    recommendations: int = 0
    visits_linked: int = 0
    missing: set[str] = field(default_factory=set)
    statuses: Counter[str] = field(default_factory=Counter)  # "event:held", "task:done"…
    seconds: float = 0.0

    def summary(self) -> str:
        text = (
            f"Demo international relations: {self.events} meetings and visits ({self.participants} participants,"
            f" {self.treaties_linked} treaties of the register), {self.tasks} follow-up tasks, {self.projects} "
            f"joint projects, {self.recommendations} recommendations ({self.visits_linked} on loaded UN visits), "
            f"in {self.seconds:.1f} s."
        )
        if self.missing:
            text += f" Not in the reference data, skipped: {', '.join(sorted(self.missing))}."
        return text


def _moment(day: dt.date, minutes: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10, 0)) + dt.timedelta(minutes=minutes))


def _backdate(record: models.Model, **values: Any) -> None:
    """Demo only: give fields the values a step would have had on the day it stands for (its service dates it
    today or refuses a past day). Not audited: the audit trail records the seeding as it happened."""
    type(record)._default_manager.filter(pk=record.pk).update(**values)
    for name, value in values.items():
        setattr(record, name, value)


class _Refs:
    """The reference rows the demo names (demo_data.COUNTERPARTS, TOPICS by code or short form; states by ISO
    code); a key not found is noted in the report once and yields None."""

    def __init__(self, report: RelationsSeedReport) -> None:
        self.report = report
        wanted = {name for names in D.COUNTERPARTS.values() for name in names}
        found = list(Counterpart.objects.filter(Q(code__in=wanted) | Q(abbreviation_en__in=wanted)))
        by_name = {c.abbreviation_en: c for c in found if c.abbreviation_en} | {c.code: c for c in found}
        self.counterparts = {
            key: next((by_name[n] for n in names if n in by_name), None)
            for key, names in D.COUNTERPARTS.items()
        }
        topics = {
            t.code: t for t in Topic.objects.filter(code__in={n for ns in D.TOPICS.values() for n in ns})
        }
        self.topics = {
            key: next((topics[n] for n in names if n in topics), None) for key, names in D.TOPICS.items()
        }
        self.countries = {c.iso2: c for c in Country.objects.all()}
        self.authorities = {c.code: c for c in Counterpart.objects.filter(code__in=D.AUTHORITIES.values())}

    def authority(self, iso2: str) -> Counterpart | None:
        return self.authorities.get(D.AUTHORITIES.get(iso2, ""))

    def cp(self, key: str) -> Counterpart | None:
        found = self.counterparts.get(key)
        if found is None:
            self.report.missing.add(f"counterpart {key}")
        return found

    def agency(self, key: str) -> Counterpart | None:
        found = self.cp(key)
        return found if found is not None and found.kind == CounterpartKind.DOMESTIC_AGENCY else None

    def topic_list(self, keys: tuple[str, ...]) -> list[Topic]:
        out = []
        for key in keys:
            if (found := self.topics.get(key)) is None:
                self.report.missing.add(f"topic {key}")
            else:
                out.append(found)
        return out

    def country(self, iso2: str) -> Country | None:
        found = self.countries.get(iso2)
        if found is None:
            self.report.missing.add(f"state {iso2}")
        return found


class _Days:
    """The days the history rows stand for, per lifecycle and record, in the order the steps were taken."""

    def __init__(self) -> None:
        self.lifecycles: dict[type[models.Model], Lifecycle[Any]] = {}
        self.days: dict[type[models.Model], dict[int, list[dt.date]]] = {}

    def mark(self, lifecycle: Lifecycle[Any], record: models.Model, day: dt.date) -> None:
        self.lifecycles[lifecycle.history] = lifecycle
        self.days.setdefault(lifecycle.history, {}).setdefault(record.pk, []).append(day)

    def first(self, lifecycle: Lifecycle[Any], record: models.Model) -> dt.date:
        return self.days[lifecycle.history][record.pk][0]

    def apply(self) -> None:
        for history, per_record in self.days.items():
            fk = f"{self.lifecycles[history].history_fk}_id"
            manager = history._default_manager
            rows = list(manager.filter(**{f"{fk}__in": list(per_record)}).order_by(fk, "id"))
            seen: Counter[int] = Counter()
            for row in rows:
                owner = getattr(row, fk)
                days, i = per_record[owner], seen[owner]
                seen[owner] += 1
                row.at = _moment(days[min(i, len(days) - 1)], 17 * i)  # type: ignore[attr-defined]
            manager.bulk_update(rows, ["at"], batch_size=500)


class _Seeder:
    def __init__(self, *, rng: random.Random, today: dt.date, cast: DemoCast, report: RelationsSeedReport):
        self.rng, self.today, self.cast, self.report = rng, today, cast, report
        self.refs, self.days = _Refs(report), _Days()
        self.officer, self.head = cast.officer, cast.head

    # --- helpers -------------------------------------------------------------------------------------------------

    def after(self, day: dt.date, low: int, high: int) -> dt.date:
        """A day `low`–`high` days after `day`, never after today."""
        return min(day + dt.timedelta(days=self.rng.randint(low, high)), self.today)

    def step(
        self, lifecycle: Lifecycle[Any], record: Any, name: str, by: User, day: dt.date, **inputs: Any
    ) -> Any:
        record = lifecycle.perform(step=name, by=by, record=record, inputs=inputs)
        self.days.mark(lifecycle, record, day)
        return record

    def counted(self, what: str, record: Any) -> None:
        self.report.statuses[f"{what}:{record.status}"] += 1

    # --- meetings and visits -------------------------------------------------------------------------------------

    def participants(self, ev: D.Ev, state: str, values: dict[str, str]) -> list[ParticipantData]:
        out = []
        for p in ev.who:
            name, title = p.name.format(**values), p.title.format(**values)
            data = ParticipantData(official_name=name, official_title=title, heads_delegation=p.heads)
            data.delegation_size = p.size
            if p.who == "KZ":
                data.side = ParticipantSide.KAZAKHSTAN
                data.country = self.refs.country("KZ")
                data.official_name, data.official_title = D.KZ_LEADERS[p.lead]
            elif p.who == "@authority" and state in D.AUTHORITIES and self.refs.authority(state) is not None:
                data.counterpart = self.refs.authority(state)
            elif p.who in ("@state", "@authority") or len(p.who) == 2:
                data.country = self.refs.country(p.who if len(p.who) == 2 else state)
            else:
                data.counterpart = self.refs.cp(p.who)
                if data.counterpart is not None and data.counterpart.kind == CounterpartKind.DOMESTIC_AGENCY:
                    data.side = ParticipantSide.KAZAKHSTAN
            if data.country is not None or data.counterpart is not None:
                out.append(data)
        return out

    def event(
        self,
        ev: D.Ev,
        start: dt.date,
        key: str,
        *,
        state: str = "",
        n: int = 0,
        extra: list[ParticipantData] | None = None,
        agreements: list[AgreementData] | None = None,
        title: str = "",
    ) -> Event:
        """Record the event (planned ahead of it; one with agreements or figures entered after it took place),
        then take it to its status: held, cancelled, or still planned (ahead, or not yet recorded)."""
        refs, today = self.refs, self.today
        info = D.STATES.get(state)
        values = {"n": str(n), **(info._asdict() if info else {})}
        values["state"] = info.gen if info else ""
        where = state if ev.where == "@state" else ev.where
        place = ev.place or (
            info.city if ev.where == "@state" and info else "Астана" if where == "KZ" else ""
        )
        end = start + dt.timedelta(days=ev.days - 1)
        in_kz = where == "KZ"
        by = self.officer
        if ev.office == "regional" and self.cast.regional_head is not None:
            by = self.cast.regional_head
        if ev.restricted:
            by = self.head
        figures = [FigureData(value=Decimal(v), text=t, subject=s) for v, t, s in ev.figures]
        recorded_after = bool(agreements or figures) and end < today
        data = EventData(
            kind=ev.kind,
            title=(title or ev.title).format(**values),
            start_date=start,
            end_date=end,
            held=recorded_after,
            place=place,
            country=refs.country(where) if where else None,
            host=refs.agency("gpo") if in_kz else None,
            principal=refs.cp(ev.principal) if ev.principal else None,
            topics=refs.topic_list(ev.topics),
            summary=ev.summary.format(**values),
            sensitivity=Sensitivity.RESTRICTED if ev.restricted else Sensitivity.INTERNAL,
        )
        if recorded_after:
            data.outcomes = ev.outcomes.format(**values)
        people = self.participants(ev, state, values) + (extra or [])
        event = event_record(
            by=by, data=data, participants=people, agreements=agreements, figures=figures, submission_key=key
        )
        self.report.events += 1
        self.report.participants += len(people)
        self.days.mark(
            EVENTS, event, min(end + dt.timedelta(days=2), today) if recorded_after else self.before(start)
        )
        if not recorded_after and end < today:
            event = self.take_place(ev, event, by, values)
        self.counted("event", event)
        return event

    def before(self, start: dt.date) -> dt.date:
        return min(start - dt.timedelta(days=self.rng.randint(7, 30)), self.today)

    def take_place(self, ev: D.Ev, event: Event, by: User, values: dict[str, str]) -> Event:
        rng, today = self.rng, self.today
        share = D.CANCELLED_SHARE.get(event.start_date.year, D.CANCELLED_OTHER)
        if rng.random() < share:
            reason = D.CANCEL_REASON_2021 if event.start_date.year == 2021 else D.CANCEL_REASON
            day = max(event.start_date - dt.timedelta(days=rng.randint(1, 6)), self.days.first(EVENTS, event))
            return self.step(EVENTS, event, "cancel", by, day, reason=reason)
        if (today - event.end_date).days < D.UNRECORDED_DAYS and rng.random() < 0.5:
            return event  # took place days ago; the officer has not recorded it yet
        day = self.after(event.end_date, 0, 3)
        event = self.step(EVENTS, event, "hold", self.officer, day, outcomes=ev.outcomes.format(**values))
        for title in ev.tasks:
            self.task(event, title, day)
        return event

    def task(self, event: Event, title: str, set_on: dt.date) -> None:
        """A follow-up task set on `set_on`, due weeks later; taken to done, or left open (overdue when its day has
        passed), in progress or cancelled."""
        rng, today, officer = self.rng, self.today, self.officer
        owner = rng.choice([officer, officer, officer, self.head])
        if event.office_id != self.cast.office.pk and self.cast.regional_head is not None:
            owner = self.cast.regional_head
        due = set_on + dt.timedelta(days=rng.randint(*D.TASK_DUE_DAYS))
        task = task_add(
            by=officer, event=event, title=title, owner=owner, due_date=today + dt.timedelta(days=30)
        )
        _backdate(task, due_date=due, created_at=_moment(set_on))
        self.days.mark(TASKS, task, set_on)
        self.report.tasks += 1
        if due >= today:  # still running
            if rng.random() < 0.5:
                task = self.step(TASKS, task, "start", owner, self.after(set_on, 1, 10))
            if rng.random() < 0.2:
                new_due = due + dt.timedelta(days=14)
                task = self.step(
                    TASKS, task, "reschedule", officer, self.after(set_on, 5, 15),
                    due_date=new_due, reason=D.TASK_RESCHEDULE_REASON,
                )  # fmt: skip
            return self.counted("task", task)
        roll = rng.random()
        if roll < D.OVERDUE_SHARE:  # forgotten: past its due date
            if rng.random() < 0.5:
                task = self.step(TASKS, task, "start", owner, self.after(set_on, 1, 10))
            return self.counted("task", task)
        if roll < D.OVERDUE_SHARE + 0.05:
            day = self.after(set_on, 3, 20)
            task = self.step(TASKS, task, "cancel", officer, day, reason=D.TASK_CANCEL_REASON)
            return self.counted("task", task)
        started = self.after(set_on, 1, 7)
        task = self.step(TASKS, task, "start", owner, started)
        done = min(self.after(started, 3, max(4, (due - started).days)), due)
        task = self.step(TASKS, task, "complete", owner, done, result=D.TASK_RESULT, done_on=done)
        self.counted("task", task)

    def yearly(self, first_year: int) -> None:
        """Each year's share of the recurring events, the partner states rotating."""
        rng, today = self.rng, self.today
        horizon = today + dt.timedelta(days=AHEAD_DAYS)
        for year in range(first_year, horizon.year + 1):
            chosen = rng.sample(range(len(D.YEARLY)), min(D.PER_YEAR, len(D.YEARLY)))
            for index in sorted(chosen):
                ev = D.YEARLY[index]
                start = dt.date(year, rng.choice(ev.months), rng.randint(1, 26))
                start += dt.timedelta(days=max(0, 7 - start.isoweekday()) if start.isoweekday() > 5 else 0)
                if start > horizon:
                    continue
                state = ev.states[(year + index) % len(ev.states)] if ev.states else ""
                agreements = None
                if ev.agreement:
                    gen = D.STATES[state].gen
                    agreements = [AgreementData(title=ev.agreement.format(state=gen), signed_on=start)]
                    if start > today:
                        agreements = None
                self.event(
                    ev, start, f"{KEY}event:{year}:{index}", state=state, n=ev.n0 + year - first_year,
                    agreements=agreements,
                )  # fmt: skip

    def this_month(self) -> None:
        """A few events around the day of seeding, so that the calendar's current month and the list's top rows
        are not empty: one held a few days ago, two planned in the coming days."""
        for i, offset in enumerate((-3, 4, 12)):
            day = self.today + dt.timedelta(days=offset)
            day += dt.timedelta(days=max(0, 8 - day.isoweekday()) if day.isoweekday() > 5 else 0)
            index = (self.today.toordinal() + i) % len(D.YEARLY)
            ev = D.YEARLY[index]
            state = ev.states[i % len(ev.states)] if ev.states else ""
            self.event(ev, day, f"{KEY}event:now:{i}", state=state, n=ev.n0 + YEARS + i)

    def signings(self) -> None:
        """The treaties of the register signed from the first demo year on, each at its signing."""
        from prokuratura.cooperation.models import Instrument

        first = dt.date(self.today.year - YEARS + 1, 1, 1)
        ev = D.YEARLY[0]._replace(
            kind=D.SIGNING,
            principal="",
            who=(
                D.P("KZ", lead=0, heads=True),
                D.P("@authority", "{prosecutor}", "{prosecutor_title}", True),
            ),
            topics=("legal_assistance",),
            summary=D.SIGNING_SUMMARY,
            outcomes=D.SIGNING_OUTCOME,
            tasks=(),
            agreement="",
        )
        for index, signing in enumerate(D.SIGNINGS):
            day = dt.date.fromisoformat(signing.date)
            if not first <= day <= self.today:
                continue
            treaties = list(
                Instrument.objects.filter(partner_id=signing.partner, signed_date=day).order_by("code")
            )
            if not treaties:
                self.report.missing.add(f"treaty {signing.partner} {signing.date}")
                continue
            at_home = signing.place in ("Астана", "Нур-Султан")
            here = ev._replace(where="KZ" if at_home else "@state", place=signing.place)
            agreements = [AgreementData(instrument=t, signed_on=day) for t in treaties]
            event = self.event(
                here, day, f"{KEY}signing:{index}", state=signing.partner, agreements=agreements,
                title=D.SIGNING_TITLE,
            )  # fmt: skip
            self.report.treaties_linked += len(treaties)
            if event.end_date < self.today:
                self.task(event, D.SIGNING_TASK, self.after(day, 1, 3))

    def osce_visit(self) -> None:
        day = dt.date.fromisoformat(D.OSCE_VISIT_DATE)
        if day > self.today:
            return
        ambassadors = [
            ParticipantData(country=country, delegation_size=1)
            for iso2 in D.OSCE_AMBASSADORS
            if (country := self.refs.country(iso2)) is not None
        ]
        self.event(D.OSCE_VISIT, day, f"{KEY}osce-visit", extra=ambassadors)

    # --- joint projects ------------------------------------------------------------------------------------------

    def project(self, pj: D.Proj, key: str, offices: list[Office], departments: list[Department]) -> None:
        rng, today, officer = self.rng, self.today, self.officer
        partner = self.refs.cp(pj.partner)
        if partner is None:
            return
        start = dt.date.fromisoformat(pj.start)
        planned_end = start + dt.timedelta(days=round(pj.months * 30.4))
        data = ProjectData(
            partner=partner,
            title=pj.title,
            reference=pj.reference,
            start_date=start,
            end_date=planned_end,
            budget=Decimal(pj.budget),
            currency=pj.currency,
            description=pj.description,
            manager=officer,
            topics=self.refs.topic_list(pj.topics),
            offices=offices[: 1 + pj.regions],
            departments=departments,
        )
        project = project_record(by=officer, data=data, submission_key=key)
        self.report.projects += 1
        self.days.mark(PROJECTS, project, min(start - dt.timedelta(days=rng.randint(30, 90)), today))
        if pj.status == ProjectStatus.CANCELLED:
            day = min(start - dt.timedelta(days=rng.randint(5, 20)), today)
            project = self.step(PROJECTS, project, "cancel", self.head, day, reason=D.PROJECT_CANCEL_REASON)
        if pj.status in (ProjectStatus.PROPOSED, ProjectStatus.CANCELLED) or start > today:
            return self.counted("project", project)
        project = self.step(PROJECTS, project, "start", officer, day := start)
        if pj.status == ProjectStatus.SUSPENDED or rng.random() < 0.15:
            day = self.after(start, 90, 240)
            project = self.step(PROJECTS, project, "suspend", officer, day, reason=D.PROJECT_SUSPEND_REASON)
            if pj.status != ProjectStatus.SUSPENDED:
                project = self.step(PROJECTS, project, "resume", officer, day := self.after(day, 30, 90))
        if pj.status == ProjectStatus.COMPLETED and planned_end <= today:
            day = max(day, planned_end)
            project = self.step(PROJECTS, project, "complete", officer, day, outputs=pj.outputs, end_date=day)
        self.counted("project", project)

    def projects(self) -> None:
        root = self.cast.office
        offices = [root, *Office.objects.filter(parent=root, is_active=True).order_by("code")[:5]]
        departments = list(Department.objects.filter(office=root, code="INTL"))
        for index, pj in enumerate(D.PROJECTS):
            self.project(pj, f"{KEY}project:{index}", offices, departments)

    # --- recommendations -----------------------------------------------------------------------------------------

    def recommendations(self) -> None:
        visits: dict[str, list[Event]] = {}
        loaded = Event.objects.filter(import_key__isnull=False, kind=EventKind.INCOMING_VISIT)
        for loaded_visit in loaded.select_related("principal").order_by("start_date", "id"):
            visits.setdefault(loaded_visit.start_date.isoformat(), []).append(loaded_visit)
        for index, rec in enumerate(D.RECOMMENDATIONS):
            issued = dt.date.fromisoformat(rec.issued)
            if issued > self.today:
                continue
            visit = self.visit(visits, rec.visit) if rec.visit else None
            if rec.visit and visit is None:
                self.report.missing.add(f"loaded UN visit {rec.visit}")
            source = (
                visit.principal if visit is not None else self.refs.cp(rec.source) if rec.source else None
            )
            kind = rec.kind
            if source is not None and source.mandate_kind == MandateKind.TREATY_BODY:
                kind = (
                    RecommendationSource.TREATY_BODY
                )  # the SPT's visits: a treaty body, not a special procedure
            data = RecommendationData(
                source_kind=kind,
                text=rec.text,
                issued_on=issued,
                source=source,
                event=visit,
                document=rec.document,
                paragraph=rec.paragraph,
                theme=next(iter(self.refs.topic_list((rec.theme,))), None),
                responsible=self.refs.agency(rec.responsible),
                officer=self.officer,
            )
            record = recommendation_record(by=self.officer, data=data, submission_key=f"{KEY}rec:{index}")
            self.report.recommendations += 1
            self.report.visits_linked += visit is not None
            self.days.mark(RECOMMENDATIONS, record, self.after(issued, 10, 40))
            self.implement(rec, record, issued)

    @staticmethod
    def visit(visits: dict[str, list[Event]], wanted: str) -> Event | None:
        """The loaded visit that began on the day (`wanted` "YYYY-MM-DD[:word of the mandate's name]")."""
        day, _colon, word = wanted.partition(":")
        return next(
            (
                v
                for v in visits.get(day, [])
                if not word or (v.principal and word in v.principal.name_en.lower())
            ),
            None,
        )

    def implement(self, rec: D.Rec, record: Recommendation, issued: dt.date) -> None:
        """Take the recommendation along its path; the planned date and the day of the status are those of the
        steps (demo-only updates)."""
        officer, head, lc = self.officer, self.head, RECOMMENDATIONS
        day = self.after(issued, 45, 120)
        if rec.path == "noted":
            record = self.step(lc, record, "note", head, day, reason=D.NOTE_REASON)
        elif rec.path != "new":
            actions = D.PLANNED_ACTIONS.get(rec.responsible, D.PLANNED_ACTIONS["gpo"])
            record = self.step(lc, record, "start", officer, day, planned_actions=actions, due_date=None)
            _backdate(record, due_date=day + dt.timedelta(days=365))
            if rec.path == "closed":
                day = self.after(day, 200, 500)
                record = self.step(lc, record, "close", head, day, reason=D.CLOSE_REASON)
            if rec.path in ("partly", "implemented", "reopened"):
                day = self.after(day, 120, 400)
                status = RS.PARTIALLY if rec.path == "partly" else RS.IN_PROGRESS
                record = self.step(
                    lc, record, "report", officer, day, status=status, evidence=D.EVIDENCE[status]
                )
            if rec.path in ("implemented", "reopened"):
                day = self.after(day, 120, 400)
                evidence = D.EVIDENCE[RS.IMPLEMENTED]
                record = self.step(
                    lc, record, "report", officer, day, status=RS.IMPLEMENTED, evidence=evidence
                )
            if rec.path == "reopened":
                day = self.after(day, 200, 700)
                record = self.step(lc, record, "reopen", head, day, reason=D.REOPEN_REASON)
                _backdate(record, due_date=day + dt.timedelta(days=365))
        _backdate(record, status_changed_on=day if rec.path != "new" else record.issued_on)
        self.counted("recommendation", record)


def seed_relations(
    *, rng: random.Random, cast: DemoCast, today: dt.date | None = None
) -> RelationsSeedReport:
    """The demo's meetings and visits, tasks, projects and recommendations, in one transaction (see the module's
    note). Expects none of them in the database (seed_demo_relations checks)."""
    started = time.perf_counter()
    report = RelationsSeedReport()
    today = today or timezone.localdate()
    with transaction.atomic():
        seeder = _Seeder(rng=rng, today=today, cast=cast, report=report)
        seeder.yearly(today.year - YEARS + 1)
        seeder.this_month()
        seeder.signings()
        seeder.osce_visit()
        seeder.projects()
        seeder.recommendations()
        seeder.days.apply()
    report.seconds = time.perf_counter() - started
    return report


def seed_demo_relations(*, seed: int = 1) -> RelationsSeedReport | None:
    """What `seed_demo` runs: the demo international relations, unless they are there already (or there are no
    demo users: an international officer and a head at the root office)."""
    if Event.objects.filter(submission_key__startswith=KEY).exists():
        return None
    cast = demo_cast()
    if cast is None:
        return None
    if not Event.objects.filter(import_key__isnull=False).exists():
        # `load_relations` runs before seed_demo in `make run` and leaves the visits for the office tree seed_demo
        # has just made: load them now, so the recommendations of the special procedures rest on them.
        from .reference import visits_load

        visits_load()
    return seed_relations(rng=random.Random(f"prokuratura-relations-demo:{seed}"), cast=cast)  # noqa: S311
