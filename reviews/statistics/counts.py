"""The three statistics of a review year, per council, and the averages per authority type.

Definitions (DOMAIN.md, "The three statistics"), per council active in the year, over the
year's dates 1 April .. 31 March inclusive:
- investigations: current decisions upheld or not upheld, by decision date;
- the complaint overview (from 2024-25): dealt with = every current decision; not for us =
  advice given, incomplete or invalid, referred back; assessed and closed = closed after initial
  enquiries (so dealt with = not for us + assessed and closed + investigations);
- upheld: current decisions upheld; satisfactory: upheld where the council had already
  provided a satisfactory remedy;
- compliance outcomes: outcomes recorded in the year (by date recorded); complied: on time or late;
- uphold rate = upheld / investigations, compliance rate = complied / outcomes,
  satisfactory remedy rate = satisfactory / upheld, per 100,000 = upheld x 100,000 / population
  (the population estimate of the review year's population year).
Rates are exact fractions of integers rounded half up: percentages to whole numbers, the
figure per 100,000 to one decimal place (printed without a trailing ".0"). A zero
denominator is no figure (None), never 0%.

Averages per authority type over the type's councils active in the year: pooled (sum of
numerators over sum of denominators; per 100,000 over the councils whose population is known)
or the mean of council rates (councils with no figure left out). Type "other" has no average.

Reorganisation (DOMAIN.md "Reorganisation: cases follow the successor"): a decision (or a
compliance outcome) dated on or after the first day of its council's sole successor counts for
the successor and nowhere else; `counted_council` says so in SQL. A council split between two
successors has no sole successor: its cases count for the successor a manager transferred them
to (the complaint's council then is that successor).

The counts are two SQL queries with conditional aggregation grouped by the counted council
(decisions by decided_on, compliance by recorded_on); averages are sums of those per-council
integers, never a second read of decisions.
"""

from collections import defaultdict
from dataclasses import dataclass, field, replace
from fractions import Fraction

from django.db.models import Count, F, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce

from complaints.models import (
    COMPLIED_RESULTS,
    INVESTIGATED_OUTCOMES,
    NOT_FOR_US_OUTCOMES,
    ComplianceOutcome,
    Decision,
    Outcome,
    UpheldKind,
)
from councils.models import AuthorityType, Council, Population, Succession
from ombudsman.periods import ReviewPeriod
from reviews.statistics.figures import STATISTICS, Counts, Figures, rounded

POOLED = "pooled"
MEAN = "mean"
NO_DECISIONS, NO_COMPLIANCE = (0, 0, 0, 0, 0, 0), (0, 0)


@dataclass(frozen=True)
class CouncilStatistics:
    council_id: int
    gss_code: str
    name: str
    formal_name: str
    authority_type: str
    counts: Counts
    figures: Figures


@dataclass
class YearStatistics:
    period: ReviewPeriod
    population_year: int
    method: str
    councils: list[CouncilStatistics] = field(default_factory=list)
    averages: dict[str, Figures] = field(default_factory=dict)

    def __post_init__(self):
        self._by_id = {row.council_id: row for row in self.councils}

    def for_council(self, council_id: int) -> CouncilStatistics | None:
        return self._by_id.get(council_id)

    def average_for(self, authority_type: str) -> Figures | None:
        """The type's average, or None for type "other"."""
        return self.averages.get(authority_type)


def counted_council(date_field: str, council_field: str = "council_id"):
    """The council a row with `council_field` dated `date_field` counts for: the council's sole
    successor if the date is on or after the successor's first day, otherwise the council."""
    sole_successor = (
        Succession.objects.filter(predecessor=OuterRef(council_field), on__lte=OuterRef(date_field))
        .order_by()
        .values("predecessor")
        .annotate(successors=Count("successor"), successor_id=Min("successor"))
        .filter(successors=1)
        .values("successor_id")
    )
    return Coalesce(Subquery(sole_successor), F(council_field))


def counting_for(queryset, council_id: int, date_field: str, council_field: str = "council_id"):
    """The rows of `queryset` that count for the council (`counted_council`): its own, and those
    of its predecessors dated on or after it succeeded them, less its own dated after its sole
    successor's first day. The candidates (the council and its predecessors) are filtered first,
    so an index on the council serves it."""
    predecessors = Succession.objects.filter(successor=council_id).values("predecessor")
    return (
        queryset.filter(Q(**{council_field: council_id}) | Q(**{f"{council_field}__in": predecessors}))
        .annotate(counted=counted_council(date_field, council_field))
        .filter(counted=council_id)
    )


def decision_counts(period: ReviewPeriod) -> dict[int, tuple[int, int, int, int, int, int]]:
    """Per counted council: (investigations, upheld, satisfactory, dealt with, not for us,
    assessed and closed), in one grouped query over the covering index decision_date_current
    (counting its council, never null, not the id)."""
    rows = (
        Decision.objects.filter(is_current=True, decided_on__gte=period.start, decided_on__lte=period.end)
        .annotate(counted=counted_council("decided_on"))
        .values("counted")
        .annotate(
            investigations=Count("council", filter=Q(outcome__in=INVESTIGATED_OUTCOMES)),
            upheld=Count("council", filter=Q(outcome=Outcome.UPHELD)),
            satisfactory=Count(
                "council", filter=Q(outcome=Outcome.UPHELD, upheld_kind=UpheldKind.SATISFACTORY_REMEDY_BY_COUNCIL)
            ),
            dealt_with=Count("council"),
            not_for_us=Count("council", filter=Q(outcome__in=NOT_FOR_US_OUTCOMES)),
            assessed_closed=Count("council", filter=Q(outcome=Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES)),
        )
        .values_list(
            "counted", "investigations", "upheld", "satisfactory", "dealt_with", "not_for_us", "assessed_closed"
        )
        .order_by()
    )
    return {council_id: counts for council_id, *counts in rows}


def compliance_counts(period: ReviewPeriod) -> dict[int, tuple[int, int]]:
    """Per counted council: (compliance outcomes recorded in the year, how many complied)."""
    rows = (
        ComplianceOutcome.objects.filter(recorded_on__gte=period.start, recorded_on__lte=period.end)
        .annotate(counted=counted_council("recorded_on"))
        .values("counted")
        .annotate(
            compliance_outcomes=Count("council"), complied=Count("council", filter=Q(outcome__in=COMPLIED_RESULTS))
        )
        .values_list("counted", "compliance_outcomes", "complied")
        .order_by()
    )
    return {council_id: counts for council_id, *counts in rows}


def year_statistics(
    period: ReviewPeriod, *, population_year: int | None = None, method: str = POOLED
) -> YearStatistics:
    """Every active council's counts and figures for the year, and the type averages."""
    if method not in (POOLED, MEAN):
        raise ValueError(f"Unknown average method {method!r}")
    population_year = period.start_year - 1 if population_year is None else population_year
    councils = list(
        Council.objects.active_in(period)
        .order_by("sort_name")
        .values_list("id", "gss_code", "name", "formal_name", "authority_type")
    )
    decisions = decision_counts(period)
    compliance = compliance_counts(period)
    populations = dict(
        Population.objects.filter(year=population_year).order_by().values_list("council_id", "population")
    )
    rows = []
    for council_id, gss_code, name, formal_name, authority_type in councils:
        investigations, upheld, satisfactory, dealt_with, not_for_us, assessed_closed = decisions.get(
            council_id, NO_DECISIONS
        )
        outcomes, complied = compliance.get(council_id, NO_COMPLIANCE)
        counts = Counts(
            investigations,
            upheld,
            satisfactory,
            outcomes,
            complied,
            populations.get(council_id),
            dealt_with=dealt_with,
            not_for_us=not_for_us,
            assessed_closed=assessed_closed,
        )
        rows.append(
            CouncilStatistics(
                council_id=council_id,
                gss_code=gss_code,
                name=name,
                formal_name=formal_name,
                authority_type=authority_type,
                counts=counts,
                figures=counts.figures(),
            )
        )
    return YearStatistics(
        period=period,
        population_year=population_year,
        method=method,
        councils=rows,
        averages=type_averages([(row.authority_type, row.counts) for row in rows], method=method),
    )


def type_averages(rows: list[tuple[str, Counts]], *, method: str = POOLED) -> dict[str, Figures]:
    """The average in similar authorities for each comparison group present in `rows`."""
    by_type: dict[str, list[Counts]] = defaultdict(list)
    for authority_type, counts in rows:
        if authority_type != AuthorityType.OTHER:
            by_type[authority_type].append(counts)
    if method == POOLED:
        return {authority_type: pooled_figures(group) for authority_type, group in by_type.items()}
    return {authority_type: Figures.from_fractions(mean_fractions(group)) for authority_type, group in by_type.items()}


def pooled_figures(group: list[Counts]) -> Figures:
    """Sums of numerators over sums of denominators; per 100,000 over councils with a population."""
    totals = Counts(
        investigations=sum(c.investigations for c in group),
        upheld=sum(c.upheld for c in group),
        satisfactory=sum(c.satisfactory for c in group),
        compliance_outcomes=sum(c.compliance_outcomes for c in group),
        complied=sum(c.complied for c in group),
    )
    with_population = [c for c in group if c.population]
    per_100k = rounded(
        sum(c.upheld for c in with_population), sum(c.population for c in with_population), scale=100_000, places=1
    )
    return replace(totals.figures(), upheld_per_100k=per_100k)


def mean_fractions(group: list[Counts]) -> dict[str, Fraction | None]:
    per_council = [counts.fractions() for counts in group]
    result = {}
    for name in STATISTICS:
        measured = [fractions[name] for fractions in per_council if fractions[name] is not None]
        result[name] = sum(measured, Fraction(0)) / len(measured) if measured else None
    return result
