import csv
import datetime
import io

import pytest
import time_machine
from django.urls import reverse

from reviews.models import AnnualLetter, LetterDownload, LetterStatus
from tests import factories
from tests.reviews.published import day, letter_in, sent_letter, sent_letters_for_years
from tests.utils import count_queries

STATES = {
    "draft": LetterStatus.READY,
    "returned": LetterStatus.RETURNED,
    "approved": LetterStatus.APPROVED,
    "sent": LetterStatus.SENT,
    "published": LetterStatus.SENT,
}
STAFF_ROLES = [("anonymous", 302), ("caseworker", 403), ("manager", 403), ("superuser", 403)]


@pytest.fixture
def year(db):
    return factories.ReviewYearFactory(label="2019-20")


def portal_urls(letter) -> dict[str, str]:
    return {
        "portal": reverse("portal:home"),
        "portal-letter-pdf": reverse("portal:letter-pdf", args=[letter.pk]),
        "portal-annex": reverse("portal:annex", args=[letter.review_year.label, "decisions"]),
    }


def make_letter(council, year, state) -> AnnualLetter:
    if state == "returned":
        letter = letter_in(council, year, LetterStatus.READY)
        AnnualLetter.objects.filter(pk=letter.pk).update(status=LetterStatus.RETURNED, return_comment="Check the name.")
        return letter
    return letter_in(council, year, STATES[state])


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(STATES))
@pytest.mark.parametrize("owner", ["council", "other_council"])
@pytest.mark.parametrize("role", ["council_user", "other_council_user"])
def test_council_users_reach_only_their_own_sent_letters(client_for, year, request, role, owner, state):
    """The matrix: a council user gets their own council's letter once sent (published or not);
    anything else (another council's letter, a draft, an approved letter not yet sent) is not found."""
    letter = make_letter(request.getfixturevalue(owner), year, state)
    own = (role, owner) in {("council_user", "council"), ("other_council_user", "other_council")}
    expected = 200 if own and state in ("sent", "published") else 404

    with time_machine.travel(day(year, before_publication=state != "published"), tick=False):
        client = client_for(role)
        pdf = client.get(reverse("portal:letter-pdf", args=[letter.pk]))
        annex = client.get(reverse("portal:annex", args=[year.label, "complaints-received"]))
        page = client.get(reverse("portal:home"))

    assert pdf.status_code == expected
    assert annex.status_code == expected
    assert page.status_code == 200
    assert (reverse("portal:letter-pdf", args=[letter.pk]) in page.text) == (expected == 200)
    assert LetterDownload.objects.count() == (2 if expected == 200 else 0)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), STAFF_ROLES)
@pytest.mark.parametrize("page", ["portal", "portal-letter-pdf", "portal-annex"])
def test_portal_is_for_council_users_only(client_for, year, council, role, expected, page):
    letter = sent_letter(council, year)

    response = client_for(role).get(portal_urls(letter)[page])

    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
def test_user_without_a_role_gets_403(client, year, council):
    client.force_login(factories.UserFactory())

    assert client.get(reverse("portal:home")).status_code == 403


@pytest.mark.django_db
def test_letter_download_is_a_logged_pdf_attachment_named_after_council_and_year(
    client_for, year, council, council_user
):
    letter = sent_letter(council, year)

    response = client_for("council_user").get(reverse("portal:letter-pdf", args=[letter.pk]))

    content = b"".join(response.streaming_content)
    download = LetterDownload.objects.get()
    assert content.startswith(b"%PDF")
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == ('attachment; filename="annual-review-2019-20-blaby-v1.pdf"')
    assert "no-store" in response["Cache-Control"]
    assert (download.letter, download.version, download.kind, download.user) == (letter, 1, "letter", council_user)
    assert download.ip_address == "127.0.0.1"
    assert download.downloaded_at is not None


@pytest.mark.django_db
def test_every_download_is_logged_separately(client_for, year, council):
    letter = sent_letter(council, year)
    client = client_for("council_user")

    for _ in range(3):
        client.get(reverse("portal:letter-pdf", args=[letter.pk]))
    client.get(reverse("portal:annex", args=[year.label, "compliance-outcomes"]))

    assert sorted(LetterDownload.objects.values_list("kind", flat=True)) == [
        "annex_compliance",
        "letter",
        "letter",
        "letter",
    ]


@pytest.mark.django_db
def test_reissued_letter_shows_the_latest_sent_version(client_for, year, council):
    """The current version leads; the version it replaced stays listed, newest first, with the
    date it was replaced, and downloadable by its own council only."""
    first = sent_letter(council, year)
    AnnualLetter.objects.filter(pk=first.pk).update(status=LetterStatus.SUPERSEDED)
    second = letter_in(council, year, LetterStatus.READY, version=2)
    client = client_for("council_user")

    while_redrafting = client.get(reverse("portal:home"))
    AnnualLetter.objects.filter(pk=second.pk).update(
        status=LetterStatus.SENT, sent_at=datetime.datetime(2020, 8, 1, 9, tzinfo=datetime.UTC)
    )
    after_sending = client.get(reverse("portal:home"))
    old = client.get(reverse("portal:letter-pdf", args=[first.pk]))
    old_for_another_council = client_for("other_council_user").get(reverse("portal:letter-pdf", args=[first.pk]))

    assert reverse("portal:letter-pdf", args=[first.pk]) in while_redrafting.text
    assert "Earlier versions" not in while_redrafting.text
    assert reverse("portal:letter-pdf", args=[second.pk]) not in while_redrafting.text
    assert reverse("portal:letter-pdf", args=[second.pk]) in after_sending.text
    earlier = after_sending.text.split("Earlier versions", 1)[1]
    assert reverse("portal:letter-pdf", args=[first.pk]) in earlier
    assert "replaced on 1 August 2020" in earlier
    assert old.status_code == 200
    assert old_for_another_council.status_code == 404


@pytest.mark.django_db
def test_a_redrafted_version_not_yet_sent_replaces_nothing(client_for, year, council):
    first = sent_letter(council, year)
    AnnualLetter.objects.filter(pk=first.pk).update(status=LetterStatus.SUPERSEDED)
    letter_in(council, year, LetterStatus.READY, version=2)

    page = client_for("council_user").get(reverse("portal:home"))

    assert "Earlier versions" not in page.text
    assert reverse("portal:letter-pdf", args=[first.pk]) in page.text


@pytest.mark.django_db
def test_withdrawn_letter_is_not_shown(client_for, year, council):
    letter = sent_letter(council, year)
    AnnualLetter.objects.filter(pk=letter.pk).update(status=LetterStatus.WITHDRAWN)

    response = client_for("council_user").get(reverse("portal:letter-pdf", args=[letter.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_portal_page_shows_letters_figures_and_publication_state(client_for, year, council):
    factories.DecisionFactory(complaint=factories.ComplaintFactory(council=council), upheld=True)
    factories.DecisionFactory(complaint=factories.ComplaintFactory(council=council))
    sent_letter(council, year)

    with time_machine.travel(day(year, before_publication=True), tick=False):
        before = client_for("council_user").get(reverse("portal:home"))
    with time_machine.travel(day(year, before_publication=False), tick=False):
        after = client_for("council_user").get(reverse("portal:home"))

    assert "Annual review 2019-20" in before.text
    assert "Not published yet" in before.text
    assert "The letter and figures will be published on 28 July 2020" in before.text
    assert "50%" in before.text
    assert "1 upheld decision of 2 investigations" in before.text
    assert 'aria-labelledby="chart-uphold-rate-title chart-uphold-rate-desc"' in before.text
    assert "Published</strong> on 28 July 2020" in after.text
    assert "no-store" in before["Cache-Control"]


@pytest.mark.django_db
def test_portal_without_sent_letters_says_what_happens_next(client_for, year, council):
    letter_in(council, year, LetterStatus.APPROVED)

    response = client_for("council_user").get(reverse("portal:home"))

    assert "No annual review letters have been sent to Blaby District Council yet" in response.text


@pytest.mark.django_db
def test_portal_query_count_does_not_grow_with_years(client_for, council):
    client = client_for("council_user")
    sent_letters_for_years(council, 2019, 2019)
    one = count_queries(lambda: client.get(reverse("portal:home")))
    sent_letters_for_years(council, 2000, 2018)
    twenty = count_queries(lambda: client.get(reverse("portal:home")))

    assert AnnualLetter.objects.count() == 20
    assert one == twenty == 14


# Annexes -------------------------------------------------------------------------------------


def rows_of(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode()
    return list(csv.DictReader(io.StringIO(text)))


@pytest.fixture
def casework(council, other_council):
    """Cases of 2019-20 (and one either side), with personal data that must never leave."""
    received = factories.ComplaintFactory(
        council=council,
        received_on=datetime.date(2019, 6, 1),
        complainant_name='=HYPERLINK("http://evil")',
        complainant_email="private@example.org",
        summary="Mr Private Person of 1 Secret Lane",
    )
    upheld = factories.DecisionFactory(
        complaint=received, decided_on=datetime.date(2019, 9, 1), upheld=True, summary="Names Mr Private Person"
    )
    factories.RecommendationFactory(decision=upheld, type="apology", due_on=datetime.date(2019, 10, 1))
    factories.RecommendationFactory(
        decision=upheld, type="financial_redress", amount="150.00", due_on=datetime.date(2019, 11, 1)
    )
    factories.RecommendationFactory(
        decision=upheld, type="financial_redress", amount="100.50", due_on=datetime.date(2019, 10, 15)
    )
    factories.ComplianceOutcomeFactory(decision=upheld, outcome="complied_late", recorded_on=datetime.date(2020, 1, 10))
    earlier = factories.ComplaintFactory(council=council, received_on=datetime.date(2019, 1, 10))
    factories.DecisionFactory(complaint=earlier, decided_on=datetime.date(2019, 4, 2))
    later = factories.ComplaintFactory(council=council, received_on=datetime.date(2020, 4, 1))
    factories.DecisionFactory(complaint=later, decided_on=datetime.date(2020, 4, 5))
    factories.DecisionFactory(
        complaint=factories.ComplaintFactory(council=other_council), decided_on=datetime.date(2019, 9, 1)
    )
    return received


@pytest.mark.django_db
def test_annex_of_complaints_received(client_for, year, council, casework):
    sent_letter(council, year)

    response = client_for("council_user").get(reverse("portal:annex", args=[year.label, "complaints-received"]))

    assert response["Content-Disposition"] == (
        'attachment; filename="E07000129-blaby-district-council-complaints-received-2019-20.csv"'
    )
    assert rows_of(response) == [
        {
            "reference": casework.reference,
            "received_on": "2019-06-01",
            "category": "Housing",
            "subcategory": "",
            "status": "Received",
            "decided_on": "2019-09-01",
            "outcome": "Upheld",
        }
    ]


@pytest.mark.django_db
def test_annex_of_decisions_with_remedies_and_compliance(client_for, year, council, casework):
    sent_letter(council, year)

    response = client_for("council_user").get(reverse("portal:annex", args=[year.label, "decisions"]))

    rows = rows_of(response)
    assert [row["decided_on"] for row in rows] == ["2019-04-02", "2019-09-01"]
    assert rows[1] == {
        "reference": casework.reference,
        "received_on": "2019-06-01",
        "category": "Housing",
        "subcategory": "",
        "decided_on": "2019-09-01",
        "outcome": "Upheld",
        "upheld_kind": "Fault causing injustice: remedies recommended",
        "decision_form": "Statement of reasons",
        "remedy_types": "Apology; Financial redress",
        "financial_redress_total": "250.50",
        "first_due_on": "2019-10-01",
        "last_due_on": "2019-11-01",
        "compliance_outcome": "Complied late",
        "compliance_recorded_on": "2020-01-10",
    }


@pytest.mark.django_db
def test_annex_of_compliance_outcomes_counts_by_date_recorded(client_for, council, casework):
    later_year = factories.ReviewYearFactory(label="2018-19")
    sent_letter(council, factories.ReviewYearFactory(label="2019-20"))
    sent_letter(council, later_year)
    client = client_for("council_user")

    in_year = rows_of(client.get(reverse("portal:annex", args=["2019-20", "compliance-outcomes"])))
    other_year = rows_of(client.get(reverse("portal:annex", args=["2018-19", "compliance-outcomes"])))

    assert [(row["reference"], row["compliance_outcome"], row["recorded_on"]) for row in in_year] == [
        (casework.reference, "Complied late", "2020-01-10")
    ]
    assert in_year[0]["remedy_types"] == "Apology; Financial redress"
    assert other_year == []


@pytest.mark.django_db
@pytest.mark.parametrize("annex", ["complaints-received", "decisions", "compliance-outcomes"])
def test_annexes_carry_no_personal_data(client_for, year, council, casework, annex):
    sent_letter(council, year)

    response = client_for("council_user").get(reverse("portal:annex", args=[year.label, annex]))

    text = b"".join(response.streaming_content).decode()
    assert "private@example.org" not in text
    assert "Private Person" not in text
    assert "HYPERLINK" not in text
    assert not {"complainant_name", "complainant_email", "summary", "decision_summary"} & set(
        text.splitlines()[0].split(",")
    )


@pytest.mark.django_db
def test_unknown_annex_or_year_is_not_found(client_for, year, council):
    sent_letter(council, year)
    client = client_for("council_user")

    assert client.get(reverse("portal:annex", args=[year.label, "everything"])).status_code == 404
    assert client.get(reverse("portal:annex", args=["2018-19", "decisions"])).status_code == 404
    assert not LetterDownload.objects.exists()


@pytest.mark.django_db
def test_portal_shows_the_complaint_overview_of_letters_from_2024_25(client_for, year, council):
    from complaints.models import Outcome
    from tests.reviews.letters.test_overview import add_outcomes

    sent_letter(council, year)
    add_outcomes(council, **{Outcome.ADVICE_GIVEN: 1, "upheld": 1})
    sent_letter(council, factories.ReviewYearFactory(label="2024-25"))

    response = client_for("council_user").get(reverse("portal:home"))

    assert response.text.count("Your complaint overview for") == 1
    assert "Your complaint overview for 2024-25" in response.text
    assert (
        '<th scope="row" class="govuk-table__header">Complaints dealt with</th>'
        '<td class="govuk-table__cell govuk-table__cell--numeric">2</td>'
    ) in response.text
