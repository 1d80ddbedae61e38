"""A year's letter is the year's own: its narrative in sections, carried from one year to the next,
with real links (issue 13, section 2)."""

import datetime
import io

import pikepdf
import pytest
from django.core.exceptions import ValidationError
from django.utils.html import strip_tags

from ombudsman.periods import ReviewPeriod
from reviews.letters import pdf, wording, years
from reviews.models import PUBLICATION_SENTENCE, ReviewYear
from reviews.statistics.snapshots import as_schema, differs, year_snapshots
from tests import factories


@pytest.fixture
def review_year(db):
    return factories.ReviewYearFactory(label="2019-20")


def letter_for(council, review_year) -> wording.Letter:
    return wording.build(year_snapshots(review_year)[council.pk])


@pytest.mark.django_db
def test_first_year_defaults_cover_what_the_seed_letter_covers():
    values = years.new_year_defaults(ReviewPeriod.from_label("2019-20"))

    assert "year ending 31 March 2020" in values["intro"]
    assert values["context"] == ""
    assert "rather than how many people complain" in values["explain_upheld"]  # rates, not volumes
    assert "credit authorities that put things right before" in values["explain_satisfactory"]  # early remedies
    assert "below 100%" in values["explain_compliance"]
    assert "district councils, metropolitan boroughs" in values["averages"]
    assert "[Your council's performance]({council_page})" in values["publication"]  # where to find the data
    assert "{date}" in values["publication"]
    assert "training" in values["resources"]
    assert "elected members" in values["closing"]
    assert "scrutiny" in values["closing"]
    factories.ReviewYearFactory(label="2019-20").full_clean()  # the defaults pass the year's own checks


@pytest.mark.django_db
def test_a_new_year_starts_from_the_previous_years_sections_not_the_defaults(review_year):
    years.review_year_update(
        review_year=review_year,
        intro="Our summary for the year ending 31 March 2020.\n\nA second paragraph.",
        context="The pandemic changed everything this year.",
        explain_upheld="Our own words on upheld complaints.",
        resources="See [our training](https://training.example.org).",
        signatory_name="Amerdeep Somal",
    )

    values = years.new_year_defaults(ReviewPeriod.from_label("2020-21"))

    assert values["intro"] == "Our summary for the year ending 31 March 2021.\n\nA second paragraph."
    assert values["context"] == ""  # the year's context is its own
    assert values["explain_upheld"] == "Our own words on upheld complaints."
    assert values["resources"] == "See [our training](https://training.example.org)."
    assert values["signatory_name"] == "Amerdeep Somal"
    assert values["letter_date"] == datetime.date(2021, 7, 21)
    assert (
        years.new_year_defaults(ReviewPeriod.from_label("2020-21"), carry_over=False)["explain_upheld"]
        == (years.FIRST_YEAR_NARRATIVE["explain_upheld"])
    )


@pytest.mark.django_db
def test_letter_prints_every_section_in_order_with_headings_and_links(council, review_year):
    factories.ContactFactory(council=council)
    review_year = years.review_year_update(review_year=review_year, context="A year like no other.")

    letter = letter_for(council, review_year)
    html = pdf.letter_html(year_snapshots(review_year)[council.pk])
    text = strip_tags(html)

    order = [
        "I write to you with our annual summary",
        "A year like no other.",
        "Complaint statistics",
        "We focus our statistics on the outcomes",
        "Complaints upheld",
        "We uphold a complaint when",
        "Compliance with recommendations",
        "Satisfactory remedies provided by the authority",
        "Finally, we compare the three figures",
        "This data will be uploaded to our interactive map",
        "Supporting complaint and service improvement",
        "I would encourage you to share this letter",
        "Yours sincerely",
    ]
    assert [part for part in order if part not in text] == []
    positions = [text.index(part) for part in order]
    assert positions == sorted(positions)
    assert [e.title for e in letter.explanations] == [
        "Complaints upheld",
        "Compliance with recommendations",
        "Satisfactory remedies provided by the authority",
    ]
    assert '<a href="http://localhost:8000/councils/E07000129/">Your council&#x27;s performance</a>' in html
    assert "(localhost:8000/councils/E07000129)" in text  # the address, for print
    assert letter.publication.startswith(
        "This data will be uploaded to our interactive map, Your council's performance "
        "(localhost:8000/councils/E07000129), along with a copy of this letter on 28 July 2020."
    )


@pytest.mark.django_db
def test_links_are_real_links_in_the_pdf(council, review_year, settings):
    settings.SITE_URL = "https://ombudsman.example.org"
    factories.ContactFactory(council=council)

    document = pikepdf.open(io.BytesIO(pdf.letter_pdf(year_snapshots(review_year)[council.pk])))

    uris = [
        str(annotation.A.URI)
        for page in document.pages
        for annotation in page.get("/Annots", [])
        if annotation.get("/Subtype") == "/Link" and "/A" in annotation
    ]
    assert "https://ombudsman.example.org/councils/E07000129/" in uris
    assert "https://ombudsman.example.org/figures/" in uris


@pytest.mark.django_db
def test_empty_explanations_leave_their_headings_out(council, review_year):
    review_year = years.review_year_update(review_year=review_year, explain_compliance="", explain_satisfactory="")

    letter = letter_for(council, review_year)

    assert [e.title for e in letter.explanations] == ["Complaints upheld"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("values", "field", "message"),
    [
        ({"publication": "Published soon."}, "publication", "Write {date} where the publication date goes"),
        (
            {"resources": "See [our site](http://insecure.example)."},
            "resources",
            "must point to an address starting https://",
        ),
        ({"intro": "See [the map]({nowhere})."}, "intro", "or {council_page} or {figures_page}"),
    ],
)
def test_narrative_checks_dates_and_links(review_year, values, field, message):
    with pytest.raises(ValidationError) as raised:
        years.review_year_update(review_year=review_year, **values)

    assert message in " ".join(raised.value.message_dict[field])


@pytest.mark.django_db
def test_hostile_narrative_prints_as_text(council, review_year):
    """Text that got past the form (the admin, an old row) is still only text."""
    ReviewYear.objects.filter(pk=review_year.pk).update(
        context='<script>alert(1)</script> [x](javascript:alert(1)) [<b>bold</b>](https://a.example/?q="x")'
    )
    review_year.refresh_from_db()

    html = pdf.letter_html(year_snapshots(review_year)[council.pk])

    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt; [x](javascript:alert(1))" in html
    assert 'href="javascript' not in html
    assert "<b>bold</b>" not in html


@pytest.mark.django_db
def test_letters_made_before_the_sections_keep_their_text_and_are_not_out_of_date(council, review_year):
    factories.ContactFactory(council=council)
    fresh = year_snapshots(review_year)[council.pk]
    before = as_schema(fresh, 2)  # what a letter made before this change froze

    letter = wording.build(before)

    assert set(before["year"]["narrative"]) == {"intro", "reading_statistics", "resources", "closing"}
    assert "links" not in before
    assert letter.publication == PUBLICATION_SENTENCE.replace("{date}", "28 July 2020")
    assert letter.explanations == []
    assert not differs(before, fresh)
    review_year = years.review_year_update(review_year=review_year, averages="Changed.")
    assert not differs(before, year_snapshots(review_year)[council.pk])  # a section it never printed
    review_year = years.review_year_update(review_year=review_year, intro="Changed.")
    assert differs(before, year_snapshots(review_year)[council.pk])


def test_the_letters_link_addresses_are_the_public_sites_pages(settings):
    from django.urls import reverse

    assert settings.PUBLIC_COUNCIL_PATH.format(gss_code="E07000129") == reverse("published:council", args=["E07000129"])
    assert reverse("published:home") == settings.PUBLIC_FIGURES_PATH
