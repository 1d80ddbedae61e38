"""complaints.bulk: the COPY writer under the import and the demo data generator, and the bulk delete."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from complaints.bulk import NewCase, NewRecommendation, cases_delete, cases_insert, copy_value, ids_take
from complaints.models import Complaint, ComplianceOutcome, Decision, Recommendation, Status
from tests import factories


def test_copy_value_escapes_text_and_spells_null_and_booleans():
    assert [
        copy_value(v) for v in ("a\tb\nc\\d\re", None, True, False, 3, Decimal("2.50"), datetime.date(2019, 5, 1))
    ] == [
        "a\\tb\\nc\\\\d\\re",
        "\\N",
        "t",
        "f",
        "3",
        "2.50",
        "2019-05-01",
    ]


@pytest.mark.django_db
def test_cases_insert_writes_whole_cases_with_awkward_text(council):
    category = factories.category("housing")
    awkward = "Line one\nline two\twith a tab, a backslash \\ and a 'quote'"
    cases = [
        NewCase(reference="19 000 001", council_id=council.pk, received_on=datetime.date(2019, 5, 1), category_id=category.pk,
                complainant_name="Ms X", summary=awkward),
        NewCase(reference="19 000 002", council_id=council.pk, received_on=datetime.date(2019, 5, 2), category_id=category.pk,
                decided_on=datetime.date(2019, 9, 1), outcome="upheld", upheld_kind="injustice_remedy_recommended",
                decision_summary=awkward, status=Status.CLOSED,
                recommendations=[NewRecommendation(type="financial_redress", description="Pay", due_on=datetime.date(2019, 10, 1),
                                                   amount=Decimal("150"))],
                compliance_outcome="complied_on_time", compliance_recorded_on=datetime.date(2019, 10, 2)),
    ]  # fmt: skip

    with transaction.atomic():
        result = cases_insert(cases)

    assert (result.complaints, result.decisions, result.recommendations, result.compliance_outcomes) == (2, 1, 1, 1)
    assert Complaint.objects.get(reference="19 000 001").summary == awkward
    decision = Decision.objects.get()
    assert (decision.summary, decision.council_id, decision.complaint.reference) == (awkward, council.pk, "19 000 002")
    assert (decision.recommendations.get().amount, decision.compliance.outcome) == (
        Decimal("150.00"),
        "complied_on_time",
    )
    assert Complaint.objects.get(reference="19 000 002").pk == Complaint.objects.get(reference="19 000 001").pk + 1


@pytest.mark.django_db
def test_cases_insert_is_checked_by_the_database(council):
    category = factories.category("housing")
    case = NewCase(reference="19 000 001", council_id=council.pk, received_on=datetime.date(2019, 5, 1),
                   category_id=category.pk, decided_on=datetime.date(2019, 9, 1), outcome="not_upheld",
                   upheld_kind="injustice_remedy_recommended")  # fmt: skip

    with pytest.raises(IntegrityError), transaction.atomic():
        cases_insert([case])

    assert Complaint.objects.count() == 0


@pytest.mark.django_db
def test_ids_take_reserves_a_block_the_next_insert_does_not_reuse(council):
    block = ids_take(Complaint, 3)
    complaint = factories.ComplaintFactory(council=council)

    assert (len(block), complaint.pk > block[-1]) == (3, True)


@pytest.mark.django_db
def test_cases_delete_removes_whole_cases_and_only_those(council):
    recommendation = factories.RecommendationFactory(decision__complaint__council=council)
    decision = recommendation.decision
    factories.ComplianceOutcomeFactory(decision=decision)
    kept = factories.DecisionFactory(complaint__council=council)

    deleted = cases_delete(Complaint.objects.filter(pk=decision.complaint_id))

    assert deleted == 1
    assert list(Complaint.objects.values_list("pk", flat=True)) == [kept.complaint_id]
    assert list(Decision.objects.values_list("pk", flat=True)) == [kept.pk]
    assert (Recommendation.objects.count(), ComplianceOutcome.objects.count()) == (0, 0)
