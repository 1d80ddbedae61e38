"""Managers' letter pages: the letters table, the letter page and its actions, bulk approval,
sending and resending; access per role and constant query counts."""

import datetime
import re
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from councils.models import ContactRole
from reviews.approval import events, rules
from reviews.approval import services as approval
from reviews.delivery import send
from reviews.models import AnnualLetter, LetterAction, LetterEvent, LetterStatus, OutboxMessage, OutboxStatus
from reviews.views.letters import figures_caption
from tests import factories
from tests.reviews.approval.test_services import decide, draft
from tests.reviews.delivery.test_send import approved_letter
from tests.utils import count_queries

Status = LetterStatus


@pytest.fixture
def year(db):
    return factories.ReviewYearFactory(label="2019-20")


@pytest.fixture
def letter(year, council, superuser):
    """A draft made by a run the superuser started: the manager fixture may approve it."""
    return draft(year, council, ran_by=superuser)


def seen(letter) -> str:
    letter.refresh_from_db()
    return rules.letter_stamp(letter, events.last_action_ids([letter.pk]).get(letter.pk))


def banner_text(response) -> str:
    """The page's text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", response.text).split())


def table_row(response, council_name: str) -> str:
    rows = [row for row in response.text.split('<tr class="govuk-table__row">')[1:] if f">{council_name}<" in row]
    assert len(rows) == 1, council_name
    return rows[0]


# Access ---------------------------------------------------------------------------------------

ROLES = {
    "anonymous": (302, 302),
    "caseworker": (403, 403),
    "manager": (200, 302),
    "superuser": (200, 302),
    "council_user": (403, 403),
    "other_council_user": (403, 403),
}


@pytest.fixture
def email_row(year, other_council):
    letter = approved_letter(year, other_council)
    key = f"{letter.pk}:1:x@example.org"
    return OutboxMessage.objects.create(
        letter=letter,
        recipient="x@example.org",
        role=ContactRole.LEADER,
        kind="cc",
        idempotency_key=key,
        message_id=f"<{key}@example.org>",
        status=OutboxStatus.FAILED,
        last_error="550 No such user",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("role", list(ROLES))
@pytest.mark.parametrize(
    ("name", "method"),
    [
        ("letter-list", "get"),
        ("letter-detail", "get"),
        ("letter-return", "get"),
        ("letter-reissue", "get"),
        ("letters-send", "get"),
        ("letter-approve", "post"),
        ("letters-bulk-approve", "post"),
        ("outbox-resend", "post"),
    ],
)
def test_letter_pages_access_per_role(client_for, year, letter, email_row, role, name, method):
    args = {
        "letter-list": [year.label],
        "letters-send": [year.label],
        "letters-bulk-approve": [year.label],
        "outbox-resend": [year.label, email_row.pk],
    }.get(name, [year.label, letter.pk])
    client = client_for(role)

    response = getattr(client, method)(reverse(f"reviews:{name}", args=args))

    expected = ROLES[role][0 if method == "get" else 1]
    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))
    if expected == 403 and method == "post":
        assert LetterEvent.objects.count() == 0
        assert OutboxMessage.objects.get().status == OutboxStatus.FAILED


@pytest.mark.django_db
def test_letter_of_another_year_is_404(client_for, letter):
    other = factories.ReviewYearFactory(label="2020-21")

    response = client_for("manager").get(reverse("reviews:letter-detail", args=[other.label, letter.pk]))

    assert response.status_code == 404


# The letters table ------------------------------------------------------------------------------


@pytest.mark.django_db
def test_letters_page_query_count_is_the_same_for_1_and_20_letters(client_for, year, superuser):
    client = client_for("manager")
    url = reverse("reviews:letter-list", args=[year.label])

    def add_letter(index):
        council = factories.CouncilFactory()
        letter = draft(year, council, ran_by=superuser)
        if index % 3 == 1:
            AnnualLetter.objects.filter(pk=letter.pk).update(
                status=Status.APPROVED, approved_by=superuser, approved_at=timezone.now()
            )

    add_letter(0)
    client.get(url)
    one = count_queries(lambda: client.get(url))
    for index in range(1, 20):
        add_letter(index)

    many = count_queries(lambda: client.get(url))
    response = client.get(url)

    assert one == many == 21
    assert response.text.count('name="letters"') == 13  # the drafts can be selected, approved ones not
    assert response.text.count('<tr class="govuk-table__row">') == 21


@pytest.mark.django_db
def test_letters_page_shows_the_headline_figures_and_flags(client_for, year, council, other_council, superuser):
    decide(council, upheld=True)
    decide(council)
    blaby = draft(year, council, ran_by=superuser)
    leicester = draft(year, other_council, ran_by=superuser)
    decide(other_council, upheld=True)  # Leicester's letter is now out of date

    response = client_for("manager").get(reverse("reviews:letter-list", args=[year.label]))

    blaby_row = table_row(response, "Blaby District Council")
    leicester_row = table_row(response, "Leicester City Council")
    assert "50%" in blaby_row and "District council" in blaby_row and "Up to date" in blaby_row
    assert "Out of date" in leicester_row and "Unitary" in leicester_row
    assert f'value="{blaby.pk}"' in blaby_row and f'value="{leicester.pk}"' in leicester_row


@pytest.mark.django_db
def test_letters_page_shows_the_complaint_overview_from_2024_25(client_for, year, council, superuser):
    from complaints.models import Outcome
    from tests.reviews.letters.test_overview import add_outcomes

    overview_year = factories.ReviewYearFactory(label="2024-25")
    add_outcomes(council, **{Outcome.ADVICE_GIVEN: 3, Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES: 2, "upheld": 1})
    draft(overview_year, council, ran_by=superuser)
    draft(year, council, ran_by=superuser)
    client = client_for("manager")

    response = client.get(reverse("reviews:letter-list", args=[overview_year.label]))
    earlier = client.get(reverse("reviews:letter-list", args=[year.label]))

    row = table_row(response, "Blaby District Council")
    cells = re.findall(r'<td class="govuk-table__cell govuk-table__cell--numeric">([^<]*)</td>', row)
    assert cells[:5] == ["6", "3", "2", "1", "100%"]
    headers = re.findall(r"<th[^>]*>\s*(?:<a[^>]*>)?([^<]+)", response.text)
    assert [h.strip() for h in headers[2:7]] == [
        "Type",
        "Dealt with",
        "Not for us",
        "Assessed and closed",
        "Investigated",
    ]
    assert "Dealt with" not in earlier.text


@pytest.mark.django_db
def test_letters_page_filters(client_for, year, council, other_council, superuser):
    factories.CouncilParagraphFactory(review_year=year, council=council)
    blaby = draft(year, council, ran_by=superuser)
    leicester = draft(year, other_council, ran_by=superuser)
    county = draft(
        year, factories.CouncilFactory(authority_type="county", formal_name="Kent County Council"), ran_by=None
    )
    AnnualLetter.objects.filter(pk=leicester.pk).update(
        status=Status.APPROVED, approved_by=superuser, approved_at=timezone.now()
    )
    decide(county.council, upheld=True)
    client = client_for("manager")
    url = reverse("reviews:letter-list", args=[year.label])

    def listed(**query) -> set[str]:
        text = client.get(url, query).text
        return {name for name in ("Blaby", "Leicester", "Kent") if f">{name} " in text}

    assert listed() == {"Blaby", "Leicester", "Kent"}
    assert listed(status="approved") == {"Leicester"}
    assert listed(status=["approved", "ready"]) == {"Blaby", "Leicester", "Kent"}
    assert listed(authority_type="unitary") == {"Leicester"}
    assert listed(out_of_date="yes") == {"Kent"}
    assert listed(out_of_date="no") == {"Blaby", "Leicester"}
    assert listed(paragraph="yes") == {"Blaby"}
    assert listed(paragraph="no") == {"Leicester", "Kent"}
    assert listed(council="leic") == {"Leicester"}
    assert blaby.snapshot["paragraph"]


@pytest.mark.django_db
def test_letters_page_sorts_by_a_figure(client_for, year, superuser):
    councils = []
    for name, upheld in (("Aaa", 1), ("Bbb", 3), ("Ccc", 2)):
        councils.append(factories.CouncilFactory(formal_name=f"{name} Council"))
        for _ in range(upheld):
            decide(councils[-1], upheld=True)
        decide(councils[-1])
    for council in councils:
        draft(year, council, ran_by=superuser)
    url = reverse("reviews:letter-list", args=[year.label])

    text = client_for("manager").get(url, {"sort": "-uphold_rate"}).text

    assert text.index("Bbb Council") < text.index("Ccc Council") < text.index("Aaa Council")
    assert 'aria-sort="descending"' in text


@pytest.mark.django_db
def test_letters_page_empty_state_says_to_run_the_review(client_for, year):
    response = client_for("manager").get(reverse("reviews:letter-list", args=[year.label]))

    assert "There are no letters for 2019-20 yet." in response.text
    assert reverse("reviews:year-run", args=[year.label]) in response.text


@pytest.mark.django_db
def test_year_page_links_to_the_letters_page(client_for, year, letter):
    response = client_for("manager").get(reverse("reviews:year-detail", args=[year.label]))

    assert reverse("reviews:letter-list", args=[year.label]) in response.text


# The letter page and its actions ---------------------------------------------------------------


@pytest.mark.django_db
def test_letter_page_shows_preview_figures_averages_pdf_and_the_approve_button(client_for, year, council, superuser):
    decide(council, upheld=True)
    decide(council)
    decide(factories.CouncilFactory(), upheld=True)  # another district: the average is 2 of 3
    letter = draft(year, council, ran_by=superuser)

    response = client_for("manager").get(reverse("reviews:letter-detail", args=[year.label, letter.pk]))

    text = banner_text(response)
    assert "Complaints upheld 1 upheld decision of 2 investigations 50% Fewer than 10 cases" in text
    assert "Fewer than 10 cases &lt;10 cases 67% Compliance" in text  # the average, then the next row
    assert "50% of complaints we investigated were upheld." in text  # the letter itself
    assert "Approve this letter" in text
    assert reverse("reviews:letter-pdf", args=[year.label, letter.pk]) + "?download" in response.text
    assert letter.pdf_sha256 in response.text
    assert 'name="seen"' in response.text


@pytest.mark.django_db
def test_letter_page_figures_are_the_public_tables_with_words_where_there_is_no_figure(
    client_for, year, council, superuser
):
    """The staff page's figures once had a table of their own: "population 101,234" in lower case
    beside "Population" everywhere else, and "None" beside "0 of 0 compliance outcomes" for a council
    with no compliance outcomes. It is the public and portal table now."""
    decide(council, upheld=True)
    decide(council)
    letter = draft(year, council, ran_by=superuser)

    response = client_for("manager").get(reverse("reviews:letter-detail", args=[year.label, letter.pk]))

    text = banner_text(response)
    assert "Compliance with recommendations No compliance outcomes" in text
    assert "None" not in text
    assert "0 of 0" not in text


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["reviews:letter-detail", "reviews:letter-preview"])
def test_letter_shown_on_staff_pages_has_its_letterhead(client_for, year, council, superuser, name):
    """The staff pages show the letter as the PDF prints it, letterhead first (they once left it out:
    a broken logo and no name, address or reference)."""
    letter = draft(year, council, ran_by=superuser)

    response = client_for("manager").get(reverse(name, args=[year.label, letter.pk]))

    html = response.text
    assert '<p class="letterhead__name">' + settings.ORGANISATION["name"] + "</p>" in html
    assert 'class="letterhead__logo" src="data:image/' in html
    assert settings.ORGANISATION["postal_address"].splitlines()[0] in html
    assert "Our reference: " in html


@pytest.mark.django_db
def test_letter_page_says_why_you_cannot_approve(client_for, year, council, manager):
    letter = draft(year, council, ran_by=manager)

    response = client_for("manager").get(reverse("reviews:letter-detail", args=[year.label, letter.pk]))

    assert "You cannot approve this letter" in response.text
    assert "You ran the review that made this letter. Another manager must approve it." in response.text
    assert "Approve this letter" not in response.text


@pytest.mark.django_db
def test_approve_from_the_letter_page(client_for, year, letter, manager):
    client = client_for("manager")
    url = reverse("reviews:letter-detail", args=[year.label, letter.pk])

    response = client.post(reverse("reviews:letter-approve", args=[year.label, letter.pk]), {"seen": seen(letter)})
    page = client.get(url)

    letter.refresh_from_db()
    assert response["Location"] == url
    assert (letter.status, letter.approved_by) == (Status.APPROVED, manager)
    assert "The letter to Blaby District Council has been approved." in page.text
    assert f"Approved by {escape(manager)}" in page.text  # escaped as the page writes it: "O&#x27;Brien"
    assert "Approve this letter" not in page.text


@pytest.mark.django_db
def test_approve_after_someone_else_did_says_who_and_when(client_for, year, letter, second_manager):
    stale = seen(letter)
    second_manager.first_name, second_manager.last_name = "Sam", "Second"
    second_manager.save()
    approval.letter_approve(letter=letter, by=second_manager)
    at = timezone.localtime(LetterEvent.objects.get().at)
    client = client_for("manager")

    response = client.post(reverse("reviews:letter-approve", args=[year.label, letter.pk]), {"seen": stale})
    page = client.get(response["Location"])

    letter.refresh_from_db()
    assert letter.approved_by == second_manager
    assert f"Sam Second approved this letter at {at:%H:%M} while you were looking at it." in page.text
    assert "There is a problem" in page.text


@pytest.mark.django_db
def test_return_needs_a_comment_and_sends_the_letter_back(client_for, year, letter, manager):
    client = client_for("manager")
    url = reverse("reviews:letter-return", args=[year.label, letter.pk])

    form = client.get(url)
    empty = client.post(url, {"seen": seen(letter), "comment": ""})
    done = client.post(url, {"seen": seen(letter), "comment": "Say more about late remedies."})
    page = client.get(done["Location"])

    letter.refresh_from_db()
    assert 'name="comment"' in form.text
    assert empty.status_code == 200
    assert 'class="govuk-error-summary"' in empty.text and "Say what needs to change" in empty.text
    assert (letter.status, letter.return_comment, letter.updated_by) == (
        Status.RETURNED,
        "Say more about late remedies.",
        manager,
    )
    assert "Returned for changes: Say more about late remedies." in page.text
    assert "The letter was returned for changes." in page.text


@pytest.mark.django_db
def test_reissue_from_the_letter_page_goes_to_the_new_version(
    client_for, year, letter, manager, django_capture_on_commit_callbacks
):
    approval.letter_approve(letter=letter, by=manager)
    client = client_for("superuser")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reviews:letter-reissue", args=[year.label, letter.pk]),
            {"seen": seen(letter), "comment": "The chief executive changed."},
        )
    new = AnnualLetter.objects.get(version=2)
    page = client.get(response["Location"])
    old_page = client.get(reverse("reviews:letter-detail", args=[year.label, letter.pk]))

    assert response["Location"] == reverse("reviews:letter-detail", args=[year.label, new.pk])
    assert new.status == Status.READY
    assert "You made this version of the letter. Another manager must approve it." in page.text
    assert "Reissued as version 2: The chief executive changed." in page.text
    assert "This version has been replaced" in old_page.text
    assert reverse("reviews:letter-pdf", args=[year.label, letter.pk]) in old_page.text


@pytest.mark.django_db
def test_paragraph_change_shows_in_the_letter_history(
    client_for, year, letter, council, manager, django_capture_on_commit_callbacks
):
    client = client_for("manager")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("reviews:letter-paragraph", args=[year.label, council.gss_code]), {"text": "Remedies were late."}
        )

    page = banner_text(client.get(response["Location"]))

    assert "Comments on your authority Remedies were late." in page
    assert f"Council paragraph changed (version 1) by {manager}" in page
    assert "You last changed this letter. Another manager must approve it." in page


# Bulk approval ----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_bulk_approval_confirms_then_approves_each_by_the_rules(client_for, year, manager, superuser):
    ok = [draft(year, factories.CouncilFactory(formal_name=f"Good {n} Council"), ran_by=superuser) for n in range(2)]
    mine = draft(year, factories.CouncilFactory(formal_name="Mine Council"), ran_by=manager)
    client = client_for("manager")
    url = reverse("reviews:letters-bulk-approve", args=[year.label])

    confirm = client.post(url, {"letters": [ok[0].pk, ok[1].pk, mine.pk]})
    untouched = set(AnnualLetter.objects.values_list("status", flat=True))
    hidden = re.findall(r'name="letter" value="([^"]+)"', confirm.text)
    done = client.post(url, {"confirm": "1", "letter": hidden})
    page = client.get(done["Location"])

    statuses = dict(AnnualLetter.objects.values_list("council__formal_name", "status"))
    assert confirm.status_code == 200
    assert "Approve 2 letters" in confirm.text
    assert "Mine Council" in confirm.text and "You ran the review that made this letter." in confirm.text
    assert untouched == {Status.READY}
    assert len(hidden) == 2
    assert statuses == {"Good 0 Council": Status.APPROVED, "Good 1 Council": Status.APPROVED, "Mine Council": "ready"}
    assert "2 letters approved." in page.text


@pytest.mark.django_db
def test_bulk_approval_reports_letters_changed_after_the_confirmation_page(
    client_for, year, council, superuser, second_manager
):
    letter = draft(year, council, ran_by=superuser)
    client = client_for("manager")
    url = reverse("reviews:letters-bulk-approve", args=[year.label])
    confirm = client.post(url, {"letters": [letter.pk]})
    approval.letter_return(letter=letter, by=second_manager, comment="Wait.")

    done = client.post(url, {"confirm": "1", "letter": re.findall(r'name="letter" value="([^"]+)"', confirm.text)})
    page = client.get(done["Location"])

    letter.refresh_from_db()
    assert letter.status == Status.RETURNED
    assert "Blaby District Council was not approved:" in page.text
    assert "returned this letter for changes at" in page.text


@pytest.mark.django_db
def test_bulk_approval_with_nothing_selected_says_so(client_for, year, letter):
    client = client_for("manager")

    response = client.post(reverse("reviews:letters-bulk-approve", args=[year.label]), {})
    page = client.get(response["Location"])

    assert "Select the letters you want to approve." in page.text
    assert AnnualLetter.objects.get().status == Status.READY


# Sending ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_send_page_then_send_approved_letters(
    client_for, year, council, other_council, manager, django_capture_on_commit_callbacks
):
    approved_letter(year, council)
    headless = approved_letter(year, other_council, roles=(ContactRole.LINK_OFFICER,))
    client = client_for("manager")
    url = reverse("reviews:letters-send", args=[year.label])

    page = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    listing = client.get(response["Location"])

    assert "2 approved letters have not been sent yet." in banner_text(page)
    assert "Leicester City Council" in page.text and "no current chief executive" in page.text
    assert response["Location"] == reverse("reviews:letter-list", args=[year.label])
    assert len(mail.outbox) == 5
    assert "5 emails to the contacts of 1 council queued." in listing.text
    assert f"Not sent, because the council has no current chief executive: {headless.council.formal_name}." in (
        listing.text
    )
    assert LetterEvent.objects.get(action=LetterAction.SEND_REQUESTED).by == manager


@pytest.mark.django_db
def test_letter_page_lists_its_emails_and_resends_a_failed_one(
    client_for, year, council, manager, django_capture_on_commit_callbacks
):
    letter = approved_letter(year, council)
    with django_capture_on_commit_callbacks(execute=False):
        send.letters_send(review_year=year)
    failed = OutboxMessage.objects.get(role=ContactRole.LEADER)
    OutboxMessage.objects.filter(pk=failed.pk).update(
        status=OutboxStatus.FAILED, last_error="550 5.1.1 User unknown", attempts=1
    )
    client = client_for("manager")
    url = reverse("reviews:letter-detail", args=[year.label, letter.pk])

    page = client.get(url)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reviews:outbox-resend", args=[year.label, failed.pk]))
    after = client.get(url)

    failed.refresh_from_db()
    assert "550 5.1.1 User unknown" in page.text
    assert page.text.count("Send again<span") == 1
    assert response["Location"] == url
    assert failed.status == OutboxStatus.SENT
    assert [m.recipients() for m in mail.outbox] == [[failed.recipient]]
    assert f"The email to {failed.recipient} has been queued again." in after.text
    assert "Email sent again" in after.text


@pytest.mark.django_db
def test_letters_page_writes_dates_as_the_site_does_and_uses_the_full_width(client_for, year, council, superuser):
    """Dates read "02/12/2026 00:58" where the rest of the site writes "2 Dec 2026"; the table sat
    in the 960 px column, its header clipped and its columns one word a line."""
    letter = draft(year, council, ran_by=superuser)
    moment = datetime.datetime(2026, 12, 2, 0, 58, tzinfo=datetime.UTC)
    AnnualLetter.objects.filter(pk=letter.pk).update(
        status=LetterStatus.APPROVED, approved_by=superuser, approved_at=moment
    )

    response = client_for("manager").get(reverse("reviews:letter-list", args=[year.label]))

    row = table_row(response, "Blaby District Council")
    assert "2 Dec 2026" in row and "02/12/2026" not in row
    assert '<body class="govuk-template__body app-full-width">' in response.text
    assert '<th scope="col" class="govuk-table__header app-nowrap">' in response.text  # "Select"


@pytest.mark.django_db
def test_case_list_uses_the_full_width(client_for):
    response = client_for("caseworker").get(reverse("complaints:case-list"))
    case = client_for("caseworker").get(reverse("complaints:case-create"))

    assert '<body class="govuk-template__body app-full-width">' in response.text
    assert '<body class="govuk-template__body ">' in case.text


@pytest.mark.parametrize(
    ("authority_type", "caption"),
    [
        ("london_borough", "London Borough of Hammersmith & Fulham and the average of London boroughs"),
        ("district", "London Borough of Hammersmith & Fulham and the average of district councils"),
        ("other", "London Borough of Hammersmith & Fulham (no average for its type)"),
    ],
)
def test_letter_page_figures_caption_names_the_type_as_the_letter_does(authority_type, caption):
    """It once read "the average of london boroughs", the type's label in lower case."""
    letter = SimpleNamespace(
        council=SimpleNamespace(formal_name="London Borough of Hammersmith & Fulham"),
        snapshot={"council": {"authority_type": authority_type}},
    )

    assert figures_caption(letter) == caption
