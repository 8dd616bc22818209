"""The dashboard's tally (AppealTally, migration 0016) is the count from the appeals, exactly, after every kind of
write — the workflow's steps, a move to another office, `QuerySet.update`, deletion, the import, the demo's bulk
insert — compared for every grouping, the trend by month and by year, several users' scopes, an office filter and
several `today`s; and `manage.py appeal_tally_check` finds a difference, names it and repairs it."""

import datetime as dt
import importlib
import io
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.models import F
from django.utils import timezone

from prokuratura.appeals.demo import seed_appeals
from prokuratura.appeals.models import Appeal, AppealTally, ApplicantType, Outcome, Status
from prokuratura.appeals.services import (
    appeal_assign,
    appeal_close,
    appeal_extend,
    appeal_forward,
    appeal_leave_without_consideration,
    appeal_reopen,
    appeal_route,
    appeal_start_review,
    appeal_triage_leave,
    extension_limit,
)
from prokuratura.appeals.services.imports import import_job_create
from prokuratura.appeals.stats import (
    COLUMN_KEYS,
    GroupBy,
    appeal_stats,
    appeal_stats_live,
    appeal_stats_trend,
    appeal_stats_trend_live,
)
from prokuratura.appeals.tally import (
    TALLY_COLUMNS,
    appeal_tally_differences,
    appeal_tally_triggers_missing,
)
from prokuratura.appeals.tests.factories import register
from prokuratura.appeals.tests.test_stats import answer
from prokuratura.core.models import AuditEntry


@pytest.fixture
def world(offices, cast):
    """Appeals in three offices and two regions, open and answered, on time and late, received now and 60 days
    ago (so their 15 working days are over)."""
    old = timezone.now() - dt.timedelta(days=60)
    astana_region, almaty_region = offices.astana.region, offices.almaty.region

    def reg(office, region=astana_region, **kw):
        return register(by=cast.registrar_astana, office=office, region=region, **kw)

    w = SimpleNamespace()
    w.open = reg(offices.astana_district)
    w.open_old = reg(offices.astana_district, received_at=old)
    w.answered = answer(
        reg(offices.astana), head=cast.head_astana, prosecutor=cast.prosecutor_astana, persons=2
    )
    w.answered_late = answer(
        reg(offices.almaty, almaty_region, received_at=old),
        head=cast.head_gpo,
        prosecutor=cast.prosecutor_almaty,
        outcome=Outcome.EXPLAINED,
    )
    w.gpo = reg(offices.gpo, almaty_region)
    w.anonymous = appeal_triage_leave(
        by=cast.head_astana,
        appeal=reg(offices.astana, applicant_type=ApplicantType.ANONYMOUS, applicant_name=""),
        reason="Анонимное обращение, сведений о преступлении нет.",
    )
    assert_tally_is_the_live_count(cast, offices)
    return w


def assert_tally_is_the_live_count(cast, offices):
    """The table equals a fresh count key by key, and every figure the dashboard shows equals the live one."""
    differences, more = appeal_tally_differences()
    assert differences == [] and not more
    assert not AppealTally.objects.filter(received__lte=0).exists()  # emptied rows are deleted
    today = timezone.localdate()
    recent = (today - dt.timedelta(days=120), today + dt.timedelta(days=40))  # by month
    decades = (dt.date(2000, 1, 1), today + dt.timedelta(days=40))  # by year
    users = (cast.analyst, cast.head_astana, cast.head_gpo, cast.auditor, cast.prosecutor_astana)
    days = (recent[0], today, today + dt.timedelta(days=60))
    for user in users:
        for office in (None, offices.astana, offices.almaty):
            for day in days:
                for group_by in GroupBy.values:
                    kwargs = {"period_from": recent[0], "period_to": recent[1], "group_by": group_by}
                    tally = appeal_stats(user=user, office=office, today=day, **kwargs)
                    assert tally == appeal_stats_live(user=user, office=office, today=day, **kwargs)
                for start, end in (recent, decades):
                    kwargs = {"period_from": start, "period_to": end, "office": office, "today": day}
                    assert appeal_stats_trend(user=user, **kwargs) == appeal_stats_trend_live(
                        user=user, **kwargs
                    )
    # Not trivially equal: the national total is every appeal.
    national = appeal_stats(user=cast.analyst, period_from=decades[0], period_to=decades[1])
    assert national.total("received") == Appeal.objects.count()


def totals(cast, **kwargs):
    today = timezone.localdate()
    table = appeal_stats(
        user=cast.analyst, period_from=dt.date(2000, 1, 1), period_to=today + dt.timedelta(days=40), **kwargs
    )
    return dict(zip(COLUMN_KEYS, table.totals, strict=True))


# --- after each kind of write ---------------------------------------------------------------------------------


def test_registration_through_the_service(offices, cast, world):
    register(by=cast.registrar_astana, office=offices.almaty, region=offices.almaty.region)
    register(by=cast.registrar_astana, office=offices.astana_district, region=offices.astana.region)
    assert_tally_is_the_live_count(cast, offices)
    assert totals(cast)["received"] == 8


def test_assignment(offices, cast, world):
    appeal_assign(by=cast.head_astana, appeal=world.open, assignee=cast.prosecutor_astana)
    appeal_start_review(by=cast.prosecutor_astana, appeal=world.open)
    assert_tally_is_the_live_count(cast, offices)


def test_answer_on_time(offices, cast, world):
    before = totals(cast)
    answer(world.open, head=cast.head_astana, prosecutor=cast.prosecutor_astana, persons=3)
    assert_tally_is_the_live_count(cast, offices)
    after = totals(cast)
    assert after["on_time"] == before["on_time"] + 1
    assert after["persons_helped"] == before["persons_helped"] + 3


def test_late_answer(offices, cast, world):
    before = totals(cast)
    assert before["overdue"] == 2  # the old open appeal and the late answer
    answer(world.open_old, head=cast.head_astana, prosecutor=cast.prosecutor_astana, outcome=Outcome.REJECTED)
    assert_tally_is_the_live_count(cast, offices)
    after = totals(cast)
    assert (after["overdue"], after["in_work"], after["answered"]) == (2, before["in_work"] - 1, 4)


def test_extension_of_the_term(offices, cast, world):
    appeal_assign(by=cast.head_astana, appeal=world.open, assignee=cast.prosecutor_astana)
    appeal_start_review(by=cast.prosecutor_astana, appeal=world.open)
    until = extension_limit(world.open)
    appeal_extend(by=cast.head_astana, appeal=world.open, until=until, reason="Нужна проверка на месте.")
    assert_tally_is_the_live_count(cast, offices)
    assert AppealTally.objects.filter(due_date=until, office=offices.astana_district).exists()


def test_reopening(offices, cast, world):
    appeal_reopen(by=cast.head_astana, appeal=world.answered, reason="Жалоба на ответ удовлетворена.")
    appeal_reopen(by=cast.head_gpo, appeal=world.answered_late, reason="Жалоба на ответ удовлетворена.")
    assert_tally_is_the_live_count(cast, offices)
    assert totals(cast)["persons_helped"] == 0


def test_leaving_without_consideration(offices, cast, world):
    appeal_assign(by=cast.head_astana, appeal=world.open_old, assignee=cast.prosecutor_astana)
    appeal_leave_without_consideration(
        by=cast.prosecutor_astana, appeal=world.open_old, reason="Повторное обращение без новых доводов."
    )
    assert_tally_is_the_live_count(cast, offices)


def test_forwarding(offices, cast, world):
    appeal_forward(
        by=cast.head_astana, appeal=world.open, forwarded_to="Акимат", reason="Вне компетенции прокуратуры."
    )
    assert_tally_is_the_live_count(cast, offices)
    assert totals(cast)["outcome_forwarded"] == 1


def test_closing(offices, cast, world):
    appeal_close(by=cast.head_astana, appeal=world.answered)
    assert_tally_is_the_live_count(cast, offices)


def test_moving_an_appeal_to_another_office(offices, cast, world):
    appeal_route(
        by=cast.head_astana, appeal=world.open, office=offices.astana, reason="По подведомственности."
    )
    appeal_route(
        by=cast.head_gpo, appeal=world.open_old, office=offices.almaty, reason="По подведомственности."
    )
    assert_tally_is_the_live_count(cast, offices)
    # The district's rows went with them: no empty row stays behind.
    assert not AppealTally.objects.filter(office=offices.astana_district).exists()


def test_queryset_update_of_statuses_dates_and_places(offices, cast, world):
    Appeal.objects.filter(office=offices.astana_district).update(status=Status.CLOSED)
    assert_tally_is_the_live_count(cast, offices)
    # Open again without the answer cleared (only outside the workflow): overdue counts it once, not twice.
    Appeal.objects.filter(pk=world.answered_late.pk).update(status=Status.REOPENED)
    assert_tally_is_the_live_count(cast, offices)
    Appeal.objects.update(due_date=F("due_date") + dt.timedelta(days=1), region=offices.almaty.region)
    Appeal.objects.filter(pk=world.gpo.pk).update(registered_on=F("registered_on") - dt.timedelta(days=400))
    assert_tally_is_the_live_count(cast, offices)


def test_deletion(offices, cast, world):
    world.gpo.delete()
    assert_tally_is_the_live_count(cast, offices)
    Appeal.objects.filter(status__in=[Status.REGISTERED, Status.LEFT_WITHOUT_CONSIDERATION]).delete()
    assert_tally_is_the_live_count(cast, offices)
    Appeal.objects.all().delete()
    assert AppealTally.objects.count() == 0


def test_the_import(offices, cast, world, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.MEDIA_ROOT = tmp_path
    header = (
        "legacy_number,received_at,kind,applicant_type,applicant_name,region_kato,topic_code,subject,text\n"
    )
    rows = "".join(
        f"Ж-2024/{n},0{n}.05.2024 10:00,complaint,individual,Асанов Серик,750000000,labour,Зарплата,"
        "Не выплачивают заработную плату.\n"
        for n in (2, 3)
    )
    upload = SimpleUploadedFile("register.csv", (header + rows).encode("utf-8-sig"), content_type="text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        import_job_create(by=cast.registrar_astana, upload=upload, office=offices.astana)
    assert Appeal.objects.filter(registered_on__year=2024).count() == 2
    assert_tally_is_the_live_count(cast, offices)


def test_the_demos_bulk_insert(offices, cast, world):
    seed_appeals(count=60, seed=5)  # COPY on PostgreSQL, executemany on SQLite
    assert_tally_is_the_live_count(cast, offices)
    assert totals(cast)["received"] >= 6 + 60 - 60 // 2  # some are registered before the last 40 days


@pytest.mark.django_db(transaction=True)
def test_the_demos_bulk_load_counts_the_tally_once_at_the_end(migrated_rows, offices, cast):
    register(by=cast.registrar_astana, office=offices.astana)
    seed_appeals(count=120, seed=9, chunk_size=50, bulk=True)  # the insert trigger set aside, then a rebuild
    assert appeal_tally_triggers_missing() == []
    assert appeal_tally_differences() == ([], False)
    entry = AuditEntry.objects.get(object_type="appeals.tally")
    assert entry.actor_repr == "system:setup" and entry.changes["rows"] == AppealTally.objects.count()
    register(by=cast.registrar_astana, office=offices.almaty, region=offices.almaty.region)
    assert appeal_tally_differences() == ([], False)  # the triggers count again


# --- the triggers themselves ----------------------------------------------------------------------------------


@pytest.fixture
def tally_writes():
    """How many rows of the tally were written so far: PostgreSQL's own count for the transaction, on SQLite
    temporary triggers on the tally (the connection's own change count includes the full-text index's)."""
    table = AppealTally._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("CREATE TEMP TABLE tally_writes (n INTEGER)")
            cursor.execute("INSERT INTO tally_writes VALUES (0)")
            for event in ("INSERT", "UPDATE", "DELETE"):
                trigger = f"CREATE TEMP TRIGGER tally_writes_{event.lower()} AFTER {event} ON main.{table}"
                cursor.execute(trigger + " BEGIN UPDATE tally_writes SET n = n + 1; END")  # noqa: S608

    def count():
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                cursor.execute(
                    "SELECT COALESCE(SUM(n_tup_ins + n_tup_upd + n_tup_del), 0) FROM pg_stat_xact_user_tables"
                    " WHERE relname = %s",
                    [table],
                )
            else:
                cursor.execute("SELECT n FROM tally_writes")
            return cursor.fetchone()[0]

    yield count
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            for event in ("insert", "update", "delete"):
                cursor.execute(f"DROP TRIGGER temp.tally_writes_{event}")
            cursor.execute("DROP TABLE temp.tally_writes")


def test_an_update_that_changes_no_figure_writes_nothing_to_the_tally(offices, cast, world, tally_writes):
    for change in (
        {"subject": "Другая тема"},
        {"status": Status.ASSIGNED},  # open to open
        {"assignee": cast.prosecutor_astana},
    ):
        before = tally_writes()
        Appeal.objects.filter(pk=world.open.pk).update(**change)
        assert tally_writes() == before, change
    Appeal.objects.filter(pk=world.open.pk).update(status=Status.CLOSED)
    assert tally_writes() > before
    assert_tally_is_the_live_count(cast, offices)


def test_the_triggers_exist_after_all_migrations(db):
    assert appeal_tally_triggers_missing() == []


def test_emptying_the_appeals_empties_the_tally(offices, cast, world):
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # no foreign-key check pending before a TRUNCATE
            cursor.execute("TRUNCATE appeals_appeal CASCADE")
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        else:
            # A flush deletes table by table in any order: the tally first must not leave rows of minus one.
            cursor.execute("DELETE FROM appeals_appealtally")
    if connection.vendor == "sqlite":
        Appeal.objects.all().delete()
    assert AppealTally.objects.count() == 0


def test_the_migration_fills_the_tally_from_the_appeals(offices, cast, world):
    migration = importlib.import_module("prokuratura.appeals.migrations.0016_appeal_tally")
    assert migration.COLUMNS == TALLY_COLUMNS  # the triggers count what the model stores
    AppealTally.objects.all().delete()
    with connection.cursor() as cursor:
        cursor.execute(migration.FILL)
    assert_tally_is_the_live_count(cast, offices)


def test_the_dashboard_reads_three_queries_and_the_trend_one(cast, world, django_assert_num_queries):
    today = timezone.localdate()
    period = {"period_from": today - dt.timedelta(days=120), "period_to": today}
    appeal_stats(user=cast.analyst, **period)  # loads the analyst's roles once
    for group_by in GroupBy.values:
        with django_assert_num_queries(3):
            appeal_stats(user=cast.analyst, group_by=group_by, **period)
    with django_assert_num_queries(1):
        appeal_stats_trend(user=cast.analyst, **period)


# --- manage.py appeal_tally_check -----------------------------------------------------------------------------


def run_check(*args, out=None):
    out = out or io.StringIO()
    call_command("appeal_tally_check", *args, stdout=out)
    return out.getvalue()


def test_the_check_passes_when_the_tally_is_right(world):
    assert "agrees" in run_check()


def test_the_check_names_each_differing_key_and_fails(offices, world):
    row = AppealTally.objects.get(office=offices.almaty)
    AppealTally.objects.filter(pk=row.pk).update(received=F("received") + 1)
    AppealTally.objects.filter(office=offices.gpo).delete()
    out = io.StringIO()
    with pytest.raises(CommandError) as failed:
        run_check(out=out)
    assert failed.value.returncode == 1
    assert "differs from the appeals at 2 key(s)" in str(failed.value)
    named = out.getvalue().splitlines()
    assert len(named) == 2
    almaty = next(line for line in named if line.startswith("ALA,"))
    assert almaty.startswith(f"ALA, region 750000000, registered {row.registered_on}, due {row.due_date}: ")
    assert f"counted [received={row.received}," in almaty and f"tally [received={row.received + 1}," in almaty
    gpo = next(line for line in named if line.startswith("GPO,"))
    assert gpo.endswith("tally [no row]")


def test_repair_rebuilds_the_tally_and_is_audited(offices, cast, world):
    AppealTally.objects.filter(office=offices.almaty).update(late_answered=0, persons_helped=7)
    with pytest.raises(CommandError) as failed:
        run_check("--repair")
    assert (
        failed.value.returncode == 1
    )  # the figures were wrong until now: the timer's alerting should say so
    assert "repaired" in str(failed.value)
    assert_tally_is_the_live_count(cast, offices)
    entry = AuditEntry.objects.filter(object_type="appeals.tally").latest("created_at")
    assert entry.actor_repr == "system:scheduler" and entry.changes["rows"] == AppealTally.objects.count()
    assert "agrees" in run_check("--repair")  # nothing to repair: no rebuild, exit status 0
    assert AuditEntry.objects.filter(object_type="appeals.tally").count() == 1
