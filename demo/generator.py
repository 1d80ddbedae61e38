"""Draws the demo casework, one council and review year at a time (used by demo.casework).

Rules:
- Volumes and mixes follow the national figures of each review year (demo.figures.NATIONAL):
  decisions per 100,000 residents, the share investigated, the uphold rate, the
  satisfactory-remedy share. A council's cases in a service sub-category are a Poisson draw
  around its population times that sub-category's rate; two-tier areas split each
  sub-category between the district and the county (so England's total is the national rate
  times its population), London boroughs get more housing cases, and each council has a
  fixed propensity (volume, uphold rate, satisfactory remedies: demo.profiles), centred so
  that it sets councils apart without moving the national figures. Volumes are not scaled to the councils
  in the database: a database of two councils gets two councils' worth of cases.
- Cases are drawn by decision date: every council active in a year gets decisions dated on
  working days of that year while it is active; the complaint was received a lag earlier
  (days for cases not investigated, months for investigations), so a year's late complaints
  are decided in the next. Complaints received by the end of the last year that would be
  decided after it stay open; no decision is dated after the last year, and no compliance
  outcome either (remedies due later stay in remedy monitoring).
- Decided cases are closed, except in the last year, where they take status_after_decision.
- Each council-year draws from its own random.Random seeded with (seed, year, GSS code), and
  assignments to caseworkers from another, so the draws do not depend on which councils,
  years or users exist.
"""

import bisect
import datetime
import math
import random
from dataclasses import dataclass
from decimal import Decimal

from complaints.bulk import NewCase, NewRecommendation
from complaints.models import (
    INVESTIGATED_OUTCOMES,
    ComplianceResult,
    DecisionForm,
    Outcome,
    RecommendationType,
    RemedyKind,
    Status,
    UpheldKind,
    status_after_decision,
)
from demo import texts
from demo.contacts import NamePool, email_local_part, pick
from demo.figures import (
    CLOSED_DAYS,
    COMPLIANCE,
    INVESTIGATED_MEAN,
    LAG_DAYS,
    MONTH_WEIGHTS,
    NO_SIGNIFICANT_INJUSTICE,
    NOT_INVESTIGATED_CUMULATIVE,
    NOT_INVESTIGATED_OUTCOMES,
    PERSONAL_TYPES,
    REPORT_SHARE,
    SERVICE_IMPROVEMENT_TYPES,
    TYPE_UPHELD,
    UPHELD_MEAN,
    YearFigures,
    national_figures,
)
from demo.profiles import CouncilProfile, Subcategory, subcategories, tier_share
from ombudsman.periods import ReviewPeriod

STREET_KINDS = ("Road", "Street", "Avenue", "Close", "Lane", "Drive", "Way", "Crescent", "Gardens", "Grove", "Court")
EMAIL_DOMAINS = ("example.com", "example.org", "example.net")  # reserved: mail to them goes nowhere


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
    def of(cls, council: CouncilProfile, sub: Subcategory, figures: YearFigures) -> "_Odds":
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
class GeneratedCase:
    received_on: datetime.date
    order: tuple[float, str]  # tie-break for numbering references: councils interleave within a day
    period: ReviewPeriod
    case: NewCase


class CaseGenerator:
    def __init__(self, *, seed: int, scale: float, last: ReviewPeriod, caseworker_ids: list[int]):
        self.seed, self.scale, self.last = seed, scale, last
        self.window_end, self.last_start = last.end, last.start
        self.caseworker_ids = caseworker_ids
        self.calendar = _Calendar()
        self.people = _People(seed)
        self.subcategories = subcategories()
        self.email_parts: dict[str, str] = {}

    def council_year(
        self, council: CouncilProfile, period: ReviewPeriod, *, open_only: bool = False
    ) -> list[GeneratedCase]:
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
                * tier_share(sub, council.authority_type)
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
                    generated.append(GeneratedCase(case.received_on, (rng.random(), council.gss_code), period, case))
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
            summary=texts.COMPLAINT.format(who=who, what=pick(rng, sub.complaint_phrases)),
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
        case.decision_summary = pick(rng, texts.DECISION[wording]).format(who=who, topic=sub.topic)
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
                    description=pick(rng, texts.RECOMMENDATION[type_]).format(
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
