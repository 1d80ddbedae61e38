"""Councils, their contacts, populations and the users who belong to them.

Rules kept by the database: GSS codes are well formed and agree with the authority type;
active dates are in order; one current contact per role per council (so exactly one current
chief executive at most); one population per council and year. Councils are never deleted
(casework refers to them with PROTECT), so history survives abolition. At most one open
invitation per contact; an invitation stores only its token's SHA-256.
"""

import datetime
import re

from django.conf import settings
from django.db import models
from django.db.models import F, Func, Q, Value
from django.utils import timezone

from ombudsman.auth import EmailAddressField, canonical_email_check
from ombudsman.history import track
from ombudsman.periods import ReviewPeriod
from ombudsman.validators import validate_single_line

GSS_CODE_RE = re.compile(r"^[A-Z]\d{8}$", re.ASCII)  # ASCII: the database takes 0-9 only
PRINCIPAL_PREFIXES = {
    "E10": "county",
    "E07": "district",
    "E08": "metropolitan_borough",
    "E06": "unitary",
    "E09": "london_borough",
}


class AuthorityType(models.TextChoices):
    COUNTY = "county", "County council"
    DISTRICT = "district", "District council"
    METROPOLITAN_BOROUGH = "metropolitan_borough", "Metropolitan borough"
    UNITARY = "unitary", "Unitary council"
    LONDON_BOROUGH = "london_borough", "London borough"
    OTHER = "other", "Other body"

    @classmethod
    def for_gss_code(cls, gss_code: str) -> "AuthorityType":
        return cls(PRINCIPAL_PREFIXES.get(gss_code[:3], cls.OTHER))

    @classmethod
    def comparison_groups(cls) -> list["AuthorityType"]:
        """The types that have an average in similar authorities."""
        return [member for member in cls if member != cls.OTHER]


class CouncilQuerySet(models.QuerySet):
    def active_between(self, start: datetime.date, end: datetime.date) -> "CouncilQuerySet":
        """Councils active on at least one day from start to end (both inclusive)."""
        return self.filter(
            Q(active_from__isnull=True) | Q(active_from__lte=end),
            Q(active_to__isnull=True) | Q(active_to__gte=start),
        )

    def active_in(self, period: ReviewPeriod) -> "CouncilQuerySet":
        return self.active_between(period.start, period.end)

    def active_on(self, day: datetime.date) -> "CouncilQuerySet":
        return self.active_between(day, day)


def _type_prefix_condition() -> Q:
    condition = Q(authority_type=AuthorityType.OTHER) & ~Q(gss_code__regex=r"^E(0[6-9]|10)")
    for prefix, authority_type in PRINCIPAL_PREFIXES.items():
        condition |= Q(authority_type=authority_type, gss_code__startswith=prefix)
    return condition


@track()
class Council(models.Model):
    gss_code = models.CharField("GSS code", max_length=9, unique=True, help_text="The ONS code, for example E07000129.")
    name = models.CharField(
        "ONS name",
        max_length=200,
        validators=[validate_single_line],
        help_text='The ONS statistical name, e.g. "Bristol, City of".',
    )
    formal_name = models.CharField(
        "name in letters",
        max_length=200,
        validators=[validate_single_line],
        help_text='The name used in letters, e.g. "Bristol City Council".',
    )
    # The name people look for, which lists sort by: the ONS name, with "County Durham" under D.
    sort_name = models.GeneratedField(
        expression=Func(F("name"), Value("^County "), Value(""), function="regexp_replace"),
        output_field=models.CharField(max_length=200),
        db_persist=True,
    )
    authority_type = models.CharField(max_length=24, choices=AuthorityType.choices, db_index=True)
    county = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="districts",
        limit_choices_to={"authority_type": AuthorityType.COUNTY},
    )
    region = models.CharField(max_length=100, blank=True, validators=[validate_single_line])
    active_from = models.DateField(null=True, blank=True, help_text="First day active; empty if before our records.")
    active_to = models.DateField(null=True, blank=True, help_text="Last day active; empty while active.")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = CouncilQuerySet.as_manager()

    class Meta:
        ordering = ["sort_name"]
        constraints = [
            models.CheckConstraint(condition=Q(gss_code__regex=r"^[A-Z][0-9]{8}$"), name="council_gss_code_format"),
            models.CheckConstraint(condition=_type_prefix_condition(), name="council_type_matches_code"),
            models.CheckConstraint(
                condition=Q(active_from__isnull=True)
                | Q(active_to__isnull=True)
                | Q(active_to__gte=models.F("active_from")),
                name="council_active_dates_in_order",
            ),
            models.CheckConstraint(condition=~Q(formal_name=""), name="council_formal_name_not_empty"),
        ]
        indexes = [models.Index(fields=["region"]), models.Index(fields=["active_from", "active_to"])]

    def __str__(self) -> str:
        return self.formal_name or self.name

    @property
    def has_average(self) -> bool:
        return self.authority_type != AuthorityType.OTHER

    def is_active_in(self, period: ReviewPeriod) -> bool:
        return (self.active_from is None or self.active_from <= period.end) and (
            self.active_to is None or self.active_to >= period.start
        )


class ContactRole(models.TextChoices):
    CHIEF_EXECUTIVE = "chief_executive", "Chief executive"
    LINK_OFFICER = "link_officer", "Link officer"
    MONITORING_OFFICER = "monitoring_officer", "Monitoring officer"
    LEADER = "leader", "Leader"
    SCRUTINY_CHAIR = "scrutiny_chair", "Chair of scrutiny"
    COMPLAINTS_CONTACT = "complaints_contact", "Complaints contact"


@track()
class Contact(models.Model):
    """A person at a council. Replacing a contact keeps the old row (is_current=False) for history."""

    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="contacts")
    role = models.CharField(max_length=24, choices=ContactRole.choices)
    title = models.CharField(
        max_length=40, blank=True, validators=[validate_single_line], help_text="For example Mrs, Mr, Ms, Dr or Cllr."
    )
    first_name = models.CharField(max_length=100, validators=[validate_single_line])
    last_name = models.CharField(max_length=100, validators=[validate_single_line])
    job_title = models.CharField(max_length=200, blank=True, validators=[validate_single_line])
    email = EmailAddressField()
    is_current = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["council", "role"]
        constraints = [
            models.UniqueConstraint(
                fields=["council", "role"], condition=Q(is_current=True), name="contact_one_current_per_role"
            ),
            models.CheckConstraint(condition=~Q(last_name=""), name="contact_last_name_not_empty"),
            models.CheckConstraint(condition=~Q(email=""), name="contact_email_not_empty"),
            canonical_email_check("email", "contact_email_canonical"),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.get_role_display()}, {self.council})"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.title, self.first_name, self.last_name) if part)

    @property
    def salutation(self) -> str:
        """'Dear Mrs Smith' without the 'Dear'."""
        if self.title:
            return f"{self.title} {self.last_name}"
        return f"{self.first_name} {self.last_name}"


@track()
class Population(models.Model):
    """ONS mid-year population estimate; `year` is the mid-year of the estimate."""

    council = models.ForeignKey(Council, on_delete=models.CASCADE, related_name="populations")
    year = models.PositiveSmallIntegerField()
    population = models.PositiveIntegerField()

    class Meta:
        ordering = ["council", "year"]
        constraints = [
            models.UniqueConstraint(fields=["council", "year"], name="population_one_per_council_year"),
            models.CheckConstraint(condition=Q(population__gt=0), name="population_positive"),
            models.CheckConstraint(condition=Q(year__gte=1981, year__lte=2100), name="population_year_plausible"),
        ]

    def __str__(self) -> str:
        return f"{self.council}: {self.population:,} (mid-{self.year})"


class SuccessionQuerySet(models.QuerySet):
    def sole_successor_on(self, predecessor, day) -> "Council | None":
        """The one council that succeeded `predecessor` on or before `day`, or None (none, or two)."""
        successors = list(self.filter(predecessor=predecessor, on__lte=day).values_list("successor", flat=True)[:2])
        return Council.objects.get(pk=successors[0]) if len(successors) == 1 else None


@track()
class Succession(models.Model):
    """A predecessor -> successor pair of a reorganisation (DOMAIN.md "Reorganisation"): from
    `on` (the successor's first day, a 1 April) the successor takes over the predecessor's open
    complaints, and a complaint received about the predecessor and decided on or after `on`
    counts for the successor. A county split between two unitaries has two rows."""

    predecessor = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="successions")
    successor = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="predecessions")
    on = models.DateField("from", help_text="The successor's first day (1 April).")

    objects = SuccessionQuerySet.as_manager()

    class Meta:
        ordering = ["on", "predecessor", "successor"]
        constraints = [
            models.UniqueConstraint(fields=["predecessor", "successor"], name="succession_one_per_pair"),
            models.CheckConstraint(condition=~Q(predecessor=models.F("successor")), name="succession_not_to_itself"),
        ]

    def __str__(self) -> str:
        return f"{self.predecessor} -> {self.successor} from {self.on:%d/%m/%Y}"


class CouncilMembershipQuerySet(models.QuerySet):
    def active(self):
        """Memberships whose account may sign in: a contact with one "has an account"."""
        return self.filter(user__is_active=True)


@track()
class CouncilMembership(models.Model):
    """Makes a user a council user of exactly one council."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="council_membership")
    council = models.ForeignKey(Council, on_delete=models.PROTECT, related_name="memberships")
    contact = models.ForeignKey(Contact, on_delete=models.SET_NULL, null=True, blank=True, related_name="memberships")
    created_at = models.DateTimeField(auto_now_add=True)

    objects = CouncilMembershipQuerySet.as_manager()

    class Meta:
        ordering = ["council", "user"]

    def __str__(self) -> str:
        return f"{self.user} at {self.council}"


class InvitationStatus(models.TextChoices):
    SENT = "sent", "Invitation sent"
    ACCEPTED = "accepted", "Invitation accepted"
    EXPIRED = "expired", "Invitation expired"
    REPLACED = "replaced", "Invitation replaced"


@track()
class Invitation(models.Model):
    """An emailed link that lets a council contact become a council user by setting a password.

    Only the SHA-256 of the link's random token is stored, so the database (and its history)
    never holds a usable link. A link works once, until `expires_at`; sending a new one
    replaces (revokes) the contact's open invitation, so at most one is open per contact.
    """

    contact = models.ForeignKey(Contact, on_delete=models.PROTECT, related_name="invitations")
    email = EmailAddressField(help_text="The address the link was sent to.")
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The account that accepted the invitation.",
    )
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="When a newer invitation replaced this one.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["contact"],
                condition=Q(accepted_at__isnull=True, revoked_at__isnull=True),
                name="invitation_one_open_per_contact",
            ),
            models.CheckConstraint(
                condition=Q(token_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106 - a format check, not a secret
                name="invitation_token_is_sha256",
            ),
            models.CheckConstraint(condition=Q(expires_at__gt=models.F("created_at")), name="invitation_expires_later"),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(revoked_at__isnull=True),
                name="invitation_not_accepted_and_revoked",
            ),
            models.CheckConstraint(
                condition=Q(accepted_at__isnull=True) | Q(user__isnull=False), name="invitation_accepted_has_user"
            ),
            canonical_email_check("email", "invitation_email_canonical"),
        ]

    def __str__(self) -> str:
        return f"Invitation to {self.email} ({self.get_status().label.lower()})"

    def get_status(self, now: datetime.datetime | None = None) -> InvitationStatus:
        if self.accepted_at is not None:
            return InvitationStatus.ACCEPTED
        if self.revoked_at is not None:
            return InvitationStatus.REPLACED
        if self.expires_at <= (now or timezone.now()):
            return InvitationStatus.EXPIRED
        return InvitationStatus.SENT

    @property
    def status(self) -> InvitationStatus:
        return self.get_status()

    def is_usable(self, now: datetime.datetime | None = None) -> bool:
        return self.get_status(now) == InvitationStatus.SENT
