"""The requests register's REST operations: /api/v1/cooperation/requests…

List (filtered, paginated), record (idempotent with an `Idempotency-Key`), read one (404 for "missing or not
yours"), correct, the persons concerned, the correspondence, the translations, the refusal-grounds checklist, the
completeness check, the history, and the lifecycle's steps (core.lifecycle_api, read from
request_transitions.REQUESTS: `POST /cooperation/requests/{id}/{step}` and `GET …/steps`).

Thin: each operation declares its permission, looks up the codes and ids it was sent and calls one service or
selector. Bad input answers 422 with the messages by field in `details` (the service's, in the request's
language); a step the lifecycle forbids now answers 422, one the caller may never take 403.

Every refused attempt leaves a security entry in the audit trail: the services and the lifecycle write it; this
module writes it where the service never sees the attempt (a code the register does not know) and where the
service's entry was rolled back with the idempotent create's transaction.

Letters are logged as JSON without their attachment: files are uploaded on the request's page (multipart is not
part of this API).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from prokuratura.accounts.roles import Perm
from prokuratura.core.api_support import (
    CREATE_ERRORS,
    CREATE_IN_ERRORS,
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    ApiError,
    IdempotencyKey,
    PageNumberPagination,
    api_permission,
    api_submission_key,
    api_user,
    errors,
    idempotent,
)
from prokuratura.core.audit import audit_refusal
from prokuratura.core.lifecycle import stale_error
from prokuratura.core.lifecycle_api import MAX_ID, add_step_endpoints
from prokuratura.core.models import Country, CrimeCategory, Office

from .completeness import LANGUAGE_NAMES, assurances_required, request_completeness
from .models import Instrument
from .models_requests import AssistanceRequest, RequestPerson, RequestTransition
from .request_access import access_request, access_request_persons, may_change_request
from .request_page_selectors import (
    country_by_code,
    crime_category_by_code,
    instrument_by_code,
    office_by_code,
    request_person_get,
    request_translation_get,
    user_by_id,
)
from .request_schemas import (
    CoopCompletenessCheckOut,
    CoopGroundOut,
    CoopGroundsIn,
    CoopLetterIn,
    CoopLetterOut,
    CoopPersonIn,
    CoopPersonOut,
    CoopRequestDataIn,
    CoopRequestDetailOut,
    CoopRequestFilters,
    CoopRequestHistoryOut,
    CoopRequestIn,
    CoopRequestOut,
    CoopRequestUpdateIn,
    CoopTranslationIn,
    CoopTranslationOut,
    CoopTranslationStatusIn,
)
from .request_selectors import RequestFilters, request_grounds, request_list
from .request_services import (
    PersonData,
    RequestData,
    request_create,
    request_grounds_assess,
    request_letter_add,
    request_person_add,
    request_person_remove,
    request_person_update,
    request_update,
    translation_order,
    translation_set_status,
)
from .request_transitions import REQUESTS

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

router = Router(tags=["cooperation"])

BASE = "/cooperation/requests"
ONE = BASE + "/{int:request_id}"
REQUEST_ID = Path(..., ge=1, le=MAX_ID)
IF_MATCH = Header(
    None,
    alias="If-Match",
    max_length=64,
    description="The request's `version` as you read it; a correction of a request changed since answers 412.",
)
# The services name some fields as the model does; the API's body names them by what it sends (ids).
API_FIELD = {"prosecutor": "prosecutor_id", "officer": "officer_id"}


# --- helpers ---------------------------------------------------------------------------------------------------


def _value(choice: Any) -> str:
    return "" if choice is None else str(getattr(choice, "value", choice))


@contextmanager
def _api_fields() -> Iterator[None]:
    """A service's field errors under the names the API's body uses."""
    try:
        yield
    except ValidationError as error:
        if not hasattr(error, "error_dict"):
            raise
        raise ValidationError(
            {API_FIELD.get(name, name): messages for name, messages in error.error_dict.items()}
        ) from error


def _refused(
    user: "User",
    what: str,
    error: ValidationError | PermissionDenied,
    request: HttpRequest,
    obj: AssistanceRequest | None = None,
) -> None:
    audit_refusal(actor=user, what=what, error=error, obj=obj, request=request)


def _idempotent_audited(
    request: HttpRequest,
    *,
    user: "User",
    key: str | None,
    create: Callable[[], Any],
    what: str,
    obj: AssistanceRequest | None = None,
) -> Any:
    """`idempotent` runs a keyed create in a transaction, which takes a refused service's own security entry down
    with it when it rolls back: the refusal is recorded again once that transaction is gone."""
    try:
        return idempotent(request, key=key, create=create)
    except (ValidationError, PermissionDenied) as error:
        if key is not None:
            _refused(user, what, error, request, obj)
        raise


def _check_version(if_match: str | None, record: AssistanceRequest) -> None:
    version = (if_match or "").strip().strip('"')
    if version and version != REQUESTS.version(record):
        raise ApiError(412, "stale", stale_error().messages[0])


def _writable(user: "User", record: AssistanceRequest, what: str, request: HttpRequest) -> None:
    """Before looking up a row of the request (a person, a translation): only who may change the request learns
    whether the row exists. The refusal is audited as the services audit theirs."""
    if not may_change_request(user=user, assistance_request=record):
        error = PermissionDenied(_("Only the officer in charge or a head changes this request."))
        _refused(user, what, error, request, record)
        raise error


@dataclass
class _Refs:
    partner: Country
    basis: Instrument | None
    offence_category: CrimeCategory | None
    focus_area: CrimeCategory | None
    prosecutor: "User | None"
    office: Office | None = None
    officer: "User | None" = None


def _country(code: str | None) -> Country | None:
    code = (code or "").strip().upper()
    return country_by_code(code)


def _refs(
    user: "User",
    payload: CoopRequestDataIn,
    *,
    what: str,
    request: HttpRequest,
    obj: AssistanceRequest | None = None,
) -> _Refs:
    """The payload's codes and ids looked up; every unknown one is named at once, on its own field, and the
    attempt is audited (the service never sees it)."""
    unknown: dict[str, list[str]] = {}
    partner = _country(payload.partner)
    if partner is None:
        unknown["partner"] = [
            _("The register does not know the state %(code)s.") % {"code": payload.partner.strip().upper()}
        ]
    basis = None
    if payload.basis:
        basis = instrument_by_code(payload.basis)
        if basis is None:
            unknown["basis"] = [_("Unknown treaty or convention code.")]
    categories: dict[str, CrimeCategory | None] = {}
    for name in ("offence_category", "focus_area"):
        code = getattr(payload, name)
        categories[name] = crime_category_by_code(code or "")
        if code and categories[name] is None:
            unknown[name] = [_("Unknown crime category code.")]
    prosecutor = None
    if payload.prosecutor_id is not None:
        prosecutor = user_by_id(payload.prosecutor_id)
        if prosecutor is None:
            unknown["prosecutor_id"] = [_("No such user.")]
    refs = _Refs(
        partner=partner,  # type: ignore[arg-type]  # None only with an error raised below
        basis=basis,
        offence_category=categories["offence_category"],
        focus_area=categories["focus_area"],
        prosecutor=prosecutor,
    )
    if isinstance(payload, CoopRequestIn):
        refs.office = user.office
        if payload.office:
            refs.office = office_by_code(payload.office)
            if refs.office is None:
                unknown["office"] = [_("Unknown office code.")]
        elif refs.office is None:
            unknown["office"] = [_("You are not attached to an office.")]
        if payload.officer_id is not None:
            refs.officer = user_by_id(payload.officer_id)
            if refs.officer is None:
                unknown["officer_id"] = [_("No such user.")]
    if unknown:
        error = ValidationError(unknown)
        _refused(user, what, error, request, obj)
        raise error
    return refs


def _data(payload: CoopRequestDataIn, refs: _Refs) -> RequestData:
    return RequestData(
        kind=_value(payload.kind),
        partner=refs.partner,
        foreign_authority=payload.foreign_authority,
        basis_kind=_value(payload.basis_kind),
        basis=refs.basis,
        reciprocity_assurance=payload.reciprocity_assurance,
        extradition_purpose=_value(payload.extradition_purpose),
        measures=[_value(m) for m in dict.fromkeys(payload.measures)],
        urgency=_value(payload.urgency),
        foreign_reference=payload.foreign_reference,
        case_number=payload.case_number,
        offence_article=payload.offence_article,
        offence_category=refs.offence_category,
        focus_area=refs.focus_area,
        transnational=_value(payload.transnational),
        organised_group=_value(payload.organised_group),
        requesting_authority=payload.requesting_authority,
        proceedings_subject=payload.proceedings_subject,
        conducting_authority=payload.conducting_authority,
        facts_summary=payload.facts_summary,
        assistance_sought=payload.assistance_sought,
        procedure=payload.procedure,
        purpose=payload.purpose,
        penalty=payload.penalty,
        limitation=payload.limitation,
        warrant=payload.warrant,
        judgment=payload.judgment,
        sentence_remaining=payload.sentence_remaining,
        assurances=[_value(a) for a in dict.fromkeys(payload.assurances)],
        language=_value(payload.language),
        prosecutor=refs.prosecutor,
        dated=payload.dated,
    )


def _detail_out(request: HttpRequest, record: AssistanceRequest) -> CoopRequestDetailOut:
    return CoopRequestDetailOut.model_validate(record, context={"request": request})


def _access(request: HttpRequest, request_id: int) -> AssistanceRequest:
    return access_request(user=api_user(request), request_id=request_id, request=request)


# --- the register ----------------------------------------------------------------------------------------------


@router.get(
    BASE,
    response={200: list[CoopRequestOut], **LIST_ERRORS},
    summary="Requests for legal assistance",
    description="The incoming and outgoing requests you may see, newest first, filtered; paginated "
    "(`page`, `page_size`). Terrorism and extremism requests are listed only to those cleared to read them. "
    "An unknown office code lists nothing.",
)
@paginate(PageNumberPagination)
@api_permission(Perm.COOP_REQUESTS_VIEW)
def cooperation_requests_list(request: HttpRequest, filters: Query[CoopRequestFilters]) -> Any:
    office = None
    if filters.office:
        office = office_by_code(filters.office)
    found: QuerySet[AssistanceRequest] = request_list(
        user=api_user(request),
        filters=RequestFilters(
            q=filters.q or "",
            direction=_value(filters.direction),
            kind=_value(filters.kind),
            status=_value(filters.status),
            partner=filters.partner or "",
            focus_area=filters.focus_area or "",
            office=office,
            date_from=filters.date_from,
            date_to=filters.date_to,
            open_only=filters.open_only,
            overdue=filters.overdue,
            mine=filters.mine,
        ),
    )
    return found.none() if filters.office and office is None else found


@router.post(
    BASE,
    response={201: CoopRequestDetailOut, **CREATE_ERRORS},
    summary="Record a request for legal assistance",
    description="Records an outgoing request (a draft) or an incoming one (received on `received_on`), numbered "
    "in the office's series for the year, e.g. `GPO-2026/OUT-MLA-12`. The legal basis is required: a treaty or "
    "convention that `GET /cooperation/resolve` offers for the partner, kind and offence on the date, or "
    "reciprocity with the assurance. Unknown codes, Kazakhstan as the partner and a basis the resolver does not "
    "offer answer 422 naming the field. Send an `Idempotency-Key`: a retry never records a second request.",
)
@api_permission(Perm.COOP_REQUESTS_WORK)
def cooperation_requests_create(
    request: HttpRequest, payload: CoopRequestIn, idempotency_key: IdempotencyKey = None
) -> Any:
    user = api_user(request)
    refs = _refs(user, payload, what="request_create", request=request)

    def create() -> Status[CoopRequestDetailOut]:
        with _api_fields():
            record = request_create(
                by=user,
                direction=_value(payload.direction),
                office=refs.office,  # type: ignore[arg-type]  # _refs refused a missing office
                data=_data(payload, refs),
                officer=refs.officer,
                received_on=payload.received_on,
                sensitivity=_value(payload.sensitivity) or None,
                submission_key=api_submission_key(user, idempotency_key),
                request=request,
            )
        return Status(201, _detail_out(request, record))

    return _idempotent_audited(request, user=user, key=idempotency_key, create=create, what="request_create")


@router.get(
    ONE,
    response={200: CoopRequestDetailOut, **DETAIL_ERRORS},
    summary="One request for legal assistance",
    description="With the completeness check, the persons concerned (null unless you may see their personal "
    "data: `person_count` still counts them), the letters, translations, the refusal-grounds checklist, the "
    "steps you may take now and its `version` for `If-Match`. A request you may not see answers 404 exactly like "
    "one that does not exist; each read of a restricted request, and of personal data, is audited.",
)
@api_permission(Perm.COOP_REQUESTS_VIEW)
def cooperation_requests_detail(request: HttpRequest, request_id: int = REQUEST_ID) -> Any:
    return _access(request, request_id)


@router.put(
    ONE,
    response={200: CoopRequestDetailOut, **errors(400, 401, 403, 404, 412, 415, 422)},
    summary="Correct a request",
    description="Corrects an outgoing draft or an incoming request not yet checked (the officer in charge or a "
    "head over the office), with the same checks as recording it. Send `If-Match` with the `version` you read: "
    "a correction of a request changed since answers 412.",
)
@api_permission(Perm.COOP_REQUESTS_WORK)
def cooperation_requests_update(
    request: HttpRequest,
    payload: CoopRequestUpdateIn,
    request_id: int = REQUEST_ID,
    if_match: str | None = IF_MATCH,
) -> Any:
    user = api_user(request)
    record = _access(request, request_id)
    _check_version(if_match, record)
    refs = _refs(user, payload, what="request_update", request=request, obj=record)
    with _api_fields():
        request_update(
            by=user,
            assistance_request=record,
            data=_data(payload, refs),
            sensitivity=_value(payload.sensitivity) or None,
            reason=payload.reason,
            request=request,
        )
    return _access(request, request_id)


@router.get(
    ONE + "/completeness",
    response={200: CoopCompletenessCheckOut, **DETAIL_ERRORS},
    summary="The completeness check",
    description="What the request still lacks, each item named (MLA: the contents UNTOC art. 18(15) requires; "
    "extradition: the person, the offence and penalty, the warrant or judgment, the limitation provision and the "
    "assurances the partner requires; the translations the treaty or the partner requires), and what it should "
    "give where possible. An outgoing request is checked and signed, an incoming one accepted, only when "
    "nothing is missing.",
)
@api_permission(Perm.COOP_REQUESTS_VIEW)
def cooperation_requests_completeness(request: HttpRequest, request_id: int = REQUEST_ID) -> Any:
    record = _access(request, request_id)
    result = request_completeness(record)
    return {
        "complete": result.complete,
        "missing": result.missing,
        "warnings": result.warnings,
        "translations_required": [
            {"code": code, "name": _(LANGUAGE_NAMES.get(code, code))} for code in record.translations_required
        ],
        "assurances_required": assurances_required(record),
    }


@router.get(
    ONE + "/history",
    response={200: list[CoopRequestHistoryOut], **DETAIL_ERRORS},
    summary="The request's history",
    description="Every step taken on the request, oldest first: from which status to which, who, when and why.",
)
@api_permission(Perm.COOP_REQUESTS_VIEW)
def cooperation_requests_history(request: HttpRequest, request_id: int = REQUEST_ID) -> Any:
    record = _access(request, request_id)
    rows: QuerySet[RequestTransition] = record.history.select_related("by").order_by("at", "id")
    return list(rows)


# --- the persons concerned -------------------------------------------------------------------------------------


def _person_data(
    user: "User", payload: CoopPersonIn, *, what: str, request: HttpRequest, record: AssistanceRequest
) -> PersonData:
    nationality = None
    if payload.nationality:
        nationality = _country(payload.nationality)
        if nationality is None:
            error = ValidationError({"nationality": [_("Unknown country code.")]})
            _refused(user, what, error, request, record)
            raise error
    return PersonData(
        role=_value(payload.role),
        full_name=payload.full_name,
        birth_date=payload.birth_date,
        nationality=nationality,
        stateless=payload.stateless,
        location=payload.location,
        identity_document=payload.identity_document,
        description=payload.description,
    )


def _person(
    user: "User", record: AssistanceRequest, person_id: int, what: str, request: HttpRequest
) -> RequestPerson:
    _writable(user, record, what, request)
    person = request_person_get(assistance_request=record, person_id=person_id)
    if person is None:
        raise Http404
    return person


@router.get(
    ONE + "/persons",
    response={200: list[CoopPersonOut], **DETAIL_ERRORS},
    summary="The persons concerned",
    description="Personal data: only the people the request names (the officer in charge, the prosecutor, the "
    "author) and heads over its office read it, and each read is audited; anyone else who may see the request "
    "gets 403.",
)
@api_permission(Perm.COOP_REQUESTS_VIEW)
def cooperation_request_persons_list(request: HttpRequest, request_id: int = REQUEST_ID) -> Any:
    record = _access(request, request_id)
    persons = access_request_persons(user=api_user(request), assistance_request=record, request=request)
    if persons is None:
        raise ApiError(403, message=_("You may not see the personal data of the persons concerned."))
    return persons


@router.post(
    ONE + "/persons",
    response={201: CoopPersonOut, **CREATE_IN_ERRORS},
    summary="Add a person concerned",
    description="While the request may be corrected, by the officer in charge or a head over the office. The "
    "audit trail records the role, never the personal data. Send an `Idempotency-Key` to make a retry safe.",
)
@api_permission(Perm.COOP_REQUESTS_WORK)
def cooperation_request_persons_add(
    request: HttpRequest,
    payload: CoopPersonIn,
    request_id: int = REQUEST_ID,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    user = api_user(request)
    record = _access(request, request_id)
    data = _person_data(user, payload, what="request_person_add", request=request, record=record)

    def create() -> Status[CoopPersonOut]:
        person = request_person_add(by=user, assistance_request=record, data=data, request=request)
        return Status(201, CoopPersonOut.model_validate(person))

    return _idempotent_audited(
        request, user=user, key=idempotency_key, create=create, what="request_person_add", obj=record
    )


@router.put(
    ONE + "/persons/{int:person_id}",
    response={200: CoopPersonOut, **WRITE_ERRORS},
    summary="Correct a person concerned",
    description="While the request may be corrected, by the officer in charge or a head over the office.",
)
@api_permission(Perm.COOP_REQUESTS_WORK)
def cooperation_request_persons_update(
    request: HttpRequest,
    payload: CoopPersonIn,
    request_id: int = REQUEST_ID,
    person_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    user = api_user(request)
    record = _access(request, request_id)
    person = _person(user, record, person_id, "request_person_update", request)
    data = _person_data(user, payload, what="request_person_update", request=request, record=record)
    return request_person_update(
        by=user, assistance_request=record, person=person, data=data, request=request
    )


@router.delete(
    ONE + "/persons/{int:person_id}",
    response={204: None, **DETAIL_ERRORS},
    summary="Remove a person concerned",
    description="While the request may be corrected, by the officer in charge or a head over the office.",
)
@api_permission(Perm.COOP_REQUESTS_WORK)
def cooperation_request_persons_remove(
    request: HttpRequest, request_id: int = REQUEST_ID, person_id: int = Path(..., ge=1, le=MAX_ID)
) -> Any:
    user = api_user(request)
    record = _access(request, request_id)
    person = _person(user, record, person_id, "request_person_remove", request)
    request_person_remove(by=user, assistance_request=record, person=person, request=request)
    return Status(204, None)


# --- correspondence --------------------------------------------------------------------------------------------


@router.get(
    ONE + "/letters",
    response={200: list[CoopLetterOut], **DETAIL_ERRORS},
    summary="The correspondence",
    description="The letters received and sent about the request, oldest first.",
)
@api_permission(Perm.COOP_REQUESTS_VIEW)
def cooperation_request_letters_list(request: HttpRequest, request_id: int = REQUEST_ID) -> Any:
    record = _access(request, request_id)
    return list(record.letters.order_by("dated", "id"))


@router.post(
    ONE + "/letters",
    response={201: CoopLetterOut, **CREATE_IN_ERRORS},
    summary="Log a letter",
    description="A letter received or sent about the request (the officer in charge or a head over the office). "
    "JSON only: the letter's file is attached on the request's page. Send an `Idempotency-Key` to make a retry "
    "safe.",
)
@api_permission(Perm.COOP_REQUESTS_WORK)
def cooperation_request_letters_add(
    request: HttpRequest,
    payload: CoopLetterIn,
    request_id: int = REQUEST_ID,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    user = api_user(request)
    record = _access(request, request_id)

    def create() -> Status[CoopLetterOut]:
        letter = request_letter_add(
            by=user,
            assistance_request=record,
            direction=_value(payload.direction),
            dated=payload.dated,
            counterpart=payload.counterpart,
            summary=payload.summary,
            reference=payload.reference,
            submission_key=api_submission_key(user, idempotency_key),
            request=request,
        )
        return Status(201, CoopLetterOut.model_validate(letter))

    return _idempotent_audited(
        request, user=user, key=idempotency_key, create=create, what="request_letter_add", obj=record
    )


# --- translations ----------------------------------------------------------------------------------------------


@router.post(
    ONE + "/translations",
    response={201: CoopTranslationOut, **CREATE_IN_ERRORS},
    summary="Order a translation",
    description="A translation of the request or its materials into a language, with its due date (the officer "
    "in charge or a head over the office). The completeness check waits for those the treaty or the partner "
    "requires to be done. Send an `Idempotency-Key` to make a retry safe.",
)
@api_permission(Perm.COOP_REQUESTS_WORK)
def cooperation_request_translations_order(
    request: HttpRequest,
    payload: CoopTranslationIn,
    request_id: int = REQUEST_ID,
    idempotency_key: IdempotencyKey = None,
) -> Any:
    user = api_user(request)
    record = _access(request, request_id)

    def create() -> Status[CoopTranslationOut]:
        task = translation_order(
            by=user,
            assistance_request=record,
            language=payload.language,
            document=payload.document,
            due_date=payload.due_date,
            translator=payload.translator,
            request=request,
        )
        return Status(201, CoopTranslationOut.model_validate(task))

    return _idempotent_audited(
        request, user=user, key=idempotency_key, create=create, what="translation_order", obj=record
    )


@router.post(
    ONE + "/translations/{int:task_id}/status",
    response={200: CoopTranslationOut, **WRITE_ERRORS},
    summary="Move a translation on",
    description="Ordered → in progress → done (dated; today when omitted), or cancelled.",
)
@api_permission(Perm.COOP_REQUESTS_WORK)
def cooperation_request_translations_status(
    request: HttpRequest,
    payload: CoopTranslationStatusIn,
    request_id: int = REQUEST_ID,
    task_id: int = Path(..., ge=1, le=MAX_ID),
) -> Any:
    user = api_user(request)
    record = _access(request, request_id)
    _writable(user, record, "translation_set_status", request)
    task = request_translation_get(assistance_request=record, task_id=task_id)
    if task is None:
        raise Http404
    return translation_set_status(
        by=user,
        assistance_request=record,
        task=task,
        status=_value(payload.status),
        done_on=payload.done_on,
        request=request,
    )


# --- the refusal-grounds checklist -----------------------------------------------------------------------------


@router.put(
    ONE + "/grounds",
    response={200: list[CoopGroundOut], **WRITE_ERRORS},
    summary="Assess the refusal grounds",
    description="Records, for the grounds sent, whether each applies (with the reasons when it does) — the "
    "checklist of an incoming request that a refusal rests on: a head refuses only on a ground recorded as "
    "applying. Answers the whole checklist, with what the record suggests for each ground.",
)
@api_permission(Perm.COOP_REQUESTS_WORK)
def cooperation_request_grounds_assess(
    request: HttpRequest, payload: CoopGroundsIn, request_id: int = REQUEST_ID
) -> Any:
    user = api_user(request)
    record = _access(request, request_id)
    findings = {_value(f.ground): (_value(f.finding), f.note) for f in payload.findings}
    with _api_fields():
        request_grounds_assess(by=user, assistance_request=record, findings=findings, request=request)
    persons = access_request_persons(user=user, assistance_request=record, request=request)
    return request_grounds(assistance_request=record, persons=persons or [])


# --- the lifecycle's steps -------------------------------------------------------------------------------------


# POST /cooperation/requests/{request_id}/<step> (check, revise, sign, send, acknowledge, start_execution,
# record_result, withdraw; register, accept, return, resume, assign, record_execution, send_materials, refuse),
# and GET /cooperation/requests/{request_id}/steps.
add_step_endpoints(
    router,
    REQUESTS,
    path=ONE,
    id_param="request_id",
    access=access_request,
    response=CoopRequestDetailOut,
    view_permission=Perm.COOP_REQUESTS_VIEW,
)
