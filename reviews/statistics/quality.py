"""The data-quality check run before a review: blocking problems stop the run; warnings do not.

Blocking: current decisions in the year without an outcome, decided complaints without a
category, upheld decisions without their kind, active councils without a type or without a
current chief executive (the letter's addressee). Warnings: active councils without a
population estimate (when the letter shows the figure per 100,000), active councils with no
decisions at all in the year, complaints received in the year and not decided yet, complaints
still open more than a year after they were received.
Each check is one query; each problem lists up to SAMPLE examples.
"""

import datetime
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q

from complaints.models import Complaint, Decision, Outcome, Status
from councils.models import Contact, ContactRole, Council
from reviews.models import ReviewYear

SAMPLE = 20
OPEN = (Status.RECEIVED, Status.ASSESSMENT, Status.INVESTIGATION)  # not decided yet


@dataclass
class Problem:
    key: str
    title: str
    hint: str
    count: int
    examples: list[dict] = field(default_factory=list)


@dataclass
class QualityReport:
    blocking: list[Problem]
    warnings: list[Problem]

    @property
    def can_run(self) -> bool:
        return not self.blocking


def _problem(key: str, title: str, hint: str, queryset, describe) -> Problem | None:
    count = queryset.count()
    if not count:
        return None
    return Problem(key, title, hint, count, [describe(obj) for obj in queryset[:SAMPLE]])


def _case(decision: Decision) -> dict:
    return {"text": f"{decision.complaint.reference}, {decision.council}", "reference": decision.complaint.reference}


def _complaint(complaint: Complaint) -> dict:
    return {"text": f"{complaint.reference}, {complaint.council}", "reference": complaint.reference}


def _council(council: Council) -> dict:
    return {"text": str(council), "gss_code": council.gss_code}


def year_quality(review_year: ReviewYear) -> QualityReport:
    period = review_year.period
    decisions = Decision.objects.filter(
        is_current=True, decided_on__gte=period.start, decided_on__lte=period.end
    ).select_related("complaint", "council")
    active = Council.objects.active_in(review_year.period).order_by("name")
    open_complaints = Complaint.objects.filter(status__in=OPEN).select_related("council")
    has_chief_executive = Exists(
        Contact.objects.filter(council=OuterRef("pk"), role=ContactRole.CHIEF_EXECUTIVE, is_current=True)
    )
    blocking = [
        _problem(
            "no_outcome",
            "Decisions without an outcome",
            "Record the outcome of each decision.",
            decisions.filter(outcome=""),
            _case,
        ),
        _problem(
            "no_category",
            "Decided complaints without a category",
            "Choose the service category of each complaint.",
            decisions.filter(complaint__category__isnull=True),
            _case,
        ),
        _problem(
            "upheld_without_kind",
            "Upheld decisions without their kind",
            "Say whether each upheld decision found injustice, no significant injustice, or a satisfactory remedy by the council.",
            decisions.filter(outcome=Outcome.UPHELD, upheld_kind=""),
            _case,
        ),
        _problem(
            "council_without_type",
            "Active councils without a type",
            "Set the authority type in the councils register.",
            active.filter(Q(authority_type="") | Q(authority_type__isnull=True)),
            _council,
        ),
        _problem(
            "council_without_chief_executive",
            "Active councils without a chief executive",
            "Add the chief executive on the council's page: the letter is addressed to them.",
            active.filter(~has_chief_executive),
            _council,
        ),
    ]
    warnings = [
        _problem(
            "no_decisions",
            "Active councils with no decisions in the year",
            "Their letters will say the Ombudsman did not investigate any complaints. Check the year's casework is complete.",
            active.filter(~Exists(decisions.filter(council=OuterRef("pk")).values("pk"))),
            _council,
        ),
        _problem(
            "open_in_year",
            "Complaints received in the year and still open",
            "They are not in the year's figures until they are decided: check the year's casework is complete.",
            open_complaints.filter(received_on__gte=period.start, received_on__lte=period.end).order_by(
                "received_on", "pk"
            ),
            _complaint,
        ),
        _problem(
            "old_open_complaints",
            "Complaints still open more than a year after they were received",
            "They are not in the figures until they are decided.",
            open_complaints.filter(received_on__lte=period.end - datetime.timedelta(days=365)).order_by("received_on"),
            _complaint,
        ),
    ]
    if review_year.shows_per_100k:
        warnings.insert(
            0,
            _problem(
                "no_population",
                f"Active councils without a mid-{review_year.population_year} population estimate",
                "Their letters will leave out the figure per 100,000 residents. Import populations with manage.py import_populations.",
                active.exclude(populations__year=review_year.population_year),
                _council,
            ),
        )
    return QualityReport(
        blocking=[problem for problem in blocking if problem], warnings=[problem for problem in warnings if problem]
    )
