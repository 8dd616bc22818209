"""International relations in a real browser, every page checked with axe (issue 14's "Done when"): an officer
imports a press release, corrects one extracted item and saves the meeting; records a special rapporteur's visit
with two recommendations and updates one's implementation status; the leadership sees the visits and projects
counts. The other pages of the module are opened once each, so axe checks them too.

The cast reads the pages in Russian (their preferred language): the tests find things by ids and names, never by
visible text."""

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.utils import timezone

from prokuratura.core.models import Country
from prokuratura.relations.models import (
    Counterpart,
    Event,
    EventKind,
    EventStatus,
    ImplementationStatus,
    Project,
    ProjectStatus,
    Recommendation,
)
from prokuratura.relations.reference import visits_load
from prokuratura.relations.tests import factories as f

TODAY = timezone.localdate()

PRESS_TEXT = """Prosecutor General's Office receives a delegation of Eurojust

ASTANA. KAZINFORM – Deputy Prosecutor General Andrey Kravchenko met today with the delegation of Eurojust led by
its Vice-President, the press service of the Prosecutor General's Office reports.

The parties discussed cooperation in combating drug trafficking and cybercrime. It was noted that Kazakhstan has
concluded 44 bilateral agreements on legal assistance in criminal matters.
"""


@pytest.fixture(autouse=True)
def _reference(transactional_db):
    """Live-server tests flush the database between tests, data-migration rows included: load the counterparts,
    topics and statements again, and the states the pages and the press import name."""
    importlib.import_module(
        "prokuratura.relations.migrations.0002_default_counterparts_topics_statements"
    ).load(apps, None)
    for iso2, name in (("KZ", "Kazakhstan"), ("US", "United States of America"), ("CN", "China")):
        Country.objects.get_or_create(
            iso2=iso2, defaults={"iso3": iso2 + "X", "name_en": name, "name_ru": name, "name_kk": name}
        )


def submit(page, selector):
    """Click a button that posts a form, wait for the page the server answers with, check it with axe."""
    with page.expect_navigation():
        page.locator(selector).click()
    page.check()


def test_an_officer_imports_a_press_release_corrects_an_item_and_saves_the_meeting(page, login, cast):
    login(cast.intl_officer)
    page.goto("/relations/press/")
    page.locator("#id_text").fill(PRESS_TEXT)
    page.locator("#id_published_on").fill(TODAY.isoformat())
    submit(page, "#press-import-submit")
    # The draft: nothing saved yet; the figure found with its subject, which the officer corrects.
    assert not Event.objects.exists()
    subject = page.locator("input[name='figures-0-subject']")
    assert "bilateral agreements" in subject.input_value()
    subject.fill("bilateral treaties on legal assistance in criminal matters")
    submit(page, "#press-review-submit")
    event = Event.objects.get()
    assert page.url.endswith(f"/relations/events/{event.pk}/")
    assert event.start_date == TODAY and event.status == EventStatus.HELD
    assert event.principal.code == "eurojust"
    [figure] = event.figures.all()
    assert (figure.value, figure.subject) == (
        44,
        "bilateral treaties on legal assistance in criminal matters",
    )
    assert {t.code for t in event.topics.all()} >= {"drug-trafficking", "cybercrime"}
    assert event.participants.filter(official_name="Andrey Kravchenko").exists()


def test_an_officer_records_a_rapporteurs_visit_with_two_recommendations_and_reports_progress(
    page, login, cast
):
    mandate = Counterpart.objects.get(code="sr-torture")
    started = TODAY - dt.timedelta(days=20)
    login(cast.intl_officer)
    page.goto("/relations/events/new/")
    page.locator("#id_kind").select_option(EventKind.INCOMING_VISIT)
    page.locator("#id_title").fill("Visit of the Special Rapporteur on torture")
    page.locator("#id_start_date").fill(started.isoformat())
    page.locator("#id_end_date").fill((started + dt.timedelta(days=8)).isoformat())
    page.locator("#id_held").check()
    page.locator("#id_country").select_option("KZ")
    page.locator("#id_principal").select_option(str(mandate.pk))
    page.locator("#id_holder_name").fill("Alice Jill Edwards")
    page.locator("select[name='participants-0-counterpart']").select_option(str(mandate.pk))
    page.locator("input[name='participants-0-official_name']").fill("Alice Jill Edwards")
    submit(page, "#event-form-submit")
    event = Event.objects.get()
    assert (event.kind, event.status, event.principal_id) == (
        EventKind.INCOMING_VISIT,
        EventStatus.HELD,
        mandate.pk,
    )

    # Two recommendations of the visit: the form knows the visit and its mandate.
    with page.expect_navigation():
        page.locator(f"a[href$='/relations/recommendations/new/?event={event.pk}']").first.click()
    page.check()
    for n, text in enumerate(
        (
            "Ensure that every allegation of torture is investigated promptly by an independent body.",
            "Introduce video recording in all interview rooms of temporary detention facilities.",
        )
    ):
        page.locator("#id_document").fill("A/HRC/58/55/Add.1")
        page.locator("#id_paragraph").fill(f"{80 + n}")
        page.locator("#id_issued_on").fill((started + dt.timedelta(days=8)).isoformat())
        page.locator("#id_text").fill(text)
        submit(page, "#recommendation-form-another" if n == 0 else "#recommendation-form-submit")
    first, second = Recommendation.objects.order_by("paragraph")
    assert {first.event_id, second.event_id} == {event.pk} and first.source_id == mandate.pk
    assert page.url.endswith(f"/relations/recommendations/{second.pk}/")

    # Update one's implementation: start it with the planned actions, then report it partly implemented.
    page.locator("#step-start > summary").click()
    page.locator("#step-start-form textarea[name='planned_actions']").fill("Amend the CPC; equip the rooms.")
    submit(page, "#step-start-submit")
    page.locator("#step-report > summary").click()
    page.locator("#step-report-form select[name='status']").select_option(ImplementationStatus.PARTIALLY)
    page.locator("#step-report-form textarea[name='evidence']").fill(
        "Video recording installed in 12 of 20 rooms."
    )
    submit(page, "#step-report-submit")
    second.refresh_from_db()
    first.refresh_from_db()
    assert (
        second.status == ImplementationStatus.PARTIALLY and first.status == ImplementationStatus.NOT_STARTED
    )
    assert page.locator("#evidence").inner_text() == "Video recording installed in 12 of 20 rooms."
    assert [t.to_status for t in second.transitions.order_by("at", "id")] == [
        ImplementationStatus.NOT_STARTED,
        ImplementationStatus.IN_PROGRESS,
        ImplementationStatus.PARTIALLY,
    ]


def test_the_leadership_sees_the_visits_and_projects_counts(page, login, cast, offices):
    visits_load()  # the 14 real visits of UN special procedures and the SPT, from data/reference
    osce = Counterpart.objects.get(code="osce-astana")
    f.project(
        by=cast.intl_officer, partner=osce, title="Criminal justice reform", status=ProjectStatus.ACTIVE
    )
    f.project(by=cast.intl_officer, partner=osce, title="Trafficking in human beings")
    assert Project.objects.count() == 2
    login(cast.head_gpo)
    page.goto("/relations/numbers/?date=2015-10-22&years=5")
    # Six visits of special procedures in the five years before the statement of 22.10.2015, which said eight.
    assert page.locator("#visits-title + p.calendar-total").inner_text().split()[0] == "6"
    assert "8" in page.locator("#visit-statements-title").locator("..").inner_text()
    page.goto("/relations/numbers/")
    projects = page.locator("#projects-by-partner").inner_text()
    assert "2" in projects
    # The module's other pages, each checked with axe.
    event = f.event(by=cast.intl_officer, held=False)
    recommendation = Recommendation.objects.create(
        office=offices.gpo,
        source_kind="upr",
        issued_on=TODAY - dt.timedelta(days=5),
        text="Strengthen the independence of the judiciary.",
    )
    project = Project.objects.first()
    for path in (
        "/relations/events/",
        f"/relations/events/{event.pk}/",
        f"/relations/events/{event.pk}/edit/",
        "/relations/calendar/",
        "/relations/tasks/",
        "/relations/projects/",
        f"/relations/projects/{project.pk}/",
        "/relations/projects/new/",
        "/relations/recommendations/",
        f"/relations/recommendations/{recommendation.pk}/",
        "/relations/counterparts/",
        f"/relations/counterparts/{osce.pk}/",
        "/relations/topics/",
        "/relations/press/",
    ):
        page.goto(path)
