"""Core reference and organisational data shared by every module."""

from __future__ import annotations

from django.conf import settings
from django.db import connection, models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .prepared import cursor as prepared_cursor


class TranslatedNameMixin(models.Model):
    """Reference data carries its own kk/ru/en names; `name` picks the active language."""

    name_kk = models.CharField(_("name (Kazakh)"), max_length=300)
    name_ru = models.CharField(_("name (Russian)"), max_length=300)
    name_en = models.CharField(_("name (English)"), max_length=300)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.name

    @property
    def name(self) -> str:
        lang = (get_language() or "ru")[:2]
        return getattr(self, f"name_{lang}", None) or self.name_ru or self.name_en


class Sensitivity(models.TextChoices):
    """How widely a record may be read (core.access decides who)."""

    PUBLIC = "public", _("Public")
    INTERNAL = "internal", _("Internal")
    RESTRICTED = "restricted", _("Restricted")


class Region(TranslatedNameMixin):
    """A first-level unit of Kazakhstan: 17 regions and 3 cities of republican significance (KATO)."""

    class UnitType(models.TextChoices):
        REGION = "region", _("Region")
        CITY = "city_republican", _("City of republican significance")

    kato_code = models.CharField(_("KATO code"), max_length=9, unique=True)
    unit_type = models.CharField(_("type"), max_length=20, choices=UnitType.choices)
    # The administrative centre's name: `admin_center` in English (Latin script), the others in Cyrillic.
    admin_center = models.CharField(_("administrative centre"), max_length=100, blank=True)
    admin_center_kk = models.CharField(_("administrative centre (Kazakh)"), max_length=100, blank=True)
    admin_center_ru = models.CharField(_("administrative centre (Russian)"), max_length=100, blank=True)
    source_url = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["kato_code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")

    @property
    def admin_center_name(self) -> str:
        """The administrative centre in the active language, as `name` picks the region's name."""
        return _in_language(self.admin_center, self.admin_center_kk, self.admin_center_ru)


class Country(TranslatedNameMixin):
    """A state, keyed by ISO 3166-1 alpha-2 (names from pycountry and its kk/ru catalogues)."""

    iso2 = models.CharField(_("ISO code"), max_length=2, primary_key=True)
    iso3 = models.CharField(_("ISO alpha-3"), max_length=3, unique=True)
    numeric = models.CharField(_("ISO numeric"), max_length=3, blank=True)
    world_region = models.CharField(_("region of the world"), max_length=40, blank=True)

    class Meta:
        ordering = ["name_en"]
        verbose_name = _("country")
        verbose_name_plural = _("countries")


class CrimeCategory(TranslatedNameMixin):
    """UNODC ICCS level-1 sections and the service's cross-cutting focus areas."""

    class Kind(models.TextChoices):
        ICCS_SECTION = "iccs", _("ICCS section")
        FOCUS_AREA = "focus", _("Focus area")

    code = models.CharField(_("code"), max_length=40, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    source = models.TextField(_("source"), blank=True)
    ordering = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["kind", "ordering", "code"]
        verbose_name = _("crime category")
        verbose_name_plural = _("crime categories")


class Office(TranslatedNameMixin):
    """A prosecutor's office. Offices form a tree kept as a materialised path for subtree queries.

    `path` is the chain of ids from the root, each zero-padded, e.g. "000001.000007.": an office's
    subtree is every office whose path starts with its own.
    """

    class Level(models.TextChoices):
        GENERAL = "general", _("Prosecutor General's Office")
        REGIONAL = "regional", _("Regional office")
        DISTRICT = "district", _("District office")

    code = models.CharField(_("code"), max_length=30, unique=True)
    level = models.CharField(_("level"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("parent office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    region = models.ForeignKey(
        Region,
        verbose_name=_("region"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="offices",
    )
    path = models.CharField(max_length=255, unique=True, editable=False)
    is_active = models.BooleanField(_("active"), default=True)
    # The letterhead: an official letter carries the office's name and address in Kazakh and in Russian.
    address_kk = models.CharField(_("address (Kazakh)"), max_length=300, blank=True)
    address_ru = models.CharField(_("address (Russian)"), max_length=300, blank=True)
    phone = models.CharField(_("telephone"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)

    class Meta:
        ordering = ["path"]
        verbose_name = _("office")
        verbose_name_plural = _("offices")

    @property
    def depth(self) -> int:
        return self.path.count(".") - 1

    def is_within(self, other: Office) -> bool:
        """True when this office is `other` or lies below it."""
        return self.path.startswith(other.path)


class Department(TranslatedNameMixin):
    office = models.ForeignKey(
        Office, verbose_name=_("office"), on_delete=models.PROTECT, related_name="departments"
    )
    code = models.CharField(_("code"), max_length=30)
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["office__path", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(fields=["office", "code"], name="department_code_unique_in_office")
        ]


class CalendarException(models.Model):
    """A day whose working status differs from the statutory rule (weekends plus `holidays`' KZ list).

    The Labour Ministry orders transfers year by year (Labour Code art. 85 p. 3); the `holidays` package
    only knows the orders already issued, so an administrator records the rest here.
    """

    class Kind(models.TextChoices):
        DAY_OFF = "day_off", _("Day off")
        WORKING_DAY = "working_day", _("Working day")

    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    # The note on the day, as reference data carries its names: `reason` in English (required, the record),
    # the Kazakh and Russian texts beside it; `note` picks the reader's language.
    reason = models.CharField(_("reason (English)"), max_length=300)
    reason_kk = models.CharField(_("reason (Kazakh)"), max_length=300, blank=True)
    reason_ru = models.CharField(_("reason (Russian)"), max_length=300, blank=True)
    legal_basis = models.CharField(_("legal basis"), max_length=300, blank=True)
    legal_basis_kk = models.CharField(_("legal basis (Kazakh)"), max_length=300, blank=True)
    legal_basis_ru = models.CharField(_("legal basis (Russian)"), max_length=300, blank=True)
    source_url = models.TextField(_("source"), blank=True)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar exception")
        verbose_name_plural = _("calendar exceptions")

    def __str__(self) -> str:
        return f"{self.date:%d.%m.%Y} {self.get_kind_display()}"

    @property
    def note(self) -> str:
        """The reason in the active language: Kazakh or Russian when written, else Russian, else English."""
        return _in_language(self.reason, self.reason_kk, self.reason_ru)

    @property
    def legal_basis_text(self) -> str:
        """The legal basis in the active language, with the same fallbacks as `note`."""
        return _in_language(self.legal_basis, self.legal_basis_kk, self.legal_basis_ru)


def _in_language(record: str, kk: str, ru: str) -> str:
    """A text kept as the record (`record`, in English or as the source wrote it) with its Kazakh and Russian
    versions: the active language's, else the Russian, else the record."""
    own = {"kk": kk, "ru": ru}.get((get_language() or "ru")[:2], record)
    return own or ru or record


class AuditEntry(models.Model):
    """One link in the append-only, hash-chained audit trail (see core.audit).

    Written unsealed (no seq, prev_hash or hash) by `audit_record`; `audit_seal` gives it its place in the chain
    once its transaction has committed. With AUDIT_SEAL_INLINE (SQLite) it is sealed as it is written."""

    class Action(models.TextChoices):
        CREATE = "create", _("Created")
        UPDATE = "update", _("Updated")
        DELETE = "delete", _("Deleted")
        TRANSITION = "transition", _("Status changed")
        READ = "read", _("Read (restricted)")
        LOGIN = "login", _("Logged in")
        LOGIN_FAILED = "login_failed", _("Failed login")
        LOGOUT = "logout", _("Logged out")
        SECURITY = "security", _("Security event")

    seq = models.PositiveBigIntegerField(unique=True, null=True, blank=True)  # null until sealed
    created_at = models.DateTimeField(db_index=True)
    actor = models.ForeignKey(
        "accounts.User",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        db_constraint=False,
    )
    actor_repr = models.CharField(max_length=150, blank=True)
    action = models.CharField(max_length=20, choices=Action.choices)
    object_type = models.CharField(max_length=100, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    object_repr = models.CharField(max_length=300, blank=True)
    changes = models.JSONField(default=dict, blank=True)
    reason = models.TextField(blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    prev_hash = models.CharField(max_length=64, blank=True)  # "" until sealed
    hash = models.CharField(max_length=64, blank=True)  # "" until sealed

    class Meta:
        # Newest first, sealed or not: ids are given in the order entries are written (existing ones follow seq).
        ordering = ["-id"]
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit entries")
        indexes = [
            models.Index(fields=["object_type", "object_id"], name="audit_object_idx"),
            models.Index(fields=["actor", "created_at"], name="audit_actor_idx"),
            models.Index(fields=["action", "created_at"], name="audit_action_idx"),
            # The sealer's queue: only the few entries not yet chained.
            models.Index(fields=["id"], name="audit_unsealed_idx", condition=models.Q(seq__isnull=True)),
        ]

    def __str__(self) -> str:
        number = f"#{self.seq}" if self.seq is not None else f"(unsealed, id {self.pk})"
        return f"{number} {self.action} {self.object_type}:{self.object_id}"


class AuditHead(models.Model):
    """The chain's last sealed entry. A single row, locked while sealing (or, inline, while appending), so two
    sealers never fork the chain."""

    id = models.PositiveSmallIntegerField(primary_key=True, default=1)
    seq = models.PositiveBigIntegerField(default=0)
    hash = models.CharField(max_length=64, default="0" * 64)

    def __str__(self) -> str:
        return f"head #{self.seq}"


class IdempotencyRecord(models.Model):
    """The stored outcome of a create request sent with an `Idempotency-Key` header (core.api_support).

    A retry with the same key and the same request gets the stored response back instead of creating a second
    record; the same key with a different request is refused (409). `status_code` is null while the first request
    is still running. Records older than a day may be purged (`idempotency_purge`).
    """

    user = models.ForeignKey("accounts.User", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=100)
    method = models.CharField(max_length=10)
    path = models.CharField(max_length=500)
    request_hash = models.CharField(max_length=64)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_body = models.TextField(blank=True)
    created_at = models.DateTimeField(db_index=True)

    class Meta:
        verbose_name = _("idempotency record")
        verbose_name_plural = _("idempotency records")
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="idempotency_key_unique_per_user")
        ]

    def __str__(self) -> str:
        return f"{self.user_id}:{self.key}"


class TransitionRecordBase(models.Model):
    """A lifecycle's history row (core.lifecycle): which step, from which status to which, who, when, why.

    A module's history model inherits this and adds the foreign key to its record. `by` is the user; a step
    taken by a system actor (core.actors) leaves it empty and names the actor in `by_system`."""

    step = models.CharField(_("step"), max_length=40, blank=True)
    from_status = models.CharField(max_length=30, blank=True)
    to_status = models.CharField(max_length=30)
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    by_system = models.CharField(max_length=20, blank=True)
    at = models.DateTimeField()
    reason = models.TextField(blank=True)

    class Meta:
        abstract = True
        ordering = ["at", "id"]


class OfficeRecord(models.Model):
    """What a module's record that an office owns has (supervision's records, requests for legal assistance): the
    owning office and sensitivity (the record rule of core.access), who made it, and the submission key that makes
    a retried create return the first record."""

    office = models.ForeignKey("core.Office", verbose_name=_("office"), on_delete=models.PROTECT)
    sensitivity = models.CharField(
        _("sensitivity"), max_length=12, choices=Sensitivity.choices, default=Sensitivity.INTERNAL
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    submission_key = models.CharField(max_length=120, unique=True, null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True


class OfficeYearCounter(models.Model):
    """Per office and year, the last number issued; `next` locks the row while issuing the next one.

    A module's numbering (registration numbers, outgoing letter numbers, act numbers) inherits this with a unique
    constraint on (office, year)."""

    office = models.ForeignKey("core.Office", on_delete=models.CASCADE)
    year = models.PositiveSmallIntegerField()
    last = models.PositiveIntegerField(default=0)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.office_id}/{self.year}: {self.last}"

    @classmethod
    def next(cls, office: Office, year: int) -> int:
        """The office's next number for the year (call inside a transaction: the row stays locked until it ends)."""
        table = connection.ops.quote_name(cls._meta.db_table)
        # One statement: the row is created at 1 or moved on by one, and stays locked until the transaction ends,
        # so a rolled-back number is issued again (no gaps) and two writers of one office take turns. Every
        # registration numbers: the statement is prepared once per connection (core.prepared).
        with prepared_cursor(connection) as cursor:
            cursor.execute(
                f"INSERT INTO {table} (office_id, year, last) VALUES (%s, %s, 1) "  # noqa: S608 - our own table
                f"ON CONFLICT (office_id, year) DO UPDATE SET last = {table}.last + 1 RETURNING last",
                [office.pk, year],
            )
            return int(cursor.fetchone()[0])


class TaskWorker(models.Model):
    """A running background-task worker (`manage.py task_worker`) and when it last said it was alive.

    A worker writes `seen_at` every few seconds. One that has not for `TASKS_LEASE_SECONDS` is dead (killed, its
    machine lost): the tasks it was running are handed to a live worker (core.tasks), which resumes them."""

    worker_id = models.CharField(max_length=64, unique=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    seen_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.worker_id} ({self.hostname}:{self.pid})"
