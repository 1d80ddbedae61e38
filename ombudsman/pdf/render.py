"""HTML to accessible PDF. The only module that imports WeasyPrint.

- PDF/UA-1 (tagged: structure tree, language, title shown) with document metadata (title,
  author, language en-GB) taken from the document's HTML head; then the running headers and
  footers are re-tagged as pagination artifacts (ombudsman.pdf.tagging), which WeasyPrint cannot
  do itself (its issue 1836).
- Nothing is fetched from the network: the URL fetcher refuses everything except data: URIs
  and files under the bundled asset folders (ours, and the stylesheets' own folders). Fonts are
  the system's (Liberation Sans, metric-compatible with Arial).
- One FontConfiguration, one parsed stylesheet set and one image cache per process and thread, reused
  by every document rendered with the same stylesheets (built lazily, so each forked worker builds its
  own). The cache is keyed by the image's URI: the logo and the charts' images are data: URIs, so a
  new logo is a new entry, and each image is decoded once per worker instead of once per letter.
"""

import logging
import threading
from collections.abc import Sequence
from pathlib import Path

from ombudsman.pdf import tagging

ASSETS_DIR = Path(__file__).resolve().parent / "assets"
LETTERHEAD_CSS = ASSETS_DIR / "letterhead.css"
PDF_VARIANT = "pdf/ua-1"
IMAGE_CACHE_SIZE = 64

# WeasyPrint logs every step of every document at INFO: hundreds of lines per review run.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def check_url(url: str, allowed: Sequence[Path] = (ASSETS_DIR,)) -> None:
    """Documents read data: URIs and files under the `allowed` folders, nothing else."""
    if url.startswith("file:"):
        path = Path(url.removeprefix("file://").split("?")[0]).resolve()
        if not any(path.is_relative_to(folder) for folder in allowed):
            raise ValueError(f"Refusing to read {url}: only bundled document assets may be used")
    elif not url.startswith("data:"):
        raise ValueError(f"Refusing to fetch {url}: documents never use the network")


def bundled_files_only(allowed: Sequence[Path] = (ASSETS_DIR,)):
    """A WeasyPrint URL fetcher that applies check_url. (WeasyPrint is imported on first use:
    it takes seconds to import, which every page and command would otherwise pay at start-up.)"""
    from weasyprint.urls import URLFetcher

    folders = tuple(Path(folder).resolve() for folder in allowed)

    class BundledFilesOnly(URLFetcher):
        def __init__(self):
            super().__init__(allowed_protocols={"data", "file"}, allow_redirects=False, fail_on_errors=False)

        def fetch(self, url, headers=None):
            check_url(url, folders)
            return super().fetch(url, headers)

    return BundledFilesOnly()


_local = threading.local()


def _resources(stylesheets: tuple[Path, ...]):
    """(font configuration, parsed stylesheets, URL fetcher, image cache) for these stylesheets,
    built once per process and thread."""
    cache = getattr(_local, "resources", None)
    if cache is None:
        cache = _local.resources = {}
    resources = cache.get(stylesheets)
    if resources is None:
        from weasyprint import CSS
        from weasyprint.text.fonts import FontConfiguration

        folders = (ASSETS_DIR, *{path.parent for path in stylesheets})
        fetcher = bundled_files_only(folders)
        font_config = FontConfiguration()
        css = [CSS(filename=str(path), font_config=font_config, url_fetcher=fetcher) for path in stylesheets]
        resources = cache[stylesheets] = (font_config, css, fetcher, {})
    return resources


def stylesheet_text(stylesheets: Sequence[Path]) -> str:
    """The stylesheets as one text, to inline in an HTML copy of a document."""
    return "\n".join(Path(path).read_text() for path in stylesheets)


def html_to_pdf(html: str, *, stylesheets: Sequence[Path] = (LETTERHEAD_CSS,)) -> bytes:
    """A tagged PDF/UA-1 document from standalone HTML, running headers and footers as artifacts."""
    from weasyprint import HTML

    font_config, css, fetcher, images = _resources(tuple(Path(path).resolve() for path in stylesheets))
    if len(images) > IMAGE_CACHE_SIZE:  # documents with images of their own must not grow it without end
        images.clear()
    document = HTML(string=html, base_url=ASSETS_DIR.as_uri() + "/", url_fetcher=fetcher)
    data = document.write_pdf(
        stylesheets=css, font_config=font_config, pdf_variant=PDF_VARIANT, pdf_identifier=None, cache=images
    )
    return tagging.mark_artifacts(data)
