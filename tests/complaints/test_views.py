"""Casework pages: access per role for every page, and a case taken from intake to closed
compliance through the forms, as a caseworker would in the browser."""

import datetime
import re

import pytest
from django.urls import reverse

from complaints.models import Complaint, ComplianceOutcome, Decision, Recommendation, Status
from tests import factories
from tests.roles import MANAGER_ONLY, STAFF_ONLY

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(council):
    """A case about the council user's own council, upheld with a recommendation due."""
    recommendation = factories.RecommendationFactory(decision__complaint__council=council)
    Complaint.objects.filter(pk=recommendation.decision.complaint_id).update(status=Status.REMEDY_MONITORING)
    return recommendation


def case_urls(case) -> dict[str, str]:
    pk = case.decision.complaint_id
    return {
        "complaints:case-list": reverse("complaints:case-list"),
        "complaints:my-cases": reverse("complaints:my-cases"),
        "complaints:case-create": reverse("complaints:case-create"),
        "complaints:remedy-queue": reverse("complaints:remedy-queue"),
        "complaints:case-detail": reverse("complaints:case-detail", args=[pk]),
        "complaints:case-edit": reverse("complaints:case-edit", args=[pk]),
        "complaints:case-assign": reverse("complaints:case-assign", args=[pk]),
        "complaints:case-close": reverse("complaints:case-close", args=[pk]),
        "complaints:decision-record": reverse("complaints:decision-record", args=[pk]),
        "complaints:recommendation-add": reverse("complaints:recommendation-add", args=[pk]),
        "complaints:recommendation-edit": reverse("complaints:recommendation-edit", args=[pk, case.pk]),
        "complaints:recommendation-remove": reverse("complaints:recommendation-remove", args=[pk, case.pk]),
        "complaints:compliance-record": reverse("complaints:compliance-record", args=[pk]),
        "complaints:recommendation-compliance": reverse("complaints:recommendation-compliance", args=[pk, case.pk]),
    }


CASEWORK_PAGES = [
    "complaints:case-list",
    "complaints:my-cases",
    "complaints:case-create",
    "complaints:remedy-queue",
    "complaints:case-detail",
    "complaints:case-edit",
    "complaints:case-assign",
    "complaints:case-close",
    "complaints:decision-record",
    "complaints:recommendation-add",
    "complaints:recommendation-edit",
    "complaints:recommendation-remove",
    "complaints:compliance-record",
    "complaints:recommendation-compliance",
]


@pytest.mark.parametrize(("role", "expected"), STAFF_ONLY)
@pytest.mark.parametrize("name", CASEWORK_PAGES)
def test_casework_pages_access_per_role(client_for, case, role, expected, name):
    response = client_for(role).get(case_urls(case)[name])

    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


WRITE_PAGES = [
    name
    for name in CASEWORK_PAGES
    if name not in ("complaints:case-list", "complaints:my-cases", "complaints:remedy-queue", "complaints:case-detail")
]


@pytest.mark.parametrize("role", ["council_user", "other_council_user", "anonymous"])
@pytest.mark.parametrize("name", WRITE_PAGES)
def test_casework_writes_refused_to_council_users_and_anonymous(client_for, case, role, name):
    before = (Complaint.objects.count(), Decision.objects.count(), Recommendation.objects.count())

    response = client_for(role).post(case_urls(case)[name], {"outcome": "not_upheld", "assigned_to": ""})

    assert response.status_code == (302 if role == "anonymous" else 403)
    assert (Complaint.objects.count(), Decision.objects.count(), Recommendation.objects.count()) == before


@pytest.mark.parametrize(("role", "expected"), MANAGER_ONLY)
@pytest.mark.parametrize("name", ["complaints:category-list", "complaints:category-add", "complaints:category-edit"])
def test_category_pages_access_per_role(client_for, role, expected, name):
    args = [factories.category("housing").pk] if name == "complaints:category-edit" else []

    response = client_for(role).get(reverse(name, args=args))

    assert response.status_code == expected


@pytest.mark.parametrize(("role", "expected"), STAFF_ONLY)
def test_export_access_per_role(client_for, role, expected):
    response = client_for(role).get(reverse("complaints:case-export"))

    assert response.status_code == expected


@pytest.mark.parametrize(("role", "expected"), MANAGER_ONLY)
def test_personal_export_page_access_per_role(client_for, role, expected):
    response = client_for(role).get(reverse("complaints:case-export-personal"))

    assert response.status_code == expected


@pytest.mark.parametrize(
    "name",
    ["complaints:case-detail", "complaints:case-edit", "complaints:decision-record", "complaints:compliance-record"],
)
def test_unknown_case_is_404(client_for, name):
    assert client_for("caseworker").get(reverse(name, args=[999999])).status_code == 404


def test_recommendation_of_another_case_is_404(client_for, case):
    other = factories.ComplaintFactory()

    response = client_for("caseworker").get(reverse("complaints:recommendation-edit", args=[other.pk, case.pk]))

    assert response.status_code == 404


def test_council_user_gets_403_for_a_case_of_their_own_council(client_for, case, council_user):
    assert case.decision.complaint.council_id == council_user.council_membership.council_id

    response = client_for("council_user").get(reverse("complaints:case-detail", args=[case.decision.complaint_id]))

    assert response.status_code == 403
    assert case.decision.complaint.complainant_name not in response.content.decode()


def dates(name: str, day: datetime.date) -> dict:
    return {f"{name}_day": str(day.day), f"{name}_month": str(day.month), f"{name}_year": str(day.year)}


# Each request commits on its own, as in production, so the history has one time per change.
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_case_from_intake_to_closed_compliance_in_the_browser(client_for, caseworker, manager, council):
    client = client_for("caseworker")
    housing, homelessness = factories.category("housing"), factories.category("housing-homelessness")

    response = client.post(
        reverse("complaints:case-create"),
        {
            "council": council.pk,
            **dates("received_on", datetime.date(2022, 5, 3)),
            "category": housing.pk,
            "subcategory": homelessness.pk,
            "complainant_name": "Grace Hopper",
            "complainant_email": "grace@example.org",
            "summary": "The council did not assess my homelessness application.",
            "assigned_to": "",
        },
    )
    complaint = Complaint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:case-detail", args=[complaint.pk])
    assert complaint.reference.startswith("22 ")

    edit = {
        "council": council.pk,
        **dates("received_on", datetime.date(2022, 5, 3)),
        "category": housing.pk,
        "subcategory": homelessness.pk,
        "complainant_name": "Grace Hopper",
        "complainant_email": "grace@example.org",
        "summary": "The council did not assess my homelessness application.",
        "status": "investigation",
    }
    assert client.post(reverse("complaints:case-edit", args=[complaint.pk]), edit).status_code == 302
    assert (
        client.post(reverse("complaints:case-assign", args=[complaint.pk]), {"assigned_to": manager.pk}).status_code
        == 302
    )

    response = client.post(
        reverse("complaints:decision-record", args=[complaint.pk]),
        {
            **dates("decided_on", datetime.date(2022, 9, 1)),
            "outcome": "upheld",
            "upheld_kind": "injustice_remedy_recommended",
            "form": "statement",
            "summary": "Fault causing injustice.",
        },
    )
    assert response.status_code == 302
    complaint.refresh_from_db()
    assert complaint.status == Status.REMEDY_MONITORING

    response = client.post(
        reverse("complaints:recommendation-add", args=[complaint.pk]),
        {
            "type": "financial_redress",
            "remedy_kind": "personal",
            "description": "Pay £300 for distress.",
            "amount": "£300",
            **dates("due_on", datetime.date(2022, 10, 1)),
        },
    )
    assert response.status_code == 302
    recommendation = Recommendation.objects.get()
    response = client.post(
        reverse("complaints:recommendation-edit", args=[complaint.pk, recommendation.pk]),
        {
            "type": "financial_redress",
            "remedy_kind": "personal",
            "description": "Pay £350 for distress.",
            "amount": "350.00",
            **dates("due_on", datetime.date(2022, 10, 1)),
        },
    )
    assert response.status_code == 302

    response = client.post(
        reverse("complaints:compliance-record", args=[complaint.pk]),
        {"outcome": "complied_late", **dates("recorded_on", datetime.date(2022, 10, 20)), "note": "Paid late."},
    )
    assert response.status_code == 302

    complaint.refresh_from_db()
    compliance = ComplianceOutcome.objects.get()
    assert complaint.status == Status.CLOSED
    assert (compliance.outcome, compliance.council_id, compliance.recorded_by) == (
        "complied_late",
        council.pk,
        caseworker,
    )
    page = client.get(reverse("complaints:case-detail", args=[complaint.pk])).content.decode()
    history = page[page.index('id="history"') :]
    headings = re.findall(r'<h3 class="govuk-heading-s[^"]*">([^<]+)</h3>', history)
    assert headings == [
        "Compliance outcome recorded",
        "Recommendation changed (financial redress)",
        "Recommendation added",
        "Decision recorded",
        "Case assigned",
        "Status changed",
        f"Case {complaint.reference} created",
    ]
    assert f"by {caseworker}" in history
    assert "Status: Investigation → Remedy monitoring" in history.replace(
        '<span aria-hidden="true">→</span><span class="govuk-visually-hidden">changed to</span>', "→"
    )


def test_decision_form_shows_errors_in_the_summary_linked_to_fields(client_for, case):
    complaint = factories.ComplaintFactory(received_on=datetime.date(2019, 5, 1))

    response = client_for("caseworker").post(
        reverse("complaints:decision-record", args=[complaint.pk]),
        {**dates("decided_on", datetime.date(2019, 4, 1)), "outcome": "upheld", "form": "statement"},
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>Error:" in page
    assert (
        '<a href="#id_decided_on_day">The decision date must be the same as or after the date the complaint was '
        "received (1 May 2019)</a>"
    ) in page
    assert '<a href="#id_upheld_kind_0">Select what kind of upheld decision this is</a>' in page
    # The summary's links land on the inputs, which keep the GOV.UK date input classes.
    assert (
        '<input class="govuk-input govuk-date-input__input govuk-input--width-2 govuk-input--error" '
        'id="id_decided_on_day" name="decided_on_day"'
    ) in page
    assert 'id="id_upheld_kind_0"' in page
    assert not Decision.objects.filter(complaint=complaint).exists()


def test_decision_page_explains_why_a_decision_with_recommendations_cannot_be_replaced(client_for, case):
    response = client_for("caseworker").get(reverse("complaints:decision-record", args=[case.decision.complaint_id]))

    assert "cannot be replaced because it has recommendations" in response.content.decode()
    assert 'name="outcome"' not in response.content.decode()


def test_close_case_from_decided(client_for):
    decision = factories.DecisionFactory()
    Complaint.objects.filter(pk=decision.complaint_id).update(status=Status.DECIDED)

    response = client_for("caseworker").post(reverse("complaints:case-close", args=[decision.complaint_id]))

    assert response.status_code == 302
    assert Complaint.objects.get(pk=decision.complaint_id).status == Status.CLOSED


def test_close_case_refused_while_monitoring_remedies(client_for, case):
    response = client_for("caseworker").post(reverse("complaints:case-close", args=[case.decision.complaint_id]))

    assert response.status_code == 200
    assert "record the compliance outcome, which closes it" in response.content.decode()
    assert Complaint.objects.get(pk=case.decision.complaint_id).status == Status.REMEDY_MONITORING


def test_recommendation_remove(client_for, case):
    response = client_for("caseworker").post(
        reverse("complaints:recommendation-remove", args=[case.decision.complaint_id, case.pk])
    )

    assert response.status_code == 302
    assert not Recommendation.objects.filter(pk=case.pk).exists()


def test_success_banner_after_create(client_for, council):
    response = client_for("caseworker").post(
        reverse("complaints:case-create"),
        {"council": council.pk, **dates("received_on", datetime.date(2022, 5, 3)), "category": factories.category().pk},
        follow=True,
    )

    reference = Complaint.objects.get().reference
    assert f"Case {reference} has been created." in response.content.decode()
    assert "govuk-notification-banner--success" in response.content.decode()


def test_manager_adds_and_retires_a_category(client_for):
    client = client_for("manager")
    housing = factories.category("housing")

    client.post(
        reverse("complaints:category-add") + f"?parent={housing.pk}", {"name": "Shared ownership", "parent": housing.pk}
    )
    sub = housing.subcategories.get(name="Shared ownership")
    response = client.post(
        reverse("complaints:category-edit", args=[sub.pk]), {"name": "Shared ownership", "position": "9"}
    )

    sub.refresh_from_db()
    assert response.status_code == 302
    assert (sub.position, sub.is_active) == (9, False)


def test_compliance_form_with_errors_shows_them(client_for, case):
    response = client_for("caseworker").post(
        reverse("complaints:compliance-record", args=[case.decision.complaint_id]), {}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert '<a href="#id_outcome_0">Choose whether the council complied, complied late or did not</a>' in page
    assert '<a href="#id_recorded_on_day">Enter the date the compliance outcome was recorded</a>' in page
    assert not ComplianceOutcome.objects.exists()


def test_recommendation_compliance_from_the_queue_returns_there_and_keeps_the_case_open(client_for, case):
    later = factories.RecommendationFactory(
        decision=case.decision, type="procedure_change", due_on=case.decision.decided_on + datetime.timedelta(days=365)
    )
    url = reverse("complaints:recommendation-compliance", args=[case.decision.complaint_id, case.pk])
    client = client_for("caseworker")

    form_page = client.get(url, {"from": "queue"}).content.decode()
    response = client.post(
        url,
        {
            "compliance_outcome": "complied_on_time",
            **dates("compliance_recorded_on", datetime.date(2019, 10, 1)),
            "evidence_note": "Copy of the apology.",
            "back_to": "queue",
        },
    )

    case.refresh_from_db()
    later.refresh_from_db()
    assert 'name="back_to" value="queue"' in form_page
    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:remedy-queue")
    assert (case.compliance_outcome, case.compliance_recorded_on, case.evidence_note) == (
        "complied_on_time",
        datetime.date(2019, 10, 1),
        "Copy of the apology.",
    )
    assert later.compliance_outcome == ""
    assert Complaint.objects.get(pk=case.decision.complaint_id).status == Status.REMEDY_MONITORING
    assert not ComplianceOutcome.objects.exists()


def test_recommendation_compliance_of_the_last_one_closes_the_case(client_for, case):
    url = reverse("complaints:recommendation-compliance", args=[case.decision.complaint_id, case.pk])

    response = client_for("caseworker").post(
        url, {"compliance_outcome": "not_complied", **dates("compliance_recorded_on", datetime.date(2019, 12, 1))}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("complaints:case-detail", args=[case.decision.complaint_id])
    assert ComplianceOutcome.objects.get().outcome == "not_complied"
    assert Complaint.objects.get(pk=case.decision.complaint_id).status == Status.CLOSED


def test_recommendation_compliance_form_with_errors_shows_them(client_for, case):
    url = reverse("complaints:recommendation-compliance", args=[case.decision.complaint_id, case.pk])

    response = client_for("caseworker").post(url, {**dates("compliance_recorded_on", datetime.date(2019, 8, 1))})

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        '<a href="#id_compliance_outcome_0">Choose whether the council complied, complied late or did not</a>' in page
    )
    case.refresh_from_db()
    assert case.compliance_outcome == ""


def test_recommendation_compliance_form_rejects_a_date_before_the_decision(client_for, case):
    url = reverse("complaints:recommendation-compliance", args=[case.decision.complaint_id, case.pk])

    response = client_for("caseworker").post(
        url, {"compliance_outcome": "complied_late", **dates("compliance_recorded_on", datetime.date(2019, 8, 1))}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert (
        '<a href="#id_compliance_recorded_on_day">The date recorded must be the same as or after the decision date '
        "(1 September 2019)</a>" in page
    )


def test_recommendation_compliance_recorded_already_is_explained(client_for, case):
    Recommendation.objects.filter(pk=case.pk).update(
        compliance_outcome="complied_late", compliance_recorded_on=datetime.date(2019, 11, 5)
    )
    url = reverse("complaints:recommendation-compliance", args=[case.decision.complaint_id, case.pk])

    page = client_for("caseworker").get(url).content.decode()
    detail = client_for("caseworker").get(reverse("complaints:case-detail", args=[case.decision.complaint_id]))

    assert "The compliance outcome of this recommendation has been recorded (complied late on 5 November 2019)." in page
    assert "Complied late" in detail.content.decode()
    assert url not in detail.content.decode()
