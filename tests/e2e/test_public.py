"""Journey 4: the public. A year whose letters are sent but that is not published shows nothing;
a published year shows its figures, the chart and the letter, and its open data downloads. When
the later year's publication date comes, the scheduled check publishes it (every letter is
sent) and it appears without anything else changing."""

import csv
import datetime
import io
import re

import pytest

from published import open_data
from reviews.models import ReviewYear
from reviews.publication import services as publication
from tests import factories
from tests.e2e.browser import DESKTOP, heading
from tests.e2e.data import councils_with_contacts, decisions, issued_year, today

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]


def test_public_sees_a_year_only_from_its_publication_date(open_journey):
    blaby, charnwood = councils_with_contacts(
        ("Blaby", "Blaby District Council", "E07000129", "district"),
        ("Charnwood", "Charnwood Borough Council", "E07000130", "district"),
    )
    for council in (blaby, charnwood):
        factories.PopulationFactory(council=council, year=2022, population=102_000)
        factories.PopulationFactory(council=council, year=2023, population=103_000)
    decisions(blaby, datetime.date(2023, 9, 1), upheld=2, satisfactory=1, not_upheld=1)
    decisions(charnwood, datetime.date(2023, 10, 2), upheld=1, not_upheld=3)
    decisions(blaby, datetime.date(2024, 9, 2), upheld=1, not_upheld=1)
    decisions(charnwood, datetime.date(2024, 10, 1), not_upheld=2)
    runner, approver = factories.ManagerFactory(), factories.ManagerFactory()
    published = issued_year("2023-24", runner=runner, approver=approver)
    publication.review_year_publish(review_year=published, by=approver)
    upcoming = issued_year(
        "2024-25", runner=runner, approver=approver, publication_date=today() + datetime.timedelta(days=30)
    )
    assert published.publication_date < today() < upcoming.publication_date
    ui = open_journey("public")
    page = ui.page

    ui.goto("/councils/E07000129/", screenshot="council-before-publication")
    assert heading(page) == "Blaby District Council"
    main = page.locator("main")
    assert "2024-25" not in main.inner_text()
    figures = main.get_by_role("table", name="Figures for 2023-24")
    upheld = figures.get_by_role("row", name="Complaints upheld").inner_text()
    assert "75%\nFewer than 10 cases" in upheld.split("\t")  # 4 investigations: flagged (small numbers)
    assert "3 upheld decisions of 4 investigations" in upheld
    page.set_viewport_size({"width": 375, "height": 800})  # a phone: the flag took four lines there
    flag = figures.get_by_role("row", name="Complaints upheld").locator(".app-few-cases")
    line_height = float(flag.evaluate("tag => getComputedStyle(tag).lineHeight").removesuffix("px"))
    seen = flag.evaluate(
        "tag => [...tag.children].filter(s => s.getBoundingClientRect().width > 1).map(s => s.textContent)"
    )
    assert (seen, flag.bounding_box()["height"] < 2.5 * line_height) == (["<10 cases"], True)
    assert flag.aria_snapshot() == "- strong: Fewer than 10 cases"  # what a screen reader reads
    page.set_viewport_size(DESKTOP)
    charts = main.locator("figure.app-trend svg[role=img]:visible")  # a wide and a phone drawing each; CSS shows one
    assert charts.count() == 4  # uphold, compliance, satisfactory remedy, per 100,000
    assert charts.first.get_attribute("aria-labelledby")
    letter_link = main.get_by_role("link", name="Download the annual review letter for 2023-24")
    download, body = ui.download(letter_link.click)
    assert body.startswith(b"%PDF")
    assert download.suggested_filename == "annual-review-2023-24-blaby-v1.pdf"

    page.get_by_role("link", name="Council figures").first.click()
    ui.check(screenshot="figures")
    assert "Review year 2023-24" in heading(page)
    assert [o.strip() for o in page.get_by_label("Review year").locator("option").all_inner_texts()] == ["2023-24"]

    page.get_by_role("link", name="Open data").first.click()
    ui.check()
    files = page.get_by_role("table", name="Open data files by review year")
    assert files.locator("tbody tr").count() == 1
    download, body = ui.download(files.get_by_role("link", name="CSV file for 2023-24").click)
    assert download.suggested_filename == "annual-review-figures-2023-24.csv"
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))
    assert rows[0] == open_data.HEADER
    assert [(row[0], row[1]) for row in rows[1:]] == [("2023-24", "E07000129"), ("2023-24", "E07000130")]
    assert ui.context.request.get(ui.url("/open-data/2024-25.csv")).status == 404
    assert ui.context.request.get(ui.url("/councils/E07000129/2024-25/letter.pdf")).status == 404

    # The publication date of 2024-25 comes: the scheduled check publishes it.
    ReviewYear.objects.filter(pk=upcoming.pk).update(publication_date=today())
    assert [year.label for year in publication.review_years_publish_due()] == ["2024-25"]
    ui.goto("/councils/E07000129/", screenshot="council-after-publication")
    main = page.locator("main")
    figures = main.get_by_role("table", name="Figures for 2024-25")
    upheld = figures.get_by_role("row", name="Complaints upheld").inner_text()
    assert "50%\nFewer than 10 cases" in upheld.split("\t")
    assert "1 upheld decision of 2 investigations" in upheld
    letters = main.get_by_role("link", name=re.compile(r"^Annual review letter \d{4}-\d{2}"))
    assert [text.split(" (")[0] for text in letters.all_inner_texts()] == [
        "Annual review letter 2024-25",
        "Annual review letter 2023-24",
    ]
    download, body = ui.download(letters.first.click)
    assert body.startswith(b"%PDF")
    assert download.suggested_filename == "annual-review-2024-25-blaby-v1.pdf"
    assert ui.context.request.get(ui.url("/open-data/2024-25.csv")).status == 200
    ui.finish()
