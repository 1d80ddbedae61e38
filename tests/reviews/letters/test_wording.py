"""The letter's words, read back from the rendered PDF (pypdf), and the PDF's accessibility tags."""

import datetime
import io
import re

import pikepdf
import pytest
from pypdf import PdfReader

from complaints.models import Outcome
from ombudsman.pdf import render
from reviews.letters import pdf
from reviews.letters.wording import COMPLIANCE_NOTE, NO_COMPLIANCE, NO_INVESTIGATIONS, NO_UPHELD
from reviews.statistics.snapshots import year_snapshots
from tests import factories
from tests.utils import placed_text

LEFT_MARGIN_PT = 20 / 25.4 * 72  # the template's 20 mm, as test_design writes its margins


def pdf_text(data: bytes) -> str:
    """The PDF's text with runs of white space made single spaces (lines wrap anywhere)."""
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def decide(council, day, **traits):
    complaint = factories.ComplaintFactory(council=council, received_on=day - datetime.timedelta(days=20))
    return factories.DecisionFactory(complaint=complaint, decided_on=day, **traits)


def add_cases(council, day, *, upheld=0, satisfactory=0, not_upheld=0, complied=0, not_complied=0):
    for _ in range(upheld):
        decide(council, day, upheld=True)
    for _ in range(satisfactory):
        decide(council, day, satisfactory=True)
    for _ in range(not_upheld):
        decide(council, day, outcome=Outcome.NOT_UPHELD)
    for outcome, count in (("complied_on_time", complied), ("not_complied", not_complied)):
        for _ in range(count):
            decision = decide(council, day - datetime.timedelta(days=90), upheld=True)
            factories.ComplianceOutcomeFactory(decision=decision, outcome=outcome, recorded_on=day)


def letter_text(council, label) -> str:
    review_year = factories.ReviewYearFactory(label=label)
    return pdf_text(pdf.letter_pdf(year_snapshots(review_year)[council.pk]))


@pytest.fixture
def blaby(council):
    factories.ContactFactory(council=council, title="Dr", first_name="Jane", last_name="Okoro")
    return council


@pytest.mark.django_db
def test_letter_has_every_sentence_with_the_right_numbers(blaby):
    day = datetime.date(2020, 10, 1)  # 2020-21
    add_cases(blaby, day, upheld=1, satisfactory=1, not_upheld=1, complied=4)
    similar = factories.CouncilFactory(authority_type="district")
    add_cases(similar, day, upheld=1, not_upheld=1)
    period = "for the period between 1 April 2020 to 31 March 2021"

    text = letter_text(blaby, "2020-21")

    # The 4 compliance decisions were decided in 2020-21 too, and upheld: 6 upheld of 7 investigations.
    for sentence in [
        "Dr Jane Okoro",
        "21 July 2021",
        "By email",
        "Dear Dr Okoro",
        "Annual Review letter 2021",
        "This data will be uploaded to our interactive map, Your council's performance",
        "along with a copy of this letter on 28 July 2021.",
        "For the period ending: 31/03/21",
        "86% of complaints we investigated were upheld.",  # 6/7 = 85.7
        "This compares to an average of 78% in similar authorities.",  # 7/9 = 77.8
        "6 upheld decisions",
        f"Statistics are based on a total of 7 detailed investigations {period}",
        "In 100% of cases we were satisfied the authority had successfully implemented our recommendations.",
        "This compares to an average of 100% in similar authorities.",
        f"Statistics are based on a total of 4 compliance outcomes {period}",
        COMPLIANCE_NOTE,
        "In 17% of upheld cases we found the authority had provided a satisfactory remedy before the complaint "
        "reached the Ombudsman.",  # 1/6
        "This compares to an average of 14% in similar authorities.",  # 1/7
        "1 satisfactory remedy decision",
        f"Statistics are based on a total of 6 upheld decisions {period}",
        "Patricia Thomas",
        "Chair, Commission for Local Administration in England",
    ]:
        assert sentence in text
    assert "per 100,000" not in text  # not shown before 2022-23


@pytest.mark.django_db
def test_letter_empty_cases_say_so_and_print_no_zero_percent(blaby):
    text = letter_text(blaby, "2020-21")

    assert NO_INVESTIGATIONS in text
    assert NO_COMPLIANCE in text
    assert NO_UPHELD in text
    assert COMPLIANCE_NOTE in text
    assert re.search(r"(?<![0-9])0%", text) is None
    assert "nan" not in text.lower()
    assert "This compares to an average" not in text  # nothing measured anywhere: no average either
    assert "Statistics are based on" not in text


@pytest.mark.django_db
def test_letter_singular_wording(blaby):
    add_cases(blaby, datetime.date(2020, 10, 1), upheld=1)
    other = factories.CouncilFactory(authority_type="district")
    add_cases(other, datetime.date(2020, 10, 1), complied=1)

    text = letter_text(blaby, "2020-21")

    assert "1 upheld decision " in text
    assert "1 upheld decisions" not in text
    assert "a total of 1 detailed investigation for the period" in text
    assert "a total of 1 upheld decision for the period" in text
    assert "0 satisfactory remedy decisions" in text
    assert NO_COMPLIANCE in text
    other_text = letter_text(other, "2020-21")
    assert "a total of 1 compliance outcome for the period" in other_text
    assert "1 satisfactory remedy decision " not in other_text  # 0 of 1 upheld
    assert "0 satisfactory remedy decisions" in other_text


@pytest.mark.django_db
def test_letter_per_100k_from_2022_23(blaby):
    day = datetime.date(2022, 6, 1)
    add_cases(blaby, day, upheld=2, not_upheld=1)
    factories.PopulationFactory(council=blaby, year=2021, population=95_000)  # 2.105 -> 2.1
    similar = factories.CouncilFactory(authority_type="district")
    add_cases(similar, day, upheld=1)
    factories.PopulationFactory(council=similar, year=2021, population=155_000)  # 3 / 250,000 -> 1.2

    text = letter_text(blaby, "2022-23")

    assert (
        "Adjusted for Blaby District Council's population, this is 2.1 upheld decisions per 100,000 residents." in text
    )
    assert "The average for authorities of this type is 1.2 upheld decisions per 100,000 residents." in text
    assert "a total of 3 detailed investigations for the period between 1 April 2022 to 31 March 2023" in text


@pytest.mark.django_db
def test_letter_per_100k_singular_and_investigations_wording_from_2023_24(blaby):
    add_cases(blaby, datetime.date(2023, 6, 1), upheld=1)
    factories.PopulationFactory(council=blaby, year=2022, population=100_000)

    text = letter_text(blaby, "2023-24")

    assert "this is 1 upheld decision per 100,000 residents." in text
    assert "a total of 1 investigation for the period between 1 April 2023 to 31 March 2024" in text
    assert "detailed" not in text


@pytest.mark.django_db
def test_letter_for_other_body_has_no_average_sentences():
    body = factories.CouncilFactory(authority_type="other", formal_name="Exmoor National Park Authority")
    factories.ContactFactory(council=body)
    add_cases(body, datetime.date(2023, 6, 1), upheld=1, not_upheld=1, complied=1)
    factories.PopulationFactory(council=body, year=2022, population=10_000)

    text = letter_text(body, "2023-24")

    assert "50% of complaints we investigated were upheld." in text
    assert "This compares to an average" not in text
    assert "The average for authorities of this type" not in text
    assert "There is no average in similar authorities for this type of organisation." in text


@pytest.mark.django_db
def test_letter_pdf_is_tagged_pdf_ua_with_metadata(blaby):
    review_year = factories.ReviewYearFactory(label="2020-21")

    data = pdf.letter_pdf(year_snapshots(review_year)[blaby.pk])
    reader = PdfReader(io.BytesIO(data))

    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root
    assert root["/Lang"] == "en-GB"
    assert bool(root["/MarkInfo"]["/Marked"]) is True
    assert reader.metadata.title == "Annual Review letter 2021: Blaby District Council"
    assert reader.metadata.author == "Local Government and Social Care Ombudsman"
    with pikepdf.open(io.BytesIO(data)) as document:
        assert document.open_metadata()["pdfuaid:part"] == "1"


@pytest.mark.django_db
def test_letter_escapes_and_wraps_hostile_text(blaby):
    blaby.formal_name = '<script>alert("x")</script> Council'
    blaby.save()
    review_year = factories.ReviewYearFactory(label="2020-21")
    factories.CouncilParagraphFactory(
        review_year=review_year,
        council=blaby,
        text="<b>bold</b> <style>body{display:none}</style> " + "x" * 400 + " مرحبا بالعالم",
    )
    snapshot = year_snapshots(review_year)[blaby.pk]

    html = pdf.letter_html(snapshot)
    data = pdf.letter_pdf(snapshot)
    text = pdf_text(data)

    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<b>bold</b>" not in html and "<style>body" not in html
    assert '<script>alert("x")</script> Council' in text
    assert "<b>bold</b>" in text
    # The 400-character word breaks after each 60 characters, each line starting at the left
    # margin, instead of running off the page as one line (60 x's are 315 pt of the 482 pt measure).
    lines = {}
    for run in placed_text(data):
        if set(run.text.strip()) == {"x"}:
            lines.setdefault((run.page, round(run.y)), []).append(run)
    assert [sum(len(run.text.strip()) for run in line) for line in lines.values()] == [60] * 6 + [40]
    assert {round(line[0].x, 1) for line in lines.values()} == {round(LEFT_MARGIN_PT, 1)}


def test_url_fetcher_refuses_the_network_and_other_files():
    fetcher = render.bundled_files_only()

    for url in ["http://example.org/font.woff", "https://example.org/x.css", "file:///etc/passwd"]:
        with pytest.raises(ValueError, match="Refusing"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,hello").read() == b"hello"


@pytest.mark.django_db
def test_letter_starts_with_the_letterhead_then_date_by_email_and_addressee(blaby):
    from ombudsman.organisation import organisation_update

    organisation_update(
        name="Housing Ombudsman Example",
        postal_address="PO Box 9\nLeeds LS1 1AA",
        telephone="01632 960 002",
        website="https://www.example.org",
        reference_format="AR/{year}/{gss_code}",
    )
    review_year = factories.ReviewYearFactory(label="2020-21")
    data = pdf.letter_pdf(year_snapshots(review_year)[blaby.pk])

    text = pdf_text(data)
    order = ["Housing Ombudsman Example", "PO Box 9", "01632 960 002", "www.example.org", "21 July 2021", "By email"]
    positions = [text.index(part) for part in [*order, "Dr Jane Okoro", "Dear Dr Okoro"]]
    assert positions == sorted(positions)
    assert f"Our reference: AR/2020-21/{blaby.gss_code}" in text
    assert PdfReader(io.BytesIO(data)).metadata.author == "Housing Ombudsman Example"
