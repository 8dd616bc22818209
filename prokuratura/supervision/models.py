"""Supervision of legality: inspections, the violations they find, the acts of prosecutorial response that answer
them, and visits to places of detention.

The law's facts — which acts a prosecutor issues, within what time the addressee must answer, in working or
calendar days, and what answers them — are rows of `ActType`, each citing its article, with a verified mark
(`supervision.reference` loads the defaults from data/reference/supervision_act_types.csv; an administrator
corrects a row with a source, audited).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from prokuratura.core.models import (
    OfficeRecord,
    OfficeYearCounter,
    Sensitivity,
    TransitionRecordBase,
    TranslatedNameMixin,
    _in_language,
)
from prokuratura.core.validators import validate_bin

LETTER_LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский")]
NOT_NEGATIVE = [MinValueValidator(Decimal("0"))]


class TermUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")
    MONTHS = "months", _("months")


class AnsweredBy(models.TextChoices):
    """What closes an act: the addressee's reply, a court's decision, or nothing (a warning is only announced)."""

    REPLY = "reply", _("the addressee's reply")
    COURT = "court", _("a court decision")
    NONE = "none", _("no answer is due")


class ActType(TranslatedNameMixin):
    """A kind of act of prosecutorial response, with the addressee's time limit as the law sets it.

    `term_value` empty: the law sets no fixed term (the act names one, or none is due)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    answered_by = models.CharField(_("answered by"), max_length=10, choices=AnsweredBy.choices)
    term_value = models.PositiveSmallIntegerField(_("time limit"), null=True, blank=True)
    term_unit = models.CharField(
        _("counted in"), max_length=14, choices=TermUnit.choices, default=TermUnit.CALENDAR_DAYS
    )
    # A term in calendar days or months that ends on a day off ends on the next working day (the general rule on
    # terms in the Civil Code, chapter «Исчисление сроков»; article not confirmed — as appeals.0010 says).
    end_moves_to_working_day = models.BooleanField(
        _("a term ending on a day off moves to the next working day"), default=True
    )
    # The source as the record keeps it (English), with its Kazakh and Russian text: `legal_source_text` picks.
    legal_source = models.CharField(_("legal source"), max_length=400)
    legal_source_kk = models.CharField(_("legal source (Kazakh)"), max_length=500, blank=True)
    legal_source_ru = models.CharField(_("legal source (Russian)"), max_length=500, blank=True)
    source_url = models.URLField(_("source address"), max_length=500, blank=True)
    # Like the calendar's rows: a fact confirmed against the law's published text, or not yet.
    verified = models.BooleanField(_("verified against the law's text"), default=False)
    note = models.TextField(_("note"), blank=True)
    note_kk = models.TextField(_("note (Kazakh)"), blank=True)
    note_ru = models.TextField(_("note (Russian)"), blank=True)
    is_active = models.BooleanField(_("in use"), default=True)
    ordering = models.PositiveSmallIntegerField(default=0)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = _("act type")
        verbose_name_plural = _("act types")
        constraints = [
            models.CheckConstraint(
                condition=Q(term_value__isnull=True) | Q(term_value__gt=0), name="act_type_term_positive"
            )
        ]

    @property
    def legal_source_text(self) -> str:
        """The legal source in the reader's language (the record's own text where there is no translation)."""
        return _in_language(self.legal_source, self.legal_source_kk, self.legal_source_ru)

    @property
    def note_text(self) -> str:
        return _in_language(self.note, self.note_kk, self.note_ru)


class ActTemplate(models.Model):
    """The text an act of a type starts from, per language, edited by administrators (a Django template that
    sees the act's plain facts only, as the appeals' letters do)."""

    act_type = models.ForeignKey(ActType, on_delete=models.CASCADE, related_name="templates")
    language = models.CharField(_("language"), max_length=2, choices=LETTER_LANGUAGES)
    subject = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["act_type", "language"]
        constraints = [
            models.UniqueConstraint(fields=["act_type", "language"], name="act_template_type_language")
        ]
        verbose_name = _("act template")
        verbose_name_plural = _("act templates")

    def __str__(self) -> str:
        return f"{self.act_type_id}/{self.language}"


# --- inspections -----------------------------------------------------------------------------------------------


class InspectionStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    ORDERED = "ordered", _("Ordered")
    IN_PROGRESS = "in_progress", _("In progress")
    COMPLETED = "completed", _("Completed")
    IMPLEMENTED = "implemented", _("Results implemented")
    CLOSED = "closed", pgettext_lazy("inspection", "Closed")
    CANCELLED = "cancelled", _("Cancelled")


class InspectionKind(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    UNSCHEDULED = "unscheduled", _("Unscheduled")


class Ground(models.TextChoices):
    APPEAL = "appeal", _("A citizen's appeal")
    INSTRUCTION = "instruction", _("An instruction of a higher prosecutor")
    PLAN = "plan", _("The work plan")
    MEDIA = "media", _("A media report")
    OTHER_BODY = "other_body", _("Information from another body")


class SubjectKind(models.TextChoices):
    STATE_BODY = "state_body", _("State body")
    ORGANISATION = "organisation", _("Organisation")
    OFFICIAL = "official", _("Official")


class Inspection(OfficeRecord):
    number = models.CharField(_("number"), max_length=40, unique=True)
    status = models.CharField(
        _("status"), max_length=12, choices=InspectionStatus.choices, default=InspectionStatus.PLANNED
    )
    kind = models.CharField(_("kind"), max_length=12, choices=InspectionKind.choices)
    ground = models.CharField(_("grounds"), max_length=12, choices=Ground.choices)
    ground_appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="inspections",
    )
    ground_detail = models.CharField(_("grounds in detail"), max_length=500, blank=True)
    subject_kind = models.CharField(_("subject"), max_length=12, choices=SubjectKind.choices)
    subject_name = models.CharField(_("name of the body or organisation"), max_length=300)
    subject_bin = models.CharField(_("BIN"), max_length=12, blank=True, validators=[validate_bin])
    subject_official = models.CharField(_("official"), max_length=300, blank=True)
    period_start = models.DateField(_("from"))
    period_end = models.DateField(_("until"))
    responsible = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("responsible prosecutor"),
        on_delete=models.PROTECT,
        related_name="supervision_inspections",
    )
    topics = models.TextField(_("scope"), blank=True)
    crime_categories = models.ManyToManyField(
        "core.CrimeCategory", verbose_name=_("crime focus areas"), blank=True, related_name="+"
    )
    results = models.TextField(_("results"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    class Meta:
        ordering = ["-period_start", "-id"]
        verbose_name = _("inspection")
        verbose_name_plural = _("inspections")
        constraints = [
            models.CheckConstraint(
                condition=Q(period_end__gte=models.F("period_start")), name="inspection_period_order"
            ),
            models.CheckConstraint(
                condition=~Q(ground="appeal") | Q(ground_appeal__isnull=False),
                name="inspection_appeal_ground_names_appeal",
            ),
        ]
        indexes = [
            # The control list "past their period" and the office's list by period.
            models.Index(fields=["status", "period_end"], name="insp_status_period_end"),
            models.Index(fields=["office", "status", "period_end"], name="insp_office_status_end"),
            models.Index(fields=["office", "period_start"], name="insp_office_start"),
            models.Index(fields=["period_start"], name="insp_start"),
        ]

    def __str__(self) -> str:
        return self.number


class InspectionTransition(TransitionRecordBase):
    inspection = models.ForeignKey(Inspection, on_delete=models.CASCADE, related_name="history")

    class Meta(TransitionRecordBase.Meta):
        verbose_name = _("inspection step")
        verbose_name_plural = _("inspection steps")


class InspectionCounter(OfficeYearCounter):
    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="insp_counter_office_year")]


# --- violations ------------------------------------------------------------------------------------------------


class ViolationCategory(models.TextChoices):
    CITIZENS_RIGHTS = "citizens", _("Rights and freedoms of citizens")
    BUSINESS = "business", _("Rights of entrepreneurs")
    LABOUR = "labour", _("Labour rights and wages")
    SOCIAL = "social", _("Social protection")
    BUDGET = "budget", _("Budget and state property")
    LAND = "land", _("Land and natural resources")
    ENVIRONMENT = "environment", _("Environment")
    PROCUREMENT = "procurement", _("Public procurement")
    LAW_ENFORCEMENT = "law_enforcement", _("Pre-trial investigation and law enforcement")
    DETENTION = "detention", _("Places of detention")
    LEGAL_ACTS = "legal_acts", _("Unlawful legal acts")
    OTHER = "other", _("Other")


class Violation(OfficeRecord):
    """A violation of the law found in an inspection, or while answering an appeal."""

    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
    )
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="violations",
    )
    found_on = models.DateField(_("found on"))
    description = models.TextField(_("description"))
    law_violated = models.CharField(_("act and article violated"), max_length=400)
    category = models.CharField(_("category"), max_length=16, choices=ViolationCategory.choices)
    persons_affected = models.PositiveIntegerField(_("persons whose rights were violated"), default=0)
    damage = models.DecimalField(
        _("damage, tenge"), default=Decimal("0"), max_digits=18, decimal_places=2, validators=NOT_NEGATIVE
    )

    class Meta:
        ordering = ["-found_on", "-id"]
        verbose_name = _("violation")
        verbose_name_plural = _("violations")
        constraints = [
            models.CheckConstraint(
                condition=Q(inspection__isnull=False) | Q(appeal__isnull=False),
                name="violation_found_somewhere",
            ),
            models.CheckConstraint(condition=Q(damage__gte=0), name="violation_damage_not_negative"),
        ]
        indexes = [
            models.Index(fields=["office", "found_on"], name="viol_office_found"),
            models.Index(fields=["found_on"], name="viol_found"),
        ]

    def __str__(self) -> str:
        return f"{self.law_violated} ({self.found_on:%d.%m.%Y})"


# --- acts of prosecutorial response ----------------------------------------------------------------------------


class ActStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued, awaiting the answer")
    REPLIED = "replied", _("Reply received")
    IN_COURT = "in_court", _("In court")
    CLOSED = "closed", _("Result recorded")
    WITHDRAWN = "withdrawn", pgettext_lazy("act of response", "Withdrawn")


class ActResult(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    PARTLY = "partly", _("Partly satisfied")
    REJECTED = "rejected", _("Rejected")
    APPEALED = "appealed", _("Appealed to court")


class CourtResult(models.TextChoices):
    SATISFIED = "satisfied", _("Granted")
    PARTLY = "partly", _("Partly granted")
    REJECTED = "rejected", _("Dismissed")


# The results that count as "satisfied" in the numbers.
SATISFIED_RESULTS = (ActResult.SATISFIED, ActResult.PARTLY)


class Act(OfficeRecord):
    """An act of prosecutorial response: its type, addressee and text; the addressee's due date from the type's
    rule on the working-day calendar; the reply and what came of it."""

    status = models.CharField(_("status"), max_length=10, choices=ActStatus.choices, default=ActStatus.DRAFT)
    act_type = models.ForeignKey(ActType, verbose_name=_("type"), on_delete=models.PROTECT, related_name="+")
    inspection = models.ForeignKey(
        Inspection,
        verbose_name=_("inspection"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acts",
    )
    appeal = models.ForeignKey(
        "appeals.Appeal",
        verbose_name=_("appeal"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="supervision_acts",
    )
    visit = models.ForeignKey(
        "supervision.DetentionVisit",
        verbose_name=_("visit to a place of detention"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="acts",
    )
    violations = models.ManyToManyField(
        Violation, verbose_name=_("violations answered"), blank=True, related_name="acts"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prosecutor"),
        on_delete=models.PROTECT,
        related_name="supervision_acts",
    )
    addressee_name = models.CharField(_("addressee"), max_length=300)
    addressee_official = models.CharField(_("addressee's official"), max_length=300, blank=True)
    addressee_bin = models.CharField(
        _("addressee's BIN"), max_length=12, blank=True, validators=[validate_bin]
    )
    addressee_address = models.CharField(_("addressee's address"), max_length=500, blank=True)
    language = models.CharField(
        _("language of the act"), max_length=2, choices=LETTER_LANGUAGES, default="ru"
    )
    subject = models.CharField(_("title"), max_length=300)
    text = models.TextField(_("text"), blank=True)  # a draft may start empty; an act is issued with its text

    # Issuing: the outgoing number, the date and the signer as signed; the due date from the type's rule.
    year = models.PositiveSmallIntegerField(null=True, blank=True)
    sequence = models.PositiveIntegerField(null=True, blank=True)
    number = models.CharField(_("outgoing number"), max_length=50, blank=True)
    issued_on = models.DateField(_("date of the act"), null=True, blank=True)
    due_date = models.DateField(_("answer due"), null=True, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=300, blank=True)

    # The answer.
    reply_on = models.DateField(_("reply dated"), null=True, blank=True)
    reply_number = models.CharField(_("reply's number"), max_length=60, blank=True)
    reply_summary = models.TextField(_("reply"), blank=True)
    result = models.CharField(_("result"), max_length=10, choices=ActResult.choices, blank=True)
    court_decision_on = models.DateField(_("court decision dated"), null=True, blank=True)
    court_result = models.CharField(
        _("court decision"), max_length=10, choices=CourtResult.choices, blank=True
    )
    persons_restored = models.PositiveIntegerField(_("persons whose rights were restored"), default=0)
    amount_recovered = models.DecimalField(
        _("amount recovered, tenge"),
        default=Decimal("0"),
        max_digits=18,
        decimal_places=2,
        validators=NOT_NEGATIVE,
    )
    persons_disciplinary = models.PositiveIntegerField(_("brought to disciplinary responsibility"), default=0)
    persons_administrative = models.PositiveIntegerField(
        _("brought to administrative responsibility"), default=0
    )
    persons_criminal = models.PositiveIntegerField(_("brought to criminal responsibility"), default=0)

    class Meta:
        ordering = ["-issued_on", "-id"]
        verbose_name = _("act of response")
        verbose_name_plural = _("acts of response")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "sequence"],
                name="act_office_year_sequence",
                condition=Q(sequence__isnull=False),
            ),
            models.CheckConstraint(
                condition=Q(reply_on__isnull=True) | Q(reply_on__gte=models.F("issued_on")),
                name="act_reply_not_before_act",
            ),
            models.CheckConstraint(
                condition=Q(court_decision_on__isnull=True) | Q(court_decision_on__gte=models.F("issued_on")),
                name="act_court_not_before_act",
            ),
            models.CheckConstraint(condition=Q(amount_recovered__gte=0), name="act_amount_not_negative"),
        ]
        indexes = [
            # Control: overdue replies (status issued, due date past), national and per office.
            models.Index(fields=["status", "due_date"], name="act_status_due"),
            models.Index(fields=["office", "status", "due_date"], name="act_office_status_due"),
            models.Index(fields=["author", "status", "due_date"], name="act_author_status_due"),
            # The numbers: by office and date of the act.
            models.Index(fields=["office", "issued_on"], name="act_office_issued"),
            models.Index(fields=["issued_on"], name="act_issued"),
            # The control counts over the open acts only (a few percent of the register), with every column the
            # record rule reads, so a national count is an index-only scan (docs/PERFORMANCE.md, "Supervision at
            # national scale"). INCLUDE is PostgreSQL's; elsewhere the index is the partial one alone.
            models.Index(
                fields=["status", "due_date", "issued_on"],
                include=["id", "office", "author", "created_by", "sensitivity"],
                condition=Q(status__in=["issued", "replied", "in_court"]),
                name="act_open_control",
            ),
        ]

    def __str__(self) -> str:
        return self.number or f"#{self.pk}"

    @property
    def persons_responsible(self) -> int:
        return self.persons_disciplinary + self.persons_administrative + self.persons_criminal


class ActTransition(TransitionRecordBase):
    act = models.ForeignKey(Act, on_delete=models.CASCADE, related_name="history")

    class Meta(TransitionRecordBase.Meta):
        verbose_name = _("act step")
        verbose_name_plural = _("act steps")


class ActCounter(OfficeYearCounter):
    """Outgoing numbers of acts of response, per office and year."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="act_counter_office_year")]


# --- places of detention ---------------------------------------------------------------------------------------


class FacilityKind(models.TextChoices):
    PRE_TRIAL = "pre_trial", _("Pre-trial detention centre")
    PRISON = "prison", _("Penal institution (prison, colony)")
    TEMPORARY = "temporary", _("Temporary holding facility")
    PSYCHIATRIC = "psychiatric", _("Psychiatric institution")
    SPECIAL = "special", _("Special institution")


class Facility(TranslatedNameMixin):
    """A place of detention, as reference data per region (supervision.reference loads the list)."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=FacilityKind.choices)
    region = models.ForeignKey("core.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    address = models.CharField(_("address"), max_length=300, blank=True)
    authority = models.CharField(_("authority in charge"), max_length=300, blank=True)
    source = models.CharField(_("source"), max_length=400, blank=True)
    is_active = models.BooleanField(_("in use"), default=True)

    class Meta:
        ordering = ["region__kato_code", "kind", "code"]
        verbose_name = _("place of detention")
        verbose_name_plural = _("places of detention")


class DetentionVisit(OfficeRecord):
    """A prosecutor's visit to a place of detention and what was found. Restricted by default: reading one is
    audited, and only the visiting prosecutor, the author and heads over the office see it."""

    # Restricted unless a head widens it (services.visit_record): the persons concerned are named here.
    sensitivity = models.CharField(
        _("sensitivity"), max_length=12, choices=Sensitivity.choices, default=Sensitivity.RESTRICTED
    )
    facility = models.ForeignKey(
        Facility, verbose_name=_("place of detention"), on_delete=models.PROTECT, related_name="visits"
    )
    visited_on = models.DateField(_("visited on"))
    prosecutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("visiting prosecutor"),
        on_delete=models.PROTECT,
        related_name="detention_visits",
    )
    unannounced = models.BooleanField(_("unannounced"), default=True)
    findings = models.TextField(_("findings"))
    torture_alleged = models.BooleanField(_("torture alleged"), default=False)
    ill_treatment_alleged = models.BooleanField(_("ill-treatment alleged"), default=False)
    persons_concerned = models.TextField(_("persons concerned"), blank=True)
    persons_count = models.PositiveIntegerField(_("number of persons concerned"), default=0)
    follow_up = models.TextField(_("follow-up"), blank=True)

    class Meta:
        ordering = ["-visited_on", "-id"]
        verbose_name = _("visit to a place of detention")
        verbose_name_plural = _("visits to places of detention")
        indexes = [models.Index(fields=["office", "visited_on"], name="visit_office_date")]

    def __str__(self) -> str:
        return f"{self.facility_id} {self.visited_on:%d.%m.%Y}"


# --- the daily control e-mail ----------------------------------------------------------------------------------


class ReminderSent(models.Model):
    """One row per person and day the daily control e-mail (`supervision_deadlines`) went to: a second run on the
    same day sends nobody a second one. The row is written before the e-mail is sent and removed when sending
    fails, so a later run retries only those. Rows older than services.reminders.REMINDER_LOG_DAYS are purged."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("control e-mail sent")
        verbose_name_plural = _("control e-mails sent")
        constraints = [models.UniqueConstraint(fields=["user", "day"], name="reminder_sent_user_day")]
        indexes = [models.Index(fields=["day"], name="reminder_sent_day")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.day:%d.%m.%Y}"
