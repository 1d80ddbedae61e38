import datetime

import pytest
import time_machine
from django.urls import reverse
from django.utils.html import escape

from published import selectors as published_selectors
from reviews import selectors
from reviews.letters import years
from reviews.models import AnnualLetter, LetterDownload, LetterDownloadDay, LetterStatus, ReviewYear
from tests import factories
from tests.reviews.published import LONDON, day, letter_in, sent_letter, sent_letters_for_years
from tests.utils import count_queries

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
    return [sent_letter(council, year), sent_letter(other_council, year)]


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


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("moment", "public"),
    [
        (datetime.datetime(2020, 7, 27, 22, 59, tzinfo=datetime.UTC), False),  # 23:59 on the 27th in London
        (datetime.datetime(2020, 7, 27, 23, 0, tzinfo=datetime.UTC), True),  # midnight in London: the 28th
        (datetime.datetime(2020, 7, 28, 12, 0, tzinfo=LONDON), True),
    ],
)
def test_nothing_of_a_year_is_public_before_its_publication_date(client, year, council, published, moment, public):
    urls = public_urls(council, year)

    with time_machine.travel(moment, tick=False):
        home = client.get(urls["public-home"])
        page = client.get(urls["public-council"])
        files = [client.get(urls[name]) for name in ("public-letter-pdf", "open-data-csv", "open-data-json")]
        listing = client.get(urls["open-data"])
        chosen = client.get(urls["public-home"], {"year": year.label})

    assert [response.status_code for response in files] == ([200, 200, 200] if public else [404, 404, 404])
    assert ("2019-20" in page.text) == public
    assert ("2019-20" in home.text) == public
    assert ("2019-20" in listing.text) == public
    assert ("<svg" in page.text) == public
    assert chosen.status_code == (200 if public else 404)
    if not public:
        assert "No figures have been published for Blaby District Council yet" in page.text
        assert "No figures have been published yet" in home.text


@pytest.mark.django_db
def test_a_year_without_sent_letters_is_not_public_even_after_its_date(client, year, council):
    letter_in(council, year, LetterStatus.APPROVED)

    with time_machine.travel(day(year, before_publication=False), tick=False):
        response = client.get(reverse("published:open-data-csv", args=[year.label]))
        assert not selectors.is_published(year)
        assert list(selectors.published_years()) == []

    assert response.status_code == 404


@pytest.mark.django_db
def test_only_sent_letters_are_public_in_a_published_year(client, year, council, other_council):
    sent_letter(council, year)
    draft = letter_in(other_council, year, LetterStatus.APPROVED)

    pdf = client.get(reverse("published:letter-pdf", args=[other_council.gss_code, year.label]))
    page = client.get(reverse("published:council", args=[other_council.gss_code]))
    home = client.get(reverse("published:home"))

    assert pdf.status_code == 404
    assert "No figures have been published for Leicester City Council yet" in page.text
    assert draft.council.formal_name not in home.text
    assert "Blaby District Council" in home.text


@pytest.mark.django_db
def test_is_published_checks_the_date_and_the_sent_letters(year, council):
    sent_letter(council, year)

    assert not selectors.is_published(year, today=datetime.date(2020, 7, 27))
    assert selectors.is_published(year, today=datetime.date(2020, 7, 28))


@pytest.mark.django_db
def test_publish_due_years_records_publication_once(year, council):
    sent_letter(council, year)
    unsent = factories.ReviewYearFactory(label="2018-19")
    letter_in(council, unsent, LetterStatus.APPROVED)

    before = years.publish_due_years(now=day(year, before_publication=True))
    first = years.publish_due_years(now=day(year, before_publication=False))
    second = years.publish_due_years(now=day(year, before_publication=False) + datetime.timedelta(days=1))

    year.refresh_from_db()
    assert (before, [y.label for y in first], second) == ([], ["2019-20"], [])
    assert year.published_at == day(year, before_publication=False)
    assert ReviewYear.objects.get(label="2018-19").published_at is None


@pytest.mark.django_db
def test_publish_task_runs_the_service(year, council):
    from reviews.tasks import publish_due_years_task

    sent_letter(council, year)

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
    sent_letter(nothing, year)

    response = client.get(reverse("published:home"), {"year": year.label, **query})

    assert [row.record.council.gss_code for row in response.context["table"].rows] == expected


@pytest.mark.django_db
def test_national_page_query_count_does_not_grow_with_councils(client, year):
    def add_councils(count):
        for _ in range(count):
            sent_letter(factories.CouncilFactory(), year)

    add_councils(1)
    one = count_queries(lambda: client.get(reverse("published:home")))
    add_councils(19)
    twenty = count_queries(lambda: client.get(reverse("published:home")))

    assert AnnualLetter.objects.count() == 20
    assert one == twenty == 10


@pytest.mark.django_db
def test_council_page_query_count_does_not_grow_with_years(client, council):
    sent_letters_for_years(council, 2019, 2019)
    one = count_queries(lambda: client.get(reverse("published:council", args=[council.gss_code])))
    sent_letters_for_years(council, 2000, 2018)
    twenty = count_queries(lambda: client.get(reverse("published:council", args=[council.gss_code])))

    assert one == twenty == 4


@pytest.mark.django_db
def test_national_page_without_published_years_says_when_figures_appear(client):
    response = client.get(reverse("published:home"))

    assert response.status_code == 200
    assert "No figures have been published yet" in response.text


@pytest.mark.django_db
def test_year_averages_follow_what_most_letters_printed(year, council, other_council):
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
    add_outcomes(council, **{Outcome.INCOMPLETE_INVALID: 2, Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES: 3, "upheld": 4})
    sent_letter(council, factories.ReviewYearFactory(label="2024-25"))

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
def test_public_pages_flag_rates_on_fewer_than_10_cases(client, year, council, other_council):
    for index in range(10):  # Blaby: 10 investigations, 4 upheld: only the satisfactory remedy rate is flagged
        traits = {"upheld": True} if index < 4 else {}
        factories.DecisionFactory(complaint=factories.ComplaintFactory(council=council), **traits)
    factories.DecisionFactory(complaint=factories.ComplaintFactory(council=other_council), upheld=True)
    sent_letter(council, year)
    sent_letter(other_council, year)
    flag = '<strong class="govuk-tag govuk-tag--yellow app-few-cases">Fewer than 10 cases</strong>'

    page = client.get(reverse("published:council", args=[council.gss_code])).text
    national = client.get(reverse("published:home"))

    rows = [row for row in page.split('<tr class="govuk-table__row">') if "Fewer than 10 cases</strong>" in row]
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

    response = client.get(reverse("published:council", args=[council.gss_code]))
    download = client.get(reverse("published:letter-pdf", args=[council.gss_code, year.label]))

    text = " ".join(response.text.split())
    assert "<strong>Corrected on 25 July 2020.</strong> One decision was counted twice." in text
    assert "the corrected version (2)" in text
    assert download["Content-Disposition"] == 'attachment; filename="annual-review-2019-20-blaby-v2.pdf"'


@pytest.mark.django_db
def test_council_page_of_an_uncorrected_letter_says_nothing_of_corrections(client, year, council):
    sent_letter(council, year)

    response = client.get(reverse("published:council", args=[council.gss_code]))

    assert "Corrected on" not in response.text
