"""A real Open311 client library from PyPI, `georeport` (GeoReport v2, JSON and XML through requests and
xmltodict), reading our endpoints. Its HTTP goes to Django's test client through a requests transport adapter:
no socket, no network. The library does not POST (it says so), so filing is tested against the spec's own example
request in test_views_requests.py, and here a request filed that way is read back through the library."""

from urllib.parse import urlsplit

import pytest
import requests
from georeport import GeoReport
from requests.adapters import BaseAdapter
from requests.structures import CaseInsensitiveDict

from prokuratura.appeals.models import Appeal

from .support import FORM, SPEC_EXAMPLE_BODY, url

ROOT = "http://testserver/open311/v2"


class DjangoTestClientAdapter(BaseAdapter):
    """Hands each request to a django.test.Client and its answer back to requests."""

    def __init__(self, client):
        super().__init__()
        self.client = client

    def send(self, request, **kwargs):
        parts = urlsplit(request.url)
        path = f"{parts.path}?{parts.query}" if parts.query else parts.path
        answer = self.client.generic(
            request.method,
            path,
            data=request.body or b"",
            content_type=request.headers.get("Content-Type", ""),
            headers={
                k: v
                for k, v in request.headers.items()
                if k.lower() not in ("content-type", "content-length")
            },
        )
        response = requests.Response()
        response.status_code = answer.status_code
        response._content = answer.content
        response.headers = CaseInsensitiveDict(answer.headers)
        response.encoding = "utf-8"
        response.url = request.url
        response.request = request
        return response

    def close(self):
        pass


@pytest.fixture
def georeport_client(client, monkeypatch):
    """The library's own calls (`requests.get` on a fresh session) reach our views."""
    adapter = DjangoTestClientAdapter(client)
    monkeypatch.setattr(requests.Session, "get_adapter", lambda self, url: adapter)

    def make(output_format="json"):
        return GeoReport(ROOT, jurisdiction="prokuratura.kz", output_format=output_format)

    return make


@pytest.fixture
def filed(client, app, offices):
    body = SPEC_EXAMPLE_BODY.format(api_key=app.api_key, service_code="labour")
    body += "&attribute[region]=710000000&attribute[kind]=statement&attribute[consent_personal_data]=yes"
    response = client.post(url("requests"), body, content_type=FORM)
    assert response.status_code == 201
    return Appeal.objects.get()


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_library_reads_the_service_list(georeport_client, db, fmt):
    services = georeport_client(fmt).get_service_list()
    labour = next(s for s in services if s["service_code"] == "labour")
    assert labour["service_name"] == "Labour"
    assert labour["metadata"] in (True, "true") and labour["type"] == "realtime"


def test_the_library_reads_a_service_definition_in_json(georeport_client, offices):
    definition = georeport_client("json").get_service_definition("labour")
    assert definition["service_code"] == "labour"
    region = next(a for a in definition["attributes"] if a["code"] == "region")
    assert {"key": "710000000", "name": "Astana"} in region["values"]


def test_the_library_reads_a_service_definition_in_xml(georeport_client, offices):
    definition = georeport_client("xml").get_service_definition("labour")
    assert definition["service_code"] == "labour"
    attributes = definition["attributes"]["attribute"]
    region = next(a for a in attributes if a["code"] == "region")
    assert region["required"] == "true"
    assert {"key": "710000000", "name": "Astana"} in region["values"]["value"]


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_library_follows_a_filed_request(georeport_client, filed, fmt):
    client = georeport_client(fmt)
    request = client.get_service_request(filed.tracking_code)
    assert request["service_request_id"] == filed.tracking_code
    assert request["status"] == "open" and request["service_code"] == "labour"
    listed = client.get_service_requests(service_request_id=filed.tracking_code)
    if fmt == "xml":  # xmltodict gives a single <request> as a dict, several as a list
        listed = [listed]
    assert [r["service_request_id"] for r in listed] == [filed.tracking_code]


def test_the_library_sees_the_refusal_of_a_broad_query_without_a_key(georeport_client, filed):
    with pytest.raises(requests.HTTPError) as refused:
        georeport_client("json").get_service_requests(service_code="labour")
    assert refused.value.response.status_code == 403
