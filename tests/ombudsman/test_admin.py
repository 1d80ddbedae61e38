"""The admin: records that services must change are read-only, deletion that a service must decide
is not offered, and the header is the site's GOV.UK header."""

import pytest
from django.contrib import admin
from django.urls import reverse
from django.utils.html import escape

from complaints.models import Complaint, Decision
from councils.models import Council
from reviews.models import AnnualLetter, OutboxMessage, ReviewYear
from tests import factories

pytestmark = pytest.mark.django_db


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def letter(db):
    return factories.AnnualLetterFactory()


@pytest.fixture
def outbox_message(letter):
    return OutboxMessage.objects.create(
        letter=letter,
        recipient="ceo@example.org",
        role="chief_executive",
        kind="to",
        idempotency_key=f"{letter.pk}:1:ceo@example.org",
        message_id=f"<{letter.pk}.1@example.org>",
    )


@pytest.mark.parametrize("model", [ReviewYear, AnnualLetter, OutboxMessage])
def test_admin_letters_years_and_outbox_are_there_to_look_up_not_to_change(client_for, outbox_message, model):
    client = client_for("superuser")
    obj = model.objects.get()

    listing = client.get(admin_url(model, "changelist"))
    page = client.get(admin_url(model, "change", obj.pk))
    add = client.get(admin_url(model, "add"))
    delete = client.post(admin_url(model, "delete", obj.pk), {"post": "yes"})

    assert (listing.status_code, page.status_code, add.status_code, delete.status_code) == (200, 200, 403, 403)
    assert b'name="_save"' not in page.content
    assert b"delete_selected" not in listing.content
    assert model.objects.filter(pk=obj.pk).exists()


def test_admin_refuses_to_change_a_review_year(client_for, letter):
    year = letter.review_year

    response = client_for("superuser").post(admin_url(ReviewYear, "change", year.pk), {"label": "2031-32"})

    assert response.status_code == 403
    year.refresh_from_db()
    assert year.label != "2031-32"


@pytest.mark.parametrize(
    ("model", "factory"),
    [
        (Complaint, factories.ComplaintFactory),
        (Decision, factories.DecisionFactory),
        (Council, factories.CouncilFactory),
    ],
)
def test_admin_has_no_bulk_delete_where_a_service_decides(client_for, model, factory):
    obj = factory()
    client = client_for("superuser")

    listing = client.get(admin_url(model, "changelist"))
    bulk = client.post(
        admin_url(model, "changelist"), {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"}
    )
    single = client.post(admin_url(model, "delete", obj.pk), {"post": "yes"})

    assert listing.status_code == 200
    assert "delete_selected" not in admin.site._registry[model].get_actions(listing.wsgi_request)
    assert b"delete_selected" not in listing.content
    assert single.status_code == 403
    assert bulk.status_code in (200, 302)
    assert model.objects.filter(pk=obj.pk).exists()


def test_admin_header_is_the_sites_govuk_header(client_for):
    response = client_for("superuser").get(reverse("admin:index"))

    html = response.content.decode()
    assert '<div class="govuk-header">' in html
    assert (
        'class="govuk-header__homepage-link app-header__brand">Local Government and Social Care Ombudsman</a>' in html
    )
    assert 'class="govuk-service-navigation__link">Ombudsman casework: administration</a>' in html
    assert "Django administration" not in html


@pytest.mark.parametrize(
    ("role", "label"), [("superuser", "(administrator)"), ("manager", "(manager)"), ("caseworker", "(caseworker)")]
)
def test_home_names_the_role(client_for, role, label):
    response = client_for(role).get(reverse("home"))

    assert response.context["role"].lower() == label.strip("()")
    user = response.wsgi_request.user
    name = escape(user.get_full_name() or user.email)  # a generated name may be O'Connor: O&#x27;Connor in the page
    assert f"Signed in as {name} {label}.</p>" in response.content.decode()
