"""Every casework rule, rejected by the database (constraints and triggers, whatever writes the
row) and by the form (the model's clean(), in words a caseworker understands)."""

import datetime
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from complaints.forms import ComplaintEditForm, ComplianceForm, DecisionRecordForm, RecommendationForm
from complaints.models import Category, Complaint, ComplianceOutcome, Decision, Outcome, Recommendation, UpheldKind
from tests import factories

pytestmark = pytest.mark.django_db


def rejected_by_database(write, message: str) -> None:
    with pytest.raises(IntegrityError, match=message), transaction.atomic():
        write()


def date_data(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


def decision_form(complaint, **data):
    return DecisionRecordForm(
        data={"outcome": "not_upheld", "form": "statement", **data},
        instance=Decision(complaint=complaint, council_id=complaint.council_id),
    )


def recommendation_form(decision, **data):
    return RecommendationForm(
        data={"type": "apology", "remedy_kind": "personal", "description": "Apologise.", **data},
        instance=Recommendation(decision=decision),
    )


def compliance_form(decision, **data):
    return ComplianceForm(
        data={"outcome": "complied_on_time", **data},
        instance=ComplianceOutcome(decision=decision, council_id=decision.council_id),
    )


# Satisfactory remedy (any upheld kind) only on upheld decisions -----------------------------


def test_upheld_kind_on_not_upheld_decision_rejected_by_database():
    complaint = factories.ComplaintFactory()

    rejected_by_database(
        lambda: Decision.objects.create(
            complaint=complaint,
            council=complaint.council,
            decided_on=datetime.date(2019, 9, 1),
            outcome=Outcome.NOT_UPHELD,
            upheld_kind=UpheldKind.SATISFACTORY_REMEDY_BY_COUNCIL,
        ),
        "decision_upheld_kind_only_when_upheld",
    )


def test_upheld_kind_on_not_upheld_decision_rejected_by_clean():
    complaint = factories.ComplaintFactory()
    decision = Decision(
        complaint=complaint,
        council=complaint.council,
        decided_on=datetime.date(2019, 9, 1),
        outcome=Outcome.NOT_UPHELD,
        upheld_kind=UpheldKind.SATISFACTORY_REMEDY_BY_COUNCIL,
    )

    with pytest.raises(Exception) as error:
        decision.full_clean()

    assert error.value.message_dict["upheld_kind"] == [
        "Only an upheld decision can say “The council had already provided a satisfactory remedy”: "
        "this decision is “Not upheld”"
    ]


def test_decision_form_ignores_a_kind_left_under_another_outcome():
    complaint = factories.ComplaintFactory()
    form = decision_form(
        complaint,
        outcome="not_upheld",
        upheld_kind="satisfactory_remedy_by_council",
        **date_data("decided_on", datetime.date(2019, 9, 1)),
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["upheld_kind"] == ""


def test_decision_form_requires_the_kind_of_an_upheld_decision():
    complaint = factories.ComplaintFactory()
    form = decision_form(complaint, outcome="upheld", **date_data("decided_on", datetime.date(2019, 9, 1)))

    assert not form.is_valid()
    assert form.errors["upheld_kind"] == ["Select what kind of upheld decision this is"]


def test_upheld_decision_without_kind_rejected_by_database():
    complaint = factories.ComplaintFactory()

    rejected_by_database(
        lambda: Decision.objects.create(
            complaint=complaint, council=complaint.council, decided_on=datetime.date(2019, 9, 1), outcome=Outcome.UPHELD
        ),
        "decision_upheld_kind_only_when_upheld",
    )


# Decision dates ---------------------------------------------------------------------------


def test_decision_before_received_rejected_by_database():
    complaint = factories.ComplaintFactory(received_on=datetime.date(2019, 5, 1))

    rejected_by_database(
        lambda: Decision.objects.create(
            complaint=complaint, council=complaint.council, decided_on=datetime.date(2019, 4, 30), outcome="not_upheld"
        ),
        r"The decision date cannot be before the date the complaint was received. \(case " + complaint.reference,
    )


def test_decision_before_received_rejected_by_form():
    complaint = factories.ComplaintFactory(received_on=datetime.date(2019, 5, 1))
    form = decision_form(complaint, **date_data("decided_on", datetime.date(2019, 4, 30)))

    assert not form.is_valid()
    assert form.errors["decided_on"] == [
        "The decision date must be the same as or after the date the complaint was received (1 May 2019)"
    ]


def test_decision_in_future_rejected_by_form():
    complaint = factories.ComplaintFactory()
    form = decision_form(complaint, **date_data("decided_on", datetime.date.today() + datetime.timedelta(days=1)))

    assert not form.is_valid()
    assert form.errors["decided_on"] == ["The decision date must be today or in the past"]


def test_received_date_moved_after_decision_rejected_by_database():
    decision = factories.DecisionFactory(decided_on=datetime.date(2019, 9, 1))

    rejected_by_database(
        lambda: Complaint.objects.filter(pk=decision.complaint_id).update(received_on=datetime.date(2019, 9, 2)),
        "The date received cannot be after the decision date.",
    )


def test_second_current_decision_rejected_by_database():
    decision = factories.DecisionFactory()

    rejected_by_database(
        lambda: factories.DecisionFactory(complaint=decision.complaint), "decision_one_current_per_complaint"
    )


def test_decision_about_another_council_rejected_by_database():
    complaint = factories.ComplaintFactory()
    other = factories.CouncilFactory()

    rejected_by_database(
        lambda: Decision.objects.create(
            complaint=complaint, council=other, decided_on=datetime.date(2019, 9, 1), outcome="not_upheld"
        ),
        "A decision must be about the same council as its complaint.",
    )


# Recommendations only on upheld decisions ------------------------------------------------


def test_recommendation_on_not_upheld_decision_rejected_by_database():
    decision = factories.DecisionFactory(outcome=Outcome.NOT_UPHELD)

    rejected_by_database(
        lambda: Recommendation.objects.create(
            decision=decision, type="apology", description="Apologise", due_on=datetime.date(2019, 10, 1)
        ),
        "Recommendations can only be made on upheld decisions.",
    )


def test_recommendation_on_not_upheld_decision_rejected_by_form():
    decision = factories.DecisionFactory(outcome=Outcome.NOT_UPHELD)
    form = recommendation_form(decision, **date_data("due_on", datetime.date(2019, 10, 1)))

    assert not form.is_valid()
    assert form.non_field_errors() == [
        "Recommendations can only be made on upheld decisions; this decision is “Not upheld”."
    ]


def test_bulk_update_of_decision_with_recommendations_rejected_by_database():
    recommendation = factories.RecommendationFactory()

    rejected_by_database(
        lambda: Decision.objects.filter(pk=recommendation.decision_id).update(outcome="not_upheld", upheld_kind=""),
        "This decision has recommendations, so it must stay upheld.",
    )


# Amounts ------------------------------------------------------------------------------------


@pytest.mark.parametrize("amount", [Decimal("0"), Decimal("-10")])
def test_amount_not_positive_rejected_by_database(amount):
    decision = factories.DecisionFactory(upheld=True)

    rejected_by_database(
        lambda: Recommendation.objects.create(
            decision=decision,
            type="financial_redress",
            description="Pay",
            amount=amount,
            due_on=datetime.date(2019, 10, 1),
        ),
        "recommendation_amount_positive_and_financial",
    )


@pytest.mark.parametrize("amount", ["0", "-10", "£0.00"])
def test_amount_not_positive_rejected_by_form(amount):
    decision = factories.DecisionFactory(upheld=True)
    form = recommendation_form(
        decision, type="financial_redress", amount=amount, **date_data("due_on", datetime.date(2019, 10, 1))
    )

    assert not form.is_valid()
    assert form.errors["amount"] == ["The amount must be more than £0"]


def test_amount_on_other_types_rejected_by_database():
    decision = factories.DecisionFactory(upheld=True)

    rejected_by_database(
        lambda: Recommendation.objects.create(
            decision=decision,
            type="apology",
            description="Sorry",
            amount=Decimal("5"),
            due_on=datetime.date(2019, 10, 1),
        ),
        "recommendation_amount_positive_and_financial",
    )


def test_amount_on_other_types_rejected_by_form():
    decision = factories.DecisionFactory(upheld=True)
    form = recommendation_form(decision, amount="5", **date_data("due_on", datetime.date(2019, 10, 1)))

    assert not form.is_valid()
    assert form.errors["amount"] == ["Only financial redress has an amount: leave the amount empty for “Apology”"]


def test_financial_redress_without_amount_rejected_by_form():
    decision = factories.DecisionFactory(upheld=True)
    form = recommendation_form(decision, type="financial_redress", **date_data("due_on", datetime.date(2019, 10, 1)))

    assert not form.is_valid()
    assert form.errors["amount"] == ["Enter the amount of financial redress in pounds, for example 250.00"]


def test_amount_with_pound_sign_and_commas_accepted_by_form():
    decision = factories.DecisionFactory(upheld=True)
    form = recommendation_form(
        decision, type="financial_redress", amount="£1,250.50", **date_data("due_on", datetime.date(2019, 10, 1))
    )

    assert form.is_valid(), form.errors
    assert form.cleaned_data["amount"] == Decimal("1250.50")


# Recommendation due dates ------------------------------------------------------------------


def test_recommendation_due_before_decision_rejected_by_database():
    decision = factories.DecisionFactory(upheld=True, decided_on=datetime.date(2019, 9, 1))

    rejected_by_database(
        lambda: Recommendation.objects.create(
            decision=decision, type="apology", description="Sorry", due_on=datetime.date(2019, 8, 31)
        ),
        "A recommendation cannot be due before the decision date.",
    )


def test_recommendation_due_before_decision_rejected_by_form():
    decision = factories.DecisionFactory(upheld=True, decided_on=datetime.date(2019, 9, 1))
    form = recommendation_form(decision, **date_data("due_on", datetime.date(2019, 8, 31)))

    assert not form.is_valid()
    assert form.errors["due_on"] == ["The due date must be the same as or after the decision date (1 September 2019)"]


# Compliance only on upheld decisions with remedies recommended -----------------------------


@pytest.mark.parametrize(
    "decision_kwargs",
    [{"outcome": "not_upheld"}, {"satisfactory": True}, {"no_injustice": True}],
    ids=["not-upheld", "satisfactory-remedy", "no-injustice"],
)
def test_compliance_without_remedies_rejected_by_database(decision_kwargs):
    decision = factories.DecisionFactory(**decision_kwargs)

    rejected_by_database(
        lambda: ComplianceOutcome.objects.create(
            decision=decision,
            council=decision.council,
            outcome="complied_on_time",
            recorded_on=datetime.date(2019, 11, 1),
        ),
        "Compliance can only be recorded on upheld decisions with remedies recommended.",
    )


def test_compliance_without_remedies_rejected_by_form():
    decision = factories.DecisionFactory(satisfactory=True)
    form = compliance_form(decision, **date_data("recorded_on", datetime.date(2019, 11, 1)))

    assert not form.is_valid()
    assert form.non_field_errors() == [
        "Compliance can only be recorded on upheld decisions with remedies recommended; this decision is "
        "“Upheld” (The council had already provided a satisfactory remedy)."
    ]


def test_compliance_before_decision_rejected_by_database():
    decision = factories.DecisionFactory(upheld=True, decided_on=datetime.date(2019, 9, 1))

    rejected_by_database(
        lambda: ComplianceOutcome.objects.create(
            decision=decision,
            council=decision.council,
            outcome="complied_on_time",
            recorded_on=datetime.date(2019, 8, 1),
        ),
        "Compliance cannot be recorded before the decision date",
    )


def test_compliance_before_decision_rejected_by_form():
    decision = factories.DecisionFactory(upheld=True, decided_on=datetime.date(2019, 9, 1))
    form = compliance_form(decision, **date_data("recorded_on", datetime.date(2019, 8, 1)))

    assert not form.is_valid()
    assert form.errors["recorded_on"] == [
        "The date recorded must be the same as or after the decision date (1 September 2019)"
    ]


def test_second_compliance_outcome_rejected_by_database():
    compliance = factories.ComplianceOutcomeFactory()

    rejected_by_database(
        lambda: ComplianceOutcome.objects.create(
            decision=compliance.decision,
            council=compliance.council,
            outcome="not_complied",
            recorded_on=compliance.recorded_on,
        ),
        "complaints_complianceoutcome_decision_id_key",
    )


def test_change_to_decision_with_compliance_rejected_by_database():
    compliance = factories.ComplianceOutcomeFactory()

    rejected_by_database(
        lambda: Decision.objects.filter(pk=compliance.decision_id).update(upheld_kind="no_significant_injustice"),
        "This decision has a compliance outcome, so it must stay upheld with remedies recommended.",
    )


# Complaint categories ---------------------------------------------------------------------


def test_subcategory_of_another_category_rejected_by_database():
    complaint = factories.ComplaintFactory(category=factories.category("housing"))

    rejected_by_database(
        lambda: Complaint.objects.filter(pk=complaint.pk).update(
            subcategory=Category.objects.get(slug="planning-and-development-enforcement")
        ),
        "The sub-category must belong to the complaint's category.",
    )


def test_subcategory_of_another_category_rejected_by_form():
    complaint = factories.ComplaintFactory(category=factories.category("housing"))
    planning = Category.objects.get(slug="planning-and-development-enforcement")
    data = {
        "council": complaint.council_id,
        "category": complaint.category_id,
        "subcategory": planning.pk,
        "status": "received",
        **date_data("received_on", complaint.received_on),
    }

    form = ComplaintEditForm(data=data, instance=complaint)

    assert not form.is_valid()
    assert form.errors["subcategory"] == [
        "Enforcement is not a sub-category of Housing: choose one of Housing's sub-categories, or none"
    ]


def test_received_in_future_rejected_by_form():
    complaint = factories.ComplaintFactory()
    data = {
        "council": complaint.council_id,
        "category": complaint.category_id,
        "status": "received",
        **date_data("received_on", datetime.date.today() + datetime.timedelta(days=1)),
    }

    form = ComplaintEditForm(data=data, instance=complaint)

    assert not form.is_valid()
    assert form.errors["received_on"] == ["The date received must be today or in the past"]
