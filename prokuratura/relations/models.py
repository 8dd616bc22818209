"""International relations: the organisations and counterparts the service works with, meetings and visits with
their participants, outcomes and follow-up tasks, joint projects, and the follow-up of recommendations made to
Kazakhstan (UN special procedures, treaty bodies, the UPR, OSCE/ODIHR).

Counterparts form a hierarchy (a special-procedures mandate belongs to a body — the Human Rights Council's special
procedures — which belongs to an organisation — the UN); their names, short forms and the other spellings a press
text uses are kept in kk/ru/en and feed the press import's gazetteer. `relations.reference` loads the defaults
from data/reference (relations_counterparts.csv, relations_topics.csv, un_special_procedures_visits_kz.csv…).

Statuses change only through the lifecycles of `relations.transitions`: an event (planned → held / cancelled), a
follow-up task, a joint project and a recommendation's implementation.
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from prokuratura.core.models import OfficeRecord, TransitionRecordBase, TranslatedNameMixin, _in_language


class CounterpartKind(models.TextChoices):
    ORGANISATION = "organisation", _("International organisation")
    BODY = "body", _("Body of an organisation")
    MANDATE = "mandate", _("Mandate")
    FIELD_OFFICE = "field_office", _("Field office")
    FOREIGN_AUTHORITY = "foreign_authority", _("Foreign state authority")
    DOMESTIC_AGENCY = "domestic_agency", _("Domestic agency")


class MandateKind(models.TextChoices):
    """What kind of mandate (UN special procedures and the treaty bodies that visit)."""

    SPECIAL_RAPPORTEUR = "special_rapporteur", _("Special Rapporteur")
    INDEPENDENT_EXPERT = "independent_expert", _("Independent Expert")
    WORKING_GROUP = "working_group", _("Working Group")
    TREATY_BODY = "treaty_body", _("Treaty body")


# The special procedures of the Human Rights Council (a treaty body's visit, e.g. the SPT's, is counted apart).
SPECIAL_PROCEDURES = frozenset(
    {MandateKind.SPECIAL_RAPPORTEUR, MandateKind.INDEPENDENT_EXPERT, MandateKind.WORKING_GROUP}
)


class Counterpart(TranslatedNameMixin):
    """An organisation, one of its bodies, mandates or field offices, a foreign state's authority or a domestic
    agency. `parent` makes the hierarchy; a foreign authority names its state."""

    code = models.SlugField(_("code"), max_length=60, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=CounterpartKind.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("belongs to"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
    )
    country = models.ForeignKey(
        "core.Country",
        verbose_name=_("state"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    mandate_kind = models.CharField(
        _("kind of mandate"), max_length=20, choices=MandateKind.choices, blank=True
    )
    abbreviation_en = models.CharField(_("short form (English)"), max_length=40, blank=True)
    abbreviation_ru = models.CharField(_("short form (Russian)"), max_length=40, blank=True)
    abbreviation_kk = models.CharField(_("short form (Kazakh)"), max_length=40, blank=True)
    # Other spellings a text uses (one per line, any language): the press import's gazetteer reads them.
    aliases = models.TextField(_("other names"), blank=True)
    website = models.URLField(_("website"), blank=True)
    source_url = models.TextField(_("source"), blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["ordering", "name_en"]
        verbose_name = _("counterpart")
        verbose_name_plural = _("organisations and counterparts")
        constraints = [
            models.CheckConstraint(condition=~Q(parent=models.F("id")), name="counterpart_not_own_parent"),
        ]

    @property
    def abbreviation(self) -> str:
        return (
            _in_language(self.abbreviation_en, self.abbreviation_kk, self.abbreviation_ru)
            or self.abbreviation_en
        )

    @property
    def label(self) -> str:
        """The name with its short form, e.g. "Organization for Security and Co-operation in Europe (OSCE)"."""
        short = self.abbreviation
        return f"{self.name} ({short})" if short and short not in self.name else self.name

    def ancestors(self) -> list[Counterpart]:
        """From the top organisation down to the parent (the hierarchy is kept acyclic by the services)."""
        chain: list[Counterpart] = []
        node = self.parent
        while node is not None and node not in chain:
            chain.insert(0, node)
            node = node.parent
        return chain

    def is_special_procedure(self) -> bool:
        return self.mandate_kind in SPECIAL_PROCEDURES


class TopicKind(models.TextChoices):
    CRIME = "crime", _("Crime focus area")
    HUMAN_RIGHTS = "human_rights", _("Human-rights theme")
    COOPERATION = "cooperation", _("Cooperation theme")


class Topic(TranslatedNameMixin):
    """A theme of a meeting, a project or a recommendation: the crime focus areas (transnational organised crime,
    drugs, cybercrime, extremism, terrorism…) and the human-rights themes. `keywords` (one per line, any language,
    a stem may end in *) feed the press import."""

    code = models.SlugField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=TopicKind.choices)
    keywords = models.TextField(_("keywords"), blank=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "ordering", "code"]
        verbose_name = _("topic")
        verbose_name_plural = _("topics")


# --- meetings and visits ---------------------------------------------------------------------------------------


class EventKind(models.TextChoices):
    MEETING = "meeting", _("Meeting")
    INCOMING_VISIT = "incoming_visit", _("Incoming visit")
    OUTGOING_VISIT = "outgoing_visit", _("Outgoing visit")
    FAMILIARISATION = "familiarisation", _("Familiarisation trip")
    CONFERENCE = "conference", _("Conference")
    NEGOTIATION = "negotiation", _("Negotiation round")
    SIGNING = "signing", _("Signing")
    TRAINING = "training", _("Training")


# Kinds in which a foreign delegation comes to Kazakhstan ("delegations received") or ours goes abroad ("sent").
RECEIVED_KINDS = frozenset({EventKind.INCOMING_VISIT, EventKind.FAMILIARISATION})
SENT_KINDS = frozenset({EventKind.OUTGOING_VISIT})


class EventStatus(models.TextChoices):
    PLANNED = "planned", _("Planned")
    HELD = "held", _("Held")
    CANCELLED = "cancelled", pgettext_lazy("event", "Cancelled")


class Confidence(models.TextChoices):
    SOURCED = "sourced", _("Sourced")
    UNVERIFIED = "unverified", _("Unverified")


class Event(OfficeRecord):
    """A meeting, a visit (incoming or outgoing), a conference, a negotiation round, a signing or a training.

    `principal` is the counterpart the event is about — the visiting mandate, the organisation met; a visit of a
    UN special procedure is an incoming visit whose principal is a special-procedures mandate (`holder_name` the
    mandate holder). Loaded history (`import_key`) carries its sources and confidence."""

    kind = models.CharField(_("kind"), max_length=20, choices=EventKind.choices)
    status = models.CharField(
        _("status"), max_length=12, choices=EventStatus.choices, default=EventStatus.PLANNED
    )
    title = models.CharField(_("title"), max_length=300)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    country = models.ForeignKey(
        "core.Country",
        verbose_name=_("country"),
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    host = models.ForeignKey(
        Counterpart, verbose_name=_("host"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    principal = models.ForeignKey(
        Counterpart,
        verbose_name=_("counterpart"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
    )
    holder_name = models.CharField(_("mandate holder"), max_length=200, blank=True)
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="events")
    summary = models.TextField(_("summary"), blank=True)
    outcomes = models.TextField(_("outcomes"), blank=True)
    report_symbol = models.CharField(_("report"), max_length=60, blank=True)
    source_url = models.TextField(_("sources"), blank=True)
    source_text = models.TextField(_("press text"), blank=True)  # the press item an import started from
    confidence = models.CharField(_("confidence"), max_length=12, choices=Confidence.choices, blank=True)
    note = models.TextField(_("note"), blank=True)
    import_key = models.CharField(max_length=64, unique=True, null=True, blank=True, editable=False)

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("meeting or visit")
        verbose_name_plural = _("meetings and visits")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__gte=models.F("start_date")), name="event_ends_after_start"
            ),
        ]
        indexes = [
            models.Index(fields=["start_date"], name="event_start"),
            models.Index(fields=["office", "start_date"], name="event_office_start"),
            models.Index(fields=["end_date", "start_date"], name="event_end_start"),  # the calendar's month
        ]

    def __str__(self) -> str:
        return f"{self.start_date:%d.%m.%Y} {self.title}"


class EventTransition(TransitionRecordBase):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="transitions")


class ParticipantSide(models.TextChoices):
    KAZAKHSTAN = "kz", _("Kazakhstan")
    PARTNER = "partner", _("Partner")


class Participant(models.Model):
    """Who took part: a state's delegation, an organisation (or its body, mandate, office), a foreign authority or
    a domestic agency — exactly one of `country` and `counterpart` — with the official who led or attended it."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="participants")
    side = models.CharField(
        _("side"), max_length=10, choices=ParticipantSide.choices, default=ParticipantSide.PARTNER
    )
    country = models.ForeignKey(
        "core.Country",
        verbose_name=_("state"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    counterpart = models.ForeignKey(
        Counterpart,
        verbose_name=_("organisation or agency"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="participations",
    )
    official_name = models.CharField(_("official"), max_length=200, blank=True)
    official_title = models.CharField(_("title"), max_length=300, blank=True)
    heads_delegation = models.BooleanField(_("heads the delegation"), default=False)
    delegation_size = models.PositiveSmallIntegerField(_("delegation size"), null=True, blank=True)

    class Meta:
        ordering = ["event", "side", "id"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")
        constraints = [
            # A participant is a state, an organisation or an agency: exactly one of the two.
            models.CheckConstraint(
                condition=(Q(country__isnull=False) & Q(counterpart__isnull=True))
                | (Q(country__isnull=True) & Q(counterpart__isnull=False)),
                name="participant_state_or_counterpart",
            ),
        ]
        indexes = [
            models.Index(fields=["country", "event"], name="participant_country"),
            models.Index(fields=["counterpart", "event"], name="participant_counterpart"),
        ]

    def __str__(self) -> str:
        who = self.country or self.counterpart
        return f"{who} {self.official_name}".strip()


class Agreement(models.Model):
    """An agreement signed at the event, linked to the treaty register where it is there."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="agreements")
    instrument = models.ForeignKey(
        "cooperation.Instrument",
        verbose_name=_("treaty in the register"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("agreement signed")
        verbose_name_plural = _("agreements signed")
        constraints = [
            models.CheckConstraint(
                condition=Q(instrument__isnull=False) | ~Q(title=""),
                name="agreement_names_instrument_or_title",
            ),
        ]

    def __str__(self) -> str:
        return str(self.instrument) if self.instrument_id else self.title


class Figure(models.Model):
    """A figure an event's text states, with its subject ("44 bilateral agreements", "500 thousand people") and
    the sentence it came from (press import)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="figures")
    value = models.DecimalField(_("number"), max_digits=18, decimal_places=2)
    text = models.CharField(_("as written"), max_length=100)
    subject = models.CharField(_("subject"), max_length=300)
    sentence = models.TextField(_("sentence"), blank=True)

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("figure")
        verbose_name_plural = _("figures")

    def __str__(self) -> str:
        return f"{self.text} {self.subject}"


class EventDocument(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("title"), max_length=300)
    file = models.FileField(_("file"), upload_to="relations/events/%Y/")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self) -> str:
        return self.title


class TaskStatus(models.TextChoices):
    OPEN = "open", _("Open")
    IN_PROGRESS = "in_progress", _("In progress")
    DONE = "done", _("Done")
    CANCELLED = "cancelled", pgettext_lazy("task", "Cancelled")


class FollowUpTask(models.Model):
    """What a meeting or visit left to do, with its owner and due date (lifecycle `transitions.TASKS`)."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="tasks")
    title = models.CharField(_("task"), max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("owner"), on_delete=models.PROTECT, related_name="+"
    )
    due_date = models.DateField(_("due"))
    status = models.CharField(_("status"), max_length=12, choices=TaskStatus.choices, default=TaskStatus.OPEN)
    result = models.TextField(_("result"), blank=True)
    done_on = models.DateField(_("done on"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_date", "id"]
        verbose_name = _("follow-up task")
        verbose_name_plural = _("follow-up tasks")
        indexes = [
            models.Index(fields=["owner", "status", "due_date"], name="task_owner_due"),
            models.Index(fields=["due_date", "id"], name="task_due"),
        ]

    def __str__(self) -> str:
        return self.title


class TaskTransition(TransitionRecordBase):
    task = models.ForeignKey(FollowUpTask, on_delete=models.CASCADE, related_name="transitions")


class TaskReminder(models.Model):
    """A reminder sent for a task's due date (once per task and due date)."""

    task = models.ForeignKey(FollowUpTask, on_delete=models.CASCADE, related_name="+")
    due_date = models.DateField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["task", "due_date"], name="task_reminder_once")]

    def __str__(self) -> str:
        return f"{self.task_id}: {self.due_date}"


# --- joint projects ---------------------------------------------------------------------------------------------


class ProjectStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Under way")
    COMPLETED = "completed", _("Completed")
    SUSPENDED = "suspended", _("Suspended")
    CANCELLED = "cancelled", pgettext_lazy("project", "Cancelled")


# ISO 4217 codes a project's budget is kept in (the partners' usual currencies).
CURRENCIES = [("KZT", "KZT"), ("USD", "USD"), ("EUR", "EUR"), ("RUB", "RUB"), ("CHF", "CHF"), ("GBP", "GBP")]


class Project(OfficeRecord):
    """A joint project with a partner organisation (e.g. under the OSCE Programme Office in Astana)."""

    partner = models.ForeignKey(
        Counterpart, verbose_name=_("partner"), on_delete=models.PROTECT, related_name="projects"
    )
    title = models.CharField(_("title"), max_length=500)
    reference = models.CharField(_("partner's reference"), max_length=60, blank=True)
    start_date = models.DateField(_("from"))
    end_date = models.DateField(_("to"), null=True, blank=True)
    budget = models.DecimalField(
        _("budget"),
        max_digits=16,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(Decimal("0"))],
    )
    currency = models.CharField(_("currency"), max_length=3, choices=CURRENCIES, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=ProjectStatus.choices, default=ProjectStatus.PROPOSED
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("topics"), blank=True, related_name="projects")
    description = models.TextField(_("description"), blank=True)
    outputs = models.TextField(_("outputs"), blank=True)
    offices = models.ManyToManyField(
        "core.Office", verbose_name=_("offices involved"), blank=True, related_name="+"
    )
    departments = models.ManyToManyField(
        "core.Department", verbose_name=_("departments involved"), blank=True, related_name="+"
    )
    manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("project officer"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        ordering = ["-start_date", "-id"]
        verbose_name = _("joint project")
        verbose_name_plural = _("joint projects")
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=models.F("start_date")),
                name="project_ends_after_start",
            ),
            models.CheckConstraint(
                condition=Q(budget__isnull=True) | ~Q(currency=""), name="project_budget_has_currency"
            ),
        ]

    def __str__(self) -> str:
        return self.title


class ProjectTransition(TransitionRecordBase):
    project = models.ForeignKey(Project, on_delete=models.CASCADE, related_name="transitions")


# --- recommendations --------------------------------------------------------------------------------------------


class RecommendationSource(models.TextChoices):
    SPECIAL_PROCEDURE = "special_procedure", _("UN special procedure")
    TREATY_BODY = "treaty_body", _("UN treaty body")
    UPR = "upr", _("Universal Periodic Review")
    OSCE_ODIHR = "osce_odihr", _("OSCE/ODIHR")
    COUNCIL_OF_EUROPE = "coe", _("Council of Europe (GRECO, Venice Commission…)")
    OTHER = "other", _("Other")


class ImplementationStatus(models.TextChoices):
    """As OHCHR's recommendation-tracking databases keep it."""

    NOT_STARTED = "not_started", _("Not started")
    IN_PROGRESS = "in_progress", _("In progress")
    PARTIALLY = "partially", _("Partially implemented")
    IMPLEMENTED = "implemented", _("Implemented")
    NOTED = "noted", _("Noted (not accepted)")
    NOT_RELEVANT = "not_relevant", _("No longer relevant")


class Recommendation(OfficeRecord):
    """A recommendation made to Kazakhstan, its theme, the body responsible, the planned actions, the
    implementation status (lifecycle `transitions.RECOMMENDATIONS`) with its evidence, and its history."""

    source_kind = models.CharField(_("made by"), max_length=20, choices=RecommendationSource.choices)
    source = models.ForeignKey(
        Counterpart,
        verbose_name=_("mandate or body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    event = models.ForeignKey(
        Event,
        verbose_name=_("visit or meeting"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="recommendations",
    )
    document = models.CharField(
        _("document"), max_length=120, blank=True
    )  # e.g. A/HRC/13/39/Add.3, para. 81(a)
    paragraph = models.CharField(_("paragraph"), max_length=30, blank=True)
    issued_on = models.DateField(_("made on"))
    text = models.TextField(_("recommendation"))
    theme = models.ForeignKey(
        Topic, verbose_name=_("theme"), on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    responsible = models.ForeignKey(
        Counterpart,
        verbose_name=_("responsible body"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="recommendations_owned",
    )
    officer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("officer in charge"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    planned_actions = models.TextField(_("planned actions"), blank=True)
    due_date = models.DateField(_("planned by"), null=True, blank=True)
    status = models.CharField(
        _("implementation"),
        max_length=14,
        choices=ImplementationStatus.choices,
        default=ImplementationStatus.NOT_STARTED,
    )
    evidence = models.TextField(_("evidence"), blank=True)
    status_changed_on = models.DateField(_("status as of"), null=True, blank=True)

    class Meta:
        ordering = ["-issued_on", "id"]
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        indexes = [
            models.Index(fields=["status"], name="recommendation_status"),
            models.Index(fields=["-issued_on", "id"], name="recommendation_order"),
        ]

    def __str__(self) -> str:
        if self.paragraph:
            return (
                gettext("%(document)s, para. %(paragraph)s")
                % {
                    "document": self.document,
                    "paragraph": self.paragraph,
                }
                if self.document
                else gettext("para. %(paragraph)s") % {"paragraph": self.paragraph}
            )
        return self.document or self.text[:80]


class RecommendationTransition(TransitionRecordBase):
    recommendation = models.ForeignKey(Recommendation, on_delete=models.CASCADE, related_name="transitions")


class RelationsStatement(models.Model):
    """An official headline figure of the time ("Eight UN Special Rapporteurs have visited Kazakhstan in the past
    five years", 2015-10-22), shown beside the figure counted from the records (relations_statements.csv)."""

    class Subject(models.TextChoices):
        SPECIAL_PROCEDURE_VISITS = "sp_visits", _("Visits of UN special procedures")
        JOINT_PROJECTS = "joint_projects", _("Joint projects")

    subject = models.CharField(_("subject"), max_length=20, choices=Subject.choices)
    date = models.DateField(_("date"))
    figure_value = models.PositiveIntegerField(_("number"))
    period_years = models.PositiveSmallIntegerField(_("over years"), null=True, blank=True)
    partner_code = models.CharField(_("partner"), max_length=60, blank=True)
    statement = models.TextField(_("statement"))
    speaker = models.CharField(_("said by"), max_length=200, blank=True)
    source_url = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["subject", "date"]
        verbose_name = _("official statement")
        verbose_name_plural = _("official statements")
        constraints = [
            models.UniqueConstraint(
                fields=["subject", "date", "figure_value"], name="relations_statement_once"
            )
        ]

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y}: {self.figure_value}"
