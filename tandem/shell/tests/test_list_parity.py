"""One filter set per list: the web page, the API and `tandem export` list the same rows, in the
same order, for the same filters and the same person (tandem/core/filters.py)."""

import datetime
import io
import json
import re
from decimal import Decimal

import pytest
from django.core.management import call_command

from tandem.accounts.models import Sector, Tier
from tandem.activities.models import ActivityKind
from tandem.pipeline.models import Channel, DealType
from testsupport.builders import (
    make_account,
    make_activity,
    make_contact,
    make_deal,
    make_product,
    make_revenue_line,
)

DAY = datetime.date(2026, 3, 1)


@pytest.fixture
def crm(org):
    """Rows that differ in every filtered field, owned by both teams' reps and the managers."""
    retail, software = Sector.objects.get(code="retail"), Sector.objects.get(code="software")
    web, partner = Channel.objects.order_by("code")[:2]
    people = [org.alice, org.bob, org.mona, org.alice]
    accounts = []
    for i in range(12):
        account = make_account(
            people[i % 4],
            name=f"{'Alpha Beta Gamma Delta'.split()[i % 4]} {i}",
            sector=retail if i % 3 else software,
            tier=Tier.KEY_ACCOUNT if i % 5 == 0 else Tier.STANDARD,
            country=["Germany", "France", "Austria"][i % 3],
            city=["Berlin", "Paris", "Wien"][i % 3],
            is_strategic=i % 4 == 1,
            parent=accounts[0] if i in (3, 7) else None,
        )
        accounts.append(account)
        contact = make_contact(account, hierarchy_level=["c_level", "manager"][i % 2])
        stage = ["prospecting", "proposal", "won", "lost"][i % 4]
        deal = make_deal(
            people[(i + 1) % 4],
            None if i == 11 else account,
            stage_code=stage,
            name=f"Deal {i}",
            value=Decimal(1000 * (i + 1)),
            channel=web if i % 2 else partner,
            deal_type=DealType.NEW_BUSINESS if i % 3 else DealType.CROSS_SELL,
            closed_on=DAY + datetime.timedelta(days=10 * i) if stage in ("won", "lost") else None,
        )
        activity = make_activity(
            account,
            account.owner,
            deal=deal,
            kind=ActivityKind.MEETING if i % 2 else ActivityKind.CALL,
            subject=f"About deal {i}",
            occurred_at=datetime.datetime(2026, 1, 1 + i, 9, tzinfo=datetime.UTC),
        )
        activity.contacts.add(contact)
        product = make_product(f"P-{i}", series=["Alpha", "Beta"][i % 2])
        make_revenue_line(account, product, invoiced_on=DAY + datetime.timedelta(days=i))
    return {"accounts": accounts, "retail": retail, "channel": web}


def web_ids(client, path: str, params: dict, attribute: str) -> list[int]:
    """The row ids the web list shows, page after page."""
    ids, page = [], 1
    while True:
        html = client.get(path, {**params, "page": page}).content.decode()
        ids += [int(found) for found in re.findall(rf'<tr {attribute}="(\d+)"', html)]
        if 'rel="next"' not in html:
            return ids
        page += 1


def api_ids(api_client, path: str, params: dict) -> list[int]:
    response = api_client.get(path, {**params, "limit": 500})
    assert response.status_code == 200, response.content
    return [item["id"] for item in response.json()["items"]]


def export_ids(entity: str, username: str, params: dict) -> list[int]:
    stdout = io.StringIO()
    pairs = [f"{name}={value}" for name, value in params.items()]
    args = [entity, "--format", "json", "--user", username]
    call_command("export", *args, *[f"--filter={pair}" for pair in pairs], stdout=stdout)
    return [row["id"] for row in json.loads(stdout.getvalue())]


def cases(crm, org):
    accounts, retail, channel = crm["accounts"], crm["retail"], crm["channel"]
    return {
        ("accounts", "/accounts/", "/api/accounts", "data-account"): [
            {},
            {"tier": Tier.KEY_ACCOUNT},
            {"sector": retail.code, "country": "germany"},
            {"owner": org.bob.pk},
            {"strategic": "yes"},
            {"q": "beta", "strategic": "no"},
            {"parent": accounts[0].pk},
        ],
        ("contacts", "/accounts/contacts/", "/api/contacts", "data-contact"): [
            {},
            {"hierarchy_level": "c_level"},
            {"account": accounts[1].pk},
            {"q": "alpha"},
        ],
        ("deals", "/deals/", "/api/deals", "data-deal"): [
            {},
            {"stage": "won"},
            {"outcome": "open", "owner": org.alice.pk},
            {"team": org.north.pk},
            {"channel": channel.code, "deal_type": DealType.NEW_BUSINESS},
            {"without_account": "true"},
            {"closed_after": "2026-03-20", "closed_before": "2026-04-30"},
            {"account": accounts[2].pk},
            {"q": "gamma"},
        ],
        ("activities", "/activities/", "/api/activities", "data-activity"): [
            {},
            {"kind": ActivityKind.MEETING},
            {"account": accounts[4].pk},
            {"after": "2026-01-03", "before": "2026-01-09"},
            {"q": "deal 1"},
        ],
    }


@pytest.mark.parametrize("username", ["mona", "hanna"])
def test_web_api_and_export_list_the_same_rows(client, org, api, crm, username):
    user = getattr(org, username)
    client.force_login(user)
    checked = 0
    for (entity, page, endpoint, attribute), filters in cases(crm, org).items():
        everything = set(api_ids(api(user), endpoint, {}))
        for params in filters:
            shown = web_ids(client, page, params, attribute)
            assert api_ids(api(user), endpoint, params) == shown, (entity, params)
            assert sorted(export_ids(entity, username, params)) == sorted(shown), (entity, params)
            assert set(shown) <= everything
            checked += bool(params) and 0 < len(shown) < len(everything)
    assert checked >= 15  # most filters narrow the list without emptying it


@pytest.mark.parametrize(
    ("entity", "page", "endpoint", "attribute", "orderings"),
    [
        ("accounts", "/accounts/", "/api/accounts", "data-account", ["name", "-city", "sector"]),
        ("deals", "/deals/", "/api/deals", "data-deal", ["value", "-closed_on", "owner"]),
        ("activities", "/activities/", "/api/activities", "data-activity", ["-account", "kind"]),
        ("contacts", "/accounts/contacts/", "/api/contacts", "data-contact", ["-name"]),
    ],
)
def test_web_and_api_sort_the_same_way(
    client, org, api, crm, entity, page, endpoint, attribute, orderings
):
    client.force_login(org.hanna)
    for key in orderings:
        shown = web_ids(client, page, {"sort": key}, attribute)
        assert api_ids(api(org.hanna), endpoint, {"ordering": key}) == shown, key


def test_products_revenue_and_stage_history_filter_the_same_in_api_and_export(org, api, crm):
    products = api_ids(api(org.hanna), "/api/products", {"series": "alpha"})
    assert sorted(export_ids("products", "hanna", {"series": "alpha"})) == sorted(products)
    assert len(products) == 6
    revenue = export_ids("revenue", "mona", {"invoiced_after": "2026-03-05"})
    everything = export_ids("revenue", "mona", {})
    assert 0 < len(revenue) < len(everything)


def test_a_bad_filter_is_named_by_each_front_door(client, org, api):
    client.force_login(org.mona)
    response = client.get("/deals/", {"stage": "nonsense"})
    assert response.status_code == 200 and 'data-deal="' not in response.content.decode()
    assert "stage" in response.context["form"].errors
    problem = api(org.mona).get("/api/deals", {"stage": "nonsense"}).json()["detail"][0]
    assert problem["loc"] == ["query", "stage"]
    with pytest.raises(Exception, match="stage"):
        export_ids("deals", "mona", {"stage": "nonsense"})
    with pytest.raises(Exception, match="colour"):
        export_ids("deals", "mona", {"colour": "red"})
