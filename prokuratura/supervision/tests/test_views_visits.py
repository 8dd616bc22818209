"""The pages of visits to places of detention: restricted records, read audited, 404 for who may not see them."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prokuratura.core.models import AuditEntry
from prokuratura.supervision.models import Act, DetentionVisit

from .factories import make_facility, make_visit

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()


@pytest.fixture
def facility(offices):
    return make_facility(region=offices.astana.region)


def visit_post(place, **overrides):
    data = {
        "facility": place.pk,
        "visited_on": TODAY.isoformat(),
        "unannounced": "on",
        "findings": "Камеры переполнены; жалобы на применение силы при задержании",
        "ill_treatment_alleged": "on",
        "persons_concerned": "Ержанов А.К., 1990 г.р.",
        "persons_count": "1",
        "follow_up": "Направлено представление",
        "submission_key": "visit-1",
    }
    data.update(overrides)
    return data


def test_a_prosecutor_records_a_visit_once_and_it_is_restricted(client_for, cast, facility):
    client = client_for(cast.prosecutor_astana)
    page = client.get(reverse("supervision:visit_create"))
    assert page.status_code == 200 and 'id="visit-form"' in page.text
    assert "sensitivity" not in page.context["form"].fields  # only a head opens a visit to more readers
    first = client.post(reverse("supervision:visit_create"), visit_post(facility, sensitivity="public"))
    second = client.post(reverse("supervision:visit_create"), visit_post(facility))
    visit = DetentionVisit.objects.get()
    assert first.status_code == 302 and first["Location"] == second["Location"]
    assert visit.sensitivity == "restricted" and visit.prosecutor == cast.prosecutor_astana
    assert visit.ill_treatment_alleged and not visit.torture_alleged


def test_a_head_chooses_who_may_read_the_record(client_for, cast, facility):
    client = client_for(cast.head_astana)
    page = client.get(reverse("supervision:visit_create"))
    assert page.context["form"].fields["sensitivity"].initial == "restricted"
    response = client.post(reverse("supervision:visit_create"), visit_post(facility, sensitivity="internal"))
    assert response.status_code == 302
    assert DetentionVisit.objects.get().sensitivity == "internal"


def test_the_places_are_grouped_by_region_the_users_first(client_for, cast, offices, facility):
    make_facility(region=offices.almaty.region, code="sizo-ala-1")
    choices = client_for(cast.prosecutor_almaty).get(reverse("supervision:visit_create")).context["form"]
    groups = [label for label, _options in choices.fields["facility"].choices[1:]]
    assert groups == [offices.almaty.region.name, offices.astana.region.name]


@pytest.mark.parametrize(
    "overrides, field",
    [
        ({"torture_alleged": "on", "persons_concerned": ""}, "persons_concerned"),  # the service's check
        ({"visited_on": (TODAY + dt.timedelta(days=1)).isoformat()}, "visited_on"),
        ({"facility": ""}, "facility"),
        ({"facility": "999999"}, "facility"),
        ({"findings": ""}, "findings"),
        ({"persons_count": "-2"}, "persons_count"),
    ],
)
def test_bad_input_is_shown_next_to_the_field_and_nothing_is_saved(
    client_for, cast, facility, overrides, field
):
    response = client_for(cast.prosecutor_astana).post(
        reverse("supervision:visit_create"), visit_post(facility, **overrides)
    )
    assert response.status_code == 400 and response.context["form"].errors[field]
    assert not DetentionVisit.objects.exists()


@pytest.mark.parametrize("role", ["auditor", "analyst", "registrar_astana"])
def test_recording_is_refused_to_who_does_not_do_supervision(client_for, cast, facility, role):
    response = client_for(getattr(cast, role)).post(reverse("supervision:visit_create"), visit_post(facility))
    assert response.status_code == 403
    assert not DetentionVisit.objects.exists()


def test_a_prosecutor_of_another_region_cannot_find_the_visit(client_for, cast, facility):
    visit = make_visit(by=cast.prosecutor_astana, facility=facility)
    other = client_for(cast.prosecutor_almaty)
    assert list(other.get(reverse("supervision:visit_list")).context["page"].object_list) == []
    assert other.get(reverse("supervision:visit_detail", args=[visit.pk])).status_code == 404
    assert other.get(reverse("supervision:visit_edit", args=[visit.pk])).status_code == 404
    # Restricted: not even an auditor reads it; a head over the office does.
    assert (
        client_for(cast.auditor).get(reverse("supervision:visit_detail", args=[visit.pk])).status_code == 404
    )
    assert client_for(cast.analyst).get(reverse("supervision:visit_list")).status_code == 403


def test_reading_a_visit_is_audited(client_for, cast, facility):
    visit = make_visit(by=cast.prosecutor_astana, facility=facility)
    listed = client_for(cast.head_astana).get(reverse("supervision:visit_list"))
    assert list(listed.context["page"].object_list) == [visit]
    page = client_for(cast.head_astana).get(reverse("supervision:visit_detail", args=[visit.pk]))
    assert page.status_code == 200 and "Ержанов" in page.text
    assert AuditEntry.objects.filter(action="read", object_id=str(visit.pk), actor=cast.head_astana).exists()


def test_a_follow_up_act_is_drafted_after_the_visit(client_for, cast, facility):
    visit = make_visit(by=cast.prosecutor_astana, facility=facility)
    client = client_for(cast.prosecutor_astana)
    page = client.get(reverse("supervision:visit_detail", args=[visit.pk]))
    assert 'id="draft-act"' in page.text
    url = reverse("supervision:act_create") + f"?visit={visit.pk}"
    form = client.get(url)
    assert form.status_code == 200 and "violations" not in form.context["form"].fields
    from prokuratura.supervision.models import ActType

    response = client.post(
        url,
        {
            "act_type": ActType.objects.get(code="submission").pk,
            "addressee_name": "Начальнику СИЗО № 1",
            "language": "ru",
            "text": "Устранить нарушения",
            "submission_key": "after-visit",
        },
    )
    assert response.status_code == 302
    act = Act.objects.get()
    assert act.visit == visit and act.sensitivity == "restricted"
    page = client.get(reverse("supervision:visit_detail", args=[visit.pk]))
    assert list(page.context["acts"]) == [act]
    assert client_for(cast.prosecutor_almaty).get(url).status_code == 404


def test_the_visiting_prosecutor_corrects_the_record(client_for, cast, facility):
    visit = make_visit(by=cast.prosecutor_astana, facility=facility)
    client = client_for(cast.prosecutor_astana)
    url = reverse("supervision:visit_edit", args=[visit.pk])
    assert client.get(url).context["form"].initial["findings"] == visit.findings
    response = client.post(url, visit_post(facility, persons_count="3"))
    assert response.status_code == 302
    visit.refresh_from_db()
    assert visit.persons_count == 3 and visit.sensitivity == "restricted"


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_the_list_and_the_page_read_a_fixed_number_of_queries(
    client_for, cast, facility, django_assert_max_num_queries
):
    from .factories import make_act

    client = client_for(cast.head_astana)
    visit = make_visit(by=cast.prosecutor_astana, facility=facility)
    make_act(by=cast.prosecutor_astana, visit=visit)
    few = _count(client, reverse("supervision:visit_list"))
    page_few = _count(client, reverse("supervision:visit_detail", args=[visit.pk]))
    for _i in range(3):
        make_visit(by=cast.prosecutor_astana, facility=facility)
        make_act(by=cast.prosecutor_astana, visit=visit)
    assert _count(client, reverse("supervision:visit_list")) == few
    assert _count(client, reverse("supervision:visit_detail", args=[visit.pk])) == page_few
    with django_assert_max_num_queries(15):  # 5 of them write the audit entry of the restricted read
        client.get(reverse("supervision:visit_detail", args=[visit.pk]))
