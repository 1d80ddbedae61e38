"""The ombudsman's decisions on complaints.

Rules kept by the database as well as by forms and services:
- at most one current decision per complaint, decided no earlier than the complaint was received;
- an upheld decision has a kind (upheld_kind); any other outcome has none (so "satisfactory
  remedy by the council" exists only on upheld decisions).
`Decision.council` is a copy of the complaint's council, so the annual statistics group by
council without a join: writers set it, triggers check it and carry a change of the
complaint's council over.
"""

import pgtrigger
from django.conf import settings
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q

from complaints.models.cases import Complaint, Status
from complaints.models.rules import STATEMENT, long_date, not_in_future, statement_check, statement_checks
from councils.models import Council
from ombudsman.history import track


class Outcome(models.TextChoices):
    ADVICE_GIVEN = "advice_given", "Advice given"
    INCOMPLETE_INVALID = "incomplete_invalid", "Incomplete or invalid"
    REFERRED_BACK = "referred_back", "Referred back for local resolution"
    CLOSED_AFTER_INITIAL_ENQUIRIES = "closed_after_initial_enquiries", "Closed after initial enquiries"
    NOT_UPHELD = "not_upheld", "Not upheld"
    UPHELD = "upheld", "Upheld"


INVESTIGATED_OUTCOMES = (Outcome.NOT_UPHELD, Outcome.UPHELD)
# The complaint overview's "not for us or not ready for us to investigate" (from 2024-25).
NOT_FOR_US_OUTCOMES = (Outcome.ADVICE_GIVEN, Outcome.INCOMPLETE_INVALID, Outcome.REFERRED_BACK)


class UpheldKind(models.TextChoices):
    INJUSTICE_REMEDY_RECOMMENDED = "injustice_remedy_recommended", "Fault causing injustice: remedies recommended"
    NO_SIGNIFICANT_INJUSTICE = "no_significant_injustice", "Fault without significant injustice"
    SATISFACTORY_REMEDY_BY_COUNCIL = (
        "satisfactory_remedy_by_council",
        "The council had already provided a satisfactory remedy",
    )


class DecisionForm(models.TextChoices):
    STATEMENT = "statement", "Statement of reasons"
    REPORT = "report", "Public interest report"


@track(level=STATEMENT)
class Decision(models.Model):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="decisions")
    council = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        related_name="decisions",
        help_text="Copy of the complaint's council (checked and kept in step by triggers).",
    )
    is_current = models.BooleanField(default=True)
    decided_on = models.DateField("decision date")
    outcome = models.CharField(max_length=40, choices=Outcome.choices)
    upheld_kind = models.CharField(max_length=40, choices=UpheldKind.choices, blank=True)
    form = models.CharField(max_length=20, choices=DecisionForm.choices, default=DecisionForm.STATEMENT)
    summary = models.TextField("decision summary", blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-decided_on"]
        constraints = [
            models.UniqueConstraint(
                fields=["complaint"], condition=Q(is_current=True), name="decision_one_current_per_complaint"
            ),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="decision_outcome_valid"),
            models.CheckConstraint(
                condition=(Q(outcome=Outcome.UPHELD) & Q(upheld_kind__in=UpheldKind.values))
                | (~Q(outcome=Outcome.UPHELD) & Q(upheld_kind="")),
                name="decision_upheld_kind_only_when_upheld",
                violation_error_message="Choose what kind of upheld decision this is; only upheld decisions have a kind.",
            ),
            models.CheckConstraint(condition=Q(form__in=DecisionForm.values), name="decision_form_valid"),
        ]
        indexes = [
            models.Index(
                fields=["council", "decided_on"], condition=Q(is_current=True), name="decision_council_date_current"
            ),
            # Covering: the year's statistics (reviews.statistics.decision_counts, run by every
            # letters table to find letters out of date) read only the index, not 1 in 6 decisions.
            models.Index(
                fields=["decided_on"],
                include=["council", "outcome", "upheld_kind"],
                condition=Q(is_current=True),
                name="decision_date_current",
            ),
            models.Index(fields=["outcome"], name="decision_outcome"),
        ]
        triggers = [
            *statement_checks(
                "decision_council_is_complaints",
                "SELECT c.reference FROM changed n JOIN complaints_complaint c ON c.id = n.complaint_id WHERE n.council_id <> c.council_id LIMIT 1",
                "A decision must be about the same council as its complaint.",
            ),
            *statement_checks(
                "decision_not_before_received",
                "SELECT c.reference FROM changed n JOIN complaints_complaint c ON c.id = n.complaint_id WHERE n.decided_on < c.received_on LIMIT 1",
                "The decision date cannot be before the date the complaint was received.",
            ),
            statement_check(
                "decision_keeps_compliance_valid",
                pgtrigger.Update,
                "SELECT c.reference FROM changed n JOIN complaints_complianceoutcome co ON co.decision_id = n.id "
                "JOIN complaints_complaint c ON c.id = n.complaint_id "
                "WHERE n.outcome <> 'upheld' OR n.upheld_kind <> 'injustice_remedy_recommended' LIMIT 1",
                "This decision has a compliance outcome, so it must stay upheld with remedies recommended.",
            ),
            statement_check(
                "decision_keeps_recommendations_valid",
                pgtrigger.Update,
                "SELECT c.reference FROM changed n JOIN complaints_recommendation r ON r.decision_id = n.id "
                "JOIN complaints_complaint c ON c.id = n.complaint_id WHERE n.outcome <> 'upheld' LIMIT 1",
                "This decision has recommendations, so it must stay upheld.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.complaint}: {self.get_outcome_display()} on {self.decided_on:%d/%m/%Y}"

    def clean(self):
        errors = {}
        complaint = self.complaint if self.complaint_id else None
        if message := not_in_future(self.decided_on, "The decision date"):
            errors["decided_on"] = message
        elif complaint and self.decided_on and self.decided_on < complaint.received_on:
            errors["decided_on"] = (
                "The decision date must be the same as or after the date the complaint was received "
                f"({long_date(complaint.received_on)})"
            )
        if self.outcome == Outcome.UPHELD and not self.upheld_kind:
            errors["upheld_kind"] = "Select what kind of upheld decision this is"
        elif self.outcome and self.outcome != Outcome.UPHELD and self.upheld_kind:
            kind = UpheldKind(self.upheld_kind).label if self.upheld_kind in UpheldKind.values else self.upheld_kind
            errors["upheld_kind"] = (
                f"Only an upheld decision can say “{kind}”: this decision is “{self.get_outcome_display()}”"
            )
        if complaint and self.council_id and self.council_id != complaint.council_id:
            errors[NON_FIELD_ERRORS] = "A decision must be about the same council as its complaint."
        if errors:
            raise ValidationError(errors)

    @property
    def is_investigated(self) -> bool:
        return self.outcome in INVESTIGATED_OUTCOMES

    @property
    def is_upheld(self) -> bool:
        return self.outcome == Outcome.UPHELD

    @property
    def has_remedies_recommended(self) -> bool:
        return self.outcome == Outcome.UPHELD and self.upheld_kind == UpheldKind.INJUSTICE_REMEDY_RECOMMENDED


def status_after_decision(*, outcome: str, upheld_kind: str, has_compliance: bool) -> str:
    """The status a case moves to when its decision (or compliance outcome) is recorded:
    remedies to monitor -> remedy monitoring; compliance recorded -> closed; otherwise decided
    (a caseworker closes it, or an import of older years records it as closed)."""
    if has_compliance:
        return Status.CLOSED
    if outcome == Outcome.UPHELD and upheld_kind == UpheldKind.INJUSTICE_REMEDY_RECOMMENDED:
        return Status.REMEDY_MONITORING
    return Status.DECIDED
