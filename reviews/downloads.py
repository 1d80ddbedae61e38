"""Downloads of sent letters and their annexes, for the portal and the public pages.

Files are served only by views that have checked access (private storage has no URL), as
attachments named after the council and the year, never cached by a browser or proxy; every
download is logged (LetterDownload) before the first byte goes out.
"""

from django.core.files.storage import storages
from django.http import FileResponse, Http404, StreamingHttpResponse
from django.utils.text import slugify

from ombudsman.csvio import iter_csv_lines
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


def client_ip(request) -> str | None:
    """The address the request came from (the proxy in front sets REMOTE_ADDR)."""
    return request.META.get("REMOTE_ADDR") or None


def file_stem(letter: AnnualLetter) -> str:
    """E07000129-blaby-district-council, from the name the letter was addressed to."""
    council = letter.snapshot.get("council", {})
    name = council.get("formal_name") or letter.council.formal_name
    return f"{letter.council.gss_code}-{slugify(name)}"


def letter_filename(letter: AnnualLetter) -> str:
    return f"{file_stem(letter)}-annual-review-{letter.review_year.label}.pdf"


def letter_response(request, letter: AnnualLetter) -> FileResponse:
    """The letter's PDF as an attachment, logged. 404 when the letter has no stored PDF."""
    if not letter.pdf_name:
        raise Http404("This letter has no PDF")
    try:
        handle = storages["private"].open(letter.pdf_name, "rb")
    except FileNotFoundError:
        raise Http404("This letter's PDF is missing") from None
    download_log(letter=letter, kind=DownloadKind.LETTER, user=request.user, ip_address=client_ip(request))
    response = FileResponse(
        handle, content_type="application/pdf", as_attachment=True, filename=letter_filename(letter)
    )
    response["Cache-Control"] = "private, no-store"
    return response


def annex_response(request, letter: AnnualLetter, annex) -> StreamingHttpResponse:
    """One of the year's annexes (reviews.portal.ANNEXES) as a formula-safe CSV, streamed and logged."""
    download_log(letter=letter, kind=annex.kind, user=request.user, ip_address=client_ip(request))
    filename = f"{file_stem(letter)}-{annex.slug}-{letter.review_year.label}.csv"
    rows = annex.rows(letter.council_id, letter.review_year.period)
    response = StreamingHttpResponse(iter_csv_lines(annex.header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
