"""The decisions import across a reorganisation (DOMAIN.md "Reorganisation: cases follow the
successor"): a row about a successor, received before its first day against a predecessor."""

import datetime

import pytest

from complaints.importing import decisions_import
from complaints.models import Complaint
from ombudsman.csvio import ImportFailed
from ombudsman.periods import ReviewPeriod
from reviews.statistics.counts import year_statistics
from tests import factories

HEADER = "reference,council_gss_code,received_on,category,decided_on,outcome,upheld_kind,compliance_outcome,compliance_recorded_on"
WITH_AGAINST = HEADER + ",received_against_gss_code"
SOMERSET_COUNTY, SOMERSET = "E10000027", "E06000066"
NORTHAMPTONSHIRE, NORTH_NORTHANTS, WEST_NORTHANTS = "E10000021", "E06000061", "E06000062"


def csv_file(*rows: str, header: str = WITH_AGAINST) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode()


def errors_of(data: bytes) -> list[str]:
    with pytest.raises(ImportFailed) as failure:
        decisions_import(data)
    return [str(error) for error in failure.value.errors]


@pytest.fixture
def merger(db):
    """A district abolished on 31 March 2020 whose only successor began on 1 April 2020, and a
    council that is not part of it."""
    old = factories.CouncilFactory(name="Oldham Vale", gss_code="E07000901", active_to=datetime.date(2020, 3, 31))
    new = factories.CouncilFactory(
        name="Newshire", gss_code="E06000901", authority_type="unitary", active_from=datetime.date(2020, 4, 1)
    )
    factories.SuccessionFactory(predecessor=old, successor=new, on=datetime.date(2020, 4, 1))
    unrelated = factories.CouncilFactory(name="Elsewhere", gss_code="E07000902")
    return old, new, unrelated


def test_import_somerset_case_received_against_the_county_counts_for_somerset_council_in_2023_24(register):
    data = csv_file(
        f"22 000 001,{SOMERSET},2022-10-03,Housing,2023-06-14,upheld,no_significant_injustice,,,{SOMERSET_COUNTY}"
    )

    report = decisions_import(data)
    again = decisions_import(data)

    complaint = Complaint.objects.select_related("council", "received_against").get()
    assert (complaint.council.gss_code, complaint.received_against.gss_code) == (SOMERSET, SOMERSET_COUNTY)
    assert (str(report), report.warnings, str(again)) == (
        "1 created, 0 updated, 0 unchanged",
        [],
        "0 created, 0 updated, 1 unchanged",
    )
    year = year_statistics(ReviewPeriod.from_label("2023-24"))
    assert (year.for_council(register[SOMERSET].pk).counts.upheld, year.for_council(register[SOMERSET_COUNTY].pk)) == (
        1,
        None,
    )
    assert sum(row.counts.upheld for row in year.councils) == 1
    earlier = year_statistics(ReviewPeriod.from_label("2022-23"))
    assert sum(row.counts.upheld for row in earlier.councils) == 0


def test_import_somerset_row_without_received_against_names_the_five_councils_it_succeeded(register):
    errors = errors_of(csv_file(f"22 000 001,{SOMERSET},2022-10-03,Housing,2023-06-14,not_upheld,,,", header=HEADER))

    assert errors == [
        "line 2, received_against_gss_code: Somerset (E06000066) did not exist until 2023-04-01 (received_on is "
        "2022-10-03); it succeeded 5 councils active then: give the one the complaint was received against "
        "(Mendip (E07000187), Sedgemoor (E07000188), South Somerset (E07000189), Somerset West and Taunton "
        "(E07000246), Somerset (E10000027))"
    ]


def test_import_northamptonshire_county_case_needs_a_choice_of_successor(register):
    errors = errors_of(
        csv_file(
            f"21 000 001,{NORTHAMPTONSHIRE},2021-02-01,Housing,2021-07-01,not_upheld,,,,",
            f"21 000 002,{NORTH_NORTHANTS},2021-02-01,Housing,2021-07-01,not_upheld,,,,",
        )
    )
    decisions_import(
        csv_file(f"21 000 003,{WEST_NORTHANTS},2021-02-01,Housing,2021-07-01,not_upheld,,,,{NORTHAMPTONSHIRE}")
    )

    assert errors == [
        "line 2, council_gss_code: 2021-07-01 is after Northamptonshire (E10000021) was abolished on 2021-03-31 "
        "and split between North Northamptonshire (E06000061), West Northamptonshire (E06000062): give the one "
        "that took the case as council_gss_code and E10000021 as received_against_gss_code",
        "line 3, received_against_gss_code: North Northamptonshire (E06000061) did not exist until 2021-04-01 "
        "(received_on is 2021-02-01); it succeeded 5 councils active then: give the one the complaint was received "
        "against (Corby (E07000150), East Northamptonshire (E07000152), Kettering (E07000153), Wellingborough "
        "(E07000156), Northamptonshire (E10000021))",
    ]
    complaint = Complaint.objects.select_related("council", "received_against").get()
    assert (complaint.council.gss_code, complaint.received_against.gss_code) == (WEST_NORTHANTS, NORTHAMPTONSHIRE)
    year = year_statistics(ReviewPeriod.from_label("2021-22"))
    assert year.for_council(register[WEST_NORTHANTS].pk).counts.investigations == 1
    assert year.for_council(register[NORTH_NORTHANTS].pk).counts.investigations == 0


def test_import_infers_the_predecessor_when_only_one_was_active_then(merger):
    old, new, _unrelated = merger

    report = decisions_import(
        csv_file(
            f"20 000 001,{new.gss_code},2020-03-02,Housing,2020-06-01,not_upheld,,,",
            f"20 000 002,{new.gss_code},2020-04-02,Housing,2020-06-01,not_upheld,,,",
            header=HEADER,
        )
    )

    assert str(report) == "2 created, 0 updated, 0 unchanged"
    stored = dict(Complaint.objects.values_list("reference", "received_against__gss_code"))
    assert stored == {"20 000 001": old.gss_code, "20 000 002": None}


def test_import_received_against_must_be_a_predecessor_active_then_and_decided_after_the_successor_began(merger):
    old, new, unrelated = merger

    errors = errors_of(
        csv_file(
            f"20 000 001,{new.gss_code},2020-03-02,Housing,2020-06-01,not_upheld,,,,{unrelated.gss_code}",
            f"20 000 002,{new.gss_code},2020-04-02,Housing,2020-06-01,not_upheld,,,,{old.gss_code}",
            f"20 000 003,{new.gss_code},2020-03-02,Housing,2020-03-20,not_upheld,,,,{old.gss_code}",
            f"20 000 004,{new.gss_code},2020-03-02,Housing,2020-06-01,not_upheld,,,,E07999999",
            f"20 000 005,{unrelated.gss_code},2020-03-02,Housing,2020-06-01,not_upheld,,,,{unrelated.gss_code}",
        )
    )

    assert errors == [
        "line 2, received_against_gss_code: Elsewhere (E07000902) is not a predecessor of Newshire (E06000901) "
        "(its predecessors: Oldham Vale (E07000901))",
        "line 3, received_against_gss_code: Oldham Vale (E07000901) was abolished on 2020-03-31 (received_on is "
        "2020-04-02)",
        "line 4, decided_on: 2020-03-20 is before Newshire (E06000901) existed (from 2020-04-01): a case decided "
        "then is Oldham Vale (E07000901)'s; give E07000901 as council_gss_code",
        "line 5, received_against_gss_code: 'E07999999' is not a council in the register",
    ]


def test_import_decision_after_abolition_warns_that_it_counts_for_the_successor(merger):
    old, new, _unrelated = merger

    report = decisions_import(
        csv_file(f"20 000 001,{old.gss_code},2020-03-02,Housing,2020-06-01,not_upheld,,,", header=HEADER)
    )

    assert [str(warning) for warning in report.warnings] == [
        "line 2, decided_on: 2020-06-01 is after Oldham Vale (E07000901) was abolished on 2020-03-31; it counts "
        "for its successor, Newshire (E06000901)"
    ]
    complaint = Complaint.objects.get()
    assert (complaint.council, complaint.received_against) == (old, None)
    year = year_statistics(ReviewPeriod.from_label("2020-21"))
    assert year.for_council(new.pk).counts.investigations == 1


def test_reimport_records_the_council_received_against_when_it_changes(merger):
    old, new, _unrelated = merger
    decisions_import(csv_file(f"20 000 001,{old.gss_code},2020-03-02,Housing,2020-06-01,not_upheld,,,,"))

    report = decisions_import(
        csv_file(f"20 000 001,{new.gss_code},2020-03-02,Housing,2020-06-01,not_upheld,,,,{old.gss_code}")
    )

    assert str(report) == "0 created, 1 updated, 0 unchanged"
    complaint = Complaint.objects.get()
    assert (complaint.council, complaint.received_against) == (new, old)
    assert complaint.decisions.get().council == new
