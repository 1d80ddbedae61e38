"""Documents on a case: kinds decided from the content, limits with a message per file, stored in
private storage under random names, downloaded only by staff as attachments (logged), marks, and a
manager's deletion with a reason that removes the file and keeps the record."""

import hashlib

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from casefile import uploads
from casefile.models import Document, DocumentDownload
from casefile.services import document_delete, document_mark, document_upload
from complaints import history
from tests import factories
from tests.casefile import files

pytestmark = pytest.mark.django_db

ROLE_STATUS = [
    ("anonymous", 404),
    ("caseworker", 200),
    ("manager", 200),
    ("council_user", 404),
    ("other_council_user", 404),
]


@pytest.mark.parametrize(
    ("data", "kind"),
    [
        (files.PDF, uploads.PDF),
        (files.DOCX, uploads.DOCX),
        (files.ODT, uploads.ODT),
        (files.PNG, uploads.PNG),
        (files.JPEG, uploads.JPEG),
        (files.TEXT, uploads.TEXT),
        (files.EML, uploads.EML),
        (files.MSG, uploads.MSG),
    ],
)
def test_kind_of_reads_the_content(data, kind):
    assert uploads.kind_of(data) is kind


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "it is empty"),
        (files.EXE, "its content is of type exe; only PDF"),
        (files.GIF, "its content is of type gif; only PDF"),
        (files.ZIP, "its content is of type zip; only PDF"),
        (files.OLD_DOC, "it is an old Office file, not an Outlook email"),
        (files.ZIP_BOMB_DOCX, "it unpacks to far more than its size"),
        (files.HALF_DOCX, "it is not a complete Word document"),
        (files.BINARY_TEXT, "its content is not of a kind that can be added"),
        (b"\xff\xfe\x00broken utf-8 \xc3", "its content is not of a kind that can be added"),
    ],
)
def test_kind_of_refuses_other_content_with_a_reason(data, reason):
    with pytest.raises(uploads.Refused) as refused:
        uploads.kind_of(data)

    assert str(refused.value).startswith(reason)


def test_text_that_is_not_an_email_stays_text():
    assert uploads.kind_of(b"From: the start of a sentence, not a header\nand more") is uploads.TEXT


def test_text_that_starts_with_an_angle_bracket_but_is_not_markup_stays_text():
    assert uploads.kind_of(b"<Jane> said the council never replied.\n") is uploads.TEXT


def test_an_email_with_an_html_body_stays_an_email():
    assert uploads.kind_of(files.EML.replace(b"Please find", b"<html><body>Please find")) is uploads.EML


@pytest.mark.parametrize(
    ("name", "cleaned"),
    [
        ("../../etc/passwd", "passwd"),
        ("C:\\Users\\jane\\letter.docx", "letter.docx"),
        ("evil\x00name\r\n.pdf", "evilname.pdf"),
        ('quote"d.pdf', "quoted.pdf"),
        ("", "document"),
        ("/", "document"),
        ("a" * 300 + ".pdf", "a" * 196 + ".pdf"),
    ],
)
def test_clean_file_name_keeps_the_last_part_without_control_characters(name, cleaned):
    assert uploads.clean_file_name(name) == cleaned


def _stored() -> list[str]:
    storage = storages["private"]
    return storage.listdir("casefile")[1] if storage.exists("casefile") else []


def test_document_upload_stores_each_file_under_a_random_name_with_its_facts(caseworker):
    complaint = factories.ComplaintFactory()

    pdf, email = document_upload(
        complaint=complaint,
        by=caseworker,
        files=[("complaint form.pdf", files.PDF), ("reply.eml", files.EML)],
        from_complainant=True,
    )

    assert (pdf.file_name, pdf.content_type, pdf.size, pdf.sha256) == (
        "complaint form.pdf",
        "application/pdf",
        len(files.PDF),
        hashlib.sha256(files.PDF).hexdigest(),
    )
    assert (email.content_type, email.uploaded_by, email.from_complainant, email.shared_with_council) == (
        "message/rfc822",
        caseworker,
        True,
        False,
    )
    assert pdf.stored_name.startswith("casefile/") and "complaint" not in pdf.stored_name
    assert storages["private"].open(pdf.stored_name).read() == files.PDF
    assert sorted(_stored()) == sorted(name.split("/")[1] for name in (pdf.stored_name, email.stored_name))
    titles = [item.title for entry in history.case_timeline(complaint) for item in entry.items]
    assert titles.count("Document added") == 2


def test_document_upload_is_all_or_nothing_with_a_message_per_file(caseworker):
    complaint = factories.ComplaintFactory()

    with pytest.raises(ValidationError) as error:
        document_upload(
            complaint=complaint,
            by=caseworker,
            files=[
                ("good.pdf", files.PDF),
                ("virus.pdf", files.EXE),
                ("empty.txt", b""),
                ("bomb.docx", files.ZIP_BOMB_DOCX),
            ],
        )

    assert [message.split(":")[0] for message in error.value.messages] == ["virus.pdf", "empty.txt", "bomb.docx"]
    assert Document.objects.count() == 0
    assert _stored() == []


def test_document_upload_refuses_a_file_over_the_size_limit(caseworker, settings):
    settings.DOCUMENT_MAX_BYTES = 50

    with pytest.raises(ValidationError) as error:
        document_upload(complaint=factories.ComplaintFactory(), by=caseworker, files=[("big.pdf", files.PDF)])

    assert error.value.messages == ["big.pdf: it is larger than 50 bytes"]


def test_document_upload_refuses_too_many_files_at_once(caseworker):
    with pytest.raises(ValidationError) as error:
        document_upload(
            complaint=factories.ComplaintFactory(), by=caseworker, files=[(f"{n}.pdf", files.PDF) for n in range(100)]
        )

    assert error.value.messages == ["Select at most 20 files at once (you selected 100)"]
    assert _stored() == []


def test_document_upload_refuses_a_council_user(council_user):
    with pytest.raises(ValidationError):
        document_upload(complaint=factories.ComplaintFactory(), by=council_user, files=[("a.pdf", files.PDF)])


def _upload(complaint, by, data=files.PDF, name="letter.pdf") -> Document:
    return document_upload(complaint=complaint, by=by, files=[(name, data)])[0]


def test_document_delete_by_a_manager_removes_the_file_and_keeps_the_record(
    caseworker, manager, django_capture_on_commit_callbacks
):
    complaint = factories.ComplaintFactory()
    document = _upload(complaint, caseworker)
    stored_name = document.stored_name

    with django_capture_on_commit_callbacks(execute=True):
        document_delete(document=document, by=manager, reason="Uploaded to the wrong case.")

    document.refresh_from_db()
    assert (document.stored_name, document.deleted_by, document.deletion_reason) == (
        "",
        manager,
        "Uploaded to the wrong case.",
    )
    assert not storages["private"].exists(stored_name)
    deleted = [
        item for entry in history.case_timeline(complaint) for item in entry.items if item.title == "Document deleted"
    ]
    assert deleted[0].facts == [
        "File: letter.pdf",
        f"Kind: PDF, {len(files.PDF)}\xa0bytes",
        f"SHA-256: {hashlib.sha256(files.PDF).hexdigest()}",
        "Reason: Uploaded to the wrong case.",
    ]


def test_document_delete_needs_a_manager_and_a_reason(caseworker, manager):
    document = _upload(factories.ComplaintFactory(), caseworker)

    with pytest.raises(ValidationError, match="Only a manager"):
        document_delete(document=document, by=caseworker, reason="Wrong case.")
    with pytest.raises(ValidationError) as no_reason:
        document_delete(document=document, by=manager, reason="  ")

    assert no_reason.value.message_dict == {"deletion_reason": ["Say why the document is being deleted"]}
    document.refresh_from_db()
    assert storages["private"].exists(document.stored_name)


def _raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_database_keeps_a_documents_record_and_its_facts(caseworker):
    document = _upload(factories.ComplaintFactory(), caseworker)

    with pytest.raises(IntegrityError, match="record is part of the case"):
        _raw("DELETE FROM casefile_document WHERE id = %s", [document.pk])
    with pytest.raises(IntegrityError, match="cannot be changed"):
        _raw("UPDATE casefile_document SET sha256 = %s WHERE id = %s", ["0" * 64, document.pk])
    with pytest.raises(IntegrityError, match="deleted_has_who_when_why"):
        _raw("UPDATE casefile_document SET stored_name = '' WHERE id = %s", [document.pk])

    document.refresh_from_db()
    assert document.sha256 == hashlib.sha256(files.PDF).hexdigest()


def test_document_mark_changes_the_marks_in_history(caseworker):
    complaint = factories.ComplaintFactory()
    document = _upload(complaint, caseworker)

    document_mark(document=document, shared_with_council=True, from_complainant=False)

    document.refresh_from_db()
    assert (document.shared_with_council, document.from_complainant) == (True, False)
    changed = [
        item
        for entry in history.case_timeline(complaint)
        for item in entry.items
        if item.title.startswith("Document marks")
    ]
    assert [(change.label, change.old, change.new) for change in changed[0].changes] == [
        ("Shared with the council", "no", "yes")
    ]


# Pages.


@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_document_download_per_role_as_a_logged_attachment(client_for, council, caseworker, role, status):
    document = _upload(
        factories.ComplaintFactory(council=council), caseworker, data=files.PNG, name="photo of the wall.png"
    )

    response = client_for(role).get(reverse("casefile:document-download", args=[document.complaint_id, document.pk]))

    assert response.status_code == status
    if status == 200:
        assert b"".join(response.streaming_content) == files.PNG
        assert response["Content-Disposition"] == 'attachment; filename="photo of the wall.png"'
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
    assert DocumentDownload.objects.filter(document=document).count() == (1 if status == 200 else 0)


def test_document_download_of_a_deleted_document_is_404(client_for, caseworker, manager):
    document = _upload(factories.ComplaintFactory(), caseworker)
    document_delete(document=document, by=manager, reason="Duplicate.")

    response = client_for("caseworker").get(
        reverse("casefile:document-download", args=[document.complaint_id, document.pk])
    )

    assert response.status_code == 404


def test_document_of_another_case_is_404(client_for, caseworker):
    document = _upload(factories.ComplaintFactory(), caseworker)
    other = factories.ComplaintFactory()

    response = client_for("caseworker").get(reverse("casefile:document-download", args=[other.pk, document.pk]))

    assert response.status_code == 404


@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_document_upload_page_takes_several_files(client_for, council, role, status):
    complaint = factories.ComplaintFactory(council=council)
    url = reverse("casefile:document-upload", args=[complaint.pk])

    response = client_for(role).post(
        url,
        {
            "files": [
                SimpleUploadedFile("form.pdf", files.PDF, "application/pdf"),
                SimpleUploadedFile("reply.odt", files.ODT, "application/octet-stream"),
            ],
            "shared_with_council": "on",
        },
    )

    assert response.status_code == {200: 302, 404: 404}[status]
    kept = list(
        Document.objects.filter(complaint=complaint)
        .order_by("file_name")
        .values_list("file_name", "shared_with_council")
    )
    assert kept == ([("form.pdf", True), ("reply.odt", True)] if status == 200 else [])


def test_document_upload_page_shows_each_refused_file_in_the_error_summary(client_for):
    complaint = factories.ComplaintFactory()

    response = client_for("caseworker").post(
        reverse("casefile:document-upload", args=[complaint.pk]),
        {
            "files": [
                SimpleUploadedFile("fine.pdf", files.PDF),
                SimpleUploadedFile("report.pdf", files.EXE, "application/pdf"),
                SimpleUploadedFile("../../empty.docx", b""),
            ]
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in page
    assert response.context["form"].errors["files"] == [
        "report.pdf: its content is of type exe; only PDF, Word (.docx), OpenDocument text (.odt), plain text, JPEG, PNG or email (.eml, .msg) can be added",
        "empty.docx: it is empty",
    ]
    assert Document.objects.count() == 0


def test_document_upload_page_without_files_shows_the_error_summary(client_for):
    complaint = factories.ComplaintFactory()

    response = client_for("caseworker").post(reverse("casefile:document-upload", args=[complaint.pk]), {})

    assert response.context["form"].errors == {"files": ["Select one or more files"]}
    assert 'class="govuk-error-summary"' in response.content.decode()


@pytest.mark.parametrize(("role", "status"), [("caseworker", 403), ("manager", 200), ("council_user", 404)])
def test_document_delete_page_is_for_managers(client_for, council, caseworker, role, status):
    document = _upload(factories.ComplaintFactory(council=council), caseworker)

    response = client_for(role).get(reverse("casefile:document-delete", args=[document.complaint_id, document.pk]))

    assert response.status_code == status


def test_document_delete_page_without_a_reason_shows_the_error_summary(client_for, caseworker):
    document = _upload(factories.ComplaintFactory(), caseworker)

    response = client_for("manager").post(
        reverse("casefile:document-delete", args=[document.complaint_id, document.pk]), {}
    )

    assert response.context["form"].errors == {"reason": ["Say why the document is being deleted"]}
    assert 'class="govuk-error-summary"' in response.content.decode()
    document.refresh_from_db()
    assert not document.is_deleted


def test_case_page_lists_documents_with_their_marks_and_deleted_ones(client_for, caseworker, manager):
    complaint = factories.ComplaintFactory()
    kept = document_upload(
        complaint=complaint, by=caseworker, files=[("evidence.jpg", files.JPEG)], from_complainant=True
    )[0]
    gone = _upload(complaint, caseworker, name="wrong.pdf")
    document_delete(document=gone, by=manager, reason="Wrong case.")

    response = client_for("caseworker").get(complaint.get_absolute_url())

    page = response.content.decode()
    assert [document.file_name for document in response.context["documents"]] == ["wrong.pdf", "evidence.jpg"]
    assert "Documents (1)" in page
    assert reverse("casefile:document-download", args=[complaint.pk, kept.pk]) in page
    assert reverse("casefile:document-download", args=[complaint.pk, gone.pk]) not in page
    assert "From the complainant" in page
    assert "Wrong case." in page


def test_case_page_makes_a_fixed_number_of_queries_at_1_and_20_documents(
    client_for, caseworker, django_assert_num_queries
):
    complaint = factories.ComplaintFactory(assigned_to=caseworker)
    _upload(complaint, caseworker)
    client = client_for("caseworker")
    url = complaint.get_absolute_url()
    with django_assert_num_queries(17):
        at_1 = client.get(url)
    document_upload(complaint=complaint, by=caseworker, files=[(f"{n}.pdf", files.PDF) for n in range(19)])

    with django_assert_num_queries(17):
        at_20 = client.get(url)

    assert (len(at_1.context["documents"]), len(at_20.context["documents"])) == (1, 20)


def test_document_upload_page_refuses_100_files_at_once_with_a_message(client_for):
    complaint = factories.ComplaintFactory()
    many = [SimpleUploadedFile(f"page {n}.pdf", files.PDF) for n in range(100)]

    response = client_for("caseworker").post(reverse("casefile:document-upload", args=[complaint.pk]), {"files": many})

    assert response.status_code == 200
    assert response.context["form"].errors == {"files": ["Select at most 20 files at once (you selected 100)"]}
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert (Document.objects.count(), _stored()) == (0, [])
