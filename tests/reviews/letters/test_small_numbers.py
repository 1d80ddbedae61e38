"""Small numbers (DOMAIN.md): a percentage resting on fewer than 10 cases keeps its sentences and
gets a note on the data; ten cases or more, or no figure at all, get none."""

import copy

import pytest

from reviews.letters import wording
from reviews.statistics.figures import few_cases, rests_on_few_cases
from tests.reviews.letters.earlier_formats import snapshot


def test_rests_on_few_cases_below_10_and_not_without_cases():
    assert [rests_on_few_cases(cases) for cases in (None, 0, 1, 9, 10, 250)] == [None, None, True, True, False, False]
    assert few_cases({"investigations": 12, "upheld": 5, "compliance_outcomes": 0}) == {
        "uphold_rate": False,
        "compliance_rate": None,
        "satisfactory_rate": True,
    }


@pytest.mark.django_db
def test_one_letter_note_flags_every_rate_on_fewer_than_10_cases():
    letter = wording.build(snapshot("2023-24", "full"))  # 9 investigations, 7 upheld, 4 compliance outcomes

    assert letter.notes == [
        "The average in similar authorities is calculated from the cases of all district councils in this period "
        "taken together.",
        "The uphold rate is based on 9 investigations, the compliance rate on 4 compliance outcomes and the "
        "satisfactory remedy rate on 7 upheld decisions, each fewer than 10: with so few cases, one more or one "
        "fewer changes a percentage a lot, so read them with care.",
        "Figures per 100,000 residents use the ONS mid-2022 population estimate (101,234 residents).",
    ]
    assert letter.blocks[0].sentences[0] == "78% of complaints we investigated were upheld."  # sentences unchanged


@pytest.mark.django_db
def test_letter_notes_singular_and_no_flag_from_10_cases_or_without_a_figure():
    data = copy.deepcopy(snapshot("2023-24", "full"))
    data["counts"] |= {"investigations": 10, "upheld": 1, "compliance_outcomes": 0, "complied": 0}

    notes = wording.build(data).notes

    assert [note for note in notes if "fewer than 10" in note] == [
        "The satisfactory remedy rate is based on 1 upheld decision, fewer than 10: with so few cases, one more or "
        "one fewer changes the percentage a lot, so read it with care."
    ]


@pytest.mark.django_db
def test_letter_note_on_two_rates_on_fewer_than_10_cases():
    data = copy.deepcopy(snapshot("2023-24", "full"))
    data["counts"] |= {"investigations": 12, "upheld": 3, "compliance_outcomes": 2, "complied": 2}

    notes = wording.build(data).notes

    assert [note for note in notes if "fewer than 10" in note] == [
        "The compliance rate is based on 2 compliance outcomes and the satisfactory remedy rate on 3 upheld "
        "decisions, each fewer than 10: with so few cases, one more or one fewer changes a percentage a lot, so "
        "read them with care."
    ]
