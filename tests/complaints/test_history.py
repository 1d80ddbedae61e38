"""The case history timeline: who changed what, in plain words, from the database's history."""

import datetime

import pghistory
import pytest
from django.db import connection

from complaints import history
from complaints.models import Complaint, Status
from complaints.services.cases import complaint_assign, complaint_update
from complaints.services.decisions import (
    decision_record,
    recommendation_add,
    recommendation_remove,
    recommendation_update,
)
from tests import factories

pytestmark = pytest.mark.django_db


def entry_titled(entries, title):
    (entry,) = [entry for entry in entries if entry.title == title]
    return entry


def test_timeline_names_the_user_and_the_change(caseworker, manager):
    complaint = factories.ComplaintFactory(status=Status.RECEIVED)

    with pghistory.context(user=manager.pk, url="/cases/1/assign/"):
        complaint_assign(complaint=complaint, assigned_to=caseworker)

    # A test runs in one transaction, so every event has the same time: find the entry by title.
    latest = entry_titled(history.case_timeline(complaint), "Case assigned")
    assert latest.who == str(manager)
    assert latest.title == "Case assigned"
    assert [(c.label, c.old, c.new) for c in latest.items[0].changes] == [("Caseworker", "none", str(caseworker))]


def test_timeline_catches_bulk_changes_made_outside_the_pages():
    complaint = factories.ComplaintFactory(status=Status.RECEIVED)

    with pghistory.context(command="fix_statuses"):
        Complaint.objects.filter(pk=complaint.pk).update(status=Status.ASSESSMENT)

    latest = entry_titled(history.case_timeline(complaint), "Status changed")
    assert latest.who == "the fix_statuses command"
    assert [(c.label, c.old, c.new) for c in latest.items[0].changes] == [("Status", "Received", "Assessment")]


def test_timeline_covers_decisions_recommendations_and_compliance(manager):
    complaint = factories.ComplaintFactory(status=Status.INVESTIGATION)
    with pghistory.context(user=manager.pk):
        decision = decision_record(
            complaint=complaint,
            decided_on=datetime.date(2019, 9, 1),
            outcome="upheld",
            upheld_kind="injustice_remedy_recommended",
        )
        recommendation = recommendation_add(
            decision=decision, type="apology", description="Apologise", due_on=datetime.date(2019, 10, 1)
        )
        recommendation_remove(recommendation=recommendation)

    entry = entry_titled(history.case_timeline(complaint), "Decision recorded")
    titles = [item.title for item in entry.items]

    # One transaction and one context here, so one entry, the decision first.
    assert titles[0] == "Decision recorded"
    assert set(titles) == {
        "Decision recorded",
        "Status changed",
        "Recommendation added",
        "Recommendation removed",
    }


def test_timeline_reads_in_a_fixed_number_of_queries_however_long_the_history(manager, django_assert_num_queries):
    with pghistory.context(user=manager.pk):
        recommendation = factories.RecommendationFactory()
    complaint = recommendation.decision.complaint
    with django_assert_num_queries(5):
        short = history.case_timeline(complaint)
    for day in range(2, 22):
        with pghistory.context(user=manager.pk):
            recommendation_update(recommendation=recommendation, due_on=datetime.date(2019, 10, day))
            complaint_update(complaint=complaint, summary=f"Summary {day}")

    with django_assert_num_queries(5):
        long = history.case_timeline(complaint)

    assert len(long) >= len(short) + 20


def test_timeline_of_a_case_without_history_events_is_empty():
    complaint = factories.ComplaintFactory()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM complaints_complaintevent WHERE pgh_obj_id = %s", [complaint.pk])

    assert history.case_timeline(complaint) == []
