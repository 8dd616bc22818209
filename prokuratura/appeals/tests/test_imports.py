"""Bulk import of a legacy register: checking the file, importing rows, the per-row report, re-runs, the screens."""

import csv
import datetime as dt
import io
import zoneinfo
from pathlib import Path

import openpyxl
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from prokuratura.accounts.roles import Role
from prokuratura.accounts.tests.factories import UserFactory
from prokuratura.appeals.models import Appeal, Channel, ImportJob, Status
from prokuratura.appeals.services import imports
from prokuratura.appeals.services.imports import (
    import_job_create,
    import_job_rejected_csv,
    import_job_retry,
    import_job_run,
)
from prokuratura.core.models import AuditEntry
from prokuratura.core.tests.factories import RegionFactory

ALMATY = zoneinfo.ZoneInfo("Asia/Almaty")
SAMPLE = Path(__file__).resolve().parents[3] / "data" / "samples" / "appeals_legacy_sample.csv"
HEADER = [
    "legacy_number",
    "received_at",
    "kind",
    "applicant_type",
    "applicant_name",
    "applicant_iin",
    "applicant_email",
    "region_kato",
    "topic_code",
    "subject",
    "text",
    "applicant_language",
]


def row(**overrides):
    values = {
        "legacy_number": "Ж-2024/0001",
        "received_at": "02.05.2024 10:00",
        "kind": "complaint",
        "applicant_type": "individual",
        "applicant_name": "Асанов Серик Болатович",
        "applicant_iin": "850315401231",
        "applicant_email": "",
        "region_kato": "710000000",
        "topic_code": "labour",
        "subject": "Невыплата заработной платы",
        "text": "Работодатель не выплачивает заработную плату три месяца.",
        "applicant_language": "ru",
    }
    values.update(overrides)
    return values


def csv_upload(rows, *, header=HEADER, name="register.csv", delimiter=","):
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter)
    writer.writerow(header)
    for item in rows:
        writer.writerow([item.get(column, "") for column in header])
    return SimpleUploadedFile(name, out.getvalue().encode("utf-8-sig"), content_type="text/csv")


def xlsx_upload(rows, *, header=HEADER, name="register.xlsx"):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(header)
    for item in rows:
        sheet.append([item.get(column) for column in header])
    content = io.BytesIO()
    workbook.save(content)
    return SimpleUploadedFile(
        name,
        content.getvalue(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(autouse=True)
def _english_importer(cast):
    # Row errors are written in the importer's language; the cast prefers Russian.
    cast.registrar_astana.preferred_language = "en"
    cast.registrar_astana.save(update_fields=["preferred_language"])


def run_import(user, office, upload, capture):
    """Create the job and let the queued task run (tests use the immediate backend)."""
    with capture(execute=True):
        job = import_job_create(by=user, upload=upload, office=office)
    job.refresh_from_db()
    return job


def test_csv_rows_are_registered_in_the_office_through_the_intake_service(
    offices, cast, django_capture_on_commit_callbacks
):
    upload = csv_upload([row(), row(legacy_number="Ж-2024/0002", received_at="2024-05-03", kind="statement")])
    job = run_import(cast.registrar_astana, offices.astana, upload, django_capture_on_commit_callbacks)

    assert job.state == ImportJob.State.DONE
    assert (job.total_rows, job.processed_rows, job.imported_rows, job.rejected) == (2, 2, 2, [])
    assert job.percent == 100 and job.finished_at is not None
    first, second = Appeal.objects.filter(channel=Channel.IMPORT).order_by("submission_key")
    assert first.submission_key == imports._row_key(
        job=job, row_number=2
    ) and second.submission_key == imports._row_key(job=job, row_number=3)
    assert first.office == offices.astana and first.registered_by == cast.registrar_astana
    assert first.received_at == dt.datetime(2024, 5, 2, 10, 0, tzinfo=ALMATY)
    assert first.registered_on == dt.date(2024, 5, 2) and first.due_date == dt.date(2024, 5, 27)
    assert second.kind == "statement" and second.registered_on == dt.date(2024, 5, 3)
    assert first.applicant_iin == "850315401231" and first.status == Status.REGISTERED
    provenance = AuditEntry.objects.get(
        object_type="appeals.appeal", object_id=str(first.pk), action=AuditEntry.Action.UPDATE
    )
    assert "Ж-2024/0001" in provenance.reason and provenance.changes["import"]["after"]["row"] == 2


def test_xlsx_with_date_cells_and_a_numeric_iin_is_imported(
    offices, cast, django_capture_on_commit_callbacks
):
    upload = xlsx_upload(
        [
            row(
                received_at=dt.datetime(2024, 5, 2, 11, 30), applicant_iin=10203502341
            ),  # Excel dropped the 0
            row(received_at=dt.datetime(2024, 5, 3), applicant_type="Individual", kind="Complaint"),
        ]
    )
    job = run_import(cast.registrar_astana, offices.astana, upload, django_capture_on_commit_callbacks)

    assert job.state == ImportJob.State.DONE, job.error
    assert job.imported_rows == 2 and job.rejected == []
    appeals = Appeal.objects.filter(channel=Channel.IMPORT).order_by("submission_key")
    assert appeals[0].applicant_iin == "010203502341"
    assert appeals[0].received_at == dt.datetime(2024, 5, 2, 11, 30, tzinfo=ALMATY)
    assert appeals[1].registered_on == dt.date(2024, 5, 3)


def test_bad_rows_are_reported_with_row_number_and_reason_while_good_rows_import(
    offices, cast, django_capture_on_commit_callbacks
):
    upload = csv_upload(
        [
            row(legacy_number="good-1"),
            row(legacy_number="bad-iin", applicant_iin="850315401232"),
            row(legacy_number="bad-kato", region_kato="770000000"),
            row(legacy_number="bad-topic", topic_code="pensions"),
            row(legacy_number="no-text", text=""),
            row(legacy_number="bad-date", received_at="31.02.2024"),
            row(legacy_number="good-2"),
        ],
        delimiter=";",
    )
    job = run_import(cast.registrar_astana, offices.astana, upload, django_capture_on_commit_callbacks)

    assert job.state == ImportJob.State.DONE
    assert (job.total_rows, job.processed_rows, job.imported_rows) == (7, 7, 2)
    assert Appeal.objects.filter(channel=Channel.IMPORT).count() == 2
    report = {item["row"]: item for item in job.rejected}
    assert sorted(report) == [3, 4, 5, 6, 7]
    assert report[3]["legacy_number"] == "bad-iin"
    assert list(report[3]["errors"]) == ["applicant_iin"]
    assert "check digit" in report[3]["errors"]["applicant_iin"][0]
    assert report[4]["errors"] == {"region_kato": ["No region has the KATO code “770000000”."]}
    assert report[5]["errors"] == {"topic_code": ["No topic has the code “pensions”."]}
    assert report[6]["errors"] == {"text": ["This field cannot be blank."]}
    assert (
        list(report[7]["errors"]) == ["received_at"] and "31.02.2024" in report[7]["errors"]["received_at"][0]
    )


def test_rejected_rows_are_reported_in_the_importers_language(
    offices, cast, django_capture_on_commit_callbacks
):
    cast.registrar_astana.preferred_language = "ru"
    cast.registrar_astana.save(update_fields=["preferred_language"])
    upload = csv_upload([row(text="")])
    job = run_import(cast.registrar_astana, offices.astana, upload, django_capture_on_commit_callbacks)
    # Django's own catalogue translates the model's blank-field message.
    assert job.rejected[0]["errors"]["text"] == ["Это поле не может быть пустым."]


def test_office_code_column_and_row_errors_from_the_intake_service(
    offices, cast, django_capture_on_commit_callbacks
):
    header = [*HEADER, "office_code", "applicant_bin"]
    upload = csv_upload(
        [
            row(office_code="AST-01"),
            row(office_code="ALA"),  # not below the job's office
            row(applicant_type="organisation", applicant_name="ТОО «Ромашка»", applicant_iin=""),  # no BIN
            row(received_at=(timezone.now() + dt.timedelta(days=3)).strftime("%d.%m.%Y")),
        ],
        header=header,
    )
    job = run_import(cast.registrar_astana, offices.astana, upload, django_capture_on_commit_callbacks)

    assert (
        Appeal.objects.get(submission_key=imports._row_key(job=job, row_number=2)).office
        == offices.astana_district
    )
    report = {item["row"]: item["errors"] for item in job.rejected}
    assert list(report[3]) == ["office_code"] and "ALA" in report[3]["office_code"][0]
    assert report[4] == {"applicant_bin": ["An organisation is identified by its BIN."]}
    assert report[5] == {"received_at": ["The date of receipt cannot be in the future."]}


def test_running_the_job_again_imports_nothing_new(offices, cast, django_capture_on_commit_callbacks):
    upload = csv_upload([row(), row(legacy_number="x", region_kato="770000000"), row(legacy_number="y")])
    job = run_import(cast.registrar_astana, offices.astana, upload, django_capture_on_commit_callbacks)
    appeals_before = set(Appeal.objects.values_list("pk", flat=True))
    audit_before = AuditEntry.objects.filter(object_type="appeals.appeal").count()

    with django_capture_on_commit_callbacks(execute=True):
        again = import_job_run(job=job)

    assert again.state == ImportJob.State.DONE
    assert set(Appeal.objects.values_list("pk", flat=True)) == appeals_before
    assert AuditEntry.objects.filter(object_type="appeals.appeal").count() == audit_before
    assert (again.processed_rows, again.imported_rows, len(again.rejected)) == (3, 2, 1)
    assert again.rejected[0]["row"] == 3


def test_retry_queues_a_finished_job_and_imports_rows_fixed_since(
    offices, cast, django_capture_on_commit_callbacks
):
    upload = csv_upload([row(), row(region_kato="190000000")])  # Almaty Region: not loaded yet
    job = run_import(cast.registrar_astana, offices.astana, upload, django_capture_on_commit_callbacks)
    assert job.imported_rows == 1
    RegionFactory(kato_code="190000000", name_en="Almaty Region")

    with django_capture_on_commit_callbacks(execute=True):
        import_job_retry(by=cast.registrar_astana, job=job)
    job.refresh_from_db()

    assert (job.state, job.imported_rows, job.rejected) == (ImportJob.State.DONE, 2, [])
    assert Appeal.objects.filter(channel=Channel.IMPORT).count() == 2


def test_retry_refuses_a_job_that_is_running(offices, cast):
    job = ImportJob.objects.create(
        original_name="r.csv",
        office=offices.astana,
        created_by=cast.registrar_astana,
        created_at=timezone.now(),
        state=ImportJob.State.RUNNING,
    )
    with pytest.raises(ValidationError):
        import_job_retry(by=cast.registrar_astana, job=job)


def test_a_crash_fails_the_job_with_the_error_and_never_leaves_it_running(
    offices, cast, django_capture_on_commit_callbacks, monkeypatch
):
    real_register = imports.appeal_register
    calls = []

    def flaky(**kwargs):
        calls.append(kwargs["submission_key"])
        if len(calls) == 2:
            raise RuntimeError("database went away")
        return real_register(**kwargs)

    monkeypatch.setattr(imports, "appeal_register", flaky)
    upload = csv_upload([row(), row(legacy_number="2"), row(legacy_number="3")])
    job = run_import(cast.registrar_astana, offices.astana, upload, django_capture_on_commit_callbacks)

    assert job.state == ImportJob.State.FAILED
    assert "row 3" in job.error and "database went away" in job.error
    assert job.finished_at is not None and job.imported_rows == 1
    monkeypatch.setattr(imports, "appeal_register", real_register)
    with django_capture_on_commit_callbacks(execute=True):
        job = import_job_run(job=job)
    assert job.state == ImportJob.State.DONE and job.imported_rows == 3
    assert Appeal.objects.filter(channel=Channel.IMPORT).count() == 3


def test_an_unreadable_stored_file_fails_the_job(offices, cast, django_capture_on_commit_callbacks):
    job = run_import(
        cast.registrar_astana, offices.astana, csv_upload([row()]), django_capture_on_commit_callbacks
    )
    with open(job.file.path, "wb") as handle:
        handle.write(b"legacy_number\n1\n")  # the required columns are gone
    job = import_job_run(job=job)
    assert job.state == ImportJob.State.FAILED and "required columns" in job.error


@pytest.mark.parametrize(
    ("upload", "expected"),
    [
        (SimpleUploadedFile("register.txt", b"a,b\n1,2\n"), "Only CSV (UTF-8) and Excel XLSX"),
        (SimpleUploadedFile("register.xlsx", b"received_at,kind\n1,2\n"), "not an XLSX workbook"),
        (SimpleUploadedFile("register.csv", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n"), "not CSV text"),
        (SimpleUploadedFile("register.csv", "Дата;Вид\n".encode("cp1251")), "not UTF-8"),
        (SimpleUploadedFile("register.csv", b""), "is empty"),
    ],
    ids=["extension", "fake-xlsx", "pdf-as-csv", "cp1251", "empty"],
)
def test_a_file_of_the_wrong_type_is_refused_and_nothing_is_saved(offices, cast, tmp_path, upload, expected):
    with pytest.raises(ValidationError) as caught:
        import_job_create(by=cast.registrar_astana, upload=upload, office=offices.astana)
    assert expected in " ".join(caught.value.message_dict["file"])
    assert not ImportJob.objects.exists()
    assert not (tmp_path / "imports").exists()


def test_missing_columns_are_named(offices, cast):
    header = [c for c in HEADER if c not in ("topic_code", "text")]
    with pytest.raises(ValidationError) as caught:
        import_job_create(
            by=cast.registrar_astana, upload=csv_upload([row()], header=header), office=offices.astana
        )
    assert caught.value.message_dict["file"] == [
        "The header row lacks the required columns: topic_code, text."
    ]
    assert not ImportJob.objects.exists()


def test_a_header_without_rows_and_a_too_large_file_are_refused(offices, cast, monkeypatch):
    with pytest.raises(ValidationError, match="no rows to import"):
        import_job_create(by=cast.registrar_astana, upload=csv_upload([]), office=offices.astana)
    monkeypatch.setattr(imports, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(ValidationError, match="larger than"):
        import_job_create(by=cast.registrar_astana, upload=csv_upload([row(), row()]), office=offices.astana)
    assert not ImportJob.objects.exists()


def test_import_only_into_ones_own_subtree_and_only_with_the_permission(offices, cast):
    with pytest.raises(ValidationError) as caught:
        import_job_create(by=cast.registrar_astana, upload=csv_upload([row()]), office=offices.almaty)
    assert "office" in caught.value.message_dict
    with pytest.raises(PermissionDenied):
        import_job_create(
            by=cast.prosecutor_astana, upload=csv_upload([row()]), office=offices.astana_district
        )


def test_the_sample_file_imports_its_good_rows_and_reports_its_bad_ones(
    offices, cast, django_capture_on_commit_callbacks
):
    RegionFactory(kato_code="350000000", name_en="Karaganda Region")
    RegionFactory(kato_code="790000000", unit_type="city_republican", name_en="Shymkent")
    upload = SimpleUploadedFile(SAMPLE.name, SAMPLE.read_bytes(), content_type="text/csv")
    job = run_import(cast.registrar_astana, offices.astana, upload, django_capture_on_commit_callbacks)

    assert job.state == ImportJob.State.DONE, job.error
    assert (job.total_rows, job.imported_rows) == (11, 6)
    report = {item["row"]: sorted(item["errors"]) for item in job.rejected}
    assert report == {
        5: ["applicant_iin"],
        6: ["region_kato"],
        8: ["topic_code"],
        9: ["text"],
        10: ["received_at"],
    }
    anonymous = Appeal.objects.get(submission_key=imports._row_key(job=job, row_number=7))
    assert anonymous.status == Status.REGISTERED  # to be triaged by a person, like any anonymous appeal
    kazakh = Appeal.objects.get(submission_key=imports._row_key(job=job, row_number=11))
    assert kazakh.applicant_language == "kk" and kazakh.applicant_iin == "010203502341"


def test_rejected_rows_csv_has_reasons_and_the_original_cells(
    offices, cast, django_capture_on_commit_callbacks
):
    upload = csv_upload(
        [row(), row(legacy_number="L-7", applicant_iin="850315401232", subject='=HYPERLINK("x")')],
        delimiter=";",
    )
    job = run_import(cast.registrar_astana, offices.astana, upload, django_capture_on_commit_callbacks)

    content = import_job_rejected_csv(job=job)
    assert content.startswith("\ufeff".encode())
    lines = list(csv.reader(io.StringIO(content.decode("utf-8-sig")), delimiter=";"))
    assert lines[0] == ["row", "errors", *HEADER]
    assert len(lines) == 2
    assert lines[1][0] == "3" and lines[1][1].startswith("applicant_iin: ")
    assert lines[1][2] == "L-7" and lines[1][2 + HEADER.index("applicant_iin")] == "850315401232"
    assert lines[1][2 + HEADER.index("subject")] == '\'=HYPERLINK("x")'  # not run as a formula


# --- the screens ----------------------------------------------------------------------------------------------


def _job(offices, cast, **values):
    defaults = {
        "original_name": "register.csv",
        "office": offices.astana,
        "created_by": cast.registrar_astana,
        "created_at": timezone.now(),
    }
    return ImportJob.objects.create(**{**defaults, **values})


def test_upload_page_shows_the_column_format(offices, cast, client_for):
    response = client_for(cast.registrar_astana).get(reverse("appeals:import_new"))
    assert response.status_code == 200
    body = response.content.decode()
    assert "region_kato" in body and "topic_code" in body and 'type="file"' in body


def test_upload_through_the_page_then_the_report(
    offices, cast, client_for, django_capture_on_commit_callbacks
):
    client = client_for(cast.registrar_astana)
    upload = csv_upload([row(), row(legacy_number="Б-99", region_kato="770000000")])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("appeals:import_new"), {"office": offices.astana.pk, "file": upload})
    job = ImportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "appeals:import_detail", args=[job.pk]
    )

    page = client.get(response["Location"]).content.decode()
    assert "Rows processed: 2 of 2" in page and "100%" in page
    assert "Б-99" in page and "No region has the KATO code “770000000”." in page
    assert reverse("appeals:import_rejected_csv", args=[job.pk]) in page
    assert 'hx-trigger="every 2s"' not in page  # finished: no more polling

    download = client.get(reverse("appeals:import_rejected_csv", args=[job.pk]))
    assert download.status_code == 200 and download["Content-Type"].startswith("text/csv")
    assert "attachment" in download["Content-Disposition"] and "Б-99" in download.content.decode("utf-8-sig")

    listing = client.get(reverse("appeals:import_list")).content.decode()
    assert "register.csv" in listing and reverse("appeals:import_detail", args=[job.pk]) in listing


def test_upload_of_a_wrong_file_shows_the_error_next_to_the_field(offices, cast, client_for):
    response = client_for(cast.registrar_astana).post(
        reverse("appeals:import_new"),
        {"office": offices.astana.pk, "file": SimpleUploadedFile("x.csv", "Дата\n".encode("cp1251"))},
    )
    assert response.status_code == 400
    assert "not UTF-8" in response.content.decode() and 'id="id_file_errors"' in response.content.decode()
    assert not ImportJob.objects.exists()


def test_status_fragment_shows_the_percentage_and_polls_while_running(offices, cast, client_for):
    job = _job(offices, cast, state=ImportJob.State.RUNNING, total_rows=12, processed_rows=3, imported_rows=2)
    response = client_for(cast.registrar_astana).get(reverse("appeals:import_status", args=[job.pk]))
    body = response.content.decode()
    assert response.status_code == 200
    assert "25%" in body and 'value="25"' in body and "Rows processed: 3 of 12" in body
    assert 'hx-trigger="every 2s"' in body
    assert reverse("appeals:import_status", args=[job.pk]) in body
    assert "HX-Refresh" not in response


def test_status_fragment_of_a_finished_job_stops_polling_and_reloads_the_page(offices, cast, client_for):
    job = _job(offices, cast, state=ImportJob.State.DONE, total_rows=4, processed_rows=4, imported_rows=4)
    response = client_for(cast.registrar_astana).get(
        reverse("appeals:import_status", args=[job.pk]), headers={"HX-Request": "true"}
    )
    assert 'hx-trigger="every 2s"' not in response.content.decode() and "100%" in response.content.decode()
    assert response["HX-Refresh"] == "true"


def test_run_again_button_queues_the_job(offices, cast, client_for, django_capture_on_commit_callbacks):
    client = client_for(cast.registrar_astana)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("appeals:import_new"), {"office": offices.astana.pk, "file": csv_upload([row()])})
    job = ImportJob.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("appeals:import_detail", args=[job.pk]))
    assert response.status_code == 302
    job.refresh_from_db()
    assert job.state == ImportJob.State.DONE and job.imported_rows == 1
    assert Appeal.objects.filter(channel=Channel.IMPORT).count() == 1
    assert (
        AuditEntry.objects.filter(
            object_type="appeals.importjob", action=AuditEntry.Action.TRANSITION
        ).count()
        == 3
    )


@pytest.mark.parametrize(
    "name", ["import_list", "import_new", "import_detail", "import_status", "import_rejected_csv"]
)
def test_a_prosecutor_gets_403(offices, cast, client_for, name):
    job = _job(offices, cast)
    args = [] if name in ("import_list", "import_new") else [job.pk]
    response = client_for(cast.prosecutor_astana).get(reverse(f"appeals:{name}", args=args))
    assert response.status_code == 403


def test_anonymous_visitor_is_sent_to_sign_in(offices, cast, client):
    response = client.get(reverse("appeals:import_list"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_a_job_of_another_office_is_404_and_not_listed(offices, cast, client_for):
    job = _job(offices, cast)
    registrar_almaty = UserFactory(username="registrar_almaty", office=offices.almaty, roles=[Role.REGISTRAR])
    client = client_for(registrar_almaty)
    for name in ("import_detail", "import_status", "import_rejected_csv"):
        assert client.get(reverse(f"appeals:{name}", args=[job.pk])).status_code == 404
    assert "register.csv" not in client.get(reverse("appeals:import_list")).content.decode()
    # The administrator at the Prosecutor General's Office sees the whole tree.
    assert client_for(cast.admin).get(reverse("appeals:import_detail", args=[job.pk])).status_code == 200


def test_job_list_queries_do_not_grow_with_the_jobs(offices, cast, client_for):
    client = client_for(cast.registrar_astana)
    _job(offices, cast)
    with CaptureQueriesContext(connection) as one:
        client.get(reverse("appeals:import_list"))
    for _i in range(4):
        _job(offices, cast, created_by=cast.admin, office=offices.astana_district)
    with CaptureQueriesContext(connection) as five:
        response = client.get(reverse("appeals:import_list"))
    assert response.content.decode().count("register.csv") == 5
    assert len(five) == len(one)


def test_the_same_file_uploaded_twice_registers_its_rows_once(
    offices, cast, django_capture_on_commit_callbacks
):
    rows = [row(), row(legacy_number="Ж-2024/0002")]
    run_import(cast.registrar_astana, offices.astana, csv_upload(rows), django_capture_on_commit_callbacks)
    second = run_import(
        cast.registrar_astana, offices.astana, csv_upload(rows), django_capture_on_commit_callbacks
    )
    assert second.state == ImportJob.State.DONE
    assert Appeal.objects.filter(channel=Channel.IMPORT).count() == 2
