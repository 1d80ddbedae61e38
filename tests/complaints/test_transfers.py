"""Transferring an abolished council's open cases to its successor (DOMAIN.md "Reorganisation:
cases follow the successor"): the service, the page for one successor and for two, the history
and the link from the council's staff page."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import history
from complaints.models import Complaint, Status
from complaints.selectors import postcode_district
from complaints.services.transfers import cases_transfer
from ombudsman.periods import ReviewPeriod
from reviews.statistics.counts import year_statistics
from tests import factories

pytestmark = pytest.mark.django_db
ON = datetime.date(2023, 4, 1)


def url(council) -> str:
    return reverse("complaints:cases-transfer", args=[council.gss_code])


@pytest.fixture
def merger():
    """Somerset: a county replaced by one unitary council."""
    county = factories.CouncilFactory(
        name="Somerset",
        formal_name="Somerset County Council",
        authority_type="county",
        active_to=ON - datetime.timedelta(days=1),
    )
    unitary = factories.CouncilFactory(
        name="Somerset", formal_name="Somerset Council", authority_type="unitary", active_from=ON
    )
    factories.SuccessionFactory(predecessor=county, successor=unitary, on=ON)
    return county, unitary


@pytest.fixture
def split():
    """Northamptonshire: a county split between two unitary councils."""
    county = factories.CouncilFactory(
        name="Northamptonshire", formal_name="Northamptonshire County Council", authority_type="county",
        active_to=datetime.date(2021, 3, 31),
    )  # fmt: skip
    north, west = (
        factories.CouncilFactory(
            name=name, formal_name=f"{name} Council", authority_type="unitary", active_from=datetime.date(2021, 4, 1)
        )
        for name in ("North Northamptonshire", "West Northamptonshire")
    )
    for successor in (north, west):
        factories.SuccessionFactory(predecessor=county, successor=successor, on=datetime.date(2021, 4, 1))
    return county, north, west


def open_case(council, received_on=datetime.date(2021, 2, 1), **kwargs):
    return factories.ComplaintFactory(council=council, received_on=received_on, status=Status.INVESTIGATION, **kwargs)


def decided_case(council, received_on, decided_on):
    return factories.DecisionFactory(
        complaint=factories.ComplaintFactory(council=council, received_on=received_on, status=Status.DECIDED),
        decided_on=decided_on,
    ).complaint


def test_cases_transfer_moves_open_cases_keeping_the_council_received_against(merger):
    county, unitary = merger
    first, second = open_case(county, datetime.date(2022, 10, 3)), open_case(county, datetime.date(2023, 1, 5))
    decided = decided_case(county, datetime.date(2022, 5, 1), datetime.date(2023, 3, 1))
    elsewhere = open_case(factories.CouncilFactory(), datetime.date(2022, 10, 3))

    moved = cases_transfer(predecessor=county, successor=unitary)

    assert moved == 2
    stored = {c.pk: (c.council_id, c.received_against_id) for c in Complaint.objects.all()}
    assert stored == {
        first.pk: (unitary.pk, county.pk),
        second.pk: (unitary.pk, county.pk),
        decided.pk: (county.pk, None),  # decided before the reorganisation: its figures stay the county's
        elsewhere.pk: (elsewhere.council_id, None),
    }


def test_somerset_case_transferred_then_decided_counts_for_somerset_council(merger):
    county, unitary = merger
    case = open_case(county, datetime.date(2022, 10, 3))
    cases_transfer(predecessor=county, successor=unitary)

    factories.DecisionFactory(
        complaint=Complaint.objects.get(pk=case.pk), decided_on=datetime.date(2023, 6, 14), upheld=True
    )

    year = year_statistics(ReviewPeriod.from_label("2023-24"))
    assert (year.for_council(unitary.pk).counts.upheld, year.for_council(county.pk)) == (1, None)


def test_cases_transfer_refuses_all_at_once_for_a_split_council_and_a_council_not_its_successor(split, merger):
    county, north, _west = split
    open_case(county)

    with pytest.raises(ValidationError) as all_at_once:
        cases_transfer(predecessor=county, successor=north)
    with pytest.raises(ValidationError) as not_successor:
        cases_transfer(predecessor=county, successor=merger[1], complaint_ids=[1])

    assert all_at_once.value.messages == [
        "Northamptonshire County Council was split between 2 councils: choose which of them takes each case"
    ]
    assert not_successor.value.messages == ["Somerset Council is not a successor of Northamptonshire County Council"]
    assert Complaint.objects.get().council == county


def test_cases_transfer_waits_for_the_successors_first_day(merger):
    county, unitary = merger
    open_case(county, datetime.date(2022, 10, 3))

    with (
        time_machine.travel(datetime.datetime(2023, 3, 31, 12, tzinfo=datetime.UTC)),
        pytest.raises(ValidationError) as early,
    ):
        cases_transfer(predecessor=county, successor=unitary)

    assert early.value.messages == ["Somerset County Council's successors take over its open cases from 1 April 2023."]
    assert Complaint.objects.get().council == county


def test_a_transfer_is_in_the_case_history_with_its_reason(client_for, merger, manager):
    county, _unitary = merger
    case = open_case(county, datetime.date(2022, 10, 3))

    response = client_for("manager").post(url(county))

    assert response.status_code == 302
    # The test's one transaction gives every event the same time: find the entry by its title.
    entry = next(entry for entry in history.case_timeline(case) if entry.title != f"Case {case.reference} created")
    assert (entry.title, entry.who) == ("Case transferred", str(manager))
    item = entry.items[0]
    assert item.facts == [
        "Reason: Reorganisation: Somerset County Council was replaced on 1 April 2023; its open case moves to its "
        "successor, Somerset Council"
    ]
    assert [(c.label, c.old, c.new) for c in item.changes] == [
        ("Council", "Somerset County Council", "Somerset Council"),
        ("Received against", "none", "Somerset County Council"),
    ]
    page = client_for("manager").get(reverse("complaints:case-detail", args=[case.pk])).content.decode()
    assert "Received against" in page and "Case transferred" in page


def test_one_successor_page_confirms_how_many_cases_move_then_moves_them(client_for, merger):
    county, unitary = merger
    for day in (3, 4, 5):
        open_case(county, datetime.date(2022, 10, day))
    client = client_for("manager")

    page = client.get(url(county))
    response = client.post(url(county), follow=True)

    text = page.content.decode()
    assert "3 open cases of Somerset County Council will move to Somerset Council." in text
    assert "Transfer 3 cases to Somerset Council" in text
    assert response.redirect_chain == [(reverse("councils:council-detail", args=[county.gss_code]), 302)]
    assert "3 cases transferred to Somerset Council." in response.content.decode()
    assert set(Complaint.objects.values_list("council", flat=True)) == {unitary.pk}
    assert "has no open cases left to transfer" in client.get(url(county)).content.decode()


def test_split_page_lists_cases_to_place_with_postcode_district_and_moves_the_chosen_ones(client_for, split):
    county, north, west = split
    kettering = open_case(county, complainant_address="1 High Street\nKettering\nNN16 8AB")
    towcester = open_case(county, datetime.date(2021, 2, 2), complainant_address="2 Watling Street, Towcester nn12 6bt")
    unknown = open_case(county, datetime.date(2021, 2, 3), complainant_address="")
    client = client_for("manager")

    page = client.get(url(county)).content.decode()
    response = client.post(url(county), {"cases": [kettering.pk], "successor": north.pk}, follow=True)
    again = client.post(url(county), {"cases": [towcester.pk, unknown.pk], "successor": west.pk}, follow=True)

    assert "3 cases still to be placed." in page
    assert [district in page for district in ("NN16", "NN12", "Not known")] == [True, True, True]
    assert (
        "1 case transferred to North Northamptonshire Council. 2 cases of Northamptonshire County Council still to be placed."
        in response.content.decode()
    )
    assert response.redirect_chain == [(url(county), 302)]
    assert again.redirect_chain == [(reverse("councils:council-detail", args=[county.gss_code]), 302)]
    stored = dict(Complaint.objects.values_list("pk", "council"))
    assert stored == {kettering.pk: north.pk, towcester.pk: west.pk, unknown.pk: west.pk}


def test_split_page_without_a_choice_shows_the_error_summary(client_for, split):
    county, _north, _west = split
    case = open_case(county)

    response = client_for("manager").post(url(county), {"cases": [case.pk, 99999999999999999999]})

    text = response.content.decode()
    assert response.status_code == 200
    assert "There is a problem" in text
    assert "Choose the council that takes the cases" in text
    assert Complaint.objects.get().council == county


def test_split_page_is_paginated(client_for, split, django_assert_num_queries):
    county, _north, _west = split
    factories.ComplaintFactory.create_batch(51, council=county, received_on=datetime.date(2021, 2, 1))
    client = client_for("manager")

    first = client.get(url(county)).content.decode()
    second = client.get(url(county) + "?page=2").content.decode()

    assert (first.count('name="cases"'), second.count('name="cases"')) == (50, 1)
    assert "51 cases still to be placed." in second


@pytest.mark.parametrize(("rows", "queries"), [(1, 13), (20, 13)])
def test_split_page_queries_do_not_grow_with_the_rows(client_for, split, django_assert_num_queries, rows, queries):
    county, _north, _west = split
    factories.ComplaintFactory.create_batch(rows, council=county, received_on=datetime.date(2021, 2, 1))
    client = client_for("manager")
    client.get(url(county))

    with django_assert_num_queries(queries):
        assert client.get(url(county)).status_code == 200


@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("caseworker", 403), ("manager", 200), ("council_user", 403), ("superuser", 200)],
)
def test_transfer_page_is_for_managers(client_for, merger, role, expected):
    county, _unitary = merger

    assert client_for(role).get(url(county)).status_code == expected
    assert client_for(role).post(url(county)).status_code == (302 if expected == 200 else expected)


def test_transfer_page_of_a_council_without_successor_is_not_found(client_for, council):
    assert client_for("manager").get(url(council)).status_code == 404


def test_council_page_links_managers_to_the_transfer(client_for, merger, council):
    county, unitary = merger
    manager, caseworker = client_for("manager"), None

    county_page = manager.get(reverse("councils:council-detail", args=[county.gss_code])).content.decode()
    unitary_page = manager.get(reverse("councils:council-detail", args=[unitary.gss_code])).content.decode()
    caseworker = (
        client_for("caseworker").get(reverse("councils:council-detail", args=[county.gss_code])).content.decode()
    )

    assert f'href="{url(county)}"' in county_page
    assert "Transfer open cases to Somerset Council" in county_page
    assert "Reorganisation</h2>" not in unitary_page
    assert url(county) not in caseworker


@pytest.mark.parametrize(
    ("address", "district"),
    [
        ("1 High Street\nKettering\nNN16 8AB", "NN16"),
        ("Flat 2, 10 Road, London sw1a1aa", "SW1A"),
        ("Old NN1 1AA moved to\nTA1 4DY", "TA1"),
        ("No postcode here", ""),
        ("", ""),
    ],
)
def test_postcode_district_is_the_outward_code_of_the_last_postcode(address, district):
    assert postcode_district(address) == district


def test_northamptonshire_county_case_needs_a_choice_of_successor(client_for, register):
    county = register["E10000021"]
    case = open_case(county, complainant_address="Corby NN17 1QG")
    client = client_for("manager")

    page = client.get(url(county)).content.decode()
    refused = client.post(url(county), {"cases": [case.pk]})

    assert "Choose which of North Northamptonshire Council or West Northamptonshire Council takes each open case" in (
        client.get(reverse("councils:council-detail", args=[county.gss_code])).content.decode()
    )
    for name in ("North Northamptonshire Council", "West Northamptonshire Council"):
        assert f">{name}</label>" in page
    assert "NN17" in page
    assert "Choose the council that takes the cases" in refused.content.decode()
    assert Complaint.objects.get().council == county
