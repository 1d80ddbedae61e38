"""After a letter is sent: recording that a letter we emailed was also posted, and sending again
an email whose delivery failed (the same outbox row, queued again: never a second email). Both are
staff pages (POST with CSRF, validated, in the case's history, refusals in the error summary); who
reaches them is in the role x URL matrix (tests/security/test_url_matrix.py)."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from casefile.correspondence import services
from casefile.correspondence.models import CorrespondenceEmail, FilingStatus, Party
from ombudsman.outbox.rows import OutboxStatus
from tests import factories
from tests.casefile.correspondence.rows import received_letter, sent_letter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]


def posted_url(letter) -> str:
    return reverse("casefile:letter-posted", args=[letter.complaint_id, letter.pk])


def resend_url(email) -> str:
    return reverse("casefile:letter-email-resend", args=[email.complaint_id, email.correspondence_id, email.pk])


def posted_on(day: datetime.date) -> dict:
    return {"posted_on_day": str(day.day), "posted_on_month": str(day.month), "posted_on_year": str(day.year)}


def history(client, complaint) -> list[str]:
    page = client.get(complaint.get_absolute_url())
    return [item.title for entry in page.context["timeline"] for item in entry.items]


def test_an_emailed_letter_is_recorded_as_also_posted(client_for, complaint, caseworker):
    letter = sent_letter(complaint, caseworker, dated_on=datetime.date(2026, 3, 20))
    client = client_for("caseworker")

    case_page = client.get(complaint.get_absolute_url()).content.decode()
    form = client.get(posted_url(letter))
    response = client.post(posted_url(letter), posted_on(datetime.date(2026, 3, 21)))

    assert posted_url(letter) in case_page
    assert form.status_code == 200 and b"Record as posted" in form.content
    assert response.status_code == 302
    assert response["Location"] == f"{complaint.get_absolute_url()}#letter-{letter.pk}"
    letter.refresh_from_db()
    assert letter.posted_on == datetime.date(2026, 3, 21)
    assert letter.emails.get().status == OutboxStatus.SENT  # already sent: it stays sent
    assert "Letter recorded as sent by post" in history(client, complaint)
    page = client.get(complaint.get_absolute_url()).content.decode()
    assert "Sent by post</strong> on 21 March 2026" in page
    assert posted_url(letter) not in page


@pytest.mark.parametrize(
    ("data", "error"),
    [
        ({}, "Enter the date the letter was posted"),
        (posted_on(datetime.date(2026, 3, 24)), "The date it was posted must be between the letter's date and today"),
        (posted_on(datetime.date(2026, 3, 19)), "The date it was posted must be between the letter's date and today"),
        ({"posted_on_day": "31", "posted_on_month": "2", "posted_on_year": "2026"}, "Date posted must be a real date"),
    ],
)
def test_the_date_posted_is_checked_with_the_error_summary(client_for, complaint, caseworker, data, error):
    letter = sent_letter(complaint, caseworker, dated_on=datetime.date(2026, 3, 20))

    response = client_for("caseworker").post(posted_url(letter), data)

    assert response.status_code == 200
    assert response.context["form"].errors == {"posted_on": [error]}
    assert b"govuk-error-summary" in response.content
    letter.refresh_from_db()
    assert letter.posted_on is None


def test_a_letter_already_posted_is_not_posted_again(client_for, complaint, caseworker):
    letter = sent_letter(complaint, caseworker, posted_on=datetime.date(2026, 3, 22))
    client = client_for("caseworker")

    page = client.get(posted_url(letter))
    response = client.post(posted_url(letter), posted_on(datetime.date(2026, 3, 23)))

    assert "This letter was recorded as posted on 22 March 2026." in page.content.decode()
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "This letter was already recorded as posted on 22 March 2026."
    ]
    letter.refresh_from_db()
    assert letter.posted_on == datetime.date(2026, 3, 22)


def test_a_letter_that_could_not_be_prepared_is_not_marked_posted(client_for, complaint, caseworker):
    letter = sent_letter(complaint, caseworker, status=FilingStatus.FAILED)

    response = client_for("caseworker").post(posted_url(letter), posted_on(datetime.date(2026, 3, 23)))

    assert response.context["form"].non_field_errors() == [
        "This letter could not be prepared, so there is no letter to post: write it again."
    ]
    letter.refresh_from_db()
    assert letter.posted_on is None


def test_only_letters_we_sent_on_this_case_can_be_marked_posted(client_for, complaint, caseworker, council):
    received = received_letter(complaint, caseworker)
    elsewhere = sent_letter(factories.ComplaintFactory(council=council), caseworker)
    client = client_for("caseworker")

    assert client.get(posted_url(received)).status_code == 404
    assert client.get(reverse("casefile:letter-posted", args=[complaint.pk, elsewhere.pk])).status_code == 404


def test_a_failed_email_is_sent_again_once_on_the_same_row(
    client_for, complaint, caseworker, django_capture_on_commit_callbacks
):
    letter = sent_letter(
        complaint, caseworker, party=Party.COMPLAINANT, email="ada@example.org", email_status=OutboxStatus.FAILED
    )
    email = letter.emails.get()
    client = client_for("caseworker")

    case_page = client.get(complaint.get_absolute_url()).content.decode()
    confirm = client.get(resend_url(email))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(resend_url(email))
    with django_capture_on_commit_callbacks(execute=True):
        again = client.post(resend_url(email))  # a second click, once it has gone

    assert resend_url(email) in case_page
    assert "550 User unknown" in confirm.content.decode()
    assert response.status_code == 302
    assert response["Location"] == f"{complaint.get_absolute_url()}#letter-{letter.pk}"
    assert CorrespondenceEmail.objects.filter(correspondence=letter).count() == 1
    email.refresh_from_db()
    assert (email.status, email.attempts, email.last_error, email.requested_by) == (
        OutboxStatus.SENT,
        1,
        "",
        caseworker,
    )
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    assert again.status_code == 200
    assert again.context["form"].non_field_errors() == [
        "Only an email that failed can be sent again: this one is sent."
    ]
    titles = history(client, complaint)
    assert "Email to ada@example.org queued again" in titles
    assert "Letter emailed to ada@example.org" in titles


def test_an_email_of_a_letter_since_posted_is_not_sent_again(client_for, complaint, caseworker):
    letter = sent_letter(complaint, caseworker, email_status=OutboxStatus.FAILED)
    services.letter_mark_posted(letter=letter, by=caseworker, posted_on=datetime.date(2026, 3, 23))

    response = client_for("caseworker").post(resend_url(letter.emails.get()))

    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == [
        "The letter was sent by post on 23 March 2026, so its email is not sent again."
    ]
    assert letter.emails.get().status == OutboxStatus.FAILED
    assert mail.outbox == []


def test_an_email_must_belong_to_the_letter_in_the_url(client_for, complaint, caseworker):
    first = sent_letter(complaint, caseworker, email_status=OutboxStatus.FAILED)
    second = sent_letter(complaint, caseworker, email="other@council.example.org", email_status=OutboxStatus.FAILED)
    url = reverse("casefile:letter-email-resend", args=[complaint.pk, first.pk, second.emails.get().pk])

    assert client_for("caseworker").post(url).status_code == 404
    assert second.emails.get().status == OutboxStatus.FAILED


def test_requeue_changes_only_a_failed_row(complaint, caseworker, django_capture_on_commit_callbacks):
    from casefile.correspondence.outbox import LETTER_EMAILS

    sent = sent_letter(complaint, caseworker).emails.get()
    failed = sent_letter(complaint, caseworker, email="b@council.example.org", email_status=OutboxStatus.FAILED)
    failed = failed.emails.get()

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        results = (LETTER_EMAILS.requeue(sent.pk, by=caseworker), LETTER_EMAILS.requeue(failed.pk, by=caseworker))

    sent.refresh_from_db()
    failed.refresh_from_db()
    assert results == (False, True)
    assert len(callbacks) == 1  # only the failed row is handed to its task
    assert (sent.status, failed.status, failed.attempts) == (OutboxStatus.SENT, OutboxStatus.QUEUED, 0)
