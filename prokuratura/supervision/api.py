"""The supervision API: /api/v1/supervision/… One router; the numbers' operations live in api_numbers.py and are
mounted on it.

Inspections, violations, acts of response and visits to places of detention: create (idempotent with an
`Idempotency-Key`), list (keyset-paginated, as the appeals list), read one (through the access helpers: 404 for
"missing or not yours"), and the lifecycles' steps (core.lifecycle_api, read from supervision.transitions).
Thin: each operation declares its permission, parses a schema, looks up the codes and ids it was sent, and calls
one service or selector. Bad input comes back as 422 with the service's message in the request's language.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from ninja import Header, Path, Query, Router
from ninja.pagination import paginate
from ninja.responses import Status

from prokuratura.accounts.roles import Perm
from prokuratura.appeals.access import access_appeal
from prokuratura.core.api_support import (
    AUTHENTICATED,
    CREATE_ERRORS,
    CREATE_IN_ERRORS,
    DETAIL_ERRORS,
    LIST_ERRORS,
    ApiError,
    IdempotencyKey,
    KeysetPagination,
    api_permission,
    api_submission_key,
    api_user,
    errors,
    idempotent,
)
from prokuratura.core.lifecycle import stale_error
from prokuratura.core.lifecycle_api import MAX_ID, add_step_endpoints
from prokuratura.core.models import CrimeCategory, Office

from . import selectors, services
from .access import access_act, access_inspection, access_violation, access_visit
from .api_numbers import router as numbers_router
from .api_schemas import (
    ActDetailOut,
    ActFilters,
    ActIn,
    ActOut,
    ActTypeOut,
    InspectionDetailOut,
    InspectionFilters,
    InspectionIn,
    InspectionOut,
    InspectionUpdateIn,
    ViolationFilters,
    ViolationIn,
    ViolationOut,
    VisitDetailOut,
    VisitFilters,
    VisitIn,
    VisitOut,
)
from .models import DetentionVisit, Inspection
from .selectors import ListFilters
from .services.act_letters import act_letter_file
from .transitions import ACTS, INSPECTIONS

if TYPE_CHECKING:
    from prokuratura.accounts.models import User

router = Router(tags=["supervision"])
router.add_router("", numbers_router)

FILE_CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


# --- helpers ---------------------------------------------------------------------------------------------------


@contextmanager
def _refusals() -> Iterator[None]:
    """A service's refusal (PermissionDenied with its reason) answers 403 with that reason, in the request's
    language, instead of the general "you do not have permission"."""
    try:
        yield
    except PermissionDenied as exc:
        raise ApiError(403, message=str(exc) or None) from exc


def _filter_office(code: str | None) -> tuple[bool, Office | None]:
    """(known, office) for a list's `office` filter: an unknown code lists nothing (as the appeals list does)."""
    if not code:
        return True, None
    office = Office.objects.filter(code=code).first()
    return office is not None, office


def _check_version(if_match: str | None, current: str) -> None:
    version = (if_match or "").strip().strip('"')
    if version and version != current:
        raise ApiError(412, "stale", stale_error().messages[0])


IF_MATCH = Header(
    None,
    alias="If-Match",
    max_length=64,
    description="The record's `version` as you read it; a change to a record changed since then answers 412.",
)


# --- inspections -----------------------------------------------------------------------------------------------


def _inspection_refs(
    user: "User",
    *,
    ground_appeal_id: int | None,
    responsible_id: int | None,
    crime_categories: list[str],
    office: str | None = None,
    default_office: Office | None,
) -> dict[str, Any]:
    """The payload's ids and codes looked up; every unknown one is named at once, each on its own field."""
    from prokuratura.accounts.models import User as UserModel

    found: dict[str, Any] = {}
    unknown: dict[str, str] = {}
    found["office"] = default_office
    if office:
        found["office"] = Office.objects.filter(code=office).first()
        if found["office"] is None:
            unknown["office"] = _("Unknown office code.")
    elif default_office is None:
        unknown["office"] = _("You are not attached to an office.")
    found["responsible"] = user
    if responsible_id is not None and responsible_id != user.pk:
        found["responsible"] = UserModel.objects.select_related("office").filter(pk=responsible_id).first()
        if found["responsible"] is None:
            unknown["responsible_id"] = _("No such user.")
    found["ground_appeal"] = None
    if ground_appeal_id is not None:
        try:
            found["ground_appeal"] = access_appeal(user=user, appeal_id=ground_appeal_id)
        except Http404:
            unknown["ground_appeal_id"] = _("No such appeal.")
    codes = sorted(set(crime_categories))
    categories = list(CrimeCategory.objects.filter(code__in=codes)) if codes else []
    if len(categories) != len(codes):
        unknown["crime_categories"] = _("Unknown crime focus area code.")
    found["crime_categories"] = categories
    if unknown:
        raise ValidationError(unknown)
    return found


def _inspection_data(user: "User", payload: InspectionIn) -> services.InspectionData:
    refs = _inspection_refs(
        user,
        ground_appeal_id=payload.ground_appeal_id,
        responsible_id=payload.responsible_id,
        crime_categories=payload.crime_categories,
        office=payload.office,
        default_office=user.office,
    )
    return services.InspectionData(
        office=refs["office"],
        kind=payload.kind,
        ground=payload.ground,
        ground_appeal=refs["ground_appeal"],
        ground_detail=payload.ground_detail,
        subject_kind=payload.subject_kind,
        subject_name=payload.subject_name,
        subject_bin=payload.subject_bin,
        subject_official=payload.subject_official,
        period_start=payload.period_start,
        period_end=payload.period_end,
        responsible=refs["responsible"],
        topics=payload.topics,
        crime_categories=refs["crime_categories"],
        sensitivity=payload.sensitivity,
    )


def _inspection_out(request: HttpRequest, inspection: Inspection) -> InspectionDetailOut:
    return InspectionDetailOut.model_validate(inspection, context={"request": request})


@router.post(
    "/supervision/inspections",
    response={201: InspectionDetailOut, **CREATE_ERRORS},
    summary="Plan an inspection",
    description="Plans an inspection in your office or an office below it (numbered per office and year, "
    "status `planned`). The ground may be an appeal (`ground_appeal_id`), which then lists the inspection "
    "too. Send an `Idempotency-Key`: a retry with the same key never plans a second inspection.",
)
@api_permission(Perm.SUPERVISION_WORK)
def inspections_create(
    request: HttpRequest, payload: InspectionIn, idempotency_key: IdempotencyKey = None
) -> Any:
    user = api_user(request)

    def create() -> Status[InspectionDetailOut]:
        with _refusals():
            inspection = services.inspection_create(
                by=user,
                data=_inspection_data(user, payload),
                submission_key=api_submission_key(user, idempotency_key),
                request=request,
            )
        return Status(201, _inspection_out(request, inspection))

    return idempotent(request, key=idempotency_key, create=create)


@router.get(
    "/supervision/inspections",
    response={200: list[InspectionOut], **LIST_ERRORS},
    summary="Inspections",
    description="The inspections you may see, newest first (by id), filtered; keyset-paginated (`after` = the "
    "last id seen). An unknown office code lists nothing.",
)
@paginate(KeysetPagination, field="id", descending=True)
@api_permission(Perm.SUPERVISION_VIEW)
def inspections_list(request: HttpRequest, filters: Query[InspectionFilters]) -> Any:
    user = api_user(request)
    known, office = _filter_office(filters.office)
    found = selectors.inspection_list(
        user=user,
        filters=ListFilters(
            q=filters.q or "",
            status=filters.status or "",
            kind=filters.kind or "",
            office=office,
            date_from=filters.date_from,
            date_to=filters.date_to,
            mine=filters.mine,
        ),
    )
    return found if known else found.none()


@router.get(
    "/supervision/inspections/{inspection_id}",
    response={200: InspectionDetailOut, **DETAIL_ERRORS},
    summary="One inspection",
    description="With the ids of its violations and acts that you may see, the ground appeal's number and its "
    "`version` for `If-Match`. Inspections you may not see answer 404.",
)
@api_permission(Perm.SUPERVISION_VIEW)
def inspections_detail(request: HttpRequest, inspection_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return access_inspection(user=api_user(request), inspection_id=inspection_id, request=request)


@router.put(
    "/supervision/inspections/{inspection_id}",
    response={200: InspectionDetailOut, **errors(400, 401, 403, 404, 412, 415, 422)},
    summary="Correct an inspection",
    description="Corrects the details of a planned, ordered or running inspection (the responsible prosecutor or "
    "a head over the office). The period's end moves only by the `extend` step. Send `If-Match` with the "
    "`version` you read: a change to an inspection changed since answers 412.",
)
@api_permission(Perm.SUPERVISION_WORK)
def inspections_update(
    request: HttpRequest,
    payload: InspectionUpdateIn,
    inspection_id: int = Path(..., ge=1, le=MAX_ID),
    if_match: str | None = IF_MATCH,
) -> Any:
    user = api_user(request)
    inspection = access_inspection(user=user, inspection_id=inspection_id, request=request)
    _check_version(if_match, INSPECTIONS.version(inspection))
    refs = _inspection_refs(
        user,
        ground_appeal_id=payload.ground_appeal_id,
        responsible_id=payload.responsible_id,
        crime_categories=payload.crime_categories,
        default_office=inspection.office,
    )
    data = services.InspectionData(
        office=inspection.office,
        kind=payload.kind,
        ground=payload.ground,
        ground_appeal=refs["ground_appeal"],
        ground_detail=payload.ground_detail,
        subject_kind=payload.subject_kind,
        subject_name=payload.subject_name,
        subject_bin=payload.subject_bin,
        subject_official=payload.subject_official,
        period_start=payload.period_start,
        period_end=inspection.period_end,
        responsible=refs["responsible"],
        topics=payload.topics,
        crime_categories=refs["crime_categories"],
        sensitivity=payload.sensitivity,
    )
    with _refusals():
        services.inspection_update(by=user, inspection=inspection, data=data, request=request)
    return access_inspection(user=user, inspection_id=inspection_id, request=request)


# POST /supervision/inspections/{inspection_id}/<step> for each declared step, and GET …/steps.
add_step_endpoints(
    router,
    INSPECTIONS,
    path="/supervision/inspections/{inspection_id}",
    id_param="inspection_id",
    access=access_inspection,
    response=InspectionDetailOut,
    view_permission=Perm.SUPERVISION_VIEW,
)


# --- violations ------------------------------------------------------------------------------------------------


def _violation_data(payload: ViolationIn) -> services.ViolationData:
    return services.ViolationData(
        found_on=payload.found_on,
        description=payload.description,
        law_violated=payload.law_violated,
        category=payload.category,
        persons_affected=payload.persons_affected,
        damage=payload.damage,
    )


def _violation_record(
    request: HttpRequest, user: "User", payload: ViolationIn, idempotency_key: str | None, **found_in: Any
) -> Any:
    """Record the violation found in the inspection or the appeal (`found_in`), once per Idempotency-Key."""

    def create() -> Status[ViolationOut]:
        with _refusals():
            violation = services.violation_record(
                by=user,
                data=_violation_data(payload),
                submission_key=api_submission_key(user, idempotency_key),
                request=request,
                **found_in,
            )
        return Status(201, ViolationOut.model_validate(violation))

    return idempotent(request, key=idempotency_key, create=create)


@router.post(
    "/supervision/inspections/{inspection_id}/violations",
    response={201: ViolationOut, **CREATE_IN_ERRORS},
    summary="Record a violation found in an inspection",
    description="By the inspection's responsible prosecutor or a head over its office, while the inspection is "
    "not closed or cancelled. Send an `Idempotency-Key` to make a retry safe.",
)
@api_permission(Perm.SUPERVISION_WORK)
def inspection_violations_create(
    request: HttpRequest,
    payload: ViolationIn,
    inspection_id: int = Path(..., ge=1, le=MAX_ID),
    idempotency_key: IdempotencyKey = None,
) -> Any:
    user = api_user(request)
    inspection = access_inspection(user=user, inspection_id=inspection_id, request=request)
    return _violation_record(request, user, payload, idempotency_key, inspection=inspection)


@router.post(
    "/supervision/appeals/{appeal_id}/violations",
    response={201: ViolationOut, **CREATE_IN_ERRORS},
    summary="Record a violation found while answering an appeal",
    description="By who works on the appeal (its assigned prosecutor or a head over its office). Appeals you may "
    "not see answer 404. Send an `Idempotency-Key` to make a retry safe.",
)
@api_permission(Perm.SUPERVISION_WORK)
def appeal_violations_create(
    request: HttpRequest,
    payload: ViolationIn,
    appeal_id: int = Path(..., ge=1, le=MAX_ID),
    idempotency_key: IdempotencyKey = None,
) -> Any:
    user = api_user(request)
    appeal = access_appeal(user=user, appeal_id=appeal_id, request=request)
    return _violation_record(request, user, payload, idempotency_key, appeal=appeal)


@router.get(
    "/supervision/violations",
    response={200: list[ViolationOut], **LIST_ERRORS},
    summary="Violations",
    description="The violations you may see, newest first (by id), filtered; keyset-paginated (`after` = the "
    "last id seen). An unknown office code lists nothing.",
)
@paginate(KeysetPagination, field="id", descending=True)
@api_permission(Perm.SUPERVISION_VIEW)
def violations_list(request: HttpRequest, filters: Query[ViolationFilters]) -> Any:
    known, office = _filter_office(filters.office)
    found = selectors.violation_list(
        user=api_user(request),
        filters=ListFilters(
            q=filters.q or "",
            kind=filters.category or "",
            office=office,
            date_from=filters.date_from,
            date_to=filters.date_to,
        ),
    )
    return found if known else found.none()


@router.get(
    "/supervision/violations/{violation_id}",
    response={200: ViolationOut, **DETAIL_ERRORS},
    summary="One violation",
    description="With the inspection or appeal it was found in. Violations you may not see answer 404.",
)
@api_permission(Perm.SUPERVISION_VIEW)
def violations_detail(request: HttpRequest, violation_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return access_violation(user=api_user(request), violation_id=violation_id, request=request)


# --- acts of response ------------------------------------------------------------------------------------------


def _act_sources(user: "User", payload: ActIn) -> dict[str, Any]:
    """The act type, the record it answers and its violations, looked up; every unknown one named at once."""
    unknown: dict[str, str] = {}
    act_type = selectors.act_types(active_only=False).filter(code=payload.act_type).first()
    if act_type is None:
        unknown["act_type"] = _("Unknown act type code: see the catalogue of act types.")
    found: dict[str, Any] = {"act_type": act_type, "inspection": None, "appeal": None, "visit": None}
    lookups: dict[str, tuple[int | None, Callable[[int], Any], str]] = {
        "inspection": (
            payload.inspection_id,
            lambda pk: access_inspection(user=user, inspection_id=pk),
            _("No such inspection."),
        ),
        "appeal": (
            payload.appeal_id,
            lambda pk: access_appeal(user=user, appeal_id=pk),
            _("No such appeal."),
        ),
        "visit": (payload.visit_id, lambda pk: access_visit(user=user, visit_id=pk), _("No such visit.")),
    }
    for name, (pk, fetch, message) in lookups.items():
        if pk is None:
            continue
        try:
            found[name] = fetch(pk)
        except Http404:
            unknown[f"{name}_id"] = message
    violations = []
    for pk in dict.fromkeys(payload.violation_ids):
        try:
            violations.append(access_violation(user=user, violation_id=pk))
        except Http404:
            unknown["violation_ids"] = _("No such violation: %(id)s.") % {"id": pk}
            break
    if unknown:
        raise ValidationError(unknown)
    found["violations"] = violations
    return found


@router.post(
    "/supervision/acts",
    response={201: ActDetailOut, **CREATE_ERRORS},
    summary="Draft an act of response",
    description="Drafts an act of the type named by its code (`GET /supervision/act-types`), in an inspection, "
    "on an appeal, after a visit to a place of detention, or on its own, answering violations of the same "
    "inspection or appeal. Without a title or text, the type's template in the act's language gives them. "
    "Issue it with `POST /supervision/acts/{act_id}/issue`. Send an `Idempotency-Key` to make a retry safe.",
)
@api_permission(Perm.SUPERVISION_WORK)
def acts_create(request: HttpRequest, payload: ActIn, idempotency_key: IdempotencyKey = None) -> Any:
    user = api_user(request)

    def create() -> Status[ActDetailOut]:
        found = _act_sources(user, payload)
        data = services.ActData(
            act_type=found["act_type"],
            addressee_name=payload.addressee_name,
            language=payload.language,
            subject=payload.subject,
            text=payload.text,
            addressee_official=payload.addressee_official,
            addressee_bin=payload.addressee_bin,
            addressee_address=payload.addressee_address,
            violations=found["violations"],
        )
        with _refusals():
            act = services.act_draft(
                by=user,
                data=data,
                inspection=found["inspection"],
                appeal=found["appeal"],
                visit=found["visit"],
                submission_key=api_submission_key(user, idempotency_key),
                request=request,
            )
        return Status(201, ActDetailOut.model_validate(act, context={"request": request}))

    return idempotent(request, key=idempotency_key, create=create)


@router.get(
    "/supervision/acts",
    response={200: list[ActOut], **LIST_ERRORS},
    summary="Acts of response",
    description="The acts you may see, newest first (by id), filtered; keyset-paginated (`after` = the last id "
    "seen). An unknown office code lists nothing.",
)
@paginate(KeysetPagination, field="id", descending=True)
@api_permission(Perm.SUPERVISION_VIEW)
def acts_list(request: HttpRequest, filters: Query[ActFilters]) -> Any:
    known, office = _filter_office(filters.office)
    found = selectors.act_list(
        user=api_user(request),
        filters=ListFilters(
            q=filters.q or "",
            status=filters.status or "",
            kind=filters.act_type or "",
            office=office,
            date_from=filters.date_from,
            date_to=filters.date_to,
            mine=filters.mine,
        ),
    )
    return found if known else found.none()


@router.get(
    "/supervision/act-types",
    response={200: list[ActTypeOut], **errors(401, 403, 422)},
    summary="The catalogue of act types",
    description="The kinds of acts of response with the addressee's time limit as the law sets it: the term and "
    "its unit (working days, calendar days, months; empty when the act names its own), what answers the act, "
    "the legal source and whether it was verified against the law's published text.",
)
@api_permission(AUTHENTICATED)
def act_types_list(request: HttpRequest, include_inactive: bool = False) -> Any:
    return list(selectors.act_types(active_only=not include_inactive))


@router.get(
    "/supervision/acts/{act_id}",
    response={200: ActDetailOut, **DETAIL_ERRORS},
    summary="One act of response",
    description="With its text, the answer and what came of it, the violations it answers, where to download "
    "the letter and its `version` for `If-Match`. Acts you may not see answer 404.",
)
@api_permission(Perm.SUPERVISION_VIEW)
def acts_detail(request: HttpRequest, act_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    return access_act(user=api_user(request), act_id=act_id, request=request)


def _letter(request: HttpRequest, act_id: int, fmt: str) -> HttpResponse:
    act = access_act(user=api_user(request), act_id=act_id, request=request)
    content, content_type, filename = act_letter_file(act=act, fmt=fmt)
    response = HttpResponse(content, content_type=content_type)
    # The number is Cyrillic (…/Н-7): an ASCII fallback and the RFC 6266 `filename*` for the real name.
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    return response


def _file_response(fmt: str) -> dict[str, Any]:
    """The binary 200 answer in the OpenAPI document (ninja documents only JSON schemas by itself)."""
    return {
        "responses": {
            200: {
                "description": f"The act as a {fmt.upper()} letter (attachment).",
                "content": {FILE_CONTENT_TYPES[fmt]: {"schema": {"type": "string", "format": "binary"}}},
            }
        }
    }


@router.get(
    "/supervision/acts/{act_id}/letter.pdf",
    response=DETAIL_ERRORS,
    summary="The act as a PDF letter",
    description="The act on the office's letterhead with its outgoing number, date and signer, in the act's "
    "language (A4 PDF). Only an issued act has a letter (a draft answers 422). Acts you may not see answer 404.",
    url_name="supervision_act_letter_pdf",
    openapi_extra=_file_response("pdf"),
)
@api_permission(Perm.SUPERVISION_VIEW)
def acts_letter_pdf(request: HttpRequest, act_id: int = Path(..., ge=1, le=MAX_ID)) -> HttpResponse:
    return _letter(request, act_id, "pdf")


@router.get(
    "/supervision/acts/{act_id}/letter.docx",
    response=DETAIL_ERRORS,
    summary="The act as a DOCX letter",
    description="The same letter as the PDF (the same number and dates), as an editable DOCX document. Acts you "
    "may not see answer 404.",
    url_name="supervision_act_letter_docx",
    openapi_extra=_file_response("docx"),
)
@api_permission(Perm.SUPERVISION_VIEW)
def acts_letter_docx(request: HttpRequest, act_id: int = Path(..., ge=1, le=MAX_ID)) -> HttpResponse:
    return _letter(request, act_id, "docx")


# POST /supervision/acts/{act_id}/<step> (issue, record_reply, record_court_decision, record_result, withdraw),
# and GET /supervision/acts/{act_id}/steps.
add_step_endpoints(
    router,
    ACTS,
    path="/supervision/acts/{act_id}",
    id_param="act_id",
    access=access_act,
    response=ActDetailOut,
    view_permission=Perm.SUPERVISION_VIEW,
)


# --- visits to places of detention -----------------------------------------------------------------------------


@router.post(
    "/supervision/visits",
    response={201: VisitDetailOut, **CREATE_ERRORS},
    summary="Record a visit to a place of detention",
    description="Your visit, in your office. Restricted by default: only you, the record's author and heads over "
    "the office read it, and each read is audited; only a head opens it to more readers. Send an "
    "`Idempotency-Key` to make a retry safe.",
)
@api_permission(Perm.SUPERVISION_WORK)
def visits_create(request: HttpRequest, payload: VisitIn, idempotency_key: IdempotencyKey = None) -> Any:
    user = api_user(request)

    def create() -> Status[VisitDetailOut]:
        facility = selectors.facilities(active_only=False).filter(code=payload.facility).first()
        if facility is None:
            raise ValidationError({"facility": _("Unknown place of detention code.")})
        data = services.VisitData(
            facility=facility,
            visited_on=payload.visited_on,
            findings=payload.findings,
            unannounced=payload.unannounced,
            torture_alleged=payload.torture_alleged,
            ill_treatment_alleged=payload.ill_treatment_alleged,
            persons_concerned=payload.persons_concerned,
            persons_count=payload.persons_count,
            follow_up=payload.follow_up,
            sensitivity=payload.sensitivity,
        )
        with _refusals():
            visit = services.visit_record(
                by=user, data=data, submission_key=api_submission_key(user, idempotency_key), request=request
            )
        return Status(201, VisitDetailOut.model_validate(visit, context={"request": request}))

    return idempotent(request, key=idempotency_key, create=create)


@router.get(
    "/supervision/visits",
    response={200: list[VisitOut], **LIST_ERRORS},
    summary="Visits to places of detention",
    description="The visits you may see, newest first (by id), without their findings and persons (read one "
    "visit for those: each such read is audited); keyset-paginated (`after` = the last id seen).",
)
@paginate(KeysetPagination, field="id", descending=True)
@api_permission(Perm.SUPERVISION_VIEW)
def visits_list(request: HttpRequest, filters: Query[VisitFilters]) -> Any:
    known, office = _filter_office(filters.office)
    found = selectors.visit_list(
        user=api_user(request),
        filters=ListFilters(
            q=filters.q or "",
            kind=filters.facility_kind or "",
            office=office,
            date_from=filters.date_from,
            date_to=filters.date_to,
            mine=filters.mine,
        ),
    )
    return found if known else found.none()


@router.get(
    "/supervision/visits/{visit_id}",
    response={200: VisitDetailOut, **DETAIL_ERRORS},
    summary="One visit to a place of detention",
    description="With its findings, the persons concerned and its follow-up acts that you may see. A visit you "
    "may not read answers 404 exactly like one that does not exist; each read of a restricted visit is written "
    "to the audit trail.",
)
@api_permission(Perm.SUPERVISION_VIEW)
def visits_detail(request: HttpRequest, visit_id: int = Path(..., ge=1, le=MAX_ID)) -> Any:
    visit: DetentionVisit = access_visit(user=api_user(request), visit_id=visit_id, request=request)
    return visit
