"""A case letter as HTML and as a tagged PDF: the annual letters' document and letterhead
(ombudsman/pdf/document.html, ombudsman.pdf.letterhead) and their page set-up, date, address and
sign-off styles (ombudsman/pdf/assets/letterhead.css), rendered by ombudsman.pdf.render."""

import datetime
from dataclasses import dataclass

from django.template.loader import render_to_string

from ombudsman.formatting import long_date
from ombudsman.pdf import render
from ombudsman.pdf.letterhead import letterhead


@dataclass(frozen=True)
class Letter:
    reference: str
    date: datetime.date
    method_line: str  # "By email" / "By post"
    addressee_lines: list[str]
    subject: str
    body: str
    signatory: str
    organisation: str

    @property
    def paragraphs(self) -> list[list[str]]:
        """The body's paragraphs (blank-line separated), each a list of its lines."""
        blocks = [block.strip() for block in self.body.replace("\r\n", "\n").split("\n\n")]
        return [block.split("\n") for block in blocks if block]

    @property
    def document_title(self) -> str:
        return f"{self.subject} ({self.reference})"


def letter_html(letter: Letter, *, inline_css: bool = False) -> str:
    """The letter as a standalone HTML document (with its stylesheet inlined when asked)."""
    head = letterhead()
    context = {
        "letter": letter,
        "letterhead": head,
        "document_title": letter.document_title,
        "date": long_date(letter.date),
    }
    if inline_css:
        context["inline_css"] = render.stylesheet_text((render.LETTERHEAD_CSS,))
    return render_to_string("casefile/letters/letter.html", context)


def letter_pdf(letter: Letter) -> bytes:
    return render.html_to_pdf(letter_html(letter))
