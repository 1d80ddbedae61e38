"""factory_boy factories for every model the tests build."""

import datetime

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from councils.models import AuthorityType, Contact, ContactRole, Council, CouncilMembership, Population
from ombudsman.models import User
from ombudsman.roles import Role

PASSWORD = "correct-horse-battery-staple"

TYPE_PREFIX = {
    AuthorityType.COUNTY: "E10",
    AuthorityType.DISTRICT: "E07",
    AuthorityType.METROPOLITAN_BOROUGH: "E08",
    AuthorityType.UNITARY: "E06",
    AuthorityType.LONDON_BOROUGH: "E09",
    AuthorityType.OTHER: "E31",
}


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    password = factory.LazyFunction(lambda: make_password(PASSWORD))

    @factory.post_generation
    def roles(self, create, extracted, **kwargs):
        if create and extracted:
            self.groups.add(*(Group.objects.get(name=role) for role in extracted))


class CaseworkerFactory(UserFactory):
    roles = factory.PostGeneration(
        lambda user, create, extracted, **kw: user.groups.add(Group.objects.get(name=Role.CASEWORKER))
    )


class ManagerFactory(UserFactory):
    roles = factory.PostGeneration(
        lambda user, create, extracted, **kw: user.groups.add(Group.objects.get(name=Role.MANAGER))
    )


class SuperuserFactory(UserFactory):
    is_staff = True
    is_superuser = True


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


class ContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contact

    council = factory.SubFactory(CouncilFactory)
    role = ContactRole.CHIEF_EXECUTIVE
    title = "Ms"
    first_name = factory.Faker("first_name", locale="en_GB")
    last_name = factory.Faker("last_name", locale="en_GB")
    job_title = "Chief Executive"
    email = factory.Sequence(lambda n: f"contact{n}@council.example.org")


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population

    council = factory.SubFactory(CouncilFactory)
    year = 2019
    population = 100_000


class CouncilUserFactory(UserFactory):
    """A council user; pass council=... to choose their council."""

    @factory.post_generation
    def council(self, create, extracted, **kwargs):
        if not create:
            return
        council = extracted or CouncilFactory()
        CouncilMembership.objects.create(user=self, council=council)
        self.groups.add(Group.objects.get(name=Role.COUNCIL_USER))


# Casework ---------------------------------------------------------------------------------

from complaints.models import (  # noqa: E402 - grouped with the casework factories
    Category,
    Complaint,
    ComplianceOutcome,
    Decision,
    Outcome,
    Recommendation,
    UpheldKind,
)
from complaints.references import reference_next  # noqa: E402


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


# Annual review ----------------------------------------------------------------------------

import hashlib  # noqa: E402 - grouped with the review factories

from django.core.files.base import ContentFile  # noqa: E402
from django.core.files.storage import storages  # noqa: E402

from ombudsman.periods import ReviewPeriod  # noqa: E402
from reviews.letters.years import new_year_defaults  # noqa: E402
from reviews.models import AnnualLetter, CouncilParagraph, LetterStatus, ReviewYear  # noqa: E402

FAKE_PDF = b"%PDF-1.7\n% test letter\n%%EOF\n"


class ReviewYearFactory(factory.django.DjangoModelFactory):
    """A review year with the defaults a manager starts from; pass label="2022-23" etc."""

    class Meta:
        model = ReviewYear
        django_get_or_create = ("label",)

    label = "2019-20"

    @classmethod
    def _adjust_kwargs(cls, **kwargs):
        defaults = new_year_defaults(ReviewPeriod.from_label(kwargs["label"]))
        return {**defaults, **kwargs}


class CouncilParagraphFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CouncilParagraph

    review_year = factory.SubFactory(ReviewYearFactory)
    council = factory.SubFactory(CouncilFactory)
    text = "We are concerned that remedies were often late this year."


def live_snapshot(council, review_year) -> dict:
    from reviews.statistics.snapshots import year_snapshots

    return year_snapshots(review_year)[council.pk]


class AnnualLetterFactory(factory.django.DjangoModelFactory):
    """A letter row with the council's live snapshot. `ready=True` gives it a (fake) stored PDF."""

    class Meta:
        model = AnnualLetter
        skip_postgeneration_save = True

    council = factory.SubFactory(CouncilFactory)
    review_year = factory.SubFactory(ReviewYearFactory)
    version = 1
    status = LetterStatus.PENDING
    snapshot = factory.LazyAttribute(lambda o: live_snapshot(o.council, o.review_year))

    class Params:
        ready = factory.Trait(
            status=LetterStatus.READY,
            pdf_name="letters/placeholder.pdf",
            pdf_sha256=hashlib.sha256(FAKE_PDF).hexdigest(),
        )

    @factory.post_generation
    def pdf_file(self, create, extracted, **kwargs):
        if create and self.status in AnnualLetter.WITH_PDF_STATUSES:
            storage = storages["private"]
            storage.delete(self.storage_name)
            self.pdf_name = storage.save(self.storage_name, ContentFile(FAKE_PDF))
            self.pdf_size = len(FAKE_PDF)
            AnnualLetter.objects.filter(pk=self.pk).update(pdf_name=self.pdf_name, pdf_size=self.pdf_size)
