"""A lifecycle's API step endpoints, made from its declaration (core.lifecycle).

`add_step_endpoints` registers, on an app's router, `POST <path>/<step>` for every declared step with an input
schema — with the step's permission, description and the schema as body — and `GET <path>/steps`, the steps the
caller may take now. The page's forms come from the same declaration, so the page and the API offer the same
steps and the service checks them again. An `If-Match` header with the record's `version` refuses a step on a
record changed since the client read it (412).
"""

import inspect
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest
from django.utils import translation
from ninja import Field, Header, Path, Router, Schema

from .api_support import ApiError, api_permission, api_user, errors
from .lifecycle import SAME, Deadline, Lifecycle, Reason, Step, stale_error

MAX_ID = 2**63 - 1  # bigint: larger ids cannot exist


class StepSchema(Schema):
    """A step's API input. `inputs()` gives the service's keyword arguments (override to look things up)."""

    def inputs(self) -> dict[str, Any]:
        return self.model_dump()


# Inputs shared by many modules' steps (named Step… so that they never collide with a module's own schemas in the
# OpenAPI document).
class StepEmptyIn(StepSchema):
    pass


class StepReasonIn(StepSchema):
    reason: str = Field(..., min_length=1, max_length=5000)


class StepOptionalReasonIn(StepSchema):
    reason: str = Field("", max_length=5000)


class StepOut(Schema):
    name: str
    label: str
    target: str
    reason: Reason
    deadline: Deadline
    path: str


STEP_ERRORS = errors(400, 401, 403, 404, 412, 415, 422)

# The app's access_* helper: called as access(user=…, <id_param>=…, request=…) with the signed-in user (the API has
# no system actors); it returns the record, or raises Http404 for one the user may not see.
Access = Callable[..., Any]


def add_step_endpoints(
    router: Router,
    lifecycle: Lifecycle[Any],
    *,
    path: str,
    id_param: str,
    access: Access,
    response: type[Schema],
    view_permission: str,
) -> None:
    """Register the lifecycle's step endpoints under `path` (e.g. "/appeals/{appeal_id}")."""
    for step in lifecycle.steps:
        if step.schema_class is not None:
            _add_step(router, lifecycle, step, path=path, id_param=id_param, access=access, response=response)
    _add_list(router, lifecycle, path=path, id_param=id_param, access=access, view_permission=view_permission)


def _id_parameter(id_param: str) -> inspect.Parameter:
    return inspect.Parameter(
        id_param, inspect.Parameter.KEYWORD_ONLY, default=Path(..., ge=1, le=MAX_ID), annotation=int
    )


def _add_step(
    router: Router,
    lifecycle: Lifecycle[Any],
    step: Step,
    *,
    path: str,
    id_param: str,
    access: Access,
    response: type[Schema],
) -> None:
    schema = step.schema_class

    def endpoint(request: HttpRequest, payload: Any, if_match: str | None = None, **ids: int) -> Any:
        user = api_user(request)
        record = access(user=user, request=request, **ids)
        version = (if_match or "").strip().strip('"') or None
        if version and version != lifecycle.version(record):
            raise ApiError(412, "stale", stale_error().messages[0])
        lifecycle.perform(
            step=step.name, by=user, record=record, inputs=payload.inputs(), version=version, request=request
        )
        return access(user=user, request=request, **ids)

    endpoint.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest),
            inspect.Parameter("payload", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=schema),
            inspect.Parameter(
                "if_match",
                inspect.Parameter.POSITIONAL_OR_KEYWORD,
                default=Header(
                    None,
                    alias="If-Match",
                    max_length=64,
                    description="The record's `version` as you read it; a step on a record changed since then "
                    "answers 412.",
                ),
                annotation=str | None,
            ),
            _id_parameter(id_param),
        ]
    )
    endpoint.__name__ = f"{lifecycle.record_name}_{step.name}"
    with translation.override("en"):
        summary = str(step.label)
    router.post(
        f"{path}/{step.name}",
        response={200: response, **STEP_ERRORS},
        summary=summary,
        description=step.description,
        operation_id=f"{lifecycle.record_name}_step_{step.name}",
    )(api_permission(step.permission or "")(endpoint))


def _add_list(
    router: Router,
    lifecycle: Lifecycle[Any],
    *,
    path: str,
    id_param: str,
    access: Access,
    view_permission: str,
) -> None:
    def steps(request: HttpRequest, **ids: int) -> Any:
        user = api_user(request)
        record = access(user=user, request=request, **ids)
        prefix = request.path.rsplit("/", 1)[0]
        return [
            StepOut(
                name=s.name,
                label=str(s.label),
                target=lifecycle.status_of(record) if s.target == SAME else s.target,
                reason=s.reason,
                deadline=s.deadline,
                path=f"{prefix}/{s.name}",
            )
            for s in lifecycle.available(actor=user, record=record)
            if s.schema_class is not None
        ]

    steps.__signature__ = inspect.Signature(  # type: ignore[attr-defined]
        [
            inspect.Parameter("request", inspect.Parameter.POSITIONAL_OR_KEYWORD, annotation=HttpRequest),
            _id_parameter(id_param),
        ]
    )
    steps.__name__ = f"{lifecycle.record_name}_steps"
    router.get(
        f"{path}/steps",
        response={200: list[StepOut], **errors(401, 403, 404, 422)},
        summary="Steps you may take now",
        description="The lifecycle steps the caller may take on this record in its present status, each with the "
        "path to POST to. The record's `version` (for `If-Match`) is in its own representation.",
        operation_id=f"{lifecycle.record_name}_steps",
    )(api_permission(view_permission)(steps))
