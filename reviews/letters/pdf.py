"""Annual review letters as HTML (the staff preview) and as accessible PDFs.

The PDF is typeset by Typst (ombudsman.pdf.typeset) from reviews/pdf_assets/letter.typ; the HTML
by Django's templates (reviews/templates/reviews/letters/), styled by the letterhead's stylesheet
and the letter's own (reviews/pdf_assets/letter.css). Both lay out the same
reviews.letters.wording.Letter, so they say the same words in the same order: `letter_data` hands
the template everything it prints, as JSON.
"""

import base64
from pathlib import Path

from django.template.loader import render_to_string

from ombudsman.pdf import render, typeset
from reviews.letters import wording
from reviews.letters.charts import FILLS, PLOT_MM, Chart

ASSETS_DIR = Path(__file__).resolve().parent.parent / "pdf_assets"
STYLESHEET = ASSETS_DIR / "letter.css"
STYLESHEETS = (render.LETTERHEAD_CSS, STYLESHEET)
TEMPLATE = ASSETS_DIR / "letter.typ"


def letter_html(snapshot: dict, *, inline_css: bool = False) -> str:
    """The letter as a standalone HTML document (with its stylesheets inlined when asked)."""
    letter = wording.build(snapshot)
    context = {"letter": letter, "letterhead": letter.letterhead, "document_title": letter.document_title}
    if inline_css:
        context["inline_css"] = render.stylesheet_text(STYLESHEETS)
    return render_to_string("reviews/letters/letter.html", context)


def letter_pdf(snapshot: dict) -> bytes:
    return typeset.typeset(TEMPLATE, letter_data(wording.build(snapshot)))


def _runs(paragraphs) -> list[list[list[str]]]:
    """Each narrative paragraph as its runs: [text, address] pairs, the address "" for plain text."""
    return [[list(run) for run in paragraph.runs] for paragraph in paragraphs]


def _chart(chart: Chart) -> dict:
    return {
        "title": chart.title,
        "bars": [{"label": bar.label, "text": bar.text, "kind": bar.kind, "width": bar.width} for bar in chart.bars],
        "ticks": chart.ticks,
        "steps": chart.steps,
        "caption": chart.caption,
    }


def _items(parts) -> list[dict]:
    """A block's parts in print order: the sentence its figure leads (set large), charts, sentences."""
    items = []
    for part in parts:
        if part.figure:
            items.append({"kind": "lead", "before": part.before, "figure": part.figure, "after": part.after})
        elif part.before:
            items.append({"kind": "sentence", "text": part.before})
        if part.chart:
            items.append({"kind": "chart", "chart": _chart(part.chart)})
    return items


def _logo(letterhead) -> str:
    """The logo written where the template reads it (it arrives as a data: URI, SVG or PNG)."""
    header, _, encoded = letterhead.logo_uri.partition(",")
    content_type = header.removeprefix("data:").removesuffix(";base64")
    return typeset.image_file(TEMPLATE, base64.b64decode(encoded), content_type)


def letter_data(letter: wording.Letter) -> dict:
    """Everything the PDF's template prints, from the letter as wording.build makes it."""
    head = letter.letterhead
    overview = None
    if letter.overview:
        overview = [{"kind": "sentence", "text": sentence} for sentence in letter.overview.sentences]
        if letter.overview.chart:
            overview.append({"kind": "chart", "chart": _chart(letter.overview.chart)})
    return {
        "document_title": letter.document_title,
        "description": f"Annual review of complaints about {letter.council_name}, {letter.date}",
        "headings": {
            "title": letter.headings.title,
            "section": letter.headings.section,
            "block": letter.headings.block,
        },
        "fills": FILLS,
        "plot_mm": PLOT_MM,
        "letterhead": {
            "name": head.name,
            "address": head.address,
            "telephone": head.telephone,
            "website": head.website,
            "website_text": head.website_text,
            "reference": head.reference,
            "logo": _logo(head),
        },
        "running_title": letter.running_title,
        "correction": letter.correction,
        "date": letter.date,
        "addressee_lines": letter.addressee_lines,
        "greeting": letter.greeting,
        "title": letter.title,
        "intro": _runs(letter.intro),
        "context": _runs(letter.context),
        "reading_statistics": _runs(letter.reading_statistics),
        "explanations": [
            {"title": explanation.title, "paragraphs": _runs(explanation.paragraphs)}
            for explanation in letter.explanations
        ],
        "averages": _runs(letter.averages),
        "publication": _runs(letter.publication_html),
        "council_paragraph": _runs(letter.council_paragraph),
        "resources": _runs(letter.resources),
        "closing": _runs(letter.closing),
        "signatory": letter.signatory,
        "signatory_titles": letter.signatory_titles,
        "council_name": letter.council_name,
        "period_ending": letter.period_ending,
        "overview": overview,
        "blocks": [
            {
                "title": block.title,
                "items": _items(block.parts) + ([{"kind": "note", "text": block.note}] if block.note else []),
            }
            for block in letter.blocks
        ],
        "notes": letter.notes,
        "definitions": [list(pair) for pair in letter.definitions],
    }
