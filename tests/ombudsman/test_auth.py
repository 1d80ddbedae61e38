import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD


@pytest.mark.django_db
def test_sign_in_with_email_and_password(client, council_user):
    response = client.post(reverse("login"), {"username": "CEO@Blaby.example.org", "password": PASSWORD})

    assert response.status_code == 302
    assert client.get(reverse("home"))["Location"] == reverse("portal:home")
    assert client.get(reverse("portal:home")).status_code == 200


@pytest.mark.django_db
def test_staff_sign_in_goes_on_to_two_step_verification(client, caseworker):
    client.post(reverse("login"), {"username": "caseworker@example.org", "password": PASSWORD})

    response = client.get(reverse("home"))

    assert response["Location"].startswith(reverse("two-factor-setup"))


@pytest.mark.django_db
def test_sign_in_wrong_password_shows_error_without_enumeration(client, caseworker):
    known = client.post(reverse("login"), {"username": "caseworker@example.org", "password": "wrong"})
    unknown = client.post(reverse("login"), {"username": "nobody@example.org", "password": "wrong"})

    message = "Enter a correct email address and password."
    assert message in known.content.decode() and message in unknown.content.decode()
    assert "govuk-error-summary" in known.content.decode()


@pytest.mark.django_db
def test_sign_in_locks_after_five_failures(client, caseworker):
    for _ in range(5):
        client.post(
            reverse("login"), {"username": "caseworker@example.org", "password": "wrong"}, REMOTE_ADDR="10.0.0.1"
        )

    locked = client.post(
        reverse("login"), {"username": "caseworker@example.org", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )
    other_ip = client.post(
        reverse("login"), {"username": "caseworker@example.org", "password": PASSWORD}, REMOTE_ADDR="10.0.0.2"
    )

    assert locked.status_code == 429
    assert "Too many attempts to sign in" in locked.content.decode()
    assert other_ip.status_code == 302


@pytest.mark.django_db
def test_sign_in_lockout_ignores_email_case(client, caseworker):
    for variant in [
        "caseworker@example.org",
        "Caseworker@example.org",
        "CASEWORKER@example.org",
        "caseworker@Example.org",
        "caseworker@EXAMPLE.ORG",
    ]:
        client.post(reverse("login"), {"username": variant, "password": "wrong"}, REMOTE_ADDR="10.0.0.1")

    locked = client.post(
        reverse("login"), {"username": "caseworker@example.org", "password": PASSWORD}, REMOTE_ADDR="10.0.0.1"
    )

    assert locked.status_code == 429


@pytest.mark.django_db
def test_sign_in_four_failures_do_not_lock(client, caseworker):
    for _ in range(4):
        client.post(reverse("login"), {"username": "caseworker@example.org", "password": "wrong"})

    assert (
        client.post(reverse("login"), {"username": "caseworker@example.org", "password": PASSWORD}).status_code == 302
    )


@pytest.mark.django_db
def test_sign_out_requires_post_and_ends_session(client, caseworker):
    client.force_login(caseworker)

    response = client.post(reverse("logout"))

    assert response.status_code == 302
    assert client.get(reverse("councils:council-list")).status_code == 302


@pytest.mark.django_db
def test_password_reset_emails_a_link_only_for_known_accounts(client, caseworker):
    client.post(reverse("password_reset"), {"email": "caseworker@example.org"})
    client.post(reverse("password_reset"), {"email": "nobody@example.org"})

    assert [message.to for message in mail.outbox] == [["caseworker@example.org"]]
    assert "/password-reset/" in mail.outbox[0].body


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [("anonymous", 302), ("caseworker", 200), ("manager", 200), ("superuser", 200), ("council_user", 302)],
)
def test_home_per_role(client_for, role, expected):
    assert client_for(role).get(reverse("home")).status_code == expected


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "links", "casework"),
    [
        ("anonymous", ["Council figures", "Open data"], []),
        ("caseworker", ["Casework", "Councils"], ["Cases", "My cases", "Remedy monitoring"]),
        # Grouped, so that a manager's menu fits one row at 1280 px (it wrapped onto two).
        ("manager", ["Casework", "Councils", "Annual review"], ["Cases", "My cases", "Remedy monitoring", "Import"]),
        ("council_user", ["Your council"], []),
    ],
)
def test_navigation_by_role(client_for, role, links, casework):
    response = client_for(role).get(reverse("home"), follow=True)

    navigation = response.context["navigation"]
    assert [item["text"] for item in navigation] == links
    group = next((item for item in navigation if item["text"] == "Casework"), {"links": []})
    assert [link["text"] for link in group["links"]] == casework
    for item in [*navigation, *group["links"]]:  # every link opens a page this role may see
        assert client_for(role).get(item["href"]).status_code == 200, item
    assert sum(item["current"] for item in navigation) <= 1


@pytest.mark.django_db
def test_a_page_of_the_casework_group_has_the_groups_own_menu(client_for):
    response = client_for("manager").get(reverse("complaints:remedy-queue"))

    casework = next(item for item in response.context["navigation"] if item["text"] == "Casework")
    assert casework["current"] and casework["href"] == reverse("complaints:case-list")
    text = response.content.decode()
    assert '<nav class="app-sub-navigation" aria-label="Casework">' in text
    assert f'href="{reverse("complaints:remedy-queue")}" aria-current="page">Remedy monitoring</a>' in text
    assert f'href="{reverse("complaints:import-upload")}">Import</a>' in text


@pytest.mark.django_db
def test_a_page_outside_a_group_has_no_group_menu(client_for):
    response = client_for("manager").get(reverse("reviews:year-list"))

    assert response.context["subnavigation"] is None
    assert "app-sub-navigation" not in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"), [("caseworker", 302), ("manager", 302), ("council_user", 302), ("superuser", 200)]
)
def test_admin_only_for_superusers(client_for, role, expected):
    assert client_for(role).get("/admin/").status_code == expected


@pytest.mark.django_db
def test_pages_send_strict_content_security_policy(client):
    response = client.get(reverse("login"))

    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "unsafe-inline" not in policy


@pytest.mark.django_db
def test_sign_in_says_what_to_enter_and_does_not_take_focus(client):
    from ombudsman.auth import EMAIL_FORMAT

    empty = client.post(reverse("login"), {"username": "", "password": ""})
    malformed = client.post(reverse("login"), {"username": "not-an-address", "password": "x"})
    reset = client.post(reverse("password_reset"), {"email": ""})

    assert empty.context["form"].errors == {
        "username": ["Enter your email address"],
        "password": ["Enter your password"],
    }
    assert malformed.context["form"].errors == {"username": [EMAIL_FORMAT]}
    assert reset.context["form"].errors == {"email": ["Enter your email address"]}
    assert b"This field is required" not in empty.content
    assert b"autofocus" not in client.get(reverse("login")).content
