"""Template helpers of the supervision pages: an act type's time limit in words."""

from __future__ import annotations

from django import template
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import ActType, AnsweredBy, TermUnit

register = template.Library()


@register.filter
def term_rule(act_type: ActType) -> str:
    """ "10 calendar days", "1 month", or why there is no fixed term."""
    if act_type.answered_by == AnsweredBy.NONE:
        return _("No answer is due.")
    n = act_type.term_value
    if not n and act_type.answered_by == AnsweredBy.COURT:
        return _("Answered by a court decision.")
    if not n:
        return _("The law sets no fixed term: the act names it.")
    if act_type.term_unit == TermUnit.WORKING_DAYS:
        return ngettext("%(count)d working day", "%(count)d working days", n) % {"count": n}
    if act_type.term_unit == TermUnit.MONTHS:
        return ngettext("%(count)d month", "%(count)d months", n) % {"count": n}
    return ngettext("%(count)d calendar day", "%(count)d calendar days", n) % {"count": n}
