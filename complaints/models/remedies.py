"""Recommended remedies and compliance with them.

Rules kept by the database as well as by forms and services:
- recommendations belong only to upheld decisions, are due no earlier than the decision, and
  only financial redress carries an amount, which is positive;
- each recommendation may have its own compliance outcome (with the date recorded, never
  before the decision, and an optional note of the evidence);
- a compliance outcome belongs only to an upheld decision with remedies recommended, at most
  one per decision, recorded no earlier than the decision. It is the case's outcome, the one
  the statistics count: derived from the recommendations' outcomes when the last one is
  recorded, or given whole by an import (which then applies it to every recommendation).
`ComplianceOutcome.council` is a copy of the complaint's council, like `Decision.council`.
"""

from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q

from complaints.models.decisions import Decision
from complaints.models.rules import STATEMENT, long_date, not_in_future, statement_checks
from councils.models import Council
from ombudsman.history import track


class RecommendationType(models.TextChoices):
    APOLOGY = "apology", "Apology"
    FINANCIAL_REDRESS = "financial_redress", "Financial redress"
    PROVIDE_SERVICE = "provide_service", "Provide a service"
    DECISION = "decision", "Make or reconsider a decision"
    PROCEDURE_CHANGE = "procedure_change", "Procedure or policy change"
    STAFF_TRAINING = "staff_training", "Staff training"
    REVIEW_OTHER_CASES = "review_other_cases", "Review other people's cases"
    PUBLIC_INFORMATION = "public_information", "Public information"
    OTHER = "other", "Other"


class RemedyKind(models.TextChoices):
    PERSONAL = "personal", "Personal remedy"
    SERVICE_IMPROVEMENT = "service_improvement", "Service improvement"


class ComplianceResult(models.TextChoices):
    COMPLIED_ON_TIME = "complied_on_time", "Complied on time"
    COMPLIED_LATE = "complied_late", "Complied late"
    NOT_COMPLIED = "not_complied", "Not complied"


COMPLIED_RESULTS = (ComplianceResult.COMPLIED_ON_TIME, ComplianceResult.COMPLIED_LATE)


def case_compliance_result(results) -> str:
    """The case's compliance outcome from its recommendations' (DOMAIN "Compliance per
    recommendation"): not complied if any was not complied with, otherwise complied late if any
    was late, otherwise complied on time."""
    results = set(results)
    if ComplianceResult.NOT_COMPLIED in results:
        return ComplianceResult.NOT_COMPLIED
    if ComplianceResult.COMPLIED_LATE in results:
        return ComplianceResult.COMPLIED_LATE
    return ComplianceResult.COMPLIED_ON_TIME


@track(level=STATEMENT)
class Recommendation(models.Model):
    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="recommendations")
    type = models.CharField(max_length=30, choices=RecommendationType.choices)
    remedy_kind = models.CharField(max_length=30, choices=RemedyKind.choices, default=RemedyKind.PERSONAL)
    description = models.TextField()
    amount = models.DecimalField("amount (£)", max_digits=10, decimal_places=2, null=True, blank=True)
    due_on = models.DateField("due date")
    # Monitored on its own (DOMAIN "Compliance per recommendation"); the case's ComplianceOutcome
    # is derived from these when the last one is recorded (services.decisions.compliance_derive).
    compliance_outcome = models.CharField(max_length=20, choices=ComplianceResult.choices, blank=True)
    compliance_recorded_on = models.DateField("date recorded", null=True, blank=True)
    evidence_note = models.TextField("evidence", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["due_on", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(type__in=RecommendationType.values), name="recommendation_type_valid"),
            models.CheckConstraint(condition=Q(remedy_kind__in=RemedyKind.values), name="recommendation_kind_valid"),
            models.CheckConstraint(
                condition=Q(compliance_outcome="") | Q(compliance_outcome__in=ComplianceResult.values),
                name="recommendation_compliance_valid",
            ),
            models.CheckConstraint(
                condition=(Q(compliance_outcome="") & Q(compliance_recorded_on__isnull=True) & Q(evidence_note=""))
                | (~Q(compliance_outcome="") & Q(compliance_recorded_on__isnull=False)),
                name="recommendation_compliance_dated",
                violation_error_message="A compliance outcome has a date recorded; without an outcome there is no date or evidence.",
            ),
            models.CheckConstraint(
                condition=Q(amount__isnull=True) | (Q(amount__gt=0) & Q(type=RecommendationType.FINANCIAL_REDRESS)),
                name="recommendation_amount_positive_and_financial",
                violation_error_message="Only financial redress has an amount, and it must be more than £0.",
            ),
        ]
        indexes = [models.Index(fields=["due_on"], name="recommendation_due")]
        triggers = [
            *statement_checks(
                "recommendation_on_upheld",
                "SELECT c.reference FROM changed n JOIN complaints_decision d ON d.id = n.decision_id "
                "JOIN complaints_complaint c ON c.id = d.complaint_id WHERE d.outcome <> 'upheld' LIMIT 1",
                "Recommendations can only be made on upheld decisions.",
            ),
            *statement_checks(
                "recommendation_due_after_decision",
                "SELECT c.reference FROM changed n JOIN complaints_decision d ON d.id = n.decision_id "
                "JOIN complaints_complaint c ON c.id = d.complaint_id WHERE n.due_on < d.decided_on LIMIT 1",
                "A recommendation cannot be due before the decision date.",
            ),
            *statement_checks(
                "recommendation_compliance_after_decision",
                "SELECT c.reference FROM changed n JOIN complaints_decision d ON d.id = n.decision_id "
                "JOIN complaints_complaint c ON c.id = d.complaint_id WHERE n.compliance_recorded_on < d.decided_on LIMIT 1",
                "Compliance cannot be recorded before the decision date.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_type_display()} due {self.due_on:%d/%m/%Y}"

    def clean(self):
        errors = {}
        decision = self.decision if self.decision_id else None
        if decision and not decision.is_upheld:
            errors[NON_FIELD_ERRORS] = (
                f"Recommendations can only be made on upheld decisions; this decision is “{decision.get_outcome_display()}”."
            )
        if decision and self.due_on and self.due_on < decision.decided_on:
            errors["due_on"] = (
                f"The due date must be the same as or after the decision date ({long_date(decision.decided_on)})"
            )
        if self.type == RecommendationType.FINANCIAL_REDRESS:
            if self.amount is None:
                errors["amount"] = "Enter the amount of financial redress in pounds, for example 250.00"
            elif self.amount <= 0:
                errors["amount"] = "The amount must be more than £0"
        elif self.amount is not None:
            errors["amount"] = (
                f"Only financial redress has an amount: leave the amount empty for “{self.get_type_display()}”"
            )
        errors.update(self._compliance_errors(decision))
        if errors:
            raise ValidationError(errors)

    def _compliance_errors(self, decision) -> dict[str, str]:
        if not self.compliance_outcome:
            if self.compliance_recorded_on is not None:
                return {"compliance_outcome": "Choose whether the council complied, complied late or did not"}
            if self.evidence_note:
                return {"compliance_outcome": "Choose the compliance outcome the evidence supports"}
            return {}
        if self.compliance_recorded_on is None:
            return {"compliance_recorded_on": "Enter the date the compliance outcome was recorded"}
        if message := not_in_future(self.compliance_recorded_on, "The date recorded"):
            return {"compliance_recorded_on": message}
        if decision and self.compliance_recorded_on < decision.decided_on:
            return {
                "compliance_recorded_on": "The date recorded must be the same as or after the decision date "
                f"({long_date(decision.decided_on)})"
            }
        return {}

    @property
    def is_resolved(self) -> bool:
        """It has a compliance outcome of its own."""
        return bool(self.compliance_outcome)


@track(level=STATEMENT)
class ComplianceOutcome(models.Model):
    decision = models.OneToOneField(Decision, on_delete=models.PROTECT, related_name="compliance")
    council = models.ForeignKey(  # indexed by compliance_council_recorded, which starts with it
        Council,
        on_delete=models.PROTECT,
        related_name="compliance_outcomes",
        help_text="Copy of the complaint's council (checked and kept in step by triggers).",
        db_index=False,
    )
    outcome = models.CharField(max_length=20, choices=ComplianceResult.choices)
    recorded_on = models.DateField("date recorded")
    note = models.TextField(blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-recorded_on"]
        constraints = [
            models.CheckConstraint(condition=Q(outcome__in=ComplianceResult.values), name="compliance_outcome_valid")
        ]
        indexes = [
            models.Index(fields=["council", "recorded_on"], name="compliance_council_recorded"),
            # The year's compliance counts (reviews.statistics.compliance_counts) from the index alone.
            models.Index(fields=["recorded_on"], include=["council", "outcome"], name="compliance_recorded_covering"),
        ]
        triggers = [
            *statement_checks(
                "compliance_on_remedied_decision",
                "SELECT c.reference FROM changed n JOIN complaints_decision d ON d.id = n.decision_id "
                "JOIN complaints_complaint c ON c.id = d.complaint_id "
                "WHERE d.outcome <> 'upheld' OR d.upheld_kind <> 'injustice_remedy_recommended' LIMIT 1",
                "Compliance can only be recorded on upheld decisions with remedies recommended.",
            ),
            *statement_checks(
                "compliance_after_decision_same_council",
                "SELECT c.reference FROM changed n JOIN complaints_decision d ON d.id = n.decision_id "
                "JOIN complaints_complaint c ON c.id = d.complaint_id "
                "WHERE n.recorded_on < d.decided_on OR n.council_id <> d.council_id LIMIT 1",
                "Compliance cannot be recorded before the decision date, and must be about the decision's council.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.recorded_on:%d/%m/%Y})"

    def clean(self):
        errors = {}
        decision = self.decision if self.decision_id else None
        if decision and not decision.has_remedies_recommended:
            errors[NON_FIELD_ERRORS] = (
                "Compliance can only be recorded on upheld decisions with remedies recommended; "
                f"this decision is “{decision.get_outcome_display()}”"
                + (f" ({decision.get_upheld_kind_display()})" if decision.upheld_kind else "")
                + "."
            )
        if message := not_in_future(self.recorded_on, "The date recorded"):
            errors["recorded_on"] = message
        elif decision and self.recorded_on and self.recorded_on < decision.decided_on:
            errors["recorded_on"] = (
                f"The date recorded must be the same as or after the decision date ({long_date(decision.decided_on)})"
            )
        if decision and self.council_id and self.council_id != decision.council_id:
            errors.setdefault(NON_FIELD_ERRORS, "Compliance must be about the same council as the decision.")
        if errors:
            raise ValidationError(errors)

    @property
    def complied(self) -> bool:
        return self.outcome in COMPLIED_RESULTS
