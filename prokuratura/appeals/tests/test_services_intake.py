"""Registration: dates, deadlines, numbers, routing, anonymous appeals, late complaints, repeats, retries."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from prokuratura.appeals.models import Appeal, AppealKind, ApplicantType, Channel, RoutingRule, Status, Topic
from prokuratura.appeals.services import appeal_register, registration_date
from prokuratura.appeals.services.workflow import appeal_answer, appeal_assign, appeal_start_review
from prokuratura.appeals.tests.factories import VALID_IIN, appeal_data, register
from prokuratura.core.actors import PUBLIC, SCHEDULER
from prokuratura.core.models import AuditEntry

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")


def at(y, m, d, hh=10, mm=0):
    return dt.datetime(y, m, d, hh, mm, tzinfo=ALMATY)


def test_registered_on_the_day_of_receipt_within_working_hours(db):
    assert registration_date(at(2024, 5, 2, 10)) == dt.date(2024, 5, 2)


def test_after_hours_is_registered_the_next_working_day(db):
    # Thursday 2 May 2024 after 18:00 → Friday 3 May.
    assert registration_date(at(2024, 5, 2, 18, 30)) == dt.date(2024, 5, 3)


def test_on_a_day_off_is_registered_the_next_working_day(db):
    # Friday 8 March 2024 is International Women's Day; the weekend follows → Monday 11 March.
    assert registration_date(at(2024, 3, 8, 11)) == dt.date(2024, 3, 11)


def test_deadline_is_15_working_days_from_registration(offices, cast):
    appeal = register(by=cast.registrar_astana, received_at=at(2024, 5, 2, 10))
    assert appeal.registered_on == dt.date(2024, 5, 2)
    # 7 and 9 May are holidays; Saturday 4 May 2024 was a transferred working day in the package's list.
    assert appeal.due_date == dt.date(2024, 5, 27)
    assert appeal.statutory_due_date == appeal.due_date


def test_the_term_runs_from_the_day_of_receipt_as_the_law_says_or_from_registration_by_the_rule(
    offices, cast
):
    from prokuratura.appeals.models import AppealRule
    from prokuratura.appeals.rules import rules_changed

    # Thursday 2 May 2024 after 18:00: registered on Friday 3 May, but received on the 2nd (APPC art. 76 p. 1).
    after_hours = register(by=cast.registrar_astana, received_at=at(2024, 5, 2, 18, 30))
    assert after_hours.registered_on == dt.date(2024, 5, 3)
    assert after_hours.due_date == dt.date(2024, 5, 27)  # as for the same day's appeal received at 10:00
    AppealRule.objects.filter(code="review_term_from_receipt").update(value=0)
    rules_changed()
    counted_from_registration = register(by=cast.registrar_astana, received_at=at(2024, 5, 2, 18, 30))
    assert counted_from_registration.due_date == dt.date(2024, 5, 28)


def test_the_rule_cites_the_article(db):
    from prokuratura.appeals.models import AppealRule

    rule = AppealRule.objects.get(code="review_term_from_receipt")
    assert rule.value == 1 and "art. 76 p. 1" in rule.legal_source


def test_numbers_are_unique_per_office_and_year(offices, cast):
    first = register(by=cast.registrar_astana)
    second = register(by=cast.registrar_astana)
    assert first.reg_number != second.reg_number
    assert first.reg_number.endswith("000001") and second.reg_number.endswith("000002")
    assert len(first.tracking_code) == 14


def test_routing_rule_by_region_and_topic_wins_over_region_default(offices, cast):
    topic = Topic.objects.get(code="labour")
    region = offices.astana.region
    RoutingRule.objects.create(region=region, office=offices.astana, priority=50)
    RoutingRule.objects.create(region=region, topic=topic, office=offices.astana_district, priority=90)
    appeal = register(by=cast.registrar_astana, region=region, topic=topic)
    assert appeal.office == offices.astana_district


def test_without_rules_the_regions_office_takes_it(offices, cast):
    appeal = register(by=cast.registrar_astana, region=offices.almaty.region)
    assert appeal.office == offices.almaty


def test_registration_is_audited_with_a_transition(offices, cast):
    appeal = register(by=cast.registrar_astana)
    assert appeal.transitions.get().to_status == Status.REGISTERED
    entry = AuditEntry.objects.filter(object_type="appeals.appeal", object_id=str(appeal.pk)).get()
    assert entry.action == AuditEntry.Action.CREATE
    assert entry.actor == cast.registrar_astana


def test_an_anonymous_appeal_is_registered_to_be_triaged_the_same_day(offices, cast):
    appeal = register(
        by=cast.registrar_astana,
        applicant_type=ApplicantType.ANONYMOUS,
        applicant_name="",
        applicant_iin=VALID_IIN,
    )
    assert (
        appeal.status == Status.REGISTERED
    )  # nothing is left unread: a person triages it (test_services_workflow)
    assert appeal.forward_due == appeal.registered_on
    assert appeal.applicant_iin == ""


def test_anonymous_crime_report_is_registered_and_forwarded_at_once(offices, cast):
    appeal = register(
        by=cast.registrar_astana,
        applicant_type=ApplicantType.ANONYMOUS,
        applicant_name="",
        kind=AppealKind.REPORT,
        is_urgent_report=True,
        forward_to="Департамент полиции г. Астаны",
    )
    assert appeal.status == Status.FORWARDED
    assert appeal.forwarded_to == "Департамент полиции г. Астаны"
    assert appeal.forward_due == appeal.registered_on


def test_anonymous_crime_report_without_a_body_waits_flagged_for_today(offices, cast):
    appeal = register(
        by=PUBLIC,
        channel=Channel.PUBLIC_WEB,
        applicant_type=ApplicantType.ANONYMOUS,
        applicant_name="",
        kind=AppealKind.REPORT,
        is_urgent_report=True,
    )
    assert appeal.status == Status.REGISTERED
    assert appeal.is_urgent_report and appeal.forward_due == appeal.registered_on


def test_complaint_filed_after_three_months_is_flagged_late(offices, cast):
    # Learned on 29 February 2024: the window ends on Wednesday 29 May, a working day.
    appeal = register(
        by=cast.registrar_astana,
        received_at=at(2024, 6, 3),
        decision_learned_on=dt.date(2024, 2, 29),
    )
    assert appeal.is_late is True
    on_time = register(
        by=cast.registrar_astana, received_at=at(2024, 6, 3), decision_learned_on=dt.date(2024, 3, 4)
    )
    assert on_time.is_late is False


def test_a_window_in_months_ending_on_a_day_off_ends_on_the_next_working_day(offices, cast):
    from prokuratura.appeals.models import AppealRule
    from prokuratura.appeals.rules import rules_changed

    # Learned on 1 March 2024: three months end on Saturday 1 June, so the window runs to Monday 3 June.
    on_monday = register(
        by=cast.registrar_astana, received_at=at(2024, 6, 3), decision_learned_on=dt.date(2024, 3, 1)
    )
    assert on_monday.is_late is False
    assert "Civil Code" in AppealRule.objects.get(code="term_end_moves_to_working_day").legal_source
    AppealRule.objects.filter(code="term_end_moves_to_working_day").update(value=0)
    rules_changed()
    counted_to_saturday = register(
        by=cast.registrar_astana, received_at=at(2024, 6, 3), decision_learned_on=dt.date(2024, 3, 1)
    )
    assert counted_to_saturday.is_late is True


def test_repeated_appeal_links_to_the_answered_one(offices, cast):
    first = register(by=cast.registrar_astana, region=offices.astana.region, respondent_body="ТОО Кайнар")
    appeal_assign(by=cast.head_astana, appeal=first, assignee=cast.prosecutor_astana)
    appeal_start_review(by=cast.prosecutor_astana, appeal=first)
    appeal_answer(by=cast.prosecutor_astana, appeal=first, outcome="explained", answer_text="Разъяснено.")
    again = register(by=cast.registrar_astana, region=offices.astana.region, respondent_body="тоо кайнар")
    assert again.repeated_of == first
    other_matter = register(by=cast.registrar_astana, topic=Topic.objects.get(code="housing"))
    assert other_matter.repeated_of is None


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"applicant_iin": "900101300127"}, "applicant_iin"),
        ({"consent_personal_data": False}, "consent_personal_data"),
        ({"applicant_type": ApplicantType.ORGANISATION, "applicant_bin": ""}, "applicant_bin"),
        ({"applicant_type": ApplicantType.ORGANISATION, "applicant_bin": "990340000124"}, "applicant_bin"),
        ({"applicant_name": ""}, "applicant_name"),
    ],
)
def test_bad_input_is_refused_and_nothing_is_saved(offices, cast, overrides, field):
    with pytest.raises(ValidationError) as caught:
        appeal_register(by=cast.registrar_astana, channel=Channel.STAFF, data=appeal_data(**overrides))
    assert field in caught.value.message_dict
    assert Appeal.objects.count() == 0
    assert not AuditEntry.objects.filter(object_type="appeals.appeal").exists()


def test_a_retry_with_the_same_submission_key_returns_the_first_appeal(offices, cast):
    data = appeal_data()
    first = appeal_register(by=cast.registrar_astana, channel=Channel.STAFF, data=data, submission_key="k-1")
    again = appeal_register(by=cast.registrar_astana, channel=Channel.STAFF, data=data, submission_key="k-1")
    assert first.created and not again.created
    assert again.appeal.pk == first.appeal.pk
    assert Appeal.objects.count() == 1


def test_a_disguised_attachment_is_refused(offices, cast):
    fake = SimpleUploadedFile("letter.pdf", b"MZ\x90\x00 this is a program", content_type="application/pdf")
    with pytest.raises(ValidationError) as caught:
        appeal_register(by=cast.registrar_astana, channel=Channel.STAFF, data=appeal_data(), uploads=[fake])
    assert "attachments" in caught.value.message_dict
    assert Appeal.objects.count() == 0


def test_a_real_pdf_is_stored_with_its_digest(offices, cast, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path
    pdf = SimpleUploadedFile("letter.pdf", b"%PDF-1.4\n%test\n", content_type="application/octet-stream")
    result = appeal_register(
        by=cast.registrar_astana, channel=Channel.STAFF, data=appeal_data(), uploads=[pdf]
    )
    attachment = result.appeal.attachments.get()
    assert attachment.content_type == "application/pdf"
    assert attachment.original_name == "letter.pdf"
    assert len(attachment.sha256) == 64
    assert attachment.file.read().startswith(b"%PDF-")


def test_an_oversized_attachment_is_refused(offices, cast):
    big = SimpleUploadedFile("scan.txt", b"a" * (10 * 1024 * 1024 + 1), content_type="text/plain")
    with pytest.raises(ValidationError):
        appeal_register(by=cast.registrar_astana, channel=Channel.STAFF, data=appeal_data(), uploads=[big])


def test_an_appeal_from_the_public_page_is_audited_under_its_channel(offices):
    appeal = register(by=PUBLIC, channel=Channel.PUBLIC_WEB)
    entry = AuditEntry.objects.get(object_type="appeals.appeal", object_id=str(appeal.pk))
    assert entry.actor is None and entry.actor_repr == "system:public_web"


@pytest.mark.parametrize(
    "actor, channel, allowed",
    [
        ("registrar_astana", Channel.STAFF, True),
        ("registrar_astana", Channel.API, True),
        ("head_astana", Channel.STAFF, True),
        ("admin", Channel.IMPORT, True),
        ("admin", Channel.STAFF, False),
        ("prosecutor_astana", Channel.STAFF, False),
        ("analyst", Channel.API, False),
        ("outsider", Channel.STAFF, False),
        (PUBLIC, Channel.PUBLIC_WEB, True),
        (PUBLIC, Channel.STAFF, False),
        (SCHEDULER, Channel.PUBLIC_WEB, False),
        ("registrar_astana", Channel.PUBLIC_WEB, False),
    ],
)
def test_each_channel_admits_its_own_actors_and_refuses_the_rest(offices, cast, actor, channel, allowed):
    by = getattr(cast, actor) if isinstance(actor, str) else actor
    if allowed:
        assert register(by=by, channel=channel).pk
    else:
        with pytest.raises(PermissionDenied):
            register(by=by, channel=channel)
        assert not Appeal.objects.exists()
