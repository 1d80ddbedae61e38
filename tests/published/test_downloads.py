"""The public's letter downloads: limited per client address (a 429 with Retry-After) and counted
per letter and day, one row each, not one row per download (issue 12, hardening)."""

import datetime
import threading

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from ombudsman import ratelimit
from reviews.downloads import public_download_count
from reviews.models import LetterDownload, LetterDownloadDay
from tests import factories
from tests.reviews.published import publish, sent_letter
from tests.utils import count_queries

PROXY = "172.28.0.10"


@pytest.fixture
def letter(council):
    review_year = factories.ReviewYearFactory(label="2019-20")
    sent = sent_letter(council, review_year)
    publish(review_year)
    return sent


def pdf_url(letter) -> str:
    return reverse("published:letter-pdf", args=[letter.council.gss_code, letter.review_year.label])


@pytest.mark.django_db
def test_public_downloads_are_counted_per_letter_and_day_in_one_row(client, letter, council):
    for _ in range(3):
        assert client.get(pdf_url(letter)).status_code == 200
    public_download_count(letter=letter, day=datetime.date(2020, 8, 1))

    assert sorted(LetterDownloadDay.objects.values_list("day", "count")) == [
        (datetime.date(2020, 8, 1), 1),
        (timezone.localdate(), 3),
    ]
    assert not LetterDownload.objects.exists()  # nothing per download, no address kept


@pytest.mark.django_db
def test_counting_a_download_is_one_statement(letter):
    public_download_count(letter=letter)

    assert count_queries(lambda: public_download_count(letter=letter)) == 1
    assert LetterDownloadDay.objects.get().count == 2


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_concurrent_downloads_all_count(council):
    letter = sent_letter(council, factories.ReviewYearFactory(label="2019-20"))
    threads, per_thread, errors = 6, 10, []
    start = threading.Barrier(threads)

    def download():
        try:
            start.wait()
            for _ in range(per_thread):
                public_download_count(letter=letter)
        except Exception as error:  # noqa: BLE001 -- reported below
            errors.append(error)
        finally:
            connection.close()

    workers = [threading.Thread(target=download) for _ in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()

    assert errors == []
    assert list(LetterDownloadDay.objects.values_list("count", flat=True)) == [threads * per_thread]


@pytest.mark.django_db
def test_downloads_over_the_limit_get_a_429_with_retry_after(client, letter, settings):
    settings.PUBLIC_DOWNLOAD_LIMIT, settings.PUBLIC_DOWNLOAD_WINDOW = 3, 300

    allowed = [client.get(pdf_url(letter), REMOTE_ADDR="198.51.100.7").status_code for _ in range(3)]
    refused = client.get(pdf_url(letter), REMOTE_ADDR="198.51.100.7")
    elsewhere = client.get(pdf_url(letter), REMOTE_ADDR="198.51.100.8")

    assert allowed == [200, 200, 200]
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 300
    assert "Sorry, too many requests" in refused.text
    assert "You have downloaded letters too many times in a short time" in refused.text
    assert elsewhere.status_code == 200
    assert LetterDownloadDay.objects.get().count == 4  # the refused one was not counted


@pytest.mark.django_db
def test_limit_counts_the_client_behind_a_trusted_proxy_only(client, letter, settings):
    settings.PUBLIC_DOWNLOAD_LIMIT, settings.TRUSTED_PROXIES = 1, [PROXY]

    def get(remote, forwarded):
        return client.get(pdf_url(letter), REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded).status_code

    through_proxy = [get(PROXY, "203.0.113.5"), get(PROXY, "203.0.113.6"), get(PROXY, "203.0.113.5")]
    direct = [get("198.51.100.7", "203.0.113.7"), get("198.51.100.7", "203.0.113.8")]

    assert through_proxy == [200, 200, 429]
    assert direct == [200, 429]  # a made-up X-Forwarded-For is not a new address


@pytest.mark.django_db
def test_an_unknown_letter_is_not_counted(client, letter, settings):
    settings.PUBLIC_DOWNLOAD_LIMIT = 1
    missing = reverse("published:letter-pdf", args=["E99999999", "2019-20"])

    assert [client.get(missing).status_code for _ in range(3)] == [404, 404, 404]
    assert client.get(pdf_url(letter)).status_code == 200


def test_the_window_starts_again_after_it_ends():
    def over(now):
        return ratelimit.over_limit(scope="test", address="192.0.2.1", limit=2, window=60, now=now)

    assert [over(6000.0), over(6010.0), over(6015.5)] == [0, 0, 45]
    assert over(6060.0) == 0


@pytest.mark.parametrize(
    ("address", "key"),
    [
        ("192.0.2.1", "192.0.2.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2::/64"),
        ("2001:db8:1:2:ffff::1", "2001:db8:1:2::/64"),
        ("::ffff:192.0.2.1", "192.0.2.1"),
        (None, "unknown"),
        ("not an address", "unknown"),
    ],
)
def test_an_ipv6_client_is_counted_by_its_64_network(address, key):
    assert ratelimit.client_key(address) == key
