"""Letterhead and page design (issue 13, section 3): statistics blocks a reader takes in at a
glance, charts that say what they show, pages that are not left mostly empty."""

import datetime
import io
import re
from collections import Counter
from pathlib import Path

import pikepdf
import pytest
from django.conf import settings

from complaints.models import Outcome
from ombudsman.pdf import tagging
from reviews.letters import charts, pdf, wording, years
from reviews.statistics.snapshots import year_snapshots
from tests import factories
from tests.reviews.letters.earlier_formats import snapshot
from tests.reviews.letters.test_wording import add_cases, decide
from tests.utils import placed_text

PAGE_HEIGHT_PT = 297 / 25.4 * 72
BOTTOM_MARGIN_PT = 18 / 25.4 * 72
TOP_MARGIN_PT = 20 / 25.4 * 72


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        value /= 255
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4

    red, green, blue = (int(colour[index : index + 2], 16) for index in (1, 3, 5))
    return 0.2126 * channel(red) + 0.7152 * channel(green) + 0.0722 * channel(blue)


def contrast(first: str, second: str) -> float:
    lighter, darker = sorted((luminance(first), luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def test_bar_fills_differ_in_lightness_and_hue_and_stand_out_from_white():
    assert contrast(charts.COUNCIL_FILL, "#ffffff") >= 3
    assert contrast(charts.AVERAGE_FILL, "#ffffff") >= 3
    assert contrast(charts.COUNCIL_FILL, charts.AVERAGE_FILL) >= 2  # apart in greyscale too
    council_blue = int(charts.COUNCIL_FILL[5:7], 16) > int(charts.COUNCIL_FILL[1:3], 16)
    average_red = int(charts.AVERAGE_FILL[1:3], 16) > int(charts.AVERAGE_FILL[5:7], 16)
    assert council_blue and average_red


def test_percentage_chart_is_a_labelled_pair_on_a_0_to_100_scale_and_its_alt_text_has_no_values():
    chart = charts.Chart.percentages("c", "Complaints upheld", "Blaby District Council", "75", "45")

    assert [(bar.label, bar.text, bar.kind, bar.width) for bar in chart.bars] == [
        ("Blaby District Council", "75%", "council", 75),
        ("Average in similar authorities", "45%", "average", 45),
    ]
    assert chart.scale_text == "0% 50% 100%"
    assert chart.steps == 4  # a tick at every 25%
    assert chart.title == (
        "Complaints upheld: a bar chart of Blaby District Council against the average in similar authorities, "
        "on a scale from 0% to 100%."
    )
    assert not re.search(r"\d+%.*\d+%.*\d+%", chart.title.replace("0% to 100%", ""))
    assert "75" not in chart.title and "45" not in chart.title


def test_per_100k_chart_has_its_own_scale():
    chart = charts.Chart.per_100k("c", "Blaby District Council", "6.9", "1.2")

    assert chart.maximum == 10
    assert (chart.scale_text, chart.steps) == ("0 10", 5)
    assert [(bar.text, bar.width) for bar in chart.bars] == [("6.9", 69), ("1.2", 12)]
    assert "6.9" not in chart.title
    assert chart.caption == "Upheld decisions per 100,000 residents"
    assert charts.Chart.per_100k("c", "Blaby District Council", "1.5", "1.2").scale_text == "0 1 2"


@pytest.mark.parametrize(("value", "maximum", "width"), [(0, 100, 0), (0.5, 100, 1), (99.4, 100, 99), (7, 2.5, 100)])
def test_bar_width_is_a_whole_percent_of_the_scale_rounded_half_up(value, maximum, width):
    assert charts.bar_width(value, maximum) == width


@pytest.mark.django_db
def test_charts_alt_text_is_read_once_and_their_labels_and_values_are_artifacts(council):
    """Each chart is a figure whose alternative text says what it shows; its labels, values and
    scale are drawn as a layout artifact, so a screen reader reads each value once, in the
    sentences. In the HTML preview the drawing is hidden from screen readers the same way."""
    letter = snapshot("2022-23", "full")
    html = pdf.letter_html(letter)
    data = pdf.letter_pdf(letter)

    assert "<svg" not in html and "<text" not in html
    assert html.count('class="letter__chart-figure"') == 4
    assert html.count('class="letter__chart-row" aria-hidden="true"') == 8
    assert figure_alts(data) == [
        "Local Government and Social Care Ombudsman logo",
        *(
            f"{name}: a bar chart of Blaby against the average in similar authorities, on a scale from {scale}."
            for name, scale in [
                ("Complaints upheld", "0% to 100%"),
                ("Upheld decisions per 100,000 residents", "0 to 10"),
                ("Compliance with recommendations", "0% to 100%"),
                ("Satisfactory remedy provided", "0% to 100%"),
            ]
        ),
    ]
    charts_drawn = [
        chart for block in wording.build(letter).blocks for chart in [part.chart for part in block.parts if part.chart]
    ]
    drawn = Counter(
        text
        for chart in charts_drawn
        for text in [*(t for bar in chart.bars for t in (bar.label, bar.text)), *chart.ticks, chart.caption]
        if text
    )
    in_body = [run for run in placed_text(data) if TOP_MARGIN_PT < run.y < PAGE_HEIGHT_PT - BOTTOM_MARGIN_PT]
    assert Counter(run.text.strip() for run in in_body if run.artifact) == drawn
    labels = {bar.label for chart in charts_drawn for bar in chart.bars} | {chart.caption for chart in charts_drawn}
    assert not {run.text.strip() for run in in_body if not run.artifact} & labels
    assert tagging.structure_problems(data) == []


def figure_alts(data: bytes) -> list[str]:
    """The alternative text of every Figure in the PDF's structure tree, in reading order."""
    document = pikepdf.open(io.BytesIO(data))  # kept open while its elements are read
    return [str(element.Alt) for element in _elements(document, "/Figure")]


def _elements(document, kind: str) -> list:
    found, stack = [], [document.Root.StructTreeRoot.K]
    while stack:
        node = stack.pop(0)
        if isinstance(node, pikepdf.Array):
            stack[:0] = list(node)
        elif isinstance(node, pikepdf.Dictionary) and "/S" in node:
            if kind == node.S:
                found.append(node)
            if "/K" in node:
                stack.insert(0, node.K)
    return found


@pytest.mark.parametrize(
    ("largest", "scale"),
    [
        (0, (1, 0.25)),
        (0.4, (0.5, 0.1)),
        (1, (1, 0.25)),
        (1.2, (2, 0.5)),
        (2.1, (2.5, 0.5)),
        (6.9, (10, 2)),
        (33, (50, 10)),
    ],
)
def test_nice_scale(largest, scale):
    assert charts.nice_scale(largest) == scale


@pytest.mark.django_db
def test_each_block_leads_with_the_councils_figure_large_then_its_chart_then_the_sentences():
    letter = wording.build(snapshot("2022-23", "full"))
    upheld = letter.blocks[0]

    parts = upheld.parts
    assert (parts[0].before, parts[0].figure, parts[0].after) == (
        "",
        "78%",
        " of complaints we investigated were upheld.",
    )
    assert parts[0].chart is upheld.chart
    assert parts[-1].chart.unit == "per 100,000 residents"  # after the sentences it draws
    assert [part.before + part.figure + part.after for part in parts] == upheld.sentences  # the words, exactly
    html = pdf.letter_html(snapshot("2022-23", "full"))
    assert '<p class="letter__lead"><span class="letter__figure">78%</span> of complaints we investigated' in html
    assert "letter__legend" not in html


@pytest.mark.django_db
def test_a_block_without_figures_has_no_chart():
    letter = wording.build(snapshot("2019-20", "empty"))

    assert all(block.chart is None and not block.figure for block in letter.blocks)
    assert "<svg" not in pdf.letter_html(snapshot("2019-20", "empty"))


@pytest.mark.django_db
def test_the_web_preview_draws_the_charts_in_the_pdfs_colours_and_lengths():
    """The preview once drew the average bar #cecece (1.6:1) because a stylesheet rule overrode the
    SVG's fill, and its legend swatch was a third colour: both stylesheets give each bar kind the
    colour charts.py names, and nothing else colours a bar; the preview's lengths are charts.width_rules()
    on the scale the PDF's template is given (charts.PLOT_MM), as are its colours."""
    scss = "\n".join(path.read_text() for path in (Path(settings.BASE_DIR) / "static" / "scss").glob("*.scss"))
    css = (Path(settings.BASE_DIR) / "reviews" / "pdf_assets" / "letter.css").read_text()

    for stylesheet in (scss, css):
        fills = dict(re.findall(r"\.letter__bar--(\w+) \{ background-color: (#[0-9a-f]{6}); \}", stylesheet))
        assert fills == charts.FILLS
        assert len(re.findall(r"letter__bar[^{]*\{[^}]*(?:background|fill|color)", stylesheet)) == 2
        assert "letter__key" not in stylesheet
    assert charts.width_rules() in css
    template = pdf.TEMPLATE.read_text()
    assert "#let plot = letter.plot_mm * 1mm" in template and "rgb(letter.fills.council)" in template
    assert not re.findall(r"#[0-9a-f]{6}", template.split("// The statistics pages")[1])  # no colour of its own
    data = pdf.letter_data(wording.build(snapshot("2022-23", "full")))
    assert (data["fills"], data["plot_mm"]) == (charts.FILLS, charts.PLOT_MM)
    assert "@for $n from 0 through 100 { .letter__bar--w#{$n}" in scss


def _text_bottoms(data: bytes) -> dict[int, float]:
    """The lowest line of the letter's own text (not the running header or footer, which are
    artifacts) on each page, in points from the top."""
    bottoms: dict[int, float] = {}
    for run in placed_text(data):
        if not run.artifact:
            bottoms[run.page] = max(bottoms.get(run.page, 0), run.y)
    return bottoms


def assert_pages(data: bytes, pages: int, *, at_most: bool = False) -> None:
    """The letter takes `pages` pages (or fewer, `at_most`), none before the last mostly empty, and its tags are whole."""
    bottoms = _text_bottoms(data)
    assert len(bottoms) <= pages if at_most else len(bottoms) == pages
    usable = PAGE_HEIGHT_PT - BOTTOM_MARGIN_PT
    for page in sorted(bottoms)[:-1]:
        assert bottoms[page] > 0.6 * usable, f"page {page} is mostly empty"
    assert tagging.structure_problems(data) == []


@pytest.mark.django_db
def test_a_2019_20_letter_takes_no_more_than_three_pages_none_mostly_empty(council):
    factories.ContactFactory(council=council, title="Mrs", last_name="Toman")
    review_year = factories.ReviewYearFactory(label="2019-20")
    review_year = years.review_year_update(
        review_year=review_year,
        context="Given the exceptional pressures under which local authorities have been working over recent "
        "months, I thought carefully about whether it was still appropriate to send you this annual update. "
        "However, now, more than ever, I believe that the public experience of local services must be at the "
        "heart of our thinking.",
    )
    add_cases(council, datetime.date(2019, 10, 1), upheld=3, satisfactory=1, not_upheld=1, complied=2)
    factories.CouncilParagraphFactory(review_year=review_year, council=council)

    data = pdf.letter_pdf(year_snapshots(review_year)[council.pk])

    assert_pages(data, 3, at_most=True)


@pytest.mark.django_db
def test_a_2024_25_metropolitan_borough_letter_takes_three_pages_none_mostly_empty():
    """The demo's 2024-25 letter to Wigan once took four pages, the fourth holding only the last
    definitions: blocks kept whole left page 2 part empty, and each term took a line of its own."""
    wigan = factories.CouncilFactory(
        gss_code="E08000010",
        name="Wigan",
        formal_name="Wigan Metropolitan Borough Council",
        authority_type="metropolitan_borough",
    )
    factories.PopulationFactory(council=wigan, year=2023, population=339_174)
    factories.ContactFactory(council=wigan, title="Dr", first_name="Roy", last_name="O'Connor")
    day = datetime.date(2024, 9, 2)
    add_cases(wigan, day, upheld=12, satisfactory=3, not_upheld=6, complied=11)
    for outcome, count in ((Outcome.ADVICE_GIVEN, 71), (Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES, 30)):
        for _ in range(count):
            decide(wigan, day, outcome=outcome)
    review_year = factories.ReviewYearFactory(label="2024-25")

    data = pdf.letter_pdf(year_snapshots(review_year)[wigan.pk])

    assert_pages(data, 3)


@pytest.mark.django_db
def test_a_2024_25_letter_with_a_long_name_and_few_cases_takes_three_pages():
    """The demo's 2024-25 letters to six councils with long formal names once took four pages: the
    name took two lines in each chart's label, and each rate on fewer than 10 cases had a note of its
    own. Charts now label the council by its short name and one note covers every such rate."""
    council = factories.CouncilFactory(
        gss_code="E09000013",
        name="Hammersmith and Fulham",
        formal_name="London Borough of Hammersmith & Fulham",
        authority_type="london_borough",
    )
    factories.PopulationFactory(council=council, year=2023, population=186_176)
    factories.ContactFactory(council=council, title="Mrs", first_name="Susan", last_name="Arnold")
    day = datetime.date(2024, 9, 2)
    add_cases(council, day, upheld=1, not_upheld=1, complied=7)  # 9 investigations, 8 upheld, 7 outcomes
    for outcome, count in ((Outcome.ADVICE_GIVEN, 48), (Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES, 17)):
        for _ in range(count):
            decide(council, day, outcome=outcome)
    review_year = factories.ReviewYearFactory(label="2024-25")
    snapshot_ = year_snapshots(review_year)[council.pk]
    assert [note for note in wording.build(snapshot_).notes if "fewer than 10" in note]  # its rates are flagged

    data = pdf.letter_pdf(snapshot_)

    assert_pages(data, 3)
