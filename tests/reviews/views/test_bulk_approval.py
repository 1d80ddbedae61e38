"""Bulk approval that means someone looked: figures and flags, select all across pages, and
saying when approving sends at once."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from reviews.models import AnnualLetter, LetterStatus, OutboxMessage
from tests import factories
from tests.reviews.approval.test_services import decide, draft
from tests.reviews.published import LONDON

Status = LetterStatus
BEFORE_LETTER_DATE = datetime.datetime(2020, 7, 1, 10, tzinfo=LONDON)  # 2019-20 letters are dated 21 July 2020
AFTER_LETTER_DATE = datetime.datetime(2020, 7, 22, 10, tzinfo=LONDON)
SAYS = "These letters will be emailed when you approve them"


@pytest.fixture
def year(db):
    return factories.ReviewYearFactory(label="2019-20")


@pytest.mark.django_db
def test_confirmation_shows_figures_against_average_and_last_year_with_flags(client_for, year, council, superuser):
    decide(council, upheld=True)
    factories.CouncilParagraphFactory(review_year=year, council=council, updated_by=superuser)
    letter = draft(year, council, ran_by=superuser)

    with time_machine.travel(BEFORE_LETTER_DATE, tick=False):
        response = client_for("manager").post(
            reverse("reviews:letters-bulk-approve", args=[year.label]), {"letters": [letter.pk]}
        )

    look = response.context["approvable"][0]["look"]
    upheld = look.rates[0]
    assert (upheld.council, upheld.average, upheld.last_year) == ("100%", "100%", "No letter")
    assert look.flags == [
        "Complaints upheld: 100% is based on fewer than 10 investigations (1).",
        "Complaints upheld is 100%.",
        "Satisfactory remedy: 0% is based on fewer than 10 upheld decisions (1).",
        "Satisfactory remedy is 0%.",
        "The letter has a council paragraph: read it.",
    ]
    assert "3 flags" not in response.text and "5 flags" in response.text
    assert "Complaints upheld is 100%." in response.text
    assert SAYS not in response.text


@pytest.mark.django_db
def test_select_all_matching_letters_selects_across_pages(client_for, year, superuser):
    for n in range(55):
        draft(year, factories.CouncilFactory(formal_name=f"Council {n:02d}"), ran_by=superuser)
    draft(year, factories.CouncilFactory(formal_name="Unitary", authority_type="unitary"), ran_by=superuser)
    client = client_for("manager")

    with time_machine.travel(BEFORE_LETTER_DATE, tick=False):
        listing = client.get(reverse("reviews:letter-list", args=[year.label]), {"authority_type": "district"})
        filters = re.search(r'name="filters" value="([^"]*)"', listing.text).group(1).replace("&amp;", "&")
        confirm = client.post(
            reverse("reviews:letters-bulk-approve", args=[year.label]), {"all": "1", "filters": filters}
        )

    assert "Select all 55 letters that match these filters" in listing.text
    assert filters == "authority_type=district"
    assert len(confirm.context["approvable"]) == 55
    assert "Unitary" not in confirm.text


@pytest.mark.django_db
def test_select_all_with_junk_filters_selects_nothing(client_for, year, superuser):
    draft(year, factories.CouncilFactory(), ran_by=superuser)

    response = client_for("manager").post(
        reverse("reviews:letters-bulk-approve", args=[year.label]), {"all": "1", "filters": "status=nonsense&x=%00"}
    )

    assert response.status_code == 302
    assert AnnualLetter.objects.get().status == Status.READY


@pytest.mark.django_db
def test_after_the_letter_date_the_pages_say_approving_emails_and_it_does(client_for, year, council, superuser):
    letter = draft(year, council, ran_by=superuser)
    client = client_for("manager")
    url = reverse("reviews:letters-bulk-approve", args=[year.label])

    with time_machine.travel(AFTER_LETTER_DATE, tick=False):
        listing = client.get(reverse("reviews:letter-list", args=[year.label]))
        page = client.get(reverse("reviews:letter-detail", args=[year.label, letter.pk]))
        confirm = client.post(url, {"letters": [letter.pk]})
        hidden = re.findall(r'name="letter" value="([^"]+)"', confirm.text)
        done = client.post(url, {"confirm": "1", "letter": hidden})
        after = client.get(done["Location"])

    assert SAYS in listing.text and SAYS in confirm.text
    assert "This letter will be emailed when you approve it" in page.text
    assert "1 letter approved. The letter date has passed, so they are being emailed now." in after.text
    assert OutboxMessage.objects.filter(letter=letter).count() == 1


@pytest.mark.django_db
def test_approving_one_letter_after_the_letter_date_queues_its_email(
    client_for, year, council, superuser, django_capture_on_commit_callbacks
):
    letter = draft(year, council, ran_by=superuser)
    client = client_for("manager")
    letter_url = reverse("reviews:letter-detail", args=[year.label, letter.pk])
    stamp = re.search(r'name="seen" value="([^"]+)"', client.get(letter_url).text).group(1)

    with time_machine.travel(AFTER_LETTER_DATE, tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("reviews:letter-approve", args=[year.label, letter.pk]), {"seen": stamp})
        page = client.get(letter_url)

    assert "The letter to Blaby District Council has been approved. It is being emailed now." in page.text
    assert OutboxMessage.objects.filter(letter=letter).count() == 1


@pytest.mark.django_db
def test_letter_page_timeline_comes_first_with_who_ran_approved_and_sent(client_for, year, council, superuser):
    letter = draft(year, council, ran_by=superuser)

    response = client_for("manager").get(reverse("reviews:letter-detail", args=[year.label, letter.pk]))

    text = response.text
    assert text.index('id="history">Timeline') < text.index(">Approval</h2>") < text.index(">The letter</h2>")
    assert "Review run</h3>" in text and f"by {escape(str(superuser))}" in text
