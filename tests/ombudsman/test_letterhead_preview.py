"""The letterhead of the staff pages' HTML preview (static/scss) in the PDF's colours
(ombudsman/pdf/assets/letterhead.css), like the charts (tests/reviews/letters/test_design.py)."""

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)


def colours(stylesheet: str, selector: str) -> set[str]:
    """The colours every rule whose selector list ends with `selector` (and a state, for a link) gives."""
    stylesheet = re.sub(r"/\*.*?\*/|(?<!:)//[^\n]*", "", stylesheet, flags=re.DOTALL)  # comments, not URLs
    found = set()
    for selectors, body in re.findall(r"([^{};]+)\{([^{}]*)\}", stylesheet):
        if any(
            re.fullmatch(re.escape(selector) + r"(?::link|:visited)?", part.strip()) for part in selectors.split(",")
        ):
            found.update(re.findall(r"(?<![-\w])color:\s*(#[0-9a-f]{6})", body))
    return found


def test_the_preview_letterhead_gives_its_contact_details_and_website_link_the_pdfs_colour():
    """The preview's website link was the browser's default blue, the PDF's #383f43 like the rest
    of the contact details."""
    pdf = (ROOT / "ombudsman" / "pdf" / "assets" / "letterhead.css").read_text()
    scss = (ROOT / "static" / "scss" / "_components.scss").read_text()

    for selector in (".letterhead__contact", ".letterhead__contact a"):
        assert colours(pdf, selector) == {"#383f43"}, selector
        assert colours(scss, selector) == colours(pdf, selector), selector


def test_the_preview_gives_the_letters_links_the_pdfs_colour():
    """The narrative's links (to the council's page, to the explanation of the statistics) were the
    page's blue in the preview, black and underlined in the PDF."""
    pdf = (ROOT / "ombudsman" / "pdf" / "assets" / "letterhead.css").read_text()
    scss = (ROOT / "static" / "scss" / "_components.scss").read_text()

    assert colours(pdf, "a") == {"#0b0c0c"}
    assert colours(scss, "a") == colours(pdf, "a")
