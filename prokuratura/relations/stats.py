"""The numbers of international relations: visits of UN special procedures in the N years before a date (by
mandate, with the visits of treaty bodies such as the SPT counted apart) beside the official statement of the time,
joint projects by partner and status (with the OSCE statement beside them), delegations received and sent per year
and by state, and recommendations by implementation status. Reads only; each selector takes the acting user.

What is counted:

- Statistics are numbers, not records, so they are counted as the other modules' are (core.access.counting_scope_q,
  with `relations.view_stats`): over the user's office and every office below it whatever each record's
  sensitivity; every office for national roles and at the root office (the analysts); and, everywhere, the public
  records — among them the published history of the UN visits, which the loader records as public.
- A visit of a special procedure is an incoming visit recorded held whose counterpart is a mandate of the Human
  Rights Council's special procedures (special rapporteur, independent expert, working group); the visit of a
  treaty body (the Subcommittee on Prevention of Torture) is counted apart. "In the N years before D" means the
  visit started on or after the same day N years earlier and on or before D.
- Delegations received: incoming visits and familiarisation trips; sent: outgoing visits; held events only, by the
  year of their start. By state: the states of the partner-side participants (a state's delegation, or a foreign
  authority's state); an event with two states counts once for each.
- Joint projects that had started by the date (and those still proposed, whatever their planned start), by their
  status today; a project is shown under its partner and under the partner's top-level organisation.
- Recommendations made by the date, by their implementation status today.

Queries: a fixed number whatever the data (the page: about ten), counted in Python where the rows are few.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q
from django.db.models.functions import Coalesce, ExtractYear
from django.utils.translation import gettext_lazy as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.access import counting_scope_q
from prokuratura.core.models import Country, Sensitivity

from .models import (
    RECEIVED_KINDS,
    SENT_KINDS,
    SPECIAL_PROCEDURES,
    Counterpart,
    Event,
    EventKind,
    EventStatus,
    ImplementationStatus,
    MandateKind,
    Participant,
    ParticipantSide,
    Project,
    ProjectStatus,
    Recommendation,
    RecommendationSource,
    RelationsStatement,
)
from .selectors import family_ids
from .transitions import REC_OPEN

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

DEFAULT_YEARS = 5
MAX_YEARS = 50
WEB_SCHEMES = ("https://", "http://")
# A project that never started (still proposed, or cancelled before it did) is not "implemented".
PROJECT_STARTED = frozenset({ProjectStatus.ACTIVE, ProjectStatus.SUSPENDED, ProjectStatus.COMPLETED})
DIRECTIONS: tuple[tuple[str, Any], ...] = (
    ("received", _("Delegations received")),
    ("sent", _("Delegations sent")),
)


def shift_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (earlier for a negative number); 29 February becomes the 28th."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def window_start(on: dt.date, years: int) -> dt.date:
    """The first day of "the `years` years before `on`"."""
    return shift_years(on, -years)


# --- who counts what --------------------------------------------------------------------------------------------


def _counted(user: User) -> Q:
    """The records whose numbers the user counts (statistics are numbers, not records — the project's rule,
    core.access.counting_scope_q): their office and the offices below it whatever each record's sensitivity, every
    office for national roles and at the root office; and everywhere the public records (the published history)."""
    if not (user and user.is_authenticated and user.is_active and user.has_perm(Perm.RELATIONS_STATS)):
        return Q(pk__in=[])
    scope = counting_scope_q(user=user)
    if not scope:  # no condition (every office): OR-ing it would narrow it to the other side
        return scope
    return scope | Q(sensitivity=Sensitivity.PUBLIC)


def counted_events_q(*, user: User) -> Q:
    return _counted(user)


def counted_projects_q(*, user: User) -> Q:
    return _counted(user)


def counted_recommendations_q(*, user: User) -> Q:
    return _counted(user)


# --- visits of UN special procedures ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Visit:
    event_id: int
    mandate_id: int
    mandate: str
    mandate_kind: str
    holder: str
    start: dt.date
    end: dt.date
    report_symbol: str

    @property
    def special_procedure(self) -> bool:
        return self.mandate_kind in SPECIAL_PROCEDURES


@dataclass(frozen=True)
class MandateRow:
    mandate_id: int
    mandate: str
    mandate_kind: str
    visits: tuple[Visit, ...]

    @property
    def count(self) -> int:
        return len(self.visits)

    @property
    def holders(self) -> list[str]:
        return list(dict.fromkeys(v.holder for v in self.visits if v.holder))


@dataclass(frozen=True)
class VisitCount:
    on: dt.date
    years: int
    since: dt.date  # the window's first day
    visits: tuple[Visit, ...]  # special procedures, by start date
    treaty_body_visits: tuple[Visit, ...]  # counted apart (the SPT)
    by_mandate: tuple[MandateRow, ...]

    @property
    def total(self) -> int:
        return len(self.visits)

    @property
    def treaty_body_total(self) -> int:
        return len(self.treaty_body_visits)


@dataclass(frozen=True)
class StatementCheck:
    """An official statement beside the count from the records on its date over its period."""

    statement: RelationsStatement
    years: int | None
    counted: int
    nearest: bool = False

    @property
    def stated(self) -> int:
        return self.statement.figure_value

    @property
    def differs(self) -> bool:
        return self.counted != self.stated

    @property
    def sources(self) -> list[str]:
        return [url.strip() for url in self.statement.source_url.split("|") if url.strip()]

    @property
    def links(self) -> list[str]:
        """The sources that are web addresses: only these become links (never a `javascript:` one)."""
        return [url for url in self.sources if url.lower().startswith(WEB_SCHEMES)]


def _visits(*, user: User, until: dt.date) -> list[Visit]:
    """Every held visit of a mandate (special procedure or treaty body) that started by `until`: one query."""
    rows = (
        Event.objects.filter(
            counted_events_q(user=user),
            kind=EventKind.INCOMING_VISIT,
            status=EventStatus.HELD,
            principal__mandate_kind__in=MandateKind.values,
            start_date__lte=until,
        )
        .select_related("principal")
        .order_by("start_date", "id")
    )
    return [
        Visit(
            event_id=e.pk,
            mandate_id=e.principal_id,  # type: ignore[arg-type]  # filtered on the principal
            mandate=e.principal.name if e.principal else "",
            mandate_kind=e.principal.mandate_kind if e.principal else "",
            holder=e.holder_name,
            start=e.start_date,
            end=e.end_date,
            report_symbol=e.report_symbol,
        )
        for e in rows
    ]


def _in_window(visits: Iterable[Visit], since: dt.date, on: dt.date) -> list[Visit]:
    return [v for v in visits if since <= v.start <= on]


def _visit_count(visits: list[Visit], on: dt.date, years: int, since: dt.date | None = None) -> VisitCount:
    since = window_start(on, years) if since is None else since
    window = _in_window(visits, since, on)
    special = [v for v in window if v.special_procedure]
    grouped: dict[int, list[Visit]] = defaultdict(list)
    for visit in special:
        grouped[visit.mandate_id].append(visit)
    by_mandate = sorted(
        (MandateRow(mid, vs[0].mandate, vs[0].mandate_kind, tuple(vs)) for mid, vs in grouped.items()),
        key=lambda row: (-row.count, row.visits[0].start),
    )
    return VisitCount(
        on=on,
        years=years,
        since=since,
        visits=tuple(special),
        treaty_body_visits=tuple(v for v in window if not v.special_procedure),
        by_mandate=tuple(by_mandate),
    )


def special_procedure_visits(
    *, user: User, on: dt.date, years: int = DEFAULT_YEARS, since: dt.date | None = None
) -> VisitCount:
    """The visits of UN special procedures in the `years` years before `on` (or from `since`, e.g. 1 January
    2010, to `on`), by mandate, and the treaty bodies' visits apart. One query."""
    return _visit_count(_visits(user=user, until=on), on, years, since)


def _nearest(checks: list[StatementCheck], on: dt.date) -> list[StatementCheck]:
    if not checks:
        return checks
    closest = min(abs((c.statement.date - on).days) for c in checks)
    return [
        StatementCheck(c.statement, c.years, c.counted, abs((c.statement.date - on).days) == closest)
        for c in checks
    ]


def _statements(subject: str) -> list[RelationsStatement]:
    return list(RelationsStatement.objects.filter(subject=subject).order_by("date", "pk"))


def _visit_checks(
    statements: list[RelationsStatement], visits: list[Visit], on: dt.date
) -> list[StatementCheck]:
    checks = []
    for statement in statements:
        years = statement.period_years or DEFAULT_YEARS
        since = window_start(statement.date, years)
        counted = sum(1 for v in _in_window(visits, since, statement.date) if v.special_procedure)
        checks.append(StatementCheck(statement, years, counted))
    return _nearest(checks, on)


def visit_statements(*, user: User, on: dt.date) -> list[StatementCheck]:
    """The statements about the special procedures' visits, each beside the count from the records over the
    statement's own period before its date (five years when it names none); the nearest to `on` marked."""
    statements = _statements(RelationsStatement.Subject.SPECIAL_PROCEDURE_VISITS)
    if not statements:
        return []
    return _visit_checks(statements, _visits(user=user, until=max(s.date for s in statements)), on)


# --- joint projects ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StatusCounts:
    key: str  # counterpart id as text, or "" for the total
    name: str
    parent: str  # the top-level organisation's name (partner rows)
    counts: dict[str, int]
    order: tuple[str, ...] = ()  # the statuses, in the order of the columns

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def values(self) -> list[int]:
        return self.cells(self.order)

    def cells(self, statuses: Iterable[str]) -> list[int]:
        return [self.counts.get(s, 0) for s in statuses]


@dataclass(frozen=True)
class ProjectNumbers:
    on: dt.date
    statuses: tuple[tuple[str, str], ...]
    by_organisation: tuple[StatusCounts, ...]
    by_partner: tuple[StatusCounts, ...]
    total: StatusCounts
    statements: tuple[StatementCheck, ...] = ()


class _Tree:
    """The counterparts' hierarchy, read once (a few hundred rows): the top-level organisation of each and the
    ids below each."""

    def __init__(self) -> None:
        self.rows = {c.pk: c for c in Counterpart.objects.only("pk", "code", "parent_id", *_NAME_FIELDS)}
        self.by_code = {c.code: c for c in self.rows.values()}

    def top(self, pk: int) -> Counterpart:
        node, seen = self.rows[pk], set()
        while node.parent_id is not None and node.parent_id in self.rows and node.pk not in seen:
            seen.add(node.pk)
            node = self.rows[node.parent_id]
        return node

    def subtree(self, pk: int) -> set[int]:
        return family_ids(((row.pk, row.parent_id) for row in self.rows.values()), pk)


_NAME_FIELDS = ("name_en", "name_ru", "name_kk")


def _project_rows(*, user: User) -> list[tuple[int, str, dt.date]]:
    return list(
        Project.objects.filter(counted_projects_q(user=user))
        .order_by()
        .values_list("partner_id", "status", "start_date")
    )


def _status_rows(counts: dict[int, Counter[str]], tree: _Tree, *, with_parent: bool) -> list[StatusCounts]:
    rows = []
    for pk, counter in counts.items():
        node = tree.rows[pk]
        top = tree.top(pk)
        rows.append(
            StatusCounts(
                str(pk),
                node.name,
                top.name if with_parent and top.pk != pk else "",
                dict(counter),
                tuple(ProjectStatus.values),
            )
        )
    return sorted(rows, key=lambda r: (-r.total, r.parent.casefold(), r.name.casefold()))


def project_numbers(*, user: User, on: dt.date) -> ProjectNumbers:
    """Joint projects started by `on` (and those still proposed) by partner and its top-level organisation, by
    status today; the statements about the joint projects beside the count of the projects with that partner
    (and the bodies below it) that had started by the statement's date. Three queries."""
    tree = _Tree()
    rows = _project_rows(user=user)
    shown = [(p, s) for p, s, start in rows if start <= on or s == ProjectStatus.PROPOSED]
    partners: dict[int, Counter[str]] = defaultdict(Counter)
    organisations: dict[int, Counter[str]] = defaultdict(Counter)
    for partner, status in shown:
        partners[partner][status] += 1
        organisations[tree.top(partner).pk][status] += 1
    checks = []
    for statement in _statements(RelationsStatement.Subject.JOINT_PROJECTS):
        partner_row = tree.by_code.get(statement.partner_code)
        ids = tree.subtree(partner_row.pk) if partner_row else set()
        counted = sum(
            1 for p, s, start in rows if p in ids and s in PROJECT_STARTED and start <= statement.date
        )
        checks.append(StatementCheck(statement, statement.period_years, counted))
    return ProjectNumbers(
        on=on,
        statuses=tuple((value, str(label)) for value, label in ProjectStatus.choices),
        by_organisation=tuple(_status_rows(organisations, tree, with_parent=False)),
        by_partner=tuple(_status_rows(partners, tree, with_parent=True)),
        total=StatusCounts(
            "", str(_("Total")), "", dict(Counter(s for _p, s in shown)), tuple(ProjectStatus.values)
        ),
        statements=tuple(_nearest(checks, on)),
    )


def statement_partner(statement: RelationsStatement) -> Counterpart | None:
    return Counterpart.objects.filter(code=statement.partner_code).first() if statement.partner_code else None


# --- delegations ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class YearRow:
    year: int
    received: int
    sent: int

    @property
    def cells(self) -> tuple[int, int]:
        return (self.received, self.sent)


@dataclass(frozen=True)
class StateRow:
    iso2: str
    name: str
    received: int
    sent: int

    @property
    def cells(self) -> tuple[int, int]:
        return (self.received, self.sent)

    @property
    def total(self) -> int:
        return self.received + self.sent


@dataclass(frozen=True)
class DelegationNumbers:
    on: dt.date
    by_year: tuple[YearRow, ...]
    by_state: tuple[StateRow, ...]
    state_since: dt.date  # the by-state table's period
    state_until: dt.date
    totals: YearRow = field(default_factory=lambda: YearRow(0, 0, 0))


def _direction(kind: str) -> str:
    return "received" if kind in RECEIVED_KINDS else "sent"


def _delegations_q(user: User) -> Q:
    return counted_events_q(user=user) & Q(status=EventStatus.HELD, kind__in=[*RECEIVED_KINDS, *SENT_KINDS])


def delegations_by_year(*, user: User, on: dt.date) -> list[YearRow]:
    """Delegations received and sent per year of their start, up to `on`, with the years between without any.
    One query."""
    rows = (
        Event.objects.filter(_delegations_q(user), start_date__lte=on)
        .annotate(year=ExtractYear("start_date"))
        .order_by()
        .values("year", "kind")
        .annotate(n=Count("id"))
    )
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for row in rows:
        counts[row["year"]][_direction(row["kind"])] += row["n"]
    if not counts:
        return []
    return [
        YearRow(year, counts[year]["received"], counts[year]["sent"])
        for year in range(min(counts), on.year + 1)
    ]


def delegations_by_state(*, user: User, since: dt.date, until: dt.date) -> list[StateRow]:
    """Delegations received from and sent to each state (the partner-side participants' states) whose event started
    in [since, until]. Two queries."""
    rows = (
        Participant.objects.filter(
            side=ParticipantSide.PARTNER,
            event__in=Event.objects.filter(
                _delegations_q(user), start_date__gte=since, start_date__lte=until
            ).values("pk"),
        )
        .annotate(state=Coalesce("country_id", "counterpart__country_id"))
        .filter(state__isnull=False)
        .order_by()
        .values("state", "event__kind")
        .annotate(n=Count("event", distinct=True))
    )
    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        counts[row["state"]][_direction(row["event__kind"])] += row["n"]
    names = {c.iso2: c.name for c in Country.objects.filter(iso2__in=list(counts))}
    found = [
        StateRow(iso2, names.get(iso2, iso2), counter["received"], counter["sent"])
        for iso2, counter in counts.items()
    ]
    return sorted(found, key=lambda r: (-r.total, r.name.casefold()))


def delegation_numbers(
    *, user: User, on: dt.date, years: int = DEFAULT_YEARS, year: int | None = None
) -> DelegationNumbers:
    """Per year up to `on`; by state over the chosen `year` (up to `on`), or else the `years` years before `on`."""
    by_year = delegations_by_year(user=user, on=on)
    if year is not None:
        since, until = dt.date(year, 1, 1), min(dt.date(year, 12, 31), on)
    else:
        since, until = window_start(on, years), on
    return DelegationNumbers(
        on=on,
        by_year=tuple(by_year),
        by_state=tuple(delegations_by_state(user=user, since=since, until=until)),
        state_since=since,
        state_until=until,
        totals=YearRow(0, sum(r.received for r in by_year), sum(r.sent for r in by_year)),
    )


# --- recommendations --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendationNumbers:
    on: dt.date
    statuses: tuple[tuple[str, str], ...]
    by_status: tuple[tuple[str, str, int], ...]  # status, label, count
    by_source: tuple[StatusCounts, ...]  # a row per source kind, by status
    total: StatusCounts

    @property
    def open(self) -> int:
        return sum(n for status, _label, n in self.by_status if status in REC_OPEN)

    @property
    def implemented(self) -> int:
        return sum(n for status, _label, n in self.by_status if status == ImplementationStatus.IMPLEMENTED)


def recommendation_numbers(*, user: User, on: dt.date) -> RecommendationNumbers:
    """Recommendations made by `on`, by implementation status today, and by who made them × status. One query."""
    rows = (
        Recommendation.objects.filter(counted_recommendations_q(user=user), issued_on__lte=on)
        .order_by()
        .values("source_kind", "status")
        .annotate(n=Count("id"))
    )
    sources: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        sources[row["source_kind"]][row["status"]] += row["n"]
    total: Counter[str] = Counter()
    for counter in sources.values():
        total.update(counter)
    return RecommendationNumbers(
        on=on,
        statuses=tuple((value, str(label)) for value, label in ImplementationStatus.choices),
        by_status=tuple((value, str(label), total[value]) for value, label in ImplementationStatus.choices),
        by_source=tuple(
            StatusCounts(value, str(label), "", dict(sources[value]), tuple(ImplementationStatus.values))
            for value, label in RecommendationSource.choices
            if value in sources
        ),
        total=StatusCounts("", str(_("Total")), "", dict(total), tuple(ImplementationStatus.values)),
    )


# --- everything the numbers page shows --------------------------------------------------------------------------


@dataclass(frozen=True)
class RelationsNumbers:
    on: dt.date
    years: int
    year: int | None
    visits: VisitCount
    visit_statements: tuple[StatementCheck, ...]
    projects: ProjectNumbers
    delegations: DelegationNumbers
    recommendations: RecommendationNumbers


def relations_numbers(
    *, user: User, on: dt.date, years: int = DEFAULT_YEARS, year: int | None = None
) -> RelationsNumbers:
    """All the tables of the numbers page and the API for these parameters (about ten queries)."""
    statements = _statements(RelationsStatement.Subject.SPECIAL_PROCEDURE_VISITS)
    visits = _visits(user=user, until=max([on, *(s.date for s in statements)]))
    return RelationsNumbers(
        on=on,
        years=years,
        year=year,
        visits=_visit_count([v for v in visits if v.start <= on], on, years),
        visit_statements=tuple(_visit_checks(statements, visits, on)),
        projects=project_numbers(user=user, on=on),
        delegations=delegation_numbers(user=user, on=on, years=years, year=year),
        recommendations=recommendation_numbers(user=user, on=on),
    )
