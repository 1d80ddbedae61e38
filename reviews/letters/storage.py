"""Letters' PDFs on disk, in the "private" storage (never under a public URL).

A render writes its PDF next to the final name under a temporary name, flushed to disk, and
renames it into place only while it still holds its claim (reviews.letters.render), so a
letter's name never points at a half-written file; temporary files a killed worker left are
removed by the sweep. Whoever reads a PDF to approve or email it reads it through
`pdf_read_verified`, which refuses a file whose SHA-256 is not the one recorded at render time.
"""

import contextlib
import datetime
import hashlib
import os
import tempfile
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.storage import storages

from reviews.models import AnnualLetter, letter_storage_name

TEMP_SUFFIX = ".tmp"


def write_temporary(letter: AnnualLetter, data: bytes) -> Path:
    """Write the PDF next to its final name under a temporary name, flushed to disk."""
    final = Path(storages["private"].path(letter_storage_name(letter.pk, letter.version)))
    final.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=final.parent, prefix=final.name + ".", suffix=TEMP_SUFFIX, delete=False) as f:
        try:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        except BaseException:
            Path(f.name).unlink(missing_ok=True)
            raise
    return Path(f.name)


def move_into_place(temporary: Path, letter: AnnualLetter) -> str:
    """Rename a written temporary file to the letter's storage name (atomic); returns the name."""
    name = letter_storage_name(letter.pk, letter.version)
    os.replace(temporary, storages["private"].path(name))
    return name


def remove_stale_temporaries(cutoff: datetime.datetime) -> None:
    """Remove temporary files older than `cutoff` (their worker died before renaming them)."""
    root = Path(storages["private"].path("letters"))
    if not root.exists():
        return
    for path in root.glob(f"*/*{TEMP_SUFFIX}"):
        with contextlib.suppress(FileNotFoundError):
            if datetime.datetime.fromtimestamp(path.stat().st_mtime, tz=datetime.UTC) < cutoff:
                path.unlink()


def pdf_read_verified(letter: AnnualLetter) -> bytes:
    """The letter's stored PDF, refused (ValidationError) if it is missing or its SHA-256 is
    not the one recorded when it was rendered."""
    try:
        with storages["private"].open(letter.pdf_name, "rb") as stored:
            data = stored.read()
    except FileNotFoundError:
        raise ValidationError("The letter's PDF is missing from storage. Reissue the letter.") from None
    if not letter.pdf_sha256 or hashlib.sha256(data).hexdigest() != letter.pdf_sha256:
        raise ValidationError(
            "The stored PDF does not match the checksum recorded when it was made. Reissue the letter."
        )
    return data
