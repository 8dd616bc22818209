"""The lifecycle kernel, driven through a lifecycle that is only a declaration and its step services
(core/tests/lifecycle_example): the table, permissions, actor rules, reasons, the deadline rule, stale forms,
system actors, the history row, the audit entry, the page's forms and the API's step endpoints."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from ninja import NinjaAPI, Router
from ninja.testing import TestClient

from prokuratura.core.actors import PUBLIC, SCHEDULER
from prokuratura.core.api_support import install_exception_handlers
from prokuratura.core.lifecycle import LIFECYCLES, step_forms
from prokuratura.core.lifecycle_api import add_step_endpoints
from prokuratura.core.models import AuditEntry
from prokuratura.core.tests.lifecycle_example import services
from prokuratura.core.tests.lifecycle_example.models import Ticket, TicketStep
from prokuratura.core.tests.lifecycle_example.transitions import TICKETS

S = Ticket.Status
TODAY = timezone.localdate()


@pytest.fixture
def ticket(offices):
    return Ticket.objects.create(
        title="Check the register", office=offices.astana_district, due_date=TODAY + dt.timedelta(days=16)
    )


def test_the_declaration_registers_the_lifecycle_and_derives_its_table():
    assert LIFECYCLES["lifecycle_example.ticket"] is TICKETS
    assert TICKETS.table() == {
        S.OPEN: frozenset({S.IN_WORK, S.CANCELLED}),
        S.IN_WORK: frozenset({S.DONE, S.IN_WORK, S.CANCELLED}),
        S.DONE: frozenset(),
        S.CANCELLED: frozenset(),
    }


def test_steps_offered_follow_permission_and_actor_rule(ticket, cast):
    def names(actor):
        return {s.name for s in TICKETS.available(actor=actor, record=ticket)}

    assert names(cast.prosecutor_astana) == {"take"}  # staff of the office, holding appeals.work
    assert names(cast.head_astana) == {"take", "cancel"}  # a head over the office
    assert names(cast.prosecutor_almaty) == set()  # another office
    assert names(cast.registrar_astana) == set()  # in the chain, but without the permission
    assert names(SCHEDULER) == {"cancel"}  # the one system actor a step names
    assert names(PUBLIC) == set()


def test_a_step_writes_the_history_row_and_audits_the_changed_fields(ticket, cast):
    services.ticket_take(by=cast.prosecutor_astana, ticket=ticket)
    assert ticket.status == S.IN_WORK and ticket.assignee == cast.prosecutor_astana
    row = TicketStep.objects.get(ticket=ticket)
    assert (row.step, row.from_status, row.to_status, row.by, row.by_system) == (
        "take",
        S.OPEN,
        S.IN_WORK,
        cast.prosecutor_astana,
        "",
    )
    entry = AuditEntry.objects.get(
        object_type="lifecycle_example.ticket", action=AuditEntry.Action.TRANSITION
    )
    assert entry.actor == cast.prosecutor_astana
    assert entry.changes == {
        "status": {"before": "open", "after": "in_work"},
        "assignee": {"before": None, "after": cast.prosecutor_astana.pk},
    }


def test_a_step_the_table_forbids_is_refused_and_changes_nothing(ticket, cast):
    with pytest.raises(ValidationError) as refused:
        services.ticket_finish(by=cast.head_astana, ticket=ticket)
    assert refused.value.code == "invalid_transition"
    ticket.refresh_from_db()
    assert ticket.status == S.OPEN and not TicketStep.objects.exists()


def test_the_actor_rule_and_the_permission_are_checked_by_the_kernel(ticket, cast):
    with pytest.raises(PermissionDenied):
        services.ticket_take(by=cast.prosecutor_almaty, ticket=ticket)  # permission, wrong office
    with pytest.raises(PermissionDenied):
        services.ticket_take(by=cast.registrar_astana, ticket=ticket)  # right office, no permission
    with pytest.raises(PermissionDenied):
        services.ticket_cancel(
            by=PUBLIC, ticket=ticket, reason="spam"
        )  # a system actor the step does not name
    assert not TicketStep.objects.exists()


def test_a_required_reason_is_required(ticket, cast):
    with pytest.raises(ValidationError) as refused:
        services.ticket_cancel(by=cast.head_astana, ticket=ticket, reason="  ")
    assert "reason" in refused.value.message_dict


def test_a_system_actor_named_by_the_step_takes_it_and_is_recorded_by_name(ticket):
    services.ticket_cancel(by=SCHEDULER, ticket=ticket, reason="Expired unanswered.")
    row = TicketStep.objects.get(ticket=ticket)
    assert row.by is None and row.by_system == "scheduler" and row.reason == "Expired unanswered."
    entry = AuditEntry.objects.get(object_type="lifecycle_example.ticket")
    assert entry.actor is None and entry.actor_repr == "system:scheduler"


def test_a_step_that_keeps_the_deadline_cannot_move_it(ticket, cast):
    with pytest.raises(ValueError, match="keeps the deadline"):
        TICKETS.transition(
            step="take",
            by=cast.prosecutor_astana,
            record=ticket,
            changes={"due_date": TODAY + dt.timedelta(days=30)},
        )
    services.ticket_take(by=cast.prosecutor_astana, ticket=ticket)
    services.ticket_postpone(
        by=cast.head_astana, ticket=ticket, until=TODAY + dt.timedelta(days=40), reason="Experts."
    )
    ticket.refresh_from_db()
    assert ticket.due_date == TODAY + dt.timedelta(days=40) and ticket.status == S.IN_WORK


def test_a_stale_record_or_form_is_refused(ticket, cast):
    rendered = TICKETS.version(ticket)
    stale = Ticket.objects.get(pk=ticket.pk)
    services.ticket_take(by=cast.head_astana, ticket=ticket)
    # A service call with an object read before someone else's step.
    with pytest.raises(ValidationError) as refused:
        services.ticket_cancel(by=cast.head_astana, ticket=stale, reason="Duplicate.")
    assert refused.value.code == "stale"
    # The page's form, rendered before that step, submitted after it: same status, but not the same record.
    fresh = Ticket.objects.get(pk=ticket.pk)
    with pytest.raises(ValidationError) as refused:
        TICKETS.perform(
            step="cancel",
            by=cast.head_astana,
            record=fresh,
            inputs={"reason": "Duplicate."},
            version=rendered,
        )
    assert refused.value.code == "stale"
    assert Ticket.objects.get(pk=ticket.pk).status == S.IN_WORK


def test_the_page_offers_the_forms_of_the_steps_with_a_form_and_the_version(ticket, cast):
    forms = step_forms(TICKETS, actor=cast.head_astana, record=ticket)
    assert list(forms) == ["take"]  # cancel has no form: the page does not offer it
    assert forms["take"].initial["version"] == TICKETS.version(ticket)


@pytest.fixture
def api_client():
    router = Router()

    def access(*, user, ticket_id, request):
        return Ticket.objects.get(pk=ticket_id)

    from ninja import Schema

    class TicketOut(Schema):
        id: int
        status: str

    add_step_endpoints(
        router,
        TICKETS,
        path="/tickets/{ticket_id}",
        id_param="ticket_id",
        access=access,
        response=TicketOut,
        view_permission="appeals.view",
    )
    api = NinjaAPI(urls_namespace="lifecycle-example-test")
    install_exception_handlers(api)
    api.add_router("/", router)
    return TestClient(api)


def test_the_api_step_endpoints_come_from_the_declaration(api_client, ticket, cast):
    paths = {str(route.pattern) for route in api_client.urls if "ticket_id" in str(route.pattern)}
    # A step without an input schema (postpone, cancel) has no endpoint.
    assert paths == {"tickets/<ticket_id>/take", "tickets/<ticket_id>/finish", "tickets/<ticket_id>/steps"}
    steps = api_client.get(f"/tickets/{ticket.pk}/steps", user=cast.prosecutor_astana)
    assert [s["name"] for s in steps.json()] == ["take"]
    refused = api_client.post(f"/tickets/{ticket.pk}/take", json={}, user=cast.prosecutor_almaty)
    assert refused.status_code == 403
    stale = api_client.post(
        f"/tickets/{ticket.pk}/take", json={}, user=cast.prosecutor_astana, headers={"If-Match": "2000-01-01"}
    )
    assert stale.status_code == 412
    taken = api_client.post(f"/tickets/{ticket.pk}/take", json={}, user=cast.prosecutor_astana)
    assert taken.status_code == 200 and taken.json()["status"] == "in_work"
    again = api_client.post(f"/tickets/{ticket.pk}/take", json={}, user=cast.prosecutor_astana)
    assert again.status_code == 422 and Ticket.objects.get(pk=ticket.pk).status == S.IN_WORK


def test_the_system_check_finds_every_declaration_complete_and_names_a_broken_one():
    from prokuratura.core.checks import lifecycles_are_complete
    from prokuratura.core.lifecycle import Lifecycle, Step, assignee

    assert lifecycles_are_complete(None) == []
    assert {"appeals.appeal", "lifecycle_example.ticket"} <= set(LIFECYCLES)
    broken = Lifecycle(
        model=Ticket,
        history=TicketStep,
        history_fk="ticket",
        statuses=S,
        initial=S.OPEN,
        record_name="ticket",
        tracked_fields=("status", "no_such_field"),
        steps=(
            Step("take", "Take", frozenset({S.OPEN}), S.IN_WORK, assignee(), "nowhere.ticket_take", "x.y"),
        ),
    )
    try:
        messages = [e.msg for e in lifecycles_are_complete(None)]
    finally:
        LIFECYCLES["lifecycle_example.ticket"] = TICKETS
    assert broken is not TICKETS
    assert any("no field 'no_such_field'" in m for m in messages)
    assert any("the service 'nowhere.ticket_take' cannot be imported" in m for m in messages)


def test_a_declaration_with_an_unknown_status_or_a_user_step_without_permission_is_refused():
    from prokuratura.core.lifecycle import Lifecycle, Step, assignee

    def declare(step):
        return Lifecycle(
            model=Ticket,
            history=TicketStep,
            history_fk="ticket",
            statuses=S,
            initial=S.OPEN,
            record_name="ticket",
            tracked_fields=("status",),
            steps=(step,),
        )

    try:
        with pytest.raises(ValueError, match="unknown statuses"):
            declare(Step("x", "X", frozenset({"nowhere"}), S.DONE, assignee(), "a.b", "p"))
        with pytest.raises(ValueError, match="declares a permission"):
            declare(Step("x", "X", frozenset({S.OPEN}), S.DONE, assignee(), "a.b"))
    finally:
        LIFECYCLES["lifecycle_example.ticket"] = TICKETS


def test_a_system_actor_is_the_same_actor_in_every_language(ticket):
    from django.utils import translation

    with translation.override("kk"):
        assert TICKETS.may_take(actor=SCHEDULER, record=ticket, step="cancel")
    with translation.override("ru"):
        assert SCHEDULER in TICKETS.step("cancel").who.system_actors


def test_a_change_that_kept_the_status_still_makes_an_older_copy_stale(ticket, cast):
    services.ticket_take(by=cast.prosecutor_astana, ticket=ticket)
    older = Ticket.objects.get(pk=ticket.pk)
    services.ticket_postpone(
        by=cast.head_astana, ticket=ticket, until=TODAY + dt.timedelta(days=50), reason="Experts."
    )
    assert ticket.status == older.status == S.IN_WORK
    with pytest.raises(ValidationError) as refused:
        services.ticket_finish(by=cast.prosecutor_astana, ticket=older)
    assert refused.value.code == "stale"
    services.ticket_finish(by=cast.prosecutor_astana, ticket=ticket)  # the caller's own copy is current
    assert Ticket.objects.get(pk=ticket.pk).status == S.DONE


def test_a_history_note_names_only_what_the_statuses_do_not_say():
    assert TICKETS.history_note("take") == ""  # open → in work says it all
    assert TICKETS.history_note("postpone") == ""  # a declared move to in work, even from in work
    assert TICKETS.history_note("create") == ""


def test_a_step_whose_condition_does_not_hold_is_hidden_and_refused_with_its_reason(ticket, cast):
    services.ticket_take(by=cast.prosecutor_astana, ticket=ticket)
    Ticket.objects.filter(pk=ticket.pk).update(due_date=TODAY - dt.timedelta(days=1))
    ticket.refresh_from_db()
    assert "postpone" not in {s.name for s in TICKETS.available(actor=cast.head_astana, record=ticket)}
    with pytest.raises(ValidationError) as refused:
        services.ticket_postpone(
            by=cast.head_astana, ticket=ticket, until=TODAY + dt.timedelta(days=9), reason="x"
        )
    assert refused.value.code == "not_now" and refused.value.messages == ["The term has run out."]
    with pytest.raises(PermissionDenied):  # someone who may never take it is not told why not now
        services.ticket_postpone(by=cast.prosecutor_astana, ticket=ticket, until=TODAY, reason="x")


def test_a_record_is_created_only_in_the_declared_initial_status(ticket, cast):
    TICKETS.record_history(record=ticket, by=cast.prosecutor_astana, step="create")
    assert TicketStep.objects.get(ticket=ticket).to_status == S.OPEN
    ticket.status = S.DONE
    with pytest.raises(ValueError, match="created 'open'"):
        TICKETS.record_history(record=ticket, by=cast.prosecutor_astana, step="create")
