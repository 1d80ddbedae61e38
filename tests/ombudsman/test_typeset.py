"""Typst documents (ombudsman.pdf.typeset): the data is text, never markup; a refused document is a
TypesetError; each process keeps its own compiler and folder, and the folders of ended processes go."""

import io
import logging
import os
import subprocess
import sys
import tempfile
import threading
from pathlib import Path

import pytest
from PIL import Image

from ombudsman.pdf import typeset
from reviews.letters import pdf
from reviews.statistics.snapshots import year_snapshots
from tests import factories
from tests.reviews.letters.test_wording import pdf_text

# Typst markup of every kind: code, strong, emphasis, maths, headings, labels, references, comments,
# raw text, escapes and brackets. Placed as text, each prints as written.
MARKUP = [
    '#panic("evaluated")',
    "#set page(width: 1cm)",
    "*not strong*",
    "_not emphasis_",
    "$x^2$",
    "= Not a heading",
    "<label> @label",
    "// not a comment",
    "/* not a comment */",
    "`not raw`",
    "\\#escaped \\",
    "[brackets] {braces} (parens)",
    '#sys.inputs.data "quotes"',
]


@pytest.mark.django_db
def test_the_datas_text_prints_as_written_and_is_never_evaluated(caplog):
    council = factories.CouncilFactory(formal_name="#strong[Council] *District*")
    factories.ContactFactory(council=council, last_name="$Okoro$")
    review_year = factories.ReviewYearFactory(label="2020-21")
    factories.CouncilParagraphFactory(review_year=review_year, council=council, text="\n\n".join(MARKUP))

    with caplog.at_level(logging.WARNING, logger="ombudsman.pdf.typeset"):
        text = pdf_text(pdf.letter_pdf(year_snapshots(review_year)[council.pk]))

    for written in [*MARKUP, "#strong[Council] *District*", "Dear Ms $Okoro$"]:
        assert written in text, written
    assert caplog.records == []  # no font fell back, nothing was ignored


def test_a_document_typst_refuses_is_a_typeset_error_saying_why(tmp_path):
    template = tmp_path / "broken.typ"
    template.write_text('#set document(title: "t")\n#let data = json(bytes(sys.inputs.data))\n#data.missing\n')

    with pytest.raises(typeset.TypesetError, match="missing"):
        typeset.typeset(template, {"present": 1})


def test_a_png_and_an_svg_logo_are_drawn_and_a_bad_image_is_named():
    out = io.BytesIO()
    Image.new("RGB", (40, 20), "#1d4f7a").save(out, format="PNG")
    svg = b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><rect width="10" height="10"/></svg>'

    assert typeset.image_problem(out.getvalue(), "image/png") == ""
    assert typeset.image_problem(svg, "image/svg+xml") == ""
    assert "failed to" in typeset.image_problem(b"\x89PNG\r\n\x1a\n" + b"\0" * 40, "image/png")


def test_the_folders_of_ended_processes_are_removed_when_a_workspace_is_made(tmp_path):
    ended = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True)
    gone = Path(tempfile.gettempdir()) / f"{typeset.FOLDER_PREFIX}{ended.stdout.strip()}-test"
    alive = Path(tempfile.gettempdir()) / f"{typeset.FOLDER_PREFIX}{os.getpid()}-test"
    for folder in (gone, alive):
        folder.mkdir(exist_ok=True)
        (folder / "letter.typ").write_text("")
    template = tmp_path / "t.typ"
    template.write_text('#set document(title: "t")\nHello')

    try:
        thread = threading.Thread(target=typeset.typeset, args=(template, {}))  # a new thread: a new workspace
        thread.start()
        thread.join()

        assert not gone.exists()
        assert alive.exists()
    finally:
        for folder in (gone, alive):
            if folder.exists():
                (folder / "letter.typ").unlink()
                folder.rmdir()


def test_a_forked_process_builds_its_own_compiler_in_its_own_folder(tmp_path, monkeypatch):
    template = tmp_path / "t.typ"
    template.write_text('#set document(title: "t")\nHello')
    typeset.typeset(template, {})
    parents = typeset._workspace(template)

    monkeypatch.setattr(os, "getpid", lambda: parents.pid + 1)  # as a forked child sees it
    childs = typeset._workspace(template)

    assert childs is not parents
    assert childs.folder != parents.folder
    assert childs.compiler is not parents.compiler
    monkeypatch.undo()
    childs.pid = os.getpid()
    childs.remove()
