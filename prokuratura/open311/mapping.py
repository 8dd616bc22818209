"""How GeoReport v2 maps onto appeals (docs/OPEN311.md has the whole table).

- A *service* is an active appeal `Topic`; its `service_code` is the topic's code.
- A service's *definition* asks, as attributes, for what the intake needs and Open311 lacks: the region (routing),
  the kind of appeal, the kind of applicant, the consent to the processing of personal data, and a few optional
  details. Every service has the same attributes.
- A *service request* is an appeal; its `service_request_id` is the appeal's public tracking code, and what a
  request shows is what the public status page shows of it: never the applicant, the text or the answer.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.http import QueryDict
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.functional import Promise
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from prokuratura.appeals.models import Appeal, AppealKind, ApplicantType, ReceivedVia, Status, Topic
from prokuratura.appeals.rules import rule
from prokuratura.appeals.services.intake import AppealData
from prokuratura.core.models import Region
from prokuratura.core.validators import validate_bin, validate_iin

from .protocol import Open311Error, end_of_day, w3

SPEC_URL = "http://wiki.open311.org/GeoReport_v2"
# What the attribute codes and the service definitions look like changed last at this time (the discovery
# document's changeset; topics edited by administrators do not move it).
CHANGESET = "2026-12-05 00:00"

DESCRIPTION_MAX = 100_000  # the REST API's limit; the spec suggests 4,000 to clients
NAME_MAX = 300
ADDRESS_MAX = 500
SUBJECT_FROM_DESCRIPTION = 120
CONSENT_YES = "yes"
TRUE_WORDS = frozenset({"yes", "true", "1", "on"})

# The kinds a member of the public files (the public form's list: no "response", which is staff's to record).
PUBLIC_KINDS = [(value, label) for value, label in AppealKind.choices if value != AppealKind.RESPONSE]


@dataclass(frozen=True)
class Attribute:
    code: str
    datatype: str  # string, number, datetime, text, singlevaluelist, multivaluelist
    required: bool
    description: Promise
    datatype_description: Promise | None = None
    values: Callable[[list[Region]], list[tuple[str, Any]]] | None = None


def _region_values(regions: list[Region]) -> list[tuple[str, Any]]:
    return [(region.kato_code, region.name) for region in regions]


ATTRIBUTES: tuple[Attribute, ...] = (
    Attribute(
        "region",
        "singlevaluelist",
        True,
        gettext_lazy("Region or city of republican significance the appeal concerns"),
        gettext_lazy("The KATO code of the region"),
        _region_values,
    ),
    Attribute(
        "kind",
        "singlevaluelist",
        True,
        gettext_lazy("Kind of appeal"),
        None,
        lambda _regions: list(PUBLIC_KINDS),
    ),
    Attribute(
        "applicant_type",
        "singlevaluelist",
        False,
        gettext_lazy(
            "Who writes (an individual when not given). Anonymous appeals are not considered, except reports of "
            "a crime or of a threat to security."
        ),
        None,
        lambda _regions: list(ApplicantType.choices),
    ),
    Attribute(
        "consent_personal_data",
        "singlevaluelist",
        True,
        gettext_lazy("Consent to the processing of personal data (Law No. 94-V, art. 8)"),
        None,
        lambda _regions: [
            (
                CONSENT_YES,
                gettext_lazy(
                    "I consent to the processing of my personal data for the consideration of this appeal"
                ),
            )
        ],
    ),
    Attribute(
        "organisation_name",
        "string",
        False,
        gettext_lazy("For an organisation: its name (first_name and last_name then name its contact person)"),
    ),
    Attribute(
        "organisation_bin",
        "string",
        False,
        gettext_lazy("For an organisation: its BIN"),
        gettext_lazy("12 digits"),
    ),
    Attribute(
        "iin",
        "string",
        False,
        gettext_lazy("Your individual identification number (IIN), if you wish to give it"),
        gettext_lazy("12 digits"),
    ),
    Attribute(
        "subject",
        "string",
        False,
        gettext_lazy(
            "Subject of the appeal in a few words (the beginning of the description when not given)"
        ),
    ),
    Attribute(
        "respondent_body",
        "string",
        False,
        gettext_lazy("The body or organisation whose actions the appeal is about"),
    ),
    Attribute(
        "decision_learned_on",
        "datetime",
        False,
        gettext_lazy("For a complaint about a decision: when you learned of the decision"),
        gettext_lazy("A date, e.g. 2026-11-30"),
    ),
)
ATTRIBUTE_CODES = frozenset(a.code for a in ATTRIBUTES)


# --- services --------------------------------------------------------------------------------------------------


def service_dict(topic: Topic) -> dict[str, Any]:
    names = dict.fromkeys(n for n in (topic.name, topic.name_kk, topic.name_ru, topic.name_en) if n)
    return {
        "service_code": topic.code,
        "service_name": topic.name,
        "description": _(
            "An appeal to the prosecutor's office on: %(topic)s. It is considered within %(days)s working days "
            "(Administrative Procedural and Process Code, art. 76)."
        )
        % {"topic": topic.name, "days": rule("review_working_days")},
        "metadata": True,
        "type": "realtime",
        "keywords": ", ".join(names),
        "group": _("Appeals to the prosecutor's office"),
    }


def service_definition_dict(topic: Topic, regions: list[Region]) -> dict[str, Any]:
    attributes = []
    for order, attribute in enumerate(ATTRIBUTES, start=1):
        values = attribute.values(regions) if attribute.values else []
        attributes.append(
            {
                "variable": True,
                "code": attribute.code,
                "datatype": attribute.datatype,
                "required": attribute.required,
                "datatype_description": (
                    str(attribute.datatype_description) if attribute.datatype_description else None
                ),
                "order": order,
                "description": str(attribute.description),
                "values": [{"key": key, "name": str(name)} for key, name in values],
            }
        )
    return {"service_code": topic.code, "attributes": attributes}


# --- service requests (what the public status page shows) ------------------------------------------------------


def _date(day: dt.date) -> str:
    return f"{day:%d.%m.%Y}"


def public_stage(appeal: Appeal) -> str:
    """The stage as the public status page names it: an answer recorded but not yet sent (an open appeal with a
    decision: awaiting a head's sign-off) is still the review going on."""
    if appeal.is_open and appeal.outcome:
        return str(Status.IN_REVIEW.label)
    return str(appeal.get_status_display())


def status_notes(appeal: Appeal) -> str:
    """The stage, and what the status page says of the outcome: the decision and its date once the answer has gone
    out (the appeal is no longer open), the body it went to, an extended term."""
    notes = [_("Stage: %(stage)s.") % {"stage": public_stage(appeal)}]
    if appeal.is_open and appeal.extended_until:
        notes.append(_("The term was extended to %(date)s.") % {"date": _date(appeal.extended_until)})
    if appeal.forwarded_to:
        notes.append(_("Forwarded to: %(body)s.") % {"body": appeal.forwarded_to})
    if not appeal.is_open and appeal.outcome:
        notes.append(_("Decision: %(outcome)s.") % {"outcome": appeal.get_outcome_display()})
    if not appeal.is_open and appeal.answered_on:
        notes.append(_("Answered on %(date)s.") % {"date": _date(appeal.answered_on)})
    return " ".join(notes)


def request_notice(appeal: Appeal, status_url: str) -> str:
    return _(
        "Appeal No. %(number)s of %(date)s. The holder of the tracking code reads the answer and the letters on the "
        "status page: %(url)s"
    ) % {"number": appeal.reg_number, "date": _date(appeal.registered_on), "url": status_url}


def request_dict(appeal: Appeal, status_url: str) -> dict[str, Any]:
    """One `<request>`. Reads `appeal.office` and `appeal.topic` (select them with the appeal)."""
    return {
        "service_request_id": appeal.tracking_code,
        "status": "open" if appeal.is_open else "closed",
        "status_notes": status_notes(appeal),
        "service_name": appeal.topic.name,
        "service_code": appeal.topic.code,
        # The appeal's text, the place and the applicant are the applicant's own and stay out of a public answer.
        "description": None,
        "agency_responsible": appeal.office.name,
        "service_notice": request_notice(appeal, status_url),
        "requested_datetime": w3(appeal.received_at),
        "updated_datetime": w3(appeal.updated_at),
        "expected_datetime": w3(end_of_day(appeal.due_date)),
        "address": None,
        "address_id": None,
        "zipcode": None,
        "lat": None,
        "long": None,
        "media_url": None,
    }


def created_notice(appeal: Appeal, status_url: str) -> str:
    if appeal.applicant_type == ApplicantType.ANONYMOUS:
        return _(
            "The appeal is registered under No. %(number)s of %(date)s. Anonymous appeals are not considered, "
            "except reports of a crime or of a threat to security. Status page: %(url)s"
        ) % {"number": appeal.reg_number, "date": _date(appeal.registered_on), "url": status_url}
    return _(
        "The appeal is registered under No. %(number)s of %(date)s and will be considered by %(due)s. Keep the "
        "tracking code: it is the only key to the status page, %(url)s"
    ) % {
        "number": appeal.reg_number,
        "date": _date(appeal.registered_on),
        "due": _date(appeal.due_date),
        "url": status_url,
    }


def created_dict(appeal: Appeal, status_url: str) -> dict[str, Any]:
    return {
        "service_request_id": appeal.tracking_code,
        "service_notice": created_notice(appeal, status_url),
        "account_id": None,
    }


# --- parsing a POST into the intake's AppealData -----------------------------------------------------------------


def param_label(name: str) -> str:
    """How an error names a parameter: as the client sent it, `attribute[code]` for an attribute."""
    return f"attribute[{name}]" if name in ATTRIBUTE_CODES else name


def _describe(param: str, message: str) -> str:
    return _("%(param)s: %(message)s") % {"param": param_label(param), "message": message}


_ATTRIBUTE_KEY = re.compile(r"^attribute\[([^\[\]]+)\](\[\])?$")


def attribute_values(params: QueryDict) -> dict[str, list[str]]:
    """`attribute[code]=v` and `attribute[code][]=v1&attribute[code][]=v2` → {code: [values]}."""
    found: dict[str, list[str]] = {}
    for key, values in params.lists():
        match = _ATTRIBUTE_KEY.match(key)
        if match:
            found.setdefault(match.group(1), []).extend(v.strip() for v in values)
    return found


def _one(values: dict[str, list[str]], code: str, errors: dict[str, list[str]]) -> str:
    given = [v for v in values.get(code, []) if v]
    if len(given) > 1:
        errors.setdefault(code, []).append(_("Give one value only."))
    return given[0] if given else ""


def _plain(params: QueryDict, name: str) -> str:
    return (params.get(name) or "").strip()


def _coordinate(raw: str, limit: int) -> float | None:
    try:
        value = float(raw)
    except ValueError:
        return None
    return value if -limit <= value <= limit else None


def _subject_from(description: str) -> str:
    first_line = next((line.strip() for line in description.splitlines() if line.strip()), "")
    if len(first_line) <= SUBJECT_FROM_DESCRIPTION:
        return first_line
    cut = first_line[:SUBJECT_FROM_DESCRIPTION].rsplit(" ", 1)[0].rstrip(" ,.;:")
    return f"{cut}…"


def _learned_on(raw: str) -> dt.date | None:
    try:
        moment = parse_datetime(raw)
        return moment.date() if moment else parse_date(raw)
    except ValueError:
        return None


def appeal_data(params: QueryDict, *, topic: Topic, regions: Iterable[Region], language: str) -> AppealData:
    """A POST's parameters as the intake's AppealData; every bad parameter is named at once (Open311Error 400).

    What the intake checks itself (names for the kind of applicant, consent, dates in the future) it checks again
    in `appeal_register`; its errors come back through `intake_errors`."""
    errors: dict[str, list[str]] = {}
    values = attribute_values(params)

    def bad(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    for attribute in ATTRIBUTES:
        if attribute.required and not any(values.get(attribute.code, [])):
            bad(attribute.code, _("This attribute is required (see the service definition)."))

    region_code = _one(values, "region", errors)
    region = next((r for r in regions if r.kato_code == region_code), None)
    if region_code and region is None:
        bad("region", _("Unknown region code."))
    kind = _one(values, "kind", errors)
    if kind and kind not in dict(PUBLIC_KINDS):
        bad("kind", _("Choose one of the kinds the service definition lists."))
    applicant_type = _one(values, "applicant_type", errors) or ApplicantType.INDIVIDUAL
    if applicant_type not in ApplicantType.values:
        bad("applicant_type", _("Choose one of the kinds of applicant the service definition lists."))
    consent = _one(values, "consent_personal_data", errors)
    if consent and consent.lower() not in TRUE_WORDS:
        bad("consent_personal_data", _("Send the value “yes” to give the consent."))

    first_name, last_name = _plain(params, "first_name"), _plain(params, "last_name")
    person = " ".join(part for part in (last_name, first_name) if part)
    organisation = _one(values, "organisation_name", errors)
    applicant_name = organisation if applicant_type == ApplicantType.ORGANISATION else person
    if len(applicant_name) > NAME_MAX:
        bad("organisation_name" if organisation else "first_name, last_name", _("At most 300 characters."))
    bin_ = _one(values, "organisation_bin", errors)
    iin = _one(values, "iin", errors)
    for code, value, validator in (("organisation_bin", bin_, validate_bin), ("iin", iin, validate_iin)):
        if value:
            try:
                validator(value)
            except ValidationError as exc:
                for message in exc.messages:
                    bad(code, message)

    email, phone = _plain(params, "email"), _plain(params, "phone")
    if email:
        try:
            EmailValidator()(email)
        except ValidationError:
            bad("email", _("Enter a valid e-mail address."))
    if len(phone) > 40:
        bad("phone", _("At most 40 characters."))

    description = (params.get("description") or "").strip()
    if not description:
        bad("description", _("Describe the matter of the appeal."))
    elif len(description) > DESCRIPTION_MAX:
        bad("description", _("At most 100,000 characters."))
    subject = _one(values, "subject", errors) or _subject_from(description)
    if len(subject) > NAME_MAX:
        bad("subject", _("At most 300 characters."))
    respondent_body = _one(values, "respondent_body", errors)
    if len(respondent_body) > NAME_MAX:
        bad("respondent_body", _("At most 300 characters."))
    learned_raw = _one(values, "decision_learned_on", errors)
    learned_on = _learned_on(learned_raw) if learned_raw else None
    if learned_raw and learned_on is None:
        bad("decision_learned_on", _("Give a date, e.g. 2026-11-30."))

    place = _place(params, bad)
    media_url = _plain(params, "media_url")
    if media_url:
        try:
            URLValidator(schemes=["http", "https"])(media_url)
        except ValidationError:
            bad("media_url", _("Give an http or https address."))

    if errors or region is None:  # a missing or unknown region is among the errors
        raise Open311Error(
            400, *(_describe(name, message) for name, messages in errors.items() for message in messages)
        )

    given = []
    if applicant_type == ApplicantType.ORGANISATION and person:
        given.append(_("Contact person: %(name)s") % {"name": person})
    given.extend(place)
    if media_url:
        given.append(
            _("Media (a link the applicant gave; not opened by the service): %(url)s") % {"url": media_url}
        )
    text = description
    if given:
        text = "\n\n".join([description, "\n".join([_("Given through Open311:"), *given])])
    return AppealData(
        kind=kind,
        subject=subject,
        text=text,
        region=region,
        topic=topic,
        applicant_type=applicant_type,
        received_via=ReceivedVia.WEB,
        applicant_name=applicant_name,
        applicant_iin=iin,
        applicant_bin=bin_,
        applicant_email=email,
        applicant_phone=phone,
        applicant_language=language,
        consent_personal_data=bool(consent),
        respondent_body=respondent_body,
        decision_learned_on=learned_on,
    )


def _place(params: QueryDict, bad: Callable[[str, str], None]) -> list[str]:
    """The location parameters, as lines for the appeal's text (the intake has no place of its own)."""
    lines = []
    address = _plain(params, "address_string")
    if len(address) > ADDRESS_MAX:
        bad("address_string", _("At most 500 characters."))
    elif address:
        lines.append(_("Place: %(address)s") % {"address": address})
    address_id = _plain(params, "address_id")
    if len(address_id) > 100:
        bad("address_id", _("At most 100 characters."))
    elif address_id:
        lines.append(_("Address identifier: %(id)s") % {"id": address_id})
    lat_raw, long_raw = _plain(params, "lat"), _plain(params, "long")
    if lat_raw or long_raw:
        lat, long = _coordinate(lat_raw, 90), _coordinate(long_raw, 180)
        if lat is None:
            bad("lat", _("Give the latitude in degrees (WGS84), from -90 to 90, together with long."))
        if long is None:
            bad("long", _("Give the longitude in degrees (WGS84), from -180 to 180, together with lat."))
        if lat is not None and long is not None:
            lines.append(_("Coordinates (WGS84): %(lat)s, %(long)s") % {"lat": lat_raw, "long": long_raw})
    return lines


# The intake's field names → the Open311 parameter the client sent.
INTAKE_FIELDS = {
    "kind": "kind",
    "applicant_name": "first_name, last_name",
    "applicant_iin": "iin",
    "applicant_bin": "organisation_bin",
    "applicant_email": "email",
    "applicant_phone": "phone",
    "consent_personal_data": "consent_personal_data",
    "subject": "subject",
    "text": "description",
    "respondent_body": "respondent_body",
    "decision_learned_on": "decision_learned_on",
    "region": "region",
    "topic": "service_code",
}


def intake_errors(exc: ValidationError, *, applicant_type: str) -> list[str]:
    """The intake's refusal, each message naming the parameter the client sent."""
    if not hasattr(exc, "error_dict"):
        return [str(m) for m in exc.messages]
    described = []
    for field, messages in exc.message_dict.items():
        param = INTAKE_FIELDS.get(field, "")
        if field == "applicant_name" and applicant_type == ApplicantType.ORGANISATION:
            param = "organisation_name"
        for message in messages:
            described.append(_describe(param, message) if param and field != NON_FIELD_ERRORS else message)
    return described
