"""Casework: complaints, the ombudsman's decisions, recommended remedies and compliance.

Rules kept by the database as well as by forms and services (so imports, the admin and raw
SQL cannot break them):
- a reference is `YY NNN NNN` and unique; the number comes from ReferenceCounter;
- at most one current decision per complaint, decided no earlier than the complaint was received;
- an upheld decision has a kind (upheld_kind); any other outcome has none (so "satisfactory
  remedy by the council" exists only on upheld decisions);
- recommendations belong only to upheld decisions, are due no earlier than the decision, and
  only financial redress carries an amount, which is positive;
- each recommendation may have its own compliance outcome (with the date recorded, never
  before the decision, and an optional note of the evidence);
- a compliance outcome belongs only to an upheld decision with remedies recommended, at most
  one per decision, recorded no earlier than the decision. It is the case's outcome, the one
  the statistics count: derived from the recommendations' outcomes when the last one is
  recorded, or given whole by an import (which then applies it to every recommendation).
Rules spanning tables are statement-level PostgreSQL triggers (pgtrigger, with transition
tables, so a bulk COPY is checked by one join) that raise with a readable message and the
case reference. `Decision.council` and `ComplianceOutcome.council` are copies of the
complaint's council, so the annual statistics group by council without a join: writers set
them, triggers check them and carry a change of the complaint's council over.
History of every insert, update and delete is kept by statement-level pghistory triggers.

`clean()` on each model states the same rules in words a caseworker understands; forms
(through ModelForm validation) and services (through `full_clean()`) both run it, so the
message on the page and the check in the database never disagree.
"""

import datetime

import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format

from councils.models import Council
from ombudsman.history import track
from ombudsman.validators import validate_single_line

REFERENCE_RE = r"^[0-9]{2} [0-9]{3} [0-9]{3}$"
STATEMENT = pgtrigger.Statement


def long_date(day: datetime.date) -> str:
    """'1 May 2019', as in every message about dates."""
    return date_format(day, "j F Y")


def not_in_future(day: datetime.date | None, what: str) -> str | None:
    if day is not None and day > timezone.localdate():
        return f"{what} must be today or in the past"
    return None


def sql_literal(text: str) -> str:
    """A PostgreSQL string literal ("council's" -> 'council''s')."""
    return "'" + text.replace("'", "''") + "'"


def statement_check(name: str, operation, query: str, message: str) -> pgtrigger.Trigger:
    """An AFTER ... FOR EACH STATEMENT trigger that raises `message` (with the first offending
    reference) if `query` over the statement's changed rows (the transition table `changed`)
    returns a row. Set-based, so a COPY of a million rows costs one join, not a million lookups."""
    return pgtrigger.Trigger(
        name=name,
        level=pgtrigger.Statement,
        when=pgtrigger.After,
        operation=operation,
        referencing=pgtrigger.Referencing(new="changed"),
        declare=[("offending", "text")],
        func=pgtrigger.Func(
            f"""
            {query} INTO offending;
            IF offending IS NOT NULL THEN
                RAISE EXCEPTION '% (case %)', {sql_literal(message)}, offending USING ERRCODE = 'check_violation';
            END IF;
            RETURN NULL;
            """
        ),
    )


def statement_checks(name: str, query: str, message: str) -> list[pgtrigger.Trigger]:
    """The same check after INSERT and after UPDATE (a transition table serves one event only)."""
    return [
        statement_check(f"{name}_ins", pgtrigger.Insert, query, message),
        statement_check(f"{name}_upd", pgtrigger.Update, query, message),
    ]


@track(level=STATEMENT)
class Category(models.Model):
    """A service area. Top-level categories have no parent; sub-categories have one, one level deep."""

    name = models.CharField(max_length=120, validators=[validate_single_line])
    slug = models.SlugField(max_length=140, unique=True)
    parent = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True, related_name="subcategories")
    position = models.PositiveSmallIntegerField(default=0)
    is_active = models.BooleanField(
        default=True, help_text="Inactive categories stay on old cases but cannot be chosen for new ones."
    )

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "categories"
        constraints = [
            models.UniqueConstraint(fields=["parent", "name"], name="category_name_unique_within_parent"),
            models.UniqueConstraint(
                fields=["name"], condition=Q(parent__isnull=True), name="category_top_level_name_unique"
            ),
            models.CheckConstraint(condition=~Q(name=""), name="category_name_not_empty"),
        ]
        triggers = [
            pgtrigger.Trigger(
                name="category_one_level_deep",
                operation=pgtrigger.Insert | pgtrigger.Update,
                when=pgtrigger.Before,
                func=pgtrigger.Func(
                    """
                    IF NEW.parent_id IS NOT NULL AND EXISTS (
                        SELECT 1 FROM {meta.db_table} WHERE id = NEW.parent_id AND parent_id IS NOT NULL
                    ) THEN
                        RAISE EXCEPTION 'A sub-category cannot have sub-categories of its own.' USING ERRCODE = 'check_violation';
                    END IF;
                    RETURN NEW;
                    """
                ),
            )
        ]

    def __str__(self) -> str:
        return f"{self.parent.name} > {self.name}" if self.parent_id else self.name


class ReferenceCounter(models.Model):
    """The last number used for case references in one two-digit year ("19" for 2019)."""

    year = models.CharField(max_length=2, primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.CheckConstraint(condition=Q(last_number__lte=999_999), name="reference_counter_in_range")]

    def __str__(self) -> str:
        return f"20{self.year}: {self.last_number}"


class Status(models.TextChoices):
    RECEIVED = "received", "Received"
    ASSESSMENT = "assessment", "Assessment"
    INVESTIGATION = "investigation", "Investigation"
    DECIDED = "decided", "Decided"
    REMEDY_MONITORING = "remedy_monitoring", "Remedy monitoring"
    CLOSED = "closed", "Closed"


@track(level=STATEMENT)
class Complaint(models.Model):
    reference = models.CharField(max_length=10, unique=True, editable=False)
    # No index of its own: complaint_council_received starts with it (and serves its foreign key).
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="complaints", db_index=False)
    received_on = models.DateField("date received")
    # Set when the case is about a successor of the council it was received against (a transfer
    # after a reorganisation, or an import row saying so); empty means received against `council`.
    received_against = models.ForeignKey(
        Council,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="complaints_received",
        help_text="The council the complaint was received against, when the case has moved to its successor.",
    )
    category = models.ForeignKey(
        Category, on_delete=models.PROTECT, related_name="complaints", limit_choices_to={"parent__isnull": True}
    )
    subcategory = models.ForeignKey(
        Category,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="subcategory_complaints",
        limit_choices_to={"parent__isnull": False},
    )
    # Personal data: shown to ombudsman staff only, never in exports to councils or open data.
    complainant_name = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    complainant_email = models.EmailField(blank=True)
    complainant_phone = models.CharField(max_length=40, blank=True, validators=[validate_single_line])
    complainant_address = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    assigned_to = models.ForeignKey(  # indexed by complaint_assigned_status, which starts with it
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_complaints",
        db_index=False,
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.RECEIVED)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-received_on", "-reference"]
        constraints = [
            models.CheckConstraint(condition=Q(reference__regex=REFERENCE_RE), name="complaint_reference_format"),
            models.CheckConstraint(condition=Q(status__in=Status.values), name="complaint_status_valid"),
        ]
        indexes = [
            models.Index(fields=["council", "received_on"], name="complaint_council_received"),
            models.Index(fields=["status"], name="complaint_status"),
            models.Index(fields=["assigned_to", "status"], name="complaint_assigned_status"),
            models.Index(fields=["received_on"], name="complaint_received"),
            GinIndex(SearchVector("complainant_name", config="simple"), name="complaint_name_search"),
        ]
        triggers = [
            # A decision's council is a copy of its complaint's: follow a change of council.
            pgtrigger.Trigger(
                name="complaint_council_follows",
                level=pgtrigger.Statement,
                when=pgtrigger.After,
                operation=pgtrigger.Update,
                referencing=pgtrigger.Referencing(old="old_rows", new="changed"),
                func=pgtrigger.Func(
                    """
                    UPDATE complaints_decision d SET council_id = n.council_id
                    FROM changed n JOIN old_rows o ON o.id = n.id
                    WHERE d.complaint_id = n.id AND n.council_id <> o.council_id;
                    UPDATE complaints_complianceoutcome c SET council_id = d.council_id
                    FROM complaints_decision d JOIN changed n ON n.id = d.complaint_id JOIN old_rows o ON o.id = n.id
                    WHERE c.decision_id = d.id AND n.council_id <> o.council_id;
                    RETURN NULL;
                    """
                ),
            ),
            *statement_checks(
                "complaint_subcategory_in_category",
                "SELECT n.reference FROM changed n JOIN complaints_category s ON s.id = n.subcategory_id "
                "WHERE s.parent_id IS DISTINCT FROM n.category_id LIMIT 1",
                "The sub-category must belong to the complaint's category.",
            ),
            statement_check(
                "complaint_received_before_decision",
                pgtrigger.Update,
                "SELECT n.reference FROM changed n JOIN complaints_decision d ON d.complaint_id = n.id WHERE d.decided_on < n.received_on LIMIT 1",
                "The date received cannot be after the decision date.",
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    def get_absolute_url(self) -> str:
        return reverse("complaints:case-detail", args=[self.pk])

    def clean(self):
        errors = {}
        if message := not_in_future(self.received_on, "The date received"):
            errors["received_on"] = message
        if self.subcategory_id and self.category_id and self.subcategory.parent_id != self.category_id:
            errors["subcategory"] = (
                f"{self.subcategory.name} is not a sub-category of {self.category.name}: "
                f"choose one of {self.category.name}'s sub-categories, or none"
            )
        if errors:
            raise ValidationError(errors)

    @property
    def is_decided(self) -> bool:
        return self.status in (Status.DECIDED, Status.REMEDY_MONITORING, Status.CLOSED)


PRE_DECISION_STATUSES = (Status.RECEIVED, Status.ASSESSMENT, Status.INVESTIGATION)


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


@track()
class ExportLog(models.Model):
    """Every CSV export of casework: who, when, which filter, how many rows, and whether it held
    complainants' names and contact details (then with the reason the manager gave)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    query = models.TextField(blank=True, help_text="The filter, as the list page's query string.")
    row_count = models.PositiveIntegerField()
    personal = models.BooleanField(
        "with personal data", default=False, help_text="Complainants' names and contact details included."
    )
    reason = models.TextField(blank=True, help_text="Why personal data was exported (required when it was).")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(personal=False) | ~Q(reason=""), name="exportlog_personal_has_reason"),
        ]

    def __str__(self) -> str:
        kind = "with personal data" if self.personal else "without personal data"
        return f"{self.row_count} rows {kind} by {self.user} at {self.created_at:%d/%m/%Y %H:%M}"


def status_after_decision(*, outcome: str, upheld_kind: str, has_compliance: bool) -> str:
    """The status a case moves to when its decision (or compliance outcome) is recorded:
    remedies to monitor -> remedy monitoring; compliance recorded -> closed; otherwise decided
    (a caseworker closes it, or an import of older years records it as closed)."""
    if has_compliance:
        return Status.CLOSED
    if outcome == Outcome.UPHELD and upheld_kind == UpheldKind.INJUSTICE_REMEDY_RECOMMENDED:
        return Status.REMEDY_MONITORING
    return Status.DECIDED


class ImportStatus(models.TextChoices):
    READY = "ready", "Ready to import"
    INVALID = "invalid", "Has errors"
    IMPORTED = "imported", "Imported"
    DISCARDED = "discarded", "Discarded"


@track()
class ImportBatch(models.Model):
    """An uploaded file of decisions (complaints.importing): checked on upload, imported when a
    manager confirms. The file lives in the "private" storage (never under a URL) until it is
    imported or discarded; the counts and errors stay as the record of what happened."""

    file_name = models.CharField(max_length=200, help_text="The name the file was uploaded with (display only).")
    stored_name = models.CharField(
        max_length=200, blank=True, help_text='Path in the "private" storage; empty once removed.'
    )
    size = models.PositiveIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    status = models.CharField(max_length=20, choices=ImportStatus.choices)
    row_count = models.PositiveIntegerField(default=0)
    counts = models.JSONField(default=dict, blank=True, help_text="Cases to create, update or leave, by outcome.")
    errors = models.JSONField(default=list, blank=True, help_text="The first errors: [line, column, message].")
    error_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)
    warning_count = models.PositiveIntegerField(default=0)
    preview = models.JSONField(
        default=list, blank=True, help_text="The first rows that are not errors, as they will be stored."
    )
    checked_at = models.DateTimeField()
    finished_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    finished_at = models.DateTimeField(null=True, blank=True, help_text="When it was imported or discarded.")

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "import batches"
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="import_batch_status_valid"),
            models.CheckConstraint(
                condition=~Q(status__in=[ImportStatus.IMPORTED, ImportStatus.DISCARDED])
                | (Q(stored_name="") & Q(finished_at__isnull=False)),
                name="import_batch_finished_has_no_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.file_name} ({self.get_status_display()})"


# History tables are read by the row they record (pgh_obj), by context, and by the parent the
# case page follows (a decision's complaint, a recommendation's or compliance outcome's
# decision; see complaints.history). pghistory indexes every other foreign key it copies too
# (council, categories, users): nothing looks events up by those, and each index is one more
# to maintain for every row an import writes. Keep the copies, drop their indexes.
HISTORY_UNINDEXED_KEYS = {
    Complaint: ("council", "category", "subcategory", "assigned_to", "created_by", "received_against"),
    Decision: ("council", "decided_by"),
    ComplianceOutcome: ("council", "recorded_by"),
}
for _model, _names in HISTORY_UNINDEXED_KEYS.items():
    for _name in _names:
        _model.pgh_event_model._meta.get_field(_name).db_index = False
