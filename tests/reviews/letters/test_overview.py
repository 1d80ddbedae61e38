"""The 2024-25 format: the complaint overview, its chart, the upheld block's opening sentence and
"More about this data", word for word as DOMAIN.md ("The letter from 2024-25") spells them."""

import datetime
import io

import pytest
from django.core.management import call_command

from complaints.models import Outcome
from reviews.letters import pdf, wording
from reviews.letters.charts import FIGURE_SRC
from reviews.letters.overview import DEFINITIONS, OVERVIEW_CHART_TITLE, counts_chart
from reviews.models import LetterFormat, ReviewYear
from reviews.statistics.snapshots import year_snapshots
from tests import factories
from tests.reviews.letters.test_design import figure_alts
from tests.reviews.letters.test_wording import decide, pdf_text

DAY = datetime.date(2024, 9, 2)  # 2024-25


def add_outcomes(council, day=DAY, **counts):
    for outcome, count in counts.items():
        for _ in range(count):
            if outcome == "upheld":
                decide(council, day, upheld=True)
            else:
                decide(council, day, outcome=outcome)


@pytest.fixture
def wigan():
    council = factories.CouncilFactory(
        gss_code="E08000010", name="Wigan", formal_name="Wigan Council", authority_type="metropolitan_borough"
    )
    factories.ContactFactory(council=council, title="Ms", first_name="Alison", last_name="McKenzie-Folan")
    return council


def build(council, label="2024-25"):
    review_year = factories.ReviewYearFactory(label=label)
    snapshot = year_snapshots(review_year)[council.pk]
    return review_year, snapshot, wording.build(snapshot)


def blocks(letter) -> dict:
    return {block.id: block.sentences for block in letter.blocks}


@pytest.mark.django_db
def test_review_years_from_2024_25_default_to_the_overview_format():
    assert [LetterFormat.for_start_year(year) for year in (2021, 2022, 2023, 2024, 2025)] == [
        LetterFormat.DETAILED,
        LetterFormat.DETAILED_PER_100K,
        LetterFormat.INVESTIGATIONS,
        LetterFormat.OVERVIEW,
        LetterFormat.OVERVIEW,
    ]
    assert factories.ReviewYearFactory(label="2024-25").letter_format == LetterFormat.OVERVIEW


@pytest.mark.django_db
def test_overview_letter_sentences_match_domain_exactly(wigan):
    add_outcomes(
        wigan,
        **{
            Outcome.ADVICE_GIVEN: 20,
            Outcome.INCOMPLETE_INVALID: 11,
            Outcome.REFERRED_BACK: 10,
            Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES: 64,
            Outcome.NOT_UPHELD: 8,
            "upheld": 39,
        },
    )
    factories.PopulationFactory(council=wigan, year=2023, population=930_000)  # 39 / 930,000 -> 4.19
    similar = factories.CouncilFactory(authority_type="metropolitan_borough")
    add_outcomes(similar, **{Outcome.NOT_UPHELD: 5, "upheld": 13})  # pooled: 52 / 65 = 80%
    factories.PopulationFactory(council=similar, year=2023, population=270_000)  # 52 / 1,200,000 -> 4.33

    review_year, snapshot, letter = build(wigan)

    assert review_year.letter_format == LetterFormat.OVERVIEW
    assert snapshot["counts"] == {
        "investigations": 47,
        "upheld": 39,
        "satisfactory": 0,
        "compliance_outcomes": 0,
        "complied": 0,
        "population": 930_000,
        "dealt_with": 152,
        "not_for_us": 41,
        "assessed_closed": 64,
    }
    assert letter.overview.sentences == [
        "Between 1 April 2024 to 31 March 2025, we dealt with 152 complaints. Of these, 41 were not for us or not "
        "ready for us to investigate. We assessed and closed 64 complaints. We investigated 47 complaints."
    ]
    assert blocks(letter)["upheld"] == [
        "We investigated 47 complaints and upheld 39.",
        "83% of complaints we investigated were upheld.",
        "This compares to an average of 80% in similar authorities.",
        "Adjusted for Wigan Council's population, this is 4.2 upheld decisions per 100,000 residents.",
        "The average for authorities of this type is 4.3 upheld decisions per 100,000 residents.",
    ]
    assert letter.definitions == DEFINITIONS
    assert [term for term, _ in letter.definitions] == [
        "Dealt with",
        "Not for us or not ready for us",
        "Assessed and closed",
        "Investigated",
        "Upheld",
        "Satisfactory remedy",
        "Compliance",
        "Averages",
    ]


@pytest.mark.django_db
def test_overview_singular_wording(wigan):
    add_outcomes(wigan, **{Outcome.REFERRED_BACK: 1, Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES: 1, "upheld": 1})

    _, _, letter = build(wigan)

    assert letter.overview.sentences == [
        "Between 1 April 2024 to 31 March 2025, we dealt with 3 complaints. Of these, 1 was not for us or not ready "
        "for us to investigate. We assessed and closed 1 complaint. We investigated 1 complaint."
    ]
    assert blocks(letter)["upheld"][:2] == [
        "We investigated 1 complaint and upheld 1.",
        "100% of complaints we investigated were upheld.",
    ]


@pytest.mark.django_db
def test_overview_of_a_council_with_no_decisions_is_one_sentence_and_no_chart(wigan):
    _, _, letter = build(wigan)

    assert letter.overview.sentences == [
        "Between 1 April 2024 to 31 March 2025, we did not deal with any complaints about your authority."
    ]
    assert letter.overview.chart is None
    assert blocks(letter)["upheld"] == ["The Ombudsman did not investigate any complaints in this period"]


@pytest.mark.django_db
def test_overview_without_investigations_keeps_the_no_investigations_sentence(wigan):
    add_outcomes(wigan, **{Outcome.ADVICE_GIVEN: 2})

    _, _, letter = build(wigan)

    assert letter.overview.sentences == [
        "Between 1 April 2024 to 31 March 2025, we dealt with 2 complaints. Of these, 2 were not for us or not ready "
        "for us to investigate. We assessed and closed 0 complaints. We investigated 0 complaints."
    ]
    assert blocks(letter)["upheld"] == ["The Ombudsman did not investigate any complaints in this period"]


@pytest.mark.django_db
def test_earlier_formats_have_no_overview_and_freeze_no_overview_counts(wigan):
    add_outcomes(wigan, datetime.date(2023, 9, 1), **{Outcome.ADVICE_GIVEN: 2, "upheld": 1})

    _, snapshot, letter = build(wigan, "2023-24")

    assert letter.overview is None
    assert letter.definitions == ()
    assert set(snapshot["counts"]) == {
        "investigations",
        "upheld",
        "satisfactory",
        "compliance_outcomes",
        "complied",
        "population",
    }
    assert blocks(letter)["upheld"][0] == "100% of complaints we investigated were upheld."


def test_counts_chart_bars_share_one_scale_up_to_dealt_with_in_the_councils_colour():
    chart = counts_chart({"dealt_with": 1200, "not_for_us": 300, "assessed_closed": 600, "investigations": 300})

    assert [(bar.label, bar.text, bar.width) for bar in chart.bars] == [
        ("Dealt with", "1,200", 100),
        ("Not for us or not ready for us", "300", 25),
        ("Assessed and closed", "600", 50),
        ("Investigated", "300", 25),
    ]
    assert {bar.kind for bar in chart.bars} == {"council"}  # the other charts' council colour; no colours of its own
    assert not chart.steps  # no scale: each bar is labelled with its count
    assert "1" not in chart.title and chart.title.startswith("Bar chart of the complaint overview")


@pytest.mark.django_db
def test_overview_letter_pdf_prints_the_overview_chart_and_definitions(wigan):
    add_outcomes(wigan, **{Outcome.ADVICE_GIVEN: 3, Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES: 2, "upheld": 2})
    review_year = factories.ReviewYearFactory(label="2024-25")

    snapshot = year_snapshots(review_year)[wigan.pk]
    data = pdf.letter_pdf(snapshot)
    text = pdf_text(data)

    assert f'<img class="letter__chart-figure" src="{FIGURE_SRC}" alt="{OVERVIEW_CHART_TITLE}">' in pdf.letter_html(
        snapshot
    )
    assert OVERVIEW_CHART_TITLE in figure_alts(data)

    assert (
        "Between 1 April 2024 to 31 March 2025, we dealt with 7 complaints. Of these, 3 were not for us or not ready "
        "for us to investigate. We assessed and closed 2 complaints. We investigated 2 complaints." in text
    )
    assert "We investigated 2 complaints and upheld 2." in text
    assert "More about this data" in text
    for term, meaning in DEFINITIONS:
        assert f"{term} {meaning}" in text


@pytest.mark.django_db
def test_demo_2024_25_year_is_created_in_the_overview_format():
    call_command("create_review_years", "2023-24", "2024-25", stdout=io.StringIO())  # as demo_setup does

    assert dict(ReviewYear.objects.values_list("label", "letter_format")) == {
        "2023-24": LetterFormat.INVESTIGATIONS,
        "2024-25": LetterFormat.OVERVIEW,
    }
