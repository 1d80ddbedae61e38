"""The case list, My cases and the remedy monitoring queue: filters, search, counts, and a
constant number of queries whatever the number of rows."""

import datetime
import re

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from complaints import selectors
from complaints.filters import CaseFilter
from complaints.models import Category, Complaint, Recommendation, Status
from ombudsman import pagination
from tests import factories

pytestmark = pytest.mark.django_db


def filtered(**params) -> list[str]:
    """References the case list shows for these filter parameters, in list order."""
    filterset = CaseFilter(params, queryset=selectors.complaint_list())
    assert filterset.is_valid(), filterset.errors
    return list(filterset.qs.values_list("reference", flat=True))


def monitoring_case(*, council=None, due_on, assigned_to=None, received_on=datetime.date(2019, 5, 1)):
    """A case in remedy monitoring with one recommendation due on `due_on`."""
    complaint = factories.ComplaintFactory(
        status=Status.REMEDY_MONITORING,
        received_on=received_on,
        assigned_to=assigned_to,
        **({"council": council} if council else {}),
    )
    decision = factories.DecisionFactory(complaint=complaint, upheld=True, decided_on=received_on)
    return factories.RecommendationFactory(decision=decision, due_on=due_on)


def test_filter_by_council_and_authority_type(council, other_council):
    blaby = factories.ComplaintFactory(council=council)
    leicester = factories.ComplaintFactory(council=other_council)

    assert filtered(council=council.pk) == [blaby.reference]
    assert filtered(authority_type="unitary") == [leicester.reference]


def test_filter_by_category_or_subcategory():
    homelessness = factories.ComplaintFactory(
        category=factories.category("housing"), subcategory=factories.category("housing-homelessness")
    )
    allocations = factories.ComplaintFactory(
        category=factories.category("housing"), subcategory=factories.category("housing-allocations")
    )
    factories.ComplaintFactory(category=factories.category("planning-and-development"))

    assert sorted(filtered(category=factories.category("housing").pk)) == sorted(
        [homelessness.reference, allocations.reference]
    )
    assert filtered(category=factories.category("housing-homelessness").pk) == [homelessness.reference]


def test_filter_by_several_statuses():
    received = factories.ComplaintFactory(status=Status.RECEIVED)
    assessment = factories.ComplaintFactory(status=Status.ASSESSMENT)
    factories.ComplaintFactory(status=Status.CLOSED)

    assert sorted(filtered(status=[Status.RECEIVED, Status.ASSESSMENT])) == sorted(
        [received.reference, assessment.reference]
    )


def test_no_filter_makes_the_database_remove_duplicates(caseworker, council):
    """Every filter is on the case itself or an EXISTS: SELECT DISTINCT over a million cases
    (and COUNT over it for the paginator) took seconds a page."""
    params = {
        "q": "smith",
        "council": council.pk,
        "authority_type": "district",
        "category": factories.category("housing").pk,
        "status": [Status.RECEIVED, Status.CLOSED],
        "outcome": "upheld",
        "decision_year": "2019-20",
        "assigned_to": caseworker.pk,
        "overdue": "true",
        # The case file's (casefile.filters).
        "has_documents": "true",
        "awaiting_council_response": "true",
    }
    filterset = CaseFilter(params, queryset=selectors.complaint_list())

    assert filterset.is_valid(), filterset.errors
    assert not filterset.qs.query.distinct
    assert "DISTINCT" not in str(filterset.qs.query)


def test_filter_by_outcome_of_the_current_decision():
    upheld = factories.DecisionFactory(upheld=True)
    replaced = factories.DecisionFactory(upheld=True, is_current=False)
    factories.DecisionFactory(complaint=replaced.complaint, outcome="not_upheld")
    undecided = factories.ComplaintFactory()

    assert filtered(outcome="upheld") == [upheld.complaint.reference]
    assert filtered(outcome="none") == [undecided.reference]


@pytest.mark.parametrize(
    ("decided_on", "year", "expected"),
    [
        (datetime.date(2020, 3, 31), "2019-20", True),
        (datetime.date(2020, 4, 1), "2019-20", False),
        (datetime.date(2019, 4, 1), "2019-20", True),
        (datetime.date(2019, 3, 31), "2019-20", False),
        (datetime.date(2020, 4, 1), "2020-21", True),
    ],
)
def test_filter_by_decision_review_year(decided_on, year, expected):
    decision = factories.DecisionFactory(complaint__received_on=datetime.date(2019, 1, 2), decided_on=decided_on)

    assert filtered(decision_year=year) == ([decision.complaint.reference] if expected else [])


def test_filter_by_caseworker_or_unassigned(caseworker):
    mine = factories.ComplaintFactory(assigned_to=caseworker)
    nobodys = factories.ComplaintFactory()

    assert filtered(assigned_to=caseworker.pk) == [mine.reference]
    assert filtered(assigned_to="none") == [nobodys.reference]


@time_machine.travel(datetime.date(2020, 1, 15))
def test_filter_overdue_only_counts_recommendations_awaiting_compliance():
    overdue = monitoring_case(due_on=datetime.date(2020, 1, 14))
    monitoring_case(due_on=datetime.date(2020, 1, 15))
    complied = factories.ComplianceOutcomeFactory(decision__decided_on=datetime.date(2019, 9, 1))
    factories.RecommendationFactory(decision=complied.decision, due_on=datetime.date(2019, 10, 1))

    assert filtered(overdue="on") == [overdue.decision.complaint.reference]
    assert selectors.complaint_list().get(pk=overdue.decision.complaint_id).is_overdue is True
    assert selectors.complaint_list().get(pk=complied.decision.complaint_id).is_overdue is False


@pytest.mark.parametrize("text", ["19 000 123", "19000123", " 19 000123 ", "19 000", "190001"])
def test_search_by_reference_or_its_start(text):
    complaint = factories.ComplaintFactory(reference="19 000 123")
    factories.ComplaintFactory(reference="19 100 123")

    assert filtered(q=text) == [complaint.reference]


@pytest.mark.parametrize("text", ["smi", "Smith", "jo smi", "JOHN", "smith-jones"])
def test_search_by_complainant_name_prefix(text):
    smith = factories.ComplaintFactory(complainant_name="John Smith-Jones")
    factories.ComplaintFactory(complainant_name="Mary Brown")

    assert filtered(q=text) == [smith.reference]


@pytest.mark.parametrize(
    ("text", "finds_her"),
    [
        ("'", False),
        ("&", False),
        ("!:*", False),
        ("()", False),
        ("smi:*|bro", False),
        ("bro:*|mar", True),
        ("(mary)", True),
        ("mary &", True),
        ("mar)", True),
        ("& bro !", True),
    ],
)
def test_search_with_tsquery_syntax_is_harmless(text, finds_her):
    brown = factories.ComplaintFactory(complainant_name="Mary Brown")

    # Punctuation is dropped and every word left must start a word of the name (never a tsquery error).
    assert filtered(q=text) == ([brown.reference] if finds_her else [])


def test_case_list_heading_counts_the_filtered_cases(client_for, council, other_council):
    factories.ComplaintFactory.create_batch(3, council=council)
    factories.ComplaintFactory(council=other_council)

    page = client_for("caseworker").get(reverse("complaints:case-list"), {"council": council.pk}).content.decode()

    assert '<span class="govuk-caption-m">3 cases match these filters</span>' in page


def test_unfiltered_case_list_of_a_big_table_shows_postgresqls_estimate_without_counting(client_for, monkeypatch):
    factories.ComplaintFactory.create_batch(2)
    monkeypatch.setattr(pagination, "estimated_rows", lambda model: 1_234_567)
    client = client_for("caseworker")

    with CaptureQueriesContext(connection) as queries:
        page = client.get(reverse("complaints:case-list")).content.decode()
    filtered_page = client.get(reverse("complaints:case-list"), {"status": "received"}).content.decode()

    assert '<span class="govuk-caption-m">About 1,235,000 cases</span>' in page
    assert not any("COUNT(" in query["sql"] for query in queries.captured_queries)
    assert '<span class="govuk-caption-m">2 cases match these filters</span>' in filtered_page


def test_unfiltered_case_list_of_a_small_table_counts_exactly(client_for):
    factories.ComplaintFactory.create_batch(2)

    page = client_for("caseworker").get(reverse("complaints:case-list")).content.decode()

    assert '<span class="govuk-caption-m">2 cases</span>' in page


def test_case_list_paginates_50_a_page(client_for):
    factories.ComplaintFactory.create_batch(51)

    first = client_for("caseworker").get(reverse("complaints:case-list"))
    second = client_for("caseworker").get(reverse("complaints:case-list"), {"page": 2})

    assert len(first.context["table"].page.object_list) == 50
    assert len(second.context["table"].page.object_list) == 1


def test_case_list_sorts_by_reference(client_for):
    for reference in ("19 000 002", "19 000 003", "19 000 001"):
        factories.ComplaintFactory(reference=reference)

    response = client_for("caseworker").get(reverse("complaints:case-list"), {"sort": "reference"})

    assert [row.record.reference for row in response.context["table"].page.object_list] == [
        "19 000 001",
        "19 000 002",
        "19 000 003",
    ]


def test_my_cases_shows_only_the_signed_in_caseworkers_cases(client_for, caseworker, manager):
    mine = factories.ComplaintFactory(assigned_to=caseworker)
    factories.ComplaintFactory(assigned_to=manager)
    factories.ComplaintFactory()

    response = client_for("caseworker").get(reverse("complaints:my-cases"))

    assert [row.record.reference for row in response.context["table"].page.object_list] == [mine.reference]
    assert "assigned_to" not in response.context["filter"].form.fields


def test_case_list_empty_state_says_what_to_do(client_for):
    page = client_for("caseworker").get(reverse("complaints:case-list")).content.decode()

    assert "There are no cases yet." in page
    assert reverse("complaints:case-create") in page


def populate(count: int, caseworker) -> None:
    """`count` cases of every shape the list shows: decided, overdue, assigned, sub-categorised."""
    for index in range(count):
        recommendation = monitoring_case(
            council=factories.CouncilFactory(), due_on=datetime.date(2019, 6, 1), assigned_to=caseworker
        )
        Complaint.objects.filter(pk=recommendation.decision.complaint_id).update(
            subcategory=Category.objects.get(slug="housing-homelessness") if index % 2 else None
        )


# Every page reads the session, the user, the second factor, the user's groups and the
# organisation's profile (header and footer), and saves the session; then its own reads: the count, the filters' choices, and the rows in one query with
# their council, category and caseworker, whatever their number. (Whether the export links show is asked of
# the roles, read once with the user's groups: no permission queries.)
@pytest.mark.parametrize(
    ("name", "params", "queries"),
    [
        ("complaints:case-list", {}, 14),
        (
            "complaints:case-list",
            {"q": "smi", "status": "remedy_monitoring", "overdue": "on", "decision_year": "2019-20"},
            13,
        ),
        ("complaints:my-cases", {}, 12),
        ("complaints:remedy-queue", {}, 13),
    ],
)
def test_list_pages_make_a_fixed_number_of_queries_at_1_and_20_rows(
    client_for, caseworker, django_assert_num_queries, name, params, queries
):
    client = client_for("caseworker")
    populate(1, caseworker)
    Complaint.objects.update(complainant_name="John Smith")
    with django_assert_num_queries(queries):
        at_1 = client.get(reverse(name), params)
    populate(19, caseworker)
    Complaint.objects.update(complainant_name="John Smith")

    with django_assert_num_queries(queries):
        at_20 = client.get(reverse(name), params)

    assert len(at_1.context["table"].page.object_list) == 1
    assert len(at_20.context["table"].page.object_list) == 20


def test_case_page_makes_a_fixed_number_of_queries_at_1_and_20_recommendations(
    client_for, caseworker, django_assert_num_queries
):
    client = client_for("caseworker")
    recommendation = monitoring_case(due_on=datetime.date(2019, 6, 1), assigned_to=caseworker)
    url = reverse("complaints:case-detail", args=[recommendation.decision.complaint_id])
    # 16, and the case file's notes, documents and correspondence (one query each; their history comes with the
    # case's; a case without letters needs no query for their emails).
    with django_assert_num_queries(19):
        at_1 = client.get(url)
    factories.RecommendationFactory.create_batch(19, decision=recommendation.decision)

    with django_assert_num_queries(19):
        at_20 = client.get(url)

    assert (len(at_1.context["case"].recommendations), len(at_20.context["case"].recommendations)) == (1, 20)


@time_machine.travel(datetime.date(2020, 1, 15))
def test_remedy_queue_lists_overdue_and_due_within_14_days_by_council(client_for, council, other_council):
    overdue = monitoring_case(council=other_council, due_on=datetime.date(2020, 1, 10))
    soon = monitoring_case(council=council, due_on=datetime.date(2020, 1, 29))
    monitoring_case(council=council, due_on=datetime.date(2020, 1, 30))  # 15 days away
    complied = factories.ComplianceOutcomeFactory(decision__decided_on=datetime.date(2019, 9, 1))
    factories.RecommendationFactory(decision=complied.decision, due_on=datetime.date(2019, 10, 1))

    response = client_for("caseworker").get(reverse("complaints:remedy-queue"))

    rows = [row.record for row in response.context["table"].page.object_list]
    assert rows == [soon, overdue]  # Blaby before Leicester
    assert response.context["counts"] == {"overdue": 1, "due_soon": 1}
    assert "Overdue by 5 days" in response.content.decode()
    assert "Due in 14 days" in response.content.decode()


@time_machine.travel(datetime.date(2020, 1, 15))
def test_remedy_queue_filters_by_council_and_when(client_for, council, other_council):
    overdue = monitoring_case(council=other_council, due_on=datetime.date(2020, 1, 10))
    soon = monitoring_case(council=council, due_on=datetime.date(2020, 1, 20))
    client = client_for("caseworker")

    by_council = client.get(reverse("complaints:remedy-queue"), {"council": council.pk})
    by_when = client.get(reverse("complaints:remedy-queue"), {"when": "overdue"})

    assert [row.record for row in by_council.context["table"].page.object_list] == [soon]
    assert [row.record for row in by_when.context["table"].page.object_list] == [overdue]


@time_machine.travel(datetime.date(2020, 1, 15))
def test_remedy_queue_counts_are_not_narrowed_by_when(client_for, council, other_council):
    monitoring_case(council=other_council, due_on=datetime.date(2020, 1, 10))
    monitoring_case(council=council, due_on=datetime.date(2019, 12, 1))
    monitoring_case(council=council, due_on=datetime.date(2020, 1, 15))  # today: due, not overdue
    monitoring_case(council=council, due_on=datetime.date(2020, 1, 29))
    client = client_for("caseworker")

    overdue_only = client.get(reverse("complaints:remedy-queue"), {"when": "overdue"})
    soon_at_council = client.get(reverse("complaints:remedy-queue"), {"when": "soon", "council": council.pk})

    assert overdue_only.context["counts"] == {"overdue": 2, "due_soon": 2}
    assert "2 overdue, 2 due in the next 14 days" in overdue_only.content.decode()
    assert soon_at_council.context["counts"] == {"overdue": 1, "due_soon": 2}


@time_machine.travel(datetime.date(2020, 1, 15))
def test_remedy_queue_leaves_out_recommendations_with_an_outcome_of_their_own(client_for, council):
    recorded = monitoring_case(council=council, due_on=datetime.date(2020, 1, 10))
    open_one = factories.RecommendationFactory(decision=recorded.decision, due_on=datetime.date(2020, 1, 12))
    Recommendation.objects.filter(pk=recorded.pk).update(
        compliance_outcome="complied_on_time", compliance_recorded_on=datetime.date(2020, 1, 9)
    )

    response = client_for("caseworker").get(reverse("complaints:remedy-queue"))

    assert [row.record for row in response.context["table"].page.object_list] == [open_one]
    assert response.context["counts"] == {"overdue": 1, "due_soon": 0}


@time_machine.travel(datetime.date(2020, 1, 15))
def test_remedy_queue_sorts_by_due_date_and_offers_the_outcome_form(client_for, council, other_council):
    later = monitoring_case(council=council, due_on=datetime.date(2020, 1, 20))
    earlier = monitoring_case(council=other_council, due_on=datetime.date(2020, 1, 5))
    client = client_for("caseworker")

    ascending = client.get(reverse("complaints:remedy-queue"), {"sort": "due_on"})
    descending = client.get(reverse("complaints:remedy-queue"), {"sort": "-due_on"})

    assert [row.record for row in ascending.context["table"].page.object_list] == [earlier, later]
    assert [row.record for row in descending.context["table"].page.object_list] == [later, earlier]
    form_url = reverse("complaints:recommendation-compliance", args=[earlier.decision.complaint_id, earlier.pk])
    assert f'href="{form_url}?from=queue"' in ascending.content.decode()


@time_machine.travel(datetime.date(2020, 1, 15))
def test_remedy_queue_paginates(client_for, council):
    decision = monitoring_case(council=council, due_on=datetime.date(2020, 1, 1)).decision
    factories.RecommendationFactory.create_batch(50, decision=decision, due_on=datetime.date(2020, 1, 2))
    client = client_for("caseworker")

    first = client.get(reverse("complaints:remedy-queue"))
    second = client.get(reverse("complaints:remedy-queue"), {"page": 2})

    assert (len(first.context["table"].page.object_list), len(second.context["table"].page.object_list)) == (50, 1)
    assert first.context["counts"] == {"overdue": 51, "due_soon": 0}


def test_status_filter_offers_checkboxes_so_several_can_be_chosen(client_for):
    page = (
        client_for("caseworker")
        .get(reverse("complaints:case-list"), {"status": ["received", "closed"]})
        .content.decode()
    )

    assert page.count('type="checkbox" name="status"') == 6
    assert page.count('name="status"') == 6
    assert 'value="received" checked' in page
    assert 'value="closed" checked' in page


def plan(queryset) -> str:
    """PostgreSQL's plan for the query with sequential scans discouraged, so the plan shows
    whether an index *can* serve it (a few test rows would otherwise always be scanned)."""
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("EXPLAIN " + sql, params)
        return "\n".join(row[0] for row in cursor.fetchall())


def test_name_search_can_use_the_gin_index():
    factories.ComplaintFactory(complainant_name="John Smith")

    assert "complaint_name_search" in plan(selectors.complaints_search(Complaint.objects.all(), "jo smi"))


def test_reference_search_can_use_the_prefix_index():
    factories.ComplaintFactory(reference="19 000 123")

    # Django gives the unique reference a varchar_pattern_ops ("_like") index for LIKE 'x%'.
    assert re.search(
        r"Index Scan using complaints_complaint_reference_\w+_like",
        plan(selectors.complaints_search(Complaint.objects.all(), "19 000")),
    )


@pytest.mark.parametrize("name", ["complaints:case-list", "complaints:my-cases"])
def test_list_pages_count_their_rows_once(client_for, name):
    client = client_for("caseworker")

    with CaptureQueriesContext(connection) as queries:
        client.get(reverse(name))

    assert len([query for query in queries if "COUNT(" in query["sql"]]) == 1


def test_filter_by_outcome_and_review_year_together():
    in_year = factories.DecisionFactory(upheld=True, decided_on=datetime.date(2019, 9, 1))
    factories.DecisionFactory(outcome="not_upheld", decided_on=datetime.date(2019, 9, 1))
    factories.DecisionFactory(upheld=True, decided_on=datetime.date(2020, 9, 1))

    assert filtered(outcome="upheld", decision_year="2019-20") == [in_year.complaint.reference]
    assert filtered(outcome="none", decision_year="2019-20") == []


def test_council_filter_keeps_the_chosen_council_selected(client_for, council, other_council):
    page = client_for("caseworker").get(reverse("complaints:case-list"), {"council": council.pk}).content.decode()

    assert '<select name="council" class="govuk-select" id="id_council">' in page
    assert f'<option value="{council.pk}" selected>Blaby District Council</option>' in page
    assert f'<option value="{other_council.pk}">Leicester City Council</option>' in page
    assert '<option value="">All councils</option>' in page
