"""The annexes as files: a formula-safe CSV, streamed, named after the council and the year,
never cached, and logged (LetterDownload) before the first byte goes out."""

from django.http import StreamingHttpResponse

from ombudsman.auth import client_ip
from ombudsman.csvio import iter_csv_lines
from portal.annexes import Annex
from reviews.downloads import download_log
from reviews.models import AnnualLetter


def annex_response(request, letter: AnnualLetter, annex: Annex) -> StreamingHttpResponse:
    """One of the year's annexes as a CSV of the letter's council and year."""
    download_log(letter=letter, kind=annex.kind, user=request.user, ip_address=client_ip(request))
    filename = f"{letter.file_stem}-{annex.slug}-{letter.review_year.label}.csv"
    rows = annex.rows(letter.council_id, letter.review_year.period)
    response = StreamingHttpResponse(iter_csv_lines(annex.header, rows), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response
