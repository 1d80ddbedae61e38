"""Typst templates to accessible PDF. The only module that imports Typst.

The annual review letters are typeset by Typst rather than WeasyPrint: a letter with its
letterhead and charts takes about a tenth of WeasyPrint's time, and Typst tags running headers
and footers as pagination artifacts itself (WeasyPrint cannot: its issue 1836, which
ombudsman.pdf.tagging mends for the documents WeasyPrint still renders).

- PDF/UA-1: tagged, with the document's title, author and language set by the template. A
  template reads its data from `sys.inputs` as JSON and places the data's text as text: nothing
  in the data is evaluated as markup, so a council's name or a manager's paragraph prints as written.
- Nothing is fetched: a template reads only files in its own working folder, which holds the
  template and the images a document needs (written there by `image_file`, named by their
  contents). Fonts are the system's (Liberation Sans, metric-compatible with Arial).
- One compiler per template, process and thread, built lazily and again in a forked child (a
  compiler is not shared across a fork): the fonts are looked up once, not once per document. Its
  folder goes when the process ends, or, for a process that could not clean up (a forked worker
  ends without running exit handlers), when the next workspace is made.
"""

import atexit
import hashlib
import json
import logging
import os
import shutil
import tempfile
import threading
from pathlib import Path

logger = logging.getLogger(__name__)

PDF_STANDARD = "ua-1"
IMAGE_CHECK = Path(__file__).resolve().parent / "assets" / "image-check.typ"
IMAGE_TYPES = {"image/svg+xml": "svg", "image/png": "png"}
MAX_IMAGES = 64  # a worker's folder keeps at most this many images (logos change rarely)

_local = threading.local()


class TypesetError(Exception):
    """Typst refused the document (a template error or data it cannot typeset)."""


FOLDER_PREFIX = "ombudsman-typst-"


def _remove_stale() -> None:
    """Remove the folders of processes that are no longer running."""
    for folder in Path(tempfile.gettempdir()).glob(f"{FOLDER_PREFIX}*-*"):
        pid = folder.name.removeprefix(FOLDER_PREFIX).split("-")[0]
        if not pid.isdigit():
            continue
        try:
            os.kill(int(pid), 0)
        except ProcessLookupError:
            shutil.rmtree(folder, ignore_errors=True)
        except PermissionError:  # another user's process, alive
            pass


class _Workspace:
    """A compiler for one template, in a folder of this process's own."""

    def __init__(self, template: Path):
        import typst

        self.pid = os.getpid()
        _remove_stale()
        self.folder = Path(tempfile.mkdtemp(prefix=f"{FOLDER_PREFIX}{self.pid}-"))
        atexit.register(self.remove)
        self.main = self.folder / template.name
        shutil.copyfile(template, self.main)
        self.images: set[str] = set()
        self.compiler = typst.Compiler(str(self.main), root=str(self.folder))

    def remove(self) -> None:
        if os.getpid() == self.pid:  # not a forked child's copy of its parent's
            shutil.rmtree(self.folder, ignore_errors=True)

    def image_file(self, data: bytes, content_type: str) -> str:
        """The image's name in the folder (written once per worker)."""
        name = f"image-{hashlib.sha256(data).hexdigest()[:32]}.{IMAGE_TYPES[content_type]}"
        if name not in self.images:
            if len(self.images) >= MAX_IMAGES:
                for old in self.images:
                    (self.folder / old).unlink(missing_ok=True)
                self.images.clear()
            (self.folder / name).write_bytes(data)
            self.images.add(name)
        return name


def _workspace(template: Path) -> _Workspace:
    workspaces = getattr(_local, "workspaces", None)
    if workspaces is None:
        workspaces = _local.workspaces = {}
    template = Path(template).resolve()
    workspace = workspaces.get(template)
    if workspace is None or workspace.pid != os.getpid():
        workspace = workspaces[template] = _Workspace(template)
    return workspace


def image_file(template: Path, data: bytes, content_type: str) -> str:
    """Put an image (SVG or PNG) where `template` can read it; returns the name to give Typst."""
    return _workspace(template).image_file(data, content_type)


def typeset(template: Path, data: dict) -> bytes:
    """A tagged PDF/UA-1 document: `template` with `data` as sys.inputs' "data" (JSON)."""
    import typst

    workspace = _workspace(template)
    try:
        pdf, warnings = workspace.compiler.compile_with_warnings(
            sys_inputs={"data": json.dumps(data, ensure_ascii=False)}, pdf_standards=[PDF_STANDARD]
        )
    except typst.TypstError as error:
        raise TypesetError(str(error)) from error
    for warning in warnings:
        logger.warning("Typst, %s: %s", template.name, warning)
    return pdf


def image_problem(data: bytes, content_type: str) -> str:
    """Why Typst cannot draw this image (SVG or PNG), or "" when it can."""
    try:
        typeset(IMAGE_CHECK, {"image": image_file(IMAGE_CHECK, data, content_type)})
    except TypesetError as error:
        return str(error)
    return ""
