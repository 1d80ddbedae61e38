"""The import pages: upload, preview, confirm, discard; access per role; upload safety."""

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from complaints import importing
from complaints.importing import import_batch_upload
from complaints.models import Complaint, ImportBatch, ImportStatus
from tests.complaints.test_import import FULL_HEADER, GOOD_ROWS, csv_file
from tests.roles import MANAGER_ONLY

UPLOAD = reverse("complaints:import-upload")


def upload(client, data: bytes, name: str = "decisions.csv"):
    return client.post(UPLOAD, {"file": SimpleUploadedFile(name, data, content_type="text/csv")})


@pytest.fixture
def batch(manager, council, other_council):
    return import_batch_upload(data=csv_file(*GOOD_ROWS), file_name="decisions.csv", by=manager)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), MANAGER_ONLY)
def test_import_pages_access_per_role(client_for, batch, role, expected):
    client = client_for(role)

    responses = [client.get(UPLOAD), client.get(reverse("complaints:import-preview", args=[batch.pk]))]

    assert [response.status_code for response in responses] == [expected, expected]
    if role == "anonymous":
        assert responses[0]["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), [role for role in MANAGER_ONLY if role[1] != 200])
@pytest.mark.parametrize("name", ["complaints:import-confirm", "complaints:import-discard"])
def test_import_actions_refused_to_non_managers(client_for, batch, role, expected, name):
    response = client_for(role).post(reverse(name, args=[batch.pk]))

    batch.refresh_from_db()
    assert (response.status_code, batch.status, Complaint.objects.count()) == (expected, ImportStatus.READY, 0)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["manager", "superuser"])
def test_import_confirm_by_managers(client_for, batch, role):
    response = client_for(role).post(reverse("complaints:import-confirm", args=[batch.pk]))

    batch.refresh_from_db()
    assert (response.status_code, batch.status, Complaint.objects.count()) == (302, ImportStatus.IMPORTED, 5)


@pytest.mark.django_db
def test_import_actions_refuse_get(client_for, batch):
    assert client_for("manager").get(reverse("complaints:import-confirm", args=[batch.pk])).status_code == 405


@pytest.mark.django_db
def test_import_upload_preview_confirm_journey(client_for, council, other_council, django_capture_on_commit_callbacks):
    client = client_for("manager")

    uploaded = upload(client, csv_file(*GOOD_ROWS))
    batch = ImportBatch.objects.get()
    preview = client.get(uploaded["Location"])
    stored = batch.stored_name
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = client.post(reverse("complaints:import-confirm", args=[batch.pk]), follow=True)

    assert uploaded["Location"] == reverse("complaints:import-preview", args=[batch.pk])
    assert (batch.status, batch.row_count, batch.file_name, stored.startswith("imports/")) == (
        ImportStatus.READY,
        5,
        "decisions.csv",
        True,
    )
    assert "Import 5 rows" in preview.content.decode()
    assert "Check what the file will change" in preview.content.decode()
    assert Complaint.objects.count() == 5
    assert "Imported decisions.csv: 5 new cases, 0 updated, 0 unchanged." in confirmed.content.decode()
    batch.refresh_from_db()
    assert (batch.status, batch.stored_name, batch.finished_by.email) == (
        ImportStatus.IMPORTED,
        "",
        "manager@example.org",
    )
    assert not storages["private"].exists(stored)


@pytest.mark.django_db
def test_import_confirm_twice_imports_once(client_for, batch):
    client = client_for("manager")
    path = reverse("complaints:import-confirm", args=[batch.pk])

    client.post(path)
    second = client.post(path, follow=True)

    assert Complaint.objects.count() == 5
    assert "This file cannot be imported: it is imported." in second.content.decode()


@pytest.mark.django_db
def test_import_history_names_the_manager_and_batch(client_for, batch, manager):
    client_for("manager").post(reverse("complaints:import-confirm", args=[batch.pk]))

    context = Complaint.pgh_event_model.objects.select_related("pgh_context").first().pgh_context
    assert (context.metadata["user"], context.metadata["import_batch"]) == (manager.pk, batch.pk)


@pytest.mark.django_db
def test_import_preview_lists_errors_by_line_and_column_and_offers_no_import(client_for, council):
    client = client_for("manager")
    rows = [GOOD_ROWS[1], "19 000 106,E07000129,2019-05-01,Housing,2020-02-30,not_upheld,,,,,,"]

    response = client.get(upload(client, csv_file(*rows))["Location"])

    page = response.content.decode()
    batch = ImportBatch.objects.get()
    assert (batch.status, batch.error_count, batch.errors) == (
        ImportStatus.INVALID,
        1,
        [[3, "decided_on", "2020-02-30 is not a date"]],
    )
    assert "There is a problem in decisions.csv" in page
    assert "2020-02-30 is not a date" in page
    assert "Import " not in page.replace("Import decisions", "")
    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_import_confirm_rechecks_against_cases_changed_since_upload(client_for, batch, manager):
    importing.decisions_import(csv_file(GOOD_ROWS[3]))  # imported meanwhile, with a compliance outcome
    changed = GOOD_ROWS[3].replace(
        "injustice_remedy_recommended,complied_late,2020-02-01", "no_significant_injustice,,"
    )
    stale = import_batch_upload(
        data=csv_file(changed.split(",,Repairs")[0] + ",,Repairs,"), file_name="b.csv", by=manager
    )
    assert stale.status == ImportStatus.INVALID  # the check already sees the stored compliance outcome

    response = client_for("manager").post(reverse("complaints:import-confirm", args=[batch.pk]), follow=True)

    assert "Imported decisions.csv: 4 new cases, 0 updated, 1 unchanged." in response.content.decode()


@pytest.mark.django_db
def test_import_discard_removes_the_file_and_imports_nothing(client_for, batch, django_capture_on_commit_callbacks):
    stored = batch.stored_name

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("manager").post(reverse("complaints:import-discard", args=[batch.pk]), follow=True)

    batch.refresh_from_db()
    assert (batch.status, batch.stored_name, Complaint.objects.count()) == (ImportStatus.DISCARDED, "", 0)
    assert not storages["private"].exists(stored)
    assert "decisions.csv was discarded. Nothing was imported from it." in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"PK\x03\x04" + b"\x00" * 100, "The selected file must be a CSV file: this one is a zip archive (or an Excel .xlsx workbook)"),
        (b"%PDF-1.7\n" + FULL_HEADER.encode(), "The selected file must be a CSV file: this one is a PDF"),
        (b"MZ\x90\x00\x03", "The selected file must be a CSV file: this one is a Windows program"),
        (FULL_HEADER.encode() + b"\n\x00\x01\x02", "The selected file must be a CSV file: this one contains binary data"),
        ((FULL_HEADER + "\nCaf\xe9").encode("latin-1"), "The selected file must be saved as CSV UTF-8: line 2 has characters that are not UTF-8"),
        (b"", "The selected file is empty"),
    ],
)  # fmt: skip
def test_import_upload_refuses_what_is_not_utf8_csv_text(client_for, data, message):
    response = upload(client_for("manager"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_import_upload_refuses_a_file_over_the_limit(client_for, monkeypatch):
    monkeypatch.setattr("complaints.forms.imports.MAX_UPLOAD_BYTES", 100)

    response = upload(client_for("manager"), csv_file(*GOOD_ROWS))

    assert response.context["form"].errors["file"] == [importing.TOO_LARGE]
    assert ImportBatch.objects.count() == 0


@pytest.mark.django_db
def test_import_upload_requires_a_file_and_keeps_only_the_base_name(client_for, council, manager):
    missing = client_for("manager").post(UPLOAD, {})
    batch = import_batch_upload(
        data=csv_file(GOOD_ROWS[1]), file_name="C:\\Users\\me\\..\\decisions 2019.csv", by=manager
    )

    assert missing.context["form"].errors["file"] == ["Select a CSV file of decisions"]
    assert batch.file_name == "decisions 2019.csv"


@pytest.mark.django_db
def test_import_upload_page_lists_recent_files_in_a_fixed_number_of_queries(
    client_for, manager, council, django_assert_num_queries
):
    client = client_for("manager")
    import_batch_upload(data=csv_file(GOOD_ROWS[1]), file_name="one.csv", by=manager)
    with django_assert_num_queries(9):
        one = client.get(UPLOAD).content.decode()
    for n in range(19):
        import_batch_upload(data=csv_file(GOOD_ROWS[1]), file_name=f"file{n}.csv", by=manager)

    with django_assert_num_queries(9):
        twenty = client.get(UPLOAD).content.decode()

    assert (one.count('class="govuk-tag'), twenty.count('class="govuk-tag')) == (1, 10)


@pytest.mark.django_db
def test_import_upload_page_empty_state(client_for):
    page = client_for("manager").get(UPLOAD).content.decode()

    assert "No files have been uploaded yet. Upload a CSV file of decisions above to start." in page


@pytest.mark.django_db
def test_the_upload_help_lists_every_code(client_for):
    """It listed no recommendation type codes."""
    from complaints.models import ComplianceResult, Outcome, RecommendationType, UpheldKind

    text = client_for("manager").get(UPLOAD).content.decode()

    for choices in (Outcome, UpheldKind, ComplianceResult, RecommendationType):
        for code, meaning in choices.choices:
            assert f'<code>{code}</code></td><td class="govuk-table__cell">{meaning}</td>' in text.replace(
                "&#x27;", "'"
            )
