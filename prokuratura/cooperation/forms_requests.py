"""The requests register's forms: the lifecycle's step forms (named in request_transitions.py), the list's filters,
recording and correcting a request (the legal basis offered from the resolver's answer), its persons, letters,
translations and the refusal-grounds checklist. Forms parse and offer choices; the services decide, and their
errors come back onto the form (core.forms.errors.add_service_errors)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from prokuratura.core.access import offices_visible_to
from prokuratura.core.actors import user_or_none
from prokuratura.core.forms.offices import OfficeChoiceField
from prokuratura.core.lifecycle import StepForm
from prokuratura.core.models import Office, Sensitivity

from .completeness import LANGUAGE_NAMES
from .models_requests import (
    KIND_SUBJECT,
    LETTER_LANGUAGES,
    Assurance,
    BasisKind,
    Direction,
    ExtraditionPurpose,
    Facts,
    GroundFinding,
    LetterDirection,
    Measure,
    PersonRole,
    RequestKind,
    RequestStatus,
    TranslationStatus,
    Urgency,
)
from .request_selectors import RequestFilters
from .request_services import TRANSLATION_MOVES, PersonData, RequestData
from .resolver import Candidate, Resolution, legal_basis_resolve

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

    from .models_requests import AssistanceRequest, RequestPerson, TranslationTask
    from .request_page_selectors import RequestChoices
    from .request_selectors import GroundRow

ANY = ("", _("Any"))
RECIPROCITY = "reciprocity"
# The fields whose change alters the resolver's answer, so the page asks for the legal bases again.
BASIS_INPUTS = (
    "partner",
    "kind",
    "offence_category",
    "focus_area",
    "transnational",
    "organised_group",
    "received_on",
)
KEY_FIELD_LENGTH = 64


def date_input() -> forms.DateInput:
    return forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


def _textarea(rows: int) -> forms.Textarea:
    return forms.Textarea(attrs={"rows": rows})


def submission_key_field() -> forms.CharField:
    return forms.CharField(widget=forms.HiddenInput, required=False, max_length=KEY_FIELD_LENGTH)


def _state_choices(choices: RequestChoices, empty: Any) -> list[Any]:
    return [
        ("", empty),
        (_("States with a bilateral treaty"), [(c.iso2, c.name) for c in choices.treaty_states]),
        (_("Other states"), [(c.iso2, c.name) for c in choices.other_states]),
    ]


# --- the lifecycle's steps ---------------------------------------------------------------------------------------


class NoInputStepForm(StepForm):
    """A step that asks nothing."""


class OptionalReasonForm(StepForm):
    reason = forms.CharField(label=_("Comment"), widget=_textarea(2), required=False)


class ReasonForm(StepForm):
    reason = forms.CharField(label=_("Reasons"), widget=_textarea(3))


class SendForm(StepForm):
    sent_on = forms.DateField(
        label=_("Sent on"), widget=date_input(), required=False, help_text=_("Today when left empty.")
    )


class AcknowledgeForm(StepForm):
    acknowledged_on = forms.DateField(
        label=_("Acknowledged on"), widget=date_input(), required=False, help_text=_("Today when left empty.")
    )
    foreign_reference = forms.CharField(label=_("The partner's reference"), max_length=100, required=False)


class ResultForm(StepForm):
    result = forms.ChoiceField(
        label=_("Result"),
        choices=[
            ("executed", _("Executed")),
            ("partly_executed", _("Partly executed")),
            ("refused", pgettext_lazy("request", "Refused")),
        ],
    )
    executed_on = forms.DateField(
        label=_("Dated"), widget=date_input(), required=False, help_text=_("Today when left empty.")
    )
    outcome = forms.CharField(label=_("Outcome"), widget=_textarea(3))


class AssignForm(StepForm):
    executing_body = forms.CharField(
        label=_("Executing body"),
        max_length=300,
        required=False,
        help_text=_("E.g. the investigation department that will execute the request."),
    )
    executing_office = OfficeChoiceField(
        label=_("Executing prosecutor's office"), queryset=Office.objects.none(), required=False
    )

    def setup(self) -> None:
        field: Any = self.fields["executing_office"]
        user = user_or_none(self.actor)
        offices = offices_visible_to(user=user) if user is not None else Office.objects.none()
        field.queryset = offices.filter(is_active=True).order_by("path")


class ExecutionForm(StepForm):
    executed_on = forms.DateField(
        label=_("Executed on"), widget=date_input(), required=False, help_text=_("Today when left empty.")
    )
    outcome = forms.CharField(label=_("Outcome"), widget=_textarea(3))
    partly = forms.BooleanField(label=_("Executed in part only"), required=False)


class MaterialsForm(StepForm):
    materials_sent_on = forms.DateField(
        label=_("Materials sent on"),
        widget=date_input(),
        required=False,
        help_text=_("Today when left empty."),
    )


# --- the list's filters ------------------------------------------------------------------------------------------


class RequestFilterForm(forms.Form):
    q = forms.CharField(
        label=_("Search"),
        max_length=200,
        required=False,
        widget=forms.TextInput(attrs={"type": "search"}),
        help_text=_("Number, case number, foreign authority, the partner's reference or the article."),
    )
    direction = forms.ChoiceField(label=_("Direction"), choices=[ANY, *Direction.choices], required=False)
    kind = forms.ChoiceField(label=_("Kind"), choices=[ANY, *RequestKind.choices], required=False)
    status = forms.ChoiceField(label=_("Status"), choices=[ANY, *RequestStatus.choices], required=False)
    partner = forms.ChoiceField(label=_("Partner state"), required=False)
    focus_area = forms.ChoiceField(label=_("Focus area"), required=False)
    office = OfficeChoiceField(
        label=_("Office and below"), queryset=Office.objects.none(), required=False, empty_label=_("All")
    )
    date_from = forms.DateField(label=_("Sent or received from"), required=False, widget=date_input())
    date_to = forms.DateField(label=_("Sent or received until"), required=False, widget=date_input())
    open_only = forms.BooleanField(label=_("Open only"), required=False)
    overdue = forms.BooleanField(label=_("Overdue only"), required=False)
    mine = forms.BooleanField(label=_("Only those I am in charge of"), required=False)

    def __init__(self, data: Any = None, *, user: User, choices: RequestChoices, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        fields: Any = self.fields
        fields["office"].queryset = offices_visible_to(user=user).order_by("path")
        fields["partner"].choices = _state_choices(choices, _("Any"))
        fields["focus_area"].choices = [ANY, *((c.code, c.name) for c in choices.focus_areas)]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end of the period is before its start."))
        return data

    def filters(self) -> RequestFilters:
        """The selector's filters: none when the form is not valid (the list then shows everything)."""
        if not self.is_bound or not self.is_valid():
            return RequestFilters()
        d = self.cleaned_data
        return RequestFilters(
            q=d.get("q") or "",
            direction=d.get("direction") or "",
            kind=d.get("kind") or "",
            status=d.get("status") or "",
            partner=d.get("partner") or "",
            focus_area=d.get("focus_area") or "",
            office=d.get("office"),
            date_from=d.get("date_from"),
            date_to=d.get("date_to"),
            open_only=bool(d.get("open_only")),
            overdue=bool(d.get("overdue")),
            mine=bool(d.get("mine")),
        )


# --- recording and correcting a request ----------------------------------------------------------------------------


class BasisOption:
    """One choice of the legal basis as the form shows it: the radio button and what the resolver says of it."""

    def __init__(self, widget: Any, candidate: Candidate | None) -> None:
        self.widget, self.candidate = widget, candidate


class RequestForm(forms.Form):
    """Record a request (`record` None: `direction` and the office, and for an incoming one the date received) or
    correct one. The legal basis is chosen from the resolver's answer for the partner, kind and offence entered
    (`legal_basis_resolve`), or reciprocity with its assurance; the page asks for that answer again whenever one of
    BASIS_INPUTS changes."""

    # The partner and the basis.
    kind = forms.ChoiceField(label=_("Kind of request"), choices=RequestKind.choices, initial=RequestKind.MLA)
    partner = forms.ChoiceField(label=_("Partner state"))
    offence_category = forms.ChoiceField(
        label=_("Offence: ICCS section"),
        required=False,
        help_text=_("UNODC International Classification of Crime for Statistical Purposes."),
    )
    focus_area = forms.ChoiceField(
        label=_("Offence: focus area"),
        required=False,
        help_text=_("Terrorism and extremism matters are restricted."),
    )
    basis = forms.ChoiceField(
        label=_("Legal basis"),
        widget=forms.RadioSelect,
        required=False,
        error_messages={
            "invalid_choice": _(
                "This treaty or convention is not a legal basis for the partner, kind and offence chosen: choose "
                "one of those offered."
            )
        },
    )
    reciprocity_assurance = forms.CharField(
        label=_("Assurance of reciprocity"),
        widget=_textarea(2),
        required=False,
        help_text=_("Only for a request on reciprocity: the assurance given or asked for."),
    )
    foreign_authority = forms.CharField(label=_("Foreign authority"), max_length=300)
    foreign_reference = forms.CharField(label=_("The partner's reference"), max_length=100, required=False)
    urgency = forms.ChoiceField(label=_("Urgency"), choices=Urgency.choices, initial=Urgency.NORMAL)

    # The case and the offence.
    case_number = forms.CharField(
        label=_("Pre-trial investigation number (URPI)"), max_length=30, required=False
    )
    offence_article = forms.CharField(label=_("Criminal code article"), max_length=200, required=False)
    transnational = forms.ChoiceField(
        label=_("Is the offence transnational?"), choices=Facts.choices, initial=Facts.UNKNOWN
    )
    organised_group = forms.ChoiceField(
        label=_("Is an organised criminal group involved?"), choices=Facts.choices, initial=Facts.UNKNOWN
    )

    # The contents (UNTOC art. 18(15)).
    measures = forms.MultipleChoiceField(
        label=_("Assistance sought (mutual legal assistance)"),
        choices=Measure.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    requesting_authority = forms.CharField(label=_("Requesting authority"), max_length=300, required=False)
    proceedings_subject = forms.CharField(
        label=_("Subject and nature of the proceedings"), widget=_textarea(3), required=False
    )
    conducting_authority = forms.CharField(
        label=_("Authority conducting the proceedings"), max_length=300, required=False
    )
    facts_summary = forms.CharField(label=_("Summary of the facts"), widget=_textarea(4), required=False)
    assistance_sought = forms.CharField(
        label=_("Assistance sought, in detail"), widget=_textarea(3), required=False
    )
    procedure = forms.CharField(
        label=_("Particular procedure to follow"), widget=_textarea(2), required=False
    )
    purpose = forms.CharField(label=_("Purpose of the request"), widget=_textarea(2), required=False)

    # Extradition and transfers.
    extradition_purpose = forms.ChoiceField(
        label=_("Purpose of the extradition"),
        choices=[("", _("— not an extradition —")), *ExtraditionPurpose.choices],
        required=False,
    )
    penalty = forms.CharField(label=_("Penalty under the provision"), max_length=300, required=False)
    limitation = forms.CharField(label=_("Limitation provision"), max_length=300, required=False)
    warrant = forms.CharField(label=_("Arrest warrant (court, date)"), max_length=300, required=False)
    judgment = forms.CharField(label=_("Enforceable judgment (court, date)"), max_length=300, required=False)
    sentence_remaining = forms.CharField(label=_("Time left to serve"), max_length=100, required=False)
    assurances = forms.MultipleChoiceField(
        label=_("Assurances given"),
        choices=Assurance.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )

    # Handling.
    language = forms.ChoiceField(label=_("Language of the request"), choices=LETTER_LANGUAGES, initial="ru")
    sensitivity = forms.ChoiceField(
        label=_("Who may read the record"),
        choices=Sensitivity.choices,
        initial=Sensitivity.INTERNAL,
        help_text=_("Terrorism and extremism matters are always restricted."),
    )
    office = OfficeChoiceField(label=_("Office"), queryset=Office.objects.none())
    received_on = forms.DateField(label=_("Received on"), widget=date_input())
    dated = forms.DateField(label=_("The request is dated"), widget=date_input(), required=False)
    submission_key = submission_key_field()

    def __init__(
        self,
        data: Any = None,
        *,
        user: User,
        direction: str,
        choices: RequestChoices,
        today: dt.date,
        record: AssistanceRequest | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(data, **kwargs)
        self.user, self.direction, self.record, self.today = user, direction, record, today
        self.states = choices.partners()
        self.categories = choices.categories()
        fields: Any = self.fields
        fields["partner"].choices = _state_choices(choices, _("— choose a state —"))
        fields["offence_category"].choices = [("", _("— none —"))] + [
            (c.code, f"{c.code} {c.name}") for c in choices.iccs_sections
        ]
        fields["focus_area"].choices = [("", _("— none —"))] + [(c.code, c.name) for c in choices.focus_areas]
        incoming = direction == Direction.INCOMING
        if record is not None:
            for name in ("office", "received_on", "submission_key"):
                del self.fields[name]
        else:
            own = user.office
            fields["office"].queryset = (
                offices_visible_to(user=user).filter(is_active=True).order_by("path")
                if own is not None
                else Office.objects.none()
            )
            if not incoming:
                del self.fields["received_on"]
        if not incoming:
            del self.fields["dated"]
        self.resolution: Resolution | None = None
        self.resolver_problem = ""
        self._offer_bases()

    # --- the legal basis from the resolver ---

    def _value(self, name: str) -> str:
        if self.is_bound:
            return str(self.data.get(self.add_prefix(name), "") or "")
        value = self.initial.get(name, self.fields[name].initial if name in self.fields else "")
        return str(value or "")

    def on_date(self) -> dt.date:
        """The date the resolver is asked about: the date an incoming request was received, else today."""
        if self.record is not None:
            return self.record.received_on or self.today
        if "received_on" in self.fields:
            raw = self._value("received_on")
            try:
                return dt.date.fromisoformat(raw) if raw else self.today
            except ValueError:
                return self.today
        return self.today

    def _offer_bases(self) -> None:
        partner, kind = self._value("partner").upper(), self._value("kind")
        options: list[tuple[str, str]] = []
        if partner in self.states and kind in RequestKind.values:
            try:
                self.resolution = legal_basis_resolve(
                    country=partner,
                    kind=KIND_SUBJECT[RequestKind(kind)],
                    on_date=self.on_date(),
                    iccs_section=self._value("offence_category"),
                    focus_area=self._value("focus_area"),
                    facts={
                        "transnational": self._value("transnational") or "unknown",
                        "organised_group": self._value("organised_group") or "unknown",
                    },
                )
            except ValidationError as error:
                self.resolver_problem = " ".join(error.messages)
        if self.resolution is not None:
            options = [
                (str(c.instrument.pk), c.instrument.title)
                for c in self.resolution.applicable
                if c.instrument is not None
            ]
        options.append((RECIPROCITY, gettext("Reciprocity, with a written assurance of reciprocity")))
        basis: Any = self.fields["basis"]
        basis.choices = options

    @property
    def asked(self) -> bool:
        """The partner and the kind are chosen, so the resolver has answered."""
        return self.resolution is not None

    def basis_options(self) -> list[BasisOption]:
        by_pk = {
            str(c.instrument.pk): c
            for c in (self.resolution.applicable if self.resolution else [])
            if c.instrument is not None
        }
        reciprocity = self.resolution.reciprocity if self.resolution else None
        return [
            BasisOption(w, by_pk.get(str(w.data["value"]), reciprocity)) for w in self["basis"].subwidgets
        ]

    def not_applicable(self) -> list[Candidate]:
        return self.resolution.not_applicable if self.resolution else []

    # --- parsing ---

    def clean_partner(self) -> str:
        code = (self.cleaned_data.get("partner") or "").upper()
        if code not in self.states:
            raise ValidationError(_("Choose a state of the register."))
        return code

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("basis") and not self.has_error("basis"):
            self.add_error("basis", _("Choose the legal basis: a treaty or convention, or reciprocity."))
        return data

    def data_for_service(self) -> RequestData:
        d = self.cleaned_data
        chosen = d["basis"]
        instruments = {
            str(c.instrument.pk): c.instrument
            for c in (self.resolution.applicable if self.resolution else [])
            if c.instrument is not None
        }
        values: dict[str, Any] = {
            name: d.get(name, "") or ""
            for name in (
                "kind",
                "foreign_authority",
                "foreign_reference",
                "urgency",
                "case_number",
                "offence_article",
                "transnational",
                "organised_group",
                "requesting_authority",
                "proceedings_subject",
                "conducting_authority",
                "facts_summary",
                "assistance_sought",
                "procedure",
                "purpose",
                "extradition_purpose",
                "penalty",
                "limitation",
                "warrant",
                "judgment",
                "sentence_remaining",
                "language",
            )
        }
        return RequestData(
            **values,
            partner=self.states[d["partner"]],
            basis_kind=BasisKind.RECIPROCITY if chosen == RECIPROCITY else BasisKind.INSTRUMENT,
            basis=None if chosen == RECIPROCITY else instruments.get(chosen),
            reciprocity_assurance=d.get("reciprocity_assurance", "") if chosen == RECIPROCITY else "",
            measures=list(d.get("measures") or []),
            assurances=list(d.get("assurances") or []),
            offence_category=self.categories.get(d.get("offence_category") or ""),
            focus_area=self.categories.get(d.get("focus_area") or ""),
            prosecutor=self.record.prosecutor if self.record is not None else None,
            dated=d.get("dated"),
        )

    @staticmethod
    def initial_from(record: AssistanceRequest) -> dict[str, Any]:
        initial: dict[str, Any] = {
            name: getattr(record, name)
            for name in (
                "kind",
                "foreign_authority",
                "foreign_reference",
                "urgency",
                "reciprocity_assurance",
                "case_number",
                "offence_article",
                "transnational",
                "organised_group",
                "requesting_authority",
                "proceedings_subject",
                "conducting_authority",
                "facts_summary",
                "assistance_sought",
                "procedure",
                "purpose",
                "extradition_purpose",
                "penalty",
                "limitation",
                "warrant",
                "judgment",
                "sentence_remaining",
                "language",
                "sensitivity",
                "dated",
                "measures",
                "assurances",
            )
        }
        initial["partner"] = record.partner_id
        initial["offence_category"] = record.offence_category.code if record.offence_category else ""
        initial["focus_area"] = record.focus_area.code if record.focus_area else ""
        if record.basis_kind == BasisKind.RECIPROCITY:
            initial["basis"] = RECIPROCITY
        elif record.basis_id:
            initial["basis"] = str(record.basis_id)
        return initial


# The service's names for what the form asks under another name.
REQUEST_ERROR_FIELDS = {"basis_kind": "basis"}


# --- persons, letters, translations, the refusal checklist ------------------------------------------------------


class PersonForm(forms.Form):
    role = forms.ChoiceField(label=_("Role"), choices=PersonRole.choices)
    full_name = forms.CharField(label=_("Full name"), max_length=300)
    birth_date = forms.DateField(label=_("Date of birth"), widget=date_input(), required=False)
    nationality = forms.ChoiceField(label=_("Nationality"), required=False)
    stateless = forms.BooleanField(label=_("Stateless"), required=False)
    location = forms.CharField(label=_("Location"), max_length=300, required=False)
    identity_document = forms.CharField(label=_("Identity document"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Description (appearance, identifying marks)"), widget=_textarea(3), required=False
    )

    def __init__(self, data: Any = None, *, choices: RequestChoices, **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self.states = choices.nationalities()
        nationality: Any = self.fields["nationality"]
        ordered = sorted(self.states.values(), key=lambda c: c.name.casefold())
        nationality.choices = [("", _("— not known —")), *((c.iso2, c.name) for c in ordered)]

    def data_for_service(self) -> PersonData:
        d = self.cleaned_data
        return PersonData(
            role=d["role"],
            full_name=d["full_name"],
            birth_date=d.get("birth_date"),
            nationality=self.states.get(d.get("nationality") or ""),
            stateless=bool(d.get("stateless")),
            location=d.get("location") or "",
            identity_document=d.get("identity_document") or "",
            description=d.get("description") or "",
        )

    @staticmethod
    def initial_from(person: RequestPerson) -> dict[str, Any]:
        return {
            "role": person.role,
            "full_name": person.full_name,
            "birth_date": person.birth_date,
            "nationality": person.nationality_id or "",
            "stateless": person.stateless,
            "location": person.location,
            "identity_document": person.identity_document,
            "description": person.description,
        }


class LetterForm(forms.Form):
    direction = forms.ChoiceField(label=_("Letter"), choices=LetterDirection.choices)
    dated = forms.DateField(label=_("Dated"), widget=date_input())
    reference = forms.CharField(label=_("Reference"), max_length=100, required=False)
    counterpart = forms.CharField(label=_("From or to"), max_length=300)
    summary = forms.CharField(label=_("Summary"), widget=_textarea(3))
    attachment = forms.FileField(label=_("Attachment"), required=False)
    submission_key = submission_key_field()


class TranslationOrderForm(forms.Form):
    language = forms.ChoiceField(label=_("Into"))
    document = forms.CharField(label=_("Document"), max_length=200)
    due_date = forms.DateField(label=_("Due"), widget=date_input(), required=False)
    translator = forms.CharField(label=_("Translator"), max_length=200, required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        language: Any = self.fields["language"]
        named = sorted(((code, gettext(name)) for code, name in LANGUAGE_NAMES.items()), key=lambda c: c[1])
        language.choices = [("", _("— choose a language —")), *named]


class TranslationStatusForm(forms.Form):
    """Move one translation on (its next statuses only)."""

    status = forms.ChoiceField(label=_("New status"))
    done_on = forms.DateField(
        label=_("Done on"), widget=date_input(), required=False, help_text=_("Today when left empty.")
    )

    def __init__(self, *args: Any, task: TranslationTask, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"translation-{task.pk}-%s")
        super().__init__(*args, **kwargs)
        self.task = task
        moves = TRANSLATION_MOVES.get(TranslationStatus(task.status), set())
        status: Any = self.fields["status"]
        status.choices = [(s.value, s.label) for s in TranslationStatus if s in moves]

    @property
    def open(self) -> bool:
        status: Any = self.fields["status"]
        return bool(status.choices)


class GroundsForm(forms.Form):
    """The refusal-grounds checklist: for each ground its finding and a note, with what the record suggests."""

    def __init__(self, data: Any = None, *, rows: list[GroundRow], **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", "ground-%s")
        super().__init__(data, **kwargs)
        self.ground_rows = rows
        for row in rows:
            self.fields[f"finding_{row.ground}"] = forms.ChoiceField(
                label=_("Finding"), choices=GroundFinding.choices, initial=row.finding
            )
            self.fields[f"note_{row.ground}"] = forms.CharField(
                label=_("Note"), widget=_textarea(2), required=False, initial=row.note
            )

    def rows(self) -> list[tuple[GroundRow, forms.BoundField, forms.BoundField]]:
        return [(r, self[f"finding_{r.ground}"], self[f"note_{r.ground}"]) for r in self.ground_rows]

    def findings(self) -> dict[str, tuple[str, str]]:
        d = self.cleaned_data
        return {
            r.ground: (d[f"finding_{r.ground}"], d.get(f"note_{r.ground}") or "") for r in self.ground_rows
        }

    def error_fields(self) -> dict[str, str]:
        """The service names a ground; its message goes next to the ground's note."""
        return {r.ground: f"note_{r.ground}" for r in self.ground_rows}
