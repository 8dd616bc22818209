"""Who acts: a signed-in `User`, or one of the named system actors for the channels that have no account.

Services and selectors take `by: Actor` (or `user: User` where only staff can act). A system actor is never
authenticated and holds no permission: `has_perm` answers False, so it passes no permission check by accident.
A lifecycle step lets one in only by naming it (`core.lifecycle.system(...)`), and the audit trail records it
as `system:<code>`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeGuard

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from prokuratura.accounts.models import User


@dataclass(frozen=True, eq=True)
class SystemActor:
    """A named channel that acts without an account: the public page, an import, a scheduled task."""

    code: str
    # Compared and hashed by code alone: a lazy label hashes as its text in the active language.
    label: str | Promise = field(compare=False)

    # The attributes the code reads from a user, answered for a system actor once, here.
    is_authenticated = False
    is_active = False
    pk = None
    office_id = None
    office = None

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        return False

    def has_role(self, *roles: str) -> bool:
        return False

    def get_username(self) -> str:
        return f"system:{self.code}"

    def __str__(self) -> str:
        return self.get_username()


# The public page, where members of the public file appeals and follow them without an account.
PUBLIC = SystemActor("public_web", _("the public page"))
# Periodic jobs run from cron or a timer: reminders, escalations.
SCHEDULER = SystemActor("scheduler", _("a scheduled job"))
# Reference-data loads, migrations and the demo seed: set-up work done by a deployer's command.
SETUP = SystemActor("setup", _("a set-up command"))

SYSTEM_ACTORS: dict[str, SystemActor] = {a.code: a for a in (PUBLIC, SCHEDULER, SETUP)}

type Actor = User | SystemActor


def is_user(actor: object) -> TypeGuard[User]:
    """A signed-in member of staff (not a system actor, not an anonymous request's user)."""
    return bool(getattr(actor, "is_authenticated", False)) and not isinstance(actor, SystemActor)


def user_or_none(actor: object) -> User | None:
    """The user to store in a `by`/`created_by` column: None for a system actor."""
    return actor if is_user(actor) else None
