import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError

from reviews.models import LetterStatus, NoLetterReason, PublicationAction, PublicationEvent, ReviewYear
from reviews.publication import services
from reviews.publication.changes import year_changes
from reviews.publication.checklist import publication_checklist
from tests import factories
from tests.reviews.published import LONDON, day, letter_in, publish, sent_letter


@pytest.fixture
def year(db):
    return factories.ReviewYearFactory(label="2019-20")  # letters 21 July 2020, published 28 July 2020


@pytest.mark.django_db
def test_checklist_groups_every_active_council(year, council, other_council):
    sent_letter(council, year)
    letter_in(other_council, year, LetterStatus.APPROVED)
    nothing = factories.CouncilFactory(name="Adur", formal_name="Adur District Council")
    factories.CouncilFactory(name="Gone", active_to=datetime.date(2019, 3, 31))  # not active in 2019-20

    checklist = publication_checklist(year, today=datetime.date(2020, 7, 28))

    assert [line.council for line in checklist.sent] == [council]
    assert [line.council for line in checklist.approved] == [other_council]
    assert [(line.council, line.status_text) for line in checklist.not_sent] == [(nothing, "No letter")]
    assert [line.council for line in checklist.missing] == [other_council, nothing]
    assert (checklist.date_has_come, checklist.complete, checklist.can_publish) == (True, False, False)


@pytest.mark.django_db
def test_checklist_is_four_queries(year, council, other_council, django_assert_num_queries):
    sent_letter(council, year)

    with django_assert_num_queries(4):
        publication_checklist(year, today=datetime.date(2020, 7, 28))


@pytest.mark.django_db
def test_publish_sets_the_year_public_in_one_step_with_an_event(year, council, manager):
    sent_letter(council, year)

    published = publish(year, by=manager)

    year.refresh_from_db()
    event = PublicationEvent.objects.get()
    assert (year.published_at, year.published_by) == (day(year, before_publication=False), manager)
    assert published.is_published
    assert (event.action, event.by, event.at) == (PublicationAction.PUBLISHED, manager, year.published_at)


@pytest.mark.django_db
def test_publish_is_refused_before_the_date_and_with_a_council_missing(year, council, other_council, manager):
    sent_letter(council, year)

    with pytest.raises(ValidationError) as refused:
        publish(year, by=manager, now=day(year, before_publication=True))

    assert refused.value.messages == [
        "The publication date has not come: 2019-20 can be published from 28 July 2020.",
        "1 council without a sent letter or a reason why not: Leicester City Council.",
    ]
    year.refresh_from_db()
    assert year.published_at is None
    assert not PublicationEvent.objects.exists()


@pytest.mark.django_db
def test_a_recorded_reason_lets_the_year_be_published(year, council, other_council, manager):
    sent_letter(council, year)

    reason = services.no_letter_reason_record(
        review_year=year, council=other_council, reason="  No chief executive on record. \r\n", by=manager
    )
    publish(year, by=manager)

    assert (reason.reason, reason.recorded_by) == ("No chief executive on record.", manager)
    assert ReviewYear.objects.published().get() == year


@pytest.mark.django_db
def test_reason_is_refused_for_a_sent_letter_an_inactive_council_or_a_published_year(year, council, manager):
    sent_letter(council, year)
    gone = factories.CouncilFactory(name="Gone", active_to=datetime.date(2019, 3, 31))
    later = factories.CouncilFactory(name="Later")

    with pytest.raises(ValidationError, match="has been sent"):
        services.no_letter_reason_record(review_year=year, council=council, reason="x", by=manager)
    with pytest.raises(ValidationError, match="is not active in 2019-20"):
        services.no_letter_reason_record(review_year=year, council=gone, reason="x", by=manager)
    services.no_letter_reason_record(review_year=year, council=later, reason="No chief executive.", by=manager)
    publish(year, by=manager)
    with pytest.raises(ValidationError, match="is published"):
        services.no_letter_reason_record(review_year=year, council=later, reason="", by=manager)

    assert list(NoLetterReason.objects.values_list("reason", flat=True)) == ["No chief executive."]


@pytest.mark.django_db
def test_an_empty_reason_removes_it(year, council, manager):
    services.no_letter_reason_record(review_year=year, council=council, reason="No chief executive.", by=manager)

    removed = services.no_letter_reason_record(review_year=year, council=council, reason=" ", by=manager)

    assert (removed, NoLetterReason.objects.count()) == (None, 0)


@pytest.mark.django_db
def test_scheduled_check_publishes_only_when_nothing_is_missing(year, council, other_council):
    sent_letter(council, year)
    approved = letter_in(other_council, year, LetterStatus.APPROVED)
    on_the_day = day(year, before_publication=False)

    waiting = services.review_years_publish_due(now=on_the_day)
    sent_letter(factories.CouncilFactory(), year)
    type(approved).objects.filter(pk=approved.pk).update(status=LetterStatus.SENT, sent_at=on_the_day)
    published = services.review_years_publish_due(now=on_the_day + datetime.timedelta(minutes=30))

    assert waiting == []
    assert [review_year.label for review_year in published] == ["2019-20"]
    assert PublicationEvent.objects.get().by is None


@pytest.mark.django_db
def test_withdraw_takes_the_year_off_and_republish_puts_it_back(year, council, manager, second_manager):
    sent_letter(council, year)
    publish(year, by=manager)

    with time_machine.travel(datetime.datetime(2020, 8, 3, 10, tzinfo=LONDON), tick=False):
        services.review_year_withdraw(review_year=year, by=second_manager, reason=" Wrong figures. ")
        withdrawn = ReviewYear.objects.get(pk=year.pk)
        skipped = services.review_years_publish_due()
        services.review_year_publish(review_year=year, by=manager)

    year.refresh_from_db()
    assert (withdrawn.published_at, withdrawn.withdrawn_by, withdrawn.withdrawn_reason) == (
        None,
        second_manager,
        "Wrong figures.",
    )
    assert list(ReviewYear.objects.withdrawn()) == []
    assert skipped == []  # a withdrawn year waits for a manager
    assert (year.is_published, year.withdrawn_at, year.withdrawn_reason) == (True, None, "")
    assert [event.action for event in PublicationEvent.objects.order_by("at", "pk")] == [
        PublicationAction.PUBLISHED,
        PublicationAction.WITHDRAWN,
        PublicationAction.REPUBLISHED,
    ]


@pytest.mark.django_db
def test_withdraw_needs_a_reason_and_a_published_year(year, council, manager):
    with pytest.raises(ValidationError, match="not published"):
        services.review_year_withdraw(review_year=year, by=manager, reason="Wrong.")
    with pytest.raises(ValidationError, match="Say why the year is withdrawn"):
        services.review_year_withdraw(review_year=year, by=manager, reason="  ")


@pytest.mark.django_db
def test_changelog_lists_publication_corrections_and_withdrawal(year, council, other_council, manager):
    sent_letter(council, year)
    first = sent_letter(other_council, year)
    publish(year, by=manager)
    type(first).objects.filter(pk=first.pk).update(status=LetterStatus.SUPERSEDED)
    corrected_at = datetime.datetime(2020, 8, 1, 9, tzinfo=LONDON)
    sent_letter(other_council, year, version=2, sent_at=corrected_at)
    with time_machine.travel(datetime.datetime(2020, 8, 3, 10, tzinfo=LONDON), tick=False):
        services.review_year_withdraw(review_year=year, by=manager, reason="Wrong figures.")

    changes = year_changes(year)

    assert [(change.at, change.kind, change.text) for change in changes] == [
        (day(year, before_publication=False), "published", "2019-20 published."),
        (
            corrected_at,
            "corrected",
            "Corrected letter to Leicester City Council (version 2): its figures replace those of the earlier version.",
        ),
        (datetime.datetime(2020, 8, 3, 10, tzinfo=LONDON), "withdrawn", "2019-20 withdrawn: Wrong figures."),
    ]
