"""Who is signing in: the one canonical form of an email address, and the address a request
came from (client_ip, which believes X-Forwarded-For only from settings.TRUSTED_PROXIES).

An address is canonical when it is what `canonical_email` makes of it: Unicode NFKC, then case
folding, the domain in its ASCII (IDNA) form, and the result all ASCII. Accounts and contacts store
the canonical form (the database refuses anything else); the sign-in form turns what is typed into
it once; the account lookup matches it exactly; django-axes counts failures under it. So no
spelling of an address gets a lockout counter of its own and still reaches the account: U+017F
(long s) and U+212A (Kelvin sign) fold into the same counter as "s" and "k", while U+0131 (dotless
i), which PostgreSQL's UPPER() matched with "i", stays non-ASCII and is refused.
"""

import contextlib
import functools
import ipaddress
import unicodedata

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.db.models.functions import Lower

# GOV.UK's message for a malformed address: every form, validator and constraint says this one.
EMAIL_FORMAT = "Enter an email address in the correct format, like name@example.com"


def canonical_email(value: str) -> str:
    """NFKC, then case folding; an international domain in its IDNA (xn--) form."""
    folded = unicodedata.normalize("NFKC", value.strip()).casefold()
    local, at, domain = folded.rpartition("@")
    if at and not domain.isascii():
        with contextlib.suppress(UnicodeError):  # left as it is: not ASCII, so refused
            domain = domain.encode("idna").decode("ascii")
    return f"{local}{at}{domain}"


def validate_canonical_email(value: str) -> None:
    """Refuses an address that is not a valid one in its canonical form (one message for both)."""
    try:
        validate_email(value)
    except ValidationError:
        raise ValidationError(EMAIL_FORMAT, code="invalid") from None
    if not value.isascii() or canonical_email(value) != value:
        raise ValidationError(EMAIL_FORMAT, code="invalid")


class EmailAddressFormField(forms.EmailField):
    """An email address as typed, turned into its canonical form before it is validated."""

    default_validators = [validate_canonical_email]

    def to_python(self, value):
        value = super().to_python(value)
        return canonical_email(value) if value else value


class EmailAddressField(models.EmailField):
    """An email address stored in its canonical form: cleaning and saving make it canonical, and
    so do lookups (CharField.get_prep_value goes through to_python), so `filter(email=typed)` finds
    the account whatever the spelling."""

    default_validators = [validate_canonical_email]

    def to_python(self, value):
        value = super().to_python(value)
        return canonical_email(value) if value else value

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if value:
            value = canonical_email(value)
            setattr(model_instance, self.attname, value)
        return value

    def formfield(self, **kwargs):
        return super().formfield(**{"form_class": EmailAddressFormField, **kwargs})


def canonical_email_check(field: str, name: str) -> models.CheckConstraint:
    """The database's half: an ASCII address without capital letters (its canonical form). The
    pattern is ASCII without capitals, which the field's own canonical lookup leaves as it is."""
    return models.CheckConstraint(
        condition=~models.Q(**{f"{field}__regex": r"[^\x21-\x7e]"}) & models.Q(**{field: Lower(field)}),
        name=name,
        violation_error_message=EMAIL_FORMAT,
    )


def axes_username(request, credentials) -> str | None:
    """django-axes' key for the address being tried: the same canonical form the lookup uses."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    return canonical_email(username) if isinstance(username, str) and username else None


def trusted_proxies() -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    """settings.TRUSTED_PROXIES (addresses or networks), parsed once per value."""
    return _networks(tuple(settings.TRUSTED_PROXIES))


@functools.lru_cache(maxsize=4)
def _networks(values: tuple[str, ...]) -> list[ipaddress.IPv4Network | ipaddress.IPv6Network]:
    return [ipaddress.ip_network(value, strict=False) for value in values]


def _address(value: str | None) -> ipaddress.IPv4Address | ipaddress.IPv6Address | None:
    try:
        return ipaddress.ip_address((value or "").strip())
    except ValueError:
        return None


def client_ip(request) -> str | None:
    """The address a request came from, for the lockout (django-axes) and the download logs.

    REMOTE_ADDR, unless it is one of settings.TRUSTED_PROXIES: then the proxy's X-Forwarded-For,
    read from the right, skipping our own proxies, up to the first address that is not one. Anyone
    else's X-Forwarded-For is ignored (it is whatever the client wrote), and so is a malformed one.
    """
    remote = _address(request.META.get("REMOTE_ADDR"))
    if remote is None:
        return None
    proxies = trusted_proxies()

    def trusted(address) -> bool:
        return any(address in network for network in proxies)

    if not trusted(remote):
        return str(remote)
    for hop in reversed(request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")):
        address = _address(hop)
        if address is None:
            break
        if not trusted(address):
            return str(address)
    return str(remote)
