"""Tagging fixes after WeasyPrint, and the check that a document's tags are whole (pikepdf).

WeasyPrint marks the content of page margins (running headers, "Page N of M") as tagged
content with marked-content ids, but leaves them out of the structure tree (its issue 1836):
a screen reader that lists tagged content meets orphans, and PDF/UA checkers report running
headers and footers that are not artifacts. `mark_artifacts` re-tags every marked
sequence that no structure element reaches as `/Artifact <</Type /Pagination /Subtype
/Header|/Footer>>` (by where its text sits on the page) and clears its entry in the parent tree.

`mark_artifacts` does that, and also treats text drawn over a figure (an image whose box, the
structure element's /A /BBox, covers it) as part of that figure's picture, which its /Alt text
describes: that text is re-tagged as a layout artifact and its structure elements leave the tree.
That is how a chart drawn in HTML (reviews.letters.charts) is read once, by its alt text, while
its labels and values stay text on the page. Everything else the structure tree reaches is left
exactly as it was.

It reads the tree once (the ids each page's elements reach and the figures' boxes) and finds the
tagged sequences in the bytes of each page's content stream, rewriting only their openings: parsing
every page into pikepdf instructions and writing them back took half of its 17 ms per letter.

`structure_problems` walks the structure tree from the root and lists what a PDF/UA reader
would trip on: marked content no element reaches, elements pointing at content that is not
there, artifacts inside a structure element.
"""

import io
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass

# pikepdf's logger bridge announces itself at INFO when it is imported: quiet it first.
logging.getLogger("pikepdf").setLevel(logging.WARNING)

import pikepdf  # noqa: E402 - after quieting its logger
from pikepdf import Array, Dictionary, Name  # noqa: E402

BDC, BMC, EMC, TM = (pikepdf.Operator(name) for name in ("BDC", "BMC", "EMC", "Tm"))
ARTIFACT = Name("/Artifact")


def _objgen(page) -> tuple[int, int]:
    return page.objgen if hasattr(page, "objgen") else page.obj.objgen


def reachable_content(pdf: pikepdf.Pdf) -> dict[tuple[int, int], set[int]]:
    """Marked-content ids each page's structure elements reach, walking the tree from its root."""
    return _walk_structure(pdf)[0]


Box = tuple[float, float, float, float]  # x1, y1, x2, y2 in CSS pixels, top-down
Figures = dict[tuple[int, int], list[tuple[Box, set[int]]]]


def _walk_structure(pdf: pikepdf.Pdf) -> tuple[dict[tuple[int, int], set[int]], Figures]:
    """One walk of the structure tree from its root: the marked-content ids each page's elements
    reach, and per page the box of every Figure element with alternative text, with its own ids."""
    reached: dict[tuple[int, int], set[int]] = {}
    figures: Figures = {}
    root = pdf.Root.get("/StructTreeRoot")
    if root is None or "/K" not in root:
        return reached, figures
    mcr, objr, figure = Name("/MCR"), Name("/OBJR"), Name("/Figure")
    seen: set[tuple[int, int]] = set()
    stack = [(root.K, None)]
    while stack:
        node, page = stack.pop()
        if isinstance(node, Array):
            stack.extend((kid, page) for kid in node)
        elif isinstance(node, int):
            if page is not None:
                reached.setdefault(page, set()).add(int(node))
        elif isinstance(node, Dictionary):
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            kind = node.get("/Type")
            own_page = node.get("/Pg")
            page = _objgen(own_page) if own_page is not None else page
            if kind == mcr:
                if page is not None:
                    reached.setdefault(page, set()).add(int(node.MCID))
                continue
            if kind == objr:
                continue
            if own_page is not None and node.get("/S") == figure and "/Alt" in node:
                attributes = node.get("/A")
                box = attributes.get("/BBox") if isinstance(attributes, Dictionary) else None
                if box is not None:
                    own = {int(kid) for kid in node.get("/K", Array()) if isinstance(kid, int)}
                    figures.setdefault(page, []).append((tuple(float(value) for value in box), own))
            if "/K" in node:
                stack.append((node.K, page))
    return reached, figures


def _mcid(operands) -> int | None:
    if len(operands) == 2 and isinstance(operands[1], Dictionary) and "/MCID" in operands[1]:
        return int(operands[1].MCID)
    return None


def _sequence_position(instructions, start: int) -> tuple[float, float] | None:
    """(x, y) of the first text placed in the marked sequence that opens at `start`, in CSS pixels
    from the page's top left (WeasyPrint draws in a flipped coordinate system)."""
    depth = 0
    for instruction in instructions[start:]:
        operator = getattr(instruction, "operator", None)
        if operator in (BDC, BMC):
            depth += 1
        elif operator == EMC:
            depth -= 1
            if depth == 0:
                return None
        elif operator == TM:
            return float(instruction.operands[4]), float(instruction.operands[5])
    return None


def _sequence_y(instructions, start: int) -> float | None:
    """The y of the first text placed in the marked sequence that opens at `start` (top-down: a
    small y is near the top)."""
    position = _sequence_position(instructions, start)
    return None if position is None else position[1]


def figure_boxes(pdf: pikepdf.Pdf) -> Figures:
    """Per page: the box of every Figure element that has alternative text, with its own content ids."""
    return _walk_structure(pdf)[1]


def _structure_elements(pdf: pikepdf.Pdf):
    """Every structure element of the tree, each once (marked-content and object references skipped)."""
    root = pdf.Root.get("/StructTreeRoot")
    stack = [root.K] if root is not None and "/K" in root else []
    seen = set()
    while stack:
        node = stack.pop()
        if isinstance(node, Array):
            stack.extend(node)
        elif isinstance(node, Dictionary) and node.get("/Type") not in (Name("/MCR"), Name("/OBJR")):
            if node.is_indirect:
                if node.objgen in seen:
                    continue
                seen.add(node.objgen)
            yield node
            if "/K" in node:
                stack.append(node.K)


def _inside(position: tuple[float, float] | None, boxes: list[tuple[Box, set[int]]], mcid: int) -> bool:
    if position is None:
        return False
    x, y = position
    return any(x1 <= x <= x2 and y1 <= y <= y2 and mcid not in own for (x1, y1, x2, y2), own in boxes)


def _holds_content(node) -> bool:
    """Whether a structure element reaches any content (marked content or an annotation)."""
    if isinstance(node, int):
        return True
    if isinstance(node, Array):
        return any(_holds_content(kid) for kid in node)
    if isinstance(node, Dictionary):
        return node.get("/Type") in (Name("/MCR"), Name("/OBJR")) or _holds_content(node.get("/K", Array()))
    return False


def _detach(element, mcid: int) -> None:
    """Take content `mcid` out of its structure element, and each element left holding no content
    out of its parent (WeasyPrint makes an element of every box, empty ones included)."""
    kids = element.get("/K")
    if isinstance(kids, Array):
        for index in reversed(range(len(kids))):
            if isinstance(kids[index], int) and int(kids[index]) == mcid:
                del kids[index]
    while element.get("/S") != Name("/Document") and not _holds_content(element):
        parent = element.get("/P")
        siblings = parent.get("/K") if isinstance(parent, Dictionary) else None
        if not isinstance(siblings, Array):
            return
        for index in reversed(range(len(siblings))):
            if isinstance(siblings[index], Dictionary) and siblings[index].objgen == element.objgen:
                del siblings[index]
        element = parent


# WeasyPrint writes each tagged sequence's opening as "/Tag <</MCID n>> BDC", and its text as hex strings
# of glyph ids, so these operators can be found in the bytes of a page's content stream without parsing
# it into pikepdf objects (which took half of mark_artifacts' time).
_TAGGED_OPEN = re.compile(rb"/[A-Za-z0-9_.#-]+\s*<<\s*/MCID\s+(\d+)\s*>>\s*BDC(?![A-Za-z])")
_SEQUENCE_TOKENS = re.compile(rb"(?<![A-Za-z])(BDC|BMC|EMC)(?![A-Za-z])|(-?[0-9.]+)\s+(-?[0-9.]+)\s+Tm(?![A-Za-z])")
_LAYOUT = b"/Artifact <</Type /Layout>> BDC"
_PAGINATION = {
    True: b"/Artifact <</Type /Pagination /Subtype /Footer>> BDC",
    False: b"/Artifact <</Type /Pagination /Subtype /Header>> BDC",
}


def _position_after(content: bytes, start: int) -> tuple[float, float] | None:
    """(x, y) of the first text placed in the marked sequence whose opening ends at `start` (as
    _sequence_position, on the content stream's bytes)."""
    depth = 1
    for token in _SEQUENCE_TOKENS.finditer(content, start):
        operator = token.group(1)
        if operator is None:
            return float(token.group(2)), float(token.group(3))
        depth += -1 if operator == b"EMC" else 1
        if depth == 0:
            return None
    return None


def _page_content(page) -> bytes:
    contents = page.obj.get("/Contents")
    if isinstance(contents, Array):
        return b"\n".join(stream.read_bytes() for stream in contents)
    return contents.read_bytes() if contents is not None else b""


def mark_artifacts(data: bytes) -> bytes:
    """Re-tag text drawn over a figure as a layout artifact (out of the structure tree), and marked
    content that no structure element reaches as pagination artifacts."""
    pdf = pikepdf.open(io.BytesIO(data))
    reached, figures = _walk_structure(pdf)
    parent_tree = pdf.Root.get("/StructTreeRoot", {}).get("/ParentTree")
    parents = {}
    if parent_tree is not None and "/Nums" in parent_tree:
        nums = parent_tree.Nums
        parents = {int(nums[index]): nums[index + 1] for index in range(0, len(nums), 2)}
    changed = False
    for page in pdf.pages:
        height = float(page.MediaBox[3]) / 0.75  # CSS pixels, WeasyPrint's drawing unit
        content = _page_content(page)
        own = reached.get(_objgen(page), set())
        boxes = figures.get(_objgen(page), [])
        entries = parents.get(int(page.get("/StructParents", -1)))
        pieces, done, retagged = [], 0, []
        for opening in _TAGGED_OPEN.finditer(content):
            mcid = int(opening.group(1))
            if mcid in own and not boxes:
                continue
            position = _position_after(content, opening.end())
            if mcid in own:
                if not _inside(position, boxes, mcid):
                    continue
                replacement = _LAYOUT
                if isinstance(entries, Array) and mcid < len(entries) and isinstance(entries[mcid], Dictionary):
                    _detach(entries[mcid], mcid)
            else:
                replacement = _PAGINATION[position is not None and position[1] > height / 2]
            pieces += [content[done : opening.start()], replacement]
            done = opening.end()
            retagged.append(mcid)
        if not retagged:
            continue
        changed = True
        pieces.append(content[done:])
        page.Contents = pdf.make_stream(b"".join(pieces))
        if isinstance(entries, Array):
            for mcid in retagged:
                if mcid < len(entries):
                    entries[mcid] = None
    if not changed:
        return data
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True, min_version=pdf.pdf_version)
    return out.getvalue()


@dataclass(frozen=True)
class MarkedSequence:
    page: int
    tag: str
    mcid: int | None
    inside_mcid: int | None  # the tagged sequence this one is nested in, if any
    y: float | None


def marked_sequences(pdf: pikepdf.Pdf) -> Iterator[MarkedSequence]:
    """Every marked-content sequence of every page, with the tagged sequence enclosing it."""
    for number, page in enumerate(pdf.pages, start=1):
        instructions = list(pikepdf.parse_content_stream(page))
        stack: list[int | None] = []
        for index, instruction in enumerate(instructions):
            operator = getattr(instruction, "operator", None)
            if operator in (BDC, BMC):
                mcid = _mcid(instruction.operands) if operator == BDC else None
                enclosing = next((m for m in reversed(stack) if m is not None), None)
                yield MarkedSequence(
                    number, str(instruction.operands[0]), mcid, enclosing, _sequence_y(instructions, index)
                )
                stack.append(mcid)
            elif operator == EMC and stack:
                stack.pop()


def structure_problems(data: bytes) -> list[str]:
    """What breaks the document's tags: marked content unreachable from the structure root, an
    element pointing at content its page does not have, an artifact inside a structure element."""
    pdf = pikepdf.open(io.BytesIO(data))
    reached = reachable_content(pdf)
    problems = []
    pages = {_objgen(page): number for number, page in enumerate(pdf.pages, start=1)}
    present: dict[int, set[int]] = {}
    for sequence in marked_sequences(pdf):
        if sequence.mcid is not None:
            present.setdefault(sequence.page, set()).add(sequence.mcid)
            own = reached.get(next(key for key, number in pages.items() if number == sequence.page), set())
            if sequence.mcid not in own:
                problems.append(f"page {sequence.page}: marked content {sequence.mcid} ({sequence.tag}) is unreachable")
        if sequence.tag == "/Artifact" and sequence.inside_mcid is not None:
            problems.append(f"page {sequence.page}: an artifact sits inside marked content {sequence.inside_mcid}")
    for key, mcids in reached.items():
        number = pages.get(key)
        for mcid in sorted(mcids - present.get(number, set())):
            problems.append(f"page {number}: the structure tree points at marked content {mcid} that is not there")
    problems.extend(_artifact_elements(pdf))
    return problems


def _artifact_elements(pdf: pikepdf.Pdf) -> list[str]:
    return ["a structure element is an artifact" for node in _structure_elements(pdf) if node.get("/S") == ARTIFACT]
