"""Emailing approved letters: the outbox, exactly-once sending, the schedule, failures and resending.

Sending runs eagerly through the real Celery task (CELERY_EAGER=1 in tests) into Django's
in-memory mail backend; tests/reviews/delivery/test_smtp.py does the same against an SMTP server.
"""

import datetime
import hashlib
import smtplib

import pytest
import time_machine
from django.core import mail
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.mail.backends.base import BaseEmailBackend
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from councils.models import ContactRole
from ombudsman.outbox.rows import message_id_for
from reviews import policy
from reviews.approval import services as approval
from reviews.delivery import email as email_message
from reviews.delivery import send as delivery
from reviews.models import AnnualLetter, CopyKind, LetterAction, LetterEvent, LetterStatus, OutboxMessage, OutboxStatus
from reviews.tasks import outbox_message_send_task
from tests import factories

ALL_ROLES = (
    ContactRole.CHIEF_EXECUTIVE,
    ContactRole.LINK_OFFICER,
    ContactRole.MONITORING_OFFICER,
    ContactRole.LEADER,
    ContactRole.SCRUTINY_CHAIR,
)
COPY_ROLES = ALL_ROLES[1:]


def address(council, role) -> str:
    return f"{role.replace('_', '.')}@{council.gss_code.lower()}.example.org"


def approved_letter(review_year, council, *, roles=ALL_ROLES) -> AnnualLetter:
    """An approved letter (fake PDF on file) of a council with a current contact per role."""
    for role in roles:
        factories.ContactFactory(council=council, role=role, email=address(council, role))
    letter = factories.AnnualLetterFactory(council=council, review_year=review_year, ready=True)
    AnnualLetter.objects.filter(pk=letter.pk).update(status=LetterStatus.APPROVED, approved_at=timezone.now())
    letter.refresh_from_db()
    return letter


def send(review_year, capture, **kwargs) -> delivery.SendRequest:
    """Ask to send and run the queued tasks, as after the request's commit."""
    with capture(execute=True):
        return delivery.letters_send(review_year=review_year, **kwargs)


@pytest.fixture
def year(db):
    return factories.ReviewYearFactory(label="2019-20")


@pytest.fixture
def letter(year, council):
    return approved_letter(year, council)


@pytest.mark.django_db
def test_send_emails_the_chief_executive_copying_every_other_contact(
    letter, year, council, manager, django_capture_on_commit_callbacks
):
    result = send(year, django_capture_on_commit_callbacks, by=manager)

    letter.refresh_from_db()
    rows = list(OutboxMessage.objects.order_by("pk"))
    chief = address(council, ContactRole.CHIEF_EXECUTIVE)
    copies = [address(council, role) for role in COPY_ROLES]
    assert (result.messages, [sent.pk for sent in result.letters]) == (5, [letter.pk])
    assert [(row.recipient, row.role, row.kind, row.status) for row in rows] == [
        (chief, ContactRole.CHIEF_EXECUTIVE, CopyKind.TO, OutboxStatus.SENT),
        *((address(council, role), role, CopyKind.CC, OutboxStatus.SENT) for role in COPY_ROLES),
    ]
    assert [row.idempotency_key for row in rows] == [f"{letter.pk}:1:{row.recipient}" for row in rows]
    assert sorted(message.recipients()[0] for message in mail.outbox) == sorted([chief, *copies])
    assert all(len(message.recipients()) == 1 for message in mail.outbox)
    headers = mail.outbox[0].message()
    assert (headers["To"], headers["Cc"]) == (chief, ", ".join(copies))
    assert (letter.status, letter.sent_at) == (LetterStatus.SENT, rows[0].sent_at)
    assert list(letter.actions.order_by("pk").values_list("action", "by")) == [
        (LetterAction.SEND_REQUESTED, manager.pk),
        (LetterAction.SENT, None),
    ]


@pytest.mark.django_db
def test_email_has_a_stable_message_id_the_portal_link_and_the_approved_pdf(
    letter, year, council, django_capture_on_commit_callbacks
):
    complaint = factories.ComplaintFactory(council=council, complainant_name="Harriet Quibble")
    chief = council.contacts.get(role=ContactRole.CHIEF_EXECUTIVE)

    send(year, django_capture_on_commit_callbacks)

    row = OutboxMessage.objects.get(kind=CopyKind.TO)
    message = next(m for m in mail.outbox if m.recipients() == [row.recipient])
    html = message.alternatives[0][0]
    assert message.subject == "Annual Review letter 2020: Blaby District Council"
    assert message.message()["Message-ID"] == row.message_id == message_id_for(row.idempotency_key)
    assert row.message_id.startswith("<annual-letter.") and row.message_id.endswith("@ombudsman.example.org>")
    assert email_message.portal_url() in message.body and email_message.portal_url() in html
    assert "Blaby District Council" in message.body and "31 March 2020" in message.body
    for personal in (complaint.complainant_name, chief.last_name, chief.first_name, complaint.reference):
        assert personal not in message.body and personal not in html
    assert message.attachments == [("annual-review-2019-20-blaby-v1.pdf", factories.FAKE_PDF, "application/pdf")]


@pytest.mark.django_db
def test_attachment_can_be_turned_off(settings, letter, year, django_capture_on_commit_callbacks):
    settings.LETTER_EMAIL_ATTACH_PDF = False

    send(year, django_capture_on_commit_callbacks)

    assert len(mail.outbox) == 5
    assert all(message.attachments == [] for message in mail.outbox)
    assert "You can read and download it on our council portal" in mail.outbox[0].body


def test_portal_link_is_the_council_portal_page_on_the_site(settings):
    settings.SITE_URL = "https://casework.example.org"
    try:
        path = reverse("portal:home")
    except NoReverseMatch:
        path = "/portal/"

    assert email_message.portal_url() == f"https://casework.example.org{path}"


@pytest.mark.django_db
def test_asking_twice_queues_and_sends_each_message_once(letter, year, django_capture_on_commit_callbacks):
    first = send(year, django_capture_on_commit_callbacks)
    second = send(year, django_capture_on_commit_callbacks)

    assert (first.messages, second.messages) == (5, 0)
    assert OutboxMessage.objects.count() == 5
    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_a_duplicate_task_delivery_sends_nothing(letter, year, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        delivery.letters_send(review_year=year)
    row = OutboxMessage.objects.get(kind=CopyKind.TO)

    outbox_message_send_task.delay(row.pk)
    outbox_message_send_task.delay(row.pk)  # the broker delivered the task again
    outbox_message_send_task.apply(args=[row.pk])  # and a retry of it arrived late

    row.refresh_from_db()
    assert len(mail.outbox) == 1
    assert (row.status, row.attempts) == (OutboxStatus.SENT, 1)


@pytest.mark.django_db
def test_contacts_added_before_the_letter_is_sent_get_a_copy_and_after_do_not(
    year, council, django_capture_on_commit_callbacks
):
    approved_letter(year, council, roles=(ContactRole.CHIEF_EXECUTIVE,))
    with django_capture_on_commit_callbacks(execute=False):
        first = delivery.letters_send(review_year=year)  # the chief executive's email waits in the queue
    factories.ContactFactory(council=council, role=ContactRole.LEADER, email="leader@example.org")
    second = send(year, django_capture_on_commit_callbacks)
    outbox_message_send_task.delay(OutboxMessage.objects.get(kind=CopyKind.TO).pk)
    factories.ContactFactory(council=council, role=ContactRole.SCRUTINY_CHAIR, email="chair@example.org")

    third = send(year, django_capture_on_commit_callbacks)  # the letter has been sent: nothing more

    assert (first.messages, second.messages, third.messages) == (1, 1, 0)
    assert [m.recipients()[0] for m in mail.outbox] == ["leader@example.org", address(council, "chief_executive")]
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.SENT}


@pytest.mark.django_db
def test_same_address_in_two_roles_gets_one_copy(year, council, django_capture_on_commit_callbacks):
    factories.ContactFactory(council=council, role=ContactRole.LINK_OFFICER, email="Shared@Example.org")
    factories.ContactFactory(council=council, role=ContactRole.LEADER, email="shared@example.org")
    approved_letter(year, council, roles=(ContactRole.CHIEF_EXECUTIVE,))

    send(year, django_capture_on_commit_callbacks)

    assert sorted(OutboxMessage.objects.values_list("recipient", "role")) == [
        (address(council, ContactRole.CHIEF_EXECUTIVE), ContactRole.CHIEF_EXECUTIVE),
        ("shared@example.org", ContactRole.LINK_OFFICER),
    ]


@pytest.mark.django_db
def test_only_approved_letters_with_a_chief_executive_are_sent(
    year, council, other_council, django_capture_on_commit_callbacks
):
    draft = factories.AnnualLetterFactory(council=council, review_year=year, ready=True)
    headless = approved_letter(year, other_council, roles=(ContactRole.LINK_OFFICER,))

    result = send(year, django_capture_on_commit_callbacks)

    draft.refresh_from_db()
    assert (result.messages, result.without_chief_executive) == (0, [headless])
    assert not OutboxMessage.objects.exists()
    assert mail.outbox == []
    assert draft.status == LetterStatus.READY


@pytest.mark.django_db
def test_a_pdf_changed_on_disk_is_never_sent(letter, year, django_capture_on_commit_callbacks):
    storage = storages["private"]
    storage.delete(letter.pdf_name)
    storage.save(letter.pdf_name, ContentFile(b"%PDF-1.7\n% not what was approved\n%%EOF\n"))

    send(year, django_capture_on_commit_callbacks)

    letter.refresh_from_db()
    reasons = set(OutboxMessage.objects.values_list("status", "last_error"))
    assert mail.outbox == []
    assert reasons == {
        (
            OutboxStatus.FAILED,
            "The stored PDF does not match the checksum recorded when it was made. Reissue the letter.",
        )
    }
    assert letter.status == LetterStatus.APPROVED
    assert LetterEvent.objects.filter(action=LetterAction.DELIVERY_FAILED).count() == 5


@pytest.mark.django_db
def test_scheduled_sending_starts_on_the_letter_date(year, council, django_capture_on_commit_callbacks):
    letter = approved_letter(year, council)
    day = year.letter_date
    moments = {
        "day before": datetime.datetime.combine(day - datetime.timedelta(days=1), datetime.time(12)),
        "early on the day": datetime.datetime.combine(day, datetime.time(7, 59)),
        "on the day": datetime.datetime.combine(day, datetime.time(8, 0)),
        "later": datetime.datetime.combine(day + datetime.timedelta(days=3), datetime.time(9)),
    }
    sent = {}

    for name, moment in moments.items():
        with (
            time_machine.travel(timezone.make_aware(moment), tick=False),
            django_capture_on_commit_callbacks(execute=True),
        ):
            delivery.letters_send_due()
        sent[name] = len(mail.outbox)

    letter.refresh_from_db()
    assert sent == {"day before": 0, "early on the day": 0, "on the day": 5, "later": 5}
    assert letter.status == LetterStatus.SENT
    assert LetterEvent.objects.get(action=LetterAction.SEND_REQUESTED).comment == "5 emails queued on the letter date"


@pytest.mark.django_db
def test_send_due_letters_task_is_safe_to_run_often(letter, year, django_capture_on_commit_callbacks):
    from reviews.tasks import send_due_letters_task

    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            send_due_letters_task.delay()

    assert len(mail.outbox) == 5
    assert OutboxMessage.objects.filter(status=OutboxStatus.SENT).count() == 5


@pytest.mark.django_db
def test_reissue_cancels_emails_not_yet_sent(letter, year, superuser, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        delivery.letters_send(review_year=year)
    rows = list(OutboxMessage.objects.values_list("pk", flat=True))

    with django_capture_on_commit_callbacks(execute=False):
        approval.letter_reissue(letter=letter, by=superuser, comment="Wrong figures.")
    for row in rows:
        outbox_message_send_task.delay(row)

    assert mail.outbox == []
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.CANCELLED}


@pytest.mark.django_db
def test_sweep_sends_rows_whose_worker_died_and_rows_whose_task_was_lost(
    letter, year, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        delivery.letters_send(review_year=year)
    now = timezone.now()
    stuck, lost, busy, waiting, sent = OutboxMessage.objects.order_by("pk")
    OutboxMessage.objects.filter(pk=stuck.pk).update(
        status=OutboxStatus.SENDING, claimed_at=now - policy.SENDING_TIMEOUT - datetime.timedelta(seconds=1)
    )
    OutboxMessage.objects.filter(pk=lost.pk).update(queued_at=now - policy.QUEUED_TIMEOUT - datetime.timedelta(1))
    OutboxMessage.objects.filter(pk=busy.pk).update(status=OutboxStatus.SENDING, claimed_at=now)
    OutboxMessage.objects.filter(pk=sent.pk).update(status=OutboxStatus.SENT, sent_at=now)

    with django_capture_on_commit_callbacks(execute=True):
        swept = delivery.outbox_sweep(now=now)

    statuses = dict(OutboxMessage.objects.values_list("pk", "status"))
    assert sorted(swept) == sorted([stuck.pk, lost.pk])
    assert sorted(m.recipients()[0] for m in mail.outbox) == sorted([stuck.recipient, lost.recipient])
    assert statuses == {
        stuck.pk: OutboxStatus.SENT,
        lost.pk: OutboxStatus.SENT,
        busy.pk: OutboxStatus.SENDING,
        waiting.pk: OutboxStatus.QUEUED,
        sent.pk: OutboxStatus.SENT,
    }


@pytest.mark.django_db
def test_a_redelivered_task_takes_over_a_row_stuck_in_sending(letter, year, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False):
        delivery.letters_send(review_year=year)
    row = OutboxMessage.objects.get(kind=CopyKind.TO)
    OutboxMessage.objects.filter(pk=row.pk).update(
        status=OutboxStatus.SENDING, claimed_at=timezone.now() - policy.SENDING_TIMEOUT, attempts=1
    )

    outbox_message_send_task.delay(row.pk)

    row.refresh_from_db()
    assert (row.status, row.attempts, len(mail.outbox)) == (OutboxStatus.SENT, 2, 1)


@pytest.mark.django_db
def test_resend_a_failed_email_to_the_same_or_the_new_address(
    letter, year, council, manager, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):
        delivery.letters_send(review_year=year)
    leader, chief = (
        OutboxMessage.objects.get(role=ContactRole.LEADER),
        OutboxMessage.objects.get(role=ContactRole.CHIEF_EXECUTIVE),
    )
    OutboxMessage.objects.filter(pk__in=[leader.pk, chief.pk]).update(
        status=OutboxStatus.FAILED, last_error="550 5.1.1 No such user", attempts=1
    )
    chief_contact = council.contacts.get(role=ContactRole.CHIEF_EXECUTIVE)
    chief_contact.email = "new.chief@example.org"
    chief_contact.save()

    with django_capture_on_commit_callbacks(execute=True):
        delivery.outbox_resend(message=leader, by=manager)
        replacement = delivery.outbox_resend(message=chief, by=manager)

    leader.refresh_from_db()
    chief.refresh_from_db()
    letter.refresh_from_db()
    assert (leader.status, leader.attempts, leader.last_error) == (OutboxStatus.SENT, 1, "")
    assert chief.status == OutboxStatus.FAILED
    assert (replacement.recipient, replacement.kind, replacement.status) == ("new.chief@example.org", "to", "queued")
    assert sorted(m.recipients()[0] for m in mail.outbox) == sorted([leader.recipient, "new.chief@example.org"])
    to_new_chief = next(m for m in mail.outbox if m.recipients() == ["new.chief@example.org"])
    assert to_new_chief.message()["To"] == "new.chief@example.org"
    assert letter.status == LetterStatus.SENT
    assert list(LetterEvent.objects.filter(action=LetterAction.RESENT).order_by("pk").values_list("by", "comment")) == [
        (manager.pk, f"Leader ({leader.recipient})"),
        (manager.pk, "Chief executive (new.chief@example.org)"),
    ]


@pytest.mark.django_db
def test_resend_is_only_for_failed_emails(letter, year, manager, django_capture_on_commit_callbacks):
    send(year, django_capture_on_commit_callbacks)
    row = OutboxMessage.objects.get(kind=CopyKind.TO)

    with pytest.raises(Exception, match="Only an email that failed can be sent again"):
        delivery.outbox_resend(message=row, by=manager)

    assert len(mail.outbox) == 5


@pytest.mark.django_db
def test_outbox_database_rules(letter):
    from django.db import IntegrityError, transaction

    key = f"{letter.pk}:1:a@example.org"
    row = OutboxMessage.objects.create(
        letter=letter,
        recipient="a@example.org",
        role=ContactRole.CHIEF_EXECUTIVE,
        kind=CopyKind.TO,
        idempotency_key=key,
        message_id=message_id_for(key),
    )

    for change in ({"status": "sent"}, {"status": "failed_permanent"}, {"status": "sending"}, {"kind": "xx"}):
        with pytest.raises(IntegrityError), transaction.atomic():
            OutboxMessage.objects.filter(pk=row.pk).update(**change)
    with pytest.raises(IntegrityError), transaction.atomic():
        OutboxMessage.objects.create(
            letter=letter,
            recipient="b@example.org",
            role=ContactRole.LEADER,
            kind=CopyKind.CC,
            idempotency_key=key,
            message_id="<other@example.org>",
        )


def test_message_id_is_derived_from_the_idempotency_key_only(settings):
    settings.DEFAULT_FROM_EMAIL = "Ombudsman <noreply@lgo.example.org>"

    first = message_id_for("12:3:ceo@example.org")

    assert first == message_id_for("12:3:ceo@example.org")
    assert first != message_id_for("12:4:ceo@example.org")
    assert first == f"<annual-letter.{hashlib.sha256(b'12:3:ceo@example.org').hexdigest()[:24]}@lgo.example.org>"


class DisconnectingBackend(BaseEmailBackend):
    """A mail server that hangs up on every message."""

    def send_messages(self, email_messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.mark.django_db
def test_without_a_broker_a_transient_failure_leaves_the_email_queued_for_the_sweep(
    settings, year, council, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.reviews.delivery.test_send.DisconnectingBackend"
    approved_letter(year, council, roles=(ContactRole.CHIEF_EXECUTIVE,))

    send(year, django_capture_on_commit_callbacks)  # the request that asked does not fail

    row = OutboxMessage.objects.get()
    assert (row.status, row.attempts) == (OutboxStatus.QUEUED, 1)
    assert row.last_error == "SMTPServerDisconnected: Connection unexpectedly closed"
