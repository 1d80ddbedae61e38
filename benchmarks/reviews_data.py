"""The benchmarks' own databases (use_bench_database, used by every benchmark) and the review benchmarks' casework.

The database is `ombudsman_bench_reviews` on the app's PostgreSQL server, created and migrated
on first use through Django's test-database machinery and kept between runs; the demo's
database is never touched. Casework is generated in SQL with triggers off for this session
(a benchmark fixture, correct by construction): complaints and current decisions spread over
ten review years (2015-16 .. 2024-25) with a realistic mix of outcomes, and compliance
outcomes for about 80% of upheld decisions with remedies. It is regenerated only when the
wanted number of decisions differs from what is there.
"""

import os

BENCH_DATABASE = "ombudsman_bench_reviews"
FIRST_YEAR, YEARS = 2015, 10


def django_setup() -> None:
    import django

    if not os.environ.get("SECRET_KEY"):
        os.environ.setdefault("DJANGO_DEBUG", "1")  # a development run, like `make bench`
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ombudsman.settings")
    django.setup()


def use_bench_database(name: str = BENCH_DATABASE):
    """Point Django's default connection at a bench database (created and migrated if needed, kept
    between runs); returns a function that points it back."""
    from django.db import connection

    old_name = connection.settings_dict["NAME"]
    connection.settings_dict.setdefault("TEST", {})["NAME"] = name
    connection.creation.create_test_db(verbosity=0, autoclobber=True, serialize=False, keepdb=True)
    if connection.settings_dict["NAME"] != name:  # pragma: no cover - a guard for the demo's data
        raise RuntimeError(f"refusing to run a benchmark on {connection.settings_dict['NAME']}")
    return lambda: connection.creation.destroy_test_db(old_name, verbosity=0, keepdb=True)


def councils_and_contacts(limit: int | None = None) -> None:
    """The councils register (all of it, or the first `limit` councils active throughout), each
    with a current chief executive."""
    from django.conf import settings

    from councils.importing import councils_import, populations_import
    from councils.models import Contact, ContactRole, Council

    register = settings.SHARED_DATA_DIR / "councils.csv"
    if not Council.objects.exists():
        councils_import(register.read_bytes())
        populations = settings.SHARED_DATA_DIR / "populations.csv"
        if populations.exists():
            populations_import(populations.read_bytes())
    if limit is not None:
        keep = list(Council.objects.order_by("gss_code").values_list("pk", flat=True)[:limit])
        Council.objects.exclude(pk__in=keep).update(
            active_from="2000-04-01", active_to="2000-04-30"
        )  # out of every review year, not deleted (casework refers to councils)
    missing = Council.objects.exclude(contacts__role=ContactRole.CHIEF_EXECUTIVE, contacts__is_current=True)
    Contact.objects.bulk_create(
        [
            Contact(
                council=council,
                role=ContactRole.CHIEF_EXECUTIVE,
                title="Ms",
                first_name="Alex",
                last_name=f"Example{council.pk}",
                job_title="Chief Executive",
                email=f"chief.executive{council.pk}@example.org",
            )
            for council in missing
        ]
    )


def _not_null_defaults(cursor, table: str, given: set[str]) -> tuple[list[str], list[str]]:
    """Columns without a default that the generator does not set, and a neutral value for each."""
    cursor.execute(
        "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = %s "
        "AND is_nullable = 'NO' AND column_default IS NULL",
        [table],
    )
    neutral = {"boolean": "false", "integer": "0", "bigint": "0", "smallint": "0", "date": "current_date"}
    columns, values = [], []
    for name, data_type in cursor.fetchall():
        if name in given:
            continue
        columns.append(name)
        values.append(neutral.get(data_type, "now()" if data_type.startswith("timestamp") else "''"))
    return columns, values


def casework(decisions: int, *, seed: float = 0.42) -> bool:
    """Make sure the bench database holds exactly `decisions` current decisions. Returns whether
    it generated them (False when they were already there)."""
    from django.db import connection, transaction

    from complaints.models import Decision

    if Decision.objects.count() == decisions:
        return False
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute(
            "TRUNCATE complaints_complianceoutcome, complaints_recommendation, complaints_decision, "
            "complaints_complaint, reviews_annualletter, reviews_reviewrun CASCADE"
        )
        cursor.execute("SELECT setseed(%s)", [seed])
        cursor.execute("SELECT id FROM complaints_category WHERE parent_id IS NULL ORDER BY id LIMIT 1")
        category_id = cursor.fetchone()[0]
        given = {"id", "reference", "council_id", "received_on", "category_id", "status", "created_at", "updated_at"}
        extra_columns, extra_values = _not_null_defaults(cursor, "complaints_complaint", given)
        cursor.execute(
            f"""
            WITH councils AS (SELECT array_agg(id ORDER BY id) AS ids FROM councils_council
                              WHERE active_to IS NULL OR active_to >= '2015-04-01')
            INSERT INTO complaints_complaint
                (reference, council_id, received_on, category_id, status, created_at, updated_at
                 {"".join(", " + c for c in extra_columns)})
            SELECT lpad((80 + g / 1000000)::text, 2, '0') || ' ' || substr(lpad(mod(g, 1000000)::text, 6, '0'), 1, 3)
                       || ' ' || substr(lpad(mod(g, 1000000)::text, 6, '0'), 4, 3),
                   ids[1 + floor(random() * array_length(ids, 1))::int],
                   date %s + floor(random() * (365 * %s - 120))::int,
                   %s, 'closed', now(), now()
                   {"".join(", " + v for v in extra_values)}
            FROM generate_series(1, %s) AS g, councils
            """,
            [f"{FIRST_YEAR}-04-01", YEARS, category_id, decisions],
        )
        given = {"id", "complaint_id", "council_id", "is_current", "decided_on", "outcome", "upheld_kind", "form",
                 "created_at", "updated_at"}  # fmt: skip
        extra_columns, extra_values = _not_null_defaults(cursor, "complaints_decision", given)
        cursor.execute(
            f"""
            INSERT INTO complaints_decision
                (complaint_id, council_id, is_current, decided_on, outcome, upheld_kind, form, created_at, updated_at
                 {"".join(", " + c for c in extra_columns)})
            SELECT id, council_id, true, received_on + 1 + floor(random() * 110)::int, outcome,
                   CASE WHEN outcome <> 'upheld' THEN ''
                        WHEN r2 < 0.80 THEN 'injustice_remedy_recommended'
                        WHEN r2 < 0.88 THEN 'no_significant_injustice'
                        ELSE 'satisfactory_remedy_by_council' END,
                   'statement', now(), now()
                   {"".join(", " + v for v in extra_values)}
            FROM (SELECT id, council_id, received_on, random() AS r2,
                         CASE WHEN r < 0.11 THEN 'advice_given' WHEN r < 0.20 THEN 'incomplete_invalid'
                              WHEN r < 0.50 THEN 'referred_back' WHEN r < 0.77 THEN 'closed_after_initial_enquiries'
                              WHEN r < 0.83 THEN 'not_upheld' ELSE 'upheld' END AS outcome
                  FROM (SELECT id, council_id, received_on, random() AS r FROM complaints_complaint) AS drawn) AS cases
            """
        )
        given = {"id", "decision_id", "council_id", "outcome", "recorded_on", "created_at", "updated_at"}
        extra_columns, extra_values = _not_null_defaults(cursor, "complaints_complianceoutcome", given)
        cursor.execute(
            f"""
            INSERT INTO complaints_complianceoutcome
                (decision_id, council_id, outcome, recorded_on, created_at, updated_at
                 {"".join(", " + c for c in extra_columns)})
            SELECT id, council_id,
                   CASE WHEN r < 0.85 THEN 'complied_on_time' WHEN r < 0.98 THEN 'complied_late' ELSE 'not_complied' END,
                   decided_on + 30 + floor(random() * 90)::int, now(), now()
                   {"".join(", " + v for v in extra_values)}
            FROM (SELECT id, council_id, decided_on, random() AS r, random() AS keep FROM complaints_decision
                  WHERE outcome = 'upheld' AND upheld_kind = 'injustice_remedy_recommended') AS remedied
            WHERE keep < 0.8
            """
        )
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE complaints_complaint, complaints_decision, complaints_complianceoutcome")
    return True
