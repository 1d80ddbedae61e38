"""Reorganisations: the successions register, the council page, and cases counting for the successor."""

import datetime

import pytest
from django.urls import reverse

from councils.importing import successions_import
from councils.models import Succession
from ombudsman.csvio import ImportFailed
from ombudsman.periods import ReviewPeriod
from ombudsman.settings import SHARED_DATA_DIR
from reviews.statistics.counts import year_statistics
from tests import factories

SUCCESSIONS = SHARED_DATA_DIR / "successions.csv"
HEADER = "predecessor_gss_code,successor_gss_code,on\n"


def test_import_successions_loads_the_file_and_reimport_changes_nothing(register):
    assert Succession.objects.count() == 35
    somerset = register["E10000027"]
    assert [s.successor.gss_code for s in somerset.successions.all()] == ["E06000066"]
    northamptonshire = register["E10000021"]
    assert sorted(s.successor.gss_code for s in northamptonshire.successions.all()) == ["E06000061", "E06000062"]
    events = Succession.pgh_event_model.objects.count()

    result = successions_import(SUCCESSIONS.read_bytes())

    assert (result.created, result.updated, result.unchanged) == (0, 0, 35)
    assert Succession.pgh_event_model.objects.count() == events


@pytest.mark.django_db
def test_import_successions_refuses_unknown_councils_and_wrong_dates():
    old = factories.CouncilFactory(authority_type="county", active_to=datetime.date(2023, 3, 31))
    new = factories.CouncilFactory(authority_type="unitary", active_from=datetime.date(2023, 4, 1))
    still_active = factories.CouncilFactory()
    data = (
        HEADER
        + f"E10999999,{new.gss_code},2023-04-01\n"
        + f"{old.gss_code},{new.gss_code},2022-04-01\n"
        + f"{still_active.gss_code},{new.gss_code},2023-04-01\n"
        + f"{old.gss_code},{new.gss_code},1 April\n"
    )

    with pytest.raises(ImportFailed) as failure:
        successions_import(data)

    messages = [str(error) for error in failure.value.errors]
    assert any("line 2" in m and "'E10999999' is not a council in the register" in m for m in messages), messages
    assert any("line 3" in m and "first day in the register is 2023-04-01" in m for m in messages), messages
    assert any("line 4" in m and "still active on 2023-04-01" in m for m in messages), messages
    assert any("line 5" in m and "on" in m for m in messages), messages
    assert not Succession.objects.exists()


def test_council_page_shows_predecessors_and_successors(register, client_for):
    client = client_for("caseworker")

    county = client.get(reverse("councils:council-detail", args=["E10000021"])).content.decode()
    unitary = client.get(reverse("councils:council-detail", args=["E06000066"])).content.decode()

    assert "Successors" in county
    assert "North Northamptonshire Council" in county and "West Northamptonshire Council" in county
    assert "Predecessors" in unitary
    for name in ("Somerset County Council", "Mendip District Council", "Sedgemoor District Council"):
        assert name in unitary


def _decide(council, *, received_on, decided_on, **traits):
    complaint = factories.ComplaintFactory(council=council, received_on=received_on)
    return factories.DecisionFactory(complaint=complaint, decided_on=decided_on, **traits)


def test_somerset_case_across_april_2023_counts_for_the_successor_in_2023_24(register):
    county, unitary = register["E10000027"], register["E06000066"]
    decision = _decide(
        county, received_on=datetime.date(2022, 10, 3), decided_on=datetime.date(2023, 6, 14), upheld=True
    )
    factories.ComplianceOutcomeFactory(decision=decision, recorded_on=datetime.date(2023, 9, 1))
    # Decided before the reorganisation: stays the county's (2022-23).
    _decide(county, received_on=datetime.date(2022, 5, 3), decided_on=datetime.date(2023, 3, 31), upheld=True)

    year = year_statistics(ReviewPeriod.from_label("2023-24"))
    earlier = year_statistics(ReviewPeriod.from_label("2022-23"))

    assert decision.complaint.council == county  # the case keeps the council it was received against
    counts = year.for_council(unitary.pk).counts
    assert (counts.investigations, counts.upheld, counts.compliance_outcomes, counts.complied) == (1, 1, 1, 1)
    assert year.for_council(county.pk) is None  # not active in 2023-24, and counted nowhere else
    assert sum(row.counts.upheld for row in year.councils) == 1
    assert earlier.for_council(county.pk).counts.upheld == 1
    assert earlier.for_council(unitary.pk) is None


def test_a_county_split_between_two_successors_counts_for_the_chosen_one(register):
    county = register["E10000021"]
    decision = _decide(county, received_on=datetime.date(2021, 2, 1), decided_on=datetime.date(2021, 7, 1))

    before = year_statistics(ReviewPeriod.from_label("2021-22"))
    assert sum(row.counts.investigations for row in before.councils) == 0  # no sole successor: a choice is needed

    complaint = decision.complaint
    complaint.received_against, complaint.council = county, register["E06000062"]
    complaint.save()
    after = year_statistics(ReviewPeriod.from_label("2021-22"))

    assert after.for_council(register["E06000062"].pk).counts.investigations == 1
    assert after.for_council(register["E06000061"].pk).counts.investigations == 0
