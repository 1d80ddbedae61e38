"""The status each signed-in role (tests.conftest.ROLES, through client_for) gets from a page behind
one access rule, for `@pytest.mark.parametrize(("role", "expected"), ...)`. A visitor who is not
signed in is sent to sign in (302)."""

STAFF_ONLY = [
    ("anonymous", 302),
    ("caseworker", 200),
    ("manager", 200),
    ("superuser", 200),
    ("council_user", 403),
    ("other_council_user", 403),
]
MANAGER_ONLY = [
    ("anonymous", 302),
    ("caseworker", 403),
    ("manager", 200),
    ("superuser", 200),
    ("council_user", 403),
    ("other_council_user", 403),
]
