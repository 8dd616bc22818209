"""Citizens' appeals under the Administrative Procedural and Process Code (APPC, in force since 2021-07-01).

The numbers the law sets (time limits, extension caps, notice periods) live in `AppealRule` rows, each citing its
article, with defaults loaded by a data migration; `appeals.rules` reads them.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models.functions import Upper
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from prokuratura.core.models import OfficeYearCounter, Sensitivity, TransitionRecordBase, TranslatedNameMixin
from prokuratura.core.validators import validate_bin, validate_iin

LANGUAGE_CHOICES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]


class AppealKind(models.TextChoices):
    STATEMENT = "statement", _("Statement")
    COMPLAINT = "complaint", _("Complaint")
    PROPOSAL = "proposal", _("Proposal")
    REQUEST = "request", _("Request (inquiry)")
    RESPONSE = "response", _("Response")
    REPORT = "report", _("Report (message)")


class Channel(models.TextChoices):
    STAFF = "staff", _("Registered by staff")
    PUBLIC_WEB = "public_web", _("Public web page")
    API = "api", _("Another system (API)")
    IMPORT = "import", _("Legacy register import")


class ReceivedVia(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    PHONE = "phone", _("By phone")
    POST = "post", _("By post")
    EMAIL = "email", _("By e-mail")
    WEB = "web", _("Web portal")
    OTHER_BODY = "other_body", _("Forwarded by another body")


class ApplicantType(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    ORGANISATION = "organisation", _("Organisation")
    ANONYMOUS = "anonymous", _("Anonymous")


class Status(models.TextChoices):
    REGISTERED = "registered", _("Registered")
    ASSIGNED = "assigned", _("Assigned")
    IN_REVIEW = "in_review", _("In review")
    EXTENDED = "extended", _("Term extended")
    ANSWERED = "answered", _("Answered")
    CLOSED = "closed", pgettext_lazy("appeal status", "Closed")
    FORWARDED = "forwarded", _("Forwarded to the competent body")
    LEFT_WITHOUT_CONSIDERATION = "left", _("Left without consideration")
    REOPENED = "reopened", _("Reopened")
    # The prosecutor's answer waits for the head's sign-off, in an office that requires it (OfficeAppealSetting).
    AWAITING_SIGNOFF = "signoff", _("Answer awaiting the head's sign-off")


OPEN_STATUSES = (
    Status.REGISTERED,
    Status.ASSIGNED,
    Status.IN_REVIEW,
    Status.EXTENDED,
    Status.REOPENED,
    Status.AWAITING_SIGNOFF,
)


# The lists' order of statuses ("sort by status", selectors.LIST_SORTS): the stages of the work, the open ones
# first. A status not named here sorts after these; adding one changes `appeal_status_rank_due` below, so
# makemigrations asks for a migration that rebuilds it.
STATUS_STAGES = (
    "registered",
    "assigned",
    "in_review",
    "extended",
    "reopened",
    "signoff",
    "answered",
    "forwarded",
    "left",
    "closed",
)


class StatusRank(models.Func):
    """An appeal's status as its place in STATUS_STAGES: `CASE status WHEN 'registered' THEN 0 … END`.

    Written with constants only, never parameters, so the list's ORDER BY is the very expression the index
    `appeal_status_rank_due` is built on: PostgreSQL and SQLite use an expression index only for an identical
    expression, and SQLite never matches a bound parameter against an index's constant.
    """

    output_field = models.IntegerField()

    def __init__(self, field: str = "status") -> None:
        super().__init__(models.F(field))

    def as_sql(self, compiler: Any, connection: Any, **extra_context: Any) -> tuple[str, Any]:  # type: ignore[override]
        column, params = compiler.compile(self.source_expressions[0])
        stages = [*STATUS_STAGES, *sorted(set(Status.values) - set(STATUS_STAGES))]
        # The codes are this module's constants ([a-z_]), so writing them into the SQL is safe.
        if not all(code.replace("_", "").isalpha() and code.islower() for code in stages):
            raise ValueError("status codes must be lower-case letters and underscores")
        whens = " ".join(f"WHEN '{code}' THEN {rank}" for rank, code in enumerate(stages))
        return f"CASE {column} {whens} ELSE {len(stages)} END", params


class Outcome(models.TextChoices):
    SATISFIED = "satisfied", _("Satisfied")
    PARTLY_SATISFIED = "partly", _("Partly satisfied")
    EXPLAINED = "explained", _("Explained")
    REJECTED = "rejected", _("Rejected")
    FORWARDED = "forwarded", _("Forwarded")
    LEFT_WITHOUT_CONSIDERATION = "left", _("Left without consideration")


class AppealRule(models.Model):
    """A number the law sets, editable by administrators. `code` is what the code reads."""

    code = models.CharField(_("code"), max_length=50, unique=True)
    value = models.PositiveIntegerField(_("value"))
    unit = models.CharField(_("unit"), max_length=20)
    description = models.CharField(_("description"), max_length=300)
    legal_source = models.CharField(_("legal source"), max_length=300)

    class Meta:
        ordering = ["code"]
        verbose_name = _("appeal rule")
        verbose_name_plural = _("appeal rules")

    def __str__(self) -> str:
        return f"{self.code}={self.value} {self.unit}"


class Topic(TranslatedNameMixin):
    """The editable taxonomy of what appeals are about."""

    code = models.CharField(_("code"), max_length=40, unique=True)
    is_active = models.BooleanField(_("active"), default=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "code"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


class RoutingRule(models.Model):
    """Where a new appeal goes by region and topic; the most specific active rule wins (then lowest priority)."""

    region = models.ForeignKey(
        "core.Region", verbose_name=_("region"), null=True, blank=True, on_delete=models.CASCADE
    )
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), null=True, blank=True, on_delete=models.CASCADE)
    office = models.ForeignKey("core.Office", verbose_name=_("office"), on_delete=models.PROTECT)
    department = models.ForeignKey(
        "core.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT
    )
    priority = models.PositiveSmallIntegerField(_("priority"), default=100)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["priority", "id"]
        verbose_name = _("routing rule")
        verbose_name_plural = _("routing rules")

    def __str__(self) -> str:
        return f"{self.region_id or '*'} / {self.topic_id or '*'} → {self.office_id}"


class RegistrationCounter(OfficeYearCounter):
    """Registration numbers of appeals."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="appeal_counter_office_year")]


class Appeal(models.Model):
    reg_number = models.CharField(_("registration number"), max_length=40, unique=True)
    tracking_code = models.CharField(_("tracking code"), max_length=20, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=AppealKind.choices)
    channel = models.CharField(_("channel"), max_length=12, choices=Channel.choices)
    received_via = models.CharField(_("received via"), max_length=12, choices=ReceivedVia.choices)
    received_at = models.DateTimeField(_("received at"))
    registered_on = models.DateField(_("registered on"))
    # The deadline in force: 15 working days from receipt (statutory_due_date; appeals.rules), or the extended term.
    due_date = models.DateField(_("due date"))
    statutory_due_date = models.DateField(_("statutory due date"))
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.REGISTERED)
    sensitivity = models.CharField(
        _("sensitivity"), max_length=12, choices=Sensitivity.choices, default=Sensitivity.INTERNAL
    )

    # Who writes.
    applicant_type = models.CharField(_("applicant"), max_length=12, choices=ApplicantType.choices)
    applicant_name = models.CharField(_("name"), max_length=300, blank=True)
    applicant_iin = models.CharField(_("IIN"), max_length=12, blank=True, validators=[validate_iin])
    applicant_bin = models.CharField(_("BIN"), max_length=12, blank=True, validators=[validate_bin])
    applicant_email = models.EmailField(_("e-mail"), blank=True)
    applicant_phone = models.CharField(_("phone"), max_length=40, blank=True)
    applicant_address = models.CharField(_("postal address"), max_length=500, blank=True)
    applicant_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=LANGUAGE_CHOICES,
        default="ru",
    )
    consent_personal_data = models.BooleanField(_("consent to personal-data processing"), default=False)

    # What about.
    subject = models.CharField(_("subject"), max_length=300)
    text = models.TextField(_("text"))
    respondent_body = models.CharField(_("body complained about"), max_length=300, blank=True)
    respondent_official = models.CharField(_("official complained about"), max_length=300, blank=True)
    region = models.ForeignKey("core.Region", verbose_name=_("region"), on_delete=models.PROTECT)
    topic = models.ForeignKey(Topic, verbose_name=_("topic"), on_delete=models.PROTECT)
    crime_focus = models.ForeignKey(
        "core.CrimeCategory",
        verbose_name=_("crime focus area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
    )
    decision_learned_on = models.DateField(_("applicant learned of the decision on"), null=True, blank=True)
    is_late = models.BooleanField(_("filed late (term restoration to decide)"), default=False)
    is_urgent_report = models.BooleanField(_("report of a crime or a threat to security"), default=False)
    repeated_of = models.ForeignKey(
        "self",
        verbose_name=_("repeats appeal"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="repeats",
    )

    # Who works on it.
    office = models.ForeignKey(
        "core.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="appeals"
    )
    department = models.ForeignKey(
        "core.Department", verbose_name=_("department"), null=True, blank=True, on_delete=models.PROTECT
    )
    assignee = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prosecutor"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_appeals",
    )
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="registered_appeals",
    )

    # Extension (APPC art. 76).
    extended_until = models.DateField(_("extended until"), null=True, blank=True)
    extension_reason = models.TextField(_("reason for extension"), blank=True)
    extension_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("extension decided by"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    extension_notice_due = models.DateField(_("extension notice due"), null=True, blank=True)
    extension_requested_until = models.DateField(_("extension requested until"), null=True, blank=True)
    extension_request_reason = models.TextField(_("reason given for the extension request"), blank=True)

    # Forwarding.
    forwarded_to = models.CharField(_("forwarded to"), max_length=300, blank=True)
    forwarded_on = models.DateField(_("forwarded on"), null=True, blank=True)
    forward_due = models.DateField(_("forward by"), null=True, blank=True)

    # Decision and answer.
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices, blank=True)
    rights_restored = models.BooleanField(_("rights restored"), default=False)
    persons_restored = models.PositiveIntegerField(_("persons whose rights were restored"), default=0)
    answer_text = models.TextField(_("answer"), blank=True)
    answered_on = models.DateField(_("answered on"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)

    # A client-chosen key (the form's one-time token, the API's Idempotency-Key) so a retried submission
    # finds the appeal it already made instead of making a second one.
    submission_key = models.CharField(max_length=100, null=True, blank=True, unique=True, editable=False)
    escalated_on = models.DateField(_("escalated to the head on"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-registered_on", "-id"]
        verbose_name = _("appeal")
        verbose_name_plural = _("appeals")
        indexes = [
            models.Index(fields=["office", "status", "due_date"], name="appeal_office_open_due"),
            models.Index(fields=["assignee", "status", "due_date"], name="appeal_assignee_open_due"),
            # The lists' order (newest first): read backwards, a page stops after 50 rows.
            models.Index(fields=["registered_on", "id"], name="appeal_registered_id"),
            models.Index(fields=["region", "registered_on"], name="appeal_region_registered"),
            models.Index(fields=["status", "due_date"], name="appeal_status_due"),
            models.Index(fields=["answered_on"], name="appeal_answered_on"),
            models.Index(fields=["applicant_iin"], name="appeal_applicant_iin"),
            models.Index(fields=["applicant_bin"], name="appeal_applicant_bin"),
            # The other two ways a registration finds the applicant's earlier appeals (intake.find_repeated_of):
            # without them an applicant known only by e-mail or phone made every registration read the register.
            models.Index(Upper("applicant_email"), name="appeal_applicant_email_ci"),
            models.Index(fields=["applicant_phone"], name="appeal_applicant_phone"),
            # The "public" and "restricted" branches of the record rule (core.access.visible_records_q): a few
            # per cent of the register, so the rule's OR can be read from indexes, each branch its own, and
            # combined with the search index (docs/PERFORMANCE.md, "Search").
            models.Index(
                fields=["registered_on", "id"],
                name="appeal_not_internal",
                condition=~models.Q(sensitivity=Sensitivity.INTERNAL),
            ),
            # The other branches in the lists' order: one office's records, the records naming a user. A search
            # by a reader with few offices merges them (selectors.appeal_list_page, core.access.
            # visible_records_branches) and reads only the rows the reader may see, newest first.
            models.Index(fields=["office", "registered_on", "id"], name="appeal_office_registered"),
            models.Index(fields=["assignee", "registered_on", "id"], name="appeal_assignee_registered"),
            models.Index(fields=["registered_by", "registered_on", "id"], name="appeal_registrar_registered"),
            # The list's other orders (selectors.LIST_SORTS), each readable in both directions so a page stops
            # after its rows: by due date, the open appeals by due date (the closed ones, 80 % of the register, hold
            # the oldest terms, which an ascending walk of the first index would read through first), and by status
            # in the order of the work, then due date. By number: the unique index of reg_number for all, and one
            # office's or one prosecutor's numbers in order — a number begins with its office's code, so an office's
            # appeals are one stretch of the national index, which a walk from its start would read up to
            # (selectors._numbers_by_office merges an office subtree's stretches).
            models.Index(fields=["due_date", "id"], name="appeal_due_id"),
            models.Index(
                fields=["due_date", "id"],
                name="appeal_open_due_id",
                condition=models.Q(status__in=OPEN_STATUSES),
            ),
            # The open appeals (migration 0015; docs/PERFORMANCE.md, "Lists and search at scale"): by due date, with
            # the record rule's columns, so the deadline counts are read from an index alone — nationally (the
            # narrower index above stays: the planner walks it for the lists, where this wider one made it prefer
            # bitmaps for a regional head), for an office subtree and for a prosecutor, whose lists these two serve
            # too; and by registration date with the due date, so the overdue list in its default order skips the
            # appeals still in their term inside the index instead of reading each row (1.8 s at 5 M).
            models.Index(
                fields=["due_date", "id"],
                name="appeal_open_due_covering",
                condition=models.Q(status__in=OPEN_STATUSES),
                include=["sensitivity", "office", "assignee", "registered_by"],
            ),
            models.Index(
                fields=["office", "due_date", "id"],
                name="appeal_open_office_by_due",
                condition=models.Q(status__in=OPEN_STATUSES),
                include=["sensitivity", "assignee", "registered_by"],
            ),
            models.Index(
                fields=["assignee", "due_date", "id"],
                name="appeal_open_assignee_by_due",
                condition=models.Q(status__in=OPEN_STATUSES),
                include=["sensitivity", "office", "registered_by"],
            ),
            models.Index(
                fields=["registered_on", "id", "due_date"],
                name="appeal_open_by_registered",
                condition=models.Q(status__in=OPEN_STATUSES),
            ),
            # The deadline pages' short lists, each a few rows of the register: extension requests waiting for a
            # head, and the registered appeals to triage (anonymous) or to forward at once (urgent reports).
            models.Index(
                fields=["due_date", "id"],
                name="appeal_open_extension_asked",
                condition=models.Q(status__in=OPEN_STATUSES, extension_requested_until__isnull=False),
            ),
            models.Index(
                fields=["received_at", "id"],
                name="appeal_triage_or_urgent",
                condition=models.Q(status=Status.REGISTERED)
                & (models.Q(applicant_type=ApplicantType.ANONYMOUS) | models.Q(is_urgent_report=True)),
            ),
            models.Index(StatusRank(), "due_date", "id", name="appeal_status_rank_due"),
            # "Assigned to me" by status: the walk of the national index above reads past every registered appeal
            # of the country before a prosecutor's first (assigned) one.
            models.Index("assignee", StatusRank(), "due_date", "id", name="appeal_assignee_rank_due"),
            models.Index(fields=["office", "reg_number"], name="appeal_office_number"),
            models.Index(fields=["assignee", "reg_number"], name="appeal_assignee_number"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(persons_restored=0) | models.Q(rights_restored=True),
                name="appeal_persons_only_when_restored",
            ),
        ]

    def __str__(self) -> str:
        return self.reg_number

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class AppealTally(models.Model):
    """The dashboard's figures (appeals.stats) counted ahead, per office, region, registration day and due date.

    Kept by the database itself: triggers on `appeals_appeal` (migration 0016) add and subtract every insert,
    update and delete — services, imports, `QuerySet.update`, the demo's COPY, the admin alike — so a figure of a
    period is a SUM over the period's rows, exact at once. "Overdue" depends on the day it is read: it is
    `late_answered` plus `open_not_late` of the rows whose `due_date` has passed, so the due date is part of the
    key. A row whose appeals are all gone is deleted. `manage.py appeal_tally_check` compares the table with a
    fresh count (`appeals.tally.appeal_tally_differences`) and `--repair` rebuilds it.
    """

    # No index of their own: the key's unique index starts with the office, and nothing reads by region alone.
    office = models.ForeignKey("core.Office", on_delete=models.DO_NOTHING, related_name="+", db_index=False)
    region = models.ForeignKey("core.Region", on_delete=models.DO_NOTHING, related_name="+", db_index=False)
    registered_on = models.DateField()
    due_date = models.DateField()
    received = models.IntegerField(default=0)
    in_work = models.IntegerField(default=0)  # status in OPEN_STATUSES
    # Open and not answered after the due date: overdue once the due date has passed. Every open appeal, unless
    # a status was changed outside the workflow (reopening clears `answered_on`), so "overdue" counts it once.
    open_not_late = models.IntegerField(default=0)
    answered = models.IntegerField(default=0)  # answered_on is set
    on_time = models.IntegerField(default=0)  # answered_on <= due_date
    late_answered = models.IntegerField(default=0)  # answered_on > due_date
    outcome_satisfied = models.IntegerField(default=0)  # one column per Outcome, named as stats.COLUMN_KEYS
    outcome_partly = models.IntegerField(default=0)
    outcome_explained = models.IntegerField(default=0)
    outcome_rejected = models.IntegerField(default=0)
    outcome_forwarded = models.IntegerField(default=0)
    outcome_left = models.IntegerField(default=0)
    persons_helped = models.IntegerField(default=0)  # persons_restored, rights restored, satisfied (partly)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["office", "region", "registered_on", "due_date"], name="appeal_tally_key"
            ),
        ]
        indexes = [
            # The dashboard's period, within an office subtree.
            models.Index(fields=["registered_on", "office"], name="appeal_tally_period"),
        ]

    def __str__(self) -> str:
        return f"{self.office_id}/{self.region_id}/{self.registered_on}/{self.due_date}: {self.received}"


class SearchWord(models.Model):
    """PostgreSQL: every lexeme that is or was in an appeal's `search_vector`, so a search can spell a prefix out as
    the few words that exist (`search._pg_expand`): GIN intersects exact words far faster than it collects every
    match of two prefixes (a person's name at 5 M: docs/PERFORMANCE.md, "Lists and search at scale").

    The table, its triggers (insert: one statement's new rows; update of a searched field: the row's new words) and
    its first fill are migration 0015's; the demo's bulk load fills it at its end. Words are never removed: a word
    no appeal holds any more only costs a GIN lookup that finds nothing. "C" collation: byte order, as a tsquery
    prefix compares, and the primary key's btree then serves a prefix as a range. Not managed: SQLite has no such
    table (its FTS5 index expands a prefix itself).
    """

    word = models.TextField(primary_key=True, db_collation="C")

    class Meta:
        managed = False
        db_table = "appeals_search_word"

    def __str__(self) -> str:
        return self.word


class AppealTransition(TransitionRecordBase):
    """Each step of the lifecycle (appeals.transitions): which, who, when, why (the audit trail has the same,
    chained)."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=12, choices=Status.choices, blank=True)
    to_status = models.CharField(max_length=12, choices=Status.choices)

    class Meta(TransitionRecordBase.Meta):
        pass

    def __str__(self) -> str:
        return f"{self.appeal_id}: {self.from_status} → {self.to_status}"


class AppealNote(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("note"))
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"note {self.pk} on {self.appeal_id}"


class AppealAttachment(models.Model):
    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField(_("file"), upload_to="appeals/%Y/%m/")
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("type"), max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class LetterTemplate(models.Model):
    """Letters to applicants (answer, extension notice, forwarding notice, receipt), per language, edited by
    administrators. The body is a Django template rendered with the appeal in context."""

    class Kind(models.TextChoices):
        RECEIPT = "receipt", _("Registration receipt")
        ANSWER = "answer", _("Answer")
        EXTENSION = "extension", _("Extension notice")
        FORWARDING = "forwarding", _("Forwarding notice")

    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    subject = models.CharField(_("subject line"), max_length=300)
    body = models.TextField(_("body"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="letter_template_kind_language")
        ]
        verbose_name = _("letter template")
        verbose_name_plural = _("letter templates")

    def __str__(self) -> str:
        return f"{self.kind}/{self.language}"


class OfficeAppealSetting(models.Model):
    """How an office works its appeals. Without a row, an office keeps the defaults (no sign-off)."""

    office = models.OneToOneField(
        "core.Office", verbose_name=_("office"), on_delete=models.CASCADE, related_name="appeal_setting"
    )
    # An answer goes out only after a head of the office (or above) signs it off: the prosecutor submits it,
    # the head signs it off (the letter goes out over the head's name) or returns it with the reasons.
    answer_signoff_required = models.BooleanField(_("answers need a head's sign-off"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("office appeal setting")
        verbose_name_plural = _("office appeal settings")

    def __str__(self) -> str:
        return f"{self.office_id}: sign-off {'on' if self.answer_signoff_required else 'off'}"


class LetterCounter(OfficeYearCounter):
    """Outgoing numbers of letters to applicants."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="letter_counter_office_year")]


class OutgoingLetter(models.Model):
    """A letter sent to the applicant, as sent: its own outgoing number and date, its text in the applicant's
    language, and its signer's name and position. PDF and DOCX are drawn from this row, so both carry the same
    number and dates, and a template edited later does not change a letter already sent."""

    appeal = models.ForeignKey(Appeal, on_delete=models.CASCADE, related_name="letters")
    kind = models.CharField(_("kind"), max_length=12, choices=LetterTemplate.Kind.choices)
    office = models.ForeignKey(
        "core.Office", verbose_name=_("office"), on_delete=models.PROTECT, related_name="+"
    )
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    number = models.CharField(_("outgoing number"), max_length=50)
    issued_on = models.DateField(_("date of the letter"))
    language = models.CharField(_("language"), max_length=2, choices=LANGUAGE_CHOICES)
    subject = models.CharField(_("subject line"), max_length=300)
    body = models.TextField(_("body"))
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-issued_on", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["office", "year", "sequence"], name="letter_office_year_sequence")
        ]
        indexes = [models.Index(fields=["appeal", "kind", "id"], name="letter_appeal_kind")]
        verbose_name = _("outgoing letter")
        verbose_name_plural = _("outgoing letters")

    def __str__(self) -> str:
        return self.number


class ImportJob(models.Model):
    """A bulk import of a legacy register (CSV/XLSX), run as a background task; the report names each
    rejected row and why."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    file = models.FileField(upload_to="imports/%Y/%m/")
    original_name = models.CharField(max_length=255)
    office = models.ForeignKey("core.Office", on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.QUEUED)
    total_rows = models.PositiveIntegerField(default=0)
    processed_rows = models.PositiveIntegerField(default=0)
    imported_rows = models.PositiveIntegerField(default=0)
    rejected = models.JSONField(default=list, blank=True)  # [{"row": n, "errors": {...}}]
    error = models.TextField(blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Written by the run with its progress, at least every TASKS_HEARTBEAT_SECONDS: a RUNNING job whose heartbeat is
    # older than TASKS_LEASE_SECONDS lost its worker, and the next run takes it over (services.imports).
    heartbeat_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"import {self.pk} ({self.state})"

    @property
    def percent(self) -> int:
        return int(100 * self.processed_rows / self.total_rows) if self.total_rows else 0
