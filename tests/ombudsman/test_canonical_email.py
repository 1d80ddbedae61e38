"""Email addresses in one canonical form, so look-alike letters neither dodge the lockout nor
reach an account (issue 12, item 1).

LOOK_ALIKES is every Unicode character outside ASCII whose upper or lower case holds an ASCII
letter (U+0131 dotless i -> "I", U+017F long s -> "S", U+212A Kelvin -> "k", U+FB00 -> "FF" ...), from Python's Unicode
tables, each with the ASCII letters it imitates. The account's address holds each of those as one
dot-separated part, so every look-alike has a spelling of the address to try.
"""

import importlib
import string
import sys
import unicodedata

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction
from django.urls import reverse

from councils.importing import contacts_import
from councils.models import Contact
from councils.services import contact_set
from ombudsman.auth import axes_username, canonical_email
from ombudsman.models import User
from tests import factories
from tests.factories import PASSWORD


def _imitated(character: str) -> str:
    """The ASCII letters a character's upper (or else lower) case holds, in lower case."""
    for cased in (character.upper(), character.lower()):
        letters = "".join(ch for ch in cased if ch in string.ascii_letters)
        if letters:
            return letters.lower()
    return ""


LOOK_ALIKES = {
    character: _imitated(character)
    for character in map(chr, range(0x80, sys.maxunicode + 1))
    if not 0xD800 <= ord(character) < 0xE000 and _imitated(character)
}
PARTS = sorted(set(LOOK_ALIKES.values()))
EMAIL = ".".join(PARTS) + "@example.org"


def spelling(character: str) -> str:
    """The account's address with the part the character imitates written with it."""
    parts = [character if part == LOOK_ALIKES[character] else part for part in PARTS]
    return ".".join(parts) + "@example.org"


FOLDING = [c for c in LOOK_ALIKES if canonical_email(spelling(c)) == EMAIL]  # one address with EMAIL
DISTINCT = [c for c in LOOK_ALIKES if c not in FOLDING]  # no ASCII canonical form: refused


def test_look_alikes_cover_the_known_ones():
    assert {"ı", "ſ", "\u212a", "ß", "ﬀ", "İ"} <= set(LOOK_ALIKES)
    assert len(LOOK_ALIKES) == 19
    assert {"ſ", "\u212a", "ß", "ﬀ", "ﬁ", "ﬂ", "ﬃ", "ﬄ", "ﬅ", "ﬆ"} == set(FOLDING)
    assert "ı" in DISTINCT and "İ" in DISTINCT


def test_canonical_email_is_stable_for_every_character():
    unstable = [
        hex(code)
        for code in range(sys.maxunicode + 1)
        if not 0xD800 <= code < 0xE000
        and canonical_email(canonical_email(f"a{chr(code)}@x.org")) != canonical_email(f"a{chr(code)}@x.org")
    ]

    assert unstable == []


def test_canonical_email_folds_case_compatibility_forms_and_domains():
    assert canonical_email("  Isis.Simmons@EXAMPLE.org ") == "isis.simmons@example.org"
    assert canonical_email("ſam@example.org") == "sam@example.org"
    assert canonical_email("ｍａｒｙ@example.org") == "mary@example.org"  # full-width letters
    assert canonical_email("anne@bücher.example") == "anne@xn--bcher-kva.example"
    assert canonical_email("ısis@example.org") == "ısis@example.org"  # not ASCII: refused where it matters


def sign_in(client, email, password, ip="10.0.0.1"):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


@pytest.fixture
def account(council):
    return factories.CouncilUserFactory(email=EMAIL, council=council)  # no second step by default


@pytest.mark.django_db
def test_sign_in_after_lockout_fails_under_every_look_alike_spelling(client, account):
    for _ in range(5):
        sign_in(client, EMAIL, "wrong")

    signed_in = []
    for character in LOOK_ALIKES:
        response = sign_in(client, spelling(character), PASSWORD)
        if response.status_code == 302 or "_auth_user_id" in client.session:
            signed_in.append(f"{character} (U+{ord(character):04X}): {response.status_code}")
            client.logout()

    assert signed_in == []


@pytest.mark.django_db
def test_sign_in_failures_under_folding_spellings_share_one_counter(client, account):
    for character in FOLDING[:5]:
        sign_in(client, spelling(character), "wrong")

    locked = sign_in(client, EMAIL, PASSWORD)

    assert locked.status_code == 429


@pytest.mark.django_db
def test_sign_in_with_a_folding_spelling_reaches_the_account(client, account):
    for character in FOLDING:
        response = sign_in(client, spelling(character), PASSWORD)

        assert response.status_code == 302, character
        assert client.session["_auth_user_id"] == str(account.pk)
        client.logout()


@pytest.mark.django_db
def test_sign_in_refuses_a_spelling_with_no_ascii_form(client, account):
    for character in DISTINCT:
        response = sign_in(client, spelling(character), PASSWORD)

        assert response.status_code == 200, character
        assert response.context["form"].errors == {
            "username": ["Enter an email address in the correct format, like name@example.com"]
        }, character


def test_axes_key_is_the_canonical_address(rf):
    request = rf.post("/sign-in/", {"username": spelling("ſ")})

    assert axes_username(request, None) == EMAIL
    assert axes_username(request, {"username": spelling("\u212a")}) == EMAIL


@pytest.mark.django_db
def test_no_second_account_under_a_look_alike_spelling(account):
    accepted = []
    for character in LOOK_ALIKES:
        user = User(email=spelling(character), password="x")
        try:
            user.full_clean()
        except ValidationError as error:
            assert list(error.message_dict) == ["email"], character
        else:
            accepted.append(character)

    assert accepted == []


@pytest.mark.django_db
def test_users_are_stored_and_found_by_the_canonical_form():
    user = User.objects.create_user("Mary.Ｓmith@EXAMPLE.org", "x")
    edited = factories.UserFactory(email="someone@example.org")
    edited.email = "Someone.Else@Example.org"
    edited.save()

    assert User.objects.get(pk=user.pk).email == "mary.smith@example.org"
    assert User.objects.get(pk=edited.pk).email == "someone.else@example.org"
    assert User.objects.get_by_natural_key("MARY.smith@example.org") == user
    with pytest.raises(ValidationError):
        User.objects.create_user("ısis@example.org", "x")


def set_email_in_sql(cursor, user, email):
    """Past the model (its field makes any address it saves or looks up canonical)."""
    cursor.execute("UPDATE ombudsman_user SET email = %s WHERE id = %s", [email, user.pk])


@pytest.mark.django_db
def test_database_refuses_an_address_that_is_not_canonical():
    user = factories.UserFactory(email="plain@example.org")

    for email in ("Plain@example.org", "plaın@example.org"):
        with pytest.raises(IntegrityError), transaction.atomic(), connection.cursor() as cursor:
            set_email_in_sql(cursor, user, email)


@pytest.mark.django_db
def test_createsuperuser_stores_the_canonical_form_and_refuses_a_second_spelling(monkeypatch):
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", "a-long-enough-password-2024")

    call_command("createsuperuser", email="Admin@Example.ORG", interactive=False, verbosity=0)

    assert User.objects.get().email == "admin@example.org"
    with pytest.raises(Exception, match="already taken"):
        call_command("createsuperuser", email="ADMIN@example.org", interactive=False, verbosity=0)


@pytest.mark.django_db
def test_contacts_and_council_users_are_canonical(council):
    contacts_import(
        f"gss_code,role,title,first_name,last_name,job_title,email\n{council.gss_code},link_officer,,A,B,,Link@Blaby.Example.org\n"
    )
    contact_set(council=council, role="leader", first_name="C", last_name="D", email="Leader@ﬂeet.example.org")

    call_command(
        "create_council_user",
        council.gss_code,
        contact_role="chief_executive",
        email="Chief.Executive@BLABY.example.org",
        first_name="Jane",
        last_name="Okoro",
        stdout=None,
    )

    assert sorted(Contact.objects.values_list("email", flat=True)) == [
        "chief.executive@blaby.example.org",
        "leader@fleet.example.org",
        "link@blaby.example.org",
    ]
    assert User.objects.get().email == "chief.executive@blaby.example.org"


MIGRATION = importlib.import_module("ombudsman.migrations.0003_user_email_canonical")


@pytest.mark.django_db
def test_migration_canonicalises_emails_and_refuses_collisions():
    single = factories.UserFactory(email="single@example.org")
    first = factories.UserFactory(email="isis@example.org")
    second = factories.UserFactory(email="other@example.org")
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE ombudsman_user DROP CONSTRAINT user_email_canonical")  # as before the migration
        set_email_in_sql(cursor, single, "Single@Example.org")
        set_email_in_sql(cursor, second, "Iſis@example.org")

    with pytest.raises(RuntimeError) as refused:
        MIGRATION.canonical_emails(apps, None)

    assert f"'isis@example.org' (id {first.pk}) and 'Iſis@example.org' (id {second.pk}) are one address" in str(
        refused.value
    )
    assert User.objects.get(pk=single.pk).email == "Single@Example.org"  # nothing changed
    with connection.cursor() as cursor:
        set_email_in_sql(cursor, second, "Other@example.org")
    MIGRATION.canonical_emails(apps, None)
    assert sorted(User.objects.values_list("email", flat=True)) == [
        "isis@example.org",
        "other@example.org",
        "single@example.org",
    ]


def test_canonical_form_is_nfkc_then_casefold():
    for character in LOOK_ALIKES:
        address = spelling(character)

        assert canonical_email(address) == unicodedata.normalize("NFKC", address).casefold()


@pytest.mark.django_db
def test_admin_refuses_a_new_account_under_another_spelling(client, superuser, caseworker):
    client.force_login(superuser)
    data = {"password1": "a-long-enough-password-2024", "password2": "a-long-enough-password-2024"}

    taken = client.post("/admin/ombudsman/user/add/", {**data, "email": "CaseWorker@Example.org"})
    created = client.post("/admin/ombudsman/user/add/", {**data, "email": "New.Person@Example.org"})

    assert taken.status_code == 200
    assert taken.context["adminform"].form.errors == {"email": ["User with this Email address already exists."]}
    assert created.status_code == 302
    assert User.objects.filter(email="new.person@example.org").exists()
