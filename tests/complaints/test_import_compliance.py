"""The decisions import and compliance per recommendation (DOMAIN "Compliance per recommendation"):
a file's one compliance outcome per decision still works, applies to every recommendation the
row lists, and is never lost or changed."""

import datetime

import pytest

from complaints.importing import decisions_import
from complaints.models import ComplianceOutcome, Decision, Recommendation, Status
from complaints.services.decisions import recommendation_compliance_record
from tests.complaints.test_import import HEADER, csv_file

pytestmark = pytest.mark.django_db
REMEDIED = "19 000 104,E07000129,2019-05-04,Housing,2019-11-01,upheld,injustice_remedy_recommended"
TWO_REMEDIES = "apology:Apologise:2019-12-01|procedure_change:Review the procedure:2020-10-31"


def outcomes(reference: str) -> list[tuple]:
    return list(
        Recommendation.objects.filter(decision__complaint__reference=reference)
        .order_by("due_on")
        .values_list("type", "compliance_outcome", "compliance_recorded_on")
    )


def test_import_new_case_applies_its_compliance_outcome_to_every_recommendation(council):
    decisions_import(csv_file(f"{REMEDIED},complied_late,2020-11-20,,,{TWO_REMEDIES}"))

    decision = Decision.objects.get(complaint__reference="19 000 104")
    assert outcomes("19 000 104") == [
        ("apology", "complied_late", datetime.date(2020, 11, 20)),
        ("procedure_change", "complied_late", datetime.date(2020, 11, 20)),
    ]
    assert (decision.compliance.outcome, decision.compliance.recorded_on) == (
        "complied_late",
        datetime.date(2020, 11, 20),
    )
    assert decision.complaint.status == Status.CLOSED


def test_import_without_compliance_leaves_the_recommendations_open(council):
    decisions_import(csv_file(f"{REMEDIED},,,,,{TWO_REMEDIES}"))

    assert outcomes("19 000 104") == [("apology", "", None), ("procedure_change", "", None)]


def test_import_compliance_on_a_stored_case_applies_to_the_recommendations_it_keeps(council):
    decisions_import(csv_file(f"{REMEDIED},,,,,{TWO_REMEDIES}"))

    # No recommendations column: the stored recommendations stay, and take the row's outcome.
    decisions_import(csv_file(f"{REMEDIED},not_complied,2020-12-01", header=HEADER))

    assert outcomes("19 000 104") == [
        ("apology", "not_complied", datetime.date(2020, 12, 1)),
        ("procedure_change", "not_complied", datetime.date(2020, 12, 1)),
    ]
    assert ComplianceOutcome.objects.get().outcome == "not_complied"


def test_import_of_the_same_compliance_again_keeps_each_recommendations_own_outcome(council):
    decisions_import(csv_file(f"{REMEDIED},,,,,{TWO_REMEDIES}"))
    apology, procedure = Recommendation.objects.order_by("due_on")
    recommendation_compliance_record(
        recommendation=apology, outcome="complied_on_time", recorded_on=datetime.date(2019, 12, 1)
    )
    recommendation_compliance_record(
        recommendation=procedure, outcome="complied_late", recorded_on=datetime.date(2020, 11, 20)
    )

    decisions_import(csv_file(f"{REMEDIED},complied_late,2020-11-20", header=HEADER))

    assert outcomes("19 000 104") == [
        ("apology", "complied_on_time", datetime.date(2019, 12, 1)),
        ("procedure_change", "complied_late", datetime.date(2020, 11, 20)),
    ]


def test_import_compliance_without_recommendations_keeps_it_as_the_cases_own(council):
    decisions_import(csv_file(f"{REMEDIED},complied_on_time,2020-01-10", header=HEADER))

    compliance = ComplianceOutcome.objects.get()
    assert (compliance.outcome, compliance.recorded_on) == ("complied_on_time", datetime.date(2020, 1, 10))
    assert not Recommendation.objects.exists()
