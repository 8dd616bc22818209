"""The international department's knowledge base: treaties, their parties, country profiles, official counts.

Facts come from public sources (data/reference, see its README) and each carries its source. Where a fact is not
known the field is empty and the UI says "unknown": nothing is invented. Dates known only to the month or year
are stored as the first day of that month/year with a precision, and shown as "2011-02" or "1997".
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from prokuratura.core.models import Country, CrimeCategory

KAZAKHSTAN = "KZ"


class Precision(models.TextChoices):
    DAY = "day", _("day")
    MONTH = "month", _("month")
    YEAR = "year", _("year")


def partial_date_label(value: dt.date | None, precision: str) -> str:
    """'2011-02-01' with month precision reads '2011-02'; an empty date is ''."""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return f"{value.year:04d}"
    if precision == Precision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def partial_date_display(value: dt.date | None, precision: str) -> str:
    """How the pages write a partial date, dd.mm.yyyy as every date in the interface: '17.02.2011', known to the
    month '02.2011', to the year '2011'; an empty date is ''. (`partial_date_label` is the API's ISO form.)"""
    if value is None:
        return ""
    if precision == Precision.YEAR:
        return f"{value.year:04d}"
    if precision == Precision.MONTH:
        return f"{value.month:02d}.{value.year:04d}"
    return f"{value.day:02d}.{value.month:02d}.{value.year:04d}"


def partial_date_first_day(value: dt.date, precision: str) -> dt.date:
    """How a partial date is stored: the first day it may stand for ('2011-02-17' known to the month → 2011-02-01)."""
    if precision == Precision.YEAR:
        return value.replace(month=1, day=1)
    if precision == Precision.MONTH:
        return value.replace(day=1)
    return value


def partial_date_last_day(value: dt.date, precision: str) -> dt.date:
    """The latest day a partial date may stand for ('2011-02' → 2011-02-28)."""
    if precision == Precision.YEAR:
        return dt.date(value.year, 12, 31)
    if precision == Precision.MONTH:
        following = dt.date(value.year + value.month // 12, value.month % 12 + 1, 1)
        return following - dt.timedelta(days=1)
    return value


class Subject(models.TextChoices):
    """Kinds of cooperation an instrument covers (the issue's list; data/reference uses these codes)."""

    MLA = "mla", _("Mutual legal assistance in criminal matters")
    LEGAL_ASSISTANCE = "legal_assistance", _("Legal assistance in civil and criminal matters")
    EXTRADITION = "extradition", _("Extradition")
    TRANSFER_SENTENCED = "transfer_sentenced", _("Transfer of sentenced persons")
    TRANSFER_PROCEEDINGS = "transfer_proceedings", _("Transfer of criminal proceedings")
    CONFISCATION = "confiscation", _("Confiscation and asset recovery")


class Channel(models.TextChoices):
    CENTRAL_AUTHORITY = "central_authority", _("Through the central authorities")
    DIPLOMATIC = "diplomatic", _("Through diplomatic channels")
    DIRECT = "direct", _("Directly between prosecutors' offices")
    INTERPOL = "interpol", _("Through INTERPOL (urgent requests)")


class Confidence(models.TextChoices):
    SOURCED = "sourced", _("Sourced")
    UNVERIFIED = "unverified", _("Unverified")


class OpenToGroup(models.TextChoices):
    NONE = "", _("—")
    UN = "un", _("Every UN member state not listed otherwise")
    COE = "coe", _("The Council of Europe's member states")


class ScopeCondition(models.TextChoices):
    """Facts a case must show for an instrument's scope (the resolver asks for them)."""

    TRANSNATIONAL = "transnational", _("The offence is transnational in nature")
    ORGANISED_GROUP = "organised_group", _("An organised criminal group is involved")
    TERRORIST_FINANCING = "terrorist_financing", _("The offence is the financing of terrorism")


class Organisation(models.TextChoices):
    COE = "coe", _("Council of Europe")


class Instrument(models.Model):
    """A bilateral treaty between Kazakhstan and one state, or a multilateral convention."""

    class Kind(models.TextChoices):
        BILATERAL = "bilateral", _("Bilateral")
        MULTILATERAL = "multilateral", _("Multilateral")

    class Family(models.TextChoices):
        """Which tier of the legal-basis resolver a multilateral instrument belongs to."""

        BILATERAL = "", _("—")
        UN = "un", _("United Nations")
        CIS = "cis", _("Commonwealth of Independent States")
        SCO = "sco", _("Shanghai Cooperation Organisation")
        COE = "coe", _("Council of Europe")
        OAS = "oas", _("Organization of American States")
        OTHER = "other", _("Other")

    class Status(models.TextChoices):
        """Kazakhstan's status, strongest first (data/reference/README.md, file 1)."""

        IN_FORCE = "in_force", _("In force")
        RATIFIED = "ratified", _("Ratified")
        SIGNED = "signed", _("Signed")
        UNKNOWN = "unknown", _("Unknown")
        NOT_PARTY = "not_party", _("Not a party")
        TERMINATED = "terminated", _("Terminated")

    code = models.SlugField(_("code"), max_length=80, unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    family = models.CharField(_("family"), max_length=8, choices=Family.choices, blank=True)
    short_name = models.CharField(_("short name"), max_length=100, blank=True)
    title_en = models.TextField(_("title (English)"))
    title_ru = models.TextField(_("title (Russian)"), blank=True)
    title_kk = models.TextField(_("title (Kazakh)"), blank=True)
    partner = models.ForeignKey(
        Country,
        verbose_name=_("partner state"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="bilateral_instruments",
    )
    signed_date = models.DateField(_("signed (adopted)"), null=True, blank=True)
    signed_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    signed_place = models.CharField(_("place of signature"), max_length=100, blank=True)
    ratification_act = models.TextField(_("Kazakhstan's ratification act"), blank=True)
    ratified_date = models.DateField(_("ratified by Kazakhstan"), null=True, blank=True)
    ratified_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    in_force_date = models.DateField(_("entry into force"), null=True, blank=True)
    terminated_date = models.DateField(_("termination"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.UNKNOWN)
    all_offences = models.BooleanField(
        _("covers all extraditable or punishable offences"),
        default=False,
        help_text=_("A general treaty; otherwise only the offence categories below."),
    )
    offence_categories = models.ManyToManyField(
        CrimeCategory, verbose_name=_("offence scope"), blank=True, related_name="instruments"
    )
    offence_scope = models.TextField(_("offence scope (as described)"), blank=True)
    central_authorities = models.TextField(_("designated central authorities"), blank=True)
    channels = models.JSONField(_("communication channels"), default=list, blank=True)
    languages = models.CharField(_("accepted languages"), max_length=200, blank=True)
    reservations = models.TextField(_("reservations and declarations"), blank=True)
    depositary = models.CharField(_("depositary"), max_length=200, blank=True)
    supersedes = models.ForeignKey(
        "self",
        verbose_name=_("replaces, between states party to both"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="superseded_by",
    )
    open_to_all_states = models.BooleanField(
        _("every state not listed otherwise is a party"),
        default=False,
        help_text=_(
            "For UN conventions with near-universal participation: the parties list names the exceptions."
        ),
    )
    open_to_all_confidence = models.CharField(
        max_length=10, choices=Confidence.choices, default=Confidence.UNVERIFIED, blank=True
    )
    # Whom the parties list's "*" row stands for: each convention says it in its own way
    # (../shared/data/convention_parties.README.md): UN conventions — every UN member state not listed
    # otherwise; CETS 141 — the Council of Europe's member states (OrganisationMembership, as of the date asked).
    open_to_group = models.CharField(
        _("states the wildcard party row stands for"),
        max_length=8,
        choices=OpenToGroup.choices,
        blank=True,
        default=OpenToGroup.NONE,
    )
    # Facts that must hold for the instrument to cover a case at all, beyond its offence categories
    # (UNTOC art. 3: transnational and involving an organised criminal group). Codes of ScopeCondition;
    # loaded from data/reference/cooperation_instruments.csv, whose scope_basis names the article.
    scope_conditions = models.JSONField(_("conditions of the scope"), default=list, blank=True)
    scope_source = models.TextField(_("source of the scope"), blank=True)
    title_source = models.TextField(_("source of the Russian and Kazakh titles"), blank=True)
    source_url = models.TextField(_("source"), blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.SOURCED
    )
    note = models.TextField(_("note"), blank=True)
    # {field: {"value": ..., "source": ..., "by": username, "at": iso time}} — facts an administrator corrected;
    # the reference import keeps them instead of overwriting them with the file's value.
    corrections = models.JSONField(default=dict, blank=True, editable=False)
    import_key = models.CharField(max_length=200, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["kind", "partner__name_en", "signed_date", "code"]
        verbose_name = _("treaty")
        verbose_name_plural = _("treaties")
        indexes = [models.Index(fields=["kind", "status"], name="coop_instrument_kind_status")]
        constraints = [
            models.CheckConstraint(
                condition=(models.Q(kind="bilateral", partner__isnull=False) | models.Q(kind="multilateral")),
                name="coop_bilateral_has_partner",
            ),
            models.CheckConstraint(
                condition=(
                    models.Q(terminated_date__isnull=True)
                    | models.Q(signed_date__isnull=True)
                    | models.Q(terminated_date__gte=models.F("signed_date"))
                ),
                name="coop_terminated_after_signed",
            ),
        ]

    def __str__(self) -> str:
        return self.short_name or self.title

    @property
    def title(self) -> str:
        lang = (get_language() or "ru")[:2]
        return getattr(self, f"title_{lang}", "") or self.title_en

    @property
    def short_title(self) -> str:
        """A name to mention the instrument by: the title in the reader's language where the register has it (the
        short names are English abbreviations), else the short name, else the English title."""
        lang = (get_language() or "ru")[:2]
        translated = getattr(self, f"title_{lang}", "") if lang != "en" else ""
        return str(translated or self.short_name or self.title_en)

    @property
    def in_force_unconfirmed(self) -> bool:
        """Ratified or said to be in force, but no source gives the date it entered into force."""
        return self.in_force_date is None and self.status in (self.Status.RATIFIED, self.Status.IN_FORCE)

    @property
    def signed_label(self) -> str:
        return partial_date_label(self.signed_date, self.signed_precision)

    @property
    def ratified_label(self) -> str:
        return partial_date_label(self.ratified_date, self.ratified_precision)

    @property
    def signed_display(self) -> str:
        return partial_date_display(self.signed_date, self.signed_precision)

    @property
    def ratified_display(self) -> str:
        return partial_date_display(self.ratified_date, self.ratified_precision)

    @property
    def sources(self) -> list[str]:
        return [url.strip() for url in self.source_url.split("|") if url.strip()]

    def subject_codes(self) -> list[str]:
        return [s.subject for s in self.subjects.all()]

    def clean(self) -> None:
        errors: dict[str, list[str]] = {}
        if self.kind == self.Kind.BILATERAL:
            if self.partner_id is None:
                errors.setdefault("partner", []).append(str(_("A bilateral treaty needs a partner state.")))
            elif self.partner_id == KAZAKHSTAN:
                errors.setdefault("partner", []).append(
                    str(_("The partner state of a bilateral treaty cannot be Kazakhstan itself."))
                )
            if self.family:
                errors.setdefault("family", []).append(str(_("A bilateral treaty belongs to no family.")))
            if self.open_to_all_states:
                errors.setdefault("open_to_all_states", []).append(
                    str(_("A bilateral treaty has exactly two parties."))
                )
        elif self.kind == self.Kind.MULTILATERAL and self.partner_id is not None:
            errors.setdefault("partner", []).append(
                str(_("A multilateral convention has parties, not one partner state."))
            )
        if self.signed_date and self.terminated_date and self.terminated_date < self.signed_date:
            errors.setdefault("terminated_date", []).append(
                str(_("The termination date cannot be earlier than the date of signature."))
            )
        if self.signed_date and self.in_force_date and self.in_force_date < self.signed_date:
            errors.setdefault("in_force_date", []).append(
                str(_("The entry into force cannot be earlier than the date of signature."))
            )
        if self.signed_date and self.ratified_date and self.ratified_date < self.signed_date:
            errors.setdefault("ratified_date", []).append(
                str(_("The ratification cannot be earlier than the date of signature."))
            )
        if self.in_force_date and self.terminated_date and self.terminated_date < self.in_force_date:
            errors.setdefault("terminated_date", []).append(
                str(_("The termination date cannot be earlier than the entry into force."))
            )
        bad_channels = [c for c in (self.channels or []) if c not in Channel.values]
        if bad_channels:
            errors.setdefault("channels", []).append(
                str(
                    _("Unknown communication channel: %(codes)s.")
                    % {"codes": ", ".join(map(str, bad_channels))}
                )
            )
        if self.supersedes_id is not None and self.supersedes_id == self.pk:
            errors.setdefault("supersedes", []).append(str(_("An instrument cannot replace itself.")))
        if errors:
            raise ValidationError(errors)


class InstrumentSubject(models.Model):
    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="subjects")
    subject = models.CharField(_("kind of cooperation"), max_length=24, choices=Subject.choices)

    class Meta:
        ordering = ["subject"]
        constraints = [
            models.UniqueConstraint(fields=["instrument", "subject"], name="coop_instrument_subject_unique")
        ]

    def __str__(self) -> str:
        return self.get_subject_display()


class InstrumentParty(models.Model):
    """A state's participation in an instrument. A bilateral treaty has exactly two: Kazakhstan and the partner."""

    class Status(models.TextChoices):
        PARTY = "party", _("Party")
        SIGNATORY = "signatory", _("Signatory")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        NOT_PARTY = "not_party", _("Not a party")

    instrument = models.ForeignKey(Instrument, on_delete=models.CASCADE, related_name="parties")
    country = models.ForeignKey(Country, verbose_name=_("state"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PARTY)
    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    in_force_date = models.DateField(
        _("entry into force for this state"),
        null=True,
        blank=True,
        help_text=_("Only when a source states it; otherwise the entry into force is unconfirmed."),
    )
    source_url = models.TextField(_("source"), blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.SOURCED
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["instrument", "country__name_en"]
        verbose_name = _("party")
        verbose_name_plural = _("parties")
        constraints = [
            models.UniqueConstraint(fields=["instrument", "country"], name="coop_party_unique"),
        ]
        indexes = [models.Index(fields=["country", "status"], name="coop_party_country_status")]

    def __str__(self) -> str:
        return f"{self.instrument} — {self.country_id}"

    @property
    def date_label(self) -> str:
        return partial_date_label(self.date, self.date_precision)

    @property
    def date_display(self) -> str:
        return partial_date_display(self.date, self.date_precision)


class Answer(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    CONDITIONAL = "conditional", _("Depends on the case")
    UNKNOWN = "unknown", _("Unknown")


PROFILE_FIELDS = (
    "central_authority",
    "contacts",
    "language_requirements",
    "dual_criminality",
    "dual_criminality_note",
    "extradites_nationals",
    "extradites_nationals_note",
    "death_penalty_assurance",
    "death_penalty_note",
    "other_requirements",
    "source",
)


class CountryProfile(models.Model):
    """What an officer needs to know to send a request to one state (cf. the EJN fiches, CoE MLA forms)."""

    country = models.OneToOneField(
        Country, verbose_name=_("state"), primary_key=True, on_delete=models.PROTECT, related_name="profile"
    )
    central_authority = models.TextField(_("central authority"), blank=True)
    contacts = models.TextField(_("contacts"), blank=True)
    language_requirements = models.TextField(_("language requirements"), blank=True)
    dual_criminality = models.CharField(
        _("dual criminality required"), max_length=12, choices=Answer.choices, default=Answer.UNKNOWN
    )
    dual_criminality_note = models.TextField(_("dual criminality: details"), blank=True)
    extradites_nationals = models.CharField(
        _("extradites its own nationals"), max_length=12, choices=Answer.choices, default=Answer.UNKNOWN
    )
    extradites_nationals_note = models.TextField(_("extradition of nationals: details"), blank=True)
    death_penalty_assurance = models.CharField(
        _("death-penalty assurance needed"), max_length=12, choices=Answer.choices, default=Answer.UNKNOWN
    )
    death_penalty_note = models.TextField(_("death-penalty assurance: details"), blank=True)
    other_requirements = models.TextField(_("other requirements"), blank=True)
    source = models.TextField(_("source of these facts"), blank=True)
    version = models.PositiveIntegerField(default=0, editable=False)
    updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["country__name_en"]
        verbose_name = _("country profile")
        verbose_name_plural = _("country profiles")

    def __str__(self) -> str:
        return str(self.country)


class CountryProfileVersion(models.Model):
    """One saved state of a profile: the history an officer can read and compare."""

    profile = models.ForeignKey(CountryProfile, on_delete=models.CASCADE, related_name="versions")
    version = models.PositiveIntegerField()
    data = models.JSONField()
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+"
    )
    changed_at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["profile", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["profile", "version"], name="coop_profile_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.profile_id} v{self.version}"


class OfficialStatement(models.Model):
    """An official headline count ("44 agreements…") as stated at the time — a statement, not ground truth."""

    date = models.DateField(_("date"), null=True, blank=True)
    date_precision = models.CharField(max_length=5, choices=Precision.choices, default=Precision.DAY)
    date_text = models.CharField(_("date as given"), max_length=100)
    figure = models.CharField(_("figure"), max_length=200)
    figure_value = models.PositiveIntegerField(_("number"), null=True, blank=True)
    statement = models.TextField(_("statement"))
    source_url = models.TextField(_("source"), blank=True)
    note = models.TextField(_("note"), blank=True)
    import_key = models.CharField(max_length=64, unique=True, editable=False)

    class Meta:
        ordering = ["date", "id"]
        verbose_name = _("official statement")
        verbose_name_plural = _("official statements")

    def __str__(self) -> str:
        return f"{self.date_text}: {self.figure}"

    @property
    def date_label(self) -> str:
        return partial_date_label(self.date, self.date_precision) or self.date_text

    @property
    def date_display(self) -> str:
        return partial_date_display(self.date, self.date_precision) or self.date_text


class BasisRule(models.Model):
    """Law as data for the legal-basis resolver: what it says when no treaty applies, and similar fixed texts."""

    code = models.SlugField(_("code"), max_length=40, primary_key=True)
    text_en = models.TextField(_("text (English)"))
    text_ru = models.TextField(_("text (Russian)"))
    text_kk = models.TextField(_("text (Kazakh)"))
    legal_basis = models.TextField(_("legal basis"))

    class Meta:
        ordering = ["code"]
        verbose_name = _("resolver rule")
        verbose_name_plural = _("resolver rules")

    def __str__(self) -> str:
        return self.code

    @property
    def text(self) -> str:
        lang = (get_language() or "ru")[:2]
        return getattr(self, f"text_{lang}", "") or self.text_en


class OrganisationMembership(models.Model):
    """A state's membership of an international organisation over a period (data/reference, CoE file).

    A convention open to an organisation's members (CETS 141's "*" row) is read against these rows as of the date
    asked: member from `member_from`, up to the day before `member_until`."""

    organisation = models.CharField(_("organisation"), max_length=8, choices=Organisation.choices)
    country = models.ForeignKey(
        Country, verbose_name=_("state"), on_delete=models.PROTECT, related_name="memberships"
    )
    member_from = models.DateField(_("member from"))
    member_until = models.DateField(_("member until"), null=True, blank=True)
    source_url = models.TextField(_("source"), blank=True)
    confidence = models.CharField(
        _("confidence"), max_length=10, choices=Confidence.choices, default=Confidence.SOURCED
    )
    note = models.TextField(_("note"), blank=True)

    class Meta:
        ordering = ["organisation", "member_from", "country__name_en"]
        verbose_name = _("membership of an organisation")
        verbose_name_plural = _("memberships of organisations")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "country", "member_from"], name="coop_membership_unique"
            ),
            models.CheckConstraint(
                condition=models.Q(member_until__isnull=True)
                | models.Q(member_until__gt=models.F("member_from")),
                name="coop_membership_until_after_from",
            ),
        ]
        indexes = [models.Index(fields=["organisation", "country"], name="coop_membership_org_country")]

    def __str__(self) -> str:
        return f"{self.organisation} — {self.country_id}"

    def is_member_on(self, day: dt.date) -> bool:
        return self.member_from <= day and (self.member_until is None or day < self.member_until)


class ReferenceImport(models.Model):
    """One run of `load_cooperation`: which version (digest) of each file it read and what it did."""

    dataset = models.CharField(max_length=40)
    version = models.CharField(max_length=64)
    source = models.TextField()
    started_at = models.DateTimeField()
    counts = models.JSONField(default=dict)
    rejected = models.JSONField(default=list)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["dataset", "version"], name="coop_import_version")]

    def __str__(self) -> str:
        return f"{self.dataset} {self.version[:12]}"


# The requests register lives in its own module; imported here so that Django finds its models in the app.
from .models_requests import (  # noqa: E402, F401
    AssistanceRequest,
    Correspondence,
    RefusalAssessment,
    RequestCounter,
    RequestPerson,
    RequestReminderSent,
    RequestTemplate,
    RequestTerm,
    RequestTransition,
    TranslationTask,
)
