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

`structure_problems` walks the structure tree from the root and lists what a PDF/UA reader
would trip on: marked content no element reaches, elements pointing at content that is not
there, artifacts inside a structure element.
"""

import io
import logging
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
    reached: dict[tuple[int, int], set[int]] = {}
    root = pdf.Root.get("/StructTreeRoot")
    if root is None:
        return reached
    seen: set[tuple[int, int]] = set()

    def walk(node, page) -> None:
        if isinstance(node, Array):
            for kid in node:
                walk(kid, page)
        elif isinstance(node, int):
            if page is not None:
                reached.setdefault(page, set()).add(int(node))
        elif isinstance(node, Dictionary):
            if node.is_indirect:
                if node.objgen in seen:
                    return
                seen.add(node.objgen)
            kind = node.get("/Type")
            own_page = node.get("/Pg")
            page = _objgen(own_page) if own_page is not None else page
            if kind == Name("/MCR"):
                if page is not None:
                    reached.setdefault(page, set()).add(int(node.MCID))
            elif kind != Name("/OBJR") and "/K" in node:
                walk(node.K, page)

    if "/K" in root:
        walk(root.K, None)
    return reached


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


Box = tuple[float, float, float, float]  # x1, y1, x2, y2 in CSS pixels, top-down


def figure_boxes(pdf: pikepdf.Pdf) -> dict[tuple[int, int], list[tuple[Box, set[int]]]]:
    """Per page: the box of every Figure element that has alternative text, with its own content ids."""
    found: dict[tuple[int, int], list[tuple[Box, set[int]]]] = {}
    for node in _structure_elements(pdf):
        box = node.get("/A", {}).get("/BBox") if isinstance(node.get("/A"), Dictionary) else None
        if node.get("/S") == Name("/Figure") and "/Alt" in node and box is not None and "/Pg" in node:
            own = {int(kid) for kid in node.get("/K", Array()) if isinstance(kid, int)}
            found.setdefault(_objgen(node.Pg), []).append((tuple(float(value) for value in box), own))
    return found


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


def mark_artifacts(data: bytes) -> bytes:
    """Re-tag text drawn over a figure as a layout artifact (out of the structure tree), and marked
    content that no structure element reaches as pagination artifacts."""
    pdf = pikepdf.open(io.BytesIO(data))
    reached = reachable_content(pdf)
    figures = figure_boxes(pdf)
    parent_tree = pdf.Root.get("/StructTreeRoot", {}).get("/ParentTree")
    parents = {}
    if parent_tree is not None and "/Nums" in parent_tree:
        nums = parent_tree.Nums
        parents = {int(nums[index]): nums[index + 1] for index in range(0, len(nums), 2)}
    changed = False
    for page in pdf.pages:
        height = float(page.MediaBox[3]) / 0.75  # CSS pixels, WeasyPrint's drawing unit
        instructions = list(pikepdf.parse_content_stream(page))
        own = reached.get(_objgen(page), set())
        boxes = figures.get(_objgen(page), [])
        entries = parents.get(int(page.get("/StructParents", -1)))
        retagged = []
        for index, instruction in enumerate(instructions):
            if getattr(instruction, "operator", None) != BDC:
                continue
            mcid = _mcid(instruction.operands)
            if mcid is None or (mcid in own and not boxes):
                continue
            position = _sequence_position(instructions, index)
            if mcid in own:
                if not _inside(position, boxes, mcid):
                    continue
                properties = Dictionary(Type=Name("/Layout"))
                if isinstance(entries, Array) and mcid < len(entries) and isinstance(entries[mcid], Dictionary):
                    _detach(entries[mcid], mcid)
            else:
                y = None if position is None else position[1]
                subtype = Name("/Footer") if y is not None and y > height / 2 else Name("/Header")
                properties = Dictionary(Type=Name("/Pagination"), Subtype=subtype)
            instructions[index] = pikepdf.ContentStreamInstruction([ARTIFACT, properties], BDC)
            retagged.append(mcid)
        if not retagged:
            continue
        changed = True
        page.Contents = pdf.make_stream(pikepdf.unparse_content_stream(instructions))
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
