"""The shell every page shares: overview counts, role navigation, language switch, logout."""

import datetime
from decimal import Decimal

import pytest
import time_machine

from testsupport.builders import make_account, make_activity, make_deal

# What each role should find in the header, written out from DESIGN.md's roles
# (not read from tandem.shell.nav): admins run imports, KAMs have no pipeline board, reps and
# their managers coach, leaders hire.
BASE_NAV = {
    "home",
    "accounts:account_list",
    "accounts:contact_list",
    "insights:feed",
    "pipeline:deal_list",
    "activities:activity_list",
    "api_tokens:token_list",
    "approvals:approval_list",
    "people:overview",
    "compensation:overview",
    "accountplans:plan_list",
}
KAM_NAV = {
    "kam:cockpit",
    "keyaccounts:overview",
    "renewals:upcoming",
    "portfolio:whitespace",
}
LEADER_NAV = {"pipeline:board", "sales:cockpit", "forecast:overview", "hiring:overview"} | KAM_NAV
EXPECTED_NAV = {
    "alice": BASE_NAV | {"pipeline:board", "sales:cockpit", "coaching:overview"},
    "mona": BASE_NAV | LEADER_NAV | {"coaching:overview"},
    "kim": BASE_NAV | KAM_NAV,
    "hanna": BASE_NAV | LEADER_NAV,
    "otto": BASE_NAV | LEADER_NAV | {"imports:import_list", "jobs:job_list"},
}  # fmt: skip


def nav_of(response) -> set[str]:
    return {entry["url_name"] for entry in response.context["nav_entries"]}


@pytest.mark.parametrize("username", sorted(EXPECTED_NAV))
def test_each_role_sees_its_navigation(client, org, username):
    client.force_login(getattr(org, username))
    response = client.get("/")
    expected = EXPECTED_NAV[username]
    assert nav_of(response) == expected
    html = response.content.decode()
    for name in expected:
        assert f'data-nav="{name}"' in html


def test_the_header_names_the_user_and_role(client, org):
    client.force_login(org.kim)
    html = client.get("/").content.decode()
    assert str(org.kim) in html
    assert "Key Account Manager" in html


@time_machine.travel(datetime.datetime(2026, 3, 12, 12, tzinfo=datetime.UTC), tick=False)
def test_overview_counts_come_from_what_the_user_sees(client, org):
    mine = make_account(org.alice, "Mine")
    theirs = make_account(org.bob, "Theirs")
    make_deal(org.alice, mine, value=Decimal("1500"), stage_code="proposal")
    make_deal(org.alice, mine, value=Decimal("500"), stage_code="prospecting")
    make_deal(org.alice, mine, value=Decimal("9000"), stage_code="won")
    make_deal(org.bob, theirs, value=Decimal("7000"))
    this_week = datetime.datetime(2026, 3, 10, 9, tzinfo=datetime.UTC)  # Tuesday
    last_week = datetime.datetime(2026, 3, 6, 9, tzinfo=datetime.UTC)  # the Friday before
    make_activity(mine, org.alice, occurred_at=this_week)
    make_activity(mine, org.alice, occurred_at=last_week)
    make_activity(theirs, org.bob, occurred_at=this_week)
    client.force_login(org.alice)
    context = client.get("/").context
    assert context["account_count"] == 1
    assert context["open_deal_count"] == 2
    assert context["open_pipeline_value"] == Decimal("2000")
    assert context["activity_week_count"] == 1
    client.force_login(org.hanna)
    context = client.get("/").context
    assert (context["account_count"], context["open_deal_count"]) == (2, 3)
    assert context["open_pipeline_value"] == Decimal("1500") + Decimal("500") + Decimal("7000")
    assert context["activity_week_count"] == 2


def test_switching_to_german_and_back(client, org):
    client.force_login(org.alice)
    response = client.post("/i18n/setlang/", {"language": "de", "next": "/accounts/"}, follow=True)
    assert response.redirect_chain[-1][0] == "/accounts/"
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "<h1>Kunden</h1>" in html
    assert ">Kontakte</a>" in html
    assert "Abmelden" in html
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/accounts/"}, follow=True)
    assert "Log out" in response.content.decode()


def test_logout_is_a_post_from_the_header(client, org):
    client.force_login(org.alice)
    html = client.get("/").content.decode()
    assert 'action="/logout/" method="post"' in html
    response = client.post("/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302
