"""Tagged PDF: every marked content reachable from the structure root, running headers and
footers as pagination artifacts in the page margins, no artifact inside a structure element."""

import datetime
import io

import pikepdf
import pytest

from ombudsman.pdf import tagging
from reviews.letters import pdf
from reviews.statistics.snapshots import year_snapshots
from tests import factories

TOP_MARGIN_PX, BOTTOM_MARGIN_PX = 20 / 25.4 * 96, 18 / 25.4 * 96  # letterhead.css: @page margins
PAGE_HEIGHT_PX = 297 / 25.4 * 96


def many_page_letter(label: str) -> bytes:
    council = factories.CouncilFactory(authority_type="district", formal_name="Blaby District Council")
    factories.ContactFactory(council=council)
    review_year = factories.ReviewYearFactory(label=label)
    complaint = factories.ComplaintFactory(council=council, received_on=datetime.date(2019, 5, 1))
    factories.DecisionFactory(complaint=complaint, decided_on=datetime.date(2019, 9, 1), upheld=True)
    factories.CouncilParagraphFactory(review_year=review_year, council=council, text="A concern.\n\n" * 12)
    return pdf.letter_pdf(year_snapshots(review_year)[council.pk])


@pytest.mark.django_db
@pytest.mark.parametrize("label", ["2019-20", "2023-24"])
def test_letter_structure_tree_reaches_every_marked_content_and_holds_no_artifact(label):
    data = many_page_letter(label)

    assert tagging.structure_problems(data) == []


@pytest.mark.django_db
def test_running_header_and_footer_are_pagination_artifacts_in_the_margins():
    document = pikepdf.open(io.BytesIO(many_page_letter("2019-20")))

    texts = [s for s in tagging.marked_sequences(document) if s.tag == "/Artifact" and s.y is not None]

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
                assert instruction.operands[1].Type == "/Pagination"


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
