"""The figures the demo data generator follows (demo.generator).

National figures per review year, and how cases spread over service categories, authority
types and outcomes. The category shares are England's mix; in two-tier areas each
sub-category is split between the district and the county, so summed over England the
volumes come back to the national rate times the population.
"""

import itertools
from dataclasses import dataclass, field

from complaints.models import ComplianceResult, Outcome, RecommendationType
from councils.models import AuthorityType


@dataclass(frozen=True)
class YearFigures:
    decisions_per_100k: float
    investigated: float  # share of decisions that are investigations (upheld + not upheld)
    upheld: float  # uphold rate of investigations
    satisfactory: float  # share of upheld decisions where the council had already remedied


# The register's councils serve 56.2m residents in 2019-20 (mid-2019) and 58.6m in 2024-25
# (mid-2024): 17,800 -> 20,900 decisions a year, 4,250 investigations, uphold rate
# 61% -> 84% (a little less comes out: councils' own rates are capped below 100%).
NATIONAL = {
    2019: YearFigures(31.7, 0.2388, 0.61, 0.11),
    2020: YearFigures(31.2, 0.2415, 0.66, 0.115),
    2021: YearFigures(32.5, 0.2310, 0.70, 0.12),
    2022: YearFigures(33.8, 0.2202, 0.74, 0.125),
    2023: YearFigures(35.0, 0.2104, 0.79, 0.13),
    2024: YearFigures(35.7, 0.2033, 0.84, 0.135),
}
NO_SIGNIFICANT_INJUSTICE = 0.07  # of upheld decisions
NOT_INVESTIGATED = {  # shares of the decisions that are not investigations
    Outcome.REFERRED_BACK: 0.55,
    Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES: 0.30,
    Outcome.ADVICE_GIVEN: 0.08,
    Outcome.INCOMPLETE_INVALID: 0.07,
}
NOT_INVESTIGATED_OUTCOMES = list(NOT_INVESTIGATED)
NOT_INVESTIGATED_CUMULATIVE = list(itertools.accumulate(NOT_INVESTIGATED.values()))
REPORT_SHARE = 0.006  # upheld decisions with remedies that are public interest reports
# Days from received to decided: triangular(low, high, mode).
LAG_DAYS = {
    Outcome.REFERRED_BACK: (2, 40, 10),
    Outcome.INCOMPLETE_INVALID: (3, 60, 14),
    Outcome.ADVICE_GIVEN: (5, 90, 21),
    Outcome.CLOSED_AFTER_INITIAL_ENQUIRIES: (14, 150, 45),
    Outcome.NOT_UPHELD: (45, 330, 120),
    Outcome.UPHELD: (45, 330, 120),
}
COMPLIANCE = (  # (result, share, days after the last due date it is recorded)
    (ComplianceResult.NOT_COMPLIED, 0.01, (45, 120)),
    (ComplianceResult.COMPLIED_LATE, 0.12, (21, 90)),
    (ComplianceResult.COMPLIED_ON_TIME, 0.87, (1, 21)),
)
MONTH_WEIGHTS = {
    1: 1.0,
    2: 1.0,
    3: 1.1,
    4: 0.95,
    5: 1.0,
    6: 1.05,
    7: 1.05,
    8: 0.85,
    9: 1.0,
    10: 1.05,
    11: 1.05,
    12: 0.8,
}
CLOSED_DAYS = {(12, 25), (12, 26), (1, 1)}


@dataclass(frozen=True)
class CategoryProfile:
    share: float  # of a single-tier council's decisions (and of England's)
    investigated: float  # relative likelihood that a decision is an investigation
    upheld: float  # difference from the year's uphold rate
    # sub-category slug suffix -> (share within the category, the district's part in two-tier areas)
    subcategories: dict[str, tuple[float, float]] = field(default_factory=dict)


CATEGORIES = {
    "adult-care-services": CategoryProfile(
        0.17,
        1.35,
        0.08,
        {
            "assessment-and-care-plan": (0.30, 0),
            "charging": (0.20, 0),
            "residential-care": (0.15, 0),
            "domiciliary-care": (0.15, 0),
            "safeguarding": (0.10, 0),
            "direct-payments": (0.06, 0),
            "transition-from-childrens-services": (0.04, 0),
        },
    ),
    "benefits-and-tax": CategoryProfile(
        0.08,
        0.75,
        0.0,
        {
            "council-tax": (0.45, 1),
            "housing-benefit-and-council-tax-reduction": (0.30, 1),
            "business-rates": (0.10, 1),
            "discretionary-payments": (0.15, 1),
        },
    ),
    "corporate-and-other-services": CategoryProfile(
        0.08,
        0.8,
        0.0,
        {
            "complaint-handling": (0.45, 0.5),
            "data-protection": (0.20, 0.5),
            "elections-and-electoral-register": (0.10, 1),
            "grants": (0.10, 0.5),
            "leisure-and-culture": (0.15, 0.7),
        },
    ),
    "education-and-childrens-services": CategoryProfile(
        0.21,
        1.45,
        0.10,
        {
            "special-educational-needs": (0.45, 0),
            "school-admissions": (0.12, 0),
            "school-transport": (0.12, 0),
            "children-in-care": (0.10, 0),
            "child-protection": (0.12, 0),
            "exclusions": (0.04, 0),
            "alternative-provision": (0.05, 0),
        },
    ),
    "environmental-services-public-protection-and-regulation": CategoryProfile(
        0.08,
        0.85,
        -0.03,
        {
            "refuse-and-recycling": (0.35, 0.8),
            "noise": (0.20, 1),
            "pest-control": (0.05, 1),
            "licensing": (0.15, 1),
            "trading-standards": (0.10, 0),
            "cemeteries-and-crematoria": (0.15, 1),
        },
    ),
    "highways-and-transport": CategoryProfile(
        0.10,
        0.55,
        -0.06,
        {
            "parking-and-other-penalties": (0.35, 0.5),
            "highway-repair-and-maintenance": (0.35, 0),
            "street-lighting": (0.08, 0.1),
            "traffic-management": (0.15, 0),
            "concessionary-travel": (0.07, 0),
        },
    ),
    "housing": CategoryProfile(
        0.13,
        0.95,
        0.03,
        {
            "homelessness": (0.35, 1),
            "allocations": (0.25, 1),
            "council-housing-repairs": (0.15, 1),
            "disabled-facilities-grants": (0.08, 1),
            "private-rented-sector": (0.10, 1),
            "antisocial-behaviour": (0.07, 1),
        },
    ),
    "planning-and-development": CategoryProfile(
        0.12,
        0.75,
        -0.15,
        {
            "planning-applications": (0.55, 0.95),
            "enforcement": (0.25, 0.95),
            "building-control": (0.08, 1),
            "trees": (0.07, 1),
            "land-charges": (0.05, 1),
        },
    ),
    "other": CategoryProfile(0.03, 0.5, -0.05, {"other": (1.0, 0.5)}),
}
# The national mix is the single-tier mix (two-tier areas split it), so these centre the
# category differences on the year's national figures.
INVESTIGATED_MEAN = sum(p.share * p.investigated for p in CATEGORIES.values())
UPHELD_MEAN = sum(p.share * p.investigated * p.upheld for p in CATEGORIES.values()) / INVESTIGATED_MEAN
TYPE_UPHELD = {AuthorityType.DISTRICT: -0.06, AuthorityType.COUNTY: 0.035}  # about cancel out nationally
LONDON_HOUSING = 1.6  # London boroughs: more housing cases, the same total
OTHER_BODY_VOLUME = 0.05  # fire authorities, national parks ...: few cases
TYPICAL_POPULATION = {
    AuthorityType.COUNTY: 750_000,
    AuthorityType.DISTRICT: 110_000,
    AuthorityType.METROPOLITAN_BOROUGH: 330_000,
    AuthorityType.UNITARY: 280_000,
    AuthorityType.LONDON_BOROUGH: 270_000,
    AuthorityType.OTHER: 500_000,
}
PERSONAL_TYPES = (RecommendationType.PROVIDE_SERVICE, RecommendationType.DECISION)
SERVICE_IMPROVEMENT_TYPES = {
    RecommendationType.PROCEDURE_CHANGE: 45,
    RecommendationType.STAFF_TRAINING: 35,
    RecommendationType.REVIEW_OTHER_CASES: 8,
    RecommendationType.PUBLIC_INFORMATION: 7,
    RecommendationType.OTHER: 5,
}


def national_figures(start_year: int) -> YearFigures:
    """The figures of a review year (years outside 2019-25 take the nearest known year's)."""
    return NATIONAL[min(max(start_year, min(NATIONAL)), max(NATIONAL))]
