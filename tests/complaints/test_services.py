"""Casework services: each write, its state rules and the status it moves the case to."""

import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from complaints.models import Category, Complaint, Decision, ExportLog, Recommendation, Status
from complaints.services.cases import complaint_assign, complaint_close, complaint_create, complaint_update, export_log
from complaints.services.categories import category_create, category_update
from complaints.services.decisions import (
    compliance_record,
    decision_record,
    recommendation_add,
    recommendation_remove,
    recommendation_update,
)
from tests import factories

pytestmark = pytest.mark.django_db


def messages(error: ValidationError) -> dict | list:
    return error.message_dict if hasattr(error, "error_dict") else error.messages


def upheld_with_remedies(**kwargs) -> Decision:
    decision = factories.DecisionFactory(upheld=True, **kwargs)
    Complaint.objects.filter(pk=decision.complaint_id).update(status=Status.REMEDY_MONITORING)
    return decision


def test_complaint_create_gives_a_reference_from_the_received_year(council, caseworker):
    complaint = complaint_create(
        council=council,
        received_on=datetime.date(2021, 6, 3),
        category=factories.category("housing"),
        subcategory=factories.category("housing-homelessness"),
        complainant_name="Ada Lovelace",
        assigned_to=caseworker,
        by=caseworker,
    )

    assert complaint.reference.startswith("21 ")
    assert complaint.status == Status.RECEIVED
    assert complaint.created_by == caseworker
    assert complaint.assigned_to == caseworker


def test_complaint_create_rejects_a_council_that_did_not_exist_yet(caseworker):
    council = factories.CouncilFactory(
        authority_type="unitary", name="Somerset", formal_name="Somerset Council", active_from=datetime.date(2023, 4, 1)
    )

    with pytest.raises(ValidationError) as error:
        complaint_create(
            council=council, received_on=datetime.date(2022, 6, 1), category=factories.category(), by=caseworker
        )

    assert messages(error.value) == {
        "council": [
            "Somerset Council did not exist on 1 June 2022: it existed from 1 April 2023. "
            "Choose the council that was responsible on the date received"
        ]
    }


def test_complaint_create_rejects_a_retired_category(council):
    category = factories.category("housing")
    Category.objects.filter(pk=category.pk).update(is_active=False)
    category.refresh_from_db()

    with pytest.raises(ValidationError) as error:
        complaint_create(council=council, received_on=datetime.date(2021, 6, 3), category=category)

    assert messages(error.value) == {"category": ["This category is no longer used for new complaints: choose another"]}


def test_complaint_create_rejects_an_assignee_who_is_not_staff(council, council_user):
    with pytest.raises(ValidationError) as error:
        complaint_create(
            council=council,
            received_on=datetime.date(2021, 6, 3),
            category=factories.category(),
            assigned_to=council_user,
        )

    assert messages(error.value) == {
        "assigned_to": [f"{council_user} is not a caseworker, so cannot be assigned cases"]
    }


def test_complaint_update_sets_stage_before_a_decision():
    complaint = factories.ComplaintFactory()

    complaint_update(complaint=complaint, status=Status.INVESTIGATION, summary="New summary")

    complaint.refresh_from_db()
    assert (complaint.status, complaint.summary) == (Status.INVESTIGATION, "New summary")


def test_complaint_update_refuses_stage_after_a_decision():
    decision = factories.DecisionFactory()

    with pytest.raises(ValidationError) as error:
        complaint_update(complaint=decision.complaint, status=Status.ASSESSMENT)

    assert messages(error.value) == {
        "status": ["The status of a decided case follows its decision: record a decision or compliance instead"]
    }


def test_complaint_update_refuses_received_after_the_decision():
    decision = factories.DecisionFactory(decided_on=datetime.date(2019, 9, 1))

    with pytest.raises(ValidationError) as error:
        complaint_update(complaint=decision.complaint, received_on=datetime.date(2019, 9, 2))

    assert messages(error.value) == {
        "received_on": ["The date received must be the same as or before the decision date (1 September 2019)"]
    }


def test_complaint_update_moving_council_carries_the_decision_over(other_council):
    decision = factories.DecisionFactory()

    complaint_update(complaint=decision.complaint, council=other_council)

    decision.refresh_from_db()
    assert decision.council == other_council


def test_complaint_assign_and_unassign(caseworker):
    complaint = factories.ComplaintFactory()

    complaint_assign(complaint=complaint, assigned_to=caseworker)
    assigned = Complaint.objects.get(pk=complaint.pk).assigned_to
    complaint_assign(complaint=complaint, assigned_to=None)

    assert assigned == caseworker
    assert Complaint.objects.get(pk=complaint.pk).assigned_to is None


@pytest.mark.parametrize(
    ("outcome", "kind", "status"),
    [
        ("not_upheld", "", Status.DECIDED),
        ("referred_back", "", Status.DECIDED),
        ("upheld", "satisfactory_remedy_by_council", Status.DECIDED),
        ("upheld", "no_significant_injustice", Status.DECIDED),
        ("upheld", "injustice_remedy_recommended", Status.REMEDY_MONITORING),
    ],
)
def test_decision_record_sets_council_and_status(caseworker, outcome, kind, status):
    complaint = factories.ComplaintFactory(status=Status.INVESTIGATION)

    decision = decision_record(
        complaint=complaint, decided_on=datetime.date(2019, 9, 1), outcome=outcome, upheld_kind=kind, by=caseworker
    )

    complaint.refresh_from_db()
    assert decision.council_id == complaint.council_id
    assert decision.decided_by == caseworker
    assert complaint.status == status


def test_decision_record_replaces_a_decision_without_remedies():
    first = factories.DecisionFactory(outcome="not_upheld")

    second = decision_record(
        complaint=first.complaint,
        decided_on=datetime.date(2019, 10, 1),
        outcome="upheld",
        upheld_kind="no_significant_injustice",
    )

    first.refresh_from_db()
    assert first.is_current is False
    assert second.is_current is True
    assert Decision.objects.filter(complaint=first.complaint, is_current=True).get() == second


def test_decision_record_refuses_to_replace_a_decision_with_recommendations():
    recommendation = factories.RecommendationFactory()

    with pytest.raises(ValidationError) as error:
        decision_record(
            complaint=recommendation.decision.complaint, decided_on=datetime.date(2019, 10, 1), outcome="not_upheld"
        )

    assert messages(error.value) == [
        "This case's decision cannot be replaced because it has recommendations. "
        "Remove the recommendations first if the decision was recorded in error."
    ]
    assert Decision.objects.get(pk=recommendation.decision_id).is_current is True


def test_decision_record_refuses_to_replace_a_decision_with_compliance():
    compliance = factories.ComplianceOutcomeFactory()

    with pytest.raises(ValidationError) as error:
        decision_record(
            complaint=compliance.decision.complaint, decided_on=datetime.date(2019, 10, 1), outcome="not_upheld"
        )

    assert "a compliance outcome has been recorded" in messages(error.value)[0]


def test_decision_record_rejects_satisfactory_remedy_on_a_decision_not_upheld():
    complaint = factories.ComplaintFactory()

    with pytest.raises(ValidationError) as error:
        decision_record(
            complaint=complaint,
            decided_on=datetime.date(2019, 9, 1),
            outcome="not_upheld",
            upheld_kind="satisfactory_remedy_by_council",
        )

    assert messages(error.value) == {
        "upheld_kind": [
            "Only an upheld decision can say “The council had already provided a satisfactory remedy”: "
            "this decision is “Not upheld”"
        ]
    }
    assert not Decision.objects.filter(complaint=complaint).exists()


def test_decision_record_rejects_a_date_before_received():
    complaint = factories.ComplaintFactory(received_on=datetime.date(2019, 5, 1))

    with pytest.raises(ValidationError) as error:
        decision_record(complaint=complaint, decided_on=datetime.date(2019, 4, 1), outcome="not_upheld")

    assert messages(error.value) == {
        "decided_on": [
            "The decision date must be the same as or after the date the complaint was received (1 May 2019)"
        ]
    }


def test_recommendation_add_update_remove():
    decision = upheld_with_remedies()

    recommendation = recommendation_add(
        decision=decision,
        type="financial_redress",
        description="Pay £250",
        amount=Decimal("250"),
        due_on=datetime.date(2019, 10, 1),
    )
    recommendation_update(recommendation=recommendation, amount=Decimal("300"))
    updated = Recommendation.objects.get(pk=recommendation.pk).amount
    recommendation_remove(recommendation=recommendation)

    assert updated == Decimal("300")
    assert not Recommendation.objects.filter(pk=recommendation.pk).exists()


@pytest.mark.parametrize(
    ("decision_kwargs", "message"),
    [
        (
            {"outcome": "not_upheld"},
            "Recommendations can only be made on upheld decisions; this decision is “Not upheld”.",
        ),
        (
            {"satisfactory": True},
            "Recommendations can only be made when the decision found fault causing injustice (remedies recommended); "
            "this decision is “The council had already provided a satisfactory remedy”.",
        ),
    ],
)
def test_recommendation_add_refused_without_remedies(decision_kwargs, message):
    decision = factories.DecisionFactory(**decision_kwargs)

    with pytest.raises(ValidationError) as error:
        recommendation_add(decision=decision, type="apology", description="Sorry", due_on=datetime.date(2019, 10, 1))

    assert messages(error.value) == [message]


def test_recommendations_frozen_once_compliance_recorded():
    compliance = factories.ComplianceOutcomeFactory()
    recommendation = factories.RecommendationFactory(decision=compliance.decision)

    with pytest.raises(ValidationError) as error:
        recommendation_remove(recommendation=recommendation)

    assert messages(error.value) == [
        "Compliance has been recorded for this decision, so its recommendations can no longer be changed."
    ]


def test_compliance_record_closes_the_case(caseworker):
    decision = upheld_with_remedies()
    factories.RecommendationFactory(decision=decision)

    compliance = compliance_record(
        decision=decision, outcome="complied_late", recorded_on=datetime.date(2019, 12, 1), by=caseworker
    )

    decision.complaint.refresh_from_db()
    assert compliance.council_id == decision.complaint.council_id
    assert compliance.recorded_by == caseworker
    assert decision.complaint.status == Status.CLOSED


def test_compliance_record_needs_recommendations():
    decision = upheld_with_remedies()

    with pytest.raises(ValidationError) as error:
        compliance_record(decision=decision, outcome="complied_on_time", recorded_on=datetime.date(2019, 12, 1))

    assert messages(error.value) == ["Add the recommendations the council must carry out before recording compliance."]


def test_compliance_record_only_once():
    compliance = factories.ComplianceOutcomeFactory()
    factories.RecommendationFactory(decision=compliance.decision)

    with pytest.raises(ValidationError) as error:
        compliance_record(decision=compliance.decision, outcome="not_complied", recorded_on=datetime.date(2019, 12, 1))

    assert messages(error.value) == [
        f"Compliance has already been recorded for this decision ({compliance.decision.compliance})."
    ]


def test_compliance_record_rejects_decision_without_remedies():
    decision = factories.DecisionFactory(no_injustice=True)

    with pytest.raises(ValidationError) as error:
        compliance_record(decision=decision, outcome="complied_on_time", recorded_on=datetime.date(2019, 12, 1))

    assert messages(error.value) == [
        "Compliance can only be recorded on upheld decisions with remedies recommended; this decision is "
        "“Upheld” (Fault without significant injustice)."
    ]


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (Status.INVESTIGATION, "Only a decided case can be closed: record the decision first"),
        (Status.REMEDY_MONITORING, "This case is monitoring remedies: record the compliance outcome, which closes it"),
        (Status.CLOSED, "This case is already closed"),
    ],
)
def test_complaint_close_only_from_decided(status, message):
    complaint = factories.ComplaintFactory(status=status)

    with pytest.raises(ValidationError) as error:
        complaint_close(complaint=complaint)

    assert messages(error.value) == [message]


def test_complaint_close_from_decided():
    decision = factories.DecisionFactory()
    Complaint.objects.filter(pk=decision.complaint_id).update(status=Status.DECIDED)

    complaint_close(complaint=decision.complaint)

    assert Complaint.objects.get(pk=decision.complaint_id).status == Status.CLOSED


def test_category_create_and_update():
    housing = factories.category("housing")

    sub = category_create(name="Shared ownership", parent=housing)
    category_update(category=sub, name="Shared ownership schemes", position=0, is_active=False)

    sub.refresh_from_db()
    assert (sub.slug, sub.name, sub.is_active, sub.parent) == (
        "housing-shared-ownership",
        "Shared ownership schemes",
        False,
        housing,
    )


def test_category_names_unique_within_parent_ignoring_case():
    housing = factories.category("housing")

    with pytest.raises(ValidationError) as error:
        category_create(name="homelessness", parent=housing)

    assert messages(error.value) == {"name": ["There is already a category called homelessness in Housing"]}


def test_export_log(manager):
    log = export_log(user=manager, query="status=closed", row_count=3)

    assert ExportLog.objects.get() == log
