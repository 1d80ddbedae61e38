import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from reviews import policy
from reviews.letters import render
from reviews.models import NARRATIVE_FIELDS, AnnualLetter, CouncilParagraph, LetterStatus, ReviewRun, ReviewYear
from tests import factories
from tests.reviews.published import publish
from tests.roles import MANAGER_ONLY
from tests.utils import count_queries


@pytest.fixture
def year(db):
    return factories.ReviewYearFactory(label="2019-20")


@pytest.fixture
def letter(year, council):
    factories.ContactFactory(council=council, title="Dr", last_name="Okoro")
    return factories.AnnualLetterFactory(council=council, review_year=year, ready=True)


@pytest.fixture
def review_run(year, letter):
    run = ReviewRun.objects.create(review_year=year, queued=1)
    AnnualLetter.objects.filter(pk=letter.pk).update(run=run)
    return run


def page_urls(year, letter, review_run, council) -> dict[str, str]:
    label = year.label
    return {
        "year-list": reverse("reviews:year-list"),
        "year-create": reverse("reviews:year-create"),
        "year-detail": reverse("reviews:year-detail", args=[label]),
        "year-edit": reverse("reviews:year-edit", args=[label]),
        "year-quality": reverse("reviews:year-quality", args=[label]),
        "year-run": reverse("reviews:year-run", args=[label]),
        "run-progress": reverse("reviews:run-progress", args=[label, review_run.pk]),
        "run-progress-json": reverse("reviews:run-progress-json", args=[label, review_run.pk]),
        "letter-preview": reverse("reviews:letter-preview", args=[label, letter.pk]),
        "letter-pdf": reverse("reviews:letter-pdf", args=[label, letter.pk]),
        "letter-paragraph": reverse("reviews:letter-paragraph", args=[label, council.gss_code]),
    }


PAGES = [
    "year-list",
    "year-create",
    "year-detail",
    "year-edit",
    "year-quality",
    "year-run",
    "run-progress",
    "run-progress-json",
    "letter-preview",
    "letter-pdf",
    "letter-paragraph",
]


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), MANAGER_ONLY)
@pytest.mark.parametrize("page", PAGES)
def test_review_pages_access_per_role(client_for, year, letter, review_run, council, role, expected, page):
    response = client_for(role).get(page_urls(year, letter, review_run, council)[page])

    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker", "council_user", "other_council_user"])
def test_only_managers_can_start_a_run(client_for, year, council, role):
    factories.ContactFactory(council=council)

    response = client_for(role).post(reverse("reviews:year-run", args=[year.label]))

    assert response.status_code == 403
    assert not AnnualLetter.objects.exists()


@pytest.mark.django_db
def test_manager_runs_review_and_is_sent_to_progress(
    client_for, year, council, manager, django_capture_on_commit_callbacks
):
    factories.ContactFactory(council=council)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("manager").post(reverse("reviews:year-run", args=[year.label]))

    run = ReviewRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("reviews:run-progress", args=[year.label, run.pk])
    assert run.started_by == manager
    assert AnnualLetter.objects.get().status == LetterStatus.READY
    progress = client_for("manager").get(reverse("reviews:run-progress-json", args=[year.label, run.pk])).json()
    assert (progress["total"], progress["done"], progress["failed"], progress["finished"]) == (1, 1, 0, True)


@pytest.mark.django_db
def test_blocked_run_shows_the_problems_and_makes_no_letters(client_for, year, council):
    response = client_for("manager").post(reverse("reviews:year-run", args=[year.label]))

    assert response.status_code == 200
    assert "The review cannot run yet" in response.text
    assert "Active councils without a chief executive: 1" in response.text
    assert not AnnualLetter.objects.exists()


@pytest.mark.django_db
def test_progress_page_lists_failures_with_retry(
    client_for, year, letter, review_run, django_capture_on_commit_callbacks
):
    AnnualLetter.objects.filter(pk=letter.pk).update(status=LetterStatus.FAILED, error="OSError: disk full")
    client = client_for("manager")

    page = client.get(reverse("reviews:run-progress", args=[year.label, review_run.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(reverse("reviews:run-retry", args=[year.label, review_run.pk]), {"letter": letter.pk})

    assert "OSError: disk full" in page.text
    assert 'data-progress-url="' in page.text and "<progress" in page.text and 'aria-live="polite"' in page.text
    assert retried.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.READY


@pytest.mark.django_db
def test_create_year_with_defaults(client_for, manager):
    response = client_for("manager").post(reverse("reviews:year-create"), {"label": "2024-25"})

    year = ReviewYear.objects.get()
    assert response["Location"] == reverse("reviews:year-detail", args=["2024-25"])
    assert (year.letter_date, year.publication_date) == (datetime.date(2025, 7, 21), datetime.date(2025, 7, 28))
    assert (year.letter_format, year.population_year, year.created_by) == ("overview", 2023, manager)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("label", "message"),
    [("2019-21", "two consecutive years"), ("", "Enter the review year"), ("2019-20", "already exists")],
)
def test_create_year_errors(client_for, year, label, message):
    response = client_for("manager").post(reverse("reviews:year-create"), {"label": label})

    assert response.status_code == 200
    assert message in response.text
    assert 'class="govuk-error-summary"' in response.text


def edit_data(year, **changes) -> dict:
    data = {
        "letter_date_day": year.letter_date.day,
        "letter_date_month": year.letter_date.month,
        "letter_date_year": year.letter_date.year,
        "publication_date_day": year.publication_date.day,
        "publication_date_month": year.publication_date.month,
        "publication_date_year": year.publication_date.year,
        **{
            name: getattr(year, name)
            for name in (
                "signatory_name",
                "signatory_title",
                "signatory_title_2",
                "average_method",
                "letter_format",
                "population_year",
                *NARRATIVE_FIELDS,
            )
        },
    }
    return {**data, **changes}


@pytest.mark.django_db
def test_edit_year_saves_and_validates(client_for, year, manager):
    client = client_for("manager")

    saved = client.post(reverse("reviews:year-edit", args=[year.label]), edit_data(year, average_method="mean"))
    early = client.post(
        reverse("reviews:year-edit", args=[year.label]), edit_data(year, letter_date_year=2020, letter_date_month=3)
    )

    year.refresh_from_db()
    assert saved.status_code == 302
    assert (year.average_method, year.updated_by) == ("mean", manager)
    assert early.status_code == 200
    assert "The letter date must be after the period ends" in early.text


@pytest.mark.django_db
def test_edit_page_shows_one_councils_letter_beside_the_form_under_the_pages_one_h1(client_for, year, letter):
    page = client_for("manager").get(reverse("reviews:year-edit", args=[year.label]))

    assert page.status_code == 200
    assert "Preview: the letter to Blaby District Council" in page.text
    assert "As saved." in page.text
    assert page.text.count("<h1") == 1
    assert '<h3 class="letter__title' in page.text
    assert "Dear Dr Okoro" in page.text


@pytest.mark.django_db
def test_edit_page_previews_a_year_with_no_letter_yet_from_its_first_council(client_for, year, council):
    page = client_for("manager").get(reverse("reviews:year-edit", args=[year.label]))

    assert "Preview: the letter to Blaby District Council" in page.text


@pytest.mark.django_db
def test_preview_button_shows_the_forms_text_and_saves_nothing(client_for, year, letter):
    response = client_for("manager").post(
        reverse("reviews:year-edit", args=[year.label]),
        edit_data(year, context="A <b>hard</b> year, see [the map](https://map.example.org).", preview="1"),
    )

    year.refresh_from_db()
    assert response.status_code == 200
    assert year.context == ""
    assert "With the text in the form, not saved yet." in response.text
    assert 'A &lt;b&gt;hard&lt;/b&gt; year, see <a href="https://map.example.org">the map</a>' in response.text


@pytest.mark.django_db
def test_edit_year_refuses_a_link_that_is_not_https_with_the_error_summary(client_for, year):
    response = client_for("manager").post(
        reverse("reviews:year-edit", args=[year.label]),
        edit_data(year, resources="See [our site](javascript:alert(1)).", publication="No date here."),
    )

    year.refresh_from_db()
    assert response.status_code == 200
    assert "govuk-error-summary" in response.text
    assert "must point to an address starting https://" in response.text
    assert "Write {date} where the publication date goes" in response.text
    assert "javascript" not in year.resources


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["reviews:letter-detail", "reviews:letter-preview"])
def test_letter_inside_a_staff_page_shifts_its_headings_so_the_page_keeps_one_h1(client_for, year, letter, page):
    response = client_for("manager").get(reverse(page, args=[year.label, letter.pk]))

    assert response.text.count("<h1") == 1
    assert 'class="letter__title' in response.text


@pytest.mark.django_db
def test_edit_year_is_locked_once_a_letter_is_approved(client_for, year, letter):
    AnnualLetter.objects.filter(pk=letter.pk).update(status=LetterStatus.APPROVED)
    client = client_for("manager")

    page = client.get(reverse("reviews:year-edit", args=[year.label]))
    client.post(reverse("reviews:year-edit", args=[year.label]), edit_data(year, average_method="mean"))

    year.refresh_from_db()
    assert "can no longer be changed" in page.text
    assert "disabled" in page.text
    assert year.average_method == "pooled"


@pytest.mark.django_db
def test_paragraph_page_saves_and_rerenders_the_draft(
    client_for, year, letter, council, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for("manager").post(
            reverse("reviews:letter-paragraph", args=[year.label, council.gss_code]), {"text": "Remedies were late."}
        )

    letter.refresh_from_db()
    assert response["Location"] == reverse("reviews:letter-detail", args=[year.label, letter.pk])
    assert CouncilParagraph.objects.get().text == "Remedies were late."
    assert (letter.status, letter.snapshot["paragraph"]) == (LetterStatus.READY, "Remedies were late.")


@pytest.mark.django_db
def test_letter_pdf_is_served_by_the_view_from_private_storage(client_for, year, letter):
    response = client_for("manager").get(reverse("reviews:letter-pdf", args=[year.label, letter.pk]))

    assert response["Content-Type"] == "application/pdf"
    assert b"".join(response.streaming_content) == factories.FAKE_PDF
    assert response["Cache-Control"] == "private, no-store"


@pytest.mark.django_db
def test_letter_pdf_of_another_year_is_404(client_for, year, letter):
    other = factories.ReviewYearFactory(label="2020-21")

    response = client_for("manager").get(reverse("reviews:letter-pdf", args=[other.label, letter.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_letter_preview_escapes_hostile_text(client_for, year, council):
    council.formal_name = "<script>alert(1)</script>"
    council.save()
    factories.ContactFactory(council=council)
    letter = factories.AnnualLetterFactory(council=council, review_year=year)

    response = client_for("manager").get(reverse("reviews:letter-preview", args=[year.label, letter.pk]))

    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text
    assert "The Ombudsman did not investigate any complaints in this period" in response.text


@pytest.mark.django_db
def test_letter_preview_flags_out_of_date(client_for, year, letter, council):
    complaint = factories.ComplaintFactory(council=council, received_on=datetime.date(2019, 5, 1))
    factories.DecisionFactory(complaint=complaint, decided_on=datetime.date(2019, 6, 1), upheld=True)

    response = client_for("manager").get(reverse("reviews:letter-preview", args=[year.label, letter.pk]))

    assert "have changed since this letter was made" in response.text


@pytest.mark.django_db
def test_year_list_query_count_is_the_same_for_1_and_20_years(client_for):
    client = client_for("manager")
    factories.ReviewYearFactory(label="2000-01")
    client.get(reverse("reviews:year-list"))
    one = count_queries(lambda: client.get(reverse("reviews:year-list")))
    for start in range(2001, 2020):
        factories.ReviewYearFactory(label=f"{start}-{(start + 1) % 100:02d}")

    many = count_queries(lambda: client.get(reverse("reviews:year-list")))
    response = client.get(reverse("reviews:year-list"))

    assert one == many == 10
    assert response.text.count('class="govuk-tag') >= 20


@pytest.mark.django_db
def test_year_detail_query_count_is_the_same_for_1_and_20_letters(client_for, year):
    client = client_for("manager")
    url = reverse("reviews:year-detail", args=[year.label])

    def add_letter():
        council = factories.CouncilFactory()
        factories.ContactFactory(council=council)
        factories.AnnualLetterFactory(council=council, review_year=year, ready=True)

    add_letter()
    client.get(url)
    one = count_queries(lambda: client.get(url))
    for _ in range(19):
        add_letter()

    many = count_queries(lambda: client.get(url))

    assert one == many == 26  # 22 and the publication checklist (councils, sent, live letters, reasons)
    assert client.get(url).text.count("Preview<span") == 20


@pytest.mark.django_db
def test_year_list_links_are_govuk_links_and_approved_means_not_sent_yet(client_for):
    factories.ReviewYearFactory(label="2019-20")

    response = client_for("manager").get(reverse("reviews:year-list"))

    href = reverse("reviews:year-detail", args=["2019-20"])
    assert f'<a class="govuk-link" href="{href}">2019-20</a>' in response.text
    assert response.context["table"].columns["letters_approved"].header == "Approved, not sent"
    assert "Approved, not sent" in response.text


@pytest.mark.django_db
def test_year_list_empty_state_says_what_to_do(client_for):
    response = client_for("manager").get(reverse("reviews:year-list"))

    assert "There are no review years yet. Create one to start." in response.text


@pytest.mark.django_db
def test_services_are_usable_without_a_user(year, council):
    factories.ContactFactory(council=council)

    run = render.review_run_start(review_year=year, dispatch=False)

    assert run.queued == 1


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), [("anonymous", 302), ("caseworker", 403), ("council_user", 403)])
def test_retry_is_for_managers_only(client_for, year, letter, review_run, role, expected):
    AnnualLetter.objects.filter(pk=letter.pk).update(status=LetterStatus.FAILED, error="boom")

    response = client_for(role).post(reverse("reviews:run-retry", args=[year.label, review_run.pk]))

    letter.refresh_from_db()
    assert response.status_code == expected
    assert letter.status == LetterStatus.FAILED


@pytest.mark.django_db
def test_progress_says_what_it_waits_for_when_a_worker_stopped_mid_render(client_for, year, council, review_run):
    """A worker killed mid-render left its letter `rendering`: the page said "100%, 0 s remaining" and
    not finished for minutes. It now says it waits for the sweep, and when that comes."""
    left = AnnualLetter.objects.get(run=review_run)
    AnnualLetter.objects.bulk_create(  # 199 of 200 done: 99.5% was rounded to "100%"
        AnnualLetter(
            council=other, review_year=year, run=review_run, status=LetterStatus.FAILED, error="x", snapshot={}
        )
        for other in factories.CouncilFactory.create_batch(199)
    )
    claimed = timezone.now() - datetime.timedelta(seconds=policy.RENDER_TIME_LIMIT + 10)
    AnnualLetter.objects.filter(pk=left.pk).update(status=LetterStatus.RENDERING, claimed_at=claimed)
    client = client_for("manager")

    page = client.get(reverse("reviews:run-progress", args=[year.label, review_run.pk]))
    progress = client.get(reverse("reviews:run-progress-json", args=[year.label, review_run.pk])).json()

    expected = "Waiting for 1 letter a stopped worker left; it is picked up again within 2 minutes."
    assert (progress["finished"], progress["percent"], progress["stopped"]) == (False, 99, 1)
    assert progress["stopped_text"] == expected
    assert progress["remaining_seconds"] is None
    assert expected in page.text
    assert "seconds left" not in page.text


@pytest.mark.django_db
def test_progress_of_a_letter_still_rendering_is_not_stopped(client_for, year, review_run):
    AnnualLetter.objects.filter(run=review_run).update(status=LetterStatus.RENDERING, claimed_at=timezone.now())

    progress = client_for("manager").get(reverse("reviews:run-progress-json", args=[year.label, review_run.pk])).json()

    assert (progress["stopped"], progress["stopped_text"], progress["percent"]) == (0, "", 0)


@pytest.mark.django_db
def test_a_finished_run_says_so_in_its_title_and_links_to_the_letters(client_for, year, review_run):
    page = client_for("manager").get(reverse("reviews:run-progress", args=[year.label, review_run.pk]))

    text = page.content.decode()
    assert "<title>Letters rendered – review 2019-20" in text
    assert '<h1 class="govuk-heading-l">Letters rendered</h1>' in text
    assert "Rendering the letters" not in text
    assert f'href="{reverse("reviews:letter-list", args=[year.label])}">See the letters of 2019-20</a>' in text
    assert "data-progress-refresh" not in text  # nothing left to refresh


@pytest.mark.django_db
def test_time_left_is_in_minutes_not_seconds(client_for, year, review_run):
    """It read "About 1749 seconds left"."""
    AnnualLetter.objects.bulk_create(
        AnnualLetter(council=other, review_year=year, run=review_run, status=LetterStatus.PENDING, snapshot={})
        for other in factories.CouncilFactory.create_batch(3)
    )
    ReviewRun.objects.filter(pk=review_run.pk).update(started_at=timezone.now() - datetime.timedelta(minutes=10))
    client = client_for("manager")

    page = client.get(reverse("reviews:run-progress", args=[year.label, review_run.pk]))
    progress = client.get(reverse("reviews:run-progress-json", args=[year.label, review_run.pk])).json()

    assert progress["remaining_text"] == "About 30 minutes left."  # 1 letter in 10 minutes, 3 to go
    assert "About 30 minutes left." in page.text
    assert "<title>Rendering the letters – review 2019-20" in page.content.decode()
    assert "seconds left" not in page.text


@pytest.mark.django_db
def test_a_published_year_offers_no_run_button(client_for, year, letter):
    client = client_for("manager")
    url = reverse("reviews:year-detail", args=[year.label])
    run_url = reverse("reviews:year-run", args=[year.label])
    assert run_url in client.get(url).content.decode()  # not yet published

    AnnualLetter.objects.filter(pk=letter.pk).update(status=LetterStatus.SENT, sent_at=timezone.now())
    sent_only = client.get(url).content.decode()
    publish(year)

    assert run_url in sent_only  # sent is not published
    assert run_url not in client.get(url).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["year-edit"])
def test_the_year_form_offers_no_blank_choice(client_for, year, page):
    """The letter format offered a blank "---------" radio."""
    text = client_for("manager").get(reverse(f"reviews:{page}", args=[year.label])).content.decode()

    assert "---------" not in text
    assert 'name="letter_format"' in text


@pytest.mark.django_db
def test_edit_page_previews_the_council_a_manager_chooses_and_preview_changes_keeps_it(
    client_for, year, letter, other_council
):
    factories.ContactFactory(council=other_council, title="Mr", last_name="Hale")
    factories.AnnualLetterFactory(council=other_council, review_year=year, ready=True)
    client = client_for("manager")
    url = reverse("reviews:year-edit", args=[year.label])

    default = client.get(url)
    chosen = client.get(url, {"council": other_council.gss_code})
    changed = client.post(
        f"{url}?council={other_council.gss_code}", edit_data(year, context="A hard year.", preview="1")
    )

    assert "Preview: the letter to Blaby District Council" in default.text
    assert council_code(default) == letter.council.gss_code
    assert f"Preview: the letter to {other_council.formal_name}" in chosen.text
    assert "Dear Mr Hale" in chosen.text
    assert council_code(chosen) == other_council.gss_code
    assert f"Preview: the letter to {other_council.formal_name}" in changed.text
    assert "With the text in the form, not saved yet." in changed.text and "A hard year." in changed.text
    year.refresh_from_db()
    assert year.context == ""


@pytest.mark.django_db
def test_edit_page_previews_a_chosen_council_before_the_first_run(client_for, year, council, other_council):
    page = client_for("manager").get(
        reverse("reviews:year-edit", args=[year.label]), {"council": other_council.gss_code}
    )

    assert f"Preview: the letter to {other_council.formal_name}" in page.text


@pytest.mark.django_db
@pytest.mark.parametrize("code", ["E99999999", "", "<script>"])
def test_edit_page_with_an_unknown_council_says_so_and_previews_the_default(client_for, year, letter, code):
    page = client_for("manager").get(reverse("reviews:year-edit", args=[year.label]), {"council": code})

    assert page.status_code == 200
    assert "govuk-error-summary" in page.text and "Choose a council from the list" in page.text
    assert "Preview: the letter to Blaby District Council" in page.text
    assert "<script>" not in page.text.split("<main", 1)[1]


def council_code(page) -> str:
    """The council selected in the page's preview form."""
    return re.search(r'<option value="([^"]*)" selected>', page.text).group(1)
