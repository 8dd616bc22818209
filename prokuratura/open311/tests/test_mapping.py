"""The mapping's small parts: attribute keys, the subject taken from the description, the wire formats."""

import datetime as dt

from django.http import QueryDict

from prokuratura.open311 import mapping, protocol


def test_attribute_keys_single_and_multiple_values():
    params = QueryDict(
        "attribute[region]=710000000&attribute[tags][]=a&attribute[tags][]=b&attribute=x&other=1"
    )
    assert mapping.attribute_values(params) == {"region": ["710000000"], "tags": ["a", "b"]}


def test_the_subject_is_the_first_line_shortened_at_a_word():
    assert mapping._subject_from("\n  Short line.\nSecond line") == "Short line."
    long = "word " * 40
    subject = mapping._subject_from(long)
    assert subject.endswith("…") and len(subject) <= mapping.SUBJECT_FROM_DESCRIPTION + 1
    assert not subject[:-1].endswith(" ")


def test_xml_escapes_and_drops_what_xml_cannot_carry():
    body = protocol.to_xml("errors", [{"code": 400, "description": "a < b & \x01c"}])
    assert body.endswith(
        b"<errors><error><code>400</code><description>a &lt; b &amp; c</description></error></errors>"
    )


def test_booleans_and_nulls_follow_the_spark_convention():
    assert protocol.to_xml("service", {"metadata": True, "keywords": None}).endswith(
        b"<service><metadata>true</metadata><keywords /></service>"
    )
    assert (
        protocol.to_json([{"metadata": True, "keywords": None}]) == b'[{"metadata": true, "keywords": null}]'
    )


def test_dates_carry_the_offset_of_the_services_time_zone(settings):
    moment = dt.datetime(2026, 12, 1, 5, 30, tzinfo=dt.UTC)
    assert protocol.w3(moment) == "2026-12-01T10:30:00+05:00"
    assert protocol.w3(protocol.end_of_day(dt.date(2026, 12, 1))) == "2026-12-01T23:59:59+05:00"


def test_the_notes_say_what_the_status_page_says():
    from prokuratura.appeals.models import Appeal

    day = dt.date(2026, 12, 1)
    answered = Appeal(status="answered", outcome="explained", answered_on=day)
    assert mapping.status_notes(answered) == "Stage: Answered. Decision: Explained. Answered on 01.12.2026."
    # An answer recorded but not yet sent (an open appeal with a decision, e.g. awaiting a head's sign-off): the
    # public sees the review going on, and no decision until the letter goes out.
    unsent = Appeal(status="in_review", outcome="explained", answered_on=day)
    assert mapping.status_notes(unsent) == "Stage: In review."
    extended = Appeal(status="extended", extended_until=day, extension_reason="Служебная причина")
    assert mapping.status_notes(extended) == "Stage: Term extended. The term was extended to 01.12.2026."
    forwarded = Appeal(status="forwarded", outcome="forwarded", forwarded_to="Акимат г. Астаны")
    assert mapping.status_notes(forwarded) == (
        "Stage: Forwarded to the competent body. Forwarded to: Акимат г. Астаны. Decision: Forwarded."
    )
