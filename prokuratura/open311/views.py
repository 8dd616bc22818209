"""The GeoReport v2 endpoints under /open311/v2/ (docs/OPEN311.md). Plain Django views rather than the ninja API:
GeoReport posts form-encoded bodies with `attribute[code]` keys, answers in XML as well as JSON, chosen by the URL's
extension, and has its own error shape — none of which the REST API's conventions fit.

Each view is public (no account: an application's api_key is checked here, as the tracking code is on the public
status page), answers in the requested format and language, and turns every refusal into the spec's error shape.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Callable
from functools import wraps
from typing import Any
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied, SuspiciousOperation, ValidationError
from django.http import HttpRequest, HttpResponse, QueryDict
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt

from prokuratura.appeals.models import Appeal
from prokuratura.appeals.views.public import LOOKUPS_PER_HOUR, SUBMISSIONS_PER_HOUR
from prokuratura.core.permissions import public
from prokuratura.core.throttle import throttle_hit

from . import mapping, selectors, services
from .models import Open311Client
from .protocol import DEFAULT_FORMAT, FORMATS, Open311Error, render, render_error

LANGUAGES = frozenset({"kk", "ru", "en"})
LANGUAGE_ALIASES = {"kz": "kk"}  # a common mistake for Kazakh (kz is the country)
QUERY_SPAN = dt.timedelta(days=90)  # the spec's longest start_date–end_date range and default window
MAX_IDS = 50
# Dates a query may name (far enough from datetime's limits that the 90-day window never overflows).
EARLIEST = dt.datetime(1970, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(3000, 1, 1, tzinfo=dt.UTC)
RETRY_WINDOW = dt.timedelta(hours=24)  # a POST without Idempotency-Key repeated within it is a retry
IDEMPOTENCY_KEY_MAX = 100
FORM_TYPES = ("application/x-www-form-urlencoded", "multipart/form-data")

View = Callable[..., HttpResponse]


def request_language(request: HttpRequest) -> str:
    """`locale` (kk, ru, en; kk_KZ, ru-RU… too), else the language the locale middleware chose (cookie or
    Accept-Language), else the site's default."""
    raw = request.GET.get("locale") or ""
    if not raw and request.method == "POST":
        raw = request.POST.get("locale") or ""  # read after _body_refused, so it parses or is empty
    code = raw.replace("_", "-").split("-")[0].strip().lower()
    code = LANGUAGE_ALIASES.get(code, code)
    if code in LANGUAGES:
        return code
    chosen = (getattr(request, "LANGUAGE_CODE", "") or "")[:2]
    return chosen if chosen in LANGUAGES else settings.LANGUAGE_CODE[:2]


def _body_refused(request: HttpRequest) -> bool:
    """Whether Django refuses to parse the body (too large, too many fields). Asked first: after a refusal
    Django reads the body as empty, which would pass for a request without an api_key."""
    if request.method != "POST":
        return False
    try:
        request.POST  # noqa: B018 - parsed here to catch the refusal
    except SuspiciousOperation:
        return True
    return False


def _check_input(request: HttpRequest, path_values: list[str]) -> None:
    """What the database cannot store, refused here in the spec's shape."""
    params = [request.GET, request.POST] if request.method == "POST" else [request.GET]
    texts = [*path_values, *(text for qd in params for key, values in qd.lists() for text in (key, *values))]
    if any("\x00" in text for text in texts):
        raise Open311Error(400, _("The request contains a null character, which no field may hold."))


def _client_ip(request: HttpRequest) -> str:
    return request.META.get("REMOTE_ADDR", "unknown")


def open311_endpoint(*methods: str) -> Callable[[View], View]:
    """Format (404 for an unknown extension), method (405), language, and the spec's error shape for every
    Open311Error the view raises."""

    def decorator(view: View) -> View:
        @wraps(view)
        def wrapped(request: HttpRequest, *args: Any, fmt: str, **kwargs: Any) -> HttpResponse:
            body_refused = _body_refused(request)
            with translation.override(request_language(request)):
                if fmt not in FORMATS:
                    error = Open311Error(
                        404, _("Unknown format “%(format)s”: use .xml or .json.") % {"format": fmt}
                    )
                    return _finish(render_error(error, fmt=DEFAULT_FORMAT))
                allowed = (*methods, "HEAD") if "GET" in methods else methods
                if request.method not in allowed:
                    error = Open311Error(
                        405,
                        _("This method is not allowed here."),
                        headers={"Allow": ", ".join(allowed)},
                    )
                    return _finish(render_error(error, fmt=fmt))
                try:
                    if body_refused:
                        raise Open311Error(400, _("The request is too large or has too many fields."))
                    _check_input(request, [str(v) for v in (*args, *kwargs.values())])
                    response = view(request, *args, fmt=fmt, **kwargs)
                except Open311Error as error:
                    response = render_error(error, fmt=fmt)
                return _finish(response)

        return wrapped

    return decorator


def _finish(response: HttpResponse) -> HttpResponse:
    response["Vary"] = "Accept-Language, Cookie"
    # A request's status is read with its tracking code, the only key to it: no shared cache keeps it.
    response["Cache-Control"] = "no-store"
    return response


def _status_url(request: HttpRequest, appeal: Appeal) -> str:
    url = request.build_absolute_uri(reverse("appeals:public_status"))
    return f"{url}?{urlencode({'code': appeal.tracking_code})}"


def _api_key(request: HttpRequest) -> str:
    """The api_key, from the form body or the query string (some clients put it there)."""
    from_body = request.POST.get("api_key") if request.method == "POST" else None
    return (from_body or request.GET.get("api_key") or "").strip()


def _client(request: HttpRequest) -> Open311Client | None:
    """The client whose api_key came with the request, or None when none came; 403 for a wrong or revoked key."""
    api_key = _api_key(request)
    if not api_key:
        return None
    client = services.open311_client_authenticate(api_key=api_key)
    if client is None:
        raise Open311Error(403, _("Invalid api_key: it is unknown or has been revoked."))
    return client


def _client_required(request: HttpRequest) -> Open311Client:
    client = _client(request)
    if client is None:
        raise Open311Error(403, _("An api_key is required to submit a service request."))
    return client


def _throttled(message: str) -> Open311Error:
    return Open311Error(429, message, headers={"Retry-After": "3600"})


# --- discovery, services ----------------------------------------------------------------------------------------


@public
@open311_endpoint("GET")
def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    changeset = mapping.CHANGESET
    data = {
        "changeset": changeset,
        "contact": _(
            "The Prosecutor General's Office of the Republic of Kazakhstan. Members of the public follow their "
            "appeals on the status page: %(url)s"
        )
        % {"url": request.build_absolute_uri(reverse("appeals:public_status"))},
        "key_service": _(
            "An api_key for submitting appeals is issued to an application on the written request of its "
            "operator to the Prosecutor General's Office."
        ),
        "endpoints": [
            {
                "specification": mapping.SPEC_URL,
                "url": request.build_absolute_uri(reverse("open311:root")).rstrip("/"),
                "changeset": changeset,
                "type": "test" if settings.DEBUG else "production",
                "formats": [FORMATS["xml"].split(";")[0], FORMATS["json"].split(";")[0]],
            }
        ],
    }
    return render(data, fmt=fmt, root="discovery")


@public
@open311_endpoint("GET")
def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    services_ = [mapping.service_dict(topic) for topic in selectors.open311_service_list()]
    return render(services_, fmt=fmt, root="services")


@public
@open311_endpoint("GET")
def service_definition(request: HttpRequest, service_code: str, fmt: str) -> HttpResponse:
    topic = selectors.open311_service(service_code=service_code)
    if topic is None:
        raise Open311Error(404, _("There is no service with the code “%(code)s”.") % {"code": service_code})
    definition = mapping.service_definition_dict(topic, selectors.open311_regions())
    return render(definition, fmt=fmt, root="service_definition")


# --- service requests -------------------------------------------------------------------------------------------


@csrf_exempt  # applications authenticate with their api_key, never with a browser's cookies
@public
@open311_endpoint("GET", "POST")
def requests_(request: HttpRequest, fmt: str) -> HttpResponse:
    if request.method == "POST":
        return _submit(request, fmt)
    return _query(request, fmt)


@public
@open311_endpoint("GET")
def request_detail(request: HttpRequest, service_request_id: str, fmt: str) -> HttpResponse:
    client = _client(request)
    found = _look_up(request, [service_request_id], client)
    if not found:
        raise Open311Error(404, _("There is no service request “%(id)s”.") % {"id": service_request_id})
    return render(
        [mapping.request_dict(found[0], _status_url(request, found[0]))], fmt=fmt, root="service_requests"
    )


def _look_up(request: HttpRequest, ids: list[str], client: Open311Client | None) -> list[Appeal]:
    """The requests the ids name. The tracking code is the only key to an appeal, so each id that is not the
    calling client's own counts as a look-up of the public status page (the same limit per address)."""
    appeals = selectors.open311_requests_by_ids(ids=ids, client=client)
    own = sum(1 for appeal in appeals if getattr(appeal, "filed_by_client", False))
    others = len(dict.fromkeys(ids)) - own
    if others and throttle_hit(
        key=f"public-status:{_client_ip(request)}", limit=LOOKUPS_PER_HOUR, window_seconds=3600, cost=others
    ):
        raise _throttled(_("Too many look-ups from your address. Please try again later."))
    return appeals


def _split(params: QueryDict, name: str) -> list[str]:
    """A parameter that may be declared several times, each comma delimited."""
    return [part.strip() for value in params.getlist(name) for part in value.split(",") if part.strip()]


def _moment(params: QueryDict, name: str, errors: list[str]) -> dt.datetime | None:
    raw = (params.get(name) or "").strip()
    if not raw:
        return None
    try:
        value = parse_datetime(raw)
    except ValueError:
        value = None
    if value is None or timezone.is_naive(value):
        errors.append(
            _("%(param)s: give a date and time with its time zone, e.g. 2026-11-01T00:00:00Z.")
            % {"param": name}
        )
        return None
    if not EARLIEST <= value <= LATEST:
        errors.append(_("%(param)s: give a date between 1970 and 2999.") % {"param": name})
        return None
    return value


def _query(request: HttpRequest, fmt: str) -> HttpResponse:
    params = request.GET
    client = _client(request)
    ids = _split(params, "service_request_id")
    if ids:  # "This overrides all other arguments."
        if len(ids) > MAX_IDS:
            raise Open311Error(
                400, _("service_request_id: name at most %(n)d requests at once.") % {"n": MAX_IDS}
            )
        found = _look_up(request, ids, client)
        return render(
            [mapping.request_dict(a, _status_url(request, a)) for a in found],
            fmt=fmt,
            root="service_requests",
        )
    if client is None:
        raise Open311Error(
            403,
            _(
                "To list service requests, send the api_key of the application that submitted them (it sees only "
                "its own), or name the requests with service_request_id."
            ),
        )
    errors: list[str] = []
    start, end = _moment(params, "start_date", errors), _moment(params, "end_date", errors)
    statuses = set(_split(params, "status"))
    if statuses - {"open", "closed"}:
        errors.append(_("status: use open, closed, or both."))
    codes = _split(params, "service_code")
    topics = selectors.open311_topics_by_code(codes=codes) if codes else {}
    unknown = [code for code in codes if code not in topics]
    if unknown:
        errors.append(_("service_code: there is no service “%(code)s”.") % {"code": ", ".join(unknown)})
    if start and end and end < start:
        errors.append(_("end_date: the end of the period is before its start."))
    elif start and end and end - start > QUERY_SPAN:
        errors.append(_("start_date, end_date: the period may not span more than 90 days."))
    if errors:
        raise Open311Error(400, *errors)
    if end is None:
        end = start + QUERY_SPAN if start is not None else timezone.now()
    if start is None:
        start = end - QUERY_SPAN
    found = selectors.open311_requests_of_client(
        client=client,
        start=start,
        end=end,
        topics=list(topics.values()) if codes else None,
        statuses=statuses or None,
    )
    return render(
        [mapping.request_dict(a, _status_url(request, a)) for a in found], fmt=fmt, root="service_requests"
    )


def _body_digest(params: QueryDict) -> str:
    """The submitted fields, sorted, without the api_key (a new key for the same app is the same submission)."""
    fields = sorted(
        (key, value)
        for key, values in params.lists()
        if key not in ("api_key", "jurisdiction_id")
        for value in values
    )
    return hashlib.sha256(repr(fields).encode()).hexdigest()


def _submit(request: HttpRequest, fmt: str) -> HttpResponse:
    content_type = (request.content_type or "").lower()
    if content_type not in FORM_TYPES:
        raise Open311Error(
            400, _("Send the service request as application/x-www-form-urlencoded, as GeoReport v2 says.")
        )
    client = _client_required(request)
    params = request.POST
    idempotency_key = (request.headers.get("Idempotency-Key") or "").strip()
    if len(idempotency_key) > IDEMPOTENCY_KEY_MAX:
        raise Open311Error(400, _("Idempotency-Key: at most 100 characters."))
    body_sha256 = _body_digest(params)
    key_sha256 = hashlib.sha256(idempotency_key.encode()).hexdigest() if idempotency_key else ""

    previous = selectors.open311_request_previous(
        client=client,
        body_sha256=body_sha256,
        idempotency_key_sha256=key_sha256,
        since=timezone.now() - RETRY_WINDOW,
    )
    if previous is not None:
        if previous.body_sha256 != body_sha256:
            raise Open311Error(
                409, _("This Idempotency-Key was already used for a different request. Use a new key.")
            )
        return _created(request, fmt, previous.appeal, created=False)

    service_code = (params.get("service_code") or "").strip()
    if not service_code:
        raise Open311Error(400, _("service_code: say which service the request is for."))
    topic = selectors.open311_service(service_code=service_code)
    if topic is None:
        raise Open311Error(404, _("There is no service with the code “%(code)s”.") % {"code": service_code})
    language = translation.get_language() or settings.LANGUAGE_CODE
    data = mapping.appeal_data(
        params, topic=topic, regions=selectors.open311_regions(), language=language[:2]
    )

    _throttle_submission(request, client)
    day = timezone.localdate().strftime("%Y%m%d")
    submission_key = (
        f"open311:{client.pk}:k:{key_sha256[:40]}"
        if key_sha256
        else f"open311:{client.pk}:b:{day}:{body_sha256[:40]}"
    )
    try:
        result = services.open311_request_submit(
            client=client,
            data=data,
            submission_key=submission_key,
            body_sha256=body_sha256,
            idempotency_key_sha256=key_sha256,
            request=request,
        )
    except ValidationError as exc:
        raise Open311Error(400, *mapping.intake_errors(exc, applicant_type=data.applicant_type)) from None
    except PermissionDenied:
        raise Open311Error(403, _("Appeals cannot be submitted through this channel.")) from None
    return _created(request, fmt, result.appeal, created=result.created)


def _throttle_submission(request: HttpRequest, client: Open311Client) -> None:
    """The key's own hourly limit, then the public form's limit per address (shared with the form, so a person
    cannot double it by using both), which a relay's one address is spared."""
    if throttle_hit(key=f"open311-client:{client.pk}", limit=client.hourly_limit, window_seconds=3600):
        raise _throttled(
            _("This application has sent too many appeals in the last hour. Please try again later.")
        )
    if not client.relay and throttle_hit(
        key=f"public-appeal:{_client_ip(request)}", limit=SUBMISSIONS_PER_HOUR, window_seconds=3600
    ):
        raise _throttled(_("Too many appeals from your address in the last hour. Please try again later."))


def _created(request: HttpRequest, fmt: str, appeal: Appeal, *, created: bool) -> HttpResponse:
    body = [mapping.created_dict(appeal, _status_url(request, appeal))]
    headers = {} if created else {"Idempotent-Replayed": "true"}
    return render(body, fmt=fmt, root="service_requests", status=201 if created else 200, headers=headers)


@public
def not_found(request: HttpRequest, path: str = "") -> HttpResponse:
    """Anything else under /open311/: the spec's 404, in JSON unless the path asked for XML."""
    fmt = "xml" if path.endswith(".xml") else DEFAULT_FORMAT
    with translation.override(request_language(request)):
        error = Open311Error(
            404, _("There is no such Open311 resource. The endpoints are listed in discovery.json.")
        )
        return _finish(render_error(error, fmt=fmt))
