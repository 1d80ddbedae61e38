"""The councils and users behind the role fixtures of tests/conftest.py, as plain functions so that
a fixture of wider scope can build the same ones once (the URL matrix's world,
tests/security/test_url_matrix.py)."""

from tests import factories

# Tests hash passwords with MD5: the real hashers take a tenth of a second a password on purpose.
FAST_PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def council_a():
    return factories.CouncilFactory(name="Blaby", formal_name="Blaby District Council", gss_code="E07000129")


def council_b():
    return factories.CouncilFactory(
        name="Leicester", formal_name="Leicester City Council", gss_code="E06000016", authority_type="unitary"
    )


def caseworker():
    return factories.CaseworkerFactory(email="caseworker@example.org")


def manager():
    return factories.ManagerFactory(email="manager@example.org")


def superuser():
    return factories.SuperuserFactory(email="admin@example.org")


def council_user(council):
    return factories.CouncilUserFactory(email="ceo@blaby.example.org", council=council)


def other_council_user(other_council):
    return factories.CouncilUserFactory(email="ceo@leicester.example.org", council=other_council)
