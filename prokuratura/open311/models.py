"""Open311 GeoReport v2 (docs/OPEN311.md): the applications allowed to file appeals, and what each filed.

An appeal filed through Open311 is an ordinary appeal of the public channel (appeals.services.intake); this app only
keeps which client filed it, so a client can list its own requests and a retry finds the appeal it already made.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class Open311Client(models.Model):
    """An application that may POST service requests: a city-reporting app, a citizens' portal, a kiosk.

    Only a SHA-256 of its api_key is stored (the key is 256 random bits, so a plain hash is enough, as for personal
    API tokens); the key is shown once when the client is added (`manage.py open311_clients add`)."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    contact = models.CharField(_("contact"), max_length=300, blank=True)
    key_prefix = models.CharField(max_length=12, db_index=True)
    key_digest = models.CharField(max_length=64, unique=True)
    # Submissions per hour over the whole key: a flood from a leaked key stops here.
    hourly_limit = models.PositiveIntegerField(_("submissions per hour"), default=100)
    # A server that relays many people's submissions from its own address: the per-address limit the public form
    # applies (appeals.views.public.SUBMISSIONS_PER_HOUR) would stop it after a few people, so only `hourly_limit`
    # applies to it.
    relay = models.BooleanField(_("relays submissions from many people"), default=False)
    created_at = models.DateTimeField(_("created"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 client")
        verbose_name_plural = _("Open311 clients")

    def __str__(self) -> str:
        return f"{self.name} ({self.key_prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Open311Request(models.Model):
    """One appeal filed through Open311, and by which client. `body_sha256` (the submitted fields, api_key
    left out) and `idempotency_key_sha256` (the `Idempotency-Key` header) let a retry find it."""

    client = models.ForeignKey(Open311Client, on_delete=models.PROTECT, related_name="requests")
    appeal = models.OneToOneField("appeals.Appeal", on_delete=models.CASCADE, related_name="open311_request")
    # The appeal's time of receipt (its requested_datetime), kept here so a client's list is read from one index.
    requested_at = models.DateTimeField()
    body_sha256 = models.CharField(max_length=64)
    idempotency_key_sha256 = models.CharField(max_length=64, blank=True)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["client", "requested_at"], name="open311_client_requested"),
            models.Index(fields=["client", "body_sha256"], name="open311_client_body"),
            models.Index(fields=["client", "idempotency_key_sha256"], name="open311_client_idem_key"),
        ]
        verbose_name = _("Open311 request")
        verbose_name_plural = _("Open311 requests")

    def __str__(self) -> str:
        return f"open311 {self.client_id} → {self.appeal_id}"
