"""Full-text search over appeal texts, answers and applicant names (see docs/ARCHITECTURE.md)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from .models import Appeal


def appeal_search_filter(qs: QuerySet[Appeal], query: str) -> QuerySet[Appeal]:
    """Every word must appear in the subject, text, answer or applicant's name (case-insensitive)."""
    for word in query.split():
        qs = qs.filter(
            Q(subject__icontains=word)
            | Q(text__icontains=word)
            | Q(answer_text__icontains=word)
            | Q(applicant_name__icontains=word)
            | Q(reg_number__iexact=word)
        )
    return qs
