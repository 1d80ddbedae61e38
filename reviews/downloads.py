"""Letters' PDFs as responses, for the managers' pages, the council portal and the public pages.

Files are served only by views that have checked access (private storage has no URL), under
the letter's one download name (AnnualLetter.download_name), never cached by a browser or
proxy. Downloads by council users and the public are logged (LetterDownload) before the first
byte goes out; managers reading drafts are not.
"""

from django.core.files.storage import storages
from django.http import FileResponse, Http404

from ombudsman.auth import client_ip
from reviews.models import AnnualLetter, DownloadKind, LetterDownload


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
    """A sent letter's PDF as an attachment, logged (the portal and the public pages)."""
    response = pdf_response(letter)
    download_log(letter=letter, kind=DownloadKind.LETTER, user=request.user, ip_address=client_ip(request))
    return response
