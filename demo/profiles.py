"""Who the demo casework is about: each council's fixed propensities and the service
sub-categories with their rates (used by demo.generator).

Each council draws its propensities from its own random.Random seeded with (seed, GSS code),
centred so that they set councils apart without moving the national figures.
"""

import datetime
import random
from collections import defaultdict
from dataclasses import dataclass

from complaints.models import Category
from councils.models import AuthorityType, Council, Population
from demo import texts
from demo.contacts import place_name
from demo.figures import CATEGORIES, LONDON_HOUSING, OTHER_BODY_VOLUME, TYPICAL_POPULATION, CategoryProfile
from ombudsman.periods import ReviewPeriod


@dataclass(frozen=True)
class CouncilProfile:
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
class Subcategory:
    category_id: int
    subcategory_id: int | None
    category_slug: str
    suffix: str
    profile: CategoryProfile
    share: float  # of a single-tier council's decisions
    district_part: float
    complaint_phrases: tuple[str, ...]
    topic: str


def subcategories() -> list[Subcategory]:
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
                Subcategory(tops[slug].pk, None, slug, "", profile, profile.share, 0.5, *texts.subject(slug, ""))
            )
            continue
        total = sum(share for share, _ in known.values())
        for suffix, (share, district_part) in known.items():
            result.append(
                Subcategory(
                    tops[slug].pk,
                    subs[slug][suffix].pk,
                    slug,
                    suffix,
                    profile,
                    profile.share * share / total,
                    district_part,
                    *texts.subject(slug, suffix),
                )
            )
    return result


def tier_share(sub: Subcategory, authority_type: str) -> float:
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


def council_profiles(seed: int) -> list[CouncilProfile]:
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
        CouncilProfile(
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
