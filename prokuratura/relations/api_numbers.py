"""The numbers of international relations through the API: `GET /relations/numbers` — the same selector as the
numbers page (relations.stats.relations_numbers), so the page, its CSV and the API give the same figures."""

from typing import Any

from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router

from prokuratura.accounts.roles import Perm
from prokuratura.core.api_support import ApiError, api_permission, api_user, errors

from .api_schemas import RelNumbersOut, RelNumbersQuery
from .stats import StatementCheck, StatusCounts, relations_numbers

router = Router(tags=["relations"])


def _statement(check: StatementCheck) -> dict[str, Any]:
    s = check.statement
    return {
        "date": s.date,
        "stated": check.stated,
        "counted": check.counted,
        "years": check.years,
        "statement": s.statement,
        "speaker": s.speaker,
        "partner_code": s.partner_code,
        "sources": check.sources,
        "note": s.note,
        "differs": check.differs,
        "nearest": check.nearest,
    }


def _row(row: StatusCounts) -> dict[str, Any]:
    return {"key": row.key, "name": row.name, "parent": row.parent, "counts": row.counts, "total": row.total}


@router.get(
    "/relations/numbers",
    response={200: RelNumbersOut, **errors(401, 403, 422)},
    summary="Relations numbers",
    description="On `date` (today when omitted): the visits of UN special procedures in the `years` years before "
    "it, by mandate, the treaty bodies' visits apart, with the official statements beside the count from the "
    "records on their own dates; joint projects by partner, top-level organisation and status, with the "
    "statements about them; delegations received and sent per year and by state (in `year`, or the `years` "
    "before the date); recommendations by implementation status and by who made them. Counted over the records "
    "you may see (the published history of the UN visits is public). The same figures as the numbers page.",
)
@api_permission(Perm.RELATIONS_STATS)
def relations_numbers_get(request: HttpRequest, params: Query[RelNumbersQuery]) -> Any:
    today = timezone.localdate()
    on = params.date or today
    problems: list[dict[str, Any]] = []
    if on > today:
        problems.append(
            {"loc": ["query", "date"], "msg": _("The date cannot be in the future."), "type": "future"}
        )
    if params.year is not None and params.year > today.year:
        problems.append(
            {"loc": ["query", "year"], "msg": _("The year cannot be in the future."), "type": "future"}
        )
    if problems:
        raise ApiError(422, "validation_error", problems[0]["msg"], problems)
    found = relations_numbers(user=api_user(request), on=on, years=params.years, year=params.year)
    visits, projects, delegations, recs = (
        found.visits,
        found.projects,
        found.delegations,
        found.recommendations,
    )
    return {
        "date": on,
        "years": found.years,
        "year": found.year,
        "visits": {
            "since": visits.since,
            "total": visits.total,
            "treaty_body_total": visits.treaty_body_total,
            "by_mandate": [
                {
                    "mandate_id": row.mandate_id,
                    "mandate": row.mandate,
                    "mandate_kind": row.mandate_kind,
                    "count": row.count,
                    "holders": row.holders,
                    "visits": row.visits,
                }
                for row in visits.by_mandate
            ],
            "treaty_body_visits": visits.treaty_body_visits,
            "statements": [_statement(c) for c in found.visit_statements],
        },
        "projects": {
            "by_organisation": [_row(r) for r in projects.by_organisation],
            "by_partner": [_row(r) for r in projects.by_partner],
            "total": _row(projects.total),
            "statements": [_statement(c) for c in projects.statements],
        },
        "delegations": {
            "by_year": delegations.by_year,
            "by_state": delegations.by_state,
            "state_since": delegations.state_since,
            "state_until": delegations.state_until,
        },
        "recommendations": {
            "by_status": {code: n for code, _label, n in recs.by_status},
            "by_source": [_row(r) for r in recs.by_source],
            "total": recs.total.total,
            "open": recs.open,
            "implemented": recs.implemented,
        },
    }
