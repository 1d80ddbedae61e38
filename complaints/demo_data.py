"""Realistic synthetic casework for the demo (`manage.py generate_demo_data`).

Rules:
- Volumes and mixes follow the national figures of each review year (NATIONAL): decisions
  per 100,000 residents, the share investigated, the uphold rate, the satisfactory-remedy
  share. A council's cases in a service sub-category are a Poisson draw around its
  population times that sub-category's rate; two-tier areas split each sub-category between
  the district and the county (so England's total is the national rate times its
  population), London boroughs get more housing cases, and each council has a fixed
  propensity (volume, uphold rate, satisfactory remedies), centred so that it sets councils
  apart without moving the national figures. Volumes are not scaled to the councils in the
  database: a database of two councils gets two councils' worth of cases.
- Cases are drawn by decision date: every council active in a year gets decisions dated on
  working days of that year while it is active; the complaint was received a lag earlier
  (days for cases not investigated, months for investigations), so a year's late complaints
  are decided in the next. Complaints received by the end of the last year that would be
  decided after it stay open; no decision is dated after the last year, and no compliance
  outcome either (remedies due later stay in remedy monitoring).
- Decided cases are closed, except in the last year, where they take status_after_decision.
- Deterministic: each council-year draws from its own random.Random seeded with (seed, year,
  GSS code); references are numbered in order of date received after each year's counter,
  so on an empty database a seed always gives the same casework.
"""

import bisect
import contextlib
import datetime
import math
import random
import time
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Q

from complaints import demo_texts
from complaints.bulk import NewCase, NewRecommendation, bulk_load, cases_insert
from complaints.demo_figures import (
    CATEGORIES,
    CLOSED_DAYS,
    COMPLIANCE,
    INVESTIGATED_MEAN,
    LAG_DAYS,
    LONDON_HOUSING,
    MONTH_WEIGHTS,
    NO_SIGNIFICANT_INJUSTICE,
    NOT_INVESTIGATED_CUMULATIVE,
    NOT_INVESTIGATED_OUTCOMES,
    OTHER_BODY_VOLUME,
    PERSONAL_TYPES,
    REPORT_SHARE,
    SERVICE_IMPROVEMENT_TYPES,
    TYPE_UPHELD,
    TYPICAL_POPULATION,
    UPHELD_MEAN,
    CategoryProfile,
    YearFigures,
    national_figures,
)
from complaints.models import (
    INVESTIGATED_OUTCOMES,
    Category,
    Complaint,
    ComplianceOutcome,
    ComplianceResult,
    Decision,
    DecisionForm,
    Outcome,
    Recommendation,
    RecommendationType,
    ReferenceCounter,
    RemedyKind,
    Status,
    UpheldKind,
    status_after_decision,
)
from complaints.references import format_reference, references_reserve
from councils.demo_contacts import NamePool, email_local_part, pick, place_name
from councils.models import AuthorityType, Council, Population
from ombudsman.models import User
from ombudsman.periods import ReviewPeriod
from ombudsman.roles import Role

STREET_KINDS = ("Road", "Street", "Avenue", "Close", "Lane", "Drive", "Way", "Crescent", "Gardens", "Grove", "Court")
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")  # reserved: mail to them goes nowhere
BATCH_SIZE = 25_000  # about a year of cases: one COPY per table
BULK_LOAD_MIN_ROWS = 50_000  # and more than the cases stored: drop and rebuild the indexes (bulk.bulk_load)
MAX_SCALE = 10.0


@dataclass
class YearSummary:
    label: str
    received: int = 0
    decisions: int = 0
    investigations: int = 0
    upheld: int = 0
    satisfactory: int = 0
    open: int = 0

    def __str__(self) -> str:
        def percent(part: int, whole: int) -> str:
            return f"{100 * part / whole:.1f}%" if whole else "-"

        return (
            f"{self.label}: {self.received:,} received, {self.decisions:,} decisions, "
            f"{self.investigations:,} investigations, {percent(self.upheld, self.investigations)} upheld, "
            f"{percent(self.satisfactory, self.upheld)} satisfactory remedy"
            + (f", {self.open:,} still open" if self.open else "")
        )


@dataclass(frozen=True)
class _Council:
    pk: int
    gss_code: str
    authority_type: str
    active_from: datetime.date | None
    active_to: datetime.date | None
    populations: dict[int, int]
    volume: float
    upheld: float
    satisfactory: float
    towns: tuple[str, ...]  # for complainants' addresses: the council's place, or a county's districts

    def population(self, year: int) -> int:
        """The mid-year estimate for that year, else the latest before it, else the earliest known."""
        if not self.populations:
            return TYPICAL_POPULATION[self.authority_type]
        earlier = [y for y in self.populations if y <= year]
        return self.populations[max(earlier) if earlier else min(self.populations)]

    def active_days(self, period: ReviewPeriod) -> tuple[datetime.date, datetime.date] | None:
        first = max(period.start, self.active_from or period.start)
        last = min(period.end, self.active_to or period.end)
        return (first, last) if first <= last else None


@dataclass(frozen=True)
class _Subcategory:
    category_id: int
    subcategory_id: int | None
    category_slug: str
    suffix: str
    profile: CategoryProfile
    share: float  # of a single-tier council's decisions
    district_part: float
    complaint_phrases: tuple[str, ...]
    topic: str


def _subcategories() -> list[_Subcategory]:
    """The seeded categories this generator knows, with their rates (categories added later get no demo cases)."""
    tops = {c.slug: c for c in Category.objects.filter(parent__isnull=True, slug__in=CATEGORIES)}
    subs = defaultdict(dict)
    for sub in Category.objects.filter(parent__in=tops.values()).select_related("parent"):
        subs[sub.parent.slug][sub.slug.removeprefix(f"{sub.parent.slug}-")] = sub
    result = []
    for slug, profile in CATEGORIES.items():
        if slug not in tops:
            continue
        known = {suffix: v for suffix, v in profile.subcategories.items() if suffix in subs[slug]}
        if not known:
            result.append(
                _Subcategory(tops[slug].pk, None, slug, "", profile, profile.share, 0.5, *demo_texts.subject(slug, ""))
            )
            continue
        total = sum(share for share, _ in known.values())
        for suffix, (share, district_part) in known.items():
            result.append(
                _Subcategory(
                    tops[slug].pk,
                    subs[slug][suffix].pk,
                    slug,
                    suffix,
                    profile,
                    profile.share * share / total,
                    district_part,
                    *demo_texts.subject(slug, suffix),
                )
            )
    return result


def _tier_share(sub: _Subcategory, authority_type: str) -> float:
    """The part of a sub-category's cases that a council of this type gets, relative to a single-tier council."""
    match authority_type:
        case AuthorityType.DISTRICT:
            return sub.district_part
        case AuthorityType.COUNTY:
            return 1 - sub.district_part
        case AuthorityType.LONDON_BOROUGH:
            housing = CATEGORIES["housing"].share
            if sub.category_slug == "housing":
                return LONDON_HOUSING
            return (1 - housing * LONDON_HOUSING) / (1 - housing)
        case AuthorityType.OTHER:
            return OTHER_BODY_VOLUME
    return 1.0


def _councils(seed: int) -> list[_Council]:
    """The councils with their fixed propensities: random per council, centred (weighted by population)
    so that they move councils against each other, not the national figures."""
    populations = defaultdict(dict)
    for council_id, year, population in Population.objects.values_list("council_id", "year", "population"):
        populations[council_id][year] = population
    districts = defaultdict(list)
    for county_id, name in Council.objects.filter(county__isnull=False).order_by("name").values_list("county", "name"):
        districts[county_id].append(place_name(name))
    drawn = []
    for council in Council.objects.order_by("gss_code"):
        rng = random.Random(f"{seed}:council:{council.gss_code}")  # noqa: S311 - synthetic demo data, not security
        size = max(populations[council.pk].values(), default=TYPICAL_POPULATION[council.authority_type])
        drawn.append((council, size, rng.lognormvariate(0, 0.3), rng.gauss(0, 0.05), rng.gauss(0, 0.03)))
    total = sum(size for _, size, *_ in drawn) or 1
    volume, upheld, satisfactory = (sum(size * d[i] for _, size, *d in drawn) / total for i in range(3))
    return [
        _Council(
            pk=council.pk,
            gss_code=council.gss_code,
            authority_type=council.authority_type,
            active_from=council.active_from,
            active_to=council.active_to,
            populations=populations[council.pk],
            volume=council_volume / volume,
            upheld=council_upheld - upheld,
            satisfactory=council_satisfactory - satisfactory,
            towns=tuple(districts[council.pk]) or (place_name(council.name),),
        )
        for council, _, council_volume, council_upheld, council_satisfactory in drawn
    ]


def _poisson(rng: random.Random, mean: float) -> int:
    if mean <= 0:
        return 0
    if mean < 30:  # Knuth's method
        limit, count, product = math.exp(-mean), 0, rng.random()
        while product > limit:
            count += 1
            product *= rng.random()
        return count
    return max(0, round(rng.gauss(mean, math.sqrt(mean))))


DAYS = tuple(datetime.timedelta(days=n) for n in range(400))  # every offset used is under 400 days; built once


def _randint(rng: random.Random, low: int, high: int) -> int:
    """rng.randint, several times faster (called a few times per case)."""
    return low + int(rng.random() * (high - low + 1))


def _pick_weighted(rng: random.Random, items: list, cumulative: list[float]):
    return items[bisect.bisect(cumulative, rng.random() * cumulative[-1])]


def _is_working_day(day: datetime.date) -> bool:
    return day.weekday() < 5 and (day.month, day.day) not in CLOSED_DAYS


def _working_day_before(day: datetime.date) -> datetime.date:
    while not _is_working_day(day):
        day -= DAYS[1]
    return day


def _working_day_after(day: datetime.date) -> datetime.date:
    while not _is_working_day(day):
        day += DAYS[1]
    return day


class _Calendar:
    """Working days between two dates with cumulative month weights, for drawing decision dates."""

    def __init__(self):
        self._cache = {}

    def days(self, first: datetime.date, last: datetime.date) -> tuple[list[datetime.date], list[float]]:
        if (first, last) not in self._cache:
            days, weights, total = [], [], 0.0
            day = first
            while day <= last:
                if _is_working_day(day):
                    total += MONTH_WEIGHTS[day.month]
                    days.append(day)
                    weights.append(total)
                day += DAYS[1]
            self._cache[first, last] = (days, weights)
        return self._cache[first, last]


class _People:
    """Pools of synthetic complainants' names, postcodes and phone numbers (Faker en_GB, drawn once)."""

    def __init__(self, seed: int):
        self.names = NamePool(seed)
        faker = self.names.faker
        self.postcodes = [faker.postcode() for _ in range(2000)]
        self.phones = [faker.phone_number() for _ in range(1500)]

    def address(self, rng: random.Random, town: str) -> str:
        """Three lines: a made-up street, a town in the council's area, a random postcode."""
        street = f"{_randint(rng, 1, 180)} {pick(rng, self.names.last)} {pick(rng, STREET_KINDS)}"
        if rng.random() < 0.15:
            street = f"Flat {_randint(rng, 1, 40)}, {street}"
        return f"{street}\n{town}\n{pick(rng, self.postcodes)}"


@dataclass(frozen=True)
class _Odds:
    """The chances of each outcome for one council, sub-category and year."""

    investigated: float
    upheld: float
    satisfactory: float

    @classmethod
    def of(cls, council: _Council, sub: _Subcategory, figures: YearFigures) -> "_Odds":
        upheld = (
            figures.upheld
            + sub.profile.upheld
            - UPHELD_MEAN
            + TYPE_UPHELD.get(council.authority_type, 0)
            + council.upheld
        )
        return cls(
            investigated=figures.investigated * sub.profile.investigated / INVESTIGATED_MEAN,
            upheld=min(max(upheld, 0.05), 0.97),
            satisfactory=min(max(figures.satisfactory + council.satisfactory, 0.0), 0.4),
        )

    def draw(self, rng: random.Random) -> tuple[str, str]:
        if rng.random() >= self.investigated:
            return _pick_weighted(rng, NOT_INVESTIGATED_OUTCOMES, NOT_INVESTIGATED_CUMULATIVE), ""
        if rng.random() >= self.upheld:
            return Outcome.NOT_UPHELD, ""
        draw = rng.random()
        if draw < self.satisfactory:
            return Outcome.UPHELD, UpheldKind.SATISFACTORY_REMEDY_BY_COUNCIL
        if draw < self.satisfactory + NO_SIGNIFICANT_INJUSTICE:
            return Outcome.UPHELD, UpheldKind.NO_SIGNIFICANT_INJUSTICE
        return Outcome.UPHELD, UpheldKind.INJUSTICE_REMEDY_RECOMMENDED


@dataclass(slots=True)
class _Generated:
    received_on: datetime.date
    order: tuple[float, str]  # tie-break for numbering references: councils interleave within a day
    period: ReviewPeriod
    case: NewCase


class _Generator:
    def __init__(self, *, seed: int, scale: float, last: ReviewPeriod, caseworker_ids: list[int]):
        self.seed, self.scale, self.last = seed, scale, last
        self.window_end, self.last_start = last.end, last.start
        self.caseworker_ids = caseworker_ids
        self.calendar = _Calendar()
        self.people = _People(seed)
        self.subcategories = _subcategories()
        self.email_parts: dict[str, str] = {}

    def council_year(self, council: _Council, period: ReviewPeriod, *, open_only: bool = False) -> list[_Generated]:
        """A council's cases decided in the period; with open_only, those received by the window's end (kept open)."""
        active = council.active_days(period)
        if active is None:
            return []
        rng = random.Random(f"{self.seed}:{period.label}:{council.gss_code}")  # noqa: S311 - synthetic demo data, not security
        # Assignments draw from their own stream, so the casework is the same with or without caseworkers.
        self.assign_rng = random.Random(f"{self.seed}:assign:{period.label}:{council.gss_code}")  # noqa: S311
        figures = national_figures(period.start_year)
        days, weights = self.calendar.days(*active)
        fraction = len(days) / len(self.calendar.days(period.start, period.end)[0])
        per_100k = council.population(period.start_year) / 100_000
        generated = []
        for sub in self.subcategories:
            mean = (
                per_100k
                * figures.decisions_per_100k
                * sub.share
                * _tier_share(sub, council.authority_type)
                * council.volume
                * fraction
                * self.scale
            )
            count = _poisson(rng, mean)
            if not count:
                continue
            odds = _Odds.of(council, sub, figures)
            for decided_on in rng.choices(days, cum_weights=weights, k=count):
                case = self.case(rng, council, sub, odds, decided_on, open_only=open_only)
                if case is not None:
                    generated.append(_Generated(case.received_on, (rng.random(), council.gss_code), period, case))
        return generated

    def case(self, rng, council, sub, odds: "_Odds", decided_on, *, open_only: bool) -> NewCase | None:
        outcome, upheld_kind = odds.draw(rng)
        low, high, mode = LAG_DAYS[outcome]
        received_on = _working_day_before(decided_on - DAYS[round(rng.triangular(low, high, mode))])
        if council.active_from and received_on < council.active_from:
            # A council created recently: spread its first complaints over the days it has existed.
            received_on = council.active_from + DAYS[_randint(rng, 0, (decided_on - council.active_from).days)]
        if open_only and received_on > self.window_end:
            return None
        person = self.people.names.person(rng)
        who = f"{person.title} X"
        case = NewCase(
            reference="",
            council_id=council.pk,
            received_on=received_on,
            category_id=sub.category_id,
            subcategory_id=sub.subcategory_id,
            complainant_name=person.full_name,
            complainant_email=self.email(rng, person.first_name, person.last_name),
            complainant_phone=pick(rng, self.people.phones) if rng.random() < 0.7 else "",
            complainant_address=self.people.address(rng, pick(rng, council.towns)) if rng.random() < 0.9 else "",
            summary=demo_texts.COMPLAINT.format(who=who, what=pick(rng, sub.complaint_phrases)),
        )
        if open_only:
            age = (self.window_end - received_on).days
            if age <= 7:
                case.status = Status.RECEIVED
            elif outcome in INVESTIGATED_OUTCOMES and age > 40:
                case.status = Status.INVESTIGATION
            else:
                case.status = Status.ASSESSMENT
            if case.status != Status.RECEIVED:
                case.assigned_to_id = self.caseworker()
            return case
        case.decided_on, case.outcome, case.upheld_kind = decided_on, outcome, upheld_kind
        wording = upheld_kind or outcome
        if upheld_kind == UpheldKind.INJUSTICE_REMEDY_RECOMMENDED:
            if rng.random() < REPORT_SHARE:
                case.decision_form = DecisionForm.REPORT
            case.recommendations = self.recommendations(rng, decided_on, who)
            if any(r.remedy_kind == RemedyKind.SERVICE_IMPROVEMENT for r in case.recommendations):
                wording = "service_improvement"
            self.compliance(rng, case)
        case.decision_summary = pick(rng, demo_texts.DECISION[wording]).format(who=who, topic=sub.topic)
        case.status = status_after_decision(
            outcome=outcome, upheld_kind=upheld_kind, has_compliance=bool(case.compliance_outcome)
        )
        if case.status == Status.DECIDED and decided_on < self.last_start:
            case.status = Status.CLOSED
        if case.status == Status.REMEDY_MONITORING:
            case.assigned_to_id = self.caseworker()
        return case

    def recommendations(self, rng, decided_on: datetime.date, who: str) -> list[NewRecommendation]:
        """One to three remedies: usually an apology, often a payment, sometimes a service improvement."""
        types = []
        if rng.random() < 0.75:
            types.append(RecommendationType.APOLOGY)
        if rng.random() < 0.55:
            types.append(RecommendationType.FINANCIAL_REDRESS)
        if rng.random() < 0.3:
            types.append(rng.choice(PERSONAL_TYPES))
        if rng.random() < 0.35:
            types.append(
                rng.choices(list(SERVICE_IMPROVEMENT_TYPES), weights=list(SERVICE_IMPROVEMENT_TYPES.values()))[0]
            )
        if not types:
            types.append(rng.choice((RecommendationType.APOLOGY, RecommendationType.PROVIDE_SERVICE)))
        result = []
        for type_ in types[:3]:
            improvement = type_ in SERVICE_IMPROVEMENT_TYPES and (
                type_ != RecommendationType.OTHER or rng.random() < 0.5
            )
            amount = None
            if type_ == RecommendationType.FINANCIAL_REDRESS:
                pounds = min(max(rng.lognormvariate(math.log(300), 0.75), 100), 5000)
                step = 50 if pounds < 1000 else 100
                amount = Decimal(max(step, round(pounds / step) * step))
            result.append(
                NewRecommendation(
                    type=type_,
                    remedy_kind=RemedyKind.SERVICE_IMPROVEMENT if improvement else RemedyKind.PERSONAL,
                    description=pick(rng, demo_texts.RECOMMENDATION[type_]).format(
                        who=who, amount=f"{amount:,.0f}" if amount else ""
                    ),
                    amount=amount,
                    due_on=decided_on + DAYS[_randint(rng, 56, 92) if improvement else _randint(rng, 28, 42)],
                )
            )
        return result

    def compliance(self, rng, case: NewCase) -> None:
        """Recorded a little after the last remedy falls due, unless that is after the last year."""
        due = max(r.due_on for r in case.recommendations)
        draw, cumulative = rng.random(), 0.0
        for result, share, (low, high) in COMPLIANCE:
            cumulative += share
            if draw < cumulative or result == ComplianceResult.COMPLIED_ON_TIME:
                recorded_on = _working_day_after(due + DAYS[_randint(rng, low, high)])
                if recorded_on <= self.window_end:
                    case.compliance_outcome, case.compliance_recorded_on = result, recorded_on
                return

    def email(self, rng, first: str, last: str) -> str:
        if rng.random() >= 0.8:
            return ""
        parts = []
        for name in (first, last):
            part = self.email_parts.get(name)
            if part is None:
                part = self.email_parts[name] = email_local_part(name)
            parts.append(part)
        number = str(_randint(rng, 1, 99)) if rng.random() < 0.3 else ""
        return f"{parts[0]}.{parts[1]}{number}@{pick(rng, EMAIL_DOMAINS)}"

    def caseworker(self) -> int | None:
        return pick(self.assign_rng, self.caseworker_ids) if self.caseworker_ids else None


def casework_in_periods(periods: Iterable[ReviewPeriod]):
    """Complaints received, or decided, in the span of these review years."""
    periods = list(periods)
    span = (min(periods).start, max(periods).end)
    decided = Decision.objects.filter(decided_on__range=span).values("complaint_id")
    return Complaint.objects.filter(Q(received_on__range=span) | Q(pk__in=decided))


@transaction.atomic
def casework_delete(*, periods: Iterable[ReviewPeriod]) -> int:
    """Delete the casework of these review years (for --replace); returns how many complaints went.

    Plain DELETEs (the history triggers record them): if another table refers to one of
    these complaints, the foreign key stops the delete with an IntegrityError instead of
    cascading into someone else's records."""
    sql, params = casework_in_periods(periods).values("pk").query.sql_with_params()
    complaint, decision, recommendation, compliance = (
        m._meta.db_table for m in (Complaint, Decision, Recommendation, ComplianceOutcome)
    )
    # Qualified names (r.id, d.id): a column missing from the subquery must fail, not correlate to the outer table.
    replaced = "SELECT r.id FROM demo_replaced r"
    decisions = f"SELECT d.id FROM {decision} d WHERE d.complaint_id IN ({replaced})"  # noqa: S608 - our tables
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMPORARY TABLE demo_replaced (id bigint PRIMARY KEY)")
        cursor.execute(f"INSERT INTO demo_replaced (id) {sql}", params)
        cursor.execute(f"DELETE FROM {compliance} WHERE decision_id IN ({decisions})")  # noqa: S608 - our tables
        cursor.execute(f"DELETE FROM {recommendation} WHERE decision_id IN ({decisions})")  # noqa: S608 - our tables
        cursor.execute(f"DELETE FROM {decision} WHERE complaint_id IN ({replaced})")  # noqa: S608 - our tables
        cursor.execute(f"DELETE FROM {complaint} WHERE id IN ({replaced})")  # noqa: S608 - our tables
        deleted = cursor.rowcount
        cursor.execute("DROP TABLE demo_replaced")
    return deleted


def _caseworker_ids() -> list[int]:
    return list(
        User.objects.filter(groups__name=Role.CASEWORKER, is_active=True).order_by("pk").values_list("pk", flat=True)
    )


def _number_references(generated: list[_Generated]) -> None:
    """Give each case the next reference of the year it was received, after what the counters hold."""
    years = sorted({f"{g.received_on.year % 100:02d}" for g in generated})
    references_reserve(dict.fromkeys(years, 0))  # make sure each counter row exists, then lock it
    last = dict(ReferenceCounter.objects.select_for_update().filter(year__in=years).values_list("year", "last_number"))
    generated.sort(key=lambda g: (g.received_on, g.order))
    for g in generated:
        year = f"{g.received_on.year % 100:02d}"
        last[year] += 1
        if last[year] > 999_999:
            raise ValueError(f"Too many complaints for 20{year}: references run out at 999 999.")
        g.case.reference = format_reference(year, last[year])
    references_reserve(last)


def _tables_analyse() -> None:
    """Refresh the planner's row counts of the tables the rule triggers join, inside the loading transaction.

    The statement-level rule triggers join the rows just copied to the complaints and
    decisions; their plans are made (and cached) on the tables' statistics, and planned for
    small tables those joins scan a table once per new row, so a load of 100,000 cases would
    take many minutes instead of seconds. ANALYZE counts this transaction's own rows and
    invalidates the cached plans; a small sample is enough for row counts (autovacuum
    analyses properly after the commit)."""
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL default_statistics_target = 10")
        cursor.execute(f"ANALYZE {Complaint._meta.db_table}, {Decision._meta.db_table}")
        cursor.execute("RESET default_statistics_target")


def _casework_tables() -> list:
    models = [Complaint, Decision, Recommendation, ComplianceOutcome]
    return models + [model.pgh_event_model for model in models]


def demo_casework_generate(
    *,
    periods: Iterable[ReviewPeriod],
    scale: float = 1.0,
    seed: int = 0,
    progress: Callable[[str], None] = lambda line: None,
) -> list[YearSummary]:
    """Generate and insert the casework of these review years in one transaction; returns a summary per year
    (the complaints still open at the end are counted in the last year). `progress` gets a line per step."""
    periods = sorted(set(periods))
    if not periods:
        raise ValueError("Give at least one review year.")
    if not 0 < scale <= MAX_SCALE:
        raise ValueError(f"The scale must be more than 0 and at most {MAX_SCALE:g}.")
    last = periods[-1]
    started = time.monotonic()
    with transaction.atomic():
        generator = _Generator(seed=seed, scale=scale, last=last, caseworker_ids=_caseworker_ids())
        councils = _councils(seed)
        generated: list[_Generated] = []
        for period in periods:
            for council in councils:
                generated.extend(generator.council_year(council, period))
        after = ReviewPeriod(last.start_year + 1)
        for council in councils:
            for g in generator.council_year(council, after, open_only=True):
                g.period = last
                generated.append(g)
        _number_references(generated)
        summaries = _summaries(periods, generated)
        progress(f"Generated {len(generated):,} cases in {time.monotonic() - started:.1f} s.")
        by_period = defaultdict(list)
        for g in generated:
            by_period[g.period].append(g.case)
        stored = Complaint.objects.count()
        large = len(generated) >= BULK_LOAD_MIN_ROWS and len(generated) > stored
        with bulk_load(*_casework_tables()) if large else contextlib.nullcontext():
            loaded, analysed = stored, 0
            for period in periods:
                step = time.monotonic()
                for start in range(0, len(by_period[period]), BATCH_SIZE):
                    batch = by_period[period][start : start + BATCH_SIZE]
                    cases_insert(batch)
                    loaded += len(batch)
                    if loaded >= 2 * analysed:
                        _tables_analyse()
                        analysed = loaded
                progress(f"{summaries[period]} ({time.monotonic() - step:.1f} s)")
            step = time.monotonic()
        if large:
            progress(f"Rebuilt the indexes and foreign keys in {time.monotonic() - step:.1f} s.")
    return list(summaries.values())


def _summaries(periods: list[ReviewPeriod], generated: list[_Generated]) -> dict[ReviewPeriod, YearSummary]:
    """Counts for the progress report (the statistics proper are computed in SQL by the reviews)."""
    summaries = {period: YearSummary(period.label) for period in periods}
    for g in generated:
        received_in = summaries.get(ReviewPeriod.containing(g.received_on))
        if received_in is not None:
            received_in.received += 1
        summary, case = summaries[g.period], g.case
        if case.decided_on is None:
            summary.open += 1
            continue
        summary.decisions += 1
        summary.investigations += case.outcome in INVESTIGATED_OUTCOMES
        summary.upheld += case.outcome == Outcome.UPHELD
        summary.satisfactory += case.upheld_kind == UpheldKind.SATISFACTORY_REMEDY_BY_COUNCIL
    return summaries
