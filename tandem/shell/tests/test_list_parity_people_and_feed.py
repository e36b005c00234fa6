"""One filter set per list, continued: the insights feed, the people list and the hiring lists
list the same rows, in the same order, on the web, in the API and in `tandem export`, for the
same filters and the same person (tandem/core/filters.py)."""

import datetime
import io
import json
import re

import pytest
from django.core.management import call_command

from tandem.accounts.models import Sector
from tandem.hiring.models import PositionStatus
from tandem.hiring.services import add_candidate, open_position, set_position_status
from tandem.insights.models import PostKind
from tandem.insights.services import create_post
from tandem.people.models import RoleProfile
from tandem.users.models import Role
from testsupport.builders import make_account, make_product, make_user

FEED_PAGE = 20


@pytest.fixture
def feed(org):
    """More posts than one page holds: kim's insights and mona's announcements, tagged with an
    account, a product or a sector (or nothing), with words to search for."""
    retail, energy = Sector.objects.get(code="retail"), Sector.objects.get(code="energy")
    alices = make_account(org.alice, name="Alpha", sector=retail)
    kims = make_account(org.kim, name="Kilo", sector=energy)
    gear = make_product("GEAR", name="Gear")
    for i in range(FEED_PAGE + 7):
        author, kind = (org.mona, PostKind.ANNOUNCEMENT) if i % 3 == 0 else (org.kim, "insight")
        account = alices if author == org.mona else kims  # the author sees it
        tags = [
            {"accounts": [account]},
            {"accounts": [account], "products": [gear]},
            {"sectors": [retail]},
            {},
        ][i % 4]
        create_post(
            acting_user=author,
            kind=kind,
            title=f"{['Pricing', 'Launch', 'Churn'][i % 3]} {i:02d}",
            body="Needs a call" if i % 5 == 0 else "Read it",
            **tags,
        )
    return {"alices": alices, "kims": kims, "gear": gear, "retail": retail}


@pytest.fixture
def hiring(org):
    """Positions in both teams, for two roles, open and closed, with candidates."""
    rep, kam = RoleProfile.objects.get(code="rep"), RoleProfile.objects.get(code="kam")
    positions = []
    for i in range(6):
        manager, team = (org.mona, org.north) if i % 2 else (org.sam, org.south)
        position = open_position(
            acting_user=manager,
            title=f"Position {i}",
            team=team,
            profile=kam if i % 3 == 0 else rep,
            opened_on=datetime.date(2026, 1, 1 + i % 4),
        )
        for name in ["Clara", "Dirk", "Emil"][: 1 + i % 3]:
            add_candidate(position, acting_user=manager, name=f"{name} {i}")
        if i in (1, 4):
            set_position_status(position, PositionStatus.CLOSED, acting_user=manager)
        positions.append(position)
    return positions


def web_ids(client, path: str, params: dict, pattern: str, next_link: str) -> list[str]:
    """What the web list shows (the `pattern`'s group of each row), page after page."""
    found, page = [], 1
    while True:
        html = client.get(path, {**params, "page": page}).content.decode()
        found += re.findall(pattern, html)
        if next_link not in html:
            return found
        page += 1


def api_items(api_client, path: str, params: dict) -> list[dict]:
    response = api_client.get(path, {**params, "limit": 500})
    assert response.status_code == 200, response.content
    page = response.json()
    assert page["count"] == len(page["items"])
    return page["items"]


def export_ids(entity: str, username: str, params: dict) -> list[int]:
    stdout = io.StringIO()
    filters = [f"--filter={name}={value}" for name, value in params.items()]
    call_command("export", entity, "--format", "json", "--user", username, *filters, stdout=stdout)
    return [row["id"] for row in json.loads(stdout.getvalue())]


def web_export_ids(client, path: str, params: dict) -> list[int]:
    """The ids in the file the web list's JSON export button downloads."""
    response = client.get(path, {**params, "export": "json"})
    assert response.status_code == 200
    return [row["id"] for row in json.loads(b"".join(response.streaming_content))]


def feed_cases(feed, org) -> list[dict]:
    return [
        {},
        {"kind": PostKind.ANNOUNCEMENT},
        {"account": feed["alices"].pk},
        {"account": feed["kims"].pk},
        {"product": feed["gear"].code},
        {"sector": feed["retail"].code},
        {"q": "needs"},
        {"mine": "true"},
        {"author": org.kim.pk, "q": "launch"},
        {"sort": "title"},
        {"sort": "-updated_at", "kind": PostKind.INSIGHT},
    ]


@pytest.mark.parametrize("username", ["alice", "kim", "mona", "hanna"])
def test_the_feed_lists_the_same_posts_everywhere(client, org, api, feed, username):
    user = getattr(org, username)
    client.force_login(user)
    everything = [item["id"] for item in api_items(api(user), "/api/insights", {})]
    narrowed = 0
    for params in feed_cases(feed, org):
        shown = [
            int(pk) for pk in web_ids(client, "/insights/", params, r'data-post="(\d+)"', "Older →")
        ]
        query = {("ordering" if k == "sort" else k): v for k, v in params.items()}
        assert [item["id"] for item in api_items(api(user), "/api/insights", query)] == shown
        filters = {k: v for k, v in params.items() if k != "sort"}
        assert sorted(export_ids("insights", username, filters)) == sorted(shown), params
        assert web_export_ids(client, "/insights/", params) == shown
        assert set(shown) <= set(everything)
        narrowed += 0 < len(shown) < len(everything)
    if username == "hanna":
        assert len(everything) > FEED_PAGE  # the web's pages were walked
    assert narrowed >= 3


def test_the_web_feed_takes_the_ticked_box_as_the_api_takes_true(client, org, api, feed):
    client.force_login(org.mona)
    ticked = web_ids(client, "/insights/", {"mine": "on"}, r'data-post="(\d+)"', "Older →")
    mine = [item["id"] for item in api_items(api(org.mona), "/api/insights", {"mine": "true"})]
    assert [int(pk) for pk in ticked] == mine
    assert len(mine) == 9


@pytest.mark.parametrize("username", ["mona", "hanna"])
def test_the_people_list_lists_the_same_people_everywhere(client, org, api, username):
    for index in range(3):
        make_user(f"north{index}", Role.SALES_REP, org.north, first_name="Nora")
    user = getattr(org, username)
    client.force_login(user)
    everything = api_items(api(user), "/api/people/people", {})
    ids = {item["username"]: item["id"] for item in everything}
    cases = [
        {},
        {"role": Role.SALES_REP},
        {"team": org.north.pk},
        {"q": "nora"},
        {"sort": "-team"},
        {"sort": "role", "team": org.north.pk},
    ]
    for params in cases:
        shown = [
            ids[username]
            for username in web_ids(
                client, "/people/team/", params, r'data-person="([^"]+)"', 'rel="next"'
            )
        ]
        query = {("ordering" if k == "sort" else k): v for k, v in params.items()}
        assert [item["id"] for item in api_items(api(user), "/api/people/people", query)] == shown
        filters = {k: v for k, v in params.items() if k != "sort"}
        assert sorted(export_ids("people", user.username, filters)) == sorted(shown), params
        assert web_export_ids(client, "/people/team/", params) == shown
    assert len(everything) == (5 if username == "mona" else 10)


@pytest.mark.parametrize("username", ["mona", "hanna"])
def test_positions_and_candidates_are_the_same_everywhere(client, org, api, hiring, username):
    user = getattr(org, username)
    client.force_login(user)
    cases = [
        {"status": "all"},
        {"status": PositionStatus.OPEN},
        {"status": PositionStatus.CLOSED},
        {"status": "all", "role": "kam"},
        {"status": "all", "team": org.north.pk},
        {"status": "all", "sort": "title"},
        {"status": "all", "sort": "-opened_on"},
    ]
    for params in cases:
        shown = [
            int(pk)
            for pk in web_ids(client, "/hiring/", params, r'data-position="(\d+)"', 'rel="next"')
        ]
        query = {("ordering" if k == "sort" else k): v for k, v in params.items()}
        api_ids = [item["id"] for item in api_items(api(user), "/api/hiring/positions", query)]
        assert api_ids == shown, params
        filters = {k: v for k, v in params.items() if k != "sort"}
        assert sorted(export_ids("hiring_positions", username, filters)) == sorted(shown)
    # the page opens on the open positions; the API and the export list every one by default
    opened = web_ids(client, "/hiring/", {}, r'data-position="(\d+)"', 'rel="next"')
    assert [int(pk) for pk in opened] == [
        item["id"] for item in api_items(api(user), "/api/hiring/positions", {"status": "open"})
    ]
    every = api_items(api(user), "/api/hiring/positions", {})
    assert len(every) == (3 if username == "mona" else 6)
    assert sorted(export_ids("hiring_positions", username, {})) == sorted(p["id"] for p in every)

    for params in [{}, {"position": hiring[1].pk}, {"q": "dirk"}, {"status": "active"}]:
        listed = [item["id"] for item in api_items(api(user), "/api/hiring/candidates", params)]
        assert sorted(export_ids("hiring_candidates", username, params)) == sorted(listed)
        assert listed, params


def test_a_bad_filter_is_named_on_these_lists_too(client, org, api, feed, hiring):
    client.force_login(org.hanna)
    page = client.get("/hiring/", {"status": "nonsense"})
    assert "data-position" not in page.content.decode()
    assert "status" in page.context["filters"].errors
    problem = api(org.hanna).get("/api/hiring/positions", {"status": "nonsense"}).json()
    assert problem["detail"][0]["loc"] == ["query", "status"]
    feed_page = client.get("/insights/", {"sector": "nowhere"})
    assert "data-post" not in feed_page.content.decode()
    assert "sector" in feed_page.context["filters"].errors
    with pytest.raises(Exception, match="sector"):
        export_ids("insights", "hanna", {"sector": "nowhere"})
    people = api(org.hanna).get("/api/people/people", {"ordering": "salary"})
    assert people.json()["detail"][0]["loc"] == ["query", "ordering"]
