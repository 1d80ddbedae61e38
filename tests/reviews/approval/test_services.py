"""Approval rules: four eyes, out of date, the frozen checksum, return, reissue, races, bulk approval."""

import datetime
import hashlib
import threading

import pytest
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from reviews import selectors
from reviews.approval import events, rules
from reviews.approval import services as approval
from reviews.letters import render
from reviews.models import AnnualLetter, LetterAction, LetterEvent, LetterStatus, ReviewRun
from tests import factories

Status = LetterStatus


@pytest.fixture
def year(db):
    return factories.ReviewYearFactory(label="2019-20")


def draft(review_year, council, *, ran_by, **values) -> AnnualLetter:
    """A rendered draft queued by a run that `ran_by` started."""
    if not council.contacts.exists():
        factories.ContactFactory(council=council)
    run = ReviewRun.objects.create(review_year=review_year, started_by=ran_by, queued=1)
    values = {"generated_by": ran_by, "updated_by": ran_by, **values}
    return factories.AnnualLetterFactory(council=council, review_year=review_year, ready=True, run=run, **values)


@pytest.fixture
def letter(year, council, manager):
    return draft(year, council, ran_by=manager)


def decide(council, **traits):
    complaint = factories.ComplaintFactory(council=council, received_on=datetime.date(2019, 5, 1))
    return factories.DecisionFactory(complaint=complaint, decided_on=datetime.date(2019, 9, 1), **traits)


def stamp(letter) -> str:
    letter.refresh_from_db()
    return rules.letter_stamp(letter, events.last_action_ids([letter.pk]).get(letter.pk))


@pytest.mark.django_db
def test_letter_approve_records_who_when_and_the_checksum(letter, second_manager):
    approved = approval.letter_approve(letter=letter, by=second_manager, seen=stamp(letter))

    letter.refresh_from_db()
    event = LetterEvent.objects.get()
    assert (letter.status, letter.approved_by, approved.pk) == (Status.APPROVED, second_manager, letter.pk)
    assert letter.approved_at is not None
    assert letter.pdf_sha256 == hashlib.sha256(factories.FAKE_PDF).hexdigest()
    assert (event.action, event.by, event.comment) == (
        LetterAction.APPROVED,
        second_manager,
        f"PDF SHA-256 {letter.pdf_sha256}",
    )


@pytest.mark.django_db
def test_letter_approve_is_refused_to_whoever_ran_the_review(letter, manager):
    with pytest.raises(ValidationError) as refused:
        approval.letter_approve(letter=letter, by=manager)

    letter.refresh_from_db()
    assert refused.value.messages == ["You ran the review that made this letter. Another manager must approve it."]
    assert letter.status == Status.READY


@pytest.mark.django_db
def test_letter_approve_is_refused_to_whoever_made_or_last_changed_it(year, council, other_council, second_manager):
    made = draft(year, council, ran_by=None, generated_by=second_manager, updated_by=None)
    changed = draft(year, other_council, ran_by=None, generated_by=None, updated_by=second_manager)

    reasons = [rules.approval_blockers(letter, second_manager, out_of_date=False) for letter in (made, changed)]

    assert reasons == [
        ["You made this version of the letter. Another manager must approve it."],
        ["You last changed this letter. Another manager must approve it."],
    ]


@pytest.mark.django_db
def test_letter_approve_is_refused_to_the_author_of_the_council_paragraph(year, council, manager, second_manager):
    factories.CouncilParagraphFactory(review_year=year, council=council, updated_by=second_manager)
    letter = draft(year, council, ran_by=manager)

    with pytest.raises(ValidationError) as refused:
        approval.letter_approve(letter=letter, by=second_manager)

    assert refused.value.messages == ["You wrote this letter's council paragraph. Another manager must approve it."]


@pytest.mark.django_db
def test_four_eyes_can_be_relaxed_for_small_offices(settings, letter, manager):
    settings.LETTER_FOUR_EYES = False

    approval.letter_approve(letter=letter, by=manager)

    letter.refresh_from_db()
    assert (letter.status, letter.approved_by) == (Status.APPROVED, manager)


@pytest.mark.django_db
def test_out_of_date_letter_cannot_be_approved_until_reissued(
    letter, council, manager, second_manager, superuser, django_capture_on_commit_callbacks
):
    decide(council, upheld=True)

    with pytest.raises(ValidationError) as refused:
        approval.letter_approve(letter=letter, by=second_manager)
    with django_capture_on_commit_callbacks(execute=True):
        new = approval.letter_reissue(letter=letter, by=second_manager, comment="A late decision was recorded.")
    new.refresh_from_db()
    with pytest.raises(ValidationError) as reissuer_refused:
        approval.letter_approve(letter=new, by=second_manager)
    approval.letter_approve(letter=new, by=superuser)

    letter.refresh_from_db()
    new.refresh_from_db()
    assert refused.value.messages == [rules.OUT_OF_DATE_REASON]
    assert reissuer_refused.value.messages == ["You made this version of the letter. Another manager must approve it."]
    assert (letter.status, new.status, new.version) == (Status.SUPERSEDED, Status.APPROVED, 2)
    assert new.snapshot["counts"]["upheld"] == 1
    assert letter.snapshot["counts"]["upheld"] == 0


@pytest.mark.django_db
def test_approval_refuses_a_pdf_that_changed_since_it_was_made(letter, second_manager):
    storage = storages["private"]
    storage.delete(letter.pdf_name)
    storage.save(letter.pdf_name, ContentFile(b"%PDF-1.7\n% edited on disk\n%%EOF\n"))

    with pytest.raises(ValidationError) as refused:
        approval.letter_approve(letter=letter, by=second_manager)

    letter.refresh_from_db()
    assert refused.value.messages == [
        "The stored PDF does not match the checksum recorded when it was made. Reissue the letter."
    ]
    assert letter.status == Status.READY


@pytest.mark.django_db
def test_approval_refuses_a_missing_pdf(letter, second_manager):
    storages["private"].delete(letter.pdf_name)

    with pytest.raises(ValidationError, match="missing from storage"):
        approval.letter_approve(letter=letter, by=second_manager)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        {"snapshot": {"changed": True}},
        {"pdf_sha256": "0" * 64},
        {"pdf_name": "letters/other.pdf"},
        {"version": 7},
        {"status": Status.READY},
        {"status": Status.PENDING},
    ],
)
def test_approved_letter_is_frozen_by_the_database(letter, second_manager, change):
    approval.letter_approve(letter=letter, by=second_manager)

    with pytest.raises(IntegrityError, match="reissue it as a new version"), transaction.atomic():
        AnnualLetter.objects.filter(pk=letter.pk).update(**change)


@pytest.mark.django_db
def test_frozen_letter_may_still_be_sent_and_superseded(letter, second_manager):
    approval.letter_approve(letter=letter, by=second_manager)

    AnnualLetter.objects.filter(pk=letter.pk).update(status=Status.SENT, sent_at=datetime.datetime.now(datetime.UTC))
    AnnualLetter.objects.filter(pk=letter.pk).update(status=Status.SUPERSEDED)

    letter.refresh_from_db()
    assert letter.status == Status.SUPERSEDED
    with pytest.raises(IntegrityError, match="cannot go from superseded back to sent"), transaction.atomic():
        AnnualLetter.objects.filter(pk=letter.pk).update(status=Status.SENT)


@pytest.mark.django_db
def test_rendering_never_touches_an_approved_letter(letter, second_manager):

    approval.letter_approve(letter=letter, by=second_manager)

    rendered = render.letter_render(letter_id=letter.pk)

    letter.refresh_from_db()
    assert rendered is False
    assert (letter.status, letter.attempts) == (Status.APPROVED, 0)


@pytest.mark.django_db
def test_letter_return_needs_a_comment_and_blocks_approval_until_made_again(
    letter, council, year, second_manager, superuser, django_capture_on_commit_callbacks
):
    with pytest.raises(ValidationError) as no_comment:
        approval.letter_return(letter=letter, by=second_manager, comment="  ")
    approval.letter_return(letter=letter, by=second_manager, comment="Mention the late remedies.")
    letter.refresh_from_db()
    blocked = rules.approval_blockers(letter, superuser, out_of_date=False)
    with django_capture_on_commit_callbacks(execute=True):
        approval.letter_paragraph_change(review_year=year, council=council, text="Remedies were late.", by=superuser)

    letter.refresh_from_db()
    assert no_comment.value.message_dict == {"comment": ["Say what needs to change"]}
    assert blocked == [rules.STATUS_REASONS[Status.RETURNED]]
    assert (letter.status, letter.version, letter.snapshot["paragraph"]) == (Status.READY, 1, "Remedies were late.")
    assert list(letter.actions.values_list("action", "by__email")) == [
        (LetterAction.PARAGRAPH, superuser.email),
        (LetterAction.RETURNED, second_manager.email),
    ]
    assert rules.approval_blockers(letter, superuser, out_of_date=False) == [
        "You last changed this letter. Another manager must approve it."
    ]


@pytest.mark.django_db
def test_returned_letter_is_made_again_by_a_run_when_its_figures_change(
    letter, council, year, second_manager, django_capture_on_commit_callbacks
):

    approval.letter_return(letter=letter, by=second_manager, comment="Check the figures.")
    decide(council, upheld=True)

    with django_capture_on_commit_callbacks(execute=True):
        render.review_run_start(review_year=year, by=second_manager)

    letter.refresh_from_db()
    assert (letter.status, letter.snapshot["counts"]["upheld"]) == (Status.READY, 1)


@pytest.mark.django_db
def test_paragraph_cannot_change_once_approved(letter, council, year, second_manager, superuser):
    approval.letter_approve(letter=letter, by=second_manager)

    with pytest.raises(ValidationError, match="Reissue the letter"):
        approval.letter_paragraph_change(review_year=year, council=council, text="Too late.", by=superuser)

    assert not LetterEvent.objects.filter(action=LetterAction.PARAGRAPH).exists()


@pytest.mark.django_db
def test_reissue_keeps_the_old_version_and_its_pdf(
    letter, second_manager, superuser, django_capture_on_commit_callbacks
):
    approval.letter_approve(letter=letter, by=second_manager)
    old_sha = AnnualLetter.objects.get(pk=letter.pk).pdf_sha256

    with django_capture_on_commit_callbacks(execute=True):
        new = approval.letter_reissue(letter=letter, by=superuser, comment="New chief executive.")

    letter.refresh_from_db()
    new.refresh_from_db()
    assert (letter.status, letter.pdf_sha256, letter.has_pdf) == (Status.SUPERSEDED, old_sha, True)
    assert storages["private"].open(letter.pdf_name).read() == factories.FAKE_PDF
    assert (new.version, new.status, new.generated_by, new.run) == (2, Status.READY, superuser, None)
    assert new.pdf_name != letter.pdf_name
    assert storages["private"].open(new.pdf_name).read().startswith(b"%PDF-")
    assert (
        LetterEvent.objects.get(action=LetterAction.REISSUED).comment == "Reissued as version 2: New chief executive."
    )


@pytest.mark.django_db
def test_reissue_needs_a_reason_and_a_made_letter(year, council, manager, superuser):
    pending = factories.AnnualLetterFactory(council=council, review_year=year)

    with pytest.raises(ValidationError) as no_reason:
        approval.letter_reissue(letter=pending, by=superuser, comment="")
    with pytest.raises(ValidationError, match="still being made"):
        approval.letter_reissue(letter=pending, by=superuser, comment="Why not")

    assert no_reason.value.message_dict == {"comment": ["Say why the letter is reissued"]}
    assert AnnualLetter.objects.count() == 1


@pytest.mark.django_db
def test_action_on_a_letter_that_changed_meanwhile_says_who_changed_it(letter, second_manager, superuser):
    seen = stamp(letter)
    second_manager.first_name, second_manager.last_name = "Sam", "Second"
    second_manager.save()
    approval.letter_return(letter=letter, by=second_manager, comment="Not yet.", seen=seen)
    at = LetterEvent.objects.get().at

    with pytest.raises(approval.LetterConflict) as conflict:
        approval.letter_approve(letter=letter, by=superuser, seen=seen)

    assert conflict.value.messages == [
        f"Sam Second returned this letter for changes at {timezone.localtime(at):%H:%M} while you were looking at it."
    ]


@pytest.mark.django_db
def test_approving_twice_tells_you_that_you_already_did(letter, second_manager):
    seen = stamp(letter)
    approval.letter_approve(letter=letter, by=second_manager, seen=seen)

    with pytest.raises(approval.LetterConflict) as conflict:
        approval.letter_approve(letter=letter, by=second_manager, seen=seen)

    at = LetterEvent.objects.get().at
    assert conflict.value.messages == [f"You already approved this letter at {timezone.localtime(at):%H:%M}."]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_managers_approving_at_once_one_wins_and_the_other_is_told_why():
    review_year = factories.ReviewYearFactory(label="2019-20")
    council = factories.CouncilFactory()
    letter = draft(review_year, council, ran_by=factories.ManagerFactory())
    managers = [
        factories.ManagerFactory(first_name="Ada", last_name="First"),
        factories.ManagerFactory(first_name="Sam", last_name="Second"),
    ]
    seen = stamp(letter)
    barrier = threading.Barrier(len(managers))
    outcomes: dict[str, object] = {}

    def approve(manager):
        try:
            barrier.wait(timeout=30)
            approval.letter_approve(letter=letter, by=manager, seen=seen)
            outcomes[manager.last_name] = "approved"
        except approval.LetterConflict as conflict:
            outcomes[manager.last_name] = conflict.messages[0]
        except BaseException as error:  # noqa: BLE001 - reported by the assertion below
            outcomes[manager.last_name] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=approve, args=(manager,)) for manager in managers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    letter.refresh_from_db()
    winner = next(name for name, outcome in outcomes.items() if outcome == "approved")
    loser = next(name for name in outcomes if name != winner)
    winner_user = next(manager for manager in managers if manager.last_name == winner)
    assert sorted(outcomes) == ["First", "Second"]
    assert letter.approved_by == winner_user
    assert LetterEvent.objects.filter(action=LetterAction.APPROVED).count() == 1
    assert isinstance(outcomes[loser], str)
    assert outcomes[loser].startswith(f"{winner_user} approved this letter at ")
    assert outcomes[loser].endswith(" while you were looking at it.")


@pytest.mark.django_db
def test_bulk_approval_applies_the_rules_to_each_letter(year, manager, second_manager, superuser):
    councils = [factories.CouncilFactory(authority_type=kind) for kind in ("district", "district", "unitary", "county")]
    mine = draft(year, councils[0], ran_by=manager)
    theirs = draft(year, councils[1], ran_by=superuser)
    stale = draft(year, councils[2], ran_by=manager)
    pending = factories.AnnualLetterFactory(council=councils[3], review_year=year)
    decide(councils[2], upheld=True)
    seen = {letter.pk: stamp(letter) for letter in (mine, theirs, stale, pending)}

    result = approval.letters_approve(review_year=year, seen=seen, by=superuser)

    statuses = dict(AnnualLetter.objects.values_list("pk", "status"))
    refused = {letter.pk: reasons for letter, reasons in result.refused}
    assert [letter.pk for letter in result.approved] == [mine.pk]
    assert refused == {
        theirs.pk: ["You ran the review that made this letter. Another manager must approve it."],
        stale.pk: [rules.OUT_OF_DATE_REASON],
        pending.pk: [rules.STATUS_REASONS[Status.PENDING]],
    }
    assert statuses == {
        mine.pk: Status.APPROVED,
        theirs.pk: Status.READY,
        stale.pk: Status.READY,
        pending.pk: Status.PENDING,
    }


@pytest.mark.django_db
def test_bulk_approval_computes_the_year_statistics_once(year, manager, second_manager, monkeypatch):
    letters = [draft(year, factories.CouncilFactory(), ran_by=manager) for _ in range(5)]
    seen = {letter.pk: None for letter in letters}
    calls = []

    def counting(*args, **kwargs):
        calls.append(args)
        return selectors.letters_out_of_date(*args, **kwargs)

    monkeypatch.setattr(approval, "letters_out_of_date", counting)

    result = approval.letters_approve(review_year=year, seen=seen, by=second_manager)

    assert len(result.approved) == 5
    assert len(calls) == 1
