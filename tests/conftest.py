import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_static.models import StaticDevice

from councils.models import Council
from ombudsman.settings import SHARED_DATA_DIR
from tests import factories, role_users


@pytest.fixture
def council(db):
    return role_users.council_a()


@pytest.fixture
def other_council(db):
    return role_users.council_b()


@pytest.fixture
def register(db):
    """The shared register (../shared/data: councils with their formal names, and successions),
    by GSS code; the test is skipped where the shared data is not present."""
    files = [SHARED_DATA_DIR / name for name in ("councils.csv", "formal_names.csv", "successions.csv")]
    if not all(path.exists() for path in files):
        pytest.skip("the shared register is not present")
    call_command("import_councils", str(files[0]), "--formal-names", str(files[1]))
    call_command("import_successions", str(files[2]))
    return {council.gss_code: council for council in Council.objects.all()}


@pytest.fixture
def caseworker(db):
    return role_users.caseworker()


@pytest.fixture
def manager(db):
    return role_users.manager()


@pytest.fixture
def second_manager(db):
    return factories.ManagerFactory(email="manager2@example.org")


@pytest.fixture
def superuser(db):
    return role_users.superuser()


@pytest.fixture
def council_user(db, council):
    return role_users.council_user(council)


@pytest.fixture
def other_council_user(db, other_council):
    return role_users.other_council_user(other_council)


ROLES = ["anonymous", "caseworker", "manager", "council_user", "other_council_user", "superuser"]


@pytest.fixture
def client_for(client, request):
    """client_for("manager") -> a test client signed in as that role's fixture user (anonymous: not signed in)."""

    def sign_in(role: str):
        if role != "anonymous":
            client.force_login(request.getfixturevalue(role))
        return client

    return sign_in


@pytest.fixture(autouse=True)
def _private_storage(settings, tmp_path):
    """Each test writes letters and uploads into its own folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": tmp_path / "private", "base_url": None}},
    }


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = role_users.FAST_PASSWORD_HASHERS


@pytest.fixture(autouse=True)
def _force_login_passes_second_factor(monkeypatch):
    """Tests that sign in with force_login are treated as having passed two-step verification
    (tests/ombudsman/test_two_factor.py covers the real sign-in with a code)."""
    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        device, _ = StaticDevice.objects.get_or_create(user=user, name="Test device", defaults={"confirmed": True})
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _empty_request_limits():
    """Request limits (ombudsman.ratelimit) count in the cache: each test starts from none."""
    from django.core.cache import cache

    if "LocMemCache" in settings.CACHES["default"]["BACKEND"]:
        cache.clear()


def unserialized_transactional_tests(items) -> list[str]:
    """Transactional tests that do not restore the database as they found it. Their flush leaves the
    seeded groups gone and, through post_migrate, content types with new ids, so every later
    transactional test fails to load its snapshot ("duplicate key ... django_content_type")."""
    found = []
    for item in items:
        marker = item.get_closest_marker("django_db")
        transactional = "transactional_db" in getattr(item, "fixturenames", ()) or (
            marker is not None and marker.kwargs.get("transaction")
        )
        if transactional and not (marker is not None and marker.kwargs.get("serialized_rollback")):
            found.append(item.nodeid)
    return found


def pytest_collection_modifyitems(config, items):
    found = unserialized_transactional_tests(items)
    if found:
        raise pytest.UsageError(
            "Mark transactional tests @pytest.mark.django_db(transaction=True, serialized_rollback=True): "
            + ", ".join(found)
        )
