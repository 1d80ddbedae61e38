import datetime
from decimal import Decimal
from fractions import Fraction

import pytest
from django.core.management import call_command

from complaints.models import Outcome
from ombudsman.formatting import per_100k, percentage
from ombudsman.periods import ReviewPeriod
from reviews.statistics.counts import type_averages, year_statistics
from reviews.statistics.figures import Counts, per_100k_of, percentage_of
from tests import factories
from tests.utils import count_queries

Y2019 = ReviewPeriod.from_label("2019-20")


def decide(council, day=datetime.date(2019, 9, 1), **traits):
    complaint = factories.ComplaintFactory(council=council, received_on=day - datetime.timedelta(days=30))
    return factories.DecisionFactory(complaint=complaint, decided_on=day, **traits)


def comply(council, recorded_on, outcome="complied_on_time", decided_on=datetime.date(2019, 4, 2)):
    decision = decide(council, day=decided_on, upheld=True)
    return factories.ComplianceOutcomeFactory(decision=decision, outcome=outcome, recorded_on=recorded_on)


@pytest.mark.parametrize(
    ("numerator", "denominator", "expected"),
    [
        (2, 3, Decimal("67")),  # 66.67
        (1, 3, Decimal("33")),  # 33.33
        (1, 8, Decimal("13")),  # 12.5: half up, not to even
        (5, 8, Decimal("63")),  # 62.5: banker's rounding would give 62
        (7949, 10000, Decimal("79")),  # 79.49
        (869, 1000, Decimal("87")),  # 86.9
        (151, 2000, Decimal("8")),  # 7.55
        (0, 3, Decimal("0")),  # measured: 0 of 3
        (4, 4, Decimal("100")),
    ],
)
def test_percentage_rounds_half_up(numerator, denominator, expected):
    assert percentage_of(Fraction(numerator, denominator)) == expected


@pytest.mark.parametrize(
    ("upheld", "population", "expected"),
    [
        (1, 80_000, "1.3"),  # 1.25: half up
        (3, 200_000, "1.5"),
        (11, 100_000, "11"),  # trailing .0 dropped
        (1, 100_000, "1"),
        (83, 1_000_000, "8.3"),
        (1, 3_000_000, "0"),  # 0.033 -> 0.0 -> "0"
        (21, 1_000_000, "2.1"),
    ],
)
def test_per_100k_one_decimal_half_up_without_trailing_zero(upheld, population, expected):
    assert per_100k(per_100k_of(Fraction(upheld, population))) == expected


def test_zero_denominators_give_no_figure():
    fractions = Counts(investigations=0, upheld=0, compliance_outcomes=0, population=None).fractions()

    assert fractions == {
        "uphold_rate": None,
        "compliance_rate": None,
        "satisfactory_rate": None,
        "upheld_per_100k": None,
    }
    assert percentage_of(None) is None
    assert percentage(None) == ""


@pytest.mark.django_db
def test_year_statistics_counts_and_rates_hand_computed(council):
    decide(council, upheld=True)
    decide(council, satisfactory=True)
    decide(council, outcome=Outcome.NOT_UPHELD)
    decide(council, outcome=Outcome.ADVICE_GIVEN)
    decide(council, outcome=Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES)
    comply(council, datetime.date(2019, 6, 1))
    comply(council, datetime.date(2019, 6, 1), outcome="complied_late")
    comply(council, datetime.date(2019, 6, 1), outcome="not_complied")
    factories.PopulationFactory(council=council, year=2018, population=80_000)

    row = year_statistics(Y2019).for_council(council.pk)

    # 3 compliance decisions are upheld too (decided 2 April 2019, in the year)
    assert row.counts == Counts(
        investigations=6,
        upheld=5,
        satisfactory=1,
        compliance_outcomes=3,
        complied=2,
        population=80_000,
        dealt_with=8,
        not_for_us=1,
        assessed_closed=1,
    )
    assert row.figures.uphold_rate == Decimal("83")  # 5/6 = 83.3
    assert row.figures.satisfactory_rate == Decimal("20")  # 1/5
    assert row.figures.compliance_rate == Decimal("67")  # 2/3
    assert row.figures.upheld_per_100k == Decimal("6.3")  # 5 * 100000 / 80000 = 6.25


@pytest.mark.django_db
def test_year_statistics_complaint_overview_counts_every_outcome_once(council):
    for outcome in (Outcome.ADVICE_GIVEN, Outcome.INCOMPLETE_INVALID, Outcome.REFERRED_BACK):
        decide(council, outcome=outcome)
    decide(council, outcome=Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES)
    decide(council, outcome=Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES)
    decide(council, outcome=Outcome.NOT_UPHELD)
    decide(council, upheld=True)
    decide(council, day=datetime.date(2019, 3, 31), outcome=Outcome.ADVICE_GIVEN)  # the year before
    decide(council, day=datetime.date(2020, 4, 1), outcome=Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES)  # after
    replaced = decide(council, outcome=Outcome.REFERRED_BACK)
    replaced.is_current = False
    replaced.save(update_fields=["is_current"])

    counts = year_statistics(Y2019).for_council(council.pk).counts

    assert (counts.dealt_with, counts.not_for_us, counts.assessed_closed, counts.investigations) == (7, 3, 2, 2)
    assert counts.dealt_with == counts.not_for_us + counts.assessed_closed + counts.investigations


@pytest.mark.django_db
def test_year_statistics_council_with_nothing_has_no_figures(council):
    row = year_statistics(Y2019).for_council(council.pk)

    assert row.counts == Counts()
    assert (row.figures.uphold_rate, row.figures.compliance_rate, row.figures.satisfactory_rate) == (None, None, None)
    assert row.figures.upheld_per_100k is None


@pytest.mark.django_db
def test_year_statistics_zero_percent_of_measured_cases_is_a_figure(council):
    decide(council, outcome=Outcome.NOT_UPHELD)
    decide(council, outcome=Outcome.NOT_UPHELD)
    decide(council, outcome=Outcome.NOT_UPHELD)

    row = year_statistics(Y2019).for_council(council.pk)

    assert row.figures.uphold_rate == Decimal("0")
    assert row.figures.satisfactory_rate is None


@pytest.mark.django_db
def test_year_statistics_decision_period_boundaries(council):
    decide(council, day=datetime.date(2019, 3, 31), upheld=True)  # 2018-19
    decide(council, day=datetime.date(2019, 4, 1), upheld=True)  # first day: in
    decide(council, day=datetime.date(2020, 3, 31), upheld=True)  # last day: in
    decide(council, day=datetime.date(2020, 4, 1), upheld=True)  # 2020-21

    counts = year_statistics(Y2019).for_council(council.pk).counts
    next_year = year_statistics(ReviewPeriod(2020)).for_council(council.pk).counts

    assert (counts.investigations, counts.upheld) == (2, 2)
    assert (next_year.investigations, next_year.upheld) == (1, 1)


@pytest.mark.django_db
def test_year_statistics_compliance_counts_by_date_recorded(council):
    # Decided in 2018-19, compliance recorded in 2019-20: counts in 2019-20.
    comply(council, datetime.date(2019, 4, 1), decided_on=datetime.date(2019, 1, 10))
    comply(council, datetime.date(2020, 3, 31), outcome="not_complied", decided_on=datetime.date(2019, 5, 1))
    comply(council, datetime.date(2020, 4, 1), decided_on=datetime.date(2019, 5, 1))  # 2020-21

    counts = year_statistics(Y2019).for_council(council.pk).counts

    assert (counts.compliance_outcomes, counts.complied) == (2, 1)


@pytest.mark.django_db
def test_year_statistics_ignores_decisions_that_are_not_current(council):
    old = decide(council, upheld=True)
    old.is_current = False
    old.save()
    factories.DecisionFactory(complaint=old.complaint, decided_on=datetime.date(2019, 10, 1), outcome="not_upheld")

    counts = year_statistics(Y2019).for_council(council.pk).counts

    assert (counts.investigations, counts.upheld) == (1, 0)


@pytest.mark.django_db
def test_type_averages_pooled_and_mean():
    a = factories.CouncilFactory(authority_type="district")
    b = factories.CouncilFactory(authority_type="district")
    c = factories.CouncilFactory(authority_type="district")  # nothing investigated
    for _ in range(2):
        decide(a, upheld=True)
    decide(a, outcome=Outcome.NOT_UPHELD)
    decide(b, satisfactory=True)

    pooled = year_statistics(Y2019, method="pooled").average_for("district")
    mean = year_statistics(Y2019, method="mean").average_for("district")

    assert pooled.uphold_rate == Decimal("75")  # (2 + 1) / (3 + 1)
    assert mean.uphold_rate == Decimal("83")  # (66.67 + 100) / 2; c has no figure and is left out
    assert pooled.satisfactory_rate == Decimal("33")  # 1 / 3
    assert mean.satisfactory_rate == Decimal("50")  # (0 + 100) / 2
    assert pooled.compliance_rate is None
    assert c.pk in {row.council_id for row in year_statistics(Y2019).councils}


@pytest.mark.django_db
def test_type_average_per_100k_uses_only_councils_with_population():
    a = factories.CouncilFactory(authority_type="unitary")
    b = factories.CouncilFactory(authority_type="unitary")
    no_population = factories.CouncilFactory(authority_type="unitary")
    factories.PopulationFactory(council=a, year=2018, population=100_000)
    factories.PopulationFactory(council=b, year=2018, population=300_000)
    factories.PopulationFactory(council=b, year=2019, population=1)  # another year's estimate: ignored
    decide(a, upheld=True)
    for _ in range(4):
        decide(b, upheld=True)
    for _ in range(5):
        decide(no_population, upheld=True)

    statistics = year_statistics(Y2019)

    assert statistics.average_for("unitary").upheld_per_100k == Decimal("1.3")  # 5 * 100000 / 400000 = 1.25
    assert statistics.for_council(no_population.pk).figures.upheld_per_100k is None
    assert statistics.for_council(b.pk).figures.upheld_per_100k == Decimal("1.3")  # 1.333


@pytest.mark.django_db
def test_year_statistics_population_year_can_be_named():
    council = factories.CouncilFactory()
    factories.PopulationFactory(council=council, year=2018, population=100_000)
    factories.PopulationFactory(council=council, year=2019, population=200_000)
    decide(council, upheld=True)

    default = year_statistics(Y2019).for_council(council.pk)
    named = year_statistics(Y2019, population_year=2019).for_council(council.pk)

    assert (default.counts.population, default.figures.upheld_per_100k) == (100_000, Decimal("1.0"))
    assert (named.counts.population, named.figures.upheld_per_100k) == (200_000, Decimal("0.5"))


@pytest.mark.django_db
def test_year_statistics_leaves_out_councils_not_active_in_the_year():
    active = factories.CouncilFactory(authority_type="county")
    abolished = factories.CouncilFactory(authority_type="county", active_to=datetime.date(2019, 3, 31))
    created_later = factories.CouncilFactory(authority_type="county", active_from=datetime.date(2020, 4, 1))
    abolished_in_year = factories.CouncilFactory(authority_type="county", active_to=datetime.date(2019, 4, 1))
    decide(active, outcome=Outcome.NOT_UPHELD)
    decide(abolished, day=datetime.date(2019, 5, 1), upheld=True)  # would pull the average up if counted

    statistics = year_statistics(Y2019)

    assert {row.council_id for row in statistics.councils} == {active.pk, abolished_in_year.pk}
    assert created_later.pk not in {row.council_id for row in statistics.councils}
    assert statistics.average_for("county").uphold_rate == Decimal("0")


@pytest.mark.django_db
def test_type_other_has_no_average():
    body = factories.CouncilFactory(authority_type="other")
    decide(body, upheld=True)

    statistics = year_statistics(Y2019)

    assert statistics.average_for("other") is None
    assert statistics.for_council(body.pk).figures.uphold_rate == Decimal("100")


def test_type_averages_from_counts_without_database():
    rows = [
        ("district", Counts(investigations=1, upheld=1)),
        ("district", Counts(investigations=2, upheld=0)),
        ("other", Counts(investigations=5, upheld=5)),
    ]

    averages = type_averages(rows, method="mean")

    assert set(averages) == {"district"}
    assert averages["district"].uphold_rate == Decimal("50")


@pytest.mark.django_db
def test_year_statistics_query_count_does_not_grow_with_councils():
    factories.CouncilFactory()
    one = count_queries(lambda: year_statistics(Y2019))
    for _ in range(20):
        decide(factories.CouncilFactory(), upheld=True)

    many = count_queries(lambda: year_statistics(Y2019))

    assert one == many == 4


@pytest.mark.django_db
def test_review_stats_table_shows_the_complaint_overview_columns(council, capsys):
    decide(council, outcome=Outcome.ADVICE_GIVEN)
    decide(council, upheld=True)

    call_command("review_stats", "2019-20")

    header, blaby = capsys.readouterr().out.splitlines()[1:3]
    assert header.split()[-3:] == ["dealt_with", "not_for_us", "assessed_closed"]
    assert blaby.split()[-3:] == ["2", "1", "0"]


@pytest.mark.django_db
def test_review_stats_command_prints_counts_rates_and_averages(council, capsys):
    decide(council, upheld=True)
    decide(council, outcome=Outcome.NOT_UPHELD)
    decide(council, outcome=Outcome.NOT_UPHELD)
    decide(council, outcome=Outcome.REFERRED_BACK)
    decide(council, outcome=Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES)

    call_command("review_stats", "2019-20", "--csv")

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == (
        "gss_code,council,authority_type,investigations,upheld,uphold_rate,compliance_outcomes,complied,"
        "compliance_rate,satisfactory,satisfactory_rate,population,upheld_per_100k,dealt_with,not_for_us,"
        "assessed_closed"
    )
    assert "E07000129,Blaby District Council,district,3,1,33%,0,0,,0,0%,,,5,1,1" in lines
    assert ",Average: District council (pooled),district,,,33%,,,,,0%,,,,," in lines


@pytest.mark.django_db
def test_review_stats_prints_per_100k_with_one_decimal_as_the_tables(council, capsys):
    """It printed the letters' "1" beside "2.1" in one column."""
    factories.PopulationFactory(council=council, year=2018, population=100_000)
    decide(council, upheld=True)

    call_command("review_stats", "2019-20")
    table = capsys.readouterr().out.splitlines()
    call_command("review_stats", "2019-20", "--csv")
    lines = capsys.readouterr().out.splitlines()

    assert table[2].split()[-4:-3] == ["1.0"]
    assert "E07000129,Blaby District Council,district,1,1,100%,0,0,,0,0%,100000,1.0,1,0,0" in lines
    assert ",Average: District council (pooled),district,,,100%,,,,,0%,,1.0,,," in lines
