"""The auditors' pages: the filtered, keyset-paginated trail, one entry, and the chain check."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prokuratura.core.audit import audit_record, audit_seal
from prokuratura.core.models import AuditEntry
from prokuratura.core.tests.sealing import sealed, sealed_one

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fast_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def auditor_client(client_for, cast):
    client = client_for(cast.auditor)
    client.get(reverse("core:home"))  # the session exists before any query is counted
    return client


def _entries(n):
    """n entries, sealed into the chain."""
    return sealed(
        audit_record(actor=None, action=AuditEntry.Action.UPDATE, object_type="core.office", object_id="1")
        for _ in range(n)
    )


def _login(cast):
    return sealed_one(audit_record(actor=cast.admin, action=AuditEntry.Action.LOGIN, obj=cast.admin))


def test_auditors_browse_the_trail_newest_first(auditor_client, cast):
    _login(cast)
    response = auditor_client.get(reverse("core:audit_list"))
    assert response.status_code == 200
    seqs = [entry.seq for entry in response.context["page"].entries]
    assert seqs == sorted(seqs, reverse=True)
    assert seqs[0] == AuditEntry.objects.order_by("-seq").first().seq


def test_entries_not_yet_sealed_are_counted_not_listed(auditor_client, cast, settings):
    settings.AUDIT_SEAL_INLINE = False  # as on PostgreSQL
    chained = _login(cast)
    for _ in range(2):
        audit_record(actor=cast.admin, action=AuditEntry.Action.LOGIN, obj=cast.admin)
    response = auditor_client.get(reverse("core:audit_list"))
    assert [entry.pk for entry in response.context["page"].entries][0] == chained.pk
    assert all(entry.seq is not None for entry in response.context["page"].entries)
    assert (
        "2 entries written in the last moments are not yet sealed into the chain; they appear here once they are."
        in response.content.decode()
    )
    audit_seal()
    assert "not yet sealed" not in auditor_client.get(reverse("core:audit_list")).content.decode()


@pytest.mark.parametrize("who", ["admin", "head_gpo", "prosecutor_astana", "outsider"])
def test_only_auditors_may_open_the_trail(client_for, cast, who):
    client = client_for(getattr(cast, who))
    entry = _login(cast)
    assert client.get(reverse("core:audit_list")).status_code == 403
    assert client.get(reverse("core:audit_detail", args=[entry.seq])).status_code == 403
    assert client.post(reverse("core:audit_verify")).status_code == 403


def test_filters_by_actor_action_object_and_date(auditor_client, cast, offices):
    audit_record(actor=cast.admin, action=AuditEntry.Action.UPDATE, obj=offices.almaty, changes={})
    audit_record(actor=cast.head_gpo, action=AuditEntry.Action.UPDATE, obj=offices.almaty, changes={})
    audit_record(actor=cast.admin, action=AuditEntry.Action.LOGIN, obj=cast.admin)
    audit_seal()

    def seqs(**params):
        response = auditor_client.get(reverse("core:audit_list"), params)
        assert response.status_code == 200
        return [
            (e.actor_repr, e.action, e.object_type, e.object_id) for e in response.context["page"].entries
        ]

    assert seqs(actor="ADMIN", action="update") == [
        ("admin", "update", "core.office", str(offices.almaty.pk))
    ]
    assert seqs(object_type="core.office", object_id=str(offices.almaty.pk), action="update") == [
        ("head_gpo", "update", "core.office", str(offices.almaty.pk)),
        ("admin", "update", "core.office", str(offices.almaty.pk)),
    ]
    assert seqs(actor="nobody-by-that-name") == []
    today = timezone.localdate().isoformat()
    assert len(seqs(date_from=today, date_to=today, action="login")) == 1
    tomorrow = (timezone.localdate() + dt.timedelta(days=1)).isoformat()
    assert seqs(date_from=tomorrow) == []


def test_a_date_range_ending_before_it_starts_is_400(auditor_client):
    response = auditor_client.get(
        reverse("core:audit_list"), {"date_from": "2026-05-02", "date_to": "2026-05-01"}
    )
    assert response.status_code == 400
    assert "The end date is before the start date." in response.content.decode()


def test_a_malformed_date_is_400(auditor_client):
    response = auditor_client.get(reverse("core:audit_list"), {"date_from": "yesterday"})
    assert response.status_code == 400
    assert "Enter a valid date." in response.content.decode()


def test_keyset_pagination_walks_the_trail_without_offset(auditor_client):
    _entries(120)
    newest = AuditEntry.objects.order_by("-seq").first().seq
    with CaptureQueriesContext(connection) as first_queries:
        first = auditor_client.get(reverse("core:audit_list"), {"action": "update"})
    page = first.context["page"]
    assert len(page.entries) == 50 and page.entries[0].seq == newest
    assert page.newer is None and page.older == page.entries[-1].seq
    assert f"before={page.older}" in first.content.decode()

    second = auditor_client.get(reverse("core:audit_list"), {"action": "update", "before": page.older})
    page2 = second.context["page"]
    assert page2.entries[0].seq == page.entries[-1].seq - 1
    assert page2.newer == page2.entries[0].seq
    assert "action=update" in second.content.decode()  # the links keep the filters

    third = auditor_client.get(reverse("core:audit_list"), {"action": "update", "before": page2.older})
    page3 = third.context["page"]
    assert len(page3.entries) == 20 and page3.older is None

    back = auditor_client.get(reverse("core:audit_list"), {"action": "update", "after": page3.newer})
    assert [e.seq for e in back.context["page"].entries] == [e.seq for e in page2.entries]

    # A deep page costs what the first one does, and nothing is skipped with OFFSET.
    with CaptureQueriesContext(connection) as deep_queries:
        auditor_client.get(reverse("core:audit_list"), {"action": "update", "before": page2.older})
    assert len(deep_queries.captured_queries) == len(first_queries.captured_queries) + 1  # + "any newer?"
    assert not any("OFFSET" in q["sql"].upper() for q in deep_queries.captured_queries)


def test_the_first_page_takes_a_fixed_number_of_queries(auditor_client, django_assert_num_queries):
    _entries(60)
    # Six for every signed-in page (session, user, two OTP device look-ups, roles, role policy), the page and
    # the count of entries not yet sealed.
    with django_assert_num_queries(8):
        auditor_client.get(reverse("core:audit_list"))


def test_htmx_gets_only_the_results_region(auditor_client):
    _entries(3)
    response = auditor_client.get(
        reverse("core:audit_list"),
        {"action": "update"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="audit-results",
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<div id="audit-results"')
    assert "<html" not in html
    assert len(response.context["page"].entries) == 3


def test_htmx_filter_errors_come_back_in_the_results_region(auditor_client):
    response = auditor_client.get(
        reverse("core:audit_list"),
        {"date_from": "nonsense"},
        HTTP_HX_REQUEST="true",
        HTTP_HX_TARGET="audit-results",
    )
    assert response.status_code == 200  # htmx swaps 2xx only
    assert "Enter a valid date." in response.content.decode()


def test_the_filter_form_works_with_and_without_javascript(auditor_client):
    html = auditor_client.get(reverse("core:audit_list")).content.decode()
    assert 'method="get"' in html and f'action="{reverse("core:audit_list")}"' in html
    assert 'hx-get="' in html and 'hx-target="#audit-results"' in html


def test_the_detail_shows_each_changed_field_and_the_hashes(auditor_client, cast):
    entry = audit_record(
        actor=cast.admin,
        action=AuditEntry.Action.UPDATE,
        obj=cast.prosecutor_almaty,
        changes={
            "position": {"before": "Прокурор", "after": "Аға прокурор"},
            "middle_name": {"before": None, "after": ""},
        },
    )
    entry = sealed_one(entry)
    response = auditor_client.get(reverse("core:audit_detail", args=[entry.seq]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Прокурор" in html and "Аға прокурор" in html
    assert "(none)" in html and "(empty)" in html
    assert entry.hash in html and entry.prev_hash in html
    assert response.context["check"].hash_ok is True
    assert response.context["check"].follows_previous is True
    assert response.context["check"].has_next is False  # the newest entry has no "next" link
    assert reverse("core:audit_detail", args=[entry.seq + 1]) not in html
    assert reverse("core:audit_detail", args=[entry.seq - 1]) in html


def test_the_detail_flags_an_edited_entry(auditor_client, cast):
    entry = _login(cast)
    AuditEntry.objects.filter(seq=entry.seq).update(actor_repr="someone-else")
    response = auditor_client.get(reverse("core:audit_detail", args=[entry.seq]))
    assert response.context["check"].hash_ok is False
    assert "edited after writing" in response.content.decode()


def test_an_unknown_entry_is_404(auditor_client):
    assert auditor_client.get(reverse("core:audit_detail", args=[999_999])).status_code == 404


def test_verify_reports_an_intact_chain(auditor_client):
    _entries(4)
    response = auditor_client.post(reverse("core:audit_verify"))
    assert response.status_code == 200
    total = AuditEntry.objects.count()
    assert response.context["report"].intact
    assert f"The audit trail is intact: {total} entries checked." in response.content.decode()


def test_verify_names_the_damage(auditor_client):
    entries = _entries(4)
    AuditEntry.objects.filter(seq=entries[1].seq).delete()
    AuditEntry.objects.filter(seq=entries[2].seq).update(reason="tampered")
    response = auditor_client.post(reverse("core:audit_verify"))
    html = response.content.decode()
    problems = {(p.seq, p.kind) for p in response.context["report"].problems}
    assert problems == {(entries[1].seq, "deleted"), (entries[2].seq, "edited")}
    assert "The audit trail is broken" in html
    assert f"#{entries[2].seq}" in html


def test_verify_is_post_only(auditor_client):
    assert auditor_client.get(reverse("core:audit_verify")).status_code == 405
