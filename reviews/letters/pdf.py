"""Annual review letters as HTML and as accessible PDFs (through ombudsman.pdf, the one place
that runs WeasyPrint). The letter's template extends the shared letterhead document; its own
stylesheet (reviews/pdf_assets/letter.css) comes after the letterhead's."""

from pathlib import Path

from django.template.loader import render_to_string

from ombudsman.pdf import render
from reviews.letters import wording

ASSETS_DIR = Path(__file__).resolve().parent.parent / "pdf_assets"
STYLESHEET = ASSETS_DIR / "letter.css"
STYLESHEETS = (render.LETTERHEAD_CSS, STYLESHEET)


def letter_html(snapshot: dict, *, inline_css: bool = False) -> str:
    """The letter as a standalone HTML document (with its stylesheets inlined when asked)."""
    letter = wording.build(snapshot)
    context = {"letter": letter, "letterhead": letter.letterhead, "document_title": letter.document_title}
    if inline_css:
        context["inline_css"] = render.stylesheet_text(STYLESHEETS)
    return render_to_string("reviews/letters/letter.html", context)


def letter_pdf(snapshot: dict) -> bytes:
    return render.html_to_pdf(letter_html(snapshot), stylesheets=STYLESHEETS)
