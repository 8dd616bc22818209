"""Joint projects through the API: /api/v1/relations/projects… — list (the list page's filters, paginated), read
one (404 for "missing or not yours"), record (idempotent with an `Idempotency-Key`), correct (PUT: the whole
project; PATCH: the fields sent) and the lifecycle's steps (core.lifecycle_api from transitions.PROJECTS). Unknown
ids and codes answer 422 naming the field, before anything is saved."""

from typing import Any

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Path, Query, Router
from ninja.pagination import paginate

from prokuratura.accounts.roles import Perm
from prokuratura.core.api_support import (
    CREATE_ERRORS,
    DETAIL_ERRORS,
    LIST_ERRORS,
    WRITE_ERRORS,
    IdempotencyKey,
    PageNumberPagination,
    api_permission,
    api_submission_key,
    api_user,
)
from prokuratura.core.lifecycle_api import MAX_ID, add_step_endpoints

from .access import access_project
from .api_events import (
    created,
    merged,
)
from .api_schemas import (
    RelProjectDetailOut,
    RelProjectFilters,
    RelProjectIn,
    RelProjectOut,
    RelProjectPatchIn,
)
from .lookups import Refs, counterpart_by_id, departments_by_ids, offices_by_codes
from .models import Project
from .project_selectors import ProjectFilters, project_list
from .services import ProjectData, project_record, project_update
from .transitions import PROJECTS

router = Router(tags=["relations"])

URL = "/relations/projects"
ONE = URL + "/{int:project_id}"
PROJECT_ID = Path(..., ge=1, le=MAX_ID)


def _data(payload: RelProjectIn) -> ProjectData:
    refs = Refs()
    offices = offices_by_codes(payload.offices)
    if len(offices) != len(set(payload.offices)):
        refs.miss("offices", _("Unknown office code."))
    departments = departments_by_ids(payload.departments)
    if len(departments) != len(set(payload.departments)):
        refs.miss("departments", _("No such department."))
    data = ProjectData(
        partner=refs.counterpart("partner_id", payload.partner_id),
        title=payload.title,
        start_date=payload.start_date,
        end_date=payload.end_date,
        reference=payload.reference,
        budget=payload.budget,
        currency=payload.currency,
        description=payload.description,
        outputs=payload.outputs,
        manager=refs.user("manager_id", payload.manager_id),
        topics=refs.topics("topics", payload.topics),
        offices=offices,
        departments=departments,
        status=payload.status,
        sensitivity=payload.sensitivity,
    )
    refs.check()
    return data


def _access(request: HttpRequest, project_id: int, *, for_write: bool = False) -> Project:
    return access_project(user=api_user(request), project_id=project_id, for_write=for_write, request=request)


@router.get(
    URL,
    response={200: list[RelProjectOut], **LIST_ERRORS},
    summary="Joint projects",
    description="The projects you may see, newest first; `partner` includes everything below it (the OSCE lists "
    "its Programme Office's projects); `year`: under way in that year. Paginated (`page`, `page_size`). An "
    "unknown partner lists nothing.",
)
@paginate(PageNumberPagination)
@api_permission(Perm.RELATIONS_VIEW)
def relations_projects_list(request: HttpRequest, filters: Query[RelProjectFilters]) -> Any:
    partner = counterpart_by_id(filters.partner)
    found = project_list(
        user=api_user(request),
        filters=ProjectFilters(
            q=filters.q or "", partner=partner, status=filters.status or "", year=filters.year
        ),
    ).select_related("office")
    return found.none() if filters.partner and partner is None else found


@router.post(
    URL,
    response={201: RelProjectDetailOut, **CREATE_ERRORS},
    summary="Record a joint project",
    description="In your office, proposed, under way or completed (with its outputs and end date). Unknown ids and "
    "codes answer 422 naming the field; nothing is saved. Send an `Idempotency-Key`: a retry never records a "
    "second project.",
)
@api_permission(Perm.RELATIONS_WORK)
def relations_projects_create(
    request: HttpRequest, payload: RelProjectIn, idempotency_key: IdempotencyKey = None
) -> Any:
    user = api_user(request)
    data = _data(payload)
    key = api_submission_key(user, idempotency_key)
    return created(
        request,
        idempotency_key,
        lambda: project_record(by=user, data=data, submission_key=key, request=request),
        RelProjectDetailOut,
    )


@router.get(
    ONE,
    response={200: RelProjectDetailOut, **DETAIL_ERRORS},
    summary="One joint project",
    description="With the steps you may take now and its `version` for `If-Match`.",
)
@api_permission(Perm.RELATIONS_VIEW)
def relations_projects_detail(request: HttpRequest, project_id: int = PROJECT_ID) -> Any:
    return _access(request, project_id)


def _current(project: Project) -> dict[str, Any]:
    return {
        "partner_id": project.partner_id,
        "title": project.title,
        "start_date": project.start_date,
        "end_date": project.end_date,
        "reference": project.reference,
        "budget": project.budget,
        "currency": project.currency,
        "description": project.description,
        "outputs": project.outputs,
        "manager_id": project.manager_id,
        "topics": [t.code for t in project.topics.all()],
        "offices": [o.code for o in project.offices.all()],
        "departments": [d.pk for d in project.departments.all()],
        "status": project.status,
        "sensitivity": project.sensitivity,
    }


def _update(request: HttpRequest, project: Project, payload: RelProjectIn) -> Any:
    project_update(by=api_user(request), project=project, data=_data(payload), request=request)
    return _access(request, project.pk)


@router.put(
    ONE,
    response={200: RelProjectDetailOut, **WRITE_ERRORS},
    summary="Correct a joint project",
    description="The whole project, with the same checks as recording it (`status` is ignored: it changes only "
    "by the steps).",
)
@api_permission(Perm.RELATIONS_WORK)
def relations_projects_update(
    request: HttpRequest, payload: RelProjectIn, project_id: int = PROJECT_ID
) -> Any:
    return _update(request, _access(request, project_id, for_write=True), payload)


@router.patch(
    ONE,
    response={200: RelProjectDetailOut, **WRITE_ERRORS},
    summary="Correct some fields of a joint project",
    description="Only the fields sent change, with the same checks.",
)
@api_permission(Perm.RELATIONS_WORK)
def relations_projects_patch(
    request: HttpRequest, payload: RelProjectPatchIn, project_id: int = PROJECT_ID
) -> Any:
    project = _access(request, project_id, for_write=True)
    return _update(request, project, merged(RelProjectIn, _current(project), payload))


# POST /relations/projects/{project_id}/<step> (start, suspend, resume, complete, cancel) and GET …/steps.
add_step_endpoints(
    router,
    PROJECTS,
    path=ONE,
    id_param="project_id",
    access=access_project,
    response=RelProjectDetailOut,
    view_permission=Perm.RELATIONS_VIEW,
)
