"""Migration 0005 rewords the seeded letter templates only where a manager has not edited them."""

import importlib

import pytest
from django.apps import apps

from casefile.correspondence.models import LetterKind, LetterTemplate
from casefile.correspondence.placeholders import placeholder_problems

pytestmark = pytest.mark.django_db

migration = importlib.import_module("casefile.migrations.0005_letter_template_wording")


def bodies() -> dict[str, str]:
    return dict(LetterTemplate.objects.values_list("kind", "body"))


def test_template_wording_is_what_a_new_database_gets():
    assert bodies() == migration.BODIES


def test_template_wording_replaces_the_seeded_text():
    for kind, body in migration.SEEDED.items():
        LetterTemplate.objects.filter(kind=kind).update(body=body)

    migration.reword(apps, None)

    assert bodies() == migration.BODIES


def test_template_wording_keeps_a_managers_edit():
    for kind, body in migration.SEEDED.items():
        LetterTemplate.objects.filter(kind=kind).update(body=body)
    edited = migration.SEEDED[LetterKind.ENQUIRY] + "\n\nYours sincerely, the complaints team"
    LetterTemplate.objects.filter(kind=LetterKind.ENQUIRY).update(body=edited)

    migration.reword(apps, None)

    assert bodies() == {**migration.BODIES, LetterKind.ENQUIRY: edited}


def test_template_wording_reversed_restores_the_seeded_text_but_keeps_a_managers_edit():
    LetterTemplate.objects.filter(kind=LetterKind.FINAL_DECISION).update(body="Dear {recipient_name},\n\nOur own.")

    migration.restore(apps, None)

    assert bodies() == {**migration.SEEDED, LetterKind.FINAL_DECISION: "Dear {recipient_name},\n\nOur own."}


def test_template_wording_uses_only_known_placeholders():
    problems = [problem for body in migration.BODIES.values() for problem in placeholder_problems(body)]

    assert problems == []
