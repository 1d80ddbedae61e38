"""Who reaches a letter in each status of its life: managers see every version on the staff
pages; the council's own users see it in the portal only once it has been sent; the public
only once sent and its year published; another council's user never (404), whatever the id."""

import datetime

import pytest
from django.urls import reverse

from reviews.models import AnnualLetter, LetterStatus
from reviews.publication import services as publication
from tests import factories
from tests.reviews.published import letter_in, publish
from tests.security.access import Clients, response_problems

Status = LetterStatus
SENT_STATUSES = (Status.SENT, Status.SUPERSEDED)  # superseded after being sent: the latest sent version


def letter_with_status(council, status: str, index: int) -> AnnualLetter:
    """Council A's letter of its own (published-dated) year, moved to `status`."""
    review_year = factories.ReviewYearFactory(label=f"{2010 + index}-{(11 + index) % 100:02d}")
    if status == Status.RETURNED:
        letter = letter_in(council, review_year, Status.READY)
        AnnualLetter.objects.filter(pk=letter.pk).update(status=status, return_comment="Check the figures.")
    elif status == Status.FAILED:
        letter = letter_in(council, review_year, Status.PENDING)
        AnnualLetter.objects.filter(pk=letter.pk).update(status=status, error="Render failed")
    elif status == Status.WITHDRAWN:
        letter = letter_in(council, review_year, Status.APPROVED)
        AnnualLetter.objects.filter(pk=letter.pk).update(status=status)
    else:
        letter = letter_in(council, review_year, status)
    letter.refresh_from_db()
    return letter


@pytest.fixture
def clients(request) -> Clients:
    roles = ("anonymous", "caseworker", "manager", "council_user", "other_council_user", "superuser")
    return Clients({role: None if role == "anonymous" else request.getfixturevalue(role) for role in roles})


@pytest.mark.django_db
@pytest.mark.parametrize("status", list(Status))
def test_letter_in_each_status_reaches_only_whom_it_should(status, council, other_council, clients):
    letter = letter_with_status(council, status, list(Status).index(status))
    label, gss_code = letter.review_year.label, council.gss_code
    sent = status in SENT_STATUSES
    assert letter.review_year.publication_date < datetime.date.today()
    if sent:  # then the year can be published (B has no letter, with a reason); otherwise it cannot
        publication.no_letter_reason_record(
            review_year=letter.review_year, council=other_council, reason="No chief executive on record.", by=None
        )
        publish(letter.review_year)
    urls = {
        "preview": reverse("reviews:letter-preview", args=[label, letter.pk]),
        "staff_pdf": reverse("reviews:letter-pdf", args=[label, letter.pk]),
        "portal_pdf": reverse("portal:letter-pdf", args=[letter.pk]),
        "public_pdf": reverse("published:letter-pdf", args=[gss_code, label]),
        "public_council": reverse("published:council", args=[gss_code]),
    }
    expected = {
        ("manager", "preview"): 200,
        ("manager", "staff_pdf"): 200 if letter.has_pdf else 404,
        ("caseworker", "preview"): 403,
        ("caseworker", "staff_pdf"): 403,
        ("council_user", "preview"): 403,
        ("council_user", "portal_pdf"): 200 if sent else 404,
        ("other_council_user", "portal_pdf"): 404,
        ("manager", "portal_pdf"): 403,
        ("anonymous", "public_pdf"): 200 if sent else 404,
        ("other_council_user", "public_pdf"): 200 if sent else 404,
    }

    answers = {(role, page): clients.request(role, "GET", urls[page])[0] for role, page in expected}

    assert {key: response.status_code for key, response in answers.items()} == expected
    assert all(response_problems(response) == [] for response in answers.values())
    council_page = clients.request("anonymous", "GET", urls["public_council"])[0].content.decode()
    assert (urls["public_pdf"] in council_page) == sent


@pytest.mark.django_db
def test_council_user_cannot_reach_another_councils_sent_letter_by_any_id(council, other_council, clients):
    own = letter_with_status(council, Status.SENT, 0)
    theirs = letter_with_status(other_council, Status.SENT, 1)

    answers = {
        letter.pk: clients.request("council_user", "GET", reverse("portal:letter-pdf", args=[letter.pk]))[0].status_code
        for letter in (own, theirs)
    }
    unknown = clients.request("council_user", "GET", reverse("portal:letter-pdf", args=[theirs.pk + 1000]))[0]

    assert answers == {own.pk: 200, theirs.pk: 404}
    assert unknown.status_code == 404
