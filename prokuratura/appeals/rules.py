"""The numbers the law sets for appeals, read from the editable `AppealRule` table.

Defaults (loaded by migration 0002_default_rules_topics_letters) and their sources — the Administrative Procedural and
Process Code of the Republic of Kazakhstan of 29 June 2020 No. 350-VI (APPC), in force since 1 July 2021:
- registration_cutoff_hour = 18: an appeal received after working hours (or on a day off) is registered on the next
  working day (APPC art. 64; registration rules of the Prosecutor General's Order No. 70 of 19 May 2021);
- review_working_days = 15: the time limit (APPC art. 76 p. 1);
- review_term_from_receipt = 1: the 15 working days run from the day of receipt, as APPC art. 76 p. 1 says ("со дня
  поступления обращения"); 0 counts them from the day of registration instead (one working day later for an appeal
  received after working hours or on a day off, APPC art. 64 p. 3). The two-month cap on an extension counts from
  the same day;
- extension_max_months = 2: a head may extend to a reasonable term of at most two months in total (APPC art. 76 p. 2);
- extension_notice_working_days = 3: the applicant is told of an extension within 3 working days (APPC art. 76 p. 2);
- forwarding_working_days = 3: an appeal outside the office's competence goes to the competent body within 3 working
  days, and the applicant is told (APPC art. 65);
- complaint_filing_months = 3: a complaint about a decision is filed within 3 months of learning of it
  (APPC art. 91 p. 2); a late one is registered and flagged for a decision on restoring the term;
- term_end_moves_to_working_day = 1: a term counted in months or calendar days (the two-month cap on an extension,
  the three-month window for a complaint) that ends on a day off ends on the next working day — the rule of the Civil
  Code of the Republic of Kazakhstan (General Part, chapter "Calculation of terms"), which the APPC does not restate;
  the article's number is not cited because it could not be confirmed against the Code's text here;
- repeat_lookback_months = 24: how far back an answered appeal of the same applicant on the same matter makes a new one
  "repeated" (the service's own setting, not the law's);
- attachment_max_mb = 10 and attachment_max_count = 5: upload limits (the service's own settings);
- reminder_working_days = 3: reminders go out for appeals due within this many working days (service setting).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.utils import formats, timezone
from django.utils.translation import gettext, ngettext_lazy
from django.utils.translation import gettext_lazy as _

from prokuratura.core.calendar import next_working_day_on_or_after
from prokuratura.core.memo import MISSING, drop, keep, kept

from .models import AppealRule

DEFAULTS: dict[str, int] = {
    "registration_cutoff_hour": 18,
    "review_working_days": 15,
    "review_term_from_receipt": 1,
    "extension_max_months": 2,
    "extension_notice_working_days": 3,
    "forwarding_working_days": 3,
    "complaint_filing_months": 3,
    "term_end_moves_to_working_day": 1,
    "repeat_lookback_months": 24,
    "attachment_max_mb": 10,
    "attachment_max_count": 5,
    "reminder_working_days": 3,
}

# What the settings pages call each rule and unit, in the reader's language (the table's own description and unit
# are the data migrations' English, kept for the record).
RULE_LABELS = {
    "registration_cutoff_hour": _(
        "Appeals received at or after this hour are registered on the next working day"
    ),
    "review_working_days": _("Time limit for considering an appeal"),
    "review_term_from_receipt": _(
        "The time limit runs from the day of receipt (yes) or from the day of registration (no)"
    ),
    "extension_max_months": _("A head may extend the term to at most this many months in total"),
    "extension_notice_working_days": _("The applicant is told of an extension within"),
    "forwarding_working_days": _("An appeal outside the office's competence is forwarded within"),
    "complaint_filing_months": _("A complaint about a decision is filed within, from learning of it"),
    "term_end_moves_to_working_day": _(
        "A term counted in months that ends on a day off ends on the next working day"
    ),
    "repeat_lookback_months": _("An answered appeal this recent makes a new one on the same matter repeated"),
    "attachment_max_mb": _("Largest attachment accepted"),
    "attachment_max_count": _("Most attachments to one appeal at intake"),
    "reminder_working_days": _("Reminders go out for appeals due within"),
}
# A value with its unit, in the reader's language and grammatical number ("3 рабочих дня", "15 рабочих дней").
UNIT_FORMS: dict[str, Any] = {
    "hour": ngettext_lazy("%(n)s o'clock", "%(n)s o'clock", "n"),
    "working days": ngettext_lazy("%(n)s working day", "%(n)s working days", "n"),
    "months": ngettext_lazy("%(n)s month", "%(n)s months", "n"),
    "MB": ngettext_lazy("%(n)s MB", "%(n)s MB", "n"),
    "files": ngettext_lazy("%(n)s file", "%(n)s files", "n"),
}


def rule_display(*, code: str, value: int, unit: str, description: str) -> tuple[str, str]:
    """A rule's name and value as the settings pages show them, translated where the rule is known."""
    label = str(RULE_LABELS.get(code, description))
    if unit == "yes/no":
        return label, str(_("yes") if value else _("no"))
    if unit in UNIT_FORMS:
        return label, str(UNIT_FORMS[unit] % {"n": value})
    return label, f"{value} {unit}"


_CACHE_KEY = "appeals:rules"


def rules() -> dict[str, int]:
    """All rule values (table rows over the defaults), kept by the process for a minute (core.memo's store: read
    them, never change them); `rules_changed()` drops the copy."""
    values: dict[str, int] = kept(_CACHE_KEY)
    if values is MISSING:
        values = dict(DEFAULTS)
        values.update(dict(AppealRule.objects.values_list("code", "value")))
        keep(_CACHE_KEY, values, 60)
    return values


def rule(code: str) -> int:
    return rules()[code]


def term_end(day: dt.date) -> dt.date:
    """The last day of a term counted in months or calendar days: `day`, or the next working day when `day` is a
    day off and the `term_end_moves_to_working_day` rule says so."""
    return next_working_day_on_or_after(day) if rule("term_end_moves_to_working_day") else day


def rules_changed() -> None:
    drop(_CACHE_KEY)


# The time of receipt an appeal may carry, from every channel (API, staff form, importer) — the one rule.
# Not before 16 December 1991, the day the Republic of Kazakhstan declared its independence: no register of this
# state's prosecution service holds an appeal received earlier, so an earlier date is a typing or conversion error
# (1 January 1900 is what an empty date cell of a spreadsheet turns into). Not in the future, but a sender's clock a
# few minutes ahead of ours is not an error.
RECEIVED_AT_EARLIEST = dt.date(1991, 12, 16)
# The longest text of an appeal, the same through the API, the staff and the public forms (100,000 characters is
# some forty pages; a longer one comes as an attached file).
APPEAL_TEXT_MAX_LENGTH = 100_000
RECEIPT_CLOCK_SKEW = dt.timedelta(minutes=5)


def received_at_error(value: dt.datetime, *, as_date: bool = False) -> str | None:
    """Why `value` (timezone-aware) cannot be an appeal's time of receipt, or None. `as_date`: the message speaks
    of a date (the importer's column is a date)."""
    if timezone.localtime(value).date() < RECEIVED_AT_EARLIEST:
        earliest = formats.date_format(RECEIVED_AT_EARLIEST, "SHORT_DATE_FORMAT")
        if as_date:
            return gettext("The date of receipt cannot be before %(date)s.") % {"date": earliest}
        return gettext("The time of receipt cannot be before %(date)s.") % {"date": earliest}
    if value > timezone.now() + RECEIPT_CLOCK_SKEW:
        if as_date:
            return gettext("The date of receipt cannot be in the future.")
        return gettext("The time of receipt cannot be in the future.")
    return None
