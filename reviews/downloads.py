"""Letters' PDFs as responses, for the managers' pages, the council portal and the public pages.

Files are served only by views that have checked access (private storage has no URL), under
the letter's one download name (AnnualLetter.download_name), never cached by a browser or
proxy. Downloads by signed-in users (council users, staff on the public pages) are logged one
row each (LetterDownload), the public's are counted per letter and day (LetterDownloadDay), both
before the first byte goes out; managers reading drafts are not logged.
"""

from django.core.files.storage import storages
from django.db import connection
from django.http import FileResponse, Http404
from django.utils import timezone

from ombudsman.auth import client_ip
from reviews.models import AnnualLetter, DownloadKind, LetterDownload, LetterDownloadDay


def download_log(*, letter: AnnualLetter, kind: str, user=None, ip_address: str | None = None) -> LetterDownload:
    """Record one download (user None: someone not signed in, on the public pages)."""
    download = LetterDownload(
        letter=letter,
        version=letter.version,
        kind=kind,
        user=user if user is not None and user.is_authenticated else None,
        ip_address=ip_address or None,
    )
    download.full_clean()
    download.save()
    return download


def public_download_count(*, letter: AnnualLetter, day=None) -> None:
    """Count one download by the public: one row per letter and day, raised in one statement, so
    concurrent downloads all count and the table does not grow with requests."""
    table = connection.ops.quote_name(LetterDownloadDay._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (letter_id, day, count) VALUES (%s, %s, 1) "  # noqa: S608 -- our table's name
            f"ON CONFLICT (letter_id, day) DO UPDATE SET count = {table}.count + 1",
            [letter.pk, day or timezone.localdate()],
        )


def pdf_response(letter: AnnualLetter, *, as_attachment: bool = True) -> FileResponse:
    """The letter's stored PDF, not cached. 404 when the letter has no stored PDF."""
    if not letter.pdf_name:
        raise Http404("This letter has no PDF")
    try:
        handle = storages["private"].open(letter.pdf_name, "rb")
    except FileNotFoundError:
        raise Http404("This letter's PDF is missing") from None
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=as_attachment, filename=letter.download_name
    )
    response["Cache-Control"] = "private, no-store"
    return response


def letter_response(request, letter: AnnualLetter) -> FileResponse:
    """A sent letter's PDF as an attachment, logged or counted (the portal and the public pages)."""
    response = pdf_response(letter)
    if request.user.is_authenticated:
        download_log(letter=letter, kind=DownloadKind.LETTER, user=request.user, ip_address=client_ip(request))
    else:
        public_download_count(letter=letter)
    return response
