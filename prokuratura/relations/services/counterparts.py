"""Organisations and counterparts: an administrator (`relations.manage`) adds one or corrects it, audited.

The hierarchy stays sound: a counterpart never sits below itself or one of its own descendants, a mandate belongs
to a body (the Human Rights Council's special procedures, the treaty bodies), a field office to an organisation or
one of its bodies, and a foreign authority names its state. The code is unique and slug-like (it keys the data
file, relations_counterparts.csv). The reference loader (`relations.reference`) checks its rows with the same
`counterpart_errors`, so the file and the page refuse the same things.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, fields

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.utils.translation import gettext as _

from prokuratura.accounts.models import User
from prokuratura.accounts.roles import Perm
from prokuratura.core.models import Country
from prokuratura.core.record_services import create_audited, require_staff, update_audited

from ..models import Counterpart, CounterpartKind, MandateKind

CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
COUNTERPART_FIELDS = (
    "code",
    "kind",
    "parent",
    "country",
    "mandate_kind",
    "name_kk",
    "name_ru",
    "name_en",
    "abbreviation_en",
    "abbreviation_ru",
    "abbreviation_kk",
    "aliases",
    "website",
    "source_url",
    "is_active",
)
# What a field office may belong to.
FIELD_OFFICE_PARENTS = frozenset({CounterpartKind.ORGANISATION, CounterpartKind.BODY})


@dataclass
class CounterpartData:
    code: str
    kind: str
    name_kk: str
    name_ru: str
    name_en: str
    parent: Counterpart | None = None
    country: Country | None = None
    mandate_kind: str = ""
    abbreviation_en: str = ""
    abbreviation_ru: str = ""
    abbreviation_kk: str = ""
    aliases: str = ""
    website: str = ""
    source_url: str = ""
    is_active: bool = True


def split_names(text: str) -> list[str]:
    """The other names or keywords of a cell: one per line (as stored) or separated by " | " (as in the data
    files), stripped, each once, in their order."""
    seen: dict[str, None] = {}
    for line in (text or "").replace(" | ", "\n").splitlines():
        value = " ".join(line.split())
        if value and value.casefold() not in {v.casefold() for v in seen}:
            seen[value] = None
    return list(seen)


def loops_through(
    *, parent_id: int | None, counterpart_id: int | None, parents: dict[int, int | None]
) -> bool:
    """Whether putting `counterpart_id` below `parent_id` would make a loop, given each counterpart's parent."""
    if counterpart_id is None:
        return False
    seen: set[int] = set()
    node = parent_id
    while node is not None and node not in seen:
        if node == counterpart_id:
            return True
        seen.add(node)
        node = parents.get(node)
    return False


def counterpart_errors(
    *,
    code: str,
    kind: str,
    parent_kind: str | None,
    country_iso2: str | None,
    mandate_kind: str,
    names: tuple[str, str, str],
) -> dict[str, list[str]]:
    """The rules of the hierarchy, one message per field (the page, the API and the loader share them)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    if not CODE.fullmatch(code or "") or len(code) > 60:
        add(
            "code",
            _(
                "Use up to 60 lower-case Latin letters and digits, words joined by hyphens (e.g. osce-astana)."
            ),
        )
    if kind not in CounterpartKind.values:
        add("kind", _("Choose the kind of counterpart."))
    for name, value in zip(("name_kk", "name_ru", "name_en"), names, strict=True):
        if not value.strip():
            add(name, _("Give the name in all three languages."))
    if mandate_kind and mandate_kind not in MandateKind.values:
        add("mandate_kind", _("Choose the kind of mandate."))
    if kind == CounterpartKind.MANDATE:
        if not mandate_kind:
            add("mandate_kind", _("Say what kind of mandate it is."))
        if parent_kind != CounterpartKind.BODY:
            add(
                "parent",
                _("A mandate belongs to a body (e.g. the special procedures of the Human Rights Council)."),
            )
    elif mandate_kind:
        add("mandate_kind", _("Only a mandate has a kind of mandate."))
    if kind == CounterpartKind.FIELD_OFFICE and parent_kind not in FIELD_OFFICE_PARENTS:
        add("parent", _("A field office belongs to an organisation or one of its bodies."))
    if kind == CounterpartKind.BODY and parent_kind is None:
        add("parent", _("A body belongs to an organisation (or to another body)."))
    if kind == CounterpartKind.ORGANISATION and parent_kind is not None:
        add("parent", _("An international organisation does not belong to another counterpart."))
    if kind == CounterpartKind.FOREIGN_AUTHORITY:
        if not country_iso2:
            add("country", _("Name the state of a foreign authority."))
        elif country_iso2 == "KZ":
            add("country", _("A foreign authority belongs to a state other than Kazakhstan."))
    return errors


def _parents() -> dict[int, int | None]:
    return dict(Counterpart.objects.values_list("pk", "parent_id"))


def _check(data: CounterpartData, *, counterpart: Counterpart | None) -> None:
    errors = counterpart_errors(
        code=data.code.strip(),
        kind=data.kind,
        parent_kind=data.parent.kind if data.parent is not None else None,
        country_iso2=data.country.iso2 if data.country is not None else None,
        mandate_kind=data.mandate_kind,
        names=(data.name_kk, data.name_ru, data.name_en),
    )
    pk = counterpart.pk if counterpart is not None else None
    if data.parent is not None and loops_through(
        parent_id=data.parent.pk, counterpart_id=pk, parents=_parents()
    ):
        errors.setdefault("parent", []).append(
            _("The counterpart cannot belong to itself or to one of the counterparts below it.")
        )
    code = data.code.strip()
    others = Counterpart.objects.filter(code__iexact=code)
    if pk is not None:
        others = others.exclude(pk=pk)
    if "code" not in errors and others.exists():
        errors.setdefault("code", []).append(_("Another counterpart has this code."))
    if errors:
        raise ValidationError(errors)


def _values(data: CounterpartData) -> dict[str, object]:
    values = {f.name: getattr(data, f.name) for f in fields(data)}
    for name in (
        "code",
        "name_kk",
        "name_ru",
        "name_en",
        "abbreviation_en",
        "abbreviation_ru",
        "abbreviation_kk",
    ):
        values[name] = " ".join(str(values[name]).split())
    values["website"] = data.website.strip()
    values["source_url"] = data.source_url.strip()
    values["aliases"] = "\n".join(split_names(data.aliases))
    return values


def counterpart_create(*, by: User, data: CounterpartData, request: HttpRequest | None = None) -> Counterpart:
    """Add an organisation, body, mandate, field office, foreign authority or domestic agency (audited). A retry
    of the same form meets the code already taken and is refused with that message."""
    by = require_staff(by, Perm.RELATIONS_MANAGE)
    _check(data, counterpart=None)
    ordering = (Counterpart.objects.order_by("-ordering").values_list("ordering", flat=True).first() or 0) + 1
    record = Counterpart(**_values(data), ordering=min(ordering, 32767))
    return create_audited(
        by=by, record=record, fields=COUNTERPART_FIELDS, submission_key=None, request=request
    )


def counterpart_update(
    *, by: User, counterpart: Counterpart, data: CounterpartData, request: HttpRequest | None = None
) -> Counterpart:
    """Correct a counterpart (audited: the fields that changed, before and after). The reference loader keeps a
    counterpart corrected here as the administrator left it."""
    by = require_staff(by, Perm.RELATIONS_MANAGE)
    _check(data, counterpart=counterpart)
    return update_audited(
        by=by, record=counterpart, changes=_values(data), fields=COUNTERPART_FIELDS, request=request
    )
