"""The headline figures of international relations for the reports module: the same selectors as the numbers page
(relations.stats), so a report and the page cannot disagree. Counted by the record rule of the acting user."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from .models import Project, ProjectStatus
from .stats import (
    DEFAULT_YEARS,
    counted_projects_q,
    delegations_by_year,
    recommendation_numbers,
    special_procedure_visits,
)

if TYPE_CHECKING:
    from prokuratura.accounts.models import User


def relations_headline_figures(*, user: User, on: dt.date) -> dict[str, int]:
    """On the day `on`:

    - `special_procedure_visits`: visits of UN special procedures in the five years before it (treaty bodies'
      visits apart, in `treaty_body_visits`);
    - `projects_active`: joint projects under way that had started by then (status today);
    - `delegations_received` / `delegations_sent`: held in its year, up to it;
    - `recommendations_implemented` / `recommendations_open`: made by then, by their status today (open: not
      started, in progress or partially implemented).
    """
    visits = special_procedure_visits(user=user, on=on, years=DEFAULT_YEARS)
    this_year = next((row for row in delegations_by_year(user=user, on=on) if row.year == on.year), None)
    recommendations = recommendation_numbers(user=user, on=on)
    projects_active = Project.objects.filter(
        counted_projects_q(user=user), status=ProjectStatus.ACTIVE, start_date__lte=on
    ).count()
    return {
        "special_procedure_visits": visits.total,
        "treaty_body_visits": visits.treaty_body_total,
        "projects_active": projects_active,
        "delegations_received": this_year.received if this_year else 0,
        "delegations_sent": this_year.sent if this_year else 0,
        "recommendations_implemented": recommendations.implemented,
        "recommendations_open": recommendations.open,
    }
