"""Requests for legal assistance in criminal matters, incoming and outgoing: the register, the persons concerned,
the correspondence, the translations, the refusal-grounds checklist and the time limits (law as data).

One record type for both directions on one lifecycle (cooperation.request_transitions.REQUESTS): the outgoing
steps and the incoming steps start from different statuses, and the two shared ones ("checked", "executed") lead
on by direction. `models.py` imports this module, so Django finds the models in the app.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from prokuratura.core.models import (
    OfficeRecord,
    OfficeYearCounter,
    TransitionRecordBase,
    _in_language,
)

LETTER_LANGUAGES = [("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")]


class Direction(models.TextChoices):
    OUTGOING = "outgoing", _("Outgoing")
    INCOMING = "incoming", _("Incoming")


class RequestKind(models.TextChoices):
    MLA = "mla", _("Mutual legal assistance")
    EXTRADITION = "extradition", _("Extradition")
    TRANSFER_SENTENCED = "transfer_sentenced", _("Transfer of a sentenced person")
    TRANSFER_PROCEEDINGS = "transfer_proceedings", _("Transfer of criminal proceedings")


# The resolver's kinds of cooperation (cooperation.models.Subject) for each kind of request.
KIND_SUBJECT = {
    RequestKind.MLA: "mla",
    RequestKind.EXTRADITION: "extradition",
    RequestKind.TRANSFER_SENTENCED: "transfer_sentenced",
    RequestKind.TRANSFER_PROCEEDINGS: "transfer_proceedings",
}


class ExtraditionPurpose(models.TextChoices):
    PROSECUTION = "prosecution", _("For criminal prosecution")
    SENTENCE = "sentence", _("To enforce a sentence")


class Measure(models.TextChoices):
    """The assistance an MLA request seeks (UNTOC art. 18(3); the Minsk and Chisinau conventions)."""

    TESTIMONY = "testimony", _("Taking testimony or statements")
    SERVICE = "service", _("Service of judicial documents")
    SEARCH_SEIZURE = "search_seizure", _("Search and seizure")
    BANK_RECORDS = "bank_records", _("Bank and financial records")
    EXPERT = "expert", _("Expert examination")
    LOCATE = "locate", _("Identifying or locating persons")
    VIDEOCONFERENCE = "videoconference", _("Hearing by videoconference")
    FREEZE_CONFISCATE = "freeze_confiscate", _("Freezing or confiscating assets")
    SPONTANEOUS = "spontaneous", _("Spontaneous information")


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class BasisKind(models.TextChoices):
    INSTRUMENT = "instrument", _("A treaty or convention")
    RECIPROCITY = "reciprocity", _("Reciprocity")


class Facts(models.TextChoices):
    """What the facts show, where a convention's scope depends on them (UNTOC: transnational, organised group)."""

    YES = "yes", _("Yes")
    NO = "no", _("No")
    UNKNOWN = "unknown", _("Not known yet")


class Assurance(models.TextChoices):
    DEATH_PENALTY = "death_penalty", _("The death penalty will not be imposed or carried out")
    NO_TORTURE = "no_torture", _("No torture or cruel, inhuman or degrading treatment")
    SPECIALITY = "speciality", _("Rule of speciality")
    FAIR_TRIAL = "fair_trial", _("A fair trial")
    RECIPROCITY = "reciprocity", _("Reciprocity in a like case")


class RequestStatus(models.TextChoices):
    # Outgoing.
    DRAFT = "draft", _("Draft")
    CHECKED = "checked", _("Checked")
    SIGNED = "signed", _("Signed")
    SENT = "sent", pgettext_lazy("request", "Sent")
    ACKNOWLEDGED = "acknowledged", _("Acknowledged")
    IN_EXECUTION = "in_execution", _("In execution")
    EXECUTED = "executed", _("Executed")
    PARTLY_EXECUTED = "partly_executed", _("Partly executed")
    REFUSED = "refused", pgettext_lazy("request", "Refused")
    WITHDRAWN = "withdrawn", pgettext_lazy("request", "Withdrawn")
    # Incoming (CHECKED, EXECUTED, PARTLY_EXECUTED and REFUSED too).
    RECEIVED = "received", pgettext_lazy("request", "Received")
    REGISTERED = "registered", pgettext_lazy("request", "Registered")
    RETURNED = "returned", _("Returned for completion")
    ASSIGNED = "assigned", _("Assigned to an executing body")
    MATERIALS_SENT = "materials_sent", _("Materials sent back")


class AssistanceRequest(OfficeRecord):
    """A request for legal assistance in a criminal matter, sent by Kazakhstan or received from a partner state."""

    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    status = models.CharField(_("status"), max_length=16, choices=RequestStatus.choices)
    number = models.CharField(_("number"), max_length=40, unique=True)
    year = models.PositiveSmallIntegerField()
    sequence = models.PositiveIntegerField()
    extradition_purpose = models.CharField(
        _("purpose of the extradition"), max_length=12, choices=ExtraditionPurpose.choices, blank=True
    )
    measures = models.JSONField(_("assistance sought"), default=list, blank=True)
    urgency = models.CharField(_("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL)

    # The partner.
    partner = models.ForeignKey(
        "core.Country", verbose_name=_("partner state"), on_delete=models.PROTECT, related_name="+"
    )
    foreign_authority = models.CharField(_("foreign authority"), max_length=300)
    foreign_reference = models.CharField(_("the partner's reference"), max_length=100, blank=True)

    # The legal basis: a treaty or convention of the register (offered by the resolver), or reciprocity with
    # the assurance given or asked for.
    basis_kind = models.CharField(_("legal basis"), max_length=12, choices=BasisKind.choices, blank=True)
    basis = models.ForeignKey(
        "cooperation.Instrument",
        verbose_name=_("treaty or convention"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="requests",
    )
    reciprocity_assurance = models.TextField(_("assurance of reciprocity"), blank=True)

    # The domestic case and the offence.
    case_number = models.CharField(_("pre-trial investigation number (URPI)"), max_length=30, blank=True)
    offence_article = models.CharField(_("criminal code article"), max_length=200, blank=True)
    offence_category = models.ForeignKey(
        "core.CrimeCategory",
        verbose_name=_("ICCS section"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "iccs"},
    )
    focus_area = models.ForeignKey(
        "core.CrimeCategory",
        verbose_name=_("focus area"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        limit_choices_to={"kind": "focus"},
    )
    transnational = models.CharField(
        _("the offence is transnational"), max_length=8, choices=Facts.choices, default=Facts.UNKNOWN
    )
    organised_group = models.CharField(
        _("an organised criminal group is involved"),
        max_length=8,
        choices=Facts.choices,
        default=Facts.UNKNOWN,
    )

    # The contents of the request (UNTOC art. 18(15); for extradition, the treaties' lists).
    requesting_authority = models.CharField(_("requesting authority"), max_length=300, blank=True)
    proceedings_subject = models.TextField(_("subject and nature of the proceedings"), blank=True)
    conducting_authority = models.CharField(
        _("authority conducting the proceedings"), max_length=300, blank=True
    )
    facts_summary = models.TextField(_("summary of the facts"), blank=True)
    assistance_sought = models.TextField(_("assistance sought"), blank=True)
    procedure = models.TextField(_("particular procedure to follow"), blank=True)
    purpose = models.TextField(_("purpose of the request"), blank=True)
    penalty = models.CharField(_("penalty under the provision"), max_length=300, blank=True)
    limitation = models.CharField(_("limitation provision"), max_length=300, blank=True)
    warrant = models.CharField(_("arrest warrant (court, date)"), max_length=300, blank=True)
    judgment = models.CharField(_("enforceable judgment (court, date)"), max_length=300, blank=True)
    sentence_remaining = models.CharField(_("time left to serve"), max_length=100, blank=True)
    assurances = models.JSONField(_("assurances given"), default=list, blank=True)

    language = models.CharField(
        _("language of the request"), max_length=2, choices=LETTER_LANGUAGES, default="ru"
    )
    # The languages the request must be translated into (outgoing) or must arrive translated into (incoming),
    # from the treaty's and the partner profile's requirements (cooperation.completeness.required_languages).
    translations_required = models.JSONField(_("translations required"), default=list, blank=True)

    # Who works on it.
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer in charge"),
        on_delete=models.PROTECT,
        related_name="cooperation_requests",
    )
    prosecutor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("prosecutor or investigator"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    executing_body = models.CharField(_("executing body"), max_length=300, blank=True)
    executing_office = models.ForeignKey(
        "core.Office",
        verbose_name=_("executing office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    # The dates of the flow.
    received_on = models.DateField(_("received"), null=True, blank=True)
    dated = models.DateField(_("dated"), null=True, blank=True)  # the request's own date (an incoming one's)
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    sent_on = models.DateField(_("sent"), null=True, blank=True)
    acknowledged_on = models.DateField(_("acknowledged"), null=True, blank=True)
    executed_on = models.DateField(_("executed"), null=True, blank=True)
    materials_sent_on = models.DateField(_("materials sent back"), null=True, blank=True)
    due_date = models.DateField(_("due"), null=True, blank=True)
    signer = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    signer_name = models.CharField(_("signer"), max_length=200, blank=True)
    signer_position = models.CharField(_("signer's position"), max_length=300, blank=True)
    outcome = models.TextField(_("outcome"), blank=True)
    refusal_reasons = models.TextField(_("reasons of the refusal"), blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("request for legal assistance")
        verbose_name_plural = _("requests for legal assistance")
        constraints = [
            models.UniqueConstraint(
                fields=["office", "year", "sequence"], name="coopreq_office_year_sequence"
            ),
            models.CheckConstraint(
                condition=Q(basis_kind="") | Q(basis_kind="reciprocity") | Q(basis__isnull=False),
                name="coopreq_instrument_basis_named",
            ),
            models.CheckConstraint(
                condition=Q(executed_on__isnull=True)
                | Q(sent_on__isnull=True)
                | Q(executed_on__gte=models.F("sent_on")),
                name="coopreq_executed_not_before_sent",
            ),
            models.CheckConstraint(
                condition=Q(acknowledged_on__isnull=True)
                | Q(sent_on__isnull=True)
                | Q(acknowledged_on__gte=models.F("sent_on")),
                name="coopreq_acknowledged_not_before_sent",
            ),
            models.CheckConstraint(
                condition=Q(executed_on__isnull=True)
                | Q(received_on__isnull=True)
                | Q(executed_on__gte=models.F("received_on")),
                name="coopreq_executed_not_before_received",
            ),
        ]
        indexes = [
            models.Index(fields=["office", "direction", "status"], name="coopreq_office_dir_status"),
            models.Index(fields=["status", "due_date"], name="coopreq_status_due"),
            models.Index(fields=["officer", "status", "due_date"], name="coopreq_officer_status_due"),
            models.Index(fields=["partner", "direction", "kind"], name="coopreq_partner_dir_kind"),
            models.Index(fields=["sent_on"], name="coopreq_sent"),
            models.Index(fields=["received_on"], name="coopreq_received"),
            models.Index(fields=["case_number"], name="coopreq_case"),
            # The register's default order: its first page reads the index instead of sorting every row
            # (docs/PERFORMANCE.md, "Requests for legal assistance at ten years").
            models.Index(fields=["-created_at", "-id"], name="coopreq_created"),
        ]

    def __str__(self) -> str:
        return self.number

    @property
    def is_outgoing(self) -> bool:
        return self.direction == Direction.OUTGOING

    def measure_labels(self) -> list[str]:
        return [str(Measure(m).label) for m in self.measures if m in Measure.values]

    def assurance_labels(self) -> list[str]:
        return [str(Assurance(a).label) for a in self.assurances if a in Assurance.values]


class RequestTransition(TransitionRecordBase):
    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="history")

    class Meta(TransitionRecordBase.Meta):
        verbose_name = _("request step")
        verbose_name_plural = _("request steps")


class RequestCounter(OfficeYearCounter):
    """Numbers of requests for legal assistance, per office and year (both directions share the sequence)."""

    class Meta:
        constraints = [models.UniqueConstraint(fields=["office", "year"], name="coopreq_counter_office_year")]


# --- the persons concerned (personal data: read through access_request_persons, audited) -----------------------


class PersonRole(models.TextChoices):
    SUSPECT = "suspect", _("Suspect or accused")
    SOUGHT = "sought", _("Person sought")
    SENTENCED = "sentenced", _("Sentenced person")
    WITNESS = "witness", _("Witness")
    VICTIM = "victim", _("Victim")
    EXPERT = "expert", pgettext_lazy("person", "Expert")
    OTHER = "other", _("Other")


class RequestPerson(models.Model):
    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="persons")
    role = models.CharField(_("role"), max_length=10, choices=PersonRole.choices)
    full_name = models.CharField(_("full name"), max_length=300)
    birth_date = models.DateField(_("date of birth"), null=True, blank=True)
    nationality = models.ForeignKey(
        "core.Country",
        verbose_name=_("nationality"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    stateless = models.BooleanField(_("stateless"), default=False)
    location = models.CharField(_("location"), max_length=300, blank=True)
    identity_document = models.CharField(_("identity document"), max_length=200, blank=True)
    description = models.TextField(_("description (appearance, identifying marks)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "id"]
        verbose_name = _("person concerned")
        verbose_name_plural = _("persons concerned")

    def __str__(self) -> str:
        return self.full_name


# --- the correspondence and the translations -------------------------------------------------------------------


class LetterDirection(models.TextChoices):
    IN = "in", _("Letter received")
    OUT = "out", _("Letter sent")


class Correspondence(models.Model):
    """A letter in or out about the request (the request itself, a reminder, an acknowledgement, supplementary
    materials), with its attachment."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="letters")
    direction = models.CharField(_("letter"), max_length=3, choices=LetterDirection.choices)
    dated = models.DateField(_("dated"))
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    counterpart = models.CharField(_("from or to"), max_length=300)
    summary = models.TextField(_("summary"))
    attachment = models.FileField(_("attachment"), upload_to="cooperation/letters/%Y/", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submission_key = models.CharField(max_length=120, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["request", "dated", "id"]
        verbose_name = _("letter")
        verbose_name_plural = _("correspondence")

    def __str__(self) -> str:
        return f"{self.get_direction_display()} {self.dated:%d.%m.%Y}"


class TranslationStatus(models.TextChoices):
    ORDERED = "ordered", _("Ordered")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", pgettext_lazy("translation", "Cancelled")


class TranslationTask(models.Model):
    """A translation of the request (or of the materials) into a language, with its own status and due date."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("into"), max_length=3)
    document = models.CharField(_("document"), max_length=200)
    translator = models.CharField(_("translator"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=TranslationStatus.choices, default=TranslationStatus.ORDERED
    )
    due_date = models.DateField(_("due"), null=True, blank=True)
    done_on = models.DateField(_("done"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["request", "language", "id"]
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="done") | Q(done_on__isnull=False), name="coopreq_translation_done_dated"
            )
        ]

    def __str__(self) -> str:
        return f"{self.document} → {self.language}"


# --- refusal grounds (incoming) --------------------------------------------------------------------------------


class RefusalGround(models.TextChoices):
    """The grounds to refuse an incoming request that the decision weighs (the treaties; UNTOC art. 16, 18(21);
    the Criminal Procedure Code of the Republic of Kazakhstan, chapters 59–61; Constitution art. 11)."""

    DUAL_CRIMINALITY = "dual_criminality", _("No dual criminality")
    POLITICAL = "political", _("Political or military offence")
    OWN_NATIONAL = "own_national", _("The person is a citizen of Kazakhstan")
    DEATH_PENALTY = "death_penalty", _("Death penalty without assurances")
    LIMITATION = "limitation", _("Limitation period or amnesty")
    NE_BIS_IN_IDEM = "ne_bis_in_idem", _("Ne bis in idem (already tried for the same offence)")
    PERSECUTION = "persecution", _("Persecution on discriminatory grounds")
    TORTURE = "torture", _("Risk of torture")


class GroundFinding(models.TextChoices):
    APPLIES = "applies", _("Applies")
    NOT_APPLICABLE = "not_applicable", _("Does not apply")
    UNASSESSED = "unassessed", _("Not assessed")


class RefusalAssessment(models.Model):
    """One ground of the checklist as weighed for an incoming request; the decision records all of them."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="grounds")
    ground = models.CharField(_("ground"), max_length=20, choices=RefusalGround.choices)
    finding = models.CharField(
        _("finding"), max_length=16, choices=GroundFinding.choices, default=GroundFinding.UNASSESSED
    )
    note = models.TextField(_("note"), blank=True)
    assessed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    assessed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["request", "id"]
        verbose_name = _("refusal ground")
        verbose_name_plural = _("refusal grounds")
        constraints = [
            models.UniqueConstraint(fields=["request", "ground"], name="coopreq_ground_once"),
        ]

    def __str__(self) -> str:
        return f"{self.ground}: {self.finding}"


# --- time limits (law as data) ---------------------------------------------------------------------------------


class Milestone(models.TextChoices):
    ACKNOWLEDGE = "acknowledge", _("Acknowledgement by the partner")
    EXECUTE = "execute", _("Execution")
    REGISTER = "register", _("Registration of an incoming request")
    CHECK = "check", _("Check of an incoming request")


class TermUnit(models.TextChoices):
    WORKING_DAYS = "working_days", _("working days")
    CALENDAR_DAYS = "calendar_days", _("calendar days")


class RequestTerm(models.Model):
    """How long a step of a request may take, by direction and kind: the control term the due date is counted from
    (cooperation.request_rules.request_due_date). Loaded from data/reference/cooperation_request_terms.csv with
    its source; an administrator corrects a row with a source, audited."""

    direction = models.CharField(_("direction"), max_length=8, choices=Direction.choices)
    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    milestone = models.CharField(_("step"), max_length=12, choices=Milestone.choices)
    days = models.PositiveSmallIntegerField(_("time limit"))
    unit = models.CharField(_("counted in"), max_length=14, choices=TermUnit.choices)
    urgent_days = models.PositiveSmallIntegerField(_("time limit when urgent"), null=True, blank=True)
    remind_days_before = models.PositiveSmallIntegerField(_("remind this many days before"), default=3)
    legal_source = models.CharField(_("legal source"), max_length=400)
    legal_source_kk = models.CharField(_("legal source (Kazakh)"), max_length=500, blank=True)
    legal_source_ru = models.CharField(_("legal source (Russian)"), max_length=500, blank=True)
    verified = models.BooleanField(_("verified against the law's text"), default=False)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["direction", "kind", "milestone"]
        verbose_name = _("request time limit")
        verbose_name_plural = _("request time limits")
        constraints = [
            models.UniqueConstraint(fields=["direction", "kind", "milestone"], name="coopreq_term_once"),
            models.CheckConstraint(condition=Q(days__gt=0), name="coopreq_term_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.direction}/{self.kind}/{self.milestone}: {self.days} {self.unit}"

    @property
    def legal_source_text(self) -> str:
        return _in_language(self.legal_source, self.legal_source_kk, self.legal_source_ru)


class RequestTemplate(models.Model):
    """The text a request's letter starts from, per kind, document and language, edited by administrators (a
    Django template that sees the request's plain facts only, as the appeals' and supervision letters do)."""

    class Document(models.TextChoices):
        REQUEST = "request", _("The request")
        COVER = "cover", _("Cover letter")

    kind = models.CharField(_("kind"), max_length=20, choices=RequestKind.choices)
    document = models.CharField(_("document"), max_length=8, choices=Document.choices)
    language = models.CharField(_("language"), max_length=2, choices=LETTER_LANGUAGES)
    subject = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"))
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "document", "language"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "document", "language"], name="coopreq_template_once")
        ]
        verbose_name = _("request template")
        verbose_name_plural = _("request templates")

    def __str__(self) -> str:
        return f"{self.kind}/{self.document}/{self.language}"


class RequestReminderSent(models.Model):
    """A deadline reminder already sent (so the daily job sends each once)."""

    request = models.ForeignKey(AssistanceRequest, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField()
    kind = models.CharField(max_length=10)  # "soon" or "overdue"
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["request", "due_date", "kind"], name="coopreq_reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.request_id} {self.kind} {self.due_date}"
