import datetime

import pytest
import time_machine
from django.urls import reverse

from reviews.models import LetterStatus, NoLetterReason, ReviewYear
from tests import factories
from tests.reviews.published import LONDON, day, letter_in, publish, sent_letter
from tests.roles import MANAGER_ONLY
from tests.utils import count_queries

# The year's page with its letters table and the publication checklist (four queries of it).
YEAR_PAGE_QUERIES = 26
MANAGER_POST = {"publish": 200, "withdraw": 200, "reason": 302}


@pytest.fixture
def year(db):
    return factories.ReviewYearFactory(label="2019-20")  # published 28 July 2020


def urls(year, council) -> dict[str, str]:
    return {
        "publish": reverse("reviews:year-publish", args=[year.label]),
        "withdraw": reverse("reviews:year-withdraw", args=[year.label]),
        "reason": reverse("reviews:no-letter-reason", args=[year.label, council.gss_code]),
    }


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), MANAGER_ONLY)
@pytest.mark.parametrize("page", ["publish", "withdraw", "reason"])
def test_publication_pages_are_for_managers(client_for, year, council, role, expected, page):
    get = client_for(role).get(urls(year, council)[page])
    post = client_for(role).post(urls(year, council)[page], {"reason": "No chief executive."})

    assert get.status_code == expected
    # A manager: nothing to publish or withdraw yet (the form's errors), a reason is recorded.
    assert post.status_code == (MANAGER_POST[page] if expected == 200 else expected)
    assert NoLetterReason.objects.exists() == (expected == 200 and page == "reason")
    year.refresh_from_db()
    assert year.published_at is None


@pytest.mark.django_db
def test_year_page_shows_the_checklist_with_the_councils_missing(client_for, year, council, other_council):
    sent_letter(council, year)
    letter_in(other_council, year, LetterStatus.APPROVED)
    factories.CouncilFactory(name="Adur", formal_name="Adur District Council")

    with time_machine.travel(day(year, before_publication=False), tick=False):
        response = client_for("manager").get(reverse("reviews:year-detail", args=[year.label]))

    checklist = response.context["checklist"]
    assert (len(checklist.sent), len(checklist.approved), len(checklist.not_sent)) == (1, 1, 1)
    assert "Councils without a sent letter" in response.text
    assert "Adur District Council" in response.text and "Leicester City Council" in response.text
    assert reverse("reviews:no-letter-reason", args=[year.label, other_council.gss_code]) in response.text
    assert "2 councils without a sent letter or a reason why not" in response.text
    assert "Publish 2019-20" not in response.text


@pytest.mark.django_db
def test_year_page_before_the_first_run_folds_the_councils_away(client_for, year, council, other_council):
    """Before the review has run no council has a letter: one sentence says what comes next, and
    the councils (to record a reason ahead of the run) wait behind a details summary, instead of
    every active council as "Missing" above the year's settings."""
    with time_machine.travel(day(year, before_publication=False), tick=False):
        response = client_for("manager").get(reverse("reviews:year-detail", args=[year.label]))

    checklist = response.context["checklist"]
    assert (checklist.has_letters, len(checklist.not_sent)) == (False, 2)
    text = response.text
    assert "No letters yet: run the review to make one for each of the 2 councils active in 2019-20." in text
    assert text.index("<details", text.index('id="publication"')) < text.index("Councils without a sent letter")
    assert reverse("reviews:no-letter-reason", args=[year.label, other_council.gss_code]) in text
    assert "without a sent letter or a reason why not" not in text


@pytest.mark.django_db
def test_year_page_with_a_letter_lists_the_councils_open(client_for, year, council, other_council):
    letter_in(council, year, LetterStatus.READY)

    response = client_for("manager").get(reverse("reviews:year-detail", args=[year.label]))

    assert response.context["checklist"].has_letters
    assert "No letters yet" not in response.text
    assert (
        "<details"
        not in response.text[response.text.index('id="publication"') : response.text.index("Councils without")]
    )


@pytest.mark.django_db
def test_publish_button_only_when_the_date_has_come_and_nothing_is_missing(client_for, year, council):
    sent_letter(council, year)
    page = reverse("reviews:year-detail", args=[year.label])

    with time_machine.travel(day(year, before_publication=True), tick=False):
        before = client_for("manager").get(page)
    with time_machine.travel(day(year, before_publication=False), tick=False):
        on_the_day = client_for("manager").get(page)

    assert "Publish 2019-20" not in before.text
    assert "The publication date has not come" in before.text
    assert "Publish 2019-20" in on_the_day.text


@pytest.mark.django_db
def test_manager_records_a_reason_then_publishes(client_for, year, council, other_council, manager):
    sent_letter(council, year)
    client = client_for("manager")

    with time_machine.travel(day(year, before_publication=False), tick=False):
        saved = client.post(
            reverse("reviews:no-letter-reason", args=[year.label, other_council.gss_code]),
            {"reason": "No chief executive on record."},
        )
        published = client.post(reverse("reviews:year-publish", args=[year.label]))

    year.refresh_from_db()
    assert saved.status_code == 302
    assert NoLetterReason.objects.get().reason == "No chief executive on record."
    assert published.status_code == 302
    assert (year.published_at, year.published_by) == (day(year, before_publication=False), manager)


@pytest.mark.django_db
def test_publish_page_says_reasons_are_shown_only_once_every_council_has_one(client_for, year, council, other_council):
    sent_letter(council, year)
    url = reverse("reviews:year-publish", args=[year.label])
    shown = "The 1 council without a sent letter is shown with the reason you recorded."

    with time_machine.travel(day(year, before_publication=False), tick=False):
        missing = client_for("manager").get(url)
        NoLetterReason.objects.create(review_year=year, council=other_council, reason="No chief executive on record.")
        complete = client_for("manager").get(url)

    assert shown not in missing.text
    assert f'href="{reverse("reviews:year-detail", args=[year.label])}#publication"' in missing.text
    assert shown in complete.text
    assert "record a reason for each council" not in complete.text


@pytest.mark.django_db
def test_publish_refused_shows_the_error_summary(client_for, year, council, other_council):
    sent_letter(council, year)

    with time_machine.travel(day(year, before_publication=False), tick=False):
        response = client_for("manager").post(reverse("reviews:year-publish", args=[year.label]))

    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "1 council without a sent letter or a reason why not: Leicester City Council." in response.text
    assert not ReviewYear.objects.published().exists()


@pytest.mark.django_db
def test_withdraw_needs_a_reason_and_records_it(client_for, year, council, second_manager):
    sent_letter(council, year)
    publish(year)
    client = client_for("manager")

    empty = client.post(reverse("reviews:year-withdraw", args=[year.label]), {"reason": " "})
    with time_machine.travel(datetime.datetime(2020, 8, 3, 10, tzinfo=LONDON), tick=False):
        done = client.post(reverse("reviews:year-withdraw", args=[year.label]), {"reason": "Wrong figures."})

    year.refresh_from_db()
    assert empty.status_code == 200 and "Say why the year is withdrawn" in empty.text
    assert done.status_code == 302
    assert (year.published_at, year.withdrawn_reason) == (None, "Wrong figures.")


@pytest.mark.django_db
def test_year_page_query_count_with_the_checklist_is_pinned(client_for, year):
    client = client_for("manager")

    def add_councils(count):
        for _ in range(count):
            sent_letter(factories.CouncilFactory(), year)

    add_councils(1)
    one = count_queries(lambda: client.get(reverse("reviews:year-detail", args=[year.label])))
    add_councils(19)
    twenty = count_queries(lambda: client.get(reverse("reviews:year-detail", args=[year.label])))

    assert (one, twenty) == (YEAR_PAGE_QUERIES, YEAR_PAGE_QUERIES)
