"""Tagged PDF: every marked content reachable from the structure root, running headers and
footers as pagination artifacts in the page margins, no artifact inside a structure element.

The annual letters are typeset by Typst (ombudsman.pdf.typeset), which tags its own headers and
footers; the documents WeasyPrint renders (case letters) are mended by ombudsman.pdf.tagging, tested
here on the same letter's HTML through WeasyPrint."""

import datetime
import io

import pikepdf
import pytest

from ombudsman.pdf import render, tagging
from reviews.letters import pdf
from reviews.statistics.snapshots import year_snapshots
from tests import factories
from tests.utils import placed_text

TOP_MARGIN_PX, BOTTOM_MARGIN_PX = 20 / 25.4 * 96, 18 / 25.4 * 96  # letterhead.css: @page margins
PAGE_HEIGHT_PX = 297 / 25.4 * 96


def many_page_snapshot(label: str) -> dict:
    council = factories.CouncilFactory(authority_type="district", formal_name="Blaby District Council")
    factories.ContactFactory(council=council)
    review_year = factories.ReviewYearFactory(label=label)
    complaint = factories.ComplaintFactory(council=council, received_on=datetime.date(2019, 5, 1))
    factories.DecisionFactory(complaint=complaint, decided_on=datetime.date(2019, 9, 1), upheld=True)
    factories.CouncilParagraphFactory(review_year=review_year, council=council, text="A concern.\n\n" * 12)
    return year_snapshots(review_year)[council.pk]


def many_page_letter(label: str) -> bytes:
    return pdf.letter_pdf(many_page_snapshot(label))


def many_page_weasyprint_document(label: str) -> bytes:
    """The same letter's HTML through WeasyPrint and ombudsman.pdf.tagging, as case letters are made."""
    return render.html_to_pdf(pdf.letter_html(many_page_snapshot(label)), stylesheets=pdf.STYLESHEETS)


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["2019-20", "2023-24", "2024-25"])
@pytest.mark.parametrize("make", [many_page_letter, many_page_weasyprint_document])
def test_letter_structure_tree_reaches_every_marked_content_and_holds_no_artifact(label, make):
    data = make(label)

    assert tagging.structure_problems(data) == []


@pytest.mark.django_db
def test_letter_running_header_and_footer_are_pagination_artifacts_in_the_margins():
    """The typeset letter: "Page N of M" in the bottom margin of every page, the body's name and the
    letter's title in the top margin from page 2, each an artifact; in the body, only the charts'
    drawings are artifacts (test_design checks those)."""
    snapshot = many_page_snapshot("2019-20")
    data = pdf.letter_pdf(snapshot)
    runs = placed_text(data)
    pages = max(run.page for run in runs)
    top, bottom = TOP_MARGIN_PX * 0.75, (PAGE_HEIGHT_PX - BOTTOM_MARGIN_PX) * 0.75  # in points

    assert pages >= 3
    footers = [run for run in runs if run.y > bottom]
    headers = [run for run in runs if run.y < top and (run.artifact or run.page > 1)]  # page 1: the letterhead
    assert [(run.page, run.text, run.artifact) for run in footers] == [
        (page, f"Page {page} of {pages}", True) for page in range(1, pages + 1)
    ]
    assert {run.page for run in headers} == set(range(2, pages + 1))
    assert all(run.artifact for run in headers)
    name = snapshot["letterhead"]["name"]
    assert [run.text.strip() for run in headers if run.page == 2] == [
        name,
        f"Annual Review letter 2020: {snapshot['council']['formal_name']}",
    ]
    document = pikepdf.open(io.BytesIO(data))
    for page in document.pages:
        for instruction in pikepdf.parse_content_stream(page):
            if instruction.operator == pikepdf.Operator("BDC") and instruction.operands[0] == "/Artifact":
                assert instruction.operands[1].Type in ("/Pagination", "/Layout")


@pytest.mark.django_db
def test_weasyprint_running_header_and_footer_are_made_pagination_artifacts_in_the_margins():
    document = pikepdf.open(io.BytesIO(many_page_weasyprint_document("2019-20")))

    texts = [s for s in tagging.marked_sequences(document) if s.tag == "/Artifact" and s.y is not None]
    drawn = _layout_artifacts(document)  # a chart's labels and values, drawn over its image
    texts = [s for s in texts if (s.page, s.y) not in drawn]

    pages = len(document.pages)
    assert pages >= 3
    footers = [s for s in texts if s.y > PAGE_HEIGHT_PX - BOTTOM_MARGIN_PX]
    headers = [s for s in texts if s.y < TOP_MARGIN_PX]
    assert sorted(s.page for s in footers) == list(range(1, pages + 1))  # "Page N of M" on every page
    assert sorted({s.page for s in headers}) == list(range(2, pages + 1))  # the running header after page 1
    assert len(footers) + len(headers) == len(texts)  # no text of the letter itself was made an artifact
    for page in document.pages:
        for instruction in pikepdf.parse_content_stream(page):
            if instruction.operator == pikepdf.Operator("BDC") and instruction.operands[0] == "/Artifact":
                assert instruction.operands[1].Type in ("/Pagination", "/Layout")


def _layout_artifacts(document) -> set[tuple[int, float]]:
    """(page, y) of each layout artifact's text, each inside a figure's box."""
    figures = tagging.figure_boxes(document)
    found = set()
    for number, page in enumerate(document.pages, start=1):
        instructions = list(pikepdf.parse_content_stream(page))
        for index, instruction in enumerate(instructions):
            operands = instruction.operands
            if (
                instruction.operator == pikepdf.Operator("BDC")
                and operands[0] == "/Artifact"
                and operands[1].Type == "/Layout"
            ):
                x, y = tagging._sequence_position(instructions, index)
                boxes = figures[page.obj.objgen]
                assert any(x1 <= x <= x2 and y1 <= y <= y2 for (x1, y1, x2, y2), _ in boxes)
                found.add((number, y))
    return found


def test_text_drawn_over_a_figure_is_a_layout_artifact_out_of_the_tree_and_text_beside_it_stays():
    """A chart drawn in HTML (reviews.letters.charts): an image with alt text laid over labels. The
    labels are the picture the alt text describes; a paragraph beside the image is not."""
    empty = "data:image/svg+xml,%3Csvg%20xmlns%3D%22http%3A%2F%2Fwww.w3.org%2F2000%2Fsvg%22%2F%3E"
    html = (
        '<html lang="en-GB"><head><title>t</title><style>div { position: relative; width: 50mm; }'
        "img { position: absolute; top: 0; left: 0; width: 100%; height: 100%; }</style></head><body>"
        f'<p>Before the chart</p><div><img src="{empty}" alt="A bar chart of two things"><p>Label one 75%</p>'
        "<p>Label two 45%</p></div><p>After the chart</p></body></html>"
    )

    data = render.html_to_pdf(html)

    document = pikepdf.open(io.BytesIO(data))
    kinds = [
        str(instruction.operands[1].get("/Type")) if instruction.operands[0] == "/Artifact" else "tagged"
        for instruction in pikepdf.parse_content_stream(document.pages[0])
        if instruction.operator == pikepdf.Operator("BDC")
    ]
    assert kinds.count("/Layout") == 2  # the two labels
    assert kinds.count("tagged") == 3  # the paragraphs before and after, and the image
    root = document.Root.StructTreeRoot.K[0]
    assert [str(kid.S) for kid in root.K] == ["/P", "/Div", "/P"]
    assert [(str(kid.S), str(kid.Alt)) for kid in root.K[1].K] == [("/Figure", "A bar chart of two things")]
    assert tagging.structure_problems(data) == []


def test_structure_problems_finds_orphans_and_artifacts_inside_elements():
    """The checker itself: a page with marked content no element reaches, and an artifact nested in tagged content."""
    document = pikepdf.new()
    document.add_blank_page()
    page = document.pages[0]
    page.Contents = document.make_stream(b"/P <</MCID 0>> BDC /Artifact BMC EMC EMC /Span <</MCID 1>> BDC EMC")
    element = document.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P, Pg=page.obj, K=pikepdf.Array([0, 7]))
    )
    document.Root.StructTreeRoot = document.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([element]))
    )
    out = io.BytesIO()
    document.save(out)

    assert tagging.structure_problems(out.getvalue()) == [
        "page 1: an artifact sits inside marked content 0",
        "page 1: marked content 1 (/Span) is unreachable",
        "page 1: the structure tree points at marked content 7 that is not there",
    ]


def test_mark_artifacts_reads_the_content_streams_bytes_as_pikepdf_parses_them():
    """mark_artifacts finds the tagged sequences in a page's bytes without parsing them into objects:
    here a page whose content is two streams, odd spacing, and a sequence split across the two
    streams with an empty sequence nested in it before its first text. Only the sequences no element reaches are re-tagged,
    each as a header or footer by where its first text sits; the reached one is left alone."""
    document = pikepdf.new()
    document.add_blank_page(page_size=(595, 842))
    page = document.pages[0]
    page.Contents = pikepdf.Array(
        [
            document.make_stream(b"/P <</MCID 0>> BDC BT 1 0 0 -1 10 20 Tm ET EMC\n/Span <<  /MCID  1 >>BDC"),
            document.make_stream(b" /Artifact BMC EMC BT 1 0 0 -1 10 1100 Tm ET EMC /P <</MCID 2>> BDC EMC"),
        ]
    )
    element = document.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructElem, S=pikepdf.Name.P, Pg=page.obj, K=pikepdf.Array([2]))
    )
    document.Root.StructTreeRoot = document.make_indirect(
        pikepdf.Dictionary(Type=pikepdf.Name.StructTreeRoot, K=pikepdf.Array([element]))
    )
    out = io.BytesIO()
    document.save(out)

    marked = pikepdf.open(io.BytesIO(tagging.mark_artifacts(out.getvalue())))

    openings = [
        (str(instruction.operands[0]), dict(instruction.operands[1]) if len(instruction.operands) > 1 else None)
        for instruction in pikepdf.parse_content_stream(marked.pages[0])
        if instruction.operator in (pikepdf.Operator("BDC"), pikepdf.Operator("BMC"))
    ]
    assert openings == [
        ("/Artifact", {"/Type": pikepdf.Name.Pagination, "/Subtype": pikepdf.Name.Header}),  # text at y 20
        ("/Artifact", {"/Type": pikepdf.Name.Pagination, "/Subtype": pikepdf.Name.Footer}),  # its text at y 1100
        ("/Artifact", None),
        ("/P", {"/MCID": 2}),
    ]
