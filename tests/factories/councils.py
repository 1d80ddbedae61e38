"""Factories for the register (councils): councils, contacts, populations and council users."""

import factory
from django.contrib.auth.models import Group

from councils.models import AuthorityType, Contact, ContactRole, Council, CouncilMembership, Population, Succession
from ombudsman.roles import Role
from tests.factories.ombudsman import UserFactory

TYPE_PREFIX = {
    AuthorityType.COUNTY: "E10",
    AuthorityType.DISTRICT: "E07",
    AuthorityType.METROPOLITAN_BOROUGH: "E08",
    AuthorityType.UNITARY: "E06",
    AuthorityType.LONDON_BOROUGH: "E09",
    AuthorityType.OTHER: "E31",
}


class CouncilFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Council
        django_get_or_create = ("gss_code",)

    authority_type = AuthorityType.DISTRICT
    gss_code = factory.LazyAttributeSequence(lambda o, n: f"{TYPE_PREFIX[o.authority_type]}{900000 + n:06d}")
    name = factory.Sequence(lambda n: f"Testshire {n}")
    formal_name = factory.LazyAttribute(lambda o: f"{o.name} Council")
    region = "East Midlands"
    active_from = None
    active_to = None


JOB_TITLES = {
    ContactRole.CHIEF_EXECUTIVE: "Chief Executive",
    ContactRole.LINK_OFFICER: "Complaints Manager",
    ContactRole.MONITORING_OFFICER: "Monitoring Officer",
    ContactRole.LEADER: "Leader of the Council",
    ContactRole.SCRUTINY_CHAIR: "Chair of the Overview and Scrutiny Committee",
    ContactRole.COMPLAINTS_CONTACT: "Complaints Officer",
}


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    council = factory.SubFactory(CouncilFactory)
    role = ContactRole.CHIEF_EXECUTIVE
    title = "Ms"
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    job_title = factory.LazyAttribute(lambda o: JOB_TITLES[o.role])
    email = factory.Sequence(lambda n: f"contact{n}@council.example.org")


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population

    council = factory.SubFactory(CouncilFactory)
    year = 2019
    population = 100_000


class SuccessionFactory(factory.django.DjangoModelFactory):
    """Pass predecessor, successor and on (the successor's first day)."""

    class Meta:
        model = Succession


class CouncilUserFactory(UserFactory):
    """A council user; pass council=... to choose their council."""

    @factory.post_generation
    def council(self, create, extracted, **kwargs):
        if not create:
            return
        council = extracted or CouncilFactory()
        CouncilMembership.objects.create(user=self, council=council)
        self.groups.add(Group.objects.get(name=Role.COUNCIL_USER))
