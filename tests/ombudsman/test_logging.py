"""A healthy site's log: a 4xx is one INFO line without a traceback, a 5xx keeps both; nothing twice."""

import logging

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import path

from ombudsman.log import ClientErrorsAreInfo
from ombudsman.urls import urlpatterns as site_urlpatterns


def forbidden(request):
    raise PermissionDenied


def broken(request):
    raise RuntimeError("boom")


urlpatterns = [path("forbidden/", forbidden), path("broken/", broken), *site_urlpatterns]


@pytest.mark.urls(__name__)
def test_a_403_is_logged_once_as_info_without_a_traceback(db, client_for, caplog):
    client = client_for("caseworker")
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client.get("/forbidden/")

    assert response.status_code == 403
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert (record.levelname, record.exc_info, record.getMessage()) == (
        "INFO",
        None,
        "Forbidden (Permission denied): /forbidden/",
    )


@pytest.mark.urls(__name__)
def test_a_500_keeps_its_level_and_traceback(db, client_for, caplog):
    client = client_for("caseworker")
    client.raise_request_exception = False
    with caplog.at_level(logging.INFO, logger="django.request"):
        response = client.get("/broken/")

    assert response.status_code == 500
    [record] = [record for record in caplog.records if record.name == "django.request"]
    assert record.levelname == "ERROR"
    assert record.exc_info[0] is RuntimeError


def test_django_records_reach_the_console_once():
    """Django's default "django" logger had a console handler of its own beside the root's."""
    assert logging.getLogger("django").handlers == []
    assert logging.getLogger("django").propagate
    assert any(isinstance(f, ClientErrorsAreInfo) for f in logging.getLogger("django.request").filters)
