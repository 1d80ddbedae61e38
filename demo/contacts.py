"""Synthetic people for the demo: a chief executive and a link officer for every council.

Names come from Faker (en_GB) drawn once into pools, so generating thousands of people stays
fast and a seed gives the same people every time. Emails are on reserved domains
(`<council>.example.org`), so nothing the demo sends can reach a real person. Creating
contacts is idempotent: a council that already has a current contact in a role keeps it
(for example the Blaby chief executive that `demo_setup` gives a sign-in).
"""

import random
import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils.text import slugify
from faker import Faker

from councils.models import Contact, ContactRole, Council
from councils.services import contact_set

LINK_OFFICER_JOB_TITLES = (
    "Complaints Manager",
    "Corporate Complaints Officer",
    "Head of Customer Services",
    "Customer Feedback Manager",
    "Information Governance and Complaints Lead",
)
NAME_SUFFIXES = re.compile(r", (City|County) of$")


@dataclass(slots=True)
class Person:
    title: str
    first_name: str
    last_name: str
    female: bool

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"


def pick(rng: random.Random, items: Sequence):
    """rng.choice, about twice as fast (the generators call it hundreds of thousands of times)."""
    return items[int(rng.random() * len(items))]


class NamePool:
    """Faker's en_GB names, drawn once per seed (sorted, so the pool does not depend on set order)."""

    def __init__(self, seed: int, size: int = 1500):
        faker = Faker("en_GB")
        faker.seed_instance(seed)
        self.faker = faker
        self.female = sorted({faker.first_name_female() for _ in range(size)})
        self.male = sorted({faker.first_name_male() for _ in range(size)})
        self.last = sorted({faker.last_name() for _ in range(size)})

    def person(self, rng: random.Random, *, doctor_share: float = 0.04) -> Person:
        female = rng.random() < 0.53
        draw = rng.random()
        if draw < doctor_share:
            title = "Dr"
        elif not female:
            title = "Mr"
        else:
            title = "Mrs" if draw < 0.45 else "Ms" if draw < 0.9 else "Miss"
        first = pick(rng, self.female if female else self.male)
        return Person(title=title, first_name=first, last_name=pick(rng, self.last), female=female)


def email_local_part(*names: str) -> str:
    """'Siân', "O'Neill" -> 'sian.oneill' (ASCII letters, digits and hyphens only)."""
    parts = []
    for name in names:
        ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
        parts.append(re.sub(r"[^a-z0-9-]", "", ascii_name.lower().replace(" ", "-")))
    return ".".join(part for part in parts if part)


def place_name(council_name: str) -> str:
    """The place an ONS council name stands for: 'Bristol, City of' -> 'Bristol'."""
    return NAME_SUFFIXES.sub("", council_name)


def council_email_domain(council_name: str) -> str:
    """'Bristol, City of' -> 'bristol.example.org' (a reserved domain: the demo never emails anyone real)."""
    return f"{slugify(place_name(council_name))}.example.org"


def contacts_create(*, seed: int = 0) -> int:
    """Give every council without a current chief executive or link officer a synthetic one,
    through councils.services.contact_set.

    Returns how many contacts were created (0 when run again)."""
    pool = NamePool(seed)
    roles = (ContactRole.CHIEF_EXECUTIVE, ContactRole.LINK_OFFICER)
    created = 0
    with transaction.atomic():
        existing = set(Contact.objects.filter(is_current=True, role__in=roles).values_list("council_id", "role"))
        for council in Council.objects.order_by("gss_code"):
            rng = random.Random(f"{seed}:contacts:{council.gss_code}")  # noqa: S311 - synthetic demo data, not security
            domain = council_email_domain(council.name)
            chief = pool.person(rng, doctor_share=0.12)
            officer = pool.person(rng)
            while officer.full_name == chief.full_name:
                officer = pool.person(rng)
            for role, person, job_title in (
                (ContactRole.CHIEF_EXECUTIVE, chief, "Chief Executive"),
                (ContactRole.LINK_OFFICER, officer, rng.choice(LINK_OFFICER_JOB_TITLES)),
            ):
                if (council.pk, role) in existing:
                    continue
                contact_set(
                    council=council,
                    role=role,
                    title=person.title,
                    first_name=person.first_name,
                    last_name=person.last_name,
                    job_title=job_title,
                    email=f"{email_local_part(person.first_name, person.last_name)}@{domain}",
                )
                created += 1
    return created
