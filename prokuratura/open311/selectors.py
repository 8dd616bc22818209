"""Reads for the Open311 interface. Who may read what (docs/OPEN311.md, "Privacy"):

- the services and their definitions: anyone (the topics and regions are public reference data);
- a request named by its `service_request_id` (the tracking code): anyone holding the code, as on the public status
  page — the code is the only key, so look-ups are throttled like the page's;
- a list of requests by service, dates or status: only the client whose api_key filed them, and only those.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Exists, OuterRef, Q, QuerySet

from prokuratura.appeals.models import OPEN_STATUSES, Appeal, Topic
from prokuratura.appeals.services.intake import normalise_tracking_code
from prokuratura.core.models import Region

from .models import Open311Client, Open311Request

REQUEST_RELATED = ("office", "topic")
QUERY_LIMIT = 1000  # the spec's default response volume


def open311_service_list() -> QuerySet[Topic]:
    return Topic.objects.filter(is_active=True)


def open311_service(*, service_code: str) -> Topic | None:
    """An active topic by code; an inactive one takes no new requests (but its old ones still show)."""
    return Topic.objects.filter(is_active=True, code=service_code).first()


def open311_regions() -> list[Region]:
    return list(Region.objects.order_by("kato_code"))


def open311_topics_by_code(*, codes: list[str]) -> dict[str, Topic]:
    return {topic.code: topic for topic in Topic.objects.filter(code__in=codes)}


def open311_requests_by_ids(*, ids: list[str], client: Open311Client | None) -> list[Appeal]:
    """The appeals the tracking codes name, in the order asked, each with `filed_by_client` (whether `client` filed
    it: its own requests do not count against the look-up limit). Unknown codes are left out."""
    codes = [code for code in (normalise_tracking_code(raw) for raw in ids) if code]
    if not codes:
        return []
    qs = Appeal.objects.select_related(*REQUEST_RELATED).filter(tracking_code__in=codes)
    if client is not None:
        qs = qs.annotate(
            filed_by_client=Exists(Open311Request.objects.filter(appeal=OuterRef("pk"), client=client))
        )
    found = {appeal.tracking_code: appeal for appeal in qs}
    return [found[code] for code in dict.fromkeys(codes) if code in found]


def open311_requests_of_client(
    *,
    client: Open311Client,
    start: dt.datetime,
    end: dt.datetime,
    topics: list[Topic] | None = None,
    statuses: set[str] | None = None,
    limit: int = QUERY_LIMIT,
) -> list[Appeal]:
    """The requests `client` filed with `start <= requested_datetime <= end`, newest first, at most `limit`."""
    links = Open311Request.objects.filter(client=client, requested_at__gte=start, requested_at__lte=end)
    if topics is not None:
        links = links.filter(appeal__topic__in=topics)
    if statuses == {"open"}:
        links = links.filter(appeal__status__in=OPEN_STATUSES)
    elif statuses == {"closed"}:
        links = links.exclude(appeal__status__in=OPEN_STATUSES)
    rows = links.select_related(*(f"appeal__{name}" for name in REQUEST_RELATED)).order_by(
        "-requested_at", "-id"
    )
    return [link.appeal for link in rows[:limit]]


def open311_request_previous(
    *, client: Open311Client, body_sha256: str, idempotency_key_sha256: str, since: dt.datetime
) -> Open311Request | None:
    """What a retry of a POST finds: the request filed with the same `Idempotency-Key` (whatever its body, so the
    caller can refuse a different body), or without a key, the same body filed since `since`."""
    links = Open311Request.objects.filter(client=client).select_related("appeal")
    if idempotency_key_sha256:
        return links.filter(idempotency_key_sha256=idempotency_key_sha256).first()
    return links.filter(body_sha256=body_sha256, created_at__gte=since).order_by("-created_at").first()


def open311_client_list() -> QuerySet[Open311Client]:
    return Open311Client.objects.order_by("name")


def open311_client_find(*, reference: str) -> Open311Client | None:
    """The one client whose key starts with `reference` (its prefix, as listed) or whose id it is."""
    match = Q(key_prefix=reference.rstrip("…"))
    if reference.isdigit():
        match |= Q(pk=int(reference))
    found = list(Open311Client.objects.filter(match)[:2])
    return found[0] if len(found) == 1 else None
