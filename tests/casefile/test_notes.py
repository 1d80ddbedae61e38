"""Notes on a case: added by staff, newest first, changed only by their author in the first 15
minutes (then corrected by a new note), never deleted; in the case's history; kept by the
database as well as the services."""

import datetime

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.db.models import ProtectedError
from django.urls import reverse
from django.utils import timezone

from casefile.models import Note, NoteKind
from casefile.services import note_add, note_edit
from complaints import history
from tests import factories

pytestmark = pytest.mark.django_db

ROLE_STATUS = [
    ("anonymous", 404),
    ("caseworker", 200),
    ("manager", 200),
    ("council_user", 404),
    ("other_council_user", 404),
]


def timeline_titles(complaint) -> list[str]:
    return [item.title for entry in history.case_timeline(complaint) for item in entry.items]


def timeline_lines(complaint) -> list[str]:
    lines = []
    for entry in history.case_timeline(complaint):
        for item in entry.items:
            lines += item.facts + [f"{change.label}: {change.old} -> {change.new}" for change in item.changes]
    return lines


def test_note_add_records_author_kind_text_and_history(caseworker):
    complaint = factories.ComplaintFactory()

    note = note_add(complaint=complaint, by=caseworker, kind=NoteKind.CALL, text="Rang the council's link officer.")

    assert (note.author, note.kind, note.text, note.corrects) == (
        caseworker,
        "call",
        "Rang the council's link officer.",
        None,
    )
    assert "Note added" in timeline_titles(complaint)
    assert {"Kind: Call", "Text: Rang the council's link officer."} <= set(timeline_lines(complaint))


def test_note_add_refuses_empty_text_and_an_unknown_kind(caseworker):
    complaint = factories.ComplaintFactory()

    with pytest.raises(ValidationError) as empty:
        note_add(complaint=complaint, by=caseworker, text="")
    with pytest.raises(ValidationError) as unknown:
        note_add(complaint=complaint, by=caseworker, kind="gossip", text="x")

    assert list(empty.value.message_dict) == ["text"]
    assert list(unknown.value.message_dict) == ["kind"]
    assert Note.objects.count() == 0


def test_note_add_refuses_a_council_user(council_user):
    with pytest.raises(ValidationError):
        note_add(complaint=factories.ComplaintFactory(), by=council_user, text="x")

    assert Note.objects.count() == 0


def test_note_edit_by_its_author_within_15_minutes_is_kept_in_history(caseworker):
    complaint = factories.ComplaintFactory()
    note = note_add(complaint=complaint, by=caseworker, text="Meeting on Tuesday.")

    with time_machine.travel(timezone.now() + datetime.timedelta(minutes=14), tick=False):
        note_edit(note=note, by=caseworker, kind=NoteKind.MEETING, text="Meeting on Wednesday.")

    note.refresh_from_db()
    assert (note.text, note.kind, note.edited_at is not None) == ("Meeting on Wednesday.", "meeting", True)
    assert {"Note changed", "Note added"} <= set(timeline_titles(complaint))
    assert {"Kind: none -> Meeting", "Text: Meeting on Tuesday. -> Meeting on Wednesday."} <= set(
        timeline_lines(complaint)
    )


def test_note_edit_after_15_minutes_is_refused(caseworker):
    note = note_add(complaint=factories.ComplaintFactory(), by=caseworker, text="As written.")

    later = timezone.now() + datetime.timedelta(minutes=15, seconds=1)
    with (
        time_machine.travel(later, tick=False),
        pytest.raises(ValidationError, match="only in the 15 minutes after it was written"),
    ):
        note_edit(note=note, by=caseworker, text="Rewritten.")

    note.refresh_from_db()
    assert note.text == "As written."


def test_note_edit_by_someone_else_is_refused(caseworker, manager):
    note = note_add(complaint=factories.ComplaintFactory(), by=caseworker, text="As written.")

    with pytest.raises(ValidationError, match="Only the author"):
        note_edit(note=note, by=manager, text="Rewritten.")

    note.refresh_from_db()
    assert note.text == "As written."


def test_note_correction_points_to_the_note_and_leaves_it_as_written(caseworker, manager):
    complaint = factories.ComplaintFactory()
    original = factories.NoteFactory(complaint=complaint, text="Council replied on 3 May.")

    correction = note_add(complaint=complaint, by=manager, text="It was 4 May.", corrects=original)

    original.refresh_from_db()
    assert (correction.corrects, original.text) == (original, "Council replied on 3 May.")
    assert timeline_titles(complaint).count("Correction note added") == 1


def test_note_correction_of_another_cases_note_is_refused(caseworker):
    other = factories.NoteFactory()

    with pytest.raises(ValidationError, match="case of the note it corrects"):
        note_add(complaint=factories.ComplaintFactory(), by=caseworker, text="x", corrects=other)


# The database keeps the same rules, whoever writes (the admin, a shell, raw SQL).


def _raw(sql: str, params: list) -> None:
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_database_refuses_changing_a_note_after_15_minutes():
    note = factories.NoteFactory(created_at=timezone.now() - datetime.timedelta(minutes=16))

    with pytest.raises(IntegrityError, match="only in the 15 minutes"):
        _raw("UPDATE casefile_note SET text = 'rewritten' WHERE id = %s", [note.pk])

    note.refresh_from_db()
    assert note.text == factories.NoteFactory.text


def test_database_lets_a_fresh_note_be_changed_but_not_its_author_case_or_time(caseworker):
    note = factories.NoteFactory()
    _raw("UPDATE casefile_note SET text = 'changed' WHERE id = %s", [note.pk])

    for column, value in [("author_id", caseworker.pk), ("complaint_id", factories.ComplaintFactory().pk)]:
        with pytest.raises(IntegrityError, match="cannot be changed"):
            _raw(f"UPDATE casefile_note SET {column} = %s WHERE id = %s", [value, note.pk])
    with pytest.raises(IntegrityError, match="cannot be changed"):
        _raw("UPDATE casefile_note SET created_at = now() WHERE id = %s", [note.pk])

    note.refresh_from_db()
    assert note.text == "changed"


def test_database_refuses_deleting_a_note_and_so_its_case():
    note = factories.NoteFactory()

    with pytest.raises(IntegrityError, match="cannot be deleted"):
        _raw("DELETE FROM casefile_note WHERE id = %s", [note.pk])
    with pytest.raises(ProtectedError):
        note.complaint.delete()

    assert Note.objects.filter(pk=note.pk).exists()


def test_database_refuses_a_correction_on_another_case():
    other = factories.NoteFactory()

    with pytest.raises(IntegrityError, match="case of the note it corrects"), transaction.atomic():
        factories.NoteFactory(corrects=other)


# Pages.


@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_note_add_page_per_role(client_for, council, role, status):
    complaint = factories.ComplaintFactory(council=council)

    response = client_for(role).get(reverse("casefile:note-add", args=[complaint.pk]))

    assert response.status_code == status


@pytest.mark.parametrize(("role", "status"), ROLE_STATUS)
def test_note_add_post_per_role(client_for, council, role, status):
    complaint = factories.ComplaintFactory(council=council)

    response = client_for(role).post(
        reverse("casefile:note-add", args=[complaint.pk]), {"kind": "call", "text": "Rang them."}
    )

    expected = {200: 302, 404: 404}[status]
    assert response.status_code == expected
    assert Note.objects.filter(complaint=complaint).count() == (1 if status == 200 else 0)
    if status == 200:
        assert response["Location"] == f"{complaint.get_absolute_url()}#notes"


def test_note_add_without_text_shows_the_error_summary_and_stores_nothing(client_for):
    complaint = factories.ComplaintFactory()

    response = client_for("caseworker").post(reverse("casefile:note-add", args=[complaint.pk]), {"kind": "call"})

    assert response.status_code == 200
    assert 'class="govuk-error-summary"' in response.content.decode()
    assert response.context["form"].errors == {"text": ["Enter the note"]}
    assert Note.objects.count() == 0


def test_note_of_another_case_is_404(client_for):
    note = factories.NoteFactory()
    complaint = factories.ComplaintFactory()

    response = client_for("caseworker").get(reverse("casefile:note-edit", args=[complaint.pk, note.pk]))

    assert response.status_code == 404


def test_note_edit_page_lets_the_author_change_it_and_tells_others_to_correct_it(client_for, caseworker, manager):
    note = factories.NoteFactory(author=caseworker)
    url = reverse("casefile:note-edit", args=[note.complaint_id, note.pk])

    as_author = client_for("caseworker").post(url, {"text": "Changed by its author."})
    client_for("manager")  # the same test client, now signed in as the manager
    as_other = client_for("manager").get(url)
    refused = client_for("manager").post(url, {"text": "Changed by someone else."})

    note.refresh_from_db()
    assert as_author.status_code == 302
    assert as_other.context["blocker"].startswith("Only its author can change a note")
    assert refused.status_code == 200
    assert 'class="govuk-error-summary"' in refused.content.decode()
    assert note.text == "Changed by its author."


def test_case_page_lists_notes_newest_first_with_corrections(client_for, caseworker, manager):
    complaint = factories.ComplaintFactory()
    now = timezone.now()
    first = factories.NoteFactory(
        complaint=complaint, author=manager, text="First.", created_at=now - datetime.timedelta(hours=2)
    )
    factories.NoteFactory(
        complaint=complaint, author=caseworker, text="Second.", created_at=now - datetime.timedelta(hours=1)
    )
    note_add(complaint=complaint, by=caseworker, text="First, corrected.", corrects=first)

    response = client_for("caseworker").get(complaint.get_absolute_url())

    notes = response.context["notes"]
    page = response.content.decode()
    assert [note.text for note in notes] == ["First, corrected.", "Second.", "First."]
    assert [note.is_corrected for note in notes] == [False, False, True]
    assert [note.can_edit for note in notes] == [True, False, False]
    assert "Notes (3)" in page
    assert reverse("casefile:note-edit", args=[complaint.pk, notes[0].pk]) in page
    assert reverse("casefile:note-edit", args=[complaint.pk, first.pk]) not in page
    assert "Note added" in [item.title for entry in response.context["timeline"] for item in entry.items]


def test_case_page_makes_a_fixed_number_of_queries_at_1_and_20_notes(client_for, caseworker, django_assert_num_queries):
    complaint = factories.ComplaintFactory(assigned_to=caseworker)
    factories.NoteFactory(complaint=complaint)
    client = client_for("caseworker")
    url = complaint.get_absolute_url()
    with django_assert_num_queries(17):
        at_1 = client.get(url)
    first = Note.objects.get()
    factories.NoteFactory.create_batch(18, complaint=complaint)
    note_add(complaint=complaint, by=caseworker, text="Correction.", corrects=first)

    with django_assert_num_queries(17):
        at_20 = client.get(url)

    assert (len(at_1.context["notes"]), len(at_20.context["notes"])) == (1, 20)
