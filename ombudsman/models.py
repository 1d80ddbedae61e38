"""Users. People sign in with their email address, stored in its canonical form (auth.py);
roles are Django groups (see roles.py)."""

from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models

from ombudsman.auth import EmailAddressField, canonical_email, canonical_email_check, validate_canonical_email
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
