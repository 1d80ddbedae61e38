"""Complaints, the categories they are filed under and the counter their references come from.

Rules kept by the database as well as by forms and services:
- a reference is `YY NNN NNN` and unique; the number comes from ReferenceCounter.
"""

import pgtrigger
from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVector
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse

from complaints.models.rules import STATEMENT, not_in_future, statement_check, statement_checks
from councils.models import Council
from ombudsman.history import track
from ombudsman.validators import validate_single_line

REFERENCE_RE = r"^[0-9]{2} [0-9]{3} [0-9]{3}$"


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
