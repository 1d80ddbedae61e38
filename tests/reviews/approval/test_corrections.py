"""Corrections and reissues (DOMAIN.md): a reissue of a sent letter says what it replaces and why,
carries its own date, keeps the notice when re-rendered, is emailed as "Corrected:", and every
download of any version is named by one helper with the version."""

import datetime

import pytest
import time_machine
from django.core import mail
from django.utils import timezone

from reviews import selectors
from reviews.approval import services as approval
from reviews.delivery import email as letter_email
from reviews.letters import render, wording
from reviews.models import AnnualLetter, LetterStatus, OutboxMessage, letter_download_name
from reviews.statistics.snapshots import year_snapshots
from tests import factories
from tests.reviews.approval.test_services import decide
from tests.reviews.published import sent_letter

REASON = "A decision about a housing complaint was recorded against the wrong council"


@pytest.fixture
def year(db):
    return factories.ReviewYearFactory(label="2019-20")  # letters dated 21 July 2020


def test_download_name_has_the_year_the_council_and_the_version():
    assert (
        letter_download_name(label="2024-25", council_name="Blaby", version=2) == "annual-review-2024-25-blaby-v2.pdf"
    )
    assert (
        letter_download_name(label="2019-20", council_name="Bristol, City of", version=1)
        == "annual-review-2019-20-bristol-city-of-v1.pdf"
    )


@pytest.mark.django_db
@time_machine.travel(datetime.datetime(2020, 9, 14, 10, tzinfo=datetime.UTC))
def test_reissue_of_a_sent_letter_says_what_it_replaces_why_and_its_own_date(
    year, council, superuser, django_capture_on_commit_callbacks
):
    sent = sent_letter(council, year)
    decide(council, upheld=True)

    with django_capture_on_commit_callbacks(execute=True):
        new = approval.letter_reissue(letter=sent, by=superuser, comment=REASON)
    new.refresh_from_db()
    letter = wording.build(new.snapshot)

    assert new.snapshot["correction"] == {"replaces": "2020-07-21", "reason": REASON, "date": "2020-09-14"}
    assert letter.correction == [
        "This letter replaces our letter of 21 July 2020.",
        "A decision about a housing complaint was recorded against the wrong council.",
    ]
    assert letter.date == "14 September 2020"
    assert new.download_name == "annual-review-2019-20-blaby-v2.pdf"
    assert wording.build(sent.snapshot).correction == []


@pytest.mark.django_db
def test_reissue_of_a_draft_that_was_never_sent_is_no_correction(year, council, superuser):
    draft = factories.AnnualLetterFactory(council=council, review_year=year, ready=True)

    new = approval.letter_reissue(letter=draft, by=superuser, comment="New chief executive.")

    assert "correction" not in new.snapshot


@pytest.mark.django_db
def test_a_corrected_draft_keeps_its_notice_when_re_rendered_and_is_not_out_of_date(
    year, council, superuser, django_capture_on_commit_callbacks
):
    sent = sent_letter(council, year)
    with django_capture_on_commit_callbacks(execute=True):
        new = approval.letter_reissue(letter=sent, by=superuser, comment=REASON)
    new.refresh_from_db()
    notice = new.snapshot["correction"]

    up_to_date = selectors.letters_out_of_date(year)
    decide(council, upheld=True)
    out_of_date = selectors.letters_out_of_date(year)
    render.letters_requeue([new], year_snapshots(year), by=superuser, run=None, dispatch=False)
    new.refresh_from_db()

    assert (up_to_date, out_of_date) == (set(), {new.pk})  # the notice itself never makes it out of date
    assert new.snapshot["correction"] == notice
    assert new.snapshot["counts"]["upheld"] == 1


@pytest.mark.django_db
def test_corrected_letter_email_subject_and_body_say_what_changed(year, council, superuser):
    factories.ContactFactory(council=council)
    sent = sent_letter(council, year)
    new = approval.letter_reissue(letter=sent, by=superuser, comment=REASON)
    AnnualLetter.objects.filter(pk=new.pk).update(
        status=LetterStatus.APPROVED, approved_at=timezone.now(), pdf_name=sent.pdf_name, pdf_sha256=sent.pdf_sha256
    )
    new.refresh_from_db()
    message = OutboxMessage(letter=new, recipient="ce@blaby.example.org", message_id="<x@example.org>")

    email = letter_email.letter_email(message, to=message.recipient, copies=[])
    original = letter_email.letter_email(
        OutboxMessage(letter=sent, recipient="ce@blaby.example.org", message_id="<y@example.org>"),
        to="ce@blaby.example.org",
        copies=[],
    )

    assert email.subject == "Corrected: Annual Review letter 2020: Blaby District Council"
    assert original.subject == "Annual Review letter 2020: Blaby District Council"
    assert (
        "This is a corrected letter. This letter replaces our letter of 21 July 2020. A decision about a housing "
        "complaint was recorded against the wrong council. The corrected letter has its own date"
    ) in email.body
    assert "This letter replaces our letter of 21 July 2020." in email.alternatives[0][0]
    assert "corrected" not in original.body
    assert email.attachments[0][0] == "annual-review-2019-20-blaby-v2.pdf"
    assert not mail.outbox
