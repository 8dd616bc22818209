from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.functional import cached_property
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from .roles import Role, permissions_for


class User(AbstractUser):
    """A member of staff. Members of the public have no account."""

    middle_name = models.CharField(_("patronymic"), max_length=150, blank=True)
    office = models.ForeignKey(
        "core.Office",
        verbose_name=_("office"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    department = models.ForeignKey(
        "core.Department",
        verbose_name=_("department"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff",
    )
    # The position as it is signed under a letter, in each language a letter may be written in.
    position = models.CharField(_("position (English)"), max_length=200, blank=True)
    position_kk = models.CharField(_("position (Kazakh)"), max_length=200, blank=True)
    position_ru = models.CharField(_("position (Russian)"), max_length=200, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=2,
        choices=[("kk", "Қазақша"), ("ru", "Русский"), ("en", "English")],
        default="ru",
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["last_name", "first_name", "username"]

    @property
    def position_local(self) -> str:
        """The position in the active language (the one a letter in that language is signed with)."""
        language = (get_language() or "ru")[:2]
        by_language = {"kk": self.position_kk, "ru": self.position_ru, "en": self.position}
        return by_language.get(language) or self.position_ru or self.position or self.position_kk

    @cached_property
    def roles(self) -> frozenset[str]:
        if not self.pk:
            return frozenset()
        return frozenset(self.user_roles.values_list("role", flat=True))

    @cached_property
    def permission_codes(self) -> frozenset[str]:
        return permissions_for(self.roles)

    def has_role(self, *roles: str) -> bool:
        return bool(self.roles & set(roles))

    @property
    def full_name(self) -> str:
        return " ".join(p for p in (self.last_name, self.first_name, self.middle_name) if p) or self.username

    def role_labels(self) -> list[str]:
        return [str(Role(r).label) for r in sorted(self.roles)]


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="user_roles")
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_unique")]
        verbose_name = _("role assignment")
        verbose_name_plural = _("role assignments")

    def __str__(self) -> str:
        return f"{self.user_id}:{self.role}"


class RolePolicy(models.Model):
    """Per-role security settings an administrator edits (2FA enforcement)."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, unique=True)
    require_2fa = models.BooleanField(_("require two-factor authentication"), default=False)

    class Meta:
        ordering = ["role"]
        verbose_name = _("role policy")
        verbose_name_plural = _("role policies")

    def __str__(self) -> str:
        return str(Role(self.role).label)


class LoginFailure(models.Model):
    """A failed sign-in; counted per username to lock an account after repeated failures."""

    username = models.CharField(max_length=150, db_index=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    created_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.username} {self.created_at:%Y-%m-%d %H:%M}"


class ApiToken(models.Model):
    """A personal API token. Only a SHA-256 of the secret is stored; the secret is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("name"), max_length=100)
    prefix = models.CharField(max_length=12, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(_("created"))
    expires_at = models.DateTimeField(_("expires"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("last used"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("API token")
        verbose_name_plural = _("API tokens")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
