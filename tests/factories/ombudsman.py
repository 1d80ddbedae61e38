"""Factories for users (ombudsman)."""

import factory
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from ombudsman.models import User
from ombudsman.roles import Role

PASSWORD = "correct-horse-battery-staple"


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
