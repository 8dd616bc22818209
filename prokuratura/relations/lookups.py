"""The reads the API does to turn the ids and codes a payload or a filter names into rows (reference rows, users,
offices, departments, events), and `Refs`, which gathers every unknown one under its field so that one 422 names
them all and nothing is saved. Reference rows are read by everyone who may use the module; a record (an event)
named in a filter only narrows a list the record rule already keeps to what the user may see."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from prokuratura.core.models import Country, Department, Office

from .models import Counterpart, Event, Topic

if TYPE_CHECKING:
    from prokuratura.accounts.models import User


def row_by_pk[M: Model](model: type[M], pk: Any, **lookup: Any) -> M | None:
    return model._default_manager.filter(pk=pk, **lookup).first()


def country_by_code(code: str) -> Country | None:
    return Country.objects.filter(iso2=code.strip().upper()).first()


def topics_by_codes(codes: list[str]) -> list[Topic]:
    return list(Topic.objects.filter(code__in=codes)) if codes else []


def offices_by_codes(codes: list[str]) -> list[Office]:
    return list(Office.objects.filter(code__in=codes)) if codes else []


def departments_by_ids(ids: list[int]) -> list[Department]:
    return list(Department.objects.filter(pk__in=ids)) if ids else []


def counterpart_by_id(pk: int | None) -> Counterpart | None:
    return Counterpart.objects.filter(pk=pk).first() if pk else None


def event_by_id(pk: int | None) -> Event | None:
    return Event.objects.filter(pk=pk).first() if pk else None


class Refs:
    """Looks up the ids and codes a payload names and gathers every unknown one under its field, so that one 422
    names them all and nothing is saved."""

    def __init__(self) -> None:
        self.unknown: dict[str, list[str]] = {}

    def miss(self, name: str, message: str) -> None:
        self.unknown.setdefault(name, []).append(message)

    def row[M: Model](self, model: type[M], name: str, pk: Any, message: str, **lookup: Any) -> M | None:
        if pk in (None, ""):
            return None
        found = row_by_pk(model, pk, **lookup)
        if found is None:
            self.miss(name, message)
        return found

    def counterpart(self, name: str, pk: int | None) -> Counterpart | None:
        return self.row(Counterpart, name, pk, _("No such organisation or agency."))

    def country(self, name: str, code: str | None) -> Country | None:
        code = (code or "").strip().upper()
        if not code:
            return None
        found = country_by_code(code)
        if found is None:
            self.miss(name, _("Unknown state code %(code)s.") % {"code": code})
        return found

    def user(self, name: str, pk: int | None) -> User | None:
        from prokuratura.accounts.models import User as UserModel

        return self.row(UserModel, name, pk, _("No such user."))

    def topics(self, name: str, codes: list[str]) -> list[Topic]:
        wanted = sorted(set(codes))
        found = topics_by_codes(wanted)
        if len(found) != len(wanted):
            missing = sorted(set(wanted) - {t.code for t in found})
            self.miss(name, _("Unknown topic code: %(codes)s.") % {"codes": ", ".join(missing)})
        return found

    def topic(self, name: str, code: str | None) -> Topic | None:
        found = self.topics(name, [code]) if code else []
        return found[0] if found else None

    def check(self) -> None:
        if self.unknown:
            raise ValidationError(self.unknown)
