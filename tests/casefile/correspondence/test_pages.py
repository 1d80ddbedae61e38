"""The staff pages of correspondence: the case page's Correspondence section (every letter sent or
received, newest first, with its delivery per recipient, its filed document and the reply it
awaits), in constant queries."""

import datetime

import pytest
from django.core import mail
from django.urls import reverse

from casefile.correspondence.models import Correspondence, FilingStatus, LetterKind, Method, Party
from councils.models import ContactRole
from ombudsman.outbox.rows import OutboxStatus
from tests import factories
from tests.casefile.correspondence.rows import received_letter, sent_letter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("on_today")]


def section(response) -> str:
    page = response.content.decode()
    start = page.index('id="correspondence"')
    return page[start : page.index('id="history"', start)]


def test_case_page_lists_every_letter_newest_first_with_its_delivery_and_document(client_for, complaint, caseworker):
    enquiry = sent_letter(
        complaint,
        caseworker,
        dated_on=datetime.date(2026, 3, 2),
        response_due=datetime.date(2026, 3, 30),
        subject="Complaint: enquiry",
    )
    reply = received_letter(
        complaint, caseworker, replies_to=enquiry, received_on=datetime.date(2026, 3, 20), subject="Council response"
    )
    posted = sent_letter(
        complaint,
        caseworker,
        kind=LetterKind.ACKNOWLEDGEMENT,
        party=Party.COMPLAINANT,
        dated_on=datetime.date(2026, 3, 3),
        posted_on=datetime.date(2026, 3, 4),
        subject="Your complaint",
    )
    failed = sent_letter(
        complaint, caseworker, dated_on=datetime.date(2026, 3, 5), email_status=OutboxStatus.FAILED, subject="Bounced"
    )
    preparing = sent_letter(complaint, caseworker, status=FilingStatus.PENDING, subject="On its way")

    response = client_for("caseworker").get(complaint.get_absolute_url())

    assert [letter.pk for letter in response.context["correspondence"]] == [
        preparing.pk,
        reply.pk,
        failed.pk,
        posted.pk,
        enquiry.pk,
    ]
    html = section(response)
    assert "Correspondence (5)" in html
    assert "Sent to the council: Complaint: enquiry" in html
    assert "Received from the council: Council response" in html
    assert 'Email to link@council.example.org: <strong class="govuk-tag govuk-tag--green">Sent</strong>' in html
    assert '<strong class="govuk-tag govuk-tag--red">Failed</strong> 550 User unknown' in html
    assert '<strong class="govuk-tag govuk-tag--green">Sent by post</strong> on 4 March 2026' in html
    assert '<strong class="govuk-tag govuk-tag--grey">Being prepared</strong>' in html
    assert "Response due 30 Mar 2026" in html
    assert f'<a class="govuk-link" href="#letter-{reply.pk}">received 20 Mar 2026</a>' in html
    assert (
        f'Answers our enquiry to the council of <a class="govuk-link" href="#letter-{enquiry.pk}">2 March 2026</a>'
        in html
    )
    download = reverse("casefile:document-download", args=[complaint.pk, reply.document_id])
    assert f'href="{download}" download>Council response.pdf</a>' in html
    assert "Overdue" not in html


def test_an_enquiry_not_answered_by_its_due_date_is_overdue(client_for, complaint, caseworker):
    sent_letter(complaint, caseworker, dated_on=datetime.date(2026, 2, 2), response_due=datetime.date(2026, 3, 2))
    sent_letter(complaint, caseworker, dated_on=datetime.date(2026, 3, 2), response_due=datetime.date(2026, 3, 23))

    html = section(client_for("caseworker").get(complaint.get_absolute_url()))

    assert html.count("Overdue") == 1
    assert 'Response due 2 Mar 2026\n          <strong class="govuk-tag govuk-tag--red">Overdue</strong>' in html


def test_case_page_says_when_there_is_no_correspondence(client_for, complaint):
    html = section(client_for("manager").get(complaint.get_absolute_url()))

    assert "Correspondence (0)" in html
    assert "No letters have been sent or received on this case." in html


def test_case_page_makes_a_fixed_number_of_queries_at_1_and_20_notes_documents_and_letters(
    client_for, complaint, caseworker, django_assert_num_queries
):
    complaint.assigned_to = caseworker  # the history names a user at 1 as at 20
    complaint.save()
    factories.NoteFactory(complaint=complaint)
    first = sent_letter(complaint, caseworker, response_due=datetime.date(2026, 4, 22))  # its PDF: the one document
    client = client_for("caseworker")
    url = complaint.get_absolute_url()
    with django_assert_num_queries(18):
        at_1 = client.get(url)
    factories.NoteFactory.create_batch(19, complaint=complaint)
    for number in range(9):
        sent_letter(complaint, caseworker, subject=f"Letter {number}", email=f"person{number}@example.org")
    for number in range(10):
        received_letter(complaint, caseworker, replies_to=first if number == 0 else None, subject=f"Reply {number}")

    with django_assert_num_queries(18):
        at_20 = client.get(url)

    sizes = [
        (len(page.context["notes"]), len(page.context["documents"]), len(page.context["correspondence"]))
        for page in (at_1, at_20)
    ]
    assert sizes == [(1, 1, 1), (20, 20, 20)]


# Writing a letter --------------------------------------------------------------------------------


def compose_url(complaint, kind, to=None) -> str:
    url = reverse("casefile:letter-compose", args=[complaint.pk, kind])
    return f"{url}?to={to}" if to else url


def test_write_a_letter_chooses_a_template_and_recipient_then_fills_it_in(client_for, complaint):
    client = client_for("caseworker")
    url = reverse("casefile:letter-write", args=[complaint.pk])

    chosen = client.post(url, {"kind": LetterKind.INFORMATION_REQUEST, "party": Party.COMPLAINANT})
    page = client.get(chosen["Location"])

    assert chosen["Location"] == compose_url(complaint, LetterKind.INFORMATION_REQUEST, "complainant")
    form = page.context["form"]
    assert form["subject"].value() == f"Your complaint about {complaint.council}: we need more information"
    assert (
        form["body"]
        .value()
        .startswith(f"Dear Ada Lovelace,\n\nWe are looking at your complaint about {complaint.council}")
    )
    assert form["response_due"].value() == datetime.date(2026, 4, 8)  # 10 working days after Monday 23 March
    assert "Preview the letter" in page.content.decode()
    assert "Send by email" not in page.content.decode()  # only once previewed


def test_write_a_letter_refuses_an_empty_choice_with_the_error_summary(client_for, complaint):
    response = client_for("caseworker").post(reverse("casefile:letter-write", args=[complaint.pk]), {})

    assert response.status_code == 200
    assert response.context["form"].errors == {
        "kind": ["Choose the letter to write"],
        "party": ["Choose who the letter is to"],
    }
    assert 'class="govuk-error-summary"' in response.content.decode()


def test_an_enquiry_defaults_to_the_council_with_a_reply_due_in_20_working_days(client_for, complaint):
    factories.ContactFactory(
        council=complaint.council,
        role=ContactRole.LINK_OFFICER,
        first_name="Lin",
        last_name="Kay",
        title="",
        email="lin@council.example.org",
    )

    page = client_for("caseworker").get(compose_url(complaint, LetterKind.ENQUIRY))

    assert page.context["party"] == Party.COUNCIL
    assert page.context["form"]["response_due"].value() == datetime.date(2026, 4, 22)  # Easter is not counted
    assert page.context["form"]["body"].value().startswith("Dear Lin Kay,")
    assert "lin@council.example.org" in page.content.decode()


def test_preview_shows_the_letter_then_sending_by_email_files_and_emails_it_once(
    client_for, complaint, caseworker, django_capture_on_commit_callbacks
):
    client = client_for("caseworker")
    url = compose_url(complaint, LetterKind.ACKNOWLEDGEMENT)
    data = {"subject": "Your complaint", "body": "Dear Ada Lovelace,\n\nThank you.\n\nWe will write again."}

    preview = client.post(url, {**data, "send": "preview"})
    html = preview.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        sent = client.post(url, {**data, "send": "email", "fingerprint": preview.context["fingerprint"]})

    assert '<article class="app-letter-preview" aria-label="The letter as it will be printed">' in html
    assert "<p>Thank you.</p>" in html
    assert '<p class="letter__signatory">' in html
    assert 'name="send" value="email"' in html
    assert sent.status_code == 302
    assert sent["Location"] == f"{complaint.get_absolute_url()}#correspondence"
    letter = Correspondence.objects.get()
    assert (letter.status, letter.method, letter.recipient_email, letter.subject) == (
        FilingStatus.FILED,
        Method.EMAIL,
        "ada@example.org",
        "Your complaint",
    )
    assert [message.to for message in mail.outbox] == [["ada@example.org"]]
    page = client.get(complaint.get_absolute_url())
    assert [str(message) for message in page.context["messages"]] == [
        "Acknowledgement of the complaint: the letter is being filed on the case and emailed to ada@example.org."
    ]
    assert "Letter sent: acknowledgement of the complaint" in [
        item.title for entry in page.context["timeline"] for item in entry.items
    ]


def test_a_letter_changed_since_its_preview_is_shown_again_not_sent(client_for, complaint):
    client = client_for("caseworker")
    url = compose_url(complaint, LetterKind.ACKNOWLEDGEMENT)
    data = {"subject": "Your complaint", "body": "Dear Ada,\n\nThank you."}
    preview = client.post(url, {**data, "send": "preview"})

    response = client.post(
        url, {**data, "body": "Dear Ada,\n\nChanged.", "send": "email", "fingerprint": preview.context["fingerprint"]}
    )

    assert response.status_code == 200
    assert "The letter has changed since you previewed it." in response.content.decode()
    assert "<p>Changed.</p>" in response.content.decode()
    assert Correspondence.objects.count() == 0


def test_record_as_sent_by_post_with_its_date(client_for, complaint, django_capture_on_commit_callbacks):
    client = client_for("caseworker")
    url = compose_url(complaint, LetterKind.ACKNOWLEDGEMENT)
    data = {
        "subject": "Your complaint",
        "body": "Dear Ada,\n\nThank you.",
        "posted_on_day": "23",
        "posted_on_month": "3",
        "posted_on_year": "2026",
    }
    preview = client.post(url, {**data, "send": "preview"})

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, {**data, "send": "post", "fingerprint": preview.context["fingerprint"]})

    assert response.status_code == 302
    letter = Correspondence.objects.get()
    assert (letter.method, letter.posted_on, letter.recipient_email, letter.status) == (
        Method.POST,
        datetime.date(2026, 3, 23),
        "",
        FilingStatus.FILED,
    )
    assert mail.outbox == []


def test_post_without_its_date_is_refused_with_the_error_summary(client_for, complaint):
    client = client_for("caseworker")
    url = compose_url(complaint, LetterKind.ACKNOWLEDGEMENT)
    data = {"subject": "Your complaint", "body": "Dear Ada,\n\nThank you."}
    preview = client.post(url, {**data, "send": "preview"})

    response = client.post(url, {**data, "send": "post", "fingerprint": preview.context["fingerprint"]})

    assert response.status_code == 200
    assert response.context["form"].errors == {"posted_on": ["Enter the date the letter was posted"]}
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert Correspondence.objects.count() == 0


def test_a_complainant_without_email_can_only_be_written_to_by_post(client_for, council):
    complaint = factories.ComplaintFactory(council=council, complainant_email="")
    client = client_for("caseworker")
    url = compose_url(complaint, LetterKind.ACKNOWLEDGEMENT)
    data = {"subject": "Your complaint", "body": "Dear Ada,\n\nThank you."}

    preview = client.post(url, {**data, "send": "preview"})
    forced = client.post(url, {**data, "send": "email", "fingerprint": preview.context["fingerprint"]})

    html = preview.content.decode()
    assert "The case has no email address for the complainant: you can only record this letter as sent by post." in html
    assert 'value="email"' not in html
    assert forced.status_code == 200
    assert forced.context["form"].non_field_errors() == [
        "The case has no email address for the complainant: add one to the case, or send the letter by post"
    ]
    assert 'class="govuk-error-summary"' in forced.content.decode()
    assert Correspondence.objects.count() == 0


def test_a_council_without_a_casework_contact_is_written_to_by_post_only(client_for, complaint):
    page = client_for("caseworker").get(compose_url(complaint, LetterKind.ENQUIRY))

    assert page.context["addressee"].lines == [str(complaint.council)]
    assert "The council has no complaints contact or link officer with an email address" in page.content.decode()


def test_compose_answers_404_for_a_kind_that_is_not_a_template(client_for, complaint):
    response = client_for("caseworker").get(reverse("casefile:letter-compose", args=[complaint.pk, "ransom-note"]))

    assert response.status_code == 404
