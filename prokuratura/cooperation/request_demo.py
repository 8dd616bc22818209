"""Two years of demo requests for legal assistance (`seed_demo` runs `seed_demo_requests` after supervision).

About sixty requests (the plan is `request_demo_data.PLAN`) to and from the partner states of the treaty register,
in every status of both lifecycles: mutual legal assistance with its measures, extraditions (one incoming for a
citizen of Kazakhstan, refused on the own-nationals ground recorded in the checklist), transfers of sentenced persons
and of proceedings; cybercrime, drugs, money laundering, terrorism (restricted), corruption and trafficking in
persons; with the persons concerned, the letters of the correspondence log and the translations. Each request rests
on the first instrument the resolver offers for its partner, kind and offence (reciprocity where none applies).

Everything is made through the services and REQUESTS.perform, so numbers, history and audit are what real work
leaves. Some steps are dated today by their service (signing; the terms counted from registration and
assignment; a translation's due date, which may not be in the past): right after such a step a demo-only update
moves the date to the day the step stands for, and recounts the term from it. An outgoing request is numbered in
the year it was drafted. The history rows get the days of their steps at the end, as supervision's demo does; the
audit trail keeps the real moment of the seeding. Idempotent: a database with the demo's requests is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Role
from prokuratura.core.models import Country, CrimeCategory, Office

from . import request_demo_data as D
from .models_requests import (
    KIND_SUBJECT,
    AssistanceRequest,
    BasisKind,
    Direction,
    ExtraditionPurpose,
    Facts,
    GroundFinding,
    LetterDirection,
    Milestone,
    PersonRole,
    RefusalGround,
    RequestCounter,
    RequestKind,
    RequestTransition,
    TranslationStatus,
    Urgency,
)
from .request_rules import request_due_date
from .request_services import (
    PersonData,
    RequestData,
    request_create,
    request_grounds_assess,
    request_letter_add,
    request_number,
    request_person_add,
    request_update,
    translation_order,
    translation_set_status,
)
from .request_transitions import REQUESTS

KEY = "demo-request:"  # the submission keys of the demo's requests: their presence makes the seeding a no-op


@dataclass
class RequestSeedReport:
    requests: int = 0
    persons: int = 0
    letters: int = 0
    translations: int = 0
    skipped: list[str] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    seconds: float = 0.0

    def summary(self) -> str:
        return (
            f"Demo requests for legal assistance: {self.requests} ({len(self.statuses)} statuses), "
            f"{self.persons} persons, {self.letters} letters, {self.translations} translations, "
            f"in {self.seconds:.1f} s."
        )


@dataclass(frozen=True)
class DemoCast:
    """Who works on the demo requests: the international officer and the head over the root office; a regional
    head (whose office drafts a few requests) and a prosecutor there, who investigates the domestic cases."""

    office: Office
    officer: User
    head: User
    regional_head: User | None = None
    prosecutor: User | None = None


def demo_cast() -> DemoCast | None:
    """The demo users (`core.demo`): `intl_officer`, `head_gpo`, `head` (Astana), `prosecutor`; found by role, so
    any office tree with such people will do. None when there is no international officer or head at the root."""
    users = User.objects.filter(is_active=True, office__isnull=False).select_related("office")

    def by_role(role: str) -> Any:
        return users.filter(user_roles__role=role).order_by("office__path", "username")

    officer = by_role(Role.INTL_OFFICER).filter(office__parent__isnull=True).first()
    head = by_role(Role.HEAD).filter(office__parent__isnull=True).first()
    if officer is None or head is None or officer.office is None or officer.office_id != head.office_id:
        return None
    regional = by_role(Role.HEAD).filter(office__parent=officer.office).first()
    prosecutor = None
    if regional is not None and regional.office is not None:
        prosecutor = by_role(Role.PROSECUTOR).filter(office__path__startswith=regional.office.path).first()
    return DemoCast(officer.office, officer, head, regional, prosecutor)


def _moment(day: dt.date, minutes: int = 0) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(9, 30)) + dt.timedelta(minutes=minutes))


def _backdate(record: AssistanceRequest, **values: Any) -> None:
    """Demo only: give a field the value the step would have had on the day it stands for (the service dates it
    today). Not audited — the audit trail records the seeding as it happened."""
    AssistanceRequest.objects.filter(pk=record.pk).update(**values)
    for name, value in values.items():
        setattr(record, name, value)


class _Seeder:
    def __init__(self, *, rng: random.Random, today: dt.date, cast: DemoCast, report: RequestSeedReport):
        self.rng, self.today, self.cast, self.report = rng, today, cast, report
        self.days: dict[int, list[dt.date]] = {}  # request → the days of its history rows, in order
        self.bases: dict[tuple[str, ...], dict[str, Any]] = {}
        self.countries = {c.iso2: c for c in Country.objects.all()}
        self.categories = {c.code: c for c in CrimeCategory.objects.all()}
        self.offices = {
            o.code: o for o in Office.objects.filter(code__in=[v[1] for v in D.EXECUTING.values()])
        }

    # --- helpers ---------------------------------------------------------------------------------------------

    def later(self, day: dt.date, low: int, high: int) -> dt.date:
        return min(day + dt.timedelta(days=self.rng.randint(low, high)), self.today)

    def step(self, record: AssistanceRequest, name: str, by: User, day: dt.date, **inputs: Any) -> None:
        REQUESTS.perform(step=name, by=by, record=record, inputs=inputs)
        self.days[record.pk].append(day)

    def letter(self, record: AssistanceRequest, way: str, day: dt.date, summary: str, to: str = "") -> None:
        """A letter of the correspondence log, to or from the partner's authority unless `to` says otherwise."""
        reference = f"{record.number}/{len(self.days[record.pk])}" if way == LetterDirection.OUT else ""
        request_letter_add(
            by=self.cast.officer,
            assistance_request=record,
            direction=way,
            dated=day,
            counterpart=to or record.foreign_authority,
            summary=summary,
            reference=reference,
        )
        self.report.letters += 1

    def person(self, record: AssistanceRequest, role: str, who: D.Person, *, located: str = "") -> None:
        request_person_add(
            by=self.cast.officer,
            assistance_request=record,
            data=PersonData(
                role=role,
                full_name=who.name,
                birth_date=dt.date.fromisoformat(who.born),
                nationality=self.countries.get(who.nationality),
                stateless=not who.nationality,
                location=located or who.location,
                description=D.DESCRIPTION if role in (PersonRole.SOUGHT, PersonRole.SENTENCED) else "",
            ),
        )
        self.report.persons += 1

    def translation(self, record: AssistanceRequest, language: str, ordered: dt.date, done: bool) -> dt.date:
        """A translation ordered on `ordered`, due ten days later; done within a week when `done`, else under way.
        Returns the day it was done (or ordered)."""
        document = "Запрос и приложения" if record.is_outgoing else "Запрос иностранного государства"
        task = translation_order(
            by=self.cast.officer,
            assistance_request=record,
            language=language,
            document=document,
            translator=self.rng.choice(D.TRANSLATORS),
        )
        task.due_date = ordered + dt.timedelta(
            days=10
        )  # demo only: translation_order refuses a past due date
        task.save(update_fields=["due_date"])
        self.report.translations += 1
        status = TranslationStatus.DONE if done else TranslationStatus.IN_PROGRESS
        finished = self.later(ordered, 3, 7) if done else ordered
        translation_set_status(
            by=self.cast.officer,
            assistance_request=record,
            task=task,
            status=status,
            done_on=finished if done else None,
        )
        return finished

    def basis(self, row: D.Row, on_date: dt.date) -> dict[str, Any]:
        """The resolver's first applicable instrument for the request, or reciprocity where none applies. Asked once
        per partner, kind and offence (the intake service checks the choice again on the request's own date)."""
        from .resolver import legal_basis_resolve

        asked = (row.partner, row.kind, self.iccs(row), row.focus)
        if asked in self.bases:
            return self.bases[asked]
        resolution = legal_basis_resolve(
            country=row.partner,
            kind=KIND_SUBJECT[RequestKind(row.kind)],
            on_date=on_date,
            iccs_section=self.iccs(row),
            focus_area=row.focus,
        )
        offered = [c.instrument for c in resolution.applicable if c.instrument is not None]
        if offered:
            self.bases[asked] = {"basis_kind": BasisKind.INSTRUMENT, "basis": offered[0]}
        else:
            self.bases[asked] = {"basis_kind": BasisKind.RECIPROCITY, "reciprocity_assurance": D.RECIPROCITY}
        return self.bases[asked]

    def iccs(self, row: D.Row) -> str:
        return "02" if row.variant == "dual_criminality" else D.ICCS[row.focus]

    def data(
        self, row: D.Row, story: D.Story, day: dt.date, resolve_on: dt.date, **extra: Any
    ) -> RequestData:
        """The request's contents from the story; the basis as the resolver answers on `resolve_on` (the date the
        intake service checks it on); the case and the warrant of `day`."""
        organised = row.focus in (D.DRUGS, D.ML, D.TERROR, D.TRAFFIC)
        values: dict[str, Any] = {
            "kind": row.kind,
            "partner": self.countries[row.partner],
            "foreign_authority": D.AUTHORITY[row.partner],
            "urgency": Urgency.URGENT if row.variant == "urgent" else Urgency.NORMAL,
            "case_number": f"{day:%y}{self.rng.randint(10**12, 10**13 - 1)}",
            "offence_article": story.article,
            "offence_category": self.categories.get(self.iccs(row)),
            "focus_area": self.categories.get(row.focus) if row.focus else None,
            "transnational": Facts.YES,
            "organised_group": Facts.YES if organised else Facts.UNKNOWN,
            "proceedings_subject": story.subject,
            "facts_summary": story.facts,
            "purpose": story.purpose,
            "penalty": story.penalty,
            "limitation": story.limitation,
            **self.basis(row, resolve_on),
        }
        if row.kind == RequestKind.MLA:
            values.update(measures=D.MEASURES[row.focus], assistance_sought=story.sought)
        if row.kind == RequestKind.EXTRADITION:
            values["extradition_purpose"] = ExtraditionPurpose.PROSECUTION
            warrant = day - dt.timedelta(days=self.rng.randint(10, 40))
            values["warrant"] = (
                f"Постановление следственного суда о санкционировании ареста от {warrant:%d.%m.%Y}"
            )
        if row.kind == RequestKind.TRANSFER_SENTENCED:
            values["judgment"] = f"Приговор суда от {day - dt.timedelta(days=400):%d.%m.%Y}"
            values["sentence_remaining"] = "4 года 2 месяца"
        values.update(extra)
        return RequestData(**values)

    def created(self, record: AssistanceRequest, day: dt.date) -> AssistanceRequest:
        self.days[record.pk] = [day]
        _backdate(record, created_at=_moment(day))  # demo only: the service stamps the moment of the seeding
        self.report.requests += 1
        return record

    def finished(self, record: AssistanceRequest) -> None:
        _backdate(record, updated_at=_moment(self.days[record.pk][-1], 60))  # demo only
        self.report.statuses[record.status] += 1

    # --- outgoing ----------------------------------------------------------------------------------------------

    def outgoing(self, row: D.Row, key: str) -> None:
        cast, rng, today = self.cast, self.rng, self.today
        drafted = today - dt.timedelta(days=row.age)
        office, head = cast.office, cast.head
        if row.variant == "astana" and cast.regional_head is not None:
            office, head = cast.regional_head.office or cast.office, cast.regional_head
        story = D.STORIES[row.focus]
        extra: dict[str, Any] = {"requesting_authority": D.REQUESTING, "prosecutor": cast.prosecutor}
        extra["conducting_authority"] = D.CONDUCTING[row.focus]
        record = request_create(
            by=cast.officer,
            direction=Direction.OUTGOING,
            office=office,
            data=self.data(row, story, drafted, today, **extra),
            submission_key=key,
        )
        self.created(record, drafted)
        self.renumber(record, drafted.year)
        own = rng.choice(D.SUSPECTS["KZ"])
        foreign = D.SUSPECTS.get(row.partner, D.SUSPECTS["RU"])[0]
        abroad = f"{foreign.location} (территория запрашиваемой Стороны)"
        if row.kind == RequestKind.MLA:
            self.person(record, PersonRole.SUSPECT, own)
            role = PersonRole.VICTIM if row.focus == D.TRAFFIC else PersonRole.WITNESS
            self.person(record, role, rng.choice(D.WITNESSES))
        elif row.kind == RequestKind.EXTRADITION:
            self.person(record, PersonRole.SOUGHT, own, located=abroad)
        elif row.kind == RequestKind.TRANSFER_SENTENCED:
            self.person(
                record, PersonRole.SENTENCED, own, located=f"исправительное учреждение, {foreign.location}"
            )
        else:
            self.person(record, PersonRole.SUSPECT, foreign)
        ready = drafted
        language = D.TRANSLATE_INTO.get(row.partner)
        if language:
            ready = self.translation(record, language, self.later(drafted, 0, 2), done=row.status != "draft")
        if row.status == "draft":
            return self.finished(record)
        if row.variant == "early":
            self.step(record, "withdraw", head, self.later(ready, 5, 20), reason=D.WITHDRAW_EARLY)
            return self.finished(record)
        self.step(record, "check", cast.officer, day := self.later(ready, 1, 3))
        if row.status == "checked":
            return self.finished(record)
        self.step(record, "sign", head, day := self.later(day, 1, 3))
        _backdate(record, signed_on=day, dated=day)  # demo only: signing dates the request today
        if row.status == "signed":
            return self.finished(record)
        self.step(record, "send", cast.officer, sent := self.later(day, 1, 3), sent_on=sent)
        self.letter(record, LetterDirection.OUT, sent, "Сопроводительное письмо к запросу.")
        if row.status == "withdrawn":
            self.step(record, "withdraw", head, day := self.later(sent, 40, 90), reason=D.WITHDRAW_REASON)
            self.letter(record, LetterDirection.OUT, day, "Уведомление об отзыве запроса.")
            return self.finished(record)
        if row.status == "sent":
            if (today - sent).days > 35:
                reminder = "Напоминание: просим подтвердить получение запроса."
                self.letter(record, LetterDirection.OUT, self.later(sent, 31, 35), reminder)
            return self.finished(record)
        ack = self.later(sent, 8, 25)
        reference = f"{ack.year}/{rng.randint(100, 9999)}"
        self.step(record, "acknowledge", cast.officer, ack, acknowledged_on=ack, foreign_reference=reference)
        self.letter(record, LetterDirection.IN, ack, f"Подтверждение получения, № {reference}.")
        if row.status == "acknowledged" and record.due_date and record.due_date < today:
            reminder = "Напоминание: просим сообщить о ходе исполнения запроса."
            self.letter(record, LetterDirection.OUT, self.later(record.due_date, 1, 10), reminder)
        if row.status == "acknowledged":
            return self.finished(record)
        if not (row.status == "refused" and row.kind == RequestKind.EXTRADITION):  # refused without a start
            self.step(record, "start_execution", cast.officer, ack := self.later(ack, 10, 40))
        if row.status == "in_execution":
            return self.finished(record)
        done = self.later(ack, 40, 150)
        outcome = self.outcome(row)
        self.step(
            record, "record_result", cast.officer, done, result=row.status, executed_on=done, outcome=outcome
        )
        self.letter(record, LetterDirection.IN, done, outcome)
        self.finished(record)

    def outcome(self, row: D.Row) -> str:
        if row.status == "refused":
            return D.OUTCOME["refused" if row.kind == RequestKind.EXTRADITION else "refused_mla"]
        if row.status == "partly_executed":
            return D.OUTCOME["partly_executed"]
        return D.OUTCOME[
            {
                RequestKind.EXTRADITION: "extradited",
                RequestKind.TRANSFER_SENTENCED: "transferred",
                RequestKind.TRANSFER_PROCEEDINGS: "proceedings",
            }.get(RequestKind(row.kind), "executed")
        ]

    def renumber(self, record: AssistanceRequest, year: int) -> None:
        """Demo only: the service numbers an outgoing request in today's year; the demo's was drafted in `year`.
        The number it took is given back (it is the office's last: the demo seeds alone, in one transaction)."""
        if record.year == year:
            return
        counter = RequestCounter.objects.select_for_update().get(office=record.office, year=record.year)
        if counter.last == record.sequence:
            counter.last -= 1
            counter.save(update_fields=["last"])
        sequence = RequestCounter.next(record.office, year)
        number = request_number(
            office=record.office, year=year, sequence=sequence, direction=record.direction, kind=record.kind
        )
        _backdate(record, year=year, sequence=sequence, number=number)

    # --- incoming ----------------------------------------------------------------------------------------------

    def incoming(self, row: D.Row, key: str) -> None:
        cast, rng, today = self.cast, self.rng, self.today
        received = today - dt.timedelta(days=row.age)
        english = row.partner in D.ENGLISH_SENDERS and row.focus in D.ENGLISH
        story = D.ENGLISH[row.focus] if english else D.FOREIGN[row.focus]
        if row.variant == "dual_criminality":
            story = D.DEFAMATION
        incomplete = row.status == "returned" or row.variant == "resumed"
        extra: dict[str, Any] = {
            "requesting_authority": D.AUTHORITY[row.partner],
            "conducting_authority": D.AUTHORITY[row.partner],
            "language": "en" if english else "ru",
            "dated": received - dt.timedelta(days=rng.randint(5, 20)),
            "foreign_reference": f"{received.year}/{rng.randint(100, 9999)}",
        }
        if incomplete:
            extra["facts_summary"] = ""
        data = self.data(row, story, received, received, **extra)
        record = request_create(
            by=cast.officer,
            direction=Direction.INCOMING,
            office=cast.office,
            data=data,
            received_on=received,
            submission_key=key,
        )
        self.created(record, received)
        foreign = D.SUSPECTS.get(row.partner, D.SUSPECTS["RU"])[0]
        own = rng.choice(D.SUSPECTS["KZ"])
        if row.kind == RequestKind.EXTRADITION:
            sought = own if row.variant == "own_national" else foreign
            self.person(record, PersonRole.SOUGHT, sought, located="г. Алматы, следственный изолятор")
        elif row.kind == RequestKind.TRANSFER_SENTENCED:
            self.person(record, PersonRole.SENTENCED, foreign, located="учреждение ЛА-155/14, г. Алматы")
        elif row.kind == RequestKind.TRANSFER_PROCEEDINGS:
            self.person(record, PersonRole.SUSPECT, own)
        else:
            self.person(record, PersonRole.SUSPECT, foreign)
            self.person(record, PersonRole.WITNESS, own)
        self.letter(record, LetterDirection.IN, received, "Запрос с приложениями.")
        ready = received
        if english:
            ready = self.translation(
                record, "ru", self.later(received, 0, 1), done=row.status != "registered"
            )
        if row.status == "received":
            return self.finished(record)
        self.step(record, "register", cast.officer, day := self.later(received, 0, 1))
        self.due(record, Milestone.CHECK, day)
        if incomplete:
            self.step(record, "return", cast.officer, day := self.later(day, 2, 6), reason=D.RETURN_REASON)
            self.letter(record, LetterDirection.OUT, day, D.RETURN_REASON)
            if row.status == "returned":
                return self.finished(record)
            day = self.later(day, 15, 30)
            self.letter(record, LetterDirection.IN, day, D.RESUME_REASON)
            data.facts_summary = story.facts
            request_update(by=cast.officer, assistance_request=record, data=data, reason=D.RESUME_REASON)
            record.refresh_from_db()
            self.step(record, "resume", cast.officer, day, reason=D.RESUME_REASON)
            self.due(record, Milestone.CHECK, day)
        if row.status == "refused":
            return self.refused(row, record, day)
        if row.status == "registered":
            return self.finished(record)
        self.step(record, "accept", cast.officer, day := self.later(max(day, ready), 1, 5))
        if row.status == "checked":
            return self.finished(record)
        body, code = D.EXECUTING[row.focus]
        office = self.offices.get(code)
        day = self.later(day, 1, 3)
        self.step(record, "assign", cast.officer, day, executing_body=body, executing_office=office)
        self.due(record, Milestone.EXECUTE, day)
        self.letter(record, LetterDirection.OUT, day, "Поручение об исполнении запроса.", to=body)
        if row.status == "assigned":
            return self.finished(record)
        day = self.later(day, 15, 45)
        partly = row.status == "partly_executed"
        kinds = {
            RequestKind.EXTRADITION: "incoming_extradition",
            RequestKind.TRANSFER_SENTENCED: "incoming_transfer",
        }
        outcome = D.OUTCOME["incoming_partly" if partly else kinds.get(RequestKind(row.kind), "incoming")]
        self.step(
            record, "record_execution", cast.officer, day, executed_on=day, outcome=outcome, partly=partly
        )
        self.letter(record, LetterDirection.IN, day, "Материалы исполнения запроса.", to=body)
        if row.status in ("executed", "partly_executed"):
            return self.finished(record)
        self.step(
            record, "send_materials", cast.officer, day := self.later(day, 3, 15), materials_sent_on=day
        )
        self.letter(record, LetterDirection.OUT, day, "Направление материалов исполнения.")
        self.finished(record)

    def due(self, record: AssistanceRequest, milestone: str, day: dt.date) -> None:
        """Demo only: the step counted the term from today; count it from the day the step stands for."""
        due = request_due_date(
            direction=record.direction,
            kind=record.kind,
            milestone=milestone,
            start=day,
            urgency=record.urgency,
        )
        _backdate(record, due_date=due)

    def refused(self, row: D.Row, record: AssistanceRequest, day: dt.date) -> None:
        """The checklist (the ground that applies, with its note; the others weighed), then a head's refusal."""
        applies = (
            RefusalGround.OWN_NATIONAL if row.variant == "own_national" else RefusalGround.DUAL_CRIMINALITY
        )
        note = D.OWN_NATIONAL if applies == RefusalGround.OWN_NATIONAL else D.DUAL_CRIMINALITY
        weighed = [RefusalGround.POLITICAL, RefusalGround.LIMITATION, RefusalGround.NE_BIS_IN_IDEM]
        if row.kind == RequestKind.EXTRADITION:
            weighed += [RefusalGround.DEATH_PENALTY, RefusalGround.TORTURE, RefusalGround.DUAL_CRIMINALITY]
        findings = {g.value: (GroundFinding.NOT_APPLICABLE.value, "") for g in weighed if g != applies}
        findings[applies.value] = (GroundFinding.APPLIES.value, note)
        request_grounds_assess(by=self.cast.officer, assistance_request=record, findings=findings)
        self.step(record, "refuse", self.cast.head, day := self.later(day, 3, 10), reason=note)
        self.letter(record, LetterDirection.OUT, day, note)
        self.finished(record)

    # --- the history's days ------------------------------------------------------------------------------------

    def date_history(self) -> None:
        """Demo only: each history row gets the day its step stands for (the kernel stamps the seeding's moment)."""
        rows = list(
            RequestTransition.objects.filter(request_id__in=list(self.days)).order_by("request_id", "id")
        )
        seen: Counter[int] = Counter()
        for row in rows:
            days, i = self.days[row.request_id], seen[row.request_id]
            seen[row.request_id] += 1
            row.at = _moment(days[min(i, len(days) - 1)], 17 * i)
        RequestTransition.objects.bulk_update(rows, ["at"], batch_size=500)


def seed_requests(
    *,
    rng: random.Random,
    cast: DemoCast,
    today: dt.date | None = None,
    plan: tuple[D.Row, ...] | None = None,
) -> RequestSeedReport:
    """The demo requests of `plan` (default: request_demo_data.PLAN), oldest first, in one transaction. A row
    already seeded (its submission key is taken) or whose partner the register does not know is skipped; the
    latter is named in the report."""
    started = time.perf_counter()
    report = RequestSeedReport()
    seeder = _Seeder(rng=rng, today=today or timezone.localdate(), cast=cast, report=report)
    known = set(seeder.countries)
    taken = set(
        AssistanceRequest.objects.filter(submission_key__startswith=KEY).values_list(
            "submission_key", flat=True
        )
    )
    with transaction.atomic():
        for index, row in sorted(enumerate(plan or D.PLAN), key=lambda pair: -pair[1].age):
            key = f"{KEY}{index}"
            if key in taken:
                continue
            if row.partner not in known:
                report.skipped.append(f"{row.direction} {row.kind} {row.partner}")
                continue
            if row.direction == Direction.OUTGOING:
                seeder.outgoing(row, key)
            else:
                seeder.incoming(row, key)
        seeder.date_history()
    report.seconds = time.perf_counter() - started
    return report


def seed_demo_requests(*, seed: int = 1) -> RequestSeedReport | None:
    """What `seed_demo` runs: the demo requests, unless they are there already (or the database has no treaty
    register or no demo users)."""
    from .models import Instrument

    if AssistanceRequest.objects.filter(submission_key__startswith=KEY).exists():
        return None
    if not Instrument.objects.exists():
        return None
    cast = demo_cast()
    if cast is None:
        return None
    return seed_requests(rng=random.Random(f"prokuratura-requests-demo:{seed}"), cast=cast)  # noqa: S311
