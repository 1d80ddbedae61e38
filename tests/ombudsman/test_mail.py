"""The demo's mail folder: one file per message and recipient, named by the letter and the recipient."""

import datetime
import email

from django.core.mail import EmailMessage, get_connection

from ombudsman.mail import FileEmailBackend, message_file_name


def letter_email(recipient: str) -> EmailMessage:
    return EmailMessage(
        subject="Annual Review letter 2026: Blaby District Council",
        body="Your letter.",
        from_email="noreply@ombudsman.example.org",
        to=[recipient],
        headers={"To": "ceo@blaby.example.org", "Cc": "link@blaby.example.org"},
    )


def test_each_recipient_copy_is_a_file_named_by_letter_and_recipient(tmp_path):
    connection = get_connection("ombudsman.mail.FileEmailBackend", file_path=str(tmp_path))

    sent = connection.send_messages([letter_email("ceo@blaby.example.org"), letter_email("link@blaby.example.org")])

    assert sent == 2
    names = sorted(path.name.split("-", 2)[2] for path in tmp_path.iterdir())
    assert names == [
        "annual-review-letter-2026-blaby-district-council--ceo@blaby.example.org.eml",
        "annual-review-letter-2026-blaby-district-council--link@blaby.example.org.eml",
    ]
    copy = next(path for path in tmp_path.iterdir() if "link@" in path.name)
    parsed = email.message_from_bytes(copy.read_bytes())
    assert parsed["X-Envelope-To"] == "link@blaby.example.org"  # whose copy this is: To and Cc are the same in all
    assert parsed["Subject"] == "Annual Review letter 2026: Blaby District Council"


def test_a_second_message_of_the_same_name_does_not_overwrite_the_first(tmp_path):
    backend = FileEmailBackend(file_path=str(tmp_path))

    backend.send_messages([letter_email("ceo@blaby.example.org")])
    backend.send_messages([letter_email("ceo@blaby.example.org")])

    assert len(list(tmp_path.iterdir())) == 2


def test_a_file_name_never_leaves_the_folder():
    message = EmailMessage(subject="../../etc", to=["a/../../b@example.org"])

    name = message_file_name(message, "a/../../b@example.org", datetime.datetime(2026, 12, 2, 12, 0, 0))

    assert "/" not in name
    assert name == "20261202-120000-etc--a-..-..-b@example.org.eml"


def test_the_file_email_url_uses_it(settings):
    from ombudsman.settings import email_settings

    assert email_settings("file:///tmp/mail")["EMAIL_BACKEND"] == "ombudsman.mail.FileEmailBackend"
