import datetime
import logging

import pytest
from django.core import mail
from django.utils import timezone

from demo import history
from ombudsman.working_days import working_days_before
from reviews.models import (
    AnnualLetter,
    LetterAction,
    LetterEvent,
    LetterStatus,
    OutboxMessage,
    PublicationEvent,
    ReviewYear,
)
from reviews.policy import SEND_FROM
from tests import factories


@pytest.fixture
def demo_world(db):
    for name, code in (("Blaby", "E07000129"), ("Harborough", "E07000131")):
        council = factories.CouncilFactory(name=name, formal_name=f"{name} District Council", gss_code=code)
        factories.ContactFactory(council=council, role="chief_executive")
        factories.ContactFactory(council=council, role="link_officer", title="Mr")
        factories.DecisionFactory(
            complaint__council=council,
            decided_on=datetime.date(2021, 6, 1),
            upheld=True,
            complaint__received_on=datetime.date(2021, 1, 5),
        )
    factories.ManagerFactory(email=history.RUN_BY)
    factories.ManagerFactory(email=history.APPROVED_BY)


@pytest.mark.django_db
def test_history_advance_runs_approves_sends_and_publishes_the_past_years(
    demo_world, django_capture_on_commit_callbacks, caplog
):
    steps = []

    with caplog.at_level(logging.INFO, logger="demo.history"):
        for _ in range(60):
            with django_capture_on_commit_callbacks(execute=True):
                steps.append(history.history_advance())
            if steps[-1] == "history complete":
                break
        for _ in range(3):  # beat goes on calling every 10 s
            assert history.history_advance() == "history complete"

    assert steps[-1] == "history complete"
    assert steps[:2] == [
        "publishing 2019-20: review year created",
        "publishing 2019-20: review started, 0 of 2 letters",
    ]
    assert "2019-20 published (1 of 5 years)" in steps
    assert steps[-3:-1] == ["2023-24 published (5 of 5 years)", "2023-24 publication dated on 28 July 2024"]
    logged = [record.getMessage() for record in caplog.records if record.name == "demo.history"]
    assert logged.count("Demo history: history complete") == 1  # said once, not every 10 s
    assert logged == [f"Demo history: {step}" for step in steps]
    years = ReviewYear.objects.order_by("label")
    assert [year.label for year in years] == list(history.HISTORY_YEARS)
    assert all(year.published_at is not None for year in years)
    letters = AnnualLetter.objects.all()
    assert letters.count() == 2 * len(history.HISTORY_YEARS)
    assert set(letters.values_list("status", flat=True)) == {LetterStatus.SENT}
    assert {letter.approved_by.email for letter in letters} == {history.APPROVED_BY}
    assert {letter.run.started_by.email for letter in letters} == {history.RUN_BY}
    assert len(mail.outbox) == 2 * 2 * len(history.HISTORY_YEARS)  # chief executive and link officer, every letter
    assert "publishing 2019-20: 2 letters dated as sent on 21 July 2020" in steps


@pytest.mark.django_db
def test_history_dates_each_years_sending_on_its_letter_date(demo_world, django_capture_on_commit_callbacks):
    """The portal read "Sent 3 December 2026" (the day the demo was set up) beside "Published on 28 July 2020"."""
    for _ in range(60):
        with django_capture_on_commit_callbacks(execute=True):
            if history.history_advance() == "history complete":
                break

    def local(moment) -> tuple[datetime.date, datetime.time]:
        moment = timezone.localtime(moment)
        return moment.date(), moment.time()

    sent = {
        (letter.review_year.label, local(letter.sent_at))
        for letter in AnnualLetter.objects.select_related("review_year")
    }
    assert sent == {(year.label, (year.letter_date, SEND_FROM)) for year in ReviewYear.objects.all()}
    emails = OutboxMessage.objects.select_related("letter__review_year")
    assert {local(email.sent_at)[0] == email.letter.review_year.letter_date for email in emails} == {True}
    events = LetterEvent.objects.filter(action__in=(LetterAction.SEND_REQUESTED, LetterAction.SENT))
    assert events.count() == 2 * 2 * len(history.HISTORY_YEARS)
    assert {local(event.at)[0] == event.letter.review_year.letter_date for event in events} == {True}
    assert history.sending_dated(ReviewYear.objects.get(label="2019-20")) == 0  # done once


def _history_completed(capture) -> None:
    for _ in range(80):
        with capture(execute=True):
            if history.history_advance() == "history complete":
                return
    raise AssertionError("the history did not complete")


def _letter_times(letter: AnnualLetter) -> list[datetime.datetime]:
    """Run < approved < sent < published, as the staff letter page, the year page and the portal show them."""
    approved = letter.actions.get(action=LetterAction.APPROVED).at
    published = PublicationEvent.objects.get(review_year=letter.review_year).at
    return [letter.run.started_at, letter.generated_at, letter.approved_at, approved, letter.sent_at, published]


@pytest.mark.django_db
def test_history_dates_each_years_run_approval_and_publication_in_that_year(
    demo_world, django_capture_on_commit_callbacks
):
    """A past letter's timeline read "Approved 3 December 2026" (the day the demo was set up) above "Sent 21 July
    2020", and the year "Published on 3 December 2026"."""
    _history_completed(django_capture_on_commit_callbacks)

    first = AnnualLetter.objects.select_related("run", "review_year").filter(review_year__label="2019-20").first()
    assert [timezone.localtime(moment).isoformat() for moment in _letter_times(first)] == [
        "2020-07-17T09:00:00+01:00",  # Friday, two working days before the letter date (Tuesday 21 July 2020)
        "2020-07-17T09:00:00+01:00",
        "2020-07-20T15:00:00+01:00",  # Monday
        "2020-07-20T15:00:00+01:00",
        "2020-07-21T08:00:00+01:00",
        "2020-07-28T09:00:00+01:00",  # the publication date
    ]
    assert timezone.localtime(first.review_year.published_at) == timezone.localtime(_letter_times(first)[-1])
    for letter in AnnualLetter.objects.select_related("run", "review_year"):
        times = _letter_times(letter)
        year = letter.review_year
        assert times[2] < times[4] < times[5]
        assert timezone.localtime(times[0]).date() == working_days_before(year.letter_date, 2)
        assert timezone.localtime(times[2]).date() == working_days_before(year.letter_date, 1)
        assert timezone.localtime(times[5]).date() == year.publication_date
    for year in ReviewYear.objects.all():
        assert (history.approval_dated(year), history.publication_dated(year)) == (0, 0)  # done once


@pytest.mark.django_db
def test_history_dates_the_past_years_of_an_existing_demo(demo_world, django_capture_on_commit_callbacks, monkeypatch):
    """A demo set up before the dating steps has every year published, approved and run today."""
    with monkeypatch.context() as before:
        before.setattr(history, "approval_dated", lambda review_year: 0)
        before.setattr(history, "publication_dated", lambda review_year: 0)
        _history_completed(django_capture_on_commit_callbacks)
    assert {timezone.localdate(year.published_at) for year in ReviewYear.objects.all()} == {timezone.localdate()}

    steps = [history.history_advance() for _ in range(2 * len(history.HISTORY_YEARS) + 1)]

    assert steps[:2] == [
        "publishing 2019-20: 2 letters dated as approved on 20 July 2020",
        "2019-20 publication dated on 28 July 2020",
    ]
    assert steps[-1] == "history complete"
    assert {(year.label, timezone.localdate(year.published_at)) for year in ReviewYear.objects.all()} == {
        (year.label, year.publication_date) for year in ReviewYear.objects.all()
    }
    for letter in AnnualLetter.objects.select_related("run", "review_year"):
        assert sorted(_letter_times(letter)) == _letter_times(letter)
        assert timezone.localtime(letter.approved_at).date() == working_days_before(letter.review_year.letter_date, 1)


@pytest.mark.django_db
def test_history_advance_does_nothing_without_the_demo_managers(db):
    assert history.history_advance() == "the demo managers do not exist (run demo_setup)"
    assert not ReviewYear.objects.exists()
