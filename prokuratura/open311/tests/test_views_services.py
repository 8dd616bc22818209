"""GET services, GET a service definition and the discovery document, in JSON and XML, in kk/ru/en."""

import xml.etree.ElementTree as ET  # noqa: S405 - parses this server's own answers in tests

import pytest

from prokuratura.appeals.models import Topic

from .support import url


def xml_of(response):
    body = response.content
    assert body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    return ET.fromstring(body)  # noqa: S314 - our own answer


def test_the_service_list_is_the_active_topics_in_json(client, db):
    Topic.objects.filter(code="other").update(is_active=False)
    response = client.get(url("services"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    services = response.json()
    codes = [s["service_code"] for s in services]
    assert codes == list(Topic.objects.filter(is_active=True).values_list("code", flat=True))
    assert "other" not in codes
    labour = next(s for s in services if s["service_code"] == "labour")
    assert labour["service_name"] == "Labour"
    assert labour["metadata"] is True and labour["type"] == "realtime"
    assert set(labour) == {
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    }
    assert "15 working days" in labour["description"]
    assert "Еңбек қатынастары" in labour["keywords"] and "Трудовые отношения" in labour["keywords"]


def test_the_service_list_in_xml_has_the_specs_shape(client, db):
    root = xml_of(client.get(url("services", "xml")))
    assert root.tag == "services"
    children = list(root)
    assert {c.tag for c in children} == {"service"}
    labour = next(c for c in children if c.findtext("service_code") == "labour")
    assert [e.tag for e in labour] == [
        "service_code",
        "service_name",
        "description",
        "metadata",
        "type",
        "keywords",
        "group",
    ]
    assert labour.findtext("metadata") == "true" and labour.findtext("type") == "realtime"


@pytest.mark.parametrize(
    ("query", "headers", "name"),
    [
        ({"locale": "kk"}, {}, "Еңбек қатынастары"),
        ({"locale": "ru_RU"}, {}, "Трудовые отношения"),
        ({"locale": "kz"}, {}, "Еңбек қатынастары"),
        ({}, {"Accept-Language": "kk-KZ,kk;q=0.9"}, "Еңбек қатынастары"),
        ({}, {"Accept-Language": "ru"}, "Трудовые отношения"),
        ({"locale": "en"}, {"Accept-Language": "ru"}, "Labour"),
    ],
)
def test_the_language_is_chosen_by_locale_then_accept_language(client, db, query, headers, name):
    response = client.get(url("services"), query, headers=headers)
    labour = next(s for s in response.json() if s["service_code"] == "labour")
    assert labour["service_name"] == name
    assert response["Content-Language"] == {"Е": "kk", "Т": "ru", "L": "en"}[name[0]]


def test_the_service_list_is_a_fixed_number_of_queries(client, db, django_assert_num_queries):
    client.get(url("services"))  # the law's numbers (the 15 days) are cached after the first read
    with django_assert_num_queries(1):  # the topics
        client.get(url("services", "xml"))


def test_a_service_definition_asks_for_what_the_intake_needs(client, offices):
    response = client.get(url("service", service_code="labour"))
    assert response.status_code == 200
    definition = response.json()
    assert definition["service_code"] == "labour"
    attributes = {a["code"]: a for a in definition["attributes"]}
    assert [a["order"] for a in definition["attributes"]] == list(range(1, len(attributes) + 1))
    assert {code for code, a in attributes.items() if a["required"]} == {
        "region",
        "kind",
        "consent_personal_data",
    }
    region = attributes["region"]
    assert region["datatype"] == "singlevaluelist" and region["variable"] is True
    assert {"key": "710000000", "name": "Astana"} in region["values"]
    kinds = [v["key"] for v in attributes["kind"]["values"]]
    assert "complaint" in kinds and "response" not in kinds
    assert [v["key"] for v in attributes["consent_personal_data"]["values"]] == ["yes"]
    assert attributes["subject"]["values"] == [] and attributes["subject"]["datatype_description"] is None
    assert attributes["decision_learned_on"]["datatype"] == "datetime"


def test_a_service_definition_in_xml_and_in_russian(client, offices):
    root = xml_of(client.get(url("service", "xml", service_code="labour"), {"locale": "ru"}))
    assert root.tag == "service_definition" and root.findtext("service_code") == "labour"
    attributes = root.find("attributes")
    region = next(a for a in attributes.findall("attribute") if a.findtext("code") == "region")
    assert [e.tag for e in region] == [
        "variable",
        "code",
        "datatype",
        "required",
        "datatype_description",
        "order",
        "description",
        "values",
    ]
    assert region.findtext("required") == "true"
    names = {v.findtext("key"): v.findtext("name") for v in region.find("values").findall("value")}
    assert names["710000000"] == "г. Астана"
    subject = next(a for a in attributes.findall("attribute") if a.findtext("code") == "subject")
    assert subject.find("values") is not None and len(subject.find("values")) == 0


def test_a_service_definition_is_two_queries(client, offices, django_assert_num_queries):
    with django_assert_num_queries(2):  # the topic, the regions
        client.get(url("service", service_code="labour"))


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_or_inactive_service_is_a_spec_shaped_404(client, db, fmt):
    Topic.objects.filter(code="other").update(is_active=False)
    for code in ("nonsense", "other"):
        response = client.get(url("service", fmt, service_code=code))
        assert response.status_code == 404
        if fmt == "json":
            assert response.json() == [
                {"code": 404, "description": f"There is no service with the code “{code}”."}
            ]
        else:
            root = xml_of(response)
            assert root.tag == "errors"
            assert root.find("error").findtext("code") == "404"
            assert code in root.find("error").findtext("description")


@pytest.mark.parametrize(
    ("locale", "description"),
    [("kk", "Бұл әдіске мұнда рұқсат етілмеген."), ("ru", "Этот метод здесь не допускается.")],
)
def test_errors_speak_the_requested_language(client, db, locale, description):
    response = client.post(f"{url('services')}?locale={locale}")
    assert response.json() == [{"code": 405, "description": description}]
    assert response["Content-Language"] == locale


@pytest.mark.parametrize(
    "path",
    [
        "/open311/v2/services.html",
        "/open311/v2/services.JSON",
        "/open311/v2/services",
        "/open311/v2/services/labour.yaml",
        "/open311/v2/nothing.json",
        "/open311/v3/services.json",
    ],
)
def test_an_unknown_format_or_resource_is_a_spec_shaped_404(client, db, path):
    response = client.get(path)
    assert response.status_code == 404
    body = response.json()
    assert body[0]["code"] == 404 and body[0]["description"]


def test_an_unknown_resource_asked_for_in_xml_answers_in_xml(client, db):
    root = xml_of(client.get("/open311/v2/nothing.xml"))
    assert root.tag == "errors" and root.find("error").findtext("code") == "404"


def test_a_wrong_method_is_a_spec_shaped_405(client, db):
    response = client.post(url("services"))
    assert response.status_code == 405
    assert response["Allow"] == "GET, HEAD"
    assert response.json()[0]["code"] == 405


@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_the_discovery_document_points_at_the_endpoint(client, db, fmt):
    response = client.get(url("discovery", fmt))
    assert response.status_code == 200
    if fmt == "json":
        discovery = response.json()
        endpoint = discovery["endpoints"][0]
        assert endpoint["specification"] == "http://wiki.open311.org/GeoReport_v2"
        assert endpoint["url"] == "http://testserver/open311/v2"
        assert endpoint["formats"] == ["text/xml", "application/json"]
        assert discovery["changeset"] and discovery["contact"] and discovery["key_service"]
    else:
        root = xml_of(response)
        assert root.tag == "discovery"
        endpoint = root.find("endpoints").find("endpoint")
        assert [f.text for f in endpoint.find("formats").findall("format")] == [
            "text/xml",
            "application/json",
        ]
        assert endpoint.findtext("type") == "production"


def test_the_api_root_serves_the_discovery_document(client, db):
    response = client.get("/open311/v2/")
    assert response.status_code == 200
    assert response.json()["endpoints"][0]["url"] == "http://testserver/open311/v2"
