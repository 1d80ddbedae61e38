"""Users and the organisation profile. People sign in with their email address, stored in its canonical form (auth.py);
roles are Django groups (see roles.py)."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from ombudsman.auth import EmailAddressField, canonical_email, canonical_email_check, validate_canonical_email
from ombudsman.history import track
from ombudsman.validators import validate_single_line


class UserManager(BaseUserManager):
    use_in_migrations = True

    @classmethod
    def normalize_email(cls, email: str | None) -> str:
        """Used by AbstractUser.clean() and createsuperuser: the canonical form."""
        return canonical_email(email or "")

    def _create_user(self, email: str, password: str | None, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        email = self.normalize_email(email)
        validate_canonical_email(email)
        user = self.model(email=email, **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email: str, password: str | None = None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        if extra_fields.get("is_staff") is not True or extra_fields.get("is_superuser") is not True:
            raise ValueError("A superuser must have is_staff and is_superuser set.")
        return self._create_user(email, password, **extra_fields)

    def get_by_natural_key(self, username: str):
        """The sign-in lookup: the canonical form, matched exactly (never the database's UPPER())."""
        return self.get(email=canonical_email(username))


class User(AbstractUser):
    username = None
    email = EmailAddressField("email address", unique=True)
    first_name = models.CharField("first name", max_length=150, blank=True, validators=[validate_single_line])
    last_name = models.CharField("last name", max_length=150, blank=True, validators=[validate_single_line])

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    objects = UserManager()

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        constraints = [canonical_email_check("email", "user_email_canonical")]

    def __str__(self) -> str:
        return self.get_full_name() or self.email


REFERENCE_FIELDS = {"year", "gss_code", "version"}


def validate_reference_format(value: str) -> None:
    """A reference line names nothing but {year}, {gss_code} and {version}."""
    import string

    from django.core.exceptions import ValidationError

    message = "The reference can only use {year}, {gss_code} and {version} in curly brackets"
    try:
        names = {name for _, name, spec, _ in string.Formatter().parse(value) if name is not None}
    except ValueError:
        raise ValidationError(message) from None
    if names - REFERENCE_FIELDS:
        raise ValidationError(message)


class LogoType(models.TextChoices):
    NONE = "", "Our placeholder mark"
    SVG = "image/svg+xml", "SVG"
    PNG = "image/png", "PNG"


@track()
class Organisation(models.Model):
    """The body the product works for (one row, pk 1): its name in the site's header and footer,
    every email's sender and every letter's letterhead, with its address, contact details, logo
    and the letters' reference line. Until a manager saves it, settings.ORGANISATION is used."""

    ONE = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=ONE, editable=False)
    name = models.CharField(max_length=150, help_text="The body's name, as it signs letters and emails.")
    postal_address = models.TextField(help_text="One line per line of the address.")
    telephone = models.CharField(max_length=40, blank=True)
    website = models.URLField(max_length=200, blank=True)
    reference_format = models.CharField(
        max_length=100,
        validators=[validate_reference_format],
        help_text="The letters' reference line: {year} is the review year, {gss_code} the council's code, "
        "{version} the letter's version.",
    )
    logo_name = models.CharField(max_length=200, blank=True, help_text="The logo's name in private storage.")
    logo_type = models.CharField(max_length=20, choices=LogoType.choices, blank=True, default=LogoType.NONE)
    updated_by = models.ForeignKey("User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "organisation profile"
        constraints = [
            models.CheckConstraint(condition=models.Q(id=1), name="organisation_one_row"),
            models.CheckConstraint(condition=~models.Q(name=""), name="organisation_name_not_empty"),
            models.CheckConstraint(condition=~models.Q(postal_address=""), name="organisation_address_not_empty"),
            models.CheckConstraint(
                condition=models.Q(logo_type__in=LogoType.values), name="organisation_logo_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(logo_type="", logo_name="") | (~models.Q(logo_type="") & ~models.Q(logo_name="")),
                name="organisation_logo_named_with_type",
            ),
        ]

    def __str__(self) -> str:
        return self.name


@track()
class StaffEnrolment(models.Model):
    """Lets a staff account add its first authenticator: an emailed single-use link, or a code an
    administrator issued (read out over the phone, say). Without one, a staff account with no
    authenticator cannot enrol, so whoever first signs in with its password cannot add their own.

    Only the SHA-256 of the link's token or of the code is stored. It works once (used when the
    authenticator is confirmed), until `expires_at`; issuing a new one revokes the account's open
    one, so at most one is open per account. Too many wrong codes revoke it too.
    """

    class Method(models.TextChoices):
        LINK = "link", "Emailed link"
        CODE = "code", "Enrolment code"

    user = models.ForeignKey("User", on_delete=models.CASCADE, related_name="enrolments")
    method = models.CharField(max_length=4, choices=Method.choices)
    token_hash = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey("User", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    failed_attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True, help_text="Replaced by a newer one, or guessed at.")

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=models.Q(used_at__isnull=True, revoked_at__isnull=True),
                name="staff_enrolment_one_open_per_user",
            ),
            models.CheckConstraint(
                condition=models.Q(token_hash__regex=r"^[0-9a-f]{64}$"),  # noqa: S106 - a format check, not a secret
                name="staff_enrolment_token_is_sha256",
            ),
            models.CheckConstraint(
                condition=models.Q(method__in=["link", "code"]), name="staff_enrolment_method_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(expires_at__gt=models.F("created_at")), name="staff_enrolment_expires_later"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_method_display()} for {self.user}"

    def is_usable(self, now) -> bool:
        return self.used_at is None and self.revoked_at is None and self.expires_at > now
