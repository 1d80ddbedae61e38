"""Factories for casework (complaints)."""

import datetime

import factory

from complaints.models import (
    Category,
    Complaint,
    ComplianceOutcome,
    Decision,
    Outcome,
    Recommendation,
    UpheldKind,
)
from complaints.references import reference_next
from tests.factories.councils import CouncilFactory


def category(slug: str = "housing") -> Category:
    """A seeded category (the data migration creates them)."""
    return Category.objects.get(slug=slug)


class ComplaintFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Complaint

    council = factory.SubFactory(CouncilFactory)
    received_on = datetime.date(2019, 5, 1)
    category = factory.LazyFunction(category)
    complainant_name = factory.Faker("name", locale="en_GB")
    complainant_email = factory.Faker("email", locale="en_GB")
    summary = "The council did not respond to repeated requests."
    reference = factory.LazyAttribute(lambda o: reference_next(o.received_on))


class DecisionFactory(factory.django.DjangoModelFactory):
    """A current decision; `council` follows the complaint's."""

    class Meta:
        model = Decision

    complaint = factory.SubFactory(ComplaintFactory)
    council = factory.SelfAttribute("complaint.council")
    decided_on = datetime.date(2019, 9, 1)
    outcome = Outcome.NOT_UPHELD
    upheld_kind = ""

    class Params:
        upheld = factory.Trait(outcome=Outcome.UPHELD, upheld_kind=UpheldKind.INJUSTICE_REMEDY_RECOMMENDED)
        satisfactory = factory.Trait(outcome=Outcome.UPHELD, upheld_kind=UpheldKind.SATISFACTORY_REMEDY_BY_COUNCIL)
        no_injustice = factory.Trait(outcome=Outcome.UPHELD, upheld_kind=UpheldKind.NO_SIGNIFICANT_INJUSTICE)


class RecommendationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Recommendation

    decision = factory.SubFactory(DecisionFactory, upheld=True)
    type = "apology"
    remedy_kind = "personal"
    description = "Apologise to the complainant."
    due_on = factory.LazyAttribute(lambda o: o.decision.decided_on + datetime.timedelta(days=30))


class ComplianceOutcomeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ComplianceOutcome

    decision = factory.SubFactory(DecisionFactory, upheld=True)
    council = factory.SelfAttribute("decision.council")
    outcome = "complied_on_time"
    recorded_on = factory.LazyAttribute(lambda o: o.decision.decided_on + datetime.timedelta(days=60))
