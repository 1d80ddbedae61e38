"""Staff enrolment (issue 12, hardening): a staff account with no authenticator adds its first one
only with an emailed single-use link or an administrator's enrolment code, never with its password
alone. Council users still set up two-step verification themselves."""

import datetime
import hashlib
import re

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from ombudsman import enrolment
from ombudsman.models import StaffEnrolment
from tests import factories
from tests.factories import PASSWORD
from tests.ombudsman.test_two_factor import current_code

SETUP = reverse("two-factor-setup")
ENROL = reverse("two-factor-enrol-code")


def sign_in(client, email: str, next_url: str = ""):
    data = {"username": email, "password": PASSWORD}
    url = reverse("login") + (f"?next={next_url}" if next_url else "")
    return client.post(url, {**data, "next": next_url} if next_url else data)


def confirm_authenticator(client, user):
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    return client.post(SETUP, {"code": current_code(device)})


def link_token(message) -> str:
    return re.search(r"/account/enrol/([^/\s]+)/", message.body).group(1)


@pytest.mark.django_db
def test_staff_password_alone_cannot_add_an_authenticator(client, caseworker):
    sign_in(client, caseworker.email)

    setup = client.get(SETUP)
    posted = client.post(SETUP, {"code": "123456"})
    page = client.get(setup["Location"])

    assert setup.status_code == 302 and setup["Location"].startswith(ENROL)
    assert posted.status_code == 302 and posted["Location"].startswith(ENROL)
    assert "you need the link we emailed you" in page.text
    assert not TOTPDevice.objects.filter(user=caseworker).exists()
    assert client.get(reverse("councils:council-list")).status_code == 302


@pytest.mark.django_db
def test_emailed_link_lets_the_staff_account_enrol_once(client, caseworker, superuser):
    sent = enrolment.enrolment_send_link(user=caseworker, by=superuser)
    token = link_token(mail.outbox[0])
    link = reverse("two-factor-enrol", args=[token])

    opened_before_sign_in = client.get(link)
    signed_in = sign_in(client, caseworker.email, next_url=link)
    granted = client.get(link)
    confirmed = confirm_authenticator(client, caseworker)

    sent.refresh_from_db()
    assert mail.outbox[0].to == [caseworker.email]
    assert opened_before_sign_in["Location"].startswith(reverse("login"))
    assert signed_in["Location"] == link
    assert granted["Location"].startswith(SETUP)
    assert confirmed["Location"].startswith(reverse("two-factor-recovery-codes"))
    assert TOTPDevice.objects.get(user=caseworker).confirmed
    assert sent.used_at is not None
    assert sent.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(StaffEnrolment.objects.values().get())
    # Used once: with the authenticator removed again, the same link no longer works.
    TOTPDevice.objects.filter(user=caseworker).delete()
    caseworker.staticdevice_set.all().delete()
    other = client.__class__()
    sign_in(other, caseworker.email)
    again = other.get(link)
    assert again.status_code == 200 and "This link has expired" in again.text
    assert other.get(SETUP)["Location"].startswith(ENROL)


@pytest.mark.django_db
def test_opening_the_link_uses_nothing_until_the_authenticator_is_confirmed(client, caseworker):
    enrolment.enrolment_send_link(user=caseworker, by=None)
    link = reverse("two-factor-enrol", args=[link_token(mail.outbox[0])])
    sign_in(client, caseworker.email)

    client.get(link)
    client.get(link)  # an email scanner, or a second click

    assert StaffEnrolment.objects.get().used_at is None
    assert confirm_authenticator(client, caseworker).status_code == 302
    assert StaffEnrolment.objects.get().used_at is not None


@pytest.mark.django_db
def test_administrators_code_lets_the_staff_account_enrol(client, manager, superuser):
    code = enrolment.enrolment_issue_code(user=manager, by=superuser)
    sign_in(client, manager.email)

    wrong = client.post(ENROL, {"code": "AAAA-AAAA-AAAA"})
    right = client.post(ENROL, {"code": code.lower().replace("-", " ")})
    confirmed = confirm_authenticator(client, manager)

    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    assert wrong.status_code == 200
    assert "The code is not correct, has expired or was replaced" in wrong.text
    assert 'class="govuk-error-summary"' in wrong.text
    assert right["Location"].startswith(SETUP)
    assert confirmed.status_code == 302
    assert TOTPDevice.objects.get(user=manager).confirmed
    assert StaffEnrolment.objects.get().used_at is not None


@pytest.mark.django_db
def test_wrong_codes_revoke_the_code(client, caseworker):
    code = enrolment.enrolment_issue_code(user=caseworker, by=None)
    sign_in(client, caseworker.email)

    for _ in range(enrolment.MAX_CODE_ATTEMPTS):
        client.post(ENROL, {"code": "AAAA-AAAA-AAAA"})
    late = client.post(ENROL, {"code": code})

    assert late.status_code == 200
    assert StaffEnrolment.objects.get().revoked_at is not None


@pytest.mark.django_db
def test_a_new_link_or_code_replaces_the_open_one(client, caseworker):
    enrolment.enrolment_send_link(user=caseworker, by=None)
    old_link = reverse("two-factor-enrol", args=[link_token(mail.outbox[0])])
    first_code = enrolment.enrolment_issue_code(user=caseworker, by=None)
    code = enrolment.enrolment_issue_code(user=caseworker, by=None)
    sign_in(client, caseworker.email)

    assert "This link has expired" in client.get(old_link).text
    assert client.post(ENROL, {"code": first_code}).status_code == 200
    assert client.post(ENROL, {"code": code})["Location"].startswith(SETUP)
    assert StaffEnrolment.objects.filter(used_at__isnull=True, revoked_at__isnull=True).count() == 1


@pytest.mark.django_db
def test_an_expired_link_does_not_work(client, caseworker):
    enrolment.enrolment_send_link(user=caseworker, by=None)
    link = reverse("two-factor-enrol", args=[link_token(mail.outbox[0])])

    with time_machine.travel(timezone.now() + datetime.timedelta(days=8)):
        sign_in(client, caseworker.email)
        page = client.get(link)

    assert "This link has expired" in page.text


@pytest.mark.django_db
def test_a_link_for_another_account_does_not_work(client, caseworker, manager):
    enrolment.enrolment_send_link(user=manager, by=None)
    sign_in(client, caseworker.email)

    page = client.get(reverse("two-factor-enrol", args=[link_token(mail.outbox[0])]))

    assert "This link has expired" in page.text
    assert client.get(SETUP)["Location"].startswith(ENROL)


@pytest.mark.django_db
def test_an_enrolment_replaced_before_the_authenticator_is_confirmed_confirms_nothing(client, caseworker):
    code = enrolment.enrolment_issue_code(user=caseworker, by=None)
    sign_in(client, caseworker.email)
    client.post(ENROL, {"code": code})
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=caseworker, confirmed=False)
    enrolment.enrolment_issue_code(user=caseworker, by=None)  # an administrator replaced it meanwhile

    refused = client.post(SETUP, {"code": current_code(device)})

    device.refresh_from_db()
    assert refused["Location"].startswith(ENROL)
    assert not device.confirmed


@pytest.mark.django_db
def test_council_users_still_set_up_without_an_enrolment(client, council_user):
    sign_in(client, council_user.email)

    assert client.get(SETUP).status_code == 200
    assert confirm_authenticator(client, council_user).status_code == 302
    assert TOTPDevice.objects.get(user=council_user).confirmed


@pytest.mark.django_db
def test_enrolments_are_for_staff_accounts_only(council_user):
    with pytest.raises(Exception, match="Only staff accounts enrol this way"):
        enrolment.enrolment_issue_code(user=council_user, by=None)

    assert not StaffEnrolment.objects.exists()


@pytest.mark.django_db
def test_administrator_issues_a_code_and_sends_a_link_from_the_user_list(client_for, caseworker):
    client = client_for("superuser")
    url = reverse("admin:ombudsman_user_changelist")

    coded = client.post(url, {"action": "issue_enrolment_code", "_selected_action": [caseworker.pk]}, follow=True)
    linked = client.post(url, {"action": "send_enrolment_link", "_selected_action": [caseworker.pk]}, follow=True)

    assert re.search(rf"Enrolment code for {caseworker.email}: [A-Z2-9]{{4}}-", coded.text)
    assert f"Enrolment link sent to {caseworker.email}." in linked.text
    assert [message.to for message in mail.outbox] == [[caseworker.email]]
    assert list(StaffEnrolment.objects.order_by("created_at").values_list("method", flat=True)) == ["code", "link"]
    assert StaffEnrolment.objects.filter(used_at__isnull=True, revoked_at__isnull=True).get().method == "link"


@pytest.mark.django_db
def test_command_prints_a_code_for_the_first_administrator(capsys):
    admin = factories.SuperuserFactory(email="first.admin@example.org")

    call_command("staff_enrolment", "First.Admin@example.org")

    code = re.search(r"Enrolment code for first.admin@example.org: (\S+)", capsys.readouterr().out).group(1)
    assert enrolment.enrolment_from_code(user=admin, code=code)
