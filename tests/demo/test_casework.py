"""The demo data generator: deterministic, national volumes and mixes, only active councils,
rows that pass every rule, idempotent command and contacts."""

import csv
import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from complaints.models import (
    Complaint,
    ComplianceOutcome,
    Decision,
    Recommendation,
    ReferenceCounter,
    Status,
)
from complaints.references import reference_next
from councils.importing import formal_names_read, populations_import
from councils.models import Contact, ContactRole, Council
from councils.services import contact_set
from demo.casework import casework_generate
from demo.contacts import contacts_create
from ombudsman.periods import ReviewPeriod
from ombudsman.settings import SHARED_DATA_DIR
from tests import factories

pytestmark = pytest.mark.django_db

REGISTER = SHARED_DATA_DIR / "councils.csv"
POPULATIONS = SHARED_DATA_DIR / "populations.csv"
FORMAL_NAMES = SHARED_DATA_DIR / "formal_names.csv"
needs_register = pytest.mark.skipif(
    not (REGISTER.exists() and POPULATIONS.exists() and FORMAL_NAMES.exists()),
    reason="the shared register and populations are not present",
)


@pytest.fixture
def register(db):
    """The real register and populations, bulk-created (the import services are tested elsewhere)."""
    rows = list(csv.DictReader(REGISTER.open(encoding="utf-8")))
    formal_names = formal_names_read(FORMAL_NAMES.read_bytes())
    Council.objects.bulk_create(
        Council(
            gss_code=row["gss_code"],
            name=row["name"],
            formal_name=formal_names[row["gss_code"]],
            authority_type=row["authority_type"],
            region=row["region"],
            active_from=row["active_from"] or None,
            active_to=row["active_to"] or None,
        )
        for row in rows
    )
    populations_import(POPULATIONS.read_bytes())


def years(first: str, last: str | None = None) -> list[ReviewPeriod]:
    start, end = ReviewPeriod.from_label(first), ReviewPeriod.from_label(last or first)
    return [ReviewPeriod(year) for year in range(start.start_year, end.start_year + 1)]


def dump() -> list[tuple]:
    """Everything generated, without database ids (sequences are not rolled back)."""
    complaints = list(
        Complaint.objects.order_by("reference").values_list(
            "reference",
            "council__gss_code",
            "received_on",
            "category__slug",
            "subcategory__slug",
            "complainant_name",
            "complainant_email",
            "complainant_phone",
            "complainant_address",
            "summary",
            "status",
            "decisions__decided_on",
            "decisions__outcome",
            "decisions__upheld_kind",
            "decisions__form",
            "decisions__summary",
            "decisions__compliance__outcome",
            "decisions__compliance__recorded_on",
        )
    )
    recommendations = list(
        Recommendation.objects.order_by("decision__complaint__reference", "type", "due_on").values_list(
            "decision__complaint__reference", "type", "remedy_kind", "description", "amount", "due_on"
        )
    )
    return complaints + recommendations


def generate_and_dump(**kwargs) -> list[tuple]:
    with transaction.atomic():
        casework_generate(**kwargs)
        result = dump()
        transaction.set_rollback(True)
    return result


def national(sql: str, params) -> tuple:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchone()


YEAR_FIGURES = """
SELECT count(*),
       count(*) FILTER (WHERE outcome IN ('upheld', 'not_upheld')),
       count(*) FILTER (WHERE outcome = 'upheld'),
       count(*) FILTER (WHERE upheld_kind = 'satisfactory_remedy_by_council'),
       count(*) FILTER (WHERE outcome = 'referred_back'),
       count(*) FILTER (WHERE outcome = 'closed_after_initial_enquiries'),
       count(*) FILTER (WHERE outcome = 'advice_given'),
       count(*) FILTER (WHERE outcome = 'incomplete_invalid')
FROM complaints_decision WHERE is_current AND decided_on BETWEEN %s AND %s
"""
COMPLIANCE_FIGURES = """
SELECT count(*), count(*) FILTER (WHERE outcome <> 'not_complied'), count(*) FILTER (WHERE outcome = 'complied_late')
FROM complaints_complianceoutcome WHERE recorded_on BETWEEN %s AND %s
"""
UPHOLD_BY = """
SELECT {group}, round(100.0 * count(*) FILTER (WHERE d.outcome = 'upheld') / count(*), 1)
FROM complaints_decision d JOIN councils_council k ON k.id = d.council_id
JOIN complaints_complaint c ON c.id = d.complaint_id JOIN complaints_category g ON g.id = c.category_id
WHERE d.outcome IN ('upheld', 'not_upheld') AND d.decided_on BETWEEN %s AND %s GROUP BY 1
"""
COUNCILS_WITHOUT = """
SELECT count(*) FILTER (WHERE decisions > 0 AND investigations = 0), count(*) FILTER (WHERE investigations > 0 AND upheld = 0)
FROM (
  SELECT council_id, count(*) decisions, count(*) FILTER (WHERE outcome IN ('upheld', 'not_upheld')) investigations,
         count(*) FILTER (WHERE outcome = 'upheld') upheld
  FROM complaints_decision WHERE decided_on BETWEEN %s AND %s GROUP BY 1
) per_council
"""


@needs_register
def test_casework_generate_same_seed_gives_same_casework(register):
    periods = years("2022-23", "2023-24")

    first = generate_and_dump(periods=periods, scale=0.02, seed=7)
    second = generate_and_dump(periods=periods, scale=0.02, seed=7)
    other_seed = generate_and_dump(periods=periods, scale=0.02, seed=8)

    assert len(first) > 500
    assert first == second
    assert first != other_seed


@needs_register
def test_casework_generate_follows_national_figures_at_full_scale(register):
    early, late = ReviewPeriod(2019), ReviewPeriod(2024)

    casework_generate(periods=[early, late], scale=1.0, seed=1)

    for period, (low_uphold, high_uphold) in ((early, (55, 66)), (late, (80, 88))):
        span = (period.start, period.end)
        decisions, investigations, upheld, satisfactory, *not_investigated = national(YEAR_FIGURES, span)
        assert 17_000 <= decisions <= 22_000
        assert 4_000 <= investigations <= 4_500
        assert low_uphold <= 100 * upheld / investigations <= high_uphold
        assert 10 <= 100 * satisfactory / upheld <= 15
        referred_back, closed_after_enquiries, advice, invalid = not_investigated
        assert referred_back > closed_after_enquiries > max(advice, invalid) > 0
        assert sum(not_investigated) + investigations == decisions
        recorded, complied, late_ = national(COMPLIANCE_FIGURES, span)
        assert 98 <= 100 * complied / recorded < 100
        assert 0 < late_ < recorded / 5
        no_investigations, none_upheld = national(COUNCILS_WITHOUT, span)
        assert no_investigations > 0
        assert none_upheld > 0
    by_type = dict(national_rows(UPHOLD_BY.format(group="k.authority_type"), (late.start, late.end)))
    assert by_type["district"] < min(by_type["unitary"], by_type["county"], by_type["metropolitan_borough"])
    by_category = dict(national_rows(UPHOLD_BY.format(group="g.slug"), (late.start, late.end)))
    assert (
        by_category["planning-and-development"]
        < by_category["housing"]
        < by_category["education-and-childrens-services"]
    )


def national_rows(sql: str, params) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


@needs_register
def test_casework_generate_gives_councils_cases_only_while_active(register):
    casework_generate(periods=years("2019-20", "2023-24"), scale=0.05, seed=3)

    outside = Complaint.objects.raw(
        "SELECT c.id FROM complaints_complaint c JOIN councils_council k ON k.id = c.council_id "
        "LEFT JOIN complaints_decision d ON d.complaint_id = c.id "
        "WHERE c.received_on < k.active_from OR c.received_on > k.active_to "
        "OR d.decided_on < k.active_from OR d.decided_on > k.active_to"
    )
    assert list(outside) == []

    def decided(gss_code: str, label: str) -> int:
        period = ReviewPeriod.from_label(label)
        return Decision.objects.filter(council__gss_code=gss_code, decided_on__range=(period.start, period.end)).count()

    unitary = "E06000060"  # Buckinghamshire unitary, from 1 April 2020
    county = "E10000002"  # Buckinghamshire County Council, abolished 31 March 2020
    assert decided(county, "2019-20") > 0
    assert decided(county, "2020-21") == 0
    assert decided(unitary, "2019-20") == 0
    assert decided(unitary, "2020-21") > 0
    assert not Decision.objects.filter(decided_on__gt=ReviewPeriod(2023).end).exists()


@needs_register
def test_casework_generate_statuses_and_references(register):
    periods = years("2022-23", "2023-24")

    casework_generate(periods=periods, scale=0.05, seed=4)

    last = periods[-1]
    open_cases = Complaint.objects.filter(decisions__isnull=True)
    assert open_cases.exists()
    assert set(open_cases.values_list("status", flat=True)) == {
        Status.RECEIVED,
        Status.ASSESSMENT,
        Status.INVESTIGATION,
    }
    assert not open_cases.filter(received_on__gt=last.end).exists()
    earlier = Complaint.objects.filter(decisions__decided_on__lt=last.start)
    assert set(earlier.values_list("status", flat=True)) == {Status.CLOSED}
    latest = Complaint.objects.filter(decisions__decided_on__gte=last.start)
    assert set(latest.values_list("status", flat=True)) == {Status.DECIDED, Status.REMEDY_MONITORING, Status.CLOSED}
    assert not ComplianceOutcome.objects.filter(recorded_on__gt=last.end).exists()
    counters = dict(ReferenceCounter.objects.values_list("year", "last_number"))
    assert counters["23"] == Complaint.objects.filter(reference__startswith="23 ").count()
    assert Complaint.objects.filter(reference=f"23 {counters['23'] // 1000:03d} {counters['23'] % 1000:03d}").exists()
    assert reference_next(datetime.date(2023, 6, 1)) == (
        f"23 {(counters['23'] + 1) // 1000:03d} {(counters['23'] + 1) % 1000:03d}"
    )


@needs_register
def test_casework_generate_rows_pass_model_validation(register):
    casework_generate(periods=years("2023-24"), scale=0.02, seed=5)

    amounts = list(Recommendation.objects.filter(amount__isnull=False).values_list("amount", flat=True))
    assert amounts
    assert all(Decimal(100) <= amount <= Decimal(5000) for amount in amounts)
    for model in (Complaint, Decision, Recommendation, ComplianceOutcome):
        rows = list(model.objects.order_by("pk")[:150])
        assert rows, model
        for row in rows:
            row.full_clean()
    assert Recommendation.objects.filter(due_on__lt=datetime.date(2023, 4, 1)).count() == 0


def test_casework_generate_without_population_uses_typical_size(council, other_council):
    casework_generate(periods=years("2021-22"), scale=1.0, seed=2)

    blaby = Complaint.objects.filter(council=council).count()
    leicester = Complaint.objects.filter(council=other_council).count()
    assert 3 <= blaby <= 40
    assert 40 <= leicester <= 200
    assert not Complaint.objects.filter(council=council, category__slug="education-and-childrens-services").exists()


def test_generate_demo_data_command_refuses_to_duplicate(council, other_council, capsys):
    call_command("generate_demo_data", years="2021-22", scale=0.5, seed=1)
    count = Complaint.objects.count()

    with pytest.raises(CommandError, match="Casework already exists for 2021-22"):
        call_command("generate_demo_data", years="2021-22", scale=0.5, seed=1)
    call_command("generate_demo_data", years="2019-20:2020-21", if_empty=True)

    assert count > 0
    assert Complaint.objects.count() == count
    assert "Casework already exists; no demo casework generated." in capsys.readouterr().out


def test_generate_demo_data_command_replace_generates_again(council, other_council, capsys):
    older = factories.ComplaintFactory(council=council, received_on=datetime.date(2015, 5, 1))
    call_command("generate_demo_data", years="2021-22", scale=0.5, seed=1)
    first = sorted(Complaint.objects.exclude(pk=older.pk).values_list("received_on", "complainant_name", "summary"))

    call_command("generate_demo_data", years="2021-22", scale=0.5, seed=1, replace=True)

    again = sorted(Complaint.objects.exclude(pk=older.pk).values_list("received_on", "complainant_name", "summary"))
    assert again == first
    assert Complaint.objects.filter(pk=older.pk).exists()
    assert f"Deleted {len(first)} complaints of 2021-22." in capsys.readouterr().out


@pytest.mark.parametrize(
    ("years_text", "message"),
    [
        ("2019-20:2018-19", "2018-19 is before 2019-20"),
        ("2019-21", "is not a review year"),
        ("2019", "is not a review year"),
    ],
)
def test_generate_demo_data_command_checks_years(council, years_text, message):
    with pytest.raises(CommandError, match=message):
        call_command("generate_demo_data", years=years_text)


def test_generate_demo_data_command_needs_councils(db):
    with pytest.raises(CommandError, match="There are no councils"):
        call_command("generate_demo_data", years="2021-22")


@needs_register
def test_contacts_create_gives_every_council_a_chief_executive_and_link_officer(register):
    blaby = Council.objects.get(gss_code="E07000129")
    kept = contact_set(
        council=blaby,
        role=ContactRole.CHIEF_EXECUTIVE,
        title="Dr",
        first_name="Jane",
        last_name="Okoro",
        email="chief.executive@blaby.example.org",
    )

    created = contacts_create(seed=1)
    again = contacts_create(seed=1)

    councils = Council.objects.count()
    assert created == 2 * councils - 1
    assert again == 0
    current = Contact.objects.filter(is_current=True)
    for role in (ContactRole.CHIEF_EXECUTIVE, ContactRole.LINK_OFFICER):
        assert current.filter(role=role).values("council").distinct().count() == councils
        assert current.filter(role=role).count() == councils
    assert current.get(council=blaby, role=ContactRole.CHIEF_EXECUTIVE) == kept
    bristol = current.get(council__gss_code="E06000023", role=ContactRole.CHIEF_EXECUTIVE)
    assert bristol.email.endswith("@bristol.example.org")
    assert bristol.title in {"Dr", "Mr", "Mrs", "Ms", "Miss"}
    assert bristol.job_title == "Chief Executive"
    for contact in current.order_by("pk")[:50]:
        contact.full_clean()
    assert not current.exclude(email__endswith=".example.org").exists()
