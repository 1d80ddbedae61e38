"""The annexes list cases by the council they count for (DOMAIN.md "Reorganisation: cases
follow the successor"), as the letter's figures do."""

import datetime

import pytest

from ombudsman.periods import ReviewPeriod
from portal.annexes import compliance_rows, decided_rows, received_rows
from reviews.statistics.counts import year_statistics
from tests import factories

Y2022, Y2023 = ReviewPeriod.from_label("2022-23"), ReviewPeriod.from_label("2023-24")


@pytest.fixture
def somerset(db):
    county = factories.CouncilFactory(
        name="Somerset", gss_code="E10000027", authority_type="county", active_to=datetime.date(2023, 3, 31)
    )
    unitary = factories.CouncilFactory(
        name="Somerset", gss_code="E06000066", authority_type="unitary", active_from=datetime.date(2023, 4, 1)
    )
    factories.SuccessionFactory(predecessor=county, successor=unitary, on=datetime.date(2023, 4, 1))
    return county, unitary


def _case(council, received_on, decided_on, **complaint):
    decision = factories.DecisionFactory(
        complaint=factories.ComplaintFactory(council=council, received_on=received_on, **complaint),
        decided_on=decided_on,
        upheld=True,
    )
    return decision


def references(rows) -> list[str]:
    return [row[0] for row in rows]


def test_annexes_list_a_case_decided_after_the_reorganisation_under_the_successor(somerset):
    county, unitary = somerset
    across = _case(county, datetime.date(2022, 10, 3), datetime.date(2023, 6, 14))
    factories.ComplianceOutcomeFactory(decision=across, recorded_on=datetime.date(2023, 9, 1))
    before = _case(county, datetime.date(2022, 5, 3), datetime.date(2023, 3, 31))
    factories.ComplianceOutcomeFactory(decision=before, recorded_on=datetime.date(2023, 5, 2))
    own = _case(unitary, datetime.date(2023, 5, 1), datetime.date(2023, 8, 1))
    transferred = _case(unitary, datetime.date(2023, 1, 9), datetime.date(2023, 7, 1), received_against=county)
    ref = {case: case.complaint.reference for case in (across, before, own, transferred)}

    assert references(decided_rows(unitary.pk, Y2023)) == [ref[across], ref[transferred], ref[own]]
    assert references(decided_rows(county.pk, Y2023)) == []
    assert references(decided_rows(county.pk, Y2022)) == [ref[before]]
    assert references(compliance_rows(unitary.pk, Y2023)) == [ref[before], ref[across]]
    assert references(compliance_rows(county.pk, Y2023)) == []
    assert references(received_rows(county.pk, Y2022)) == [ref[before], ref[across], ref[transferred]]
    assert references(received_rows(unitary.pk, Y2022)) == []
    assert references(received_rows(unitary.pk, Y2023)) == [ref[own]]
    # The letter's figures count the same cases.
    figures = year_statistics(Y2023).for_council(unitary.pk).counts
    assert (figures.upheld, figures.compliance_outcomes) == (3, 2)


def test_annexes_of_a_council_split_in_two_follow_the_successor_each_case_was_given(db):
    county = factories.CouncilFactory(
        name="Northamptonshire", gss_code="E10000021", authority_type="county", active_to=datetime.date(2021, 3, 31)
    )
    north, west = (
        factories.CouncilFactory(gss_code=code, authority_type="unitary", active_from=datetime.date(2021, 4, 1))
        for code in ("E06000061", "E06000062")
    )
    for successor in (north, west):
        factories.SuccessionFactory(predecessor=county, successor=successor, on=datetime.date(2021, 4, 1))
    given = _case(west, datetime.date(2021, 2, 1), datetime.date(2021, 7, 1), received_against=county)
    _case(county, datetime.date(2021, 2, 2), datetime.date(2021, 7, 2))  # not given to either: in neither's annex
    period = ReviewPeriod.from_label("2021-22")

    assert references(decided_rows(west.pk, period)) == [given.complaint.reference]
    assert references(decided_rows(north.pk, period)) == []
