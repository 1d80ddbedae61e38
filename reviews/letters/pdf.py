"""Letters as accessible PDFs. The only module that imports WeasyPrint.

- PDF/UA-1 (tagged: structure tree, language, title shown) with document metadata (title,
  author, language en-GB) taken from the letter's HTML head.
- Nothing is fetched from the network: the URL fetcher refuses everything except data: URIs
  and files bundled in reviews/pdf_assets/. Fonts are the system's (Liberation Sans, DejaVu).
- One FontConfiguration and one parsed stylesheet per process, reused by every letter the
  process renders (they are built lazily, so each forked worker builds its own).
"""

import logging
import threading
from pathlib import Path

from django.template.loader import render_to_string

from reviews.letters import wording

ASSETS_DIR = Path(__file__).resolve().parent.parent / "pdf_assets"
STYLESHEET = ASSETS_DIR / "letter.css"
PDF_VARIANT = "pdf/ua-1"

# WeasyPrint logs every step of every document at INFO: hundreds of lines per review run.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def check_url(url: str) -> None:
    """Letters read data: URIs and our own bundled files, nothing else."""
    if url.startswith("file:"):
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not path.is_relative_to(ASSETS_DIR):
            raise ValueError(f"Refusing to read {url}: only bundled letter assets may be used")
    elif not url.startswith("data:"):
        raise ValueError(f"Refusing to fetch {url}: letters never use the network")


def bundled_files_only():
    """A WeasyPrint URL fetcher that applies check_url. (WeasyPrint is imported on first use:
    it takes seconds to import, which every page and command would otherwise pay at start-up.)"""
    from weasyprint.urls import URLFetcher

    class BundledFilesOnly(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=False)

        def fetch(self, url, headers=None):
            check_url(url)
            return super().fetch(url, headers)

    return BundledFilesOnly()


_local = threading.local()


def _resources():
    """(font configuration, parsed stylesheet, URL fetcher) of this process (and thread)."""
    resources = getattr(_local, "resources", None)
    if resources is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        fetcher = bundled_files_only()
        font_config = FontConfiguration()
        css = CSS(filename=str(STYLESHEET), font_config=font_config, url_fetcher=fetcher)
        resources = _local.resources = (font_config, css, fetcher)
    return resources


def letter_html(snapshot: dict, *, inline_css: bool = False) -> str:
    """The letter as a standalone HTML document (with its stylesheet inlined when asked)."""
    context = {"letter": wording.build(snapshot)}
    if inline_css:
        context["inline_css"] = STYLESHEET.read_text()
    return render_to_string("reviews/letters/letter.html", context)


def html_to_pdf(html: str) -> bytes:
    from weasyprint import HTML

    font_config, css, fetcher = _resources()
    document = HTML(string=html, base_url=ASSETS_DIR.as_uri() + "/", url_fetcher=fetcher)
    return document.write_pdf(
        stylesheets=[css],
        font_config=font_config,
        pdf_variant=PDF_VARIANT,
        pdf_identifier=None,
    )


def letter_pdf(snapshot: dict) -> bytes:
    return html_to_pdf(letter_html(snapshot))
