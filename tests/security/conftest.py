"""The world the security tests ask their URLs about (tests/security/world.py), built once per module."""

import copy
import datetime
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import time_machine
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.utils import timezone

from tests import role_users
from tests.security.access import Clients
from tests.security.world import World, build_world


@dataclass(frozen=True)
class Built:
    world: World
    users: dict  # {role: user}, None for anonymous
    private: Path  # the private files the world stored (letters, the documents)
    at: datetime.datetime


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Built]:
    """The world and the role users (tests/role_users.py, as the conftest fixtures make them), built once
    for the module in a transaction rolled back at its end. Each test runs inside it in its own
    savepoint (pytest-django's `db`), rolled back after the test, so every test meets the world as
    built; `world` restores its files and its clock."""
    private = tmp_path_factory.mktemp("matrix") / "private"
    storages = {
        **settings.STORAGES,
        "private": {**settings.STORAGES["private"], "OPTIONS": {"location": private, "base_url": None}},
    }
    with (
        django_db_blocker.unblock(),
        override_settings(STORAGES=storages, PASSWORD_HASHERS=role_users.FAST_PASSWORD_HASHERS),
        transaction.atomic(),
    ):
        council, other_council = role_users.council_a(), role_users.council_b()
        users = {
            "anonymous": None,
            "caseworker": role_users.caseworker(),
            "manager": role_users.manager(),
            "council_user": role_users.council_user(council),
            "other_council_user": role_users.other_council_user(other_council),
            "superuser": role_users.superuser(),
        }
        world = build_world(council=council, other_council=other_council, manager=users["manager"])
        yield Built(world, users, private, timezone.now())
        transaction.set_rollback(True)


@pytest.fixture
def world(built, db, settings, _private_storage) -> Iterator[World]:
    """The module's world, its files copied into this test's own folder (conftest's
    `_private_storage`), the clock back at the moment it was built: a note written "just now" is
    still open to its author, as PostgreSQL's now(), the time the module's transaction began, says.
    A copy: whatever a test changes in its objects stays in that test, as their rows do."""
    shutil.copytree(built.private, settings.STORAGES["private"]["OPTIONS"]["location"], dirs_exist_ok=True)
    with time_machine.travel(built.at, tick=True):
        yield copy.deepcopy(built.world)


@pytest.fixture
def clients(built) -> Clients:
    return Clients(copy.deepcopy(built.users))
