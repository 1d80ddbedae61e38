"""Issue 13's "done when", end to end: `run_review <year>` (letters rendered in process) then
`export_letter` for one council, and the exported PDF's text read back. A 2024-25 letter opens its
statistics with the complaint overview and says DOMAIN.md's sentences for DOMAIN.md's own figures
("The letter from 2024-25"); a 2019-20 letter still says its format's sentences, the council's
ones exactly as recorded before the 2024-25 format and the new design (earlier_formats.json)."""

import datetime
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from complaints.models import Outcome
from reviews.letters.wording import COMPLIANCE_NOTE
from tests import factories
from tests.reviews.letters.test_wording import decide, pdf_text

RECORDED = json.loads((Path(__file__).parent / "earlier_formats.json").read_text())


def add(council, day, count, **traits):
    for _ in range(count):
        decide(council, day, **traits)


def add_compliance(council, day, outcomes: dict):
    """Compliance outcomes recorded on `day` for decisions of the year before (so they add no upheld decision)."""
    for outcome, count in outcomes.items():
        for _ in range(count):
            decision = decide(council, day - datetime.timedelta(days=365), upheld=True)
            factories.ComplianceOutcomeFactory(decision=decision, outcome=outcome, recorded_on=day)


def with_chief_executive(council):
    factories.ContactFactory(council=council)
    return council


def exported_text(tmp_path, label: str, council) -> str:
    out = io.StringIO()
    call_command("run_review", label, "--processes", "1", stdout=out)
    assert "letters for " + label + " are ready." in out.getvalue()
    path = tmp_path / f"{label}.pdf"
    call_command("export_letter", "--council", council.gss_code, "--year", label, "--out", path, stdout=io.StringIO())
    return pdf_text(path.read_bytes())


def in_order(text: str, sentences: list[str]) -> None:
    """Every sentence is in the text, whole, in this order."""
    position = 0
    for sentence in sentences:
        found = text.find(sentence, position)
        assert found >= 0, f"not found (in order): {sentence!r}"
        position = found + len(sentence)


@pytest.mark.django_db
def test_run_review_2024_25_then_export_letter_says_domains_overview_and_statistics_sentences(tmp_path):
    day = datetime.date(2024, 9, 2)
    wigan = with_chief_executive(
        factories.CouncilFactory(
            gss_code="E08000010", name="Wigan", formal_name="Wigan Council", authority_type="metropolitan_borough"
        )
    )
    # DOMAIN.md's figures: 152 dealt with, 41 not for us, 64 assessed and closed, 47 investigated, 39 upheld.
    add(wigan, day, 20, outcome=Outcome.ADVICE_GIVEN)
    add(wigan, day, 11, outcome=Outcome.INCOMPLETE_INVALID)
    add(wigan, day, 10, outcome=Outcome.REFERRED_BACK)
    add(wigan, day, 64, outcome=Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES)
    add(wigan, day, 8, outcome=Outcome.NOT_UPHELD)
    add(wigan, day, 35, upheld=True)
    add(wigan, day, 4, satisfactory=True)  # upheld too: 39 upheld, 4 of them remedied by the council (10%)
    add_compliance(wigan, day, {"complied_on_time": 3, "complied_late": 1, "not_complied": 1})  # 4 of 5
    factories.PopulationFactory(council=wigan, year=2023, population=930_000)  # 39 / 930,000 -> 4.19
    similar = with_chief_executive(factories.CouncilFactory(authority_type="metropolitan_borough"))
    add(similar, day, 5, outcome=Outcome.NOT_UPHELD)
    add(similar, day, 13, upheld=True)  # pooled: 52 / 65 = 80%; no satisfactory remedy: 4 / 52 -> 8%
    add_compliance(similar, day, {"complied_on_time": 5})  # pooled: 9 of 10
    factories.PopulationFactory(council=similar, year=2023, population=270_000)  # 52 / 1,200,000 -> 4.33
    period = "for the period between 1 April 2024 to 31 March 2025"

    text = exported_text(tmp_path, "2024-25", wigan)

    in_order(
        text,
        [
            "For the period ending: 31/03/25",
            "Complaint overview",
            "Between 1 April 2024 to 31 March 2025, we dealt with 152 complaints. Of these, 41 were not for us or "
            "not ready for us to investigate. We assessed and closed 64 complaints. We investigated 47 complaints.",
            "We investigated 47 complaints and upheld 39.",
            "83% of complaints we investigated were upheld.",
            "This compares to an average of 80% in similar authorities.",
            "Adjusted for Wigan Council's population, this is 4.2 upheld decisions per 100,000 residents.",
            "The average for authorities of this type is 4.3 upheld decisions per 100,000 residents.",
            "In 80% of cases we were satisfied the authority had successfully implemented our recommendations.",
            "This compares to an average of 90% in similar authorities.",
            f"Statistics are based on a total of 5 compliance outcomes {period}",
            COMPLIANCE_NOTE,
            "In 10% of upheld cases we found the authority had provided a satisfactory remedy before the complaint "
            "reached the Ombudsman.",
            "This compares to an average of 8% in similar authorities.",
            "4 satisfactory remedy decisions",
            f"Statistics are based on a total of 39 upheld decisions {period}",
            "More about this data",
        ],
    )
    assert "residents.%" not in text and "per 100,000 residents%" not in text
    assert "detailed investigation" not in text


@pytest.mark.django_db
def test_run_review_2019_20_then_export_letter_says_the_earlier_sentences_unchanged(tmp_path, council):
    day = datetime.date(2019, 9, 2)
    blaby = with_chief_executive(council)
    # The council's figures of the recorded "2019-20 full" case: 9 investigations, 7 upheld (2 remedied
    # by the council), 4 compliance outcomes of which 3 complied.
    add(blaby, day, 5, upheld=True)
    add(blaby, day, 2, satisfactory=True)
    add(blaby, day, 2, outcome=Outcome.NOT_UPHELD)
    add(blaby, day, 3, outcome=Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES)  # no overview before 2024-25
    add_compliance(blaby, day, {"complied_on_time": 2, "complied_late": 1, "not_complied": 1})
    similar = with_chief_executive(factories.CouncilFactory(authority_type="district"))
    add(similar, day, 3, upheld=True)
    add(similar, day, 8, outcome=Outcome.NOT_UPHELD)  # pooled: 10 / 20 = 50%; remedies 2 / 10 = 20%
    add_compliance(similar, day, {"complied_on_time": 1})  # pooled: 4 / 5 = 80%
    recorded = RECORDED["2019-20 full"]["blocks"]

    text = exported_text(tmp_path, "2019-20", blaby)

    in_order(
        text,
        [
            "For the period ending: 31/03/20",
            recorded["upheld"][0],
            "This compares to an average of 50% in similar authorities.",
            *recorded["upheld"][2:],
            recorded["compliance"][0],
            "This compares to an average of 80% in similar authorities.",
            *recorded["compliance"][2:],
            COMPLIANCE_NOTE,
            recorded["satisfactory"][0],
            "This compares to an average of 20% in similar authorities.",
            *recorded["satisfactory"][2:],
        ],
    )
    assert recorded["upheld"][0] == "78% of complaints we investigated were upheld."
    for absent in ("Complaint overview", "we dealt with", "We investigated", "per 100,000", "More about this data"):
        assert absent not in text
