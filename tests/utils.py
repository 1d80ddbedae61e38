"""Helpers shared by the tests."""

import io
from dataclasses import dataclass

from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader


def count_queries(fetch) -> int:
    """How many SQL queries `fetch()` makes."""
    with CaptureQueriesContext(connection) as context:
        fetch()
    return len(context)


@dataclass(frozen=True)
class Placed:
    """A run of text as a PDF places it: its page (from 1), where it starts (points from the page's
    top left) and whether it lies inside an /Artifact marked sequence."""

    page: int
    x: float
    y: float
    text: str
    artifact: bool


def placed_text(data: bytes) -> list[Placed]:
    """Every non-blank run of text in the PDF, in content order, with its place and tagging."""
    placed = []
    for number, page in enumerate(PdfReader(io.BytesIO(data)).pages, start=1):
        height, stack = float(page.mediabox.height), []

        def operator(op, args, cm, tm, stack=stack):
            if op in (b"BDC", b"BMC"):
                stack.append(str(args[0]))
            elif op == b"EMC" and stack:
                stack.pop()

        def text(run, cm, tm, font, size, number=number, height=height, stack=stack):
            if run.strip():
                x, y = tm[4] * cm[0] + cm[4], tm[5] * cm[3] + cm[5]
                placed.append(Placed(number, x, height - y, run, "/Artifact" in stack))

        page.extract_text(visitor_operand_before=operator, visitor_text=text)
    return placed
