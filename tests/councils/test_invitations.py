import datetime
import hashlib
import re
import smtplib

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.urls import reverse
from django.utils import timezone

from councils import invitations
from councils.models import CouncilMembership, Invitation, InvitationStatus
from ombudsman.roles import is_council_user
from tests import factories
from tests.roles import MANAGER_ONLY

GOOD_PASSWORD = "plum-orchard-lantern-42"


@pytest.fixture
def contact(council):
    return factories.ContactFactory(
        council=council, title="Dr", first_name="Ada", last_name="Okoro", email="ada.okoro@blaby.example.org"
    )


def send(contact, by) -> str:
    """Invite the contact and return the token from the emailed link."""
    mail.outbox.clear()
    invitations.invitation_send(contact=contact, by=by)
    return token_in(mail.outbox[-1].body)


def token_in(body: str) -> str:
    return re.search(r"/invitation/([^/\s]+)/", body).group(1)


def accept_url(token: str) -> str:
    return reverse("councils:invitation-accept", args=[token])


def invite_url(contact) -> str:
    return reverse("councils:contact-invite", args=[contact.council.gss_code, contact.pk])


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), MANAGER_ONLY)
def test_invite_page_access_per_role(client_for, contact, role, expected):
    response = client_for(role).get(invite_url(contact))

    assert response.status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize("role", ["caseworker", "council_user", "other_council_user"])
def test_only_managers_can_send_invitations(client_for, contact, role):
    response = client_for(role).post(invite_url(contact))

    assert response.status_code == 403
    assert (Invitation.objects.count(), len(mail.outbox)) == (0, 0)


def with_account(council, council_user, last_login=None):
    """A contact whose invitation was accepted: the council user's membership names it."""
    contact = factories.ContactFactory(council=council, first_name="Ada", last_name="Okoro", email=council_user.email)
    CouncilMembership.objects.filter(user=council_user).update(contact=contact)
    type(council_user).objects.filter(pk=council_user.pk).update(last_login=last_login)
    return contact


@pytest.mark.django_db
def test_invite_page_of_a_contact_with_an_account_says_so_and_offers_no_invitation(client_for, council, council_user):
    contact = with_account(council, council_user, last_login=datetime.datetime(2026, 12, 2, 9, 30, tzinfo=datetime.UTC))

    response = client_for("manager").get(invite_url(contact))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Ada Okoro already has an account</h1>" in page
    assert (
        "Ada Okoro already has an account (ceo@blaby.example.org, last signed in 2 Dec 2026 at 09:30), so there is "
        "nothing to invite them to. If they have forgotten their password, they can reset it from the sign-in page."
    ) in page
    assert "Send invitation" not in page
    assert '<form method="post" novalidate>' not in page


@pytest.mark.django_db
def test_posting_the_invite_page_of_a_contact_with_an_account_is_refused(client_for, council, council_user):
    contact = with_account(council, council_user)

    response = client_for("manager").post(invite_url(contact))

    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "ceo@blaby.example.org, not signed in yet), so there is nothing to invite them to." in page
    assert (Invitation.objects.count(), len(mail.outbox)) == (0, 0)


@pytest.mark.django_db
def test_a_contact_whose_account_was_deactivated_is_not_taken_for_an_account_holder(council, council_user, manager):
    contact = with_account(council, council_user)
    type(council_user).objects.filter(pk=council_user.pk).update(is_active=False)

    assert invitations.contact_account(contact) is None
    with pytest.raises(ValidationError, match="has been deactivated"):
        invitations.invitation_send(contact=contact, by=manager)


@pytest.mark.django_db
def test_invite_of_another_councils_contact_through_this_councils_url_is_404(client_for, council, other_council):
    elsewhere = factories.ContactFactory(council=other_council)

    response = client_for("manager").get(reverse("councils:contact-invite", args=[council.gss_code, elsewhere.pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_manager_sends_an_invitation_by_email_and_only_the_hash_is_stored(client_for, contact, manager, settings):
    settings.SITE_URL = "https://ombudsman.example.org"

    response = client_for("manager").post(invite_url(contact))

    assert response.status_code == 302
    assert response["Location"] == reverse("councils:council-detail", args=[contact.council.gss_code])
    message = mail.outbox[0]
    token = token_in(message.body)
    invitation = Invitation.objects.get()
    assert message.to == ["ada.okoro@blaby.example.org"]
    assert message.subject == "Set up your account to see Blaby District Council's annual review letters"
    assert f"https://ombudsman.example.org/invitation/{token}/" in message.body
    assert "Dear Dr Okoro" in message.body
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert token not in str(Invitation.objects.values().get())
    assert (invitation.created_by, invitation.email, invitation.status) == (
        manager,
        contact.email,
        InvitationStatus.SENT,
    )


@pytest.mark.django_db
def test_invitation_expires_after_the_configured_days(settings, contact, manager):
    settings.COUNCIL_INVITATION_DAYS = 7

    invitations.invitation_send(contact=contact, by=manager)

    invitation = Invitation.objects.get()
    assert invitation.expires_at - invitation.created_at == datetime.timedelta(days=7)


@pytest.mark.django_db
def test_accepting_sets_the_password_makes_a_council_user_signs_in_and_lands_on_the_portal(client, contact, manager):
    token = send(contact, manager)

    page = client.get(accept_url(token))
    response = client.post(accept_url(token), {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})

    user = get_user_model().objects.get(email="ada.okoro@blaby.example.org")
    membership = CouncilMembership.objects.get(user=user)
    invitation = Invitation.objects.get()
    assert page.status_code == 200
    assert "Set your password" in page.text
    assert response.status_code == 302
    assert response["Location"] == reverse("portal:home")
    assert user.check_password(GOOD_PASSWORD)
    assert (user.first_name, user.last_name) == ("Ada", "Okoro")
    assert (membership.council, membership.contact) == (contact.council, contact)
    assert is_council_user(get_user_model().objects.get(pk=user.pk))
    assert (invitation.status, invitation.user) == (InvitationStatus.ACCEPTED, user)
    assert client.get(reverse("portal:home")).status_code == 200


@pytest.mark.django_db
def test_invitation_link_works_once(client, contact, manager):
    token = send(contact, manager)
    client.post(accept_url(token), {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})
    client.logout()

    again = client.get(accept_url(token))
    reused = client.post(
        accept_url(token), {"new_password1": "another-good-passphrase", "new_password2": "another-good-passphrase"}
    )

    user = get_user_model().objects.get(email=contact.email)
    assert again.status_code == 410
    assert "already been used" in again.text
    assert reused.status_code == 410
    assert user.check_password(GOOD_PASSWORD)
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_service_refuses_a_second_acceptance(contact, manager):
    token = send(contact, manager)
    invitations.invitation_accept(token=token, password=GOOD_PASSWORD)

    with pytest.raises(invitations.InvitationUnusable):
        invitations.invitation_accept(token=token, password="another-good-passphrase")


@pytest.mark.django_db
def test_invitation_link_expires(client, contact, manager):
    token = send(contact, manager)
    expires_at = Invitation.objects.get().expires_at

    with time_machine.travel(expires_at - datetime.timedelta(minutes=1), tick=False):
        before = client.get(accept_url(token))
    with time_machine.travel(expires_at, tick=False):
        after = client.get(accept_url(token))
        posted = client.post(accept_url(token), {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD})

    assert before.status_code == 200
    assert after.status_code == 410
    assert "The link has expired" in after.text
    assert posted.status_code == 410
    assert not get_user_model().objects.filter(email=contact.email).exists()


@pytest.mark.django_db
def test_sending_again_replaces_the_open_invitation(client, contact, manager, second_manager):
    first = send(contact, manager)

    second = send(contact, second_manager)

    assert client.get(accept_url(first)).status_code == 410
    assert "A newer invitation has been sent" in client.get(accept_url(first)).text
    assert client.get(accept_url(second)).status_code == 200
    assert sorted(invitation.status for invitation in Invitation.objects.all()) == [
        InvitationStatus.REPLACED,
        InvitationStatus.SENT,
    ]


@pytest.mark.django_db
def test_unknown_link_is_not_found(client):
    response = client.get(accept_url("not-a-real-token"))

    assert response.status_code == 404
    assert "We do not recognise this link" in response.text


@pytest.mark.django_db
@pytest.mark.parametrize(
    "role", ["anonymous", "caseworker", "manager", "superuser", "council_user", "other_council_user"]
)
def test_accept_page_opens_for_anyone_with_the_link(client_for, contact, manager, role):
    token = send(contact, manager)

    response = client_for(role).get(accept_url(token))

    assert response.status_code == 200


@pytest.mark.django_db
def test_weak_password_is_refused_with_the_validators_message(client, contact, manager):
    token = send(contact, manager)

    short = client.post(accept_url(token), {"new_password1": "short", "new_password2": "short"})
    like_email = client.post(
        accept_url(token), {"new_password1": "ada.okoro@blaby", "new_password2": "ada.okoro@blaby"}
    )
    different = client.post(accept_url(token), {"new_password1": GOOD_PASSWORD, "new_password2": GOOD_PASSWORD + "x"})

    assert short.status_code == 200
    assert "This password is too short" in short.text
    assert 'href="#id_new_password1"' in short.text
    assert "too similar" in like_email.text
    assert "The passwords do not match" in different.text
    assert Invitation.objects.get().status == InvitationStatus.SENT
    assert not get_user_model().objects.filter(email=contact.email).exists()


@pytest.mark.django_db
def test_staff_email_cannot_be_invited(client_for, council, caseworker):
    contact = factories.ContactFactory(council=council, email=caseworker.email)

    response = client_for("manager").post(invite_url(contact))

    assert response.status_code == 200
    assert "belongs to a staff account" in response.text
    assert (Invitation.objects.count(), len(mail.outbox)) == (0, 0)


@pytest.mark.django_db
def test_staff_account_made_after_the_invitation_cannot_accept_it(contact, manager):
    token = send(contact, manager)
    factories.CaseworkerFactory(email=contact.email)

    with pytest.raises(ValidationError, match="staff account"):
        invitations.invitation_accept(token=token, password=GOOD_PASSWORD)

    assert Invitation.objects.get().status == InvitationStatus.SENT


@pytest.mark.django_db
def test_a_user_of_another_council_cannot_be_invited(council, other_council_user, manager):
    contact = factories.ContactFactory(council=council, email=other_council_user.email)

    with pytest.raises(ValidationError, match="already a council user of Leicester City Council"):
        invitations.invitation_send(contact=contact, by=manager)


@pytest.mark.django_db
def test_reinviting_an_existing_council_user_resets_their_password(council, council_user, manager):
    contact = factories.ContactFactory(council=council, email=council_user.email)
    token = send(contact, manager)

    user = invitations.invitation_accept(token=token, password=GOOD_PASSWORD)

    assert user == council_user
    assert user.check_password(GOOD_PASSWORD)
    assert CouncilMembership.objects.get(user=user).council == council


@pytest.mark.django_db
def test_failed_email_withdraws_the_invitation(monkeypatch, contact, manager):
    def refuse(*args, **kwargs):
        raise smtplib.SMTPServerDisconnected("connection closed")

    monkeypatch.setattr(invitations, "send_mail", refuse)

    with pytest.raises(ValidationError, match="could not be sent"):
        invitations.invitation_send(contact=contact, by=manager)

    assert Invitation.objects.get().status == InvitationStatus.REPLACED


@pytest.mark.django_db
def test_former_contact_cannot_be_invited(contact, manager):
    contact.is_current = False
    contact.save()

    with pytest.raises(ValidationError, match="current contact"):
        invitations.invitation_send(contact=contact, by=manager)


@pytest.mark.django_db
def test_database_allows_one_open_invitation_per_contact(contact):
    now = timezone.now()
    values = {
        "contact": contact,
        "email": contact.email,
        "created_at": now,
        "expires_at": now + datetime.timedelta(days=7),
    }
    Invitation.objects.create(token_hash="a" * 64, **values)

    with pytest.raises(IntegrityError):
        Invitation.objects.create(token_hash="b" * 64, **values)


@pytest.mark.django_db
def test_council_page_shows_each_contacts_invitation_status(client_for, contact, manager):
    send(contact, manager)

    response = client_for("manager").get(reverse("councils:council-detail", args=[contact.council.gss_code]))

    assert "Invitation sent" in response.text
    assert "Invite again" in response.text
    assert invite_url(contact) in response.text
