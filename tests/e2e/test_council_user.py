"""Journey 3: a chief executive accepts the invitation emailed to them, sets a password, signs
in, sees only their own council, downloads their letter, and finds another council's letter
is not found for them."""

import datetime
import re
from urllib.parse import urlsplit

import pytest
from django.core import mail

from councils.invitations import invitation_send
from councils.models import Contact, ContactRole
from reviews.models import AnnualLetter, DownloadKind, LetterDownload
from tests import factories
from tests.e2e.browser import heading
from tests.e2e.data import councils_with_contacts, decisions, issued_year

pytestmark = [pytest.mark.e2e, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

NEW_PASSWORD = "plum-harbour-lantern-42"


def test_chief_executive_accepts_invitation_and_downloads_only_their_letter(open_journey):
    blaby, leicester = councils_with_contacts(
        ("Blaby", "Blaby District Council", "E07000129", "district"),
        ("Leicester", "Leicester City Council", "E06000016", "unitary"),
    )
    decisions(blaby, datetime.date(2024, 6, 3), upheld=1, not_upheld=2)
    decisions(leicester, datetime.date(2024, 7, 1), upheld=2, satisfactory=1)
    manager = factories.ManagerFactory()
    issued_year("2024-25", runner=factories.ManagerFactory(), approver=manager)
    own = AnnualLetter.objects.get(council=blaby)
    other = AnnualLetter.objects.get(council=leicester)
    chief_executive = Contact.objects.get(council=blaby, role=ContactRole.CHIEF_EXECUTIVE)
    chief_executive.email = "chief.executive.office@blabydistrict.gov.uk"  # long, as real ones are
    chief_executive.save(update_fields=["email"])
    mail.outbox.clear()
    invitation_send(contact=chief_executive, by=manager)
    (email,) = mail.outbox
    link = re.search(r"https?://\S+/invitation/\S+/", email.body).group(0)
    ui = open_journey("council-user")
    page = ui.page

    ui.goto(urlsplit(link).path, screenshot="invitation")
    assert heading(page) == "Set your password"
    page.get_by_label("Create a password").fill(NEW_PASSWORD)
    page.get_by_label("Confirm your password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Set password and sign in").click()
    ui.check()
    assert ui.path == "/portal/"
    page.get_by_role("button", name="Sign out").click()
    ui.check()

    ui.goto("/sign-in/")
    page.get_by_label("Email address").fill(chief_executive.email)
    page.get_by_label("Password").fill(NEW_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    ui.check(screenshot="portal")
    assert ui.path == "/portal/"
    assert heading(page) == "Blaby District Council"
    navigation = page.get_by_role("navigation", name="Menu")
    assert [t.strip() for t in navigation.get_by_role("link").all_inner_texts()] == ["Your council", "Your account"]
    assert "Leicester" not in page.locator("main").inner_text()

    link = page.get_by_role("link", name="Download your letter for 2024-25")
    download, body = ui.download(link.click)
    assert body.startswith(b"%PDF")
    assert download.suggested_filename == "annual-review-2024-25-blaby-v1.pdf"
    logged = LetterDownload.objects.get()
    assert (logged.letter, logged.kind, logged.user.email) == (own, DownloadKind.LETTER, chief_executive.email)

    ui.goto(f"/portal/letters/{other.pk}/letter.pdf", expect_status=404, screenshot="other-council-letter")
    assert heading(page) == "Page not found"
    ui.goto(f"/review/2024-25/letters/{other.pk}/", expect_status=403)
    assert LetterDownload.objects.count() == 1
    ui.finish()
