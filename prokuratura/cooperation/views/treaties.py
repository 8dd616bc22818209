"""The treaty register: the list, one instrument with the source of every fact, and the administrators' screens
that add an instrument and correct its facts and parties (each correction names its source and is audited)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from prokuratura.accounts.roles import Perm
from prokuratura.core.forms.errors import add_service_errors
from prokuratura.core.permissions import SignedInRequest, require

from .. import selectors, services
from ..access import access_instrument
from ..forms import InstrumentAddForm, InstrumentFactsForm, InstrumentFilterForm, PartyForm, PartyRemoveForm
from ..models import Channel, Instrument, InstrumentParty, OpenToGroup
from ..resolver import condition_clause, wildcard_group

PAGE_SIZE = 50
FILTER_FIELDS = ("q", "kind", "country", "subject", "status", "family")


@dataclass
class Fact:
    """One row of an instrument's page: the fact, its value ("" reads "unknown") and its correction, if any."""

    name: str
    label: str
    value: str
    correction: dict[str, Any] | None = None
    empty_label: str = ""


def _correction(instrument: Instrument, *names: str) -> dict[str, Any] | None:
    for name in names:
        found = (instrument.corrections or {}).get(name)
        if isinstance(found, dict):
            correction = dict(found)
            try:
                correction["at"] = timezone.localtime(dt.datetime.fromisoformat(str(found.get("at"))))
            except ValueError:
                correction["at"] = None
            return correction
    return None


def _label(name: str) -> str:
    field: Any = Instrument._meta.get_field(name)
    return str(field.verbose_name)


def _yes_no(value: bool) -> str:
    return _("Yes") if value else _("No")


def instrument_facts(instrument: Instrument) -> list[Fact]:
    i = instrument
    facts = [
        Fact("title_en", _label("title_en"), i.title_en),
        Fact("title_ru", _label("title_ru"), i.title_ru, empty_label=_("none recorded")),
        Fact("title_kk", _label("title_kk"), i.title_kk, empty_label=_("none recorded")),
        Fact("short_name", _label("short_name"), i.short_name, empty_label=_("none recorded")),
        Fact("kind", _label("kind"), i.get_kind_display()),
    ]
    if i.kind == Instrument.Kind.BILATERAL:
        facts.append(Fact("partner", _label("partner"), i.partner.name if i.partner else ""))
    else:
        facts.append(Fact("family", _label("family"), i.get_family_display()))
        facts.append(Fact("depositary", _label("depositary"), i.depositary))
    facts += [
        Fact("signed_date", _label("signed_date"), i.signed_display),
        Fact("signed_place", _label("signed_place"), i.signed_place),
        Fact("ratification_act", _label("ratification_act"), i.ratification_act),
        Fact("ratified_date", _label("ratified_date"), i.ratified_display),
        Fact(
            "in_force_date",
            _label("in_force_date"),
            i.in_force_date.strftime("%d.%m.%Y") if i.in_force_date else "",
        ),
        Fact(
            "terminated_date",
            _label("terminated_date"),
            i.terminated_date.strftime("%d.%m.%Y") if i.terminated_date else "",
            empty_label=_("none recorded"),
        ),
        Fact("status", _label("status"), i.get_status_display()),
        Fact("all_offences", _label("all_offences"), _yes_no(i.all_offences)),
        Fact(
            "offence_categories",
            str(_("offence scope (categories)")),
            ", ".join(c.name for c in i.offence_categories.all()),
            empty_label=_("none listed") if i.all_offences else "",
        ),
        Fact("offence_scope", _label("offence_scope"), i.offence_scope),
        Fact("central_authorities", _label("central_authorities"), i.central_authorities),
        Fact(
            "channels",
            _label("channels"),
            ", ".join(str(Channel(c).label) for c in i.channels or [] if c in Channel.values),
        ),
        Fact("languages", _label("languages"), i.languages),
        Fact("reservations", _label("reservations"), i.reservations),
        Fact(
            "supersedes",
            _label("supersedes"),
            str(i.supersedes) if i.supersedes else "",
            empty_label=_("none recorded"),
        ),
    ]
    if i.kind == Instrument.Kind.MULTILATERAL:
        group = wildcard_group(i)
        facts.append(
            Fact(
                "open_to_all_states",
                _label("open_to_all_states"),
                (
                    f"{OpenToGroup(group).label} ({i.get_open_to_all_confidence_display()})"
                    if i.open_to_all_states and group
                    else _yes_no(i.open_to_all_states)
                ),
            )
        )
        if i.scope_conditions:
            facts.append(
                Fact(
                    "scope_conditions",
                    _label("scope_conditions"),
                    "; ".join(condition_clause(code) for code in i.scope_conditions)
                    + (f" ({i.scope_source})" if i.scope_source else ""),
                )
            )
    if i.title_source:
        facts.append(Fact("title_source", _label("title_source"), i.title_source))
    facts += [
        Fact("confidence", _label("confidence"), i.get_confidence_display()),
        Fact("note", _label("note"), i.note, empty_label="—"),
    ]
    pairs = {
        "signed_date": ("signed_date", "signed_precision"),
        "ratified_date": ("ratified_date", "ratified_precision"),
    }
    for fact in facts:
        fact.correction = _correction(i, *pairs.get(fact.name, (fact.name,)))
    return facts


def _filters(form: InstrumentFilterForm) -> dict[str, Any]:
    if not form.is_valid():
        return {}
    return {name: form.cleaned_data.get(name) for name in FILTER_FIELDS}


@require(Perm.COOP_VIEW)
def treaty_list(request: SignedInRequest) -> HttpResponse:
    form = InstrumentFilterForm(request.GET or None, countries=selectors.country_choices(user=request.user))
    valid = form.is_valid() if form.is_bound else True
    filters = _filters(form) if form.is_bound else {}
    paginator = Paginator(selectors.instrument_list(user=request.user, filters=filters), PAGE_SIZE)
    page = paginator.get_page(request.GET.get("page"))
    query = {name: str(value) for name, value in filters.items() if value}
    context = {
        "form": form,
        "page": page,
        "instruments": page.object_list,
        "query": urlencode(query),
        "filtered": bool(query),
    }
    return render(request, "cooperation/treaty_list.html", context, status=200 if valid else 400)


@require(Perm.COOP_VIEW)
def treaty_detail(request: SignedInRequest, code: str) -> HttpResponse:
    instrument = selectors.instrument_get(user=request.user, code=code)
    audit_url = None
    if request.user.has_perm(Perm.VIEW_AUDIT):
        audit_url = (
            reverse("core:audit_list")
            + "?"
            + urlencode({"object_type": Instrument._meta.label_lower, "object_id": str(instrument.pk)})
        )
    context = {
        "instrument": instrument,
        "facts": instrument_facts(instrument),
        "wildcard_group": wildcard_group(instrument),
        "subjects_correction": _correction(instrument, "subjects"),
        "parties_correction": _correction(instrument, "parties"),
        "parties": instrument.party_rows,  # type: ignore[attr-defined]
        "history": selectors.instrument_history(user=request.user, instrument=instrument),
        "audit_url": audit_url,
    }
    return render(request, "cooperation/treaty_detail.html", context)


@require(Perm.COOP_MANAGE)
def treaty_add(request: SignedInRequest) -> HttpResponse:
    form = InstrumentAddForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                instrument = services.instrument_create(
                    by=request.user, request=request, **form.create_arguments()
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                messages.success(request, _("The instrument was added to the register."))
                return redirect("cooperation:treaty_detail", code=instrument.code)
        status = 400
    return render(request, "cooperation/treaty_form.html", {"form": form, "instrument": None}, status=status)


@require(Perm.COOP_MANAGE)
def treaty_edit(request: SignedInRequest, code: str) -> HttpResponse:
    instrument = access_instrument(user=request.user, code=code, for_write=True)
    form = InstrumentFactsForm(request.POST or None, instance=instrument)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                saved = services.instrument_update(
                    by=request.user,
                    instrument=instrument,
                    data=form.facts(),
                    source=form.cleaned_data["source"],
                    reason=form.cleaned_data["reason"],
                    request=request,
                )
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                if saved.updated_at == instrument.updated_at:
                    messages.info(request, _("Nothing was changed."))
                else:
                    messages.success(request, _("The correction was saved and recorded in the audit trail."))
                return redirect("cooperation:treaty_detail", code=instrument.code)
        status = 400
    return render(
        request, "cooperation/treaty_form.html", {"form": form, "instrument": instrument}, status=status
    )


@require(Perm.COOP_MANAGE)
def treaty_parties(request: SignedInRequest, code: str) -> HttpResponse:
    """GET lists the parties with a form to add one (or, with ?country=XX, to correct that row); POST saves the
    form (action=save) or removes a state (action=remove)."""
    instrument = access_instrument(user=request.user, code=code, for_write=True)
    parties = list(instrument.parties.select_related("country").order_by("country__name_en"))
    by_code = {p.country_id: p for p in parties}
    editing_code = str(request.POST.get("country") or request.GET.get("country") or "").strip().upper()
    editing = by_code.get(editing_code)
    bilateral = instrument.kind == Instrument.Kind.BILATERAL
    action = request.POST.get("action", "save")
    initial = _party_initial(editing) if editing else {"confidence": instrument.confidence}
    save_form = PartyForm(
        request.POST if request.method == "POST" and action == "save" else None,
        initial=initial,
        fixed_country=editing.country_id if editing else "",
    )
    remove_form = PartyRemoveForm(
        request.POST if request.method == "POST" and action == "remove" else None,
        initial={"country": editing.country_id} if editing else None,
    )
    status = 200
    if request.method == "POST":
        form: PartyForm | PartyRemoveForm = remove_form if action == "remove" else save_form
        if form.is_valid():
            try:
                if action == "remove":
                    services.instrument_party_remove(
                        by=request.user,
                        instrument=instrument,
                        country_iso2=remove_form.cleaned_data["country"],
                        source=remove_form.cleaned_data["source"],
                        reason=remove_form.cleaned_data["reason"],
                        request=request,
                    )
                    messages.success(request, _("The state was removed from the parties."))
                else:
                    services.instrument_party_save(
                        by=request.user, instrument=instrument, request=request, **save_form.save_arguments()
                    )
                    messages.success(request, _("The party was saved and recorded in the audit trail."))
            except ValidationError as error:
                add_service_errors(form, error)
            else:
                return redirect("cooperation:treaty_parties", code=instrument.code)
        status = 400
    context = {
        "instrument": instrument,
        "parties": parties,
        "editing": editing,
        "form": save_form,
        "remove_form": remove_form if editing and not bilateral else None,
        "bilateral": bilateral,
        "may_add": not bilateral or len(parties) < 2,
    }
    return render(request, "cooperation/treaty_parties.html", context, status=status)


def _party_initial(party: InstrumentParty) -> dict[str, Any]:
    return {
        "country": party.country_id,
        "status": party.status,
        "date": party.date,
        "date_precision": party.date_precision,
        "in_force_date": party.in_force_date,
        "source_url": party.source_url,
        "confidence": party.confidence,
        "note": party.note,
    }


urlpatterns: list[URLPattern] = [
    path("treaties/", treaty_list, name="treaty_list"),
    path("treaties/add/", treaty_add, name="treaty_add"),
    path("treaties/<slug:code>/", treaty_detail, name="treaty_detail"),
    path("treaties/<slug:code>/edit/", treaty_edit, name="treaty_edit"),
    path("treaties/<slug:code>/parties/", treaty_parties, name="treaty_parties"),
]
