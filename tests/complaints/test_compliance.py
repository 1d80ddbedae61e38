"""Compliance per recommendation (DOMAIN "Compliance per recommendation"): each recommendation's
own outcome, the case's derived when the last one is recorded, and the database's rules."""

import datetime
import importlib

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from complaints.models import (
    Complaint,
    ComplianceOutcome,
    ComplianceResult,
    Decision,
    Recommendation,
    RecommendationType,
    Status,
    case_compliance_result,
)
from complaints.services.decisions import (
    compliance_record,
    recommendation_add,
    recommendation_compliance_record,
    recommendation_remove,
)
from tests import factories

pytestmark = pytest.mark.django_db
DECIDED = datetime.date(2019, 9, 1)


def messages(error: ValidationError) -> dict | list:
    return error.message_dict if hasattr(error, "error_dict") else error.messages


def monitored(*due_in_days: int) -> tuple[Decision, list[Recommendation]]:
    """An upheld decision with remedies, in remedy monitoring, with recommendations due after these days."""
    decision = factories.DecisionFactory(upheld=True, decided_on=DECIDED)
    Complaint.objects.filter(pk=decision.complaint_id).update(status=Status.REMEDY_MONITORING)
    recommendations = [
        factories.RecommendationFactory(decision=decision, due_on=DECIDED + datetime.timedelta(days=days))
        for days in due_in_days
    ]
    return decision, recommendations


@pytest.mark.parametrize(
    ("results", "expected"),
    [
        (["complied_on_time"], "complied_on_time"),
        (["complied_on_time", "complied_on_time"], "complied_on_time"),
        (["complied_on_time", "complied_late"], "complied_late"),
        (["complied_late", "not_complied", "complied_on_time"], "not_complied"),
        (["not_complied", "complied_on_time"], "not_complied"),
    ],
)
def test_case_compliance_result_follows_the_domain_rule(results, expected):
    assert case_compliance_result(results) == expected


def test_recommendation_compliance_record_leaves_a_case_with_an_open_recommendation_in_monitoring(caseworker):
    decision, (apology, _procedure) = monitored(30, 365)

    compliance = recommendation_compliance_record(
        recommendation=apology,
        outcome=ComplianceResult.COMPLIED_ON_TIME,
        recorded_on=datetime.date(2019, 10, 1),
        evidence_note="Letter of apology seen.",
        by=caseworker,
    )

    apology.refresh_from_db()
    decision.complaint.refresh_from_db()
    assert compliance is None
    assert (apology.compliance_outcome, apology.compliance_recorded_on, apology.evidence_note) == (
        "complied_on_time",
        datetime.date(2019, 10, 1),
        "Letter of apology seen.",
    )
    assert decision.complaint.status == Status.REMEDY_MONITORING
    assert not ComplianceOutcome.objects.filter(decision=decision).exists()


def test_recommendation_compliance_record_derives_the_case_outcome_from_the_last(caseworker):
    decision, (apology, procedure) = monitored(30, 365)
    recommendation_compliance_record(
        recommendation=apology, outcome="complied_on_time", recorded_on=datetime.date(2019, 10, 1), by=caseworker
    )

    compliance = recommendation_compliance_record(
        recommendation=procedure, outcome="complied_late", recorded_on=datetime.date(2020, 10, 2), by=caseworker
    )

    decision.complaint.refresh_from_db()
    assert (compliance.outcome, compliance.recorded_on, compliance.recorded_by, compliance.council_id) == (
        "complied_late",
        datetime.date(2020, 10, 2),
        caseworker,
        decision.council_id,
    )
    assert decision.complaint.status == Status.CLOSED


def test_recommendation_compliance_record_not_complied_wins():
    _decision, (first, second) = monitored(30, 40)
    recommendation_compliance_record(
        recommendation=first, outcome="not_complied", recorded_on=datetime.date(2019, 11, 1)
    )

    compliance = recommendation_compliance_record(
        recommendation=second, outcome="complied_on_time", recorded_on=datetime.date(2019, 10, 20)
    )

    assert (compliance.outcome, compliance.recorded_on) == ("not_complied", datetime.date(2019, 11, 1))


def test_recommendation_compliance_record_only_once():
    _decision, (apology, _procedure) = monitored(30, 365)
    recommendation_compliance_record(
        recommendation=apology, outcome="complied_on_time", recorded_on=datetime.date(2019, 10, 1)
    )

    with pytest.raises(ValidationError) as error:
        recommendation_compliance_record(
            recommendation=apology, outcome="not_complied", recorded_on=datetime.date(2019, 10, 2)
        )

    assert messages(error.value) == [
        "The compliance outcome of this recommendation has been recorded (complied on time on 1 October 2019)."
    ]


@pytest.mark.parametrize(
    ("recorded_on", "message"),
    [
        (
            datetime.date(2019, 8, 31),
            "The date recorded must be the same as or after the decision date (1 September 2019)",
        ),
        (datetime.date(2999, 1, 1), "The date recorded must be today or in the past"),
    ],
)
def test_recommendation_compliance_record_checks_the_date(recorded_on, message):
    _decision, (apology,) = monitored(30)

    with pytest.raises(ValidationError) as error:
        recommendation_compliance_record(recommendation=apology, outcome="complied_on_time", recorded_on=recorded_on)

    assert messages(error.value) == {"compliance_recorded_on": [message]}


def test_compliance_record_applies_to_the_open_recommendations_and_derives():
    decision, (apology, procedure) = monitored(30, 365)
    recommendation_compliance_record(
        recommendation=apology, outcome="complied_late", recorded_on=datetime.date(2019, 11, 1)
    )

    compliance = compliance_record(
        decision=decision, outcome="complied_on_time", recorded_on=datetime.date(2020, 9, 1), note="All done."
    )

    procedure.refresh_from_db()
    apology.refresh_from_db()
    assert (procedure.compliance_outcome, procedure.evidence_note) == ("complied_on_time", "All done.")
    assert apology.compliance_outcome == "complied_late"
    assert (compliance.outcome, compliance.recorded_on, compliance.note) == (
        "complied_late",
        datetime.date(2020, 9, 1),
        "All done.",
    )


def test_compliance_record_refuses_when_every_recommendation_has_an_outcome_but_the_case_has_none():
    decision, (apology,) = monitored(30)
    Recommendation.objects.filter(pk=apology.pk).update(
        compliance_outcome="complied_on_time", compliance_recorded_on=datetime.date(2019, 10, 1)
    )

    with pytest.raises(ValidationError) as error:
        compliance_record(decision=decision, outcome="complied_on_time", recorded_on=datetime.date(2019, 12, 1))

    assert messages(error.value) == ["Every recommendation on this decision already has a compliance outcome."]


def test_recommendation_remove_of_the_last_open_one_derives_the_case_outcome():
    decision, (apology, training) = monitored(30, 90)
    recommendation_compliance_record(
        recommendation=apology, outcome="complied_on_time", recorded_on=datetime.date(2019, 10, 1)
    )

    recommendation_remove(recommendation=training)

    decision.complaint.refresh_from_db()
    assert decision.compliance.outcome == "complied_on_time"
    assert decision.complaint.status == Status.CLOSED


def test_recommendation_add_after_one_is_resolved_keeps_the_case_open():
    decision, (apology,) = monitored(30)

    recommendation_add(
        decision=decision,
        type=RecommendationType.STAFF_TRAINING,
        description="Train staff.",
        due_on=datetime.date(2020, 3, 1),
    )
    compliance = recommendation_compliance_record(
        recommendation=apology, outcome="complied_on_time", recorded_on=datetime.date(2019, 10, 1)
    )

    assert compliance is None


@pytest.mark.parametrize(
    "values",
    [
        {"compliance_outcome": "mostly"},
        {"compliance_outcome": "complied_on_time"},
        {"compliance_recorded_on": datetime.date(2019, 10, 1)},
        {"evidence_note": "Seen."},
        {"compliance_outcome": "complied_on_time", "compliance_recorded_on": datetime.date(2019, 8, 1)},
    ],
)
def test_recommendation_compliance_database_rules(values):
    _decision, (apology,) = monitored(30)

    with pytest.raises(IntegrityError), transaction.atomic():
        Recommendation.objects.filter(pk=apology.pk).update(**values)


def test_migration_copies_each_decisions_compliance_onto_its_recommendations():
    migration = importlib.import_module("complaints.migrations.0013_recommendation_compliance")
    compliance = factories.ComplianceOutcomeFactory(outcome="complied_late", recorded_on=datetime.date(2019, 12, 2))
    first, second = factories.RecommendationFactory.create_batch(2, decision=compliance.decision)
    _decision, (open_one,) = monitored(30)

    with connection.cursor() as cursor:
        cursor.execute(migration.COPY_DECISION_COMPLIANCE)

    assert sorted(Recommendation.objects.values_list("pk", "compliance_outcome", "compliance_recorded_on")) == sorted(
        [
            (first.pk, "complied_late", datetime.date(2019, 12, 2)),
            (second.pk, "complied_late", datetime.date(2019, 12, 2)),
            (open_one.pk, "", None),
        ]
    )
    assert ComplianceOutcome.objects.get() == compliance
