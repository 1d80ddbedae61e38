"""Corrections after closing (issue 14 §3): a manager reopens a closed case with a reason; the
compliance outcomes go, the case returns to monitoring, the history keeps the reason, letters
whose figures change are out of date, and caseworkers see why nothing on a closed case has a
Change link."""

import datetime
import re

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from complaints import history
from complaints.models import Complaint, ComplianceOutcome, Recommendation, Status
from complaints.services.corrections import case_reopen
from complaints.services.decisions import decision_record, recommendation_compliance_record
from reviews import selectors as review_selectors
from tests import factories
from tests.reviews.published import sent_letter
from tests.roles import MANAGER_ONLY

pytestmark = pytest.mark.django_db
REASON = "The council's evidence showed the payment was made late, not on time."


def closed_case(council) -> Recommendation:
    """A case closed by its one recommendation's outcome, complied on time on 1 December 2019."""
    recommendation = factories.RecommendationFactory(decision__complaint__council=council)
    Complaint.objects.filter(pk=recommendation.decision.complaint_id).update(status=Status.REMEDY_MONITORING)
    recommendation_compliance_record(
        recommendation=recommendation, outcome="complied_on_time", recorded_on=datetime.date(2019, 12, 1)
    )
    recommendation.refresh_from_db()
    return recommendation


def test_case_reopen_removes_the_compliance_outcomes_and_returns_to_monitoring(council, manager):
    recommendation = closed_case(council)
    complaint = recommendation.decision.complaint

    case_reopen(complaint=complaint, reason=REASON, by=manager)

    complaint.refresh_from_db()
    recommendation.refresh_from_db()
    assert complaint.status == Status.REMEDY_MONITORING
    assert not ComplianceOutcome.objects.exists()
    assert (recommendation.compliance_outcome, recommendation.compliance_recorded_on) == ("", None)


def test_case_reopen_of_a_closed_case_without_remedies_returns_it_to_decided(council, manager):
    decision = factories.DecisionFactory(complaint__council=council, complaint__status=Status.CLOSED)

    case_reopen(complaint=decision.complaint, reason=REASON, by=manager)

    decision.complaint.refresh_from_db()
    assert decision.complaint.status == Status.DECIDED


@pytest.mark.parametrize("reason", ["", "   "])
def test_case_reopen_needs_a_reason(council, manager, reason):
    recommendation = closed_case(council)

    with pytest.raises(ValidationError) as error:
        case_reopen(complaint=recommendation.decision.complaint, reason=reason, by=manager)

    assert error.value.message_dict == {"reason": ["Enter why the case is being reopened"]}
    assert ComplianceOutcome.objects.count() == 1


def test_case_reopen_only_a_closed_case(council, manager):
    recommendation = factories.RecommendationFactory(decision__complaint__council=council)
    Complaint.objects.filter(pk=recommendation.decision.complaint_id).update(status=Status.REMEDY_MONITORING)

    with pytest.raises(ValidationError) as error:
        case_reopen(complaint=recommendation.decision.complaint, reason=REASON, by=manager)

    assert error.value.messages == ["Only a closed case can be reopened; this case is “Remedy monitoring”."]


def test_case_reopen_is_in_the_history_with_its_reason(council, manager):
    recommendation = closed_case(council)

    case_reopen(complaint=recommendation.decision.complaint, reason=REASON, by=manager)

    # One test transaction: every change shares one time, so look at the items, not the entries.
    items = [item for entry in history.case_timeline(recommendation.decision.complaint) for item in entry.items]
    titles = [item.title for item in items]
    reopened = items[titles.index("Case reopened")]
    assert reopened.facts == [f"Reason: {REASON}"]
    assert [change.new for change in reopened.changes] == ["Remedy monitoring"]
    assert {"Compliance outcome removed", "Compliance removed (apology)"} <= set(titles)


def test_case_reopen_flags_the_letter_whose_figures_it_changes_out_of_date(council, manager):
    recommendation = closed_case(council)
    year = factories.ReviewYearFactory(label="2019-20")
    letter = sent_letter(council, year)
    before = review_selectors.letters_out_of_date(year)

    case_reopen(complaint=recommendation.decision.complaint, reason=REASON, by=manager)

    assert (before, review_selectors.letters_out_of_date(year)) == (set(), {letter.pk})


def test_closed_case_refuses_a_new_decision(council, caseworker):
    decision = factories.DecisionFactory(complaint__council=council, complaint__status=Status.CLOSED)

    with pytest.raises(ValidationError) as error:
        decision_record(
            complaint=decision.complaint, decided_on=datetime.date(2019, 10, 1), outcome="not_upheld", by=caseworker
        )

    assert error.value.messages == [
        "This case is closed. A manager can reopen it, giving the reason, to correct its decision, "
        "recommendations or compliance."
    ]


@pytest.mark.parametrize(("role", "expected"), MANAGER_ONLY)
def test_case_reopen_page_access_per_role(client_for, council, role, expected):
    recommendation = closed_case(council)

    response = client_for(role).get(reverse("complaints:case-reopen", args=[recommendation.decision.complaint_id]))

    assert response.status_code == expected


@pytest.mark.parametrize("role", ["caseworker", "council_user", "anonymous"])
def test_case_reopen_refused_to_others_changes_nothing(client_for, council, role):
    recommendation = closed_case(council)

    response = client_for(role).post(
        reverse("complaints:case-reopen", args=[recommendation.decision.complaint_id]), {"reason": REASON}
    )

    assert response.status_code == (302 if role == "anonymous" else 403)
    assert ComplianceOutcome.objects.count() == 1


def test_case_reopen_form_by_a_manager(client_for, council, manager):
    recommendation = closed_case(council)
    url = reverse("complaints:case-reopen", args=[recommendation.decision.complaint_id])
    client = client_for("manager")

    empty = client.post(url, {"reason": ""})
    done = client.post(url, {"reason": REASON})

    assert empty.status_code == 200
    assert '<a href="#id_reason">Enter why the case is being reopened</a>' in empty.content.decode()
    assert done.status_code == 302
    assert Complaint.objects.get(pk=recommendation.decision.complaint_id).status == Status.REMEDY_MONITORING


def test_closed_case_page_says_why_there_is_no_change_link(client_for, council):
    recommendation = closed_case(council)
    url = reverse("complaints:case-detail", args=[recommendation.decision.complaint_id])
    reopen_url = reverse("complaints:case-reopen", args=[recommendation.decision.complaint_id])

    caseworker_page = client_for("caseworker").get(url).content.decode()
    manager_page = client_for("manager").get(url).content.decode()

    decision_row = re.search(r"Outcome</dt>.*?</div>", caseworker_page, re.S).group(0)
    assert "Closed: a manager can correct this" in decision_row
    assert "Change" not in decision_row
    assert reverse("complaints:decision-record", args=[recommendation.decision.complaint_id]) not in caseworker_page
    assert reopen_url not in caseworker_page
    assert reopen_url in manager_page
