"""Text people type reaches letters: the council's name in letters, its contacts' names, the
council paragraph and the year's narrative. Markup in them (script, style, closing tags), a
300-character word and right-to-left text must render as the literal characters: escaped in the
HTML preview (no markup runs, the page keeps its Content-Security-Policy), printed as text in the
PDF, and long words wrapped inside the page."""

import io
import re

import pytest
from django.core.files.storage import storages
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader

from councils.models import Council
from reviews.letters import pdf, render
from reviews.models import AnnualLetter, CouncilParagraph, LetterStatus, ReviewYear
from tests import factories
from tests.security.access import response_problems

SCRIPT = "<script>alert(1)</script>"
STYLE = "<style>body{display:none}</style>"
CLOSING = "</p><h1>Injected</h1>"
LONG_WORD = "Llanfairpwllgwyngyll" * 15  # 300 characters, no break opportunity
ARABIC = "مجلس المدينة"
HEBREW = "מועצת העיר"
HOSTILE = {
    "formal_name": f"Blaby {SCRIPT} Council",
    "title": STYLE[:40],
    "first_name": f"Ada{CLOSING}",
    "last_name": f"{ARABIC} {HEBREW}",
    "paragraph": f"We are concerned. {SCRIPT} {STYLE} {CLOSING} {LONG_WORD} {ARABIC} — {HEBREW}.",
    "intro": f"Our review of {CLOSING} the year. {LONG_WORD}",
}


@pytest.fixture
def hostile_letter(council, manager, django_capture_on_commit_callbacks) -> AnnualLetter:
    Council.objects.filter(pk=council.pk).update(formal_name=HOSTILE["formal_name"])
    factories.ContactFactory(
        council=council, title=HOSTILE["title"], first_name=HOSTILE["first_name"], last_name=HOSTILE["last_name"]
    )
    review_year = factories.ReviewYearFactory(label="2019-20")
    ReviewYear.objects.filter(pk=review_year.pk).update(intro=HOSTILE["intro"])
    CouncilParagraph.objects.create(review_year=review_year, council=council, text=HOSTILE["paragraph"])
    with django_capture_on_commit_callbacks(execute=True):
        render.review_run_start(review_year=review_year, by=manager)
    return AnnualLetter.objects.get(council=council, review_year=review_year)


def compact(text: str) -> str:
    return re.sub(r"\s+", "", text)


@pytest.mark.django_db
def test_hostile_text_renders_as_text_in_the_pdf_and_long_words_wrap(hostile_letter):
    assert (hostile_letter.status, hostile_letter.error) == (LetterStatus.READY, "")
    reader = PdfReader(io.BytesIO(storages["private"].open(hostile_letter.pdf_name, "rb").read()))
    text = "\n".join(page.extract_text() for page in reader.pages)
    starts: list[tuple[float, float]] = []
    width = float(reader.pages[0].mediabox.width)
    for page in reader.pages:
        page.extract_text(visitor_text=lambda t, cm, tm, font, size: starts.append((tm[4] * cm[0] + cm[4], t)))

    assert 2 <= len(reader.pages) <= 6
    for literal in (SCRIPT, CLOSING, "display:none"):
        assert literal in text or compact(literal) in compact(text), literal
    assert "Injected" in text  # the would-be heading is printed as text
    lines = text.splitlines()
    assert compact(LONG_WORD) in compact(text)
    assert max(len(line) for line in lines) < 120, "a line runs off the page: the long word did not wrap"
    assert all(0 <= x <= width for x, chunk in starts if chunk.strip()), "text placed outside the page"
    for word in (*ARABIC.split(), *HEBREW.split()):
        assert word in text or word[::-1] in text, word


@pytest.mark.django_db
def test_hostile_text_is_escaped_in_the_letter_html_and_the_preview(hostile_letter, manager):
    letter_html = pdf.letter_html(hostile_letter.snapshot)
    client = Client()
    client.force_login(manager)
    response = client.get(reverse("reviews:letter-preview", args=[hostile_letter.review_year.label, hostile_letter.pk]))
    page = response.content.decode()

    for html in (letter_html, page):
        assert SCRIPT not in html and STYLE not in html and "<h1>Injected" not in html
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
        assert "&lt;/p&gt;&lt;h1&gt;Injected&lt;/h1&gt;" in html
        assert ARABIC in html and HEBREW in html and LONG_WORD in html
    assert response.status_code == 200
    assert response_problems(response) == []
