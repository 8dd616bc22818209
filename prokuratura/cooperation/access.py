"""Who may open and change the register's records.

The register is reference data: everyone holding `cooperation.view` sees all of it, nobody else sees any of it
(404, so the codes cannot be probed). Changing a treaty needs `cooperation.manage_treaties` (administrators),
changing a country profile `cooperation.edit_profiles` (the international department): 403 for those who may see.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.core.exceptions import PermissionDenied
from django.http import Http404

from prokuratura.accounts.roles import Perm
from prokuratura.core.models import Country
from prokuratura.core.permissions import user_may

from .models import KAZAKHSTAN, Instrument

if TYPE_CHECKING:
    from prokuratura.accounts.models import User


def access_instrument(*, user: User, code: str, for_write: bool = False) -> Instrument:
    if not user_may(user, Perm.COOP_VIEW):
        raise Http404
    instrument = (
        Instrument.objects.select_related("partner", "supersedes").filter(code=str(code or "")).first()
    )
    if instrument is None:
        raise Http404
    if for_write and not user.has_perm(Perm.COOP_MANAGE):
        raise PermissionDenied
    return instrument


def access_country(*, user: User, iso2: str, for_write: bool = False) -> Country:
    """A partner state by its ISO code (any case). Kazakhstan itself has no partner profile: 404."""
    if not user_may(user, Perm.COOP_VIEW):
        raise Http404
    code = str(iso2 or "").strip().upper()
    if len(code) != 2 or code == KAZAKHSTAN:
        raise Http404
    country = Country.objects.filter(iso2=code).first()
    if country is None:
        raise Http404
    if for_write and not user.has_perm(Perm.COOP_EDIT_PROFILES):
        raise PermissionDenied
    return country
