"""Invitations: how a council contact becomes a council user.

A manager invites a current contact; the contact gets an email with a link holding a random
token. Only the token's SHA-256 is stored. The link works once and expires after
settings.COUNCIL_INVITATION_DAYS days; inviting the contact again replaces the open
invitation (the old link stops working). Accepting sets a password on the account with the
contact's email address (created if new), makes it a council user of the contact's council
and marks the invitation accepted, all in one transaction that locks the invitation row, so
two submissions of the same link cannot both succeed.

Staff accounts can never become council users, and an account belongs to one council only. A contact
who already has an account (an active one, made by accepting an invitation) is not invited again.
"""

import datetime
import hashlib
import logging
import secrets
import smtplib

from django.conf import settings
from django.contrib.auth import get_user_model, password_validation
from django.core.exceptions import ValidationError
from django.core.mail import BadHeaderError, send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from councils.models import Contact, CouncilMembership, Invitation
from councils.services import council_membership_set
from ombudsman.auth import canonical_email
from ombudsman.formatting import short_datetime
from ombudsman.organisation import organisation_profile, sender
from ombudsman.roles import is_caseworker

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32


class InvitationUnusable(Exception):
    """The link is unknown, expired, replaced or already used."""


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def expiry_period() -> datetime.timedelta:
    return datetime.timedelta(days=getattr(settings, "COUNCIL_INVITATION_DAYS", 7))


def invitation_url(token: str) -> str:
    return settings.SITE_URL + reverse("councils:invitation-accept", args=[token])


def _check_account(email: str, contact: Contact) -> None:
    """Staff accounts, and accounts of another council, cannot be invited."""
    user = get_user_model().objects.filter(email=canonical_email(email)).first()
    if user is None:
        return
    if is_caseworker(user):
        raise ValidationError(
            f"{email} belongs to a staff account. Staff cannot also be council users: "
            "change the contact's email address or ask an administrator."
        )
    membership = CouncilMembership.objects.filter(user=user).select_related("council").first()
    if membership is not None and membership.council_id != contact.council_id:
        raise ValidationError(
            f"{email} is already a council user of {membership.council}. An account belongs to one council only."
        )
    if not user.is_active:
        raise ValidationError(f"The account of {email} has been deactivated. Ask an administrator to reactivate it.")


def contact_account(contact: Contact) -> CouncilMembership | None:
    """The account a contact already has (made by accepting an invitation), if it may sign in."""
    return CouncilMembership.objects.active().filter(contact=contact).select_related("user").first()


def account_refusal(contact: Contact, membership: CouncilMembership) -> str:
    last = membership.user.last_login
    signed_in = f"last signed in {short_datetime(last)}" if last else "not signed in yet"
    return (
        f"{contact.full_name} already has an account ({membership.user.email}, {signed_in}), so there is nothing "
        "to invite them to. If they have forgotten their password, they can reset it from the sign-in page."
    )


def invitation_send(*, contact: Contact, by, now: datetime.datetime | None = None) -> Invitation:
    """Invite a current contact to the council portal by email, replacing any open invitation.

    Raises ValidationError when the contact cannot be invited or the email cannot be sent (the
    new invitation is then withdrawn, so the list never shows an invitation nobody received).
    """
    now = now or timezone.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    with transaction.atomic():
        # Locking the contact serialises two managers inviting the same person at once.
        contact = Contact.objects.select_for_update().select_related("council").get(pk=contact.pk)
        if not contact.is_current:
            raise ValidationError("Only a current contact can be invited.")
        membership = contact_account(contact)
        if membership is not None:
            raise ValidationError(account_refusal(contact, membership))
        _check_account(contact.email, contact)
        Invitation.objects.filter(contact=contact, accepted_at__isnull=True, revoked_at__isnull=True).update(
            revoked_at=now
        )
        invitation = Invitation(
            contact=contact,
            email=contact.email,
            token_hash=token_hash(token),
            created_by=by,
            created_at=now,
            expires_at=now + expiry_period(),
        )
        invitation.full_clean()
        invitation.save()
    try:
        _email(invitation, token)
    except (smtplib.SMTPException, OSError, BadHeaderError) as exc:  # BadHeaderError: a line break in a header
        logger.warning("Could not send the invitation %s: %s", invitation.pk, exc)
        Invitation.objects.filter(pk=invitation.pk, accepted_at__isnull=True).update(revoked_at=timezone.now())
        raise ValidationError(
            f"The email to {invitation.email} could not be sent. Nothing was sent: try again in a few minutes."
        ) from exc
    return invitation


def _email(invitation: Invitation, token: str) -> None:
    context = {
        "contact": invitation.contact,
        "council": invitation.contact.council,
        "url": invitation_url(token),
        "expires_at": timezone.localtime(invitation.expires_at),
        "organisation_name": organisation_profile().name,
    }
    subject = render_to_string("councils/email/invitation_subject.txt", context).strip()
    body = render_to_string("councils/email/invitation_body.txt", context)
    send_mail(subject, body, sender(), [invitation.email])


def invitation_for_token(token: str) -> Invitation | None:
    """The invitation a link belongs to, whatever its state; None for an unknown link."""
    return Invitation.objects.select_related("contact__council").filter(token_hash=token_hash(token or "")).first()


def invitation_accept(*, token: str, password: str, now: datetime.datetime | None = None):
    """Use an invitation link: set the password, make the account a council user of the
    contact's council and mark the invitation used. Returns the user.

    Raises InvitationUnusable for an unknown, expired, replaced or used link, and
    ValidationError when the password fails the validators or the account cannot be a council user.
    """
    now = now or timezone.now()
    User = get_user_model()
    with transaction.atomic():
        invitation = (
            Invitation.objects.select_for_update(of=("self",))
            .select_related("contact__council")
            .filter(token_hash=token_hash(token or ""))
            .first()
        )
        if invitation is None or not invitation.is_usable(now):
            raise InvitationUnusable
        contact = invitation.contact
        _check_account(invitation.email, contact)
        user = User.objects.filter(email=invitation.email).first()
        if user is None:
            user = User(email=invitation.email, first_name=contact.first_name, last_name=contact.last_name)
        password_validation.validate_password(password, user)
        user.set_password(password)
        if user.pk is None:
            user.full_clean()
        user.save()
        council_membership_set(user=user, council=contact.council, contact=contact)
        invitation.accepted_at, invitation.user = now, user
        invitation.save(update_fields=["accepted_at", "user"])
    return user
