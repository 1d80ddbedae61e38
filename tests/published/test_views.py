import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from published import selectors as published_selectors
from reviews import selectors
from reviews.models import AnnualLetter, LetterDownload, LetterDownloadDay, LetterStatus, ReviewYear
from reviews.publication import services as publication
from tests import factories
from tests.reviews.published import LONDON, day, letter_in, publish, sent_letter, sent_letters_for_years
from tests.utils import count_queries

# Pinned: the national page and a council's page, whatever the number of councils or years.
HOME_QUERIES = 12
COUNCIL_QUERIES = 6
ROLES = ["anonymous", "caseworker", "manager", "superuser", "council_user", "other_council_user"]


@pytest.fixture
def year(db):
    return factories.ReviewYearFactory(label="2019-20")  # letters 21 July 2020, published 28 July 2020


@pytest.fixture
def published(year, council, other_council):
    """Two councils' letters sent, 2019-20 figures: Blaby 1 of 2 upheld, Leicester 1 of 1."""
    for council_, outcomes in ((council, ["upheld", "not_upheld"]), (other_council, ["satisfactory"])):
        for outcome in outcomes:
            traits = {} if outcome == "not_upheld" else {outcome: True}
            factories.DecisionFactory(complaint=factories.ComplaintFactory(council=council_), **traits)
    letters = [sent_letter(council, year), sent_letter(other_council, year)]
    publish(year)
    return letters


def public_urls(council, year) -> dict[str, str]:
    return {
        "public-home": reverse("published:home"),
        "public-council": reverse("published:council", args=[council.gss_code]),
        "public-letter-pdf": reverse("published:letter-pdf", args=[council.gss_code, year.label]),
        "open-data": reverse("published:open-data"),
        "open-data-csv": reverse("published:open-data-csv", args=[year.label]),
        "open-data-json": reverse("published:open-data-json", args=[year.label]),
    }


def test_public_council_url_is_the_contract():
    assert reverse("published:council", args=["E07000129"]) == "/councils/E07000129/"
    assert reverse("portal:home") == "/portal/"


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "page", ["public-home", "public-council", "public-letter-pdf", "open-data", "open-data-csv", "open-data-json"]
)
def test_public_pages_open_to_every_role(client_for, year, council, published, role, page):
    with time_machine.travel(day(year, before_publication=False), tick=False):
        response = client_for(role).get(public_urls(council, year)[page])

    assert response.status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["public-council", "public-letter-pdf"])
def test_unknown_council_is_not_found(client, year, published, page):
    nowhere = factories.CouncilFactory.build(gss_code="E07999999")

    response = client.get(public_urls(nowhere, year)[page])

    assert response.status_code == 404


# The publication boundary -----------------------------------------------------------------


def public_responses(client, council, year) -> dict:
    urls = public_urls(council, year)
    responses = {name: client.get(url) for name, url in urls.items()}
    responses["chosen"] = client.get(urls["public-home"], {"year": year.label})
    return responses


FILES = ("public-letter-pdf", "open-data-csv", "open-data-json")


def shows_year(responses, label: str) -> dict[str, bool]:
    """Which public pages and files show anything of the year (a file: whether it is served)."""
    return {
        name: response.status_code == 200 and (name in FILES or label in response.text)
        for name, response in responses.items()
    }


@pytest.mark.django_db
def test_nothing_of_an_unpublished_year_is_public_on_a_frozen_clock(client, year, council, other_council):
    sent_letter(council, year)
    sent_letter(other_council, year)  # every letter sent, the date long past: still not published

    with time_machine.travel(day(year, before_publication=False) + datetime.timedelta(days=30), tick=False):
        before = shows_year(public_responses(client, council, year), year.label)
        publish(year, now=timezone.now())
        after = shows_year(public_responses(client, council, year), year.label)

    assert before == dict.fromkeys(before, False)
    assert after == dict.fromkeys(after, True)


@pytest.mark.django_db
def test_a_partially_sent_year_is_not_public(client, year, council, other_council):
    sent_letter(council, year)
    letter_in(other_council, year, LetterStatus.APPROVED)  # still going out

    with time_machine.travel(day(year, before_publication=False), tick=False):
        shown = shows_year(public_responses(client, council, year), year.label)
        assert publication.review_years_publish_due() == []

    assert shown == dict.fromkeys(shown, False)
    assert not selectors.is_published(year)
    assert list(selectors.published_years()) == []
    assert list(selectors.published_letters()) == []


@pytest.mark.django_db
def test_a_council_without_a_letter_is_public_with_its_reason(client, year, council, other_council, manager):
    sent_letter(council, year)
    letter_in(other_council, year, LetterStatus.READY)
    publication.no_letter_reason_record(
        review_year=year, council=other_council, reason="Letter withdrawn: figures under review.", by=manager
    )
    publish(year)

    pdf = client.get(reverse("published:letter-pdf", args=[other_council.gss_code, year.label]))
    page = client.get(reverse("published:council", args=[other_council.gss_code]))
    home = client.get(reverse("published:home"))

    assert pdf.status_code == 404
    assert "No letter for 2019-20: Letter withdrawn: figures under review." in page.text
    assert [row.record.council.gss_code for row in home.context["table"].rows] == ["E07000129"]
    assert [(row.council, row.reason) for row in home.context["without_letter"]] == [
        (other_council, "Letter withdrawn: figures under review.")
    ]
    assert "Letter withdrawn: figures under review." in home.text


@pytest.mark.django_db
def test_a_withdrawn_year_leaves_the_public_pages_with_a_notice(client, year, council, published, manager):
    with time_machine.travel(datetime.datetime(2020, 8, 3, 10, tzinfo=LONDON), tick=False):
        publication.review_year_withdraw(review_year=year, by=manager, reason="Figures for two councils were wrong.")

    responses = public_responses(client, council, year)

    assert [responses[name].status_code for name in FILES] == [404, 404, 404]
    notice = "The figures for 2019-20 were withdrawn on 3 August 2020: Figures for two councils were wrong."
    assert all(notice in responses[name].text for name in ("public-home", "public-council", "open-data"))
    assert "Figures for 2019-20" not in responses["public-council"].text
    assert responses["chosen"].status_code == 404


@pytest.mark.django_db
def test_publish_due_years_publishes_once_when_nothing_is_missing(year, council):
    sent_letter(council, year)
    unsent = factories.ReviewYearFactory(label="2018-19")
    letter_in(council, unsent, LetterStatus.APPROVED)

    before = publication.review_years_publish_due(now=day(year, before_publication=True))
    first = publication.review_years_publish_due(now=day(year, before_publication=False))
    second = publication.review_years_publish_due(now=day(year, before_publication=False) + datetime.timedelta(days=1))

    year.refresh_from_db()
    assert (before, [y.label for y in first], second) == ([], ["2019-20"], [])
    assert (year.published_at, year.published_by) == (day(year, before_publication=False), None)
    assert ReviewYear.objects.get(label="2018-19").published_at is None


@pytest.mark.django_db
def test_publish_task_runs_the_service(year, council):
    from reviews.tasks import publish_due_years_task

    sent_letter(council, year)

    with time_machine.travel(day(year, before_publication=False), tick=False):
        publish_due_years_task.delay()

    year.refresh_from_db()
    assert year.published_at is not None


# Figures come from the letters as sent -----------------------------------------------------


@pytest.mark.django_db
def test_council_page_shows_the_figures_as_sent_against_the_type_average(client, year, council, published):
    factories.DecisionFactory(complaint=factories.ComplaintFactory(council=council), upheld=True)  # after sending

    response = client.get(reverse("published:council", args=[council.gss_code]))

    assert "Figures for 2019-20" in response.text
    assert "50%" in response.text  # 1 of 2 as sent, not 2 of 3 now
    assert "1 upheld decision of 2 investigations" in response.text
    assert reverse("published:letter-pdf", args=[council.gss_code, "2019-20"]) in response.text
    assert 'role="img"' in response.text
    assert "Show the figures as a table" in response.text


@pytest.mark.django_db
def test_council_page_shows_every_published_year_in_its_chart(client, council):
    for start in (2017, 2018, 2019):
        review_year = factories.ReviewYearFactory(label=f"{start}-{(start + 1) % 100:02d}")
        factories.DecisionFactory(
            complaint=factories.ComplaintFactory(council=council, received_on=datetime.date(start, 5, 1)),
            decided_on=datetime.date(start, 9, 1),
            upheld=start != 2018,
        )
        sent_letter(council, review_year)
        publish(review_year)

    response = client.get(reverse("published:council", args=[council.gss_code]))

    assert "Complaints upheld, Blaby District Council, 2017-18 to 2019-20" in response.text
    assert "2017-18: 100% (average 100%); 2018-19: 0% (average 0%); 2019-20: 100% (average 100%)." in response.text
    assert response.text.count("<polyline") >= 2


@pytest.mark.django_db
def test_public_letter_download_is_counted_for_the_day_without_a_user(client, year, council, published):
    response = client.get(reverse("published:letter-pdf", args=[council.gss_code, year.label]))

    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert response["Content-Disposition"] == ('attachment; filename="annual-review-2019-20-blaby-v1.pdf"')
    assert list(LetterDownloadDay.objects.values_list("letter", "count")) == [(published[0].pk, 1)]
    assert not LetterDownload.objects.exists()


@pytest.mark.django_db
def test_public_letter_download_by_a_signed_in_user_records_who(client_for, year, council, published, manager):
    client_for("manager").get(reverse("published:letter-pdf", args=[council.gss_code, year.label]))

    assert LetterDownload.objects.get().user == manager


# The national page ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_national_page_shows_figures_by_type_and_every_council(client, year, council, other_council, published):
    response = client.get(reverse("published:home"))

    types = {row.authority_type: row for row in response.context["types"]}
    table = response.context["table"]
    assert list(types) == ["district", "unitary"]
    assert (types["district"].councils, types["district"].investigations, types["district"].upheld) == (1, 2, 1)
    assert types["district"].averages["uphold_rate"] == "50%"
    assert types["unitary"].averages["satisfactory_rate"] == "100%"
    assert [row.record.council.gss_code for row in table.rows] == ["E07000129", "E06000016"]
    assert "upheld_per_100k" not in [column.name for column in table.columns]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"authority_type": "unitary"}, ["E06000016"]),
        ({"region": "East Midlands", "q": "blaby"}, ["E07000129"]),
        ({"q": "E06000016"}, ["E06000016"]),
        ({"sort": "-uphold_rate"}, ["E06000016", "E07000129", "E07900001"]),
        ({"sort": "uphold_rate"}, ["E07000129", "E06000016", "E07900001"]),
    ],
)
def test_national_table_filters_and_sorts_with_no_figure_last(client, year, published, query, expected):
    nothing = factories.CouncilFactory(gss_code="E07900001", name="Aaa Nothing")
    sent_letter(nothing, year)  # sent after publication: the table shows it

    response = client.get(reverse("published:home"), {"year": year.label, **query})

    assert [row.record.council.gss_code for row in response.context["table"].rows] == expected


@pytest.mark.django_db
def test_national_page_query_count_does_not_grow_with_councils(client, year):
    def add_councils(count):
        for _ in range(count):
            sent_letter(factories.CouncilFactory(), year)

    add_councils(1)
    publish(year)
    one = count_queries(lambda: client.get(reverse("published:home")))
    add_councils(19)
    twenty = count_queries(lambda: client.get(reverse("published:home")))

    assert AnnualLetter.objects.count() == 20
    assert (one, twenty) == (HOME_QUERIES, HOME_QUERIES)


@pytest.mark.django_db
def test_council_page_query_count_does_not_grow_with_years(client, council):
    sent_letters_for_years(council, 2019, 2019)
    one = count_queries(lambda: client.get(reverse("published:council", args=[council.gss_code])))
    sent_letters_for_years(council, 2000, 2018)
    twenty = count_queries(lambda: client.get(reverse("published:council", args=[council.gss_code])))

    assert (one, twenty) == (COUNCIL_QUERIES, COUNCIL_QUERIES)


@pytest.mark.django_db
def test_national_page_without_published_years_says_when_figures_appear(client):
    response = client.get(reverse("published:home"))

    assert response.status_code == 200
    assert "No figures have been published yet" in response.text


@pytest.mark.django_db
def test_year_averages_follow_what_most_letters_printed(year, council):
    sent_letter(council, year)
    second = factories.CouncilFactory()
    sent_letter(second, year)
    odd = sent_letter(factories.CouncilFactory(), year)
    snapshot = {**odd.snapshot, "average": {**odd.snapshot["average"], "uphold_rate": "99"}}
    AnnualLetter.objects.filter(pk=odd.pk).update(status=LetterStatus.SUPERSEDED)
    AnnualLetter.objects.create(
        council=odd.council,
        review_year=year,
        version=2,
        status=LetterStatus.SENT,
        snapshot=snapshot,
        pdf_name=odd.pdf_name,
        pdf_sha256=odd.pdf_sha256,
        sent_at=odd.sent_at,
    )

    publish(year)

    averages = published_selectors.year_averages(selectors.published_letters())

    assert averages[(year.pk, "district")] == odd.snapshot["average"]


# Home ----------------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "target"), [("anonymous", "published:home"), ("council_user", "portal:home")])
def test_home_sends_visitors_to_the_public_figures_and_council_users_to_the_portal(client_for, role, target):
    response = client_for(role).get(reverse("home"))

    assert response.status_code == 302
    assert response["Location"] == reverse(target)


@pytest.mark.django_db
def test_public_pages_keep_the_sign_in_link(client):
    response = client.get(reverse("published:home"))

    assert f'href="{reverse("login")}"' in response.text


@pytest.mark.django_db
def test_council_page_shows_the_complaint_overview_and_what_the_data_means(client, council):
    from complaints.models import Outcome
    from reviews.letters.overview import DEFINITIONS
    from tests.reviews.letters.test_overview import add_outcomes

    earlier = factories.ReviewYearFactory(label="2023-24")
    sent_letter(council, earlier)
    publish(earlier)
    add_outcomes(council, **{Outcome.INCOMPLETE_INVALID: 2, Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES: 3, "upheld": 4})
    later = factories.ReviewYearFactory(label="2024-25")
    sent_letter(council, later)
    publish(later)

    response = client.get(reverse("published:council", args=[council.gss_code]))

    text = " ".join(response.text.split())
    assert "Complaint overview 2024-25" in text
    for label, count in (
        ("Complaints dealt with", 9),
        ("Not for us or not ready for us to investigate", 2),
        ("Assessed and closed", 3),
        ("Investigated", 4),
    ):
        assert (
            f'<th scope="row" class="govuk-table__header">{label}</th>'
            f'<td class="govuk-table__cell govuk-table__cell--numeric">{count}</td>'
        ) in text
    assert "More about this data" in text
    for term, meaning in DEFINITIONS:
        assert (
            f'<dt class="govuk-summary-list__key">{term}</dt> <dd class="govuk-summary-list__value">{escape(meaning)}</dd>'
            in text
        )


@pytest.mark.django_db
def test_council_page_before_2024_25_defines_only_what_it_shows(client, council):
    earlier = factories.ReviewYearFactory(label="2023-24")
    sent_letter(council, earlier)
    publish(earlier)

    response = client.get(reverse("published:council", args=[council.gss_code]))

    assert "Complaint overview" not in response.text
    assert [term for term, _ in response.context["definitions"]] == [
        "Investigated",
        "Upheld",
        "Satisfactory remedy",
        "Compliance",
        "Averages",
    ]
    assert '<dt class="govuk-summary-list__key">Dealt with</dt>' not in response.text
    assert '<dt class="govuk-summary-list__key">Upheld</dt>' in response.text


@pytest.mark.django_db
def test_public_pages_flag_rates_on_fewer_than_10_cases(client, year, council, other_council):
    for index in range(10):  # Blaby: 10 investigations, 4 upheld: only the satisfactory remedy rate is flagged
        traits = {"upheld": True} if index < 4 else {}
        factories.DecisionFactory(complaint=factories.ComplaintFactory(council=council), **traits)
    factories.DecisionFactory(complaint=factories.ComplaintFactory(council=other_council), upheld=True)
    sent_letter(council, year)
    sent_letter(other_council, year)
    publish(year)
    flag = (
        '<strong class="govuk-tag govuk-tag--yellow app-few-cases"><span class="app-few-cases__long">Fewer than 10 '
        'cases</span><span class="app-few-cases__short" aria-hidden="true">&lt;10 cases</span></strong>'
    )

    page = client.get(reverse("published:council", args=[council.gss_code])).text
    national = client.get(reverse("published:home"))

    rows = [row for row in page.split('<tr class="govuk-table__row">') if "Fewer than 10 cases</span>" in row]
    assert len(rows) == 1 and "Satisfactory remedy provided by the council" in rows[0]
    assert "read it with care" in page
    cells = {row.record.council.gss_code: row for row in national.context["table"].rows}
    assert cells["E07000129"].get_cell("uphold_rate") == "40%"
    assert cells["E07000129"].get_cell("satisfactory_rate") == f"0% {flag}"
    assert cells["E06000016"].get_cell("uphold_rate") == f"100% {flag}"


def corrected_letter(council, year, *, reason: str, on: str) -> AnnualLetter:
    """Version 1 sent then superseded; version 2, a correction of it, sent."""
    letter_in(council, year, LetterStatus.SUPERSEDED, version=1)
    letter = letter_in(council, year, LetterStatus.READY, version=2)
    snapshot = letter.snapshot | {"correction": {"replaces": "2020-07-21", "reason": reason, "date": on}}
    AnnualLetter.objects.filter(pk=letter.pk).update(snapshot=snapshot)
    AnnualLetter.objects.filter(pk=letter.pk).update(
        status=LetterStatus.SENT,
        sent_at=datetime.datetime(2020, 7, 27, 9, tzinfo=LONDON),
        approved_at=datetime.datetime(2020, 7, 27, 8, tzinfo=LONDON),
    )
    letter.refresh_from_db()
    return letter


@pytest.mark.django_db
def test_council_page_shows_the_latest_version_and_says_when_and_why_it_was_corrected(client, year, council):
    corrected_letter(council, year, reason="One decision was counted twice.", on="2020-07-25")
    publish(year)

    response = client.get(reverse("published:council", args=[council.gss_code]))
    download = client.get(reverse("published:letter-pdf", args=[council.gss_code, year.label]))

    text = " ".join(response.text.split())
    assert "<strong>Corrected on 25 July 2020.</strong> One decision was counted twice." in text
    assert "the corrected version (2)" in text
    assert download["Content-Disposition"] == 'attachment; filename="annual-review-2019-20-blaby-v2.pdf"'


@pytest.mark.django_db
def test_council_page_of_an_uncorrected_letter_says_nothing_of_corrections(client, year, council):
    sent_letter(council, year)
    publish(year)

    response = client.get(reverse("published:council", args=[council.gss_code]))

    assert "Corrected on" not in response.text
