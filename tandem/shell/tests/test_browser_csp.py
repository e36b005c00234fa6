"""Every role's pages work under the Content-Security-Policy, in English and German: no
violation (the `page` fixture fails on any, see conftest.py) and no script error.

Each role sees its pages in the two languages by turns, the next role starting with the other
one, so the pages that several roles share are seen in both. The policy and the pages' scripts
are the same on either database: the SQLite run covers them, the PostgreSQL run would repeat it.
"""

import datetime
from decimal import Decimal

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from tandem.accounts.models import Account
from testsupport.browser import log_in
from testsupport.builders import (
    Org,
    make_account,
    make_contact,
    make_contract,
    make_deal,
    make_product,
    make_revenue_line,
)

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite run covers it"),
]
LANGUAGES = ["en", "de"]
ROLES = ["alice", "mona", "kim", "hanna", "otto"]


@pytest.fixture
def org_with_data(page):
    """A little of everything, so that the lists have rows and the charts draw."""
    org = Org()
    product = make_product("GTX-1", name="GTX One", list_price=Decimal("990"))
    today = timezone.localdate()
    for owner in [org.alice, org.bob, org.kim]:
        account = make_account(owner, name=f"Account of {owner.username}")
        make_contact(account, first_name="Jo", last_name=owner.username)
        for months, stage in [(1, "won"), (3, "won"), (0, "proposal"), (2, "lost")]:
            made = today - datetime.timedelta(days=30 * months + 20)
            closed = {"closed_on": made + datetime.timedelta(days=15)} if months else {}
            make_deal(
                owner, account, product=product, stage_code=stage, value=Decimal("1200"),
                created_on=made, **closed,
            )  # fmt: skip
        for months in range(1, 13):
            make_revenue_line(
                account, product, amount=Decimal("800"),
                invoiced_on=today - datetime.timedelta(days=30 * months),
            )  # fmt: skip
        make_contract(
            account, start_on=today - datetime.timedelta(days=300),
            end_on=today + datetime.timedelta(days=60),
        )  # fmt: skip
    return org


def visit(page, url: str) -> None:
    page.goto(url)
    # the parts a page fetches once it has loaded, swapped in and wired up
    page.wait_for_function(
        "() => !document.querySelector('.htmx-request, .htmx-added, .htmx-settling')"
    )
    # a tooltip is HTML that ECharts writes with style attributes: bring one up on each chart
    for chart in page.locator("[data-rendered=true]").all():
        if chart.is_visible():
            chart.hover()
    page.wait_for_timeout(50)


@pytest.mark.parametrize("username", ROLES)
def test_every_page_of_each_role_works_under_the_policy(page, live_server, org_with_data, username):
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(f"{page.url}: {error}"))

    def speak(language):
        page.context.add_cookies(
            [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": live_server.url}]
        )

    speak("en")
    visit(page, "/login/")
    log_in(page, username)
    urls = page.locator("[data-nav]").evaluate_all("links => links.map(a => a.pathname)")
    urls += ["/api/docs", "/password/"]
    account = Account.objects.filter(owner=getattr(org_with_data, username)).first()
    if account is not None:
        urls += [f"/accounts/{account.pk}/"]
    if username == "otto":  # Django's admin site too
        urls += [
            "/admin/",
            "/admin/users/user/",
            f"/admin/users/user/{org_with_data.otto.pk}/change/",
        ]
    for turn, url in enumerate(dict.fromkeys(urls), start=ROLES.index(username)):
        language = LANGUAGES[turn % 2]
        speak(language)
        visit(page, url)
        assert page.locator("html").get_attribute("lang") == language, url
    assert errors == []
