"""A whole site's worth of data for the page, load and memory benchmarks, in the review
benchmarks' own database (benchmarks.reviews_data): the councils register, 1,000,000 x scale
decisions, a published year (2023-24: every letter sent, publication date passed) and a year
under review (2024-25: every letter queued, with its frozen figures), and signed-in sessions
for a caseworker and a manager (second factor passed). Never the demo's database.

The letters of the published year are marked sent directly in SQL with a placeholder file
name and checksum (a fixture: these benchmarks time pages, not PDFs), so nothing is rendered.
"""

import datetime

from benchmarks import reviews_data

PUBLISHED, UNDER_REVIEW = "2023-24", "2024-25"


def prepare(scale: float) -> dict:
    """Fill the bench database (idempotent); returns what the benchmarks need to know."""
    from django.db import connection, transaction

    from ombudsman.periods import ReviewPeriod
    from reviews.letters import render
    from reviews.letters.years import new_year_defaults
    from reviews.models import AnnualLetter, ReviewYear

    reviews_data.councils_and_contacts()
    reviews_data.casework(max(10_000, round(1_000_000 * scale)))
    years = {}
    for label in (PUBLISHED, UNDER_REVIEW):
        period = ReviewPeriod.from_label(label)
        defaults = new_year_defaults(period)
        year, _ = ReviewYear.objects.get_or_create(label=label, defaults=defaults)
        if not AnnualLetter.objects.filter(review_year=year).exists():
            render.review_run_start(review_year=year, dispatch=False)
        years[label] = year
    published = years[PUBLISHED]
    if published.publication_date > datetime.date.today():  # pragma: no cover - defaults are in the past
        raise RuntimeError("the published benchmark year must have a publication date in the past")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "UPDATE reviews_annualletter SET status = 'sent', pdf_name = 'benchmark/placeholder.pdf', "
            "pdf_sha256 = repeat('0', 64), pdf_size = 1, sent_at = now() "
            "WHERE review_year_id = %s AND status <> 'sent'",
            [published.pk],
        )
    staff = _staff_users()
    gss_codes = list(
        AnnualLetter.objects.filter(review_year=published)
        .order_by("council__gss_code")
        .values_list("council__gss_code", flat=True)
    )
    return {"published": PUBLISHED, "under_review": UNDER_REVIEW, "gss_codes": gss_codes, **staff}


def _staff_users() -> dict:
    from django.contrib.auth.models import Group
    from django_otp.plugins.otp_static.models import StaticDevice

    from ombudsman.models import User
    from ombudsman.roles import Role

    users = {}
    for key, email, role in (
        ("caseworker", "bench.caseworker@example.org", Role.CASEWORKER),
        ("manager", "bench.manager@example.org", Role.MANAGER),
    ):
        user, _ = User.objects.get_or_create(email=email, defaults={"first_name": "Bench", "last_name": role.label})
        user.groups.add(Group.objects.get(name=role))
        device, _ = StaticDevice.objects.get_or_create(user=user, name="Benchmark", defaults={"confirmed": True})
        users[key] = user
        users[f"{key}_device"] = device
    return users


def session_cookie(user, device) -> str:
    """A session key for `user` that has passed the second factor (for clients in other processes)."""
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore
    from django_otp import DEVICE_ID_SESSION_KEY

    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.set_expiry(4 * 60 * 60)
    session.create()
    return session.session_key


def database_url() -> str:
    """A DATABASE_URL for the bench database, for processes started by a benchmark."""
    from urllib.parse import quote

    from django.db import connection

    settings = connection.settings_dict
    user = quote(settings.get("USER") or "postgres")
    password = quote(settings.get("PASSWORD") or "")
    credentials = f"{user}:{password}@" if password else f"{user}@"
    host = settings.get("HOST") or ""
    port = settings.get("PORT") or ""
    if host.startswith("/"):
        suffix = f"?host={quote(host)}" + (f"&port={port}" if port else "")
        return f"postgres://{credentials}/{settings['NAME']}{suffix}"
    return f"postgres://{credentials}{host}{':' + str(port) if port else ''}/{settings['NAME']}"
