"""Rules every request meets before a view runs (ombudsman/middleware.py): refusals as 400 or
413 pages with the security headers, never a 500, and no body read or spooled to disk before
the refusal. NUL characters in paths and parameters are tried on every URL by the URL matrix."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import multipartparser
from django.test import Client
from django.urls import reverse

from tests import factories
from tests.security.access import response_problems

BIG = 1024 * 1024


def upload(size: int) -> SimpleUploadedFile:
    return SimpleUploadedFile("decisions.csv", b"x" * size, content_type="text/csv")


@pytest.fixture
def parsed_bodies(monkeypatch):
    """Every multipart body Django starts to parse (spooling file parts to disk as it goes)."""
    seen = []
    original = multipartparser.MultiPartParser.parse

    def parse(self):
        seen.append(self._content_length)
        return original(self)

    monkeypatch.setattr(multipartparser.MultiPartParser, "parse", parse)
    return seen


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/", "/sign-in/", "/figures/", "/cases/", "/councils/E07000129/"])
def test_unknown_host_gets_the_400_page(client, path):
    response = client.get(path, HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "Sorry, there is a problem with that request" in response.content.decode()
    assert response_problems(response) == []


@pytest.mark.django_db
def test_nul_in_a_cookie_is_a_400(client):
    client.cookies["sessionid"] = "abcdefgh\x00ijklmnop"

    response = client.get("/cases/")

    assert response.status_code == 400
    assert response_problems(response) == []


@pytest.mark.django_db
def test_anonymous_multipart_body_with_a_made_up_csrf_cookie_is_refused_unread(parsed_bodies):
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "made-up" * 5

    response = client.post(reverse("login"), {"username": "a@example.org", "upload": upload(BIG)})

    assert response.status_code == 413
    assert "Sorry, that request was too large" in response.content.decode()
    assert response_problems(response) == []
    assert parsed_bodies == []


@pytest.mark.django_db
def test_anonymous_small_form_is_read_as_before(client, parsed_bodies, caseworker):
    response = client.post(reverse("password_reset"), {"email": "caseworker@example.org"})

    assert response.status_code == 302
    assert len(parsed_bodies) == 1


@pytest.mark.django_db
def test_signed_in_user_may_send_more_than_anonymous_up_to_the_limit(client_for, settings, parsed_bodies):
    settings.REQUEST_MAX_BYTES = 2 * BIG
    client = client_for("manager")

    allowed = client.post(reverse("complaints:import-upload"), {"file": upload(BIG)})
    refused = client.post(reverse("complaints:import-upload"), {"file": upload(3 * BIG)})

    assert allowed.status_code == 302  # read, stored and sent on to its preview
    assert refused.status_code == 413
    assert len(parsed_bodies) == 1


@pytest.mark.django_db
def test_only_the_document_upload_page_takes_more_than_the_request_limit(client_for, settings, parsed_bodies):
    settings.REQUEST_MAX_BYTES, settings.LARGE_UPLOAD_MAX_BYTES = BIG, 3 * BIG
    client = client_for("caseworker")
    documents = reverse("casefile:document-upload", args=[factories.ComplaintFactory().pk])

    taken = client.post(documents, {"files": upload(2 * BIG)})
    elsewhere = client.post(
        reverse("casefile:note-add", args=[factories.ComplaintFactory().pk]), {"files": upload(2 * BIG)}
    )
    too_large = client.post(documents, {"files": upload(4 * BIG)})

    assert taken.status_code != 413  # read and judged by the form (a CSV is not a case document type)
    assert elsewhere.status_code == too_large.status_code == 413
    assert len(parsed_bodies) == 1


@pytest.mark.django_db
def test_content_length_that_is_not_a_number_is_a_400(client):
    response = client.generic("POST", reverse("login"), b"", CONTENT_LENGTH="12abc")

    assert response.status_code == 400
