"""The whole-year job: runs, claims, retries, the sweep, the commands, and a real worker."""

import datetime
import hashlib
import io
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path
from urllib.parse import quote

import pytest
from django.core.exceptions import ValidationError
from django.core.files.storage import storages
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import OperationalError, connection
from django.utils import timezone
from django.utils.html import strip_tags

from complaints.models import Outcome
from reviews import policy, selectors
from reviews.approval import services as approval
from reviews.letters import pdf, render, years
from reviews.models import AnnualLetter, LetterStatus, ReviewRun
from reviews.tasks import letter_render_task
from tests import factories

Status = LetterStatus


def decide(council, day=datetime.date(2019, 9, 1), **traits):
    complaint = factories.ComplaintFactory(council=council, received_on=day - datetime.timedelta(days=20))
    return factories.DecisionFactory(complaint=complaint, decided_on=day, **traits)


def councils_with_chief_executives(count: int, **values) -> list:
    councils = [factories.CouncilFactory(**values) for _ in range(count)]
    for council in councils:
        factories.ContactFactory(council=council)
    return councils


@pytest.fixture
def year(db):
    return factories.ReviewYearFactory(label="2019-20")


def run(review_year, capture, by=None):
    with capture(execute=True):
        return render.review_run_start(review_year=review_year, by=by)


@pytest.mark.django_db
def test_run_renders_one_letter_per_active_council(year, manager, django_capture_on_commit_callbacks):
    councils = councils_with_chief_executives(3)
    decide(councils[0], upheld=True)

    review_run = run(year, django_capture_on_commit_callbacks, by=manager)

    letters = AnnualLetter.objects.filter(review_year=year)
    assert review_run.queued == 3
    assert sorted(letters.values_list("council_id", flat=True)) == sorted(c.pk for c in councils)
    assert set(letters.values_list("status", "version")) == {(Status.READY, 1)}
    letter = letters.get(council=councils[0])
    data = storages["private"].open(letter.pdf_name).read()
    assert data.startswith(b"%PDF-1.7")
    assert letter.pdf_sha256 == hashlib.sha256(data).hexdigest()
    assert letter.pdf_size == len(data)
    assert letter.generated_by == manager
    assert letter.snapshot["counts"]["upheld"] == 1


@pytest.mark.django_db
def test_running_twice_creates_no_duplicates_and_renders_nothing_new(year, django_capture_on_commit_callbacks):
    councils_with_chief_executives(2)
    run(year, django_capture_on_commit_callbacks)
    generated = dict(AnnualLetter.objects.values_list("pk", "generated_at"))

    second = run(year, django_capture_on_commit_callbacks)

    assert second.queued == 0
    assert AnnualLetter.objects.count() == 2
    assert dict(AnnualLetter.objects.values_list("pk", "generated_at")) == generated


@pytest.mark.django_db
def test_rerun_renders_only_out_of_date_drafts_as_the_same_version(year, django_capture_on_commit_callbacks):
    changed, approved = councils_with_chief_executives(2)
    unchanged = councils_with_chief_executives(1, authority_type="unitary")[0]  # another type: its average stays
    run(year, django_capture_on_commit_callbacks)
    AnnualLetter.objects.filter(council=approved).update(status=Status.APPROVED)
    decide(changed, upheld=True)
    decide(approved, upheld=True)
    before = dict(AnnualLetter.objects.values_list("council_id", "generated_at"))

    second = run(year, django_capture_on_commit_callbacks)

    after = {letter.council_id: letter for letter in AnnualLetter.objects.all()}
    assert second.queued == 1
    assert after[changed.pk].version == 1 and after[changed.pk].generated_at > before[changed.pk]
    assert after[changed.pk].snapshot["counts"]["upheld"] == 1
    assert after[unchanged.pk].generated_at == before[unchanged.pk]
    assert after[approved.pk].status == Status.APPROVED
    assert after[approved.pk].snapshot["counts"]["upheld"] == 0  # frozen
    assert selectors.letters_out_of_date(year) == {after[approved.pk].pk}


@pytest.mark.django_db
def test_run_is_blocked_by_missing_chief_executive(year, django_capture_on_commit_callbacks):
    councils_with_chief_executives(1)
    without = factories.CouncilFactory()

    with pytest.raises(render.ReviewBlocked) as blocked:
        run(year, django_capture_on_commit_callbacks)

    assert [problem.key for problem in blocked.value.report.blocking] == ["council_without_chief_executive"]
    assert blocked.value.report.blocking[0].examples == [{"text": str(without), "gss_code": without.gss_code}]
    assert not AnnualLetter.objects.exists()
    assert not ReviewRun.objects.exists()


@pytest.mark.django_db
def test_quality_warnings_do_not_block(django_capture_on_commit_callbacks):
    review_year = factories.ReviewYearFactory(label="2022-23")  # shows per 100,000
    councils_with_chief_executives(1)

    review_run = run(review_year, django_capture_on_commit_callbacks)

    assert review_run.queued == 1


def queued_letter(review_year) -> AnnualLetter:
    council = councils_with_chief_executives(1)[0]
    render.review_run_start(review_year=review_year, dispatch=False)
    return AnnualLetter.objects.get(council=council)


@pytest.fixture
def retries_in_process():
    """Eager retries re-run the task in process; propagating errors would cut the chain short."""
    from ombudsman.celery import app

    before = app.conf.task_eager_propagates
    app.conf.task_eager_propagates = False
    yield
    app.conf.task_eager_propagates = before


@pytest.mark.django_db
@pytest.mark.usefixtures("retries_in_process")
def test_render_task_retries_transient_errors_then_marks_failed(year, monkeypatch):
    letter = queued_letter(year)
    calls = []

    def broken(snapshot):
        calls.append(1)
        raise OSError("disk full")

    monkeypatch.setattr(pdf, "letter_pdf", broken)

    result = letter_render_task.apply(args=[letter.pk])

    letter.refresh_from_db()
    assert result.state == "FAILURE"
    assert len(calls) == letter_render_task.max_retries + 1
    assert letter.status == Status.FAILED
    assert letter.error == "OSError: disk full"
    assert not letter.pdf_name


@pytest.mark.django_db
@pytest.mark.usefixtures("retries_in_process")
def test_render_task_succeeds_on_retry_after_a_transient_error(year, monkeypatch):
    letter = queued_letter(year)
    real = pdf.letter_pdf
    calls = []

    def flaky(snapshot):
        calls.append(1)
        if len(calls) == 1:
            raise OperationalError("server closed the connection unexpectedly")
        return real(snapshot)

    monkeypatch.setattr(pdf, "letter_pdf", flaky)

    letter_render_task.apply(args=[letter.pk])

    letter.refresh_from_db()
    assert len(calls) == 2
    assert (letter.status, letter.attempts) == (Status.READY, 2)


@pytest.mark.django_db
@pytest.mark.usefixtures("retries_in_process")
def test_render_task_fails_at_once_on_other_errors(year, monkeypatch):
    letter = queued_letter(year)
    calls = []

    def bug(snapshot):
        calls.append(1)
        raise KeyError("figures")

    monkeypatch.setattr(pdf, "letter_pdf", bug)

    letter_render_task.apply(args=[letter.pk])

    letter.refresh_from_db()
    assert len(calls) == 1
    assert letter.status == Status.FAILED
    assert "KeyError" in letter.error


@pytest.mark.django_db
def test_only_the_claimant_renders(year):
    letter = queued_letter(year)
    AnnualLetter.objects.filter(pk=letter.pk).update(status=Status.RENDERING, claimed_at=timezone.now())

    rendered = render.letter_render(letter_id=letter.pk)

    letter.refresh_from_db()
    assert rendered is False
    assert letter.status == Status.RENDERING
    assert not letter.pdf_name


@pytest.mark.django_db
def test_retry_action_requeues_failed_letters(year, django_capture_on_commit_callbacks):
    letter = queued_letter(year)
    render.letter_mark_failed(letter_id=letter.pk, error="boom")

    with django_capture_on_commit_callbacks(execute=True):
        render.letters_retry(letters=[letter])

    letter.refresh_from_db()
    assert (letter.status, letter.error) == (Status.READY, "")


@pytest.mark.django_db
def test_sweep_requeues_a_stuck_letter(year, django_capture_on_commit_callbacks):
    letter = queued_letter(year)
    recent = queued_letter(year)
    long_ago = timezone.now() - policy.STUCK_AFTER - datetime.timedelta(seconds=1)
    AnnualLetter.objects.filter(pk=letter.pk).update(status=Status.RENDERING, claimed_at=long_ago, attempts=1)
    AnnualLetter.objects.filter(pk=recent.pk).update(status=Status.RENDERING, claimed_at=timezone.now())

    with django_capture_on_commit_callbacks(execute=True):
        requeued = render.letters_sweep_stuck()

    letter.refresh_from_db()
    recent.refresh_from_db()
    assert requeued == [letter.pk]
    assert (letter.status, letter.attempts) == (Status.READY, 2)
    assert recent.status == Status.RENDERING


@pytest.mark.django_db
def test_letter_that_keeps_killing_workers_is_failed_after_max_attempts(year):
    letter = queued_letter(year)
    AnnualLetter.objects.filter(pk=letter.pk).update(attempts=policy.MAX_ATTEMPTS)

    render.letter_render(letter_id=letter.pk)

    letter.refresh_from_db()
    assert letter.status == Status.FAILED
    assert "attempts" in letter.error


@pytest.mark.django_db
def test_failed_write_leaves_no_file_under_the_letter_name(year, monkeypatch):
    letter = queued_letter(year)

    def killed(fd):
        raise OSError("killed mid-write")

    monkeypatch.setattr(os, "fsync", killed)

    with pytest.raises(OSError):
        render.letter_render(letter_id=letter.pk)

    folder = Path(storages["private"].path("letters"))
    assert [path.name for path in folder.rglob("*") if path.is_file()] == []
    letter.refresh_from_db()
    assert letter.status == Status.PENDING  # given back for the retry


@pytest.mark.django_db
def test_paragraph_requeues_draft_and_is_refused_once_approved(year, django_capture_on_commit_callbacks):
    council = councils_with_chief_executives(1)[0]
    run(year, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        approval.council_paragraph_set(review_year=year, council=council, text="Remedies were late.\r\n")

    letter = AnnualLetter.objects.get(council=council)
    assert (letter.status, letter.snapshot["paragraph"]) == (Status.READY, "Remedies were late.")
    AnnualLetter.objects.filter(pk=letter.pk).update(status=Status.APPROVED)
    with pytest.raises(ValidationError, match="Reissue"):
        approval.council_paragraph_set(review_year=year, council=council, text="Changed")


@pytest.mark.django_db
def test_year_settings_are_locked_once_a_letter_is_approved(year, django_capture_on_commit_callbacks):
    councils_with_chief_executives(1)
    run(year, django_capture_on_commit_callbacks)
    years.review_year_update(review_year=year, average_method="mean")
    AnnualLetter.objects.update(status=Status.APPROVED)

    with pytest.raises(ValidationError, match="approved"):
        years.review_year_update(review_year=year, average_method="pooled")

    year.refresh_from_db()
    assert year.average_method == "mean"


@pytest.mark.django_db
def test_letter_constraint_one_live_version_per_council_and_year(year):
    letter = queued_letter(year)

    with pytest.raises(Exception, match="letter_one_live_per_council_year"):
        AnnualLetter.objects.create(council=letter.council, review_year=year, version=2, snapshot={})


@pytest.mark.django_db
def test_run_review_command_renders_everything_and_export_letter_writes_it(tmp_path, council):
    factories.ContactFactory(council=council)
    decide(council, upheld=True)
    decide(council, outcome=Outcome.NOT_UPHELD)
    out = io.StringIO()

    call_command("run_review", "2019-20", "--letter-date", "2020-07-22", "--processes", "1", stdout=out)
    call_command("export_letter", "--council", council.gss_code, "--year", "2019-20", "--out", tmp_path / "l.pdf")
    call_command(
        "export_letter",
        "--council",
        council.gss_code,
        "--year",
        "2019-20",
        "--out",
        tmp_path / "l.html",
        "--format",
        "html",
    )

    assert "All 1 letters for 2019-20 are ready." in out.getvalue()
    letter = AnnualLetter.objects.get()
    assert hashlib.sha256((tmp_path / "l.pdf").read_bytes()).hexdigest() == letter.pdf_sha256
    html = (tmp_path / "l.html").read_text()
    assert "50% of complaints we investigated were upheld." in strip_tags(html)  # the figure is set large
    assert "22 July 2020" in html


@pytest.mark.django_db
def test_run_review_command_fails_listing_letters_not_ready(council, monkeypatch):
    factories.ContactFactory(council=council)

    def broken(snapshot):
        raise ValueError("template exploded")

    monkeypatch.setattr(pdf, "letter_pdf", broken)
    err = io.StringIO()

    with pytest.raises(CommandError, match="1 of 1 letters for 2019-20 are not ready"):
        call_command("run_review", "2019-20", "--processes", "1", stdout=io.StringIO(), stderr=err)

    assert f"{council.gss_code} Blaby District Council: failed: ValueError: template exploded" in err.getvalue()


@pytest.mark.django_db
def test_run_review_command_reports_blocking_problems(council):
    err = io.StringIO()

    with pytest.raises(CommandError, match="cannot run"):
        call_command("run_review", "2019-20", stdout=io.StringIO(), stderr=err)

    assert "Active councils without a chief executive: 1." in err.getvalue()


def database_url() -> str:
    settings = connection.settings_dict
    host = settings["HOST"] or "localhost"
    host = quote(host, safe="") if host.startswith("/") else host
    auth = quote(settings["USER"] or "", safe="")
    if settings["PASSWORD"]:
        auth += ":" + quote(settings["PASSWORD"], safe="")
    port = f":{settings['PORT']}" if settings["PORT"] else ""
    return f"postgres://{auth}@{host}{port}/{settings['NAME']}"


def separate_redis_db(url: str) -> str:
    """The same Redis server, another database: a stray worker on the usual one cannot take our tasks."""
    base = url.rsplit("/", 1)[0] if url.count("/") > 2 else url
    return f"{base}/13"


@pytest.mark.slow
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_run_through_a_real_worker_and_redis(tmp_path):
    if not os.environ.get("REDIS_URL"):
        pytest.skip("REDIS_URL is not set: this test needs a Redis server (CI sets it)")
    from ombudsman.celery import app

    broker = separate_redis_db(os.environ["REDIS_URL"])
    before = (app.conf.task_always_eager, app.conf.broker_url)
    app.conf.task_always_eager, app.conf.broker_url = False, broker
    app._pool = app.amqp._producer_pool = None  # connect to the broker named above
    review_year = factories.ReviewYearFactory(label="2019-20")
    councils = councils_with_chief_executives(3)
    decide(councils[0], upheld=True)
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "REDIS_URL": broker,
        "CELERY_BROKER_URL": broker,
        "CELERY_EAGER": "0",
        "OMBUDSMAN_VAR_DIR": str(tmp_path / "worker"),
    }
    worker = subprocess.Popen(
        [
            *(sys.executable, "-m", "celery", "-A", "ombudsman", "worker", "--concurrency", "2"),
            *("--loglevel", "WARNING", "--without-gossip", "--without-mingle"),
            *("--hostname", f"test-{uuid.uuid4().hex[:8]}@%h"),
        ],
        env=env,
        cwd=Path(__file__).resolve().parents[3],
    )
    try:
        review_run = render.review_run_start(review_year=review_year)
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline and not selectors.run_progress(review_run).finished:
            assert worker.poll() is None, "the worker stopped"
            time.sleep(0.5)
        progress = selectors.run_progress(review_run)
    finally:
        app.conf.task_always_eager, app.conf.broker_url = before
        app._pool = app.amqp._producer_pool = None
        worker.terminate()
        try:
            worker.wait(timeout=30)
        except subprocess.TimeoutExpired:
            worker.kill()

    assert (progress.total, progress.done, progress.failed) == (3, 3, 0)
    letter = AnnualLetter.objects.get(council=councils[0])
    stored = tmp_path / "worker" / "private" / letter.pdf_name
    assert hashlib.sha256(stored.read_bytes()).hexdigest() == letter.pdf_sha256


@pytest.mark.django_db
def test_run_review_command_sets_the_year_up_and_refuses_changes_after_approval(council):
    factories.ContactFactory(council=council)

    call_command(
        "run_review", "2019-20", "--average-method", "mean", "--publication-date", "2020-08-01", stdout=io.StringIO()
    )
    AnnualLetter.objects.update(status=Status.APPROVED)

    year = factories.ReviewYearFactory(label="2019-20")
    assert (year.average_method, year.publication_date) == ("mean", datetime.date(2020, 8, 1))
    with pytest.raises(CommandError, match="can no longer be changed"):
        call_command("run_review", "2019-20", "--average-method", "pooled", stdout=io.StringIO())
