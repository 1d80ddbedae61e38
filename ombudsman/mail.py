"""The file email backend of the demo and development (EMAIL_URL=file:///path).

Django's file backend appends every message of a connection to one file named by the time, and
each file holds the headers only: as a letter's copies name every recipient in To and Cc, the
mail folder looked as if each letter had been sent several times. Here each message is a file
of its own, named by the time, the subject (which names the letter) and the envelope recipient,
e.g. `20261202-125959-annual-review-letter-2026-blaby-district-council--ceo@blaby.example.org.eml`,
and carries the envelope recipients in an X-Envelope-To header. Files open in a mail program.
"""

import datetime
import re
from pathlib import Path

from django.core.mail.backends.filebased import EmailBackend as DjangoFileBackend
from django.utils.text import slugify

UNSAFE = re.compile(r"[^A-Za-z0-9@._+-]+")


def message_file_name(message, recipient: str, moment: datetime.datetime) -> str:
    """`<time>-<subject>--<recipient>.eml`, safe as a file name (no path separators)."""
    subject = slugify(message.subject)[:80] or "no-subject"
    return f"{moment:%Y%m%d-%H%M%S}-{subject}--{UNSAFE.sub('-', recipient).strip('.-')[:120]}.eml"


class FileEmailBackend(DjangoFileBackend):
    """One .eml file per message and envelope recipient."""

    def open(self):
        return False  # nothing to open: each message gets its own file

    def close(self):
        pass

    def send_messages(self, email_messages):
        sent = 0
        for message in email_messages or ():
            recipients = message.recipients()
            if not recipients:
                continue
            mime = message.message()
            mime["X-Envelope-To"] = ", ".join(recipients)
            data = mime.as_bytes() + b"\n"
            moment = datetime.datetime.now()
            for recipient in recipients:
                self._write(Path(self.file_path) / message_file_name(message, recipient, moment), data)
            sent += 1
        return sent

    @staticmethod
    def _write(path: Path, data: bytes) -> None:
        """Write a new file; a second message of the same second and name gets -2, -3, ..."""
        stem, number = path.stem, 1
        while True:
            try:
                with open(path, "xb") as out:
                    out.write(data)
                return
            except FileExistsError:
                number += 1
                path = path.with_name(f"{stem}-{number}{path.suffix}")
