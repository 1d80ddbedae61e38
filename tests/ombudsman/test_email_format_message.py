"""One message for a malformed email address everywhere, GOV.UK's (issue 15): the forms, the
canonical-form validator and the database constraints (in the models and in the migrated state)."""

import pytest
from django.core.exceptions import ValidationError
from django.db.migrations.loader import MigrationLoader

from complaints.forms import ComplaintCreateForm
from councils.forms import NewContactForm
from ombudsman.auth import EMAIL_FORMAT
from ombudsman.auth_forms import SignInForm
from ombudsman.models import User

GOVUK = "Enter an email address in the correct format, like name@example.com"
CONSTRAINTS = [
    ("ombudsman", "user", "user_email_canonical"),
    ("councils", "contact", "contact_email_canonical"),
    ("councils", "invitation", "invitation_email_canonical"),
]


def test_the_message_is_govuks():
    assert EMAIL_FORMAT == GOVUK


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("form_class", "field", "data"),
    [
        (NewContactForm, "email", {"role": "link_officer", "first_name": "A", "last_name": "B"}),
        (ComplaintCreateForm, "complainant_email", {}),
        (SignInForm, "username", {"password": "x"}),
    ],
)
def test_each_form_says_it_for_a_malformed_address(form_class, field, data):
    form = form_class(data={**data, field: "name.example.com"})

    assert form.errors[field] == [GOVUK]


def test_the_canonical_form_validator_says_it():
    with pytest.raises(ValidationError) as error:
        User(email="ısis@example.org", password="x").full_clean()

    assert error.value.message_dict["email"] == [GOVUK]


@pytest.mark.parametrize(("app_label", "model", "name"), CONSTRAINTS)
def test_each_email_constraint_says_it_in_the_model_and_the_migrations(app_label, model, name):
    from django.apps import apps

    in_model = {c.name: c for c in apps.get_model(app_label, model)._meta.constraints}[name]
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    migrated = {c.name: c for c in state.models[(app_label, model)].options["constraints"]}[name]

    assert (in_model.violation_error_message, migrated.violation_error_message) == (GOVUK, GOVUK)
