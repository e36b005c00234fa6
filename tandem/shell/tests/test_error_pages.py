"""Refusals and missing pages come in the ordinary layout, in the user's language, and say
nothing about what was refused."""

import pytest
from django.test import Client
from django.urls import reverse

from tandem.users.models import Role
from testsupport.builders import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def rep_browser():
    browser = Client()
    browser.force_login(make_user("rep", role=Role.SALES_REP))
    return browser


@pytest.mark.parametrize(("language", "heading"), [("en", "Not found"), ("de", "Nicht gefunden")])
def test_a_missing_page_says_so_in_the_layout(rep_browser, language, heading):
    response = rep_browser.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 404
    assert 'data-error-status="404"' in page and f"<h1>{heading}</h1>" in page
    assert 'data-action="logout"' in page  # the ordinary layout, with the session


@pytest.mark.parametrize(("language", "heading"), [("en", "Not allowed"), ("de", "Nicht erlaubt")])
def test_a_refused_page_says_so_in_the_layout(rep_browser, language, heading):
    response = rep_browser.get(reverse("compensation:plan_new"), HTTP_ACCEPT_LANGUAGE=language)
    page = response.content.decode()
    assert response.status_code == 403
    assert 'data-error-status="403"' in page and f"<h1>{heading}</h1>" in page
