"""The database going away for a moment: during a web request that writes, for a request while it
cannot be reached at all, and under a worker in the middle of rendering a letter.

A request gets the service's error page (500, no traceback, "nothing half saved") and nothing it
began is kept; the next request works. A task whose connection is cut is retried by Celery and
the retry completes the letter, with no letter left `rendering` and no stray file.
"""

import datetime

import pytest
from django.db import OperationalError, close_old_connections, connection, connections
from django.test import Client
from django.urls import reverse

from complaints.models import Complaint, ReferenceCounter
from complaints.services import cases as case_services
from reviews.letters import render, storage
from reviews.models import AnnualLetter, LetterStatus
from reviews.tasks import letter_render_task
from tests import factories
from tests.faults.harness import (
    Worker,
    assert_every_pdf_is_the_one_recorded,
    free_port,
    own_redis_db,
    producer,
    ready_count,
    redis_url_or_skip,
    report,
    run_outcome,
    temporary_files,
    terminate_worker_connections,
    wait_until,
    workers_stopped_at_exit,
)
from tests.reviews.letters.test_render import councils_with_chief_executives, queued_letter, retries_in_process  # noqa: F401 - a fixture
from tests.security.access import history_events

ERROR_PAGE = "Sorry, there is a problem with the service"


def new_case(council) -> dict:
    received = datetime.date(2022, 5, 3)
    return {
        "council": council.pk,
        "received_on_day": received.day,
        "received_on_month": received.month,
        "received_on_year": received.year,
        "category": factories.category("housing").pk,
        "complainant_name": "Grace Hopper",
        "summary": "The council did not reply.",
        "assigned_to": "",
    }


def stored() -> tuple:
    return (
        Complaint.objects.count(),
        list(ReferenceCounter.objects.order_by("pk").values_list("pk", "last_number")),
        history_events(),
    )


def cut_this_process_off() -> None:
    """pg_terminate_backend on this process's own connection, from another connection."""
    pid = connection.connection.info.backend_pid
    other = connections.create_connection("default")
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_terminate_backend(%s)", [pid])
    finally:
        other.close()


def assert_error_page(response) -> None:
    body = response.content.decode()
    assert response.status_code == 500
    assert ERROR_PAGE in body and "half saved" in body
    assert "Traceback" not in body and "OperationalError" not in body


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_connection_lost_in_the_middle_of_a_write_request_shows_the_error_page_and_keeps_nothing(
    council, caseworker, monkeypatch
):
    client = Client(raise_request_exception=False)
    client.force_login(caseworker)
    reserve = case_services.reference_next

    def reserve_then_lose_the_database(received_on):
        reference = reserve(received_on)  # the reference counter row is written in the request's transaction
        cut_this_process_off()
        return reference

    monkeypatch.setattr(case_services, "reference_next", reserve_then_lose_the_database)
    before = stored()

    response = client.post(reverse("complaints:case-create"), new_case(council))
    close_old_connections()  # Django does this when every request finishes: the dead connection goes

    assert_error_page(response)
    assert stored() == before
    monkeypatch.undo()
    again = client.post(reverse("complaints:case-create"), new_case(council))
    assert again.status_code == 302 and Complaint.objects.count() == before[0] + 1
    report("Database connection cut mid-request (case create)", "500 error page, 0 rows kept, next request 302")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_database_unreachable_shows_the_error_page_and_health_check_fails_then_recovers(manager):
    client = Client(raise_request_exception=False)
    client.force_login(manager)
    pages = [reverse("published:home"), reverse("complaints:case-list"), reverse("councils:council-list")]
    real = dict(connection.settings_dict)
    connection.close()
    connection.settings_dict.update(HOST="127.0.0.1", PORT=str(free_port()))  # nothing listens there
    try:
        down = [client.get(page) for page in pages]
        health_down = Client().get(reverse("healthz"))  # as the container's probe asks: no session
    finally:
        connection.close()
        connection.settings_dict.update(HOST=real["HOST"], PORT=real["PORT"])

    for response in down:
        assert_error_page(response)
    assert (health_down.status_code, health_down.json()) == (503, {"status": "database unavailable"})
    assert [client.get(page).status_code for page in pages] == [200, 200, 200]
    assert client.get(reverse("healthz")).status_code == 200
    report("Database unreachable for requests", f"{len(pages)} pages: 500 error page, health 503; after: 200")


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_worker_database_connection_cut_during_a_render_is_retried_to_completion(tmp_path):
    broker = own_redis_db(redis_url_or_skip())
    review_year = factories.ReviewYearFactory(label="2019-20")
    councils = councils_with_chief_executives(3)
    worker = Worker(
        "db",
        broker,
        tmp_path,
        concurrency=1,
        FAULT_SLOW_PDF_WRITE="5",
        FAULT_SLOW_PDF_WRITES="1",
        FAULT_RETRY_SECONDS="1",
    )

    with producer(broker), workers_stopped_at_exit(worker):
        worker.start()
        render.review_run_start(review_year=review_year)
        wait_until(
            lambda: bool(temporary_files()), timeout=120, what="a PDF written, not yet renamed", workers=[worker]
        )
        hit = AnnualLetter.objects.get(review_year=review_year, status=LetterStatus.RENDERING)
        cut = terminate_worker_connections()
        # No sweep here: the task's own retry must finish the letter.
        wait_until(lambda: ready_count(review_year) == 3, timeout=120, what="every letter ready", workers=[worker])

    hit.refresh_from_db()
    outcome = run_outcome(review_year, councils)
    report(
        "Worker database connection cut during a render",
        f"runs 1, {outcome}; connections cut {cut}; the letter hit took {hit.attempts} attempts",
    )
    assert cut >= 1
    assert (outcome.letters, outcome.ready, outcome.duplicates, outcome.lost) == (3, 3, 0, 0)
    assert hit.attempts == 2
    assert outcome.orphan_files == 0 and temporary_files() == set()
    assert_every_pdf_is_the_one_recorded(review_year)


@pytest.mark.django_db
@pytest.mark.usefixtures("retries_in_process")
def test_render_whose_last_step_fails_gives_its_claim_back_so_the_retry_renders(monkeypatch):
    """The same fault in process: the database fails in the transaction that marks the letter ready."""
    letter = queued_letter(factories.ReviewYearFactory(label="2019-20"))
    real_replace = storage.os.replace
    calls = []

    def database_gone_once(source, target):
        calls.append(target)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real_replace(source, target)

    monkeypatch.setattr(storage.os, "replace", database_gone_once)

    letter_render_task.apply(args=[letter.pk])

    letter.refresh_from_db()
    assert (letter.status, letter.attempts, len(calls)) == (LetterStatus.READY, 2, 2)
    assert temporary_files() == set()
