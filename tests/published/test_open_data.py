import csv
import datetime
import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from published import open_data
from reviews.models import AnnualLetter, AverageMethod
from tests import factories
from tests.reviews.published import publish, sent_letter
from tests.utils import count_queries

# Schema 1, as published; later schemas only append.
SCHEMA_1 = [
    "review_year",
    "gss_code",
    "council_name",
    "authority_type",
    "region",
    "investigations",
    "upheld",
    "uphold_rate",
    "satisfactory_remedies",
    "satisfactory_remedy_rate",
    "compliance_outcomes",
    "complied",
    "compliance_rate",
    "population",
    "upheld_per_100k",
    "average_uphold_rate",
    "average_compliance_rate",
    "average_satisfactory_remedy_rate",
    "average_upheld_per_100k",
    "average_method",
    "letter_format",
    "population_year",
    "publication_date",
    "letter_version",
]
SCHEMA = [
    *SCHEMA_1,
    "dealt_with",
    "not_for_us",
    "assessed_and_closed",
    "uphold_rate_few_cases",
    "satisfactory_remedy_rate_few_cases",
    "compliance_rate_few_cases",
    "corrected_on",
    "no_letter_reason",
]


# The published year, its changelog (events, corrected letters), the averages, the letters and the
# councils without a letter.
FILE_QUERIES = 6


def test_open_data_schema_is_stable():
    assert open_data.HEADER == SCHEMA
    assert open_data.SCHEMA_VERSION == 3


def test_open_data_schema_is_documented_in_order():
    text = (Path(settings.BASE_DIR) / "docs" / "open-data.md").read_text()

    documented = re.findall(r"^\| `([a-z0-9_]+)` \| (\w+) \|", text, flags=re.MULTILINE)

    assert [name for name, _type in documented] == SCHEMA
    assert documented == [(column.name, column.type) for column in open_data.COLUMNS]


def csv_rows(response) -> list[dict]:
    text = response.content.decode()
    reader = csv.DictReader(io.StringIO(text))
    rows = list(reader)
    assert reader.fieldnames == SCHEMA
    return rows


@pytest.fixture
def year_2022(db):
    return factories.ReviewYearFactory(label="2022-23")  # figure per 100,000 residents from this year


def decide(council, decided_on, **traits):
    complaint = factories.ComplaintFactory(council=council, received_on=decided_on - datetime.timedelta(days=90))
    return factories.DecisionFactory(complaint=complaint, decided_on=decided_on, **traits)


@pytest.mark.django_db
def test_csv_has_the_letters_figures_and_empty_cells_for_no_figure(client, year_2022, council, other_council):
    day = datetime.date(2022, 9, 1)
    factories.PopulationFactory(council=council, year=2021, population=100_000)
    decide(council, day, upheld=True)
    decide(council, day, satisfactory=True)
    decide(council, day)
    recorded = decide(council, datetime.date(2022, 5, 1), upheld=True)
    factories.ComplianceOutcomeFactory(decision=recorded, outcome="not_complied", recorded_on=datetime.date(2022, 6, 1))
    sent_letter(council, year_2022)
    sent_letter(other_council, year_2022)  # nothing measured, no population
    other_body = factories.CouncilFactory(
        authority_type="other", gss_code="E31000001", name="Fire Authority", region=""
    )
    sent_letter(other_body, year_2022)
    publish(year_2022)

    response = client.get(reverse("published:open-data-csv", args=["2022-23"]))

    rows = {row["gss_code"]: row for row in csv_rows(response)}
    assert response["Content-Disposition"] == 'attachment; filename="annual-review-figures-2022-23.csv"'
    assert list(rows) == ["E06000016", "E07000129", "E31000001"]
    assert rows["E07000129"] == {
        "review_year": "2022-23",
        "gss_code": "E07000129",
        "council_name": "Blaby District Council",
        "authority_type": "district",
        "region": "East Midlands",
        "investigations": "4",
        "upheld": "3",
        "uphold_rate": "75",
        "satisfactory_remedies": "1",
        "satisfactory_remedy_rate": "33",
        "compliance_outcomes": "1",
        "complied": "0",
        "compliance_rate": "0",
        "population": "100000",
        "upheld_per_100k": "3.0",
        "average_uphold_rate": "75",
        "average_compliance_rate": "0",
        "average_satisfactory_remedy_rate": "33",
        "average_upheld_per_100k": "3.0",
        "average_method": "pooled",
        "letter_format": "detailed_per_100k",
        "population_year": "2021",
        "publication_date": "2023-07-28",
        "letter_version": "1",
        "dealt_with": "",
        "not_for_us": "",
        "assessed_and_closed": "",
        "uphold_rate_few_cases": "true",
        "satisfactory_remedy_rate_few_cases": "true",
        "compliance_rate_few_cases": "true",
        "corrected_on": "",
        "no_letter_reason": "",
    }
    nothing = rows["E06000016"]
    assert (nothing["investigations"], nothing["uphold_rate"], nothing["compliance_rate"]) == ("0", "", "")
    assert (nothing["satisfactory_remedy_rate"], nothing["population"], nothing["upheld_per_100k"]) == ("", "", "")
    assert (nothing["average_uphold_rate"], nothing["average_upheld_per_100k"]) == ("", "")
    other = rows["E31000001"]
    assert [other[name] for name in SCHEMA if name.startswith("average_") and name != "average_method"] == [""] * 4


@pytest.mark.django_db
def test_years_before_2022_23_have_no_figure_per_100k(client, council):
    year = factories.ReviewYearFactory(label="2019-20")
    factories.PopulationFactory(council=council, year=2018, population=90_000)
    decide(council, datetime.date(2019, 9, 1), upheld=True)
    sent_letter(council, year)
    publish(year)

    (row,) = csv_rows(client.get(reverse("published:open-data-csv", args=["2019-20"])))

    assert (row["upheld"], row["population"], row["upheld_per_100k"], row["average_upheld_per_100k"]) == (
        "1",
        "",
        "",
        "",
    )


@pytest.mark.django_db
def test_json_has_the_same_fields_as_numbers_or_null_and_metadata(client, year_2022, council, other_council):
    factories.PopulationFactory(council=council, year=2021, population=80_000)
    decide(council, datetime.date(2022, 9, 1), upheld=True)
    decide(council, datetime.date(2022, 9, 2))
    decide(council, datetime.date(2022, 9, 3))
    sent_letter(council, year_2022)
    sent_letter(other_council, year_2022)
    publish(year_2022)

    response = client.get(reverse("published:open-data-json", args=["2022-23"]))

    document = json.loads(response.content)
    blaby = next(row for row in document["councils"] if row["gss_code"] == "E07000129")
    leicester = next(row for row in document["councils"] if row["gss_code"] == "E06000016")
    assert response["Content-Type"] == "application/json"
    assert [list(row) for row in document["councils"]] == [SCHEMA, SCHEMA]
    assert (blaby["investigations"], blaby["uphold_rate"], blaby["upheld_per_100k"]) == (3, 33, 1.3)
    assert (blaby["population"], blaby["compliance_rate"], blaby["publication_date"]) == (80_000, None, "2023-07-28")
    assert (leicester["uphold_rate"], leicester["average_uphold_rate"]) == (None, None)
    assert (blaby["uphold_rate_few_cases"], blaby["compliance_rate_few_cases"]) == (True, None)
    assert leicester["uphold_rate_few_cases"] is None
    metadata = document["metadata"]
    assert metadata["schema_version"] == 3
    assert (metadata["review_year"], metadata["period_start"], metadata["period_end"]) == (
        "2022-23",
        "2022-04-01",
        "2023-03-31",
    )
    assert (metadata["average_method"], metadata["population_year"], metadata["row_count"]) == ("pooled", 2021, 2)
    assert metadata["licence"] == "Open Government Licence v3.0"
    assert [column["name"] for column in metadata["columns"]] == SCHEMA


@pytest.mark.django_db
def test_mean_method_is_stated_in_every_row(client, council):
    year = factories.ReviewYearFactory(label="2019-20", average_method=AverageMethod.MEAN)
    sent_letter(council, year)
    publish(year)

    (row,) = csv_rows(client.get(reverse("published:open-data-csv", args=["2019-20"])))

    assert row["average_method"] == "mean"


@pytest.mark.django_db
def test_figures_are_the_letters_not_todays_casework(client, council):
    year = factories.ReviewYearFactory(label="2019-20")
    decide(council, datetime.date(2019, 9, 1), upheld=True)
    sent_letter(council, year)
    publish(year)
    decide(council, datetime.date(2019, 9, 2))  # recorded after the letter was sent

    (row,) = csv_rows(client.get(reverse("published:open-data-csv", args=["2019-20"])))

    assert (row["investigations"], row["uphold_rate"]) == ("1", "100")


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["published:open-data-csv", "published:open-data-json"])
def test_unpublished_or_unknown_year_has_no_file(client, council, view):
    future = factories.ReviewYearFactory(label="2030-31")
    sent_letter(council, future)

    assert client.get(reverse(view, args=["2030-31"])).status_code == 404
    assert client.get(reverse(view, args=["1999-00"])).status_code == 404


@pytest.mark.django_db
def test_open_data_page_lists_published_years_and_the_schema(client, council):
    sent_letter(council, factories.ReviewYearFactory(label="2019-20"))
    sent_letter(council, factories.ReviewYearFactory(label="2030-31"))
    publish(factories.ReviewYearFactory(label="2019-20"))

    response = client.get(reverse("published:open-data"))

    assert reverse("published:open-data-csv", args=["2019-20"]) in response.text
    assert reverse("published:open-data-json", args=["2019-20"]) in response.text
    assert "2030-31" not in response.text
    assert all(f"<code>{name.replace('_', '_<wbr>')}</code>" in response.text for name in SCHEMA)


@pytest.mark.django_db
def test_open_data_columns_wrap_names_after_underscores_and_never_split_a_type(client):
    """At 375 px the names wrap after an underscore (not "satisfactory_re|medy"), and only the
    meaning may break a long word: a type ("integer") is never split into "inte|ger"."""
    response = client.get(reverse("published:open-data"))

    rows = re.findall(r"<tr class=\"govuk-table__row\"><th scope=\"row\".*?</tr>", response.text)
    assert len(rows) == len(open_data.COLUMNS)
    for row, column in zip(rows, open_data.COLUMNS, strict=True):
        assert f"<code>{'_<wbr>'.join(column.name.split('_'))}</code>" in row
        assert f'<td class="govuk-table__cell">{column.type}</td>' in row
    table = response.text[response.text.index("Columns of the open data files") :]
    assert "app-break-words" not in table[: table.index("<caption")]


@pytest.mark.django_db
def test_open_data_page_without_published_years_says_when_files_appear(client):
    response = client.get(reverse("published:open-data"))

    assert "No figures have been published yet" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize("view", ["published:open-data-csv", "published:open-data-json"])
def test_open_data_query_count_does_not_grow_with_councils(client, view):
    year = factories.ReviewYearFactory(label="2019-20")

    def add_councils(count):
        for _ in range(count):
            sent_letter(factories.CouncilFactory(), year)

    def fetch():
        return client.get(reverse(view, args=["2019-20"])).content

    add_councils(1)
    publish(year)
    one = count_queries(fetch)
    add_councils(19)
    twenty = count_queries(fetch)

    assert AnnualLetter.objects.count() == 20
    assert (one, twenty) == (FILE_QUERIES, FILE_QUERIES)


@pytest.mark.django_db
def test_open_data_carries_the_complaint_overview_from_2024_25(client, council, other_council):
    from complaints.models import Outcome
    from tests.reviews.letters.test_overview import add_outcomes

    year = factories.ReviewYearFactory(label="2024-25")
    add_outcomes(
        council, **{Outcome.ADVICE_GIVEN: 2, Outcome.REFERRED_BACK: 1, Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES: 4}
    )
    add_outcomes(council, **{Outcome.NOT_UPHELD: 1, "upheld": 2})
    sent_letter(council, year)
    sent_letter(other_council, year)  # no decisions: an overview of zeros, not empty cells
    publish(year)

    rows = {row["gss_code"]: row for row in csv_rows(client.get(reverse("published:open-data-csv", args=["2024-25"])))}
    document = json.loads(client.get(reverse("published:open-data-json", args=["2024-25"])).content)

    blaby, leicester = rows["E07000129"], rows["E06000016"]
    assert [blaby[name] for name in ("dealt_with", "not_for_us", "assessed_and_closed", "investigations")] == [
        "10",
        "3",
        "4",
        "3",
    ]
    assert [leicester[name] for name in ("dealt_with", "not_for_us", "assessed_and_closed")] == ["0", "0", "0"]
    json_blaby = next(row for row in document["councils"] if row["gss_code"] == "E07000129")
    assert (json_blaby["dealt_with"], json_blaby["not_for_us"], json_blaby["assessed_and_closed"]) == (10, 3, 4)


@pytest.mark.django_db
def test_open_data_flags_a_rate_only_below_10_cases(client, year_2022, council):
    for index in range(10):
        decide(council, datetime.date(2022, 9, 1), upheld=index < 9)  # 10 investigations, 9 upheld
    sent_letter(council, year_2022)
    publish(year_2022)

    (row,) = csv_rows(client.get(reverse("published:open-data-csv", args=["2022-23"])))

    assert (row["investigations"], row["upheld"], row["compliance_outcomes"]) == ("10", "9", "0")
    assert (
        row["uphold_rate_few_cases"],
        row["satisfactory_remedy_rate_few_cases"],
        row["compliance_rate_few_cases"],
    ) == ("false", "true", "")


@pytest.mark.django_db
def test_open_data_says_which_version_and_when_it_was_corrected(client, council, other_council):
    from tests.published.test_views import corrected_letter

    year = factories.ReviewYearFactory(label="2019-20")
    corrected_letter(council, year, reason="One decision was counted twice.", on="2020-07-25")
    sent_letter(other_council, year)
    publish(year)

    rows = {row["gss_code"]: row for row in csv_rows(client.get(reverse("published:open-data-csv", args=["2019-20"])))}
    document = json.loads(client.get(reverse("published:open-data-json", args=["2019-20"])).content)

    assert (rows["E07000129"]["letter_version"], rows["E07000129"]["corrected_on"]) == ("2", "2020-07-25")
    assert (rows["E06000016"]["letter_version"], rows["E06000016"]["corrected_on"]) == ("1", "")
    assert [row["corrected_on"] for row in document["councils"]] == [None, "2020-07-25"]


MYSOCIETY = "Contains data from mySociety&#x27;s UK Local Authority Names and Codes"
ONS = "Contains public sector information from the Office for National Statistics licensed under the Open Government Licence v3.0"


@pytest.mark.django_db
def test_open_data_files_give_the_licence_and_attributions_without_touching_the_csv(client, year_2022, council):
    """Only the footer gave the attributions SOURCES.md asks for."""
    sent_letter(council, year_2022)
    publish(year_2022)

    csv_file = client.get(reverse("published:open-data-csv", args=["2022-23"]))
    json_file = client.get(reverse("published:open-data-json", args=["2022-23"]))

    link = (
        '<https://www.nationalarchives.gov.uk/doc/open-government-licence/version/3/>; rel="license", '
        '<http://testserver/open-data/#licence>; rel="describedby"'
    )
    assert (csv_file["Link"], json_file["Link"]) == (link, link)
    assert csv_file.content.decode().splitlines()[0] == ",".join(SCHEMA)
    assert [
        (a["data"], a["attribution"], a["licence"]) for a in json.loads(json_file.content)["metadata"]["attribution"]
    ] == [
        ("Council names", "Contains data from mySociety's UK Local Authority Names and Codes", "CC BY 4.0"),
        ("Council codes, types, regions and populations", ONS, "Open Government Licence v3.0"),
    ]


@pytest.mark.django_db
def test_open_data_page_gives_the_attributions(client):
    page = client.get(reverse("published:open-data")).content.decode()

    section = page[page.index('id="licence"') : page.index("</dl>")]
    assert (
        f'"{MYSOCIETY}", licensed under <a class="govuk-link" href="https://creativecommons.org/licenses/by/4.0/">CC BY 4.0</a>.'
        in section
    )
    assert f'"{ONS}". <a class="govuk-link" href="https://www.ons.gov.uk/">' in section
    footer = page[page.index("<footer") :]
    assert f"{MYSOCIETY}, licensed under" in footer and f"{ONS}." in footer
