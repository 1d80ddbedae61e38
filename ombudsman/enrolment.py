"""Staff enrolment: how a staff account adds its first authenticator (issue 12, hardening).

Staff must pass a second step, and a staff account with no authenticator used to let whoever
first signed in with its password add their own. Now the set-up page adds a staff account's
first authenticator only with an enrolment: an emailed single-use link (`enrolment_send_link`,
like a council invitation) or a code an administrator issued (`enrolment_issue_code`, passed on
another way). Either is a random secret of which only the SHA-256 is stored; it works until it
expires (settings.STAFF_ENROLMENT_DAYS), once: it is used up when the authenticator is confirmed,
in the same transaction (`enrolment_use`), so opening the link (an email scanner, say) uses
nothing. Issuing another revokes the open one. MAX_CODE_ATTEMPTS wrong codes revoke it too.

The link or code only proves the person holds the account's email (or spoke to an
administrator); the password is still needed first. Council users enrol freely (optional for them).
"""

import datetime
import hashlib
import logging
import secrets
import smtplib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import BadHeaderError, send_mail
from django.db import transaction
from django.db.models import F
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django_otp import user_has_device

from ombudsman import roles
from ombudsman.models import StaffEnrolment, User
from ombudsman.organisation import organisation_profile, sender

logger = logging.getLogger(__name__)

TOKEN_BYTES = 32
CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: it is read out and typed
CODE_LENGTH = 12  # 60 bits; and MAX_CODE_ATTEMPTS wrong ones revoke it
MAX_CODE_ATTEMPTS = 5
SESSION_KEY = "staff_enrolment"  # the hash of the enrolment this session may use


class EnrolmentUnusable(Exception):
    """The link or code is unknown, expired, replaced, used, or for another account."""


def needs_enrolment(user) -> bool:
    """A staff account adding its first authenticator needs an enrolment; nobody else does."""
    return roles.is_caseworker(user) and not user_has_device(user, confirmed=True)


def secret_hash(secret: str) -> str:
    """The SHA-256 of a token or of a code (a code without spaces or dashes, in capitals)."""
    return hashlib.sha256(secret.encode()).hexdigest()


def normal_code(typed: str) -> str:
    return "".join(ch for ch in (typed or "").upper() if ch.isalnum())


def expiry_period() -> datetime.timedelta:
    return datetime.timedelta(days=settings.STAFF_ENROLMENT_DAYS)


def enrolment_url(token: str) -> str:
    return settings.SITE_URL + reverse("two-factor-enrol", args=[token])


def _issue(*, user, by, method: str, secret: str, now: datetime.datetime) -> StaffEnrolment:
    if not roles.is_caseworker(user):
        raise ValidationError(
            "Only staff accounts enrol this way: council users set up two-step verification themselves."
        )
    if not user.is_active:
        raise ValidationError(f"The account of {user.email} is deactivated.")
    with transaction.atomic():
        # Locking the account serialises two administrators issuing one at once (one stays open).
        User.objects.select_for_update().filter(pk=user.pk).first()
        StaffEnrolment.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True).update(revoked_at=now)
        enrolment = StaffEnrolment(
            user=user,
            method=method,
            token_hash=secret_hash(secret),
            created_by=by,
            created_at=now,
            expires_at=now + expiry_period(),
        )
        enrolment.full_clean()
        enrolment.save()
    return enrolment


def enrolment_issue_code(*, user, by, now: datetime.datetime | None = None) -> str:
    """A new enrolment code for a staff account (shown once to the administrator), replacing any open enrolment."""
    code = "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))
    _issue(user=user, by=by, method=StaffEnrolment.Method.CODE, secret=code, now=now or timezone.now())
    return "-".join(code[i : i + 4] for i in range(0, CODE_LENGTH, 4))


def enrolment_send_link(*, user, by, now: datetime.datetime | None = None) -> StaffEnrolment:
    """Email a staff account a new enrolment link, replacing any open enrolment. Raises
    ValidationError when it cannot be sent (the new enrolment is then revoked)."""
    now = now or timezone.now()
    token = secrets.token_urlsafe(TOKEN_BYTES)
    enrolment = _issue(user=user, by=by, method=StaffEnrolment.Method.LINK, secret=token, now=now)
    context = {
        "user": user,
        "url": enrolment_url(token),
        "expires_at": timezone.localtime(enrolment.expires_at),
        "organisation_name": organisation_profile().name,
    }
    try:
        subject = render_to_string("registration/email/enrolment_subject.txt", context).strip()
        body = render_to_string("registration/email/enrolment_body.txt", context)
        send_mail(subject, body, sender(), [user.email])
    except (smtplib.SMTPException, OSError, BadHeaderError) as exc:
        logger.warning("Could not send the enrolment link %s: %s", enrolment.pk, exc)
        StaffEnrolment.objects.filter(pk=enrolment.pk, used_at__isnull=True).update(revoked_at=timezone.now())
        raise ValidationError(
            f"The email to {user.email} could not be sent. Nothing was sent: try again later."
        ) from exc
    return enrolment


def _open_enrolment(user, now):
    return StaffEnrolment.objects.filter(user=user, used_at__isnull=True, revoked_at__isnull=True, expires_at__gt=now)


def enrolment_from_link(*, user, token: str, now: datetime.datetime | None = None) -> str:
    """The hash to keep in the session when `user` opens their link; raises EnrolmentUnusable."""
    now = now or timezone.now()
    digest = secret_hash(token or "")
    if not _open_enrolment(user, now).filter(method=StaffEnrolment.Method.LINK, token_hash=digest).exists():
        raise EnrolmentUnusable
    return digest


def enrolment_from_code(*, user, code: str, now: datetime.datetime | None = None) -> str:
    """The hash to keep in the session when `user` types their code; raises EnrolmentUnusable (a
    wrong code counts against the open code, which the last allowed wrong one revokes)."""
    now = now or timezone.now()
    digest = secret_hash(normal_code(code))
    with transaction.atomic():  # the wrong attempt is counted whatever happens next: raise after it
        enrolment = _open_enrolment(user, now).filter(method=StaffEnrolment.Method.CODE).select_for_update().first()
        right = enrolment is not None and secrets.compare_digest(enrolment.token_hash, digest)
        if enrolment is not None and not right:
            enrolment.failed_attempts = F("failed_attempts") + 1
            enrolment.save(update_fields=["failed_attempts"])
            enrolment.refresh_from_db(fields=["failed_attempts"])
            if enrolment.failed_attempts >= MAX_CODE_ATTEMPTS:
                enrolment.revoked_at = now
                enrolment.save(update_fields=["revoked_at"])
    if not right:
        raise EnrolmentUnusable
    return digest


def enrolment_use(*, user, digest: str | None, now: datetime.datetime | None = None) -> None:
    """Use up the enrolment the session holds (inside the set-up's transaction); raises
    EnrolmentUnusable when it is no longer open."""
    now = now or timezone.now()
    used = _open_enrolment(user, now).filter(token_hash=digest or "").update(used_at=now)
    if used != 1:
        raise EnrolmentUnusable
