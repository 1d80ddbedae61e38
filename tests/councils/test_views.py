import datetime

import pytest
from django.urls import reverse

from councils.models import Contact
from tests import factories
from tests.roles import MANAGER_ONLY, STAFF_ONLY

STAFF_PAGES = [
    ("councils:council-list", False),
    ("councils:council-detail", True),
]
MANAGER_PAGES = ["councils:council-edit", "councils:contact-add"]


def url(name: str, council) -> str:
    return reverse(name, args=[council.gss_code]) if name != "councils:council-list" else reverse(name)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), STAFF_ONLY)
@pytest.mark.parametrize("name", ["councils:council-list", "councils:council-detail"])
def test_council_pages_access_per_role(client_for, council, role, expected, name):
    response = client_for(role).get(url(name, council))

    assert response.status_code == expected
    if role == "anonymous":
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "expected"), MANAGER_ONLY)
@pytest.mark.parametrize("name", MANAGER_PAGES)
def test_council_edit_pages_access_per_role(client_for, council, role, expected, name):
    response = client_for(role).get(url(name, council))

    assert response.status_code == expected


@pytest.mark.django_db
def test_contact_edit_and_remove_access(client_for, council):
    contact = factories.ContactFactory(council=council)
    for name in ("councils:contact-edit", "councils:contact-remove"):
        path = reverse(name, args=[council.gss_code, contact.pk])

        assert client_for("caseworker").get(path).status_code == 403
        assert client_for("manager").get(path).status_code == 200


@pytest.mark.django_db
def test_council_detail_unknown_code_is_404(client_for):
    assert client_for("caseworker").get(reverse("councils:council-detail", args=["E07999999"])).status_code == 404


@pytest.mark.django_db
def test_council_list_filters_by_type_and_name(client_for, council, other_council):
    client = client_for("caseworker")

    by_type = client.get(reverse("councils:council-list"), {"authority_type": "unitary"})
    by_name = client.get(reverse("councils:council-list"), {"q": "blaby"})

    assert [c.gss_code for c in by_type.context["table"].page.object_list.data] == ["E06000016"]
    assert [c.gss_code for c in by_name.context["table"].page.object_list.data] == ["E07000129"]


@pytest.mark.django_db
def test_council_list_links_are_govuk_links(client_for, council):
    response = client_for("caseworker").get(reverse("councils:council-list"))

    href = reverse("councils:council-detail", args=[council.gss_code])
    assert f'<a class="govuk-link" href="{href}">{council.name}</a>' in response.text


@pytest.mark.django_db
def test_council_list_filters_by_active_year(client_for):
    import datetime

    factories.CouncilFactory(name="Aylesbury Vale", gss_code="E07000004", active_to=datetime.date(2020, 3, 31))
    factories.CouncilFactory(
        name="Buckinghamshire", gss_code="E06000060", authority_type="unitary", active_from=datetime.date(2020, 4, 1)
    )

    response = client_for("caseworker").get(reverse("councils:council-list"), {"active_in": "2019-20"})

    assert [c.name for c in response.context["table"].page.object_list.data] == ["Aylesbury Vale"]


@pytest.mark.django_db
def test_council_list_makes_a_fixed_number_of_queries_at_1_and_20_councils(client_for, django_assert_num_queries):
    client = client_for("caseworker")
    county = factories.CouncilFactory(authority_type="county")
    page = reverse("councils:council-list")
    client.get(page)
    with django_assert_num_queries(11):
        at_one = client.get(page)
    factories.CouncilFactory.create_batch(19, county=county)

    with django_assert_num_queries(11):
        at_twenty = client.get(page)

    assert (len(at_one.context["table"].page.object_list), len(at_twenty.context["table"].page.object_list)) == (1, 20)


@pytest.mark.django_db
def test_council_list_paginates_at_50(client_for):
    factories.CouncilFactory.create_batch(55)

    response = client_for("caseworker").get(reverse("councils:council-list"), {"page": 2})

    assert (response.status_code, len(response.context["table"].page.object_list)) == (200, 5)
    assert b"govuk-pagination" in response.content


@pytest.mark.django_db
def test_council_edit_formal_name_saves_and_records_history(client_for, council, manager):
    response = client_for("manager").post(
        reverse("councils:council-edit", args=[council.gss_code]), {"formal_name": "Blaby DC"}
    )

    assert response.status_code == 302
    council.refresh_from_db()
    assert council.formal_name == "Blaby DC"
    event = council.pgh_event_model.objects.filter(pgh_obj=council, pgh_label="update").get()
    assert event.pgh_context.metadata["user"] == manager.pk


@pytest.mark.django_db
def test_council_edit_empty_name_shows_error_summary(client_for, council):
    response = client_for("manager").post(
        reverse("councils:council-edit", args=[council.gss_code]), {"formal_name": ""}
    )

    assert response.status_code == 200
    content = response.content.decode()
    assert "govuk-error-summary" in content
    assert '<a href="#id_formal_name">Enter the council&#x27;s name as it should appear in letters</a>' in content


@pytest.mark.django_db
def test_contact_add_replaces_current_chief_executive(client_for, council):
    old = factories.ContactFactory(council=council, role="chief_executive")
    data = {
        "role": "chief_executive",
        "title": "Dr",
        "first_name": "Amara",
        "last_name": "Okafor",
        "job_title": "Chief Executive",
        "email": "amara@blaby.example.org",
    }

    response = client_for("manager").post(reverse("councils:contact-add", args=[council.gss_code]), data)

    assert response.status_code == 302
    current = Contact.objects.get(council=council, role="chief_executive", is_current=True)
    old.refresh_from_db()
    assert (current.salutation, old.is_current) == ("Dr Okafor", False)


@pytest.mark.django_db
def test_contact_add_invalid_email_shows_error(client_for, council):
    data = {"role": "link_officer", "first_name": "A", "last_name": "B", "email": "nope"}

    response = client_for("manager").post(reverse("councils:contact-add", args=[council.gss_code]), data)

    assert response.status_code == 200
    assert "Enter an email address in the correct format, like name@example.com" in response.content.decode()
    assert Contact.objects.count() == 0


@pytest.mark.django_db
def test_a_contact_with_an_account_is_not_offered_an_invitation(client_for, council, council_user):
    from councils.models import CouncilMembership

    with_account = factories.ContactFactory(council=council, role="chief_executive", email=council_user.email)
    without = factories.ContactFactory(council=council, role="link_officer")
    CouncilMembership.objects.filter(user=council_user).update(contact=with_account)
    type(council_user).objects.filter(pk=council_user.pk).update(
        last_login=datetime.datetime(2026, 12, 2, 9, 30, tzinfo=datetime.UTC)
    )

    text = client_for("manager").get(url("councils:council-detail", council)).content.decode()

    assert reverse("councils:contact-invite", args=[council.gss_code, with_account.pk]) not in text
    assert reverse("councils:contact-invite", args=[council.gss_code, without.pk]) in text
    assert "Has an account</strong>" in text and "last signed in 2 Dec 2026 at 09:30" in text


@pytest.mark.django_db
def test_the_council_page_links_to_its_cases_and_letters(client_for, council):
    year = factories.ReviewYearFactory(label="2019-20")
    letter = factories.AnnualLetterFactory(council=council, review_year=year, ready=True)
    cases = f"{reverse('complaints:case-list')}?council={council.pk}"
    letters = reverse("reviews:letter-detail", args=["2019-20", letter.pk])

    manager = client_for("manager").get(url("councils:council-detail", council)).content.decode()

    assert f'href="{cases}"' in manager
    assert f'href="{letters}">2019-20 letter (draft ready)</a>' in manager


@pytest.mark.django_db
def test_a_caseworker_sees_the_cases_link_but_not_the_letters(client_for, council):
    year = factories.ReviewYearFactory(label="2019-20")
    factories.AnnualLetterFactory(council=council, review_year=year, ready=True)

    text = client_for("caseworker").get(url("councils:council-detail", council)).content.decode()

    assert f"{reverse('complaints:case-list')}?council={council.pk}" in text
    assert "Annual letters" not in text
