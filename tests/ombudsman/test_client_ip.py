"""The client's address behind a proxy (ombudsman.auth.client_ip): X-Forwarded-For is believed
only from settings.TRUSTED_PROXIES, for the lockout and for the download logs, both ways."""

import pytest
from django.urls import reverse

from ombudsman.auth import client_ip
from reviews.models import LetterDownload
from tests import factories
from tests.factories import PASSWORD
from tests.reviews.published import sent_letter

PROXY = "172.28.0.10"


@pytest.fixture
def behind_proxy(settings):
    settings.TRUSTED_PROXIES = [PROXY, "10.9.0.0/16"]


@pytest.mark.parametrize(
    ("remote", "forwarded", "expected"),
    [
        ("198.51.100.7", "", "198.51.100.7"),
        ("198.51.100.7", "203.0.113.5", "198.51.100.7"),  # not a proxy of ours: its header is ignored
        (PROXY, "203.0.113.5", "203.0.113.5"),
        (PROXY, "1.2.3.4, 203.0.113.5", "203.0.113.5"),  # the first hop from the right that is not ours
        (PROXY, "203.0.113.5, 10.9.3.4", "203.0.113.5"),  # behind two of ours
        (PROXY, "", PROXY),
        (PROXY, "not-an-address", PROXY),
        (PROXY, "1.2.3.4, garbage, 10.9.3.4", PROXY),
        (PROXY, "2001:db8::1", "2001:db8::1"),
    ],
)
def test_client_ip_believes_forwarded_for_only_from_trusted_proxies(rf, behind_proxy, remote, forwarded, expected):
    request = rf.get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded)

    assert client_ip(request) == expected


def test_client_ip_without_trusted_proxies_is_the_peer(rf, settings):
    settings.TRUSTED_PROXIES = []

    assert client_ip(rf.get("/", REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR="203.0.113.5")) == PROXY


def sign_in(client, password, *, remote, forwarded):
    return client.post(
        reverse("login"),
        {"username": "caseworker@example.org", "password": password},
        REMOTE_ADDR=remote,
        HTTP_X_FORWARDED_FOR=forwarded,
    )


@pytest.mark.django_db
def test_lockout_behind_the_proxy_is_per_client(client, caseworker, behind_proxy):
    for _ in range(5):
        sign_in(client, "wrong", remote=PROXY, forwarded="203.0.113.5")

    locked = sign_in(client, PASSWORD, remote=PROXY, forwarded="203.0.113.5")
    other_client = sign_in(client, PASSWORD, remote=PROXY, forwarded="203.0.113.6")

    assert locked.status_code == 429
    assert other_client.status_code == 302


@pytest.mark.django_db
def test_lockout_ignores_forwarded_for_from_anyone_else(client, caseworker, behind_proxy):
    for index in range(5):
        sign_in(client, "wrong", remote="198.51.100.7", forwarded=f"203.0.113.{index}")

    locked = sign_in(client, PASSWORD, remote="198.51.100.7", forwarded="203.0.113.99")

    assert locked.status_code == 429


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("remote", "expected"), [(PROXY, "203.0.113.5"), ("198.51.100.7", "198.51.100.7")], ids=["proxy", "direct"]
)
def test_download_log_records_the_client_behind_a_trusted_proxy_only(
    client_for, council, council_user, behind_proxy, remote, expected
):
    letter = sent_letter(council, factories.ReviewYearFactory(label="2019-20"))

    response = client_for("council_user").get(
        reverse("portal:letter-pdf", args=[letter.pk]), REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR="203.0.113.5"
    )

    assert response.status_code == 200
    assert LetterDownload.objects.get().ip_address == expected
