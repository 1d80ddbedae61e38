"""A small world with an object of every kind behind a URL, for two councils: A (the
`council` fixture, Blaby) and B (`other_council`, Leicester), built the same way so that a
URL built with B's objects can be tried with A's council user and the other way round.

Names and text people type carry markup (`hostile`), so every page of the matrix also shows
that it escapes them. Each council has a chief executive and a link officer; a decided case
with a recommendation and a compliance outcome, a case still open and one monitoring remedies;
a sent letter for 2019-20 (a published year, so the public pages have something to show) with
a failed email to the link officer; an open invitation. A's letter for 2020-21 is approved, not
sent. 2018-19 is ready to publish: its publication date has come and neither council has a
letter, each with a reason recorded why not. 2019-20 has a run; there is an import batch ready to import. A county (created for
2020-21 only, so no year with letters knows it) was split between two successors on 1 April
2021 and has an open case still to be placed.
"""

import datetime
import hashlib
from dataclasses import dataclass

from django.contrib.auth.tokens import default_token_generator
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from casefile.correspondence.models import Correspondence, CorrespondenceEmail
from casefile.models import Document, Note
from casefile.services import document_upload
from complaints import importing
from complaints.models import Category, Complaint, Decision, ImportBatch, Outcome, Recommendation, Status
from councils.models import Contact, ContactRole, Council, Invitation
from reviews.models import (
    AnnualLetter,
    CopyKind,
    LetterStatus,
    OutboxMessage,
    OutboxStatus,
    ReviewRun,
    ReviewYear,
    outbox_idempotency_key,
)
from reviews.publication.services import no_letter_reason_record
from tests import factories
from tests.casefile.correspondence.rows import sent_letter
from tests.casefile.files import PDF
from tests.reviews.published import letter_in, publish

LABEL = "2019-20"


@dataclass
class Side:
    """One council's objects."""

    council: Council
    chief_executive: Contact
    link_officer: Contact
    complaint: Complaint
    decision: Decision
    recommendation: Recommendation
    open_complaint: Complaint  # received, no decision yet
    decided_complaint: Complaint  # not upheld: decided, nothing to monitor, may be closed
    remedy_complaint: Complaint  # upheld with a recommendation, compliance not yet recorded
    remedy_recommendation: Recommendation
    letter: AnnualLetter
    email: OutboxMessage
    invitation_token: str
    note: Note  # on `complaint`, written by the manager just now (so still open to its author)
    document: Document  # on `complaint`, a small PDF
    case_letter: Correspondence  # on `complaint`, emailed to the link officer
    case_email: CorrespondenceEmail  # its email, which failed


@dataclass
class World:
    a: Side
    b: Side
    review_year: ReviewYear
    next_year: ReviewYear  # 2020-21: A's letter approved, not sent yet
    ready_year: ReviewYear  # 2018-19: not published, nothing missing, its publication date has come
    run: ReviewRun
    category: Category
    import_batch: ImportBatch
    reorganised: Council  # abolished, split between two successors, with an open case
    reset_uid: str
    reset_token: str

    def side(self, name: str) -> Side:
        return {"A": self.a, "B": self.b}[name]


def hostile(text: str) -> str:
    """Text with markup that must never run: every page shows it escaped (tests/security/access.py)."""
    return f'{text} <script>alert("xss")</script><style>*{{display:none}}</style>" onmouseover="alert(1)'


def _side(council: Council, review_year: ReviewYear, run: ReviewRun, manager, index: int) -> Side:
    Council.objects.filter(pk=council.pk).update(formal_name=hostile(council.formal_name)[:200])
    council.refresh_from_db()
    chief = factories.ContactFactory(
        council=council, email=f"chief{index}@council{index}.example.org", last_name=hostile("Okoro")[:100]
    )
    link = factories.ContactFactory(
        council=council, role=ContactRole.LINK_OFFICER, email=f"link{index}@council{index}.example.org"
    )
    complaint = factories.ComplaintFactory(
        council=council,
        received_on=datetime.date(2019, 5, 1),
        summary=hostile("No reply."),
        complainant_name=hostile("Grace")[:200],
    )
    decision = factories.DecisionFactory(complaint=complaint, upheld=True, decided_on=datetime.date(2019, 9, 1))
    recommendation = factories.RecommendationFactory(decision=decision)
    factories.ComplianceOutcomeFactory(decision=decision, recorded_on=datetime.date(2019, 11, 1))
    open_complaint = factories.ComplaintFactory(council=council, received_on=datetime.date(2019, 6, 1))
    decided_complaint = factories.DecisionFactory(
        complaint=factories.ComplaintFactory(
            council=council, received_on=datetime.date(2019, 6, 3), status=Status.DECIDED
        ),
        outcome=Outcome.NOT_UPHELD,
        decided_on=datetime.date(2019, 10, 2),
    ).complaint
    remedy_recommendation = factories.RecommendationFactory(
        decision=factories.DecisionFactory(
            complaint=factories.ComplaintFactory(council=council, received_on=datetime.date(2019, 6, 2)),
            upheld=True,
            decided_on=datetime.date(2019, 10, 1),
        )
    )
    letter = letter_in(council, review_year, LetterStatus.SENT)
    AnnualLetter.objects.filter(pk=letter.pk).update(run=run)
    key = outbox_idempotency_key(letter.pk, letter.version, link.email)
    email = OutboxMessage.objects.create(
        letter=letter,
        recipient=link.email,
        role=ContactRole.LINK_OFFICER,
        kind=CopyKind.CC,
        idempotency_key=key,
        message_id=f"<{key}@example.org>",
        status=OutboxStatus.FAILED,
        attempts=1,
        last_error="550 5.1.1 User unknown",
    )
    token = f"invitation-token-{index}-" + "x" * 20
    now = timezone.now()
    Invitation.objects.create(
        contact=link,
        email=link.email,
        token_hash=hashlib.sha256(token.encode()).hexdigest(),
        created_by=manager,
        created_at=now,
        expires_at=now + datetime.timedelta(days=7),
    )
    case_letter = sent_letter(complaint, manager, email=link.email, email_status=OutboxStatus.FAILED)
    return Side(
        council,
        chief,
        link,
        complaint,
        decision,
        recommendation,
        open_complaint,
        decided_complaint,
        remedy_recommendation.decision.complaint,
        remedy_recommendation,
        letter,
        email,
        token,
        factories.NoteFactory(complaint=complaint, author=manager, text=f"Staff-only note {index}: {hostile('x')}"),
        document_upload(complaint=complaint, by=manager, files=[(hostile(f"evidence {index}") + ".pdf", PDF)])[0],
        case_letter,
        case_letter.emails.get(),
    )


def _reorganised() -> Council:
    split_on = datetime.date(2021, 4, 1)
    county = factories.CouncilFactory(
        authority_type="county",
        formal_name=hostile("Splitshire County Council")[:200],
        active_from=datetime.date(2020, 4, 1),
        active_to=split_on - datetime.timedelta(days=1),
    )
    for index in (1, 2):
        successor = factories.CouncilFactory(
            authority_type="unitary", formal_name=hostile(f"Successor {index} Council")[:200], active_from=split_on
        )
        factories.SuccessionFactory(predecessor=county, successor=successor, on=split_on)
    factories.ComplaintFactory(
        council=county,
        received_on=datetime.date(2021, 2, 1),
        status=Status.INVESTIGATION,
        complainant_address=hostile("1 High Street, Kettering NN16 8AB"),
    )
    return county


def build_world(*, council, other_council, manager) -> World:
    review_year = factories.ReviewYearFactory(label=LABEL)
    run = ReviewRun.objects.create(review_year=review_year, started_by=manager, queued=2)
    a = _side(council, review_year, run, manager, 1)
    b = _side(other_council, review_year, run, manager, 2)
    publish(review_year)
    next_year = factories.ReviewYearFactory(label="2020-21")
    letter_in(council, next_year, LetterStatus.APPROVED)
    ready_year = factories.ReviewYearFactory(label="2018-19")
    for each in (council, other_council):
        no_letter_reason_record(
            review_year=ready_year, council=each, reason=hostile("No chief executive on record"), by=manager
        )
    data = (
        "reference,council_gss_code,received_on,category,decided_on,outcome,upheld_kind,"
        "compliance_outcome,compliance_recorded_on\n"
        f"18 000 001,{council.gss_code},2018-05-01,Housing,2018-09-01,not_upheld,,,\n"
    ).encode()
    batch = importing.import_batch_upload(data=data, file_name="decisions.csv", by=manager)
    reorganised = _reorganised()
    forgetful = factories.CaseworkerFactory(email="forgot-password@example.org")  # never signs in here
    return World(
        a=a,
        b=b,
        review_year=review_year,
        next_year=next_year,
        ready_year=ready_year,
        run=run,
        category=Category.objects.filter(parent__isnull=False).order_by("pk").first(),
        import_batch=batch,
        reorganised=reorganised,
        reset_uid=urlsafe_base64_encode(force_bytes(forgetful.pk)),
        reset_token=default_token_generator.make_token(forgetful),
    )
