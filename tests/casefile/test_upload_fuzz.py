"""The upload page fuzzed like the CSV imports (issue 16): content of the wrong kind under a PDF's or a
Word document's name and content type, empty files, files over the size limit, a zip bomb renamed .docx,
names with path separators and control characters, 100 files at once. Each is refused on the page with
a message naming the file (as it will be shown: its last path part, no control characters) in the error
summary; nothing is stored (no Document row, no file in private storage); never a 500. A good file with
a hostile name is kept under a random name, its name cleaned."""

import pytest
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casefile.correspondence.models import Correspondence, Method, Party
from casefile.models import Document
from tests import factories
from tests.casefile import files

pytestmark = pytest.mark.django_db

MARKUP_ONLY = "it is a web page or markup (HTML, SVG or XML), not plain text"
ALLOWED = "only PDF, Word (.docx), OpenDocument text (.odt), plain text, JPEG, PNG or email (.eml, .msg) can be added"
HTML = b"<!DOCTYPE html><html><body><script>alert(1)</script></body></html>"
MARKUP = f"{MARKUP_ONLY}; {ALLOWED}"
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>'
RAR = b"Rar!\x1a\x07\x00" + b"\x00" * 64
ELF = b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 64


def stored() -> list[str]:
    storage = storages["private"]
    return storage.listdir("casefile")[1] if storage.exists("casefile") else []


def post(client, complaint, uploads: list[tuple[str, bytes, str]]):
    return client.post(
        reverse("casefile:document-upload", args=[complaint.pk]),
        {"files": [SimpleUploadedFile(name, data, content_type) for name, data, content_type in uploads]},
    )


REFUSED = [
    # Wrong kinds renamed .pdf (and sent as application/pdf, as a browser would for the name).
    ("report.pdf", files.EXE, "application/pdf", f"report.pdf: its content is of type exe; {ALLOWED}"),
    ("linux.pdf", ELF, "application/pdf", f"linux.pdf: its content is of type elf; {ALLOWED}"),
    ("picture.pdf", files.GIF, "application/pdf", f"picture.pdf: its content is of type gif; {ALLOWED}"),
    ("archive.pdf", files.ZIP, "application/pdf", f"archive.pdf: its content is of type zip; {ALLOWED}"),
    ("archive2.pdf", RAR, "application/pdf", f"archive2.pdf: its content is of type rar; {ALLOWED}"),
    ("page.pdf", HTML, "application/pdf", f"page.pdf: {MARKUP}"),
    ("page.txt", b"\n  <html><body>hi</body></html>", "text/plain", f"page.txt: {MARKUP}"),
    ("drawing.pdf", SVG, "application/pdf", f"drawing.pdf: {MARKUP}"),
    (
        "old.docx",
        files.OLD_DOC,
        "application/msword",
        f"old.docx: it is an old Office file, not an Outlook email; {ALLOWED}",
    ),
    # Zero bytes.
    ("empty.pdf", b"", "application/pdf", "empty.pdf: it is empty"),
    # Zip bombs and broken archives renamed .docx.
    (
        "bomb.docx",
        files.ZIP_BOMB_DOCX,
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        "bomb.docx: it unpacks to far more than its size (a compressed archive, not a document)",
    ),
    ("half.docx", files.HALF_DOCX, "application/octet-stream", "half.docx: it is not a complete Word document"),
    # Names with path separators and control characters: the message names the cleaned name.
    ("../../../etc/passwd.pdf", files.EXE, "application/pdf", f"passwd.pdf: its content is of type exe; {ALLOWED}"),
    ("C:\\Windows\\evil.pdf", files.EXE, "application/pdf", f"evil.pdf: its content is of type exe; {ALLOWED}"),
    ("bad\r\nSet-Cookie: x=1.pdf", b"", "application/pdf", "bad: it is empty"),  # the header ends at the line break
    ("invoice\u202efdp.exe", files.EXE, "application/pdf", f"invoicefdp.exe: its content is of type exe; {ALLOWED}"),
    ("\t\x1b[31m.pdf", b"", "text/plain", "[31m.pdf: it is empty"),
]


@pytest.mark.parametrize(("name", "data", "content_type", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_upload_page_refuses_each_bad_file_with_a_message_and_stores_nothing(
    client_for, name, data, content_type, message
):
    complaint = factories.ComplaintFactory()

    response = post(
        client_for("caseworker"), complaint, [("fine.pdf", files.PDF, "application/pdf"), (name, data, content_type)]
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"files": [message]}
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert (Document.objects.count(), stored()) == (0, [])


def test_upload_page_refuses_a_file_over_the_size_limit_and_stores_nothing(client_for, settings):
    settings.DOCUMENT_MAX_BYTES = 1024
    complaint = factories.ComplaintFactory()

    response = post(
        client_for("caseworker"),
        complaint,
        [("fine.pdf", files.PDF, "application/pdf"), ("big.pdf", files.PDF + b" " * 2000, "application/pdf")],
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"files": ["big.pdf: it is larger than 1,024 bytes"]}
    assert (Document.objects.count(), stored()) == (0, [])


def test_upload_page_refuses_files_adding_up_to_more_than_the_upload_limit(client_for, settings):
    settings.DOCUMENT_UPLOAD_MAX_BYTES = 3 * len(files.PDF) - 1
    complaint = factories.ComplaintFactory()

    response = post(client_for("caseworker"), complaint, [(f"{n}.pdf", files.PDF, "application/pdf") for n in range(3)])

    assert response.status_code == 200
    assert len(response.context["form"].errors["files"]) == 1
    assert response.context["form"].errors["files"][0].startswith("The files add up to more than")
    assert (Document.objects.count(), stored()) == (0, [])


def test_upload_page_refuses_100_files_at_once_even_all_bad(client_for):
    complaint = factories.ComplaintFactory()

    response = post(
        client_for("caseworker"), complaint, [(f"{n}.pdf", files.EXE, "application/pdf") for n in range(100)]
    )

    assert response.status_code == 200
    assert response.context["form"].errors == {"files": ["Select at most 20 files at once (you selected 100)"]}
    assert (Document.objects.count(), stored()) == (0, [])


@pytest.mark.parametrize(
    ("name", "kept_as"),
    [
        ("../../../etc/passwd.pdf", "passwd.pdf"),
        ("C:\\Users\\jane\\form.pdf", "form.pdf"),
        ("form\x7f\u200b\u202e.pdf", "form.pdf"),
        ('"; filename="x.html', "x.html"),  # the last filename= of the header
    ],
)
def test_upload_page_keeps_a_good_file_with_a_hostile_name_under_a_random_name(client_for, name, kept_as):
    complaint = factories.ComplaintFactory()

    response = post(client_for("caseworker"), complaint, [(name, files.PDF, "text/html")])

    document = Document.objects.get()
    assert response.status_code == 302
    assert (document.file_name, document.content_type) == (kept_as, "application/pdf")
    assert stored() == [document.stored_name.removeprefix("casefile/")]
    assert kept_as not in document.stored_name


# The letter-received page takes its one file through the same checks: each refused file is refused
# there too, with the same message, and neither the letter nor its document is stored.
@pytest.mark.parametrize(("name", "data", "content_type", "message"), REFUSED, ids=[case[0] for case in REFUSED])
def test_letter_received_page_refuses_each_bad_file_with_a_message_and_stores_nothing(
    client_for, name, data, content_type, message
):
    complaint = factories.ComplaintFactory()
    fields = {
        "party": Party.COUNCIL,
        "received_on_day": "1",
        "received_on_month": "4",
        "received_on_year": "2025",
        "subject": "The council's response",
        "method": Method.EMAIL,
        "file": SimpleUploadedFile(name, data, content_type),
    }

    response = client_for("caseworker").post(reverse("casefile:letter-receive", args=[complaint.pk]), fields)

    assert response.status_code == 200
    expected = "The selected file is empty" if not data else message  # Django's own check comes first
    assert response.context["form"].errors == {"file": [expected]}
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert (Correspondence.objects.count(), Document.objects.count(), stored()) == (0, 0, [])
