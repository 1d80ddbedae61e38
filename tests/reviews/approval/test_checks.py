import datetime

import pytest

from reviews.approval.checks import second_look, second_looks
from reviews.models import AnnualLetter
from tests import factories
from tests.reviews.published import sent_letter


def snapshot(*, uphold, investigations, upheld, compliance=None, outcomes=0, satisfactory=None, paragraph=""):
    return {
        "figures": {"uphold_rate": uphold, "compliance_rate": compliance, "satisfactory_rate": satisfactory},
        "counts": {"investigations": investigations, "upheld": upheld, "compliance_outcomes": outcomes},
        "average": {"uphold_rate": "60", "compliance_rate": "99", "satisfactory_rate": "10"},
        "paragraph": paragraph,
    }


def test_second_look_shows_council_average_and_last_year():
    letter = AnnualLetter(snapshot=snapshot(uphold="55", investigations=40, upheld=22, compliance="90", outcomes=30))
    last = snapshot(uphold="50", investigations=38, upheld=19)

    look = second_look(letter, last)

    assert [(rate.name, rate.council, rate.average, rate.last_year, rate.based_on) for rate in look.rates] == [
        ("Complaints upheld", "55%", "60%", "50%", "40 investigations"),
        ("Compliance", "90%", "99%", "", "30 compliance outcomes"),
        ("Satisfactory remedy", "None", "10%", "", "22 upheld decisions"),
    ]
    assert look.flags == []


def test_second_look_flags_small_bases_big_changes_extremes_and_a_paragraph():
    letter = AnnualLetter(
        snapshot=snapshot(
            uphold="100", investigations=4, upheld=4, compliance="70", outcomes=20, satisfactory="0", paragraph="We..."
        )
    )
    last = snapshot(uphold="80", investigations=10, upheld=8, compliance="91", outcomes=22)

    look = second_look(letter, last)

    assert look.flags == [
        "Complaints upheld: 100% is based on fewer than 10 investigations (4).",
        "Complaints upheld is 100%.",
        "Complaints upheld changed by 20 points from last year (80% to 100%).",
        "Compliance changed by 21 points from last year (91% to 70%).",
        "Satisfactory remedy: 0% is based on fewer than 10 upheld decisions (4).",
        "Satisfactory remedy is 0%.",
        "The letter has a council paragraph: read it.",
    ]


def test_second_look_without_last_years_letter():
    letter = AnnualLetter(snapshot=snapshot(uphold="50", investigations=12, upheld=6))

    look = second_look(letter, None)

    assert [rate.last_year for rate in look.rates] == ["No letter"] * 3
    assert look.flags == []


@pytest.mark.django_db
def test_second_looks_read_last_years_sent_letter_in_one_query(council, django_assert_num_queries):
    last_year = factories.ReviewYearFactory(label="2018-19")
    year = factories.ReviewYearFactory(label="2019-20")
    complaint = factories.ComplaintFactory(council=council, received_on=datetime.date(2018, 5, 1))
    factories.DecisionFactory(complaint=complaint, decided_on=datetime.date(2018, 9, 1), upheld=True)
    sent_letter(council, last_year)
    letter = factories.AnnualLetterFactory(council=council, review_year=year, ready=True)

    with django_assert_num_queries(1):
        looks = second_looks(year, [letter])

    assert [rate.last_year for rate in looks[letter.pk].rates] == ["100%", "", "0%"]
