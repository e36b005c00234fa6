"""The account list and detail pages: visibility, search, filters, sorting, paging, exports."""

import csv
import datetime
import io
import json
from collections import defaultdict
from decimal import Decimal

import pytest
from django.utils import translation
from openpyxl import load_workbook

from tandem.accounts.models import Account, Sector, Tier
from tandem.accounts.services import change_account_owner, update_account
from testsupport.builders import (
    make_account,
    make_activity,
    make_contact,
    make_contract,
    make_deal,
    make_product,
    make_revenue_line,
)


def names_in(response) -> list[str]:
    return [account.name for account in response.context["page_obj"].object_list]


@pytest.fixture
def world(org):
    """A few accounts with different cities, countries, sectors, tiers and owners."""
    retail = Sector.objects.create(code="test-retail", name="Retail", name_de="Handel")
    energy = Sector.objects.create(code="test-energy", name="Energy", name_de="Energie")
    rows = [
        ("Alpha Retail", "Berlin", "Germany", retail, Tier.STANDARD, False, org.alice),
        ("Beta Energy", "Hamburg", "Germany", energy, Tier.KEY_ACCOUNT, True, org.alice),
        ("Gamma Foods", "Vienna", "Austria", retail, Tier.STANDARD, True, org.alice),
        ("Delta Power", "Paris", "France", energy, Tier.KEY_ACCOUNT, False, org.bob),
        ("Epsilon Berlin Tools", "Munich", "Germany", None, Tier.STANDARD, False, org.bob),
    ]
    accounts = [
        make_account(
            owner,
            name,
            city=city,
            country=country,
            sector=sector,
            tier=tier,
            is_strategic=strategic,
        )
        for name, city, country, sector, tier, strategic, owner in rows
    ]
    return {"org": org, "accounts": accounts, "retail": retail, "energy": energy}


def test_the_list_needs_a_login(client, db):
    response = client.get("/accounts/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_rep_sees_only_their_own_accounts(client, world):
    org = world["org"]
    client.force_login(org.alice)
    expected = sorted(a.name for a in world["accounts"] if a.owner_id == org.alice.pk)
    assert names_in(client.get("/accounts/")) == expected


def test_head_of_sales_sees_every_account(client, world):
    client.force_login(world["org"].hanna)
    assert names_in(client.get("/accounts/")) == sorted(a.name for a in world["accounts"])


def test_rep_cannot_open_another_teams_account(client, world):
    org = world["org"]
    bobs = next(a for a in world["accounts"] if a.owner_id == org.bob.pk)
    client.force_login(org.alice)
    assert client.get(f"/accounts/{bobs.pk}/").status_code == 404
    client.force_login(org.sam)
    assert client.get(f"/accounts/{bobs.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("query", "field"), [("berlin", "city"), ("austria", "country"), ("energy", "name")]
)
def test_search_finds_name_city_and_country(client, world, query, field):
    client.force_login(world["org"].hanna)
    expected = sorted(
        a.name
        for a in world["accounts"]
        if query in a.name.lower() or query in a.city.lower() or query in a.country.lower()
    )
    response = client.get("/accounts/", {"q": query})
    assert names_in(response) == expected
    assert any(
        query in getattr(a, field).lower() for a in Account.objects.filter(name__in=expected)
    )


def test_filters_combine(client, world):
    org = world["org"]
    client.force_login(org.hanna)
    accounts = world["accounts"]

    def expect(predicate):
        return sorted(a.name for a in accounts if predicate(a))

    cases = [
        ({"tier": Tier.KEY_ACCOUNT}, lambda a: a.tier == Tier.KEY_ACCOUNT),
        ({"sector": world["retail"].code}, lambda a: a.sector_id == world["retail"].pk),
        ({"owner": org.bob.pk}, lambda a: a.owner_id == org.bob.pk),
        ({"country": "Germany"}, lambda a: a.country == "Germany"),
        ({"strategic": "yes"}, lambda a: a.is_strategic),
        ({"strategic": "no"}, lambda a: not a.is_strategic),
        (
            {"country": "Germany", "strategic": "no"},
            lambda a: a.country == "Germany" and not a.is_strategic,
        ),
    ]
    for params, predicate in cases:
        assert names_in(client.get("/accounts/", params)) == expect(predicate), params


def test_an_invalid_filter_value_is_named_and_widens_nothing(client, world):
    """A mistyped or stale filter (a bookmark) lists nothing rather than everything, and says
    which filter is wrong."""
    client.force_login(world["org"].hanna)
    response = client.get("/accounts/", {"owner": "999999", "tier": "gold"})
    assert response.status_code == 200
    assert names_in(response) == []
    errors = response.context["filters"].errors
    assert set(errors) == {"owner", "tier"}
    assert "Select a valid choice" in response.content.decode()


def test_owner_filter_offers_only_owners_of_visible_accounts(client, world):
    org = world["org"]
    client.force_login(org.alice)
    owners = list(client.get("/accounts/").context["filters"].form.fields["owner"].queryset)
    assert owners == [org.alice]


@pytest.mark.parametrize(
    ("sort", "key", "reverse"),
    [
        ("name", lambda a: a.name, False),
        ("-name", lambda a: a.name, True),
        ("city", lambda a: a.city, False),
        ("-country", lambda a: (a.country, a.name), True),
    ],
)
def test_sorting_by_column(client, world, sort, key, reverse):
    client.force_login(world["org"].hanna)
    # a descending sort reverses the tie-breaker (name) too
    expected = [a.name for a in sorted(world["accounts"], key=key, reverse=reverse)]
    assert names_in(client.get("/accounts/", {"sort": sort})) == expected


def test_column_headers_link_to_sorting(client, world):
    client.force_login(world["org"].hanna)
    html = client.get("/accounts/", {"sort": "city"}).content.decode()
    assert "sort=-city" in html  # clicking the current column reverses it
    assert "sort=country" in html


def test_an_unknown_sort_falls_back_to_name(client, world):
    client.force_login(world["org"].hanna)
    response = client.get("/accounts/", {"sort": "password"})
    assert names_in(response) == sorted(a.name for a in world["accounts"])


def test_pagination_shows_fifty_per_page(client, org):
    names = [f"Company {n:03d}" for n in range(123)]
    Account.objects.bulk_create(Account(name=name, owner=org.alice) for name in names)
    client.force_login(org.alice)
    first = client.get("/accounts/")
    assert first.context["page_obj"].paginator.count == len(names)
    assert names_in(first) == sorted(names)[:50]
    last = client.get("/accounts/", {"page": 3})
    assert names_in(last) == sorted(names)[100:]
    beyond = client.get("/accounts/", {"page": 99})
    assert names_in(beyond) == sorted(names)[100:]
    assert "123 accounts" in first.content.decode()


def test_htmx_search_returns_only_the_results(client, world):
    client.force_login(world["org"].hanna)
    response = client.get("/accounts/", {"q": "gamma"}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="account-results">')
    assert "Gamma Foods" in html
    assert "Alpha Retail" not in html


def parse_csv(response) -> list[dict]:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return list(csv.DictReader(io.StringIO(content.decode("utf-8-sig"))))


def test_csv_export_is_exactly_the_filtered_list(client, world):
    org = world["org"]
    client.force_login(org.hanna)
    response = client.get("/accounts/", {"country": "Germany", "sort": "-name", "export": "csv"})
    assert response.status_code == 200
    rows = parse_csv(response)
    expected = sorted(
        (a for a in world["accounts"] if a.country == "Germany"), key=lambda a: a.name
    )
    assert [row["name"] for row in rows] == [a.name for a in reversed(expected)]
    assert {row["owner"] for row in rows} == {a.owner.username for a in expected}


def test_json_export_respects_visibility(client, world):
    org = world["org"]
    client.force_login(org.alice)
    response = client.get("/accounts/", {"export": "json"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    data = json.loads(content)
    rows = data if isinstance(data, list) else data.get("rows", data.get("items"))
    expected = {a.name for a in world["accounts"] if a.owner_id == org.alice.pk}
    assert {row["name"] for row in rows} == expected


def test_xlsx_export_lists_every_filtered_row(client, world):
    client.force_login(world["org"].hanna)
    response = client.get("/accounts/", {"tier": Tier.KEY_ACCOUNT, "export": "xlsx"})
    content = b"".join(response.streaming_content) if response.streaming else response.content
    sheet = load_workbook(io.BytesIO(content), read_only=True).active
    header, *rows = list(sheet.iter_rows(values_only=True))
    names = sorted(row[header.index("name")] for row in rows)
    assert names == sorted(a.name for a in world["accounts"] if a.tier == Tier.KEY_ACCOUNT)


def test_an_unknown_export_format_is_not_found(client, world):
    client.force_login(world["org"].hanna)
    assert client.get("/accounts/", {"export": "pdf"}).status_code == 404


def test_account_list_query_count_does_not_grow_with_rows(
    client, org, django_assert_max_num_queries
):
    sectors = [Sector.objects.create(code=f"test-sector-{n}", name=f"Sector {n}") for n in range(5)]
    Account.objects.bulk_create(
        Account(name=f"Company {n}", owner=org.alice, sector=sectors[n % 5], country="Germany")
        for n in range(60)
    )
    for n in range(10):
        make_deal(org.alice, make_account(org.bob, f"Shared {n}"))
    client.force_login(org.alice)
    client.get("/accounts/")  # warm up: session, content types
    with django_assert_max_num_queries(14):
        response = client.get("/accounts/", {"sort": "sector"})
    assert len(response.context["page_obj"].object_list) == 50


# ---------------------------------------------------------------- detail


@pytest.fixture
def acme(org):
    """Acme (alice) below a group (bob) with a subsidiary (alice) and one of bob's."""
    group = make_account(org.bob, "Acme Group")
    acme = make_account(org.alice, "Acme", parent=group, country="Germany", city="Köln")
    own_sub = make_account(org.alice, "Acme Services", parent=acme)
    foreign_sub = make_account(org.bob, "Acme Logistics", parent=acme)
    return {"group": group, "acme": acme, "own_sub": own_sub, "foreign_sub": foreign_sub}


def test_detail_links_only_visible_relatives(client, org, acme):
    client.force_login(org.alice)
    html = client.get(f"/accounts/{acme['acme'].pk}/").content.decode()
    assert "Acme Group" in html and "Acme Logistics" in html
    assert f'href="/accounts/{acme["group"].pk}/"' not in html
    assert f'href="/accounts/{acme["foreign_sub"].pk}/"' not in html
    assert f'href="/accounts/{acme["own_sub"].pk}/"' in html
    client.force_login(org.hanna)
    html = client.get(f"/accounts/{acme['acme'].pk}/").content.decode()
    assert f'href="/accounts/{acme["group"].pk}/"' in html
    assert f'href="/accounts/{acme["foreign_sub"].pk}/"' in html


def test_detail_shows_contacts_deals_activities_and_contracts(client, org, acme):
    account = acme["acme"]
    contact = make_contact(account, first_name="Greta", last_name="Lindqvist")
    deal = make_deal(org.alice, account, name="Fleet renewal", stage_code="proposal")
    hidden_deal = make_deal(org.bob, account, name="Bob's side deal")
    make_activity(account, org.alice, subject="Kick-off call", deal=deal).contacts.add(contact)
    make_contract(account, name="Framework 2026")
    client.force_login(org.alice)
    html = client.get(f"/accounts/{account.pk}/").content.decode()
    for text in ["Greta Lindqvist", "Fleet renewal", "Kick-off call", "Framework 2026"]:
        assert text in html
    assert hidden_deal.name not in html  # alice does not see bob's deals
    assert f"/deals/{deal.pk}/" in html
    assert f"/key-accounts/accounts/{account.pk}/stakeholders/" in html


def test_revenue_chart_data_is_summed_per_month(client, org, acme):
    account = acme["acme"]
    products = [make_product(), make_product()]
    lines = [
        (datetime.date(2025, 11, 3), products[0], "120.50"),
        (datetime.date(2025, 11, 3), products[1], "79.50"),
        (datetime.date(2025, 11, 28), products[0], "10"),
        (datetime.date(2026, 1, 15), products[1], "-5"),
        (datetime.date(2026, 1, 16), products[1], "305"),
    ]
    for day, product, amount in lines:
        make_revenue_line(account, product, invoiced_on=day, amount=Decimal(amount))
    make_revenue_line(acme["own_sub"], products[0], amount=Decimal("999"))  # another account
    expected = defaultdict(Decimal)
    for day, _product, amount in lines:
        expected[day.strftime("%Y-%m")] += Decimal(amount)
    client.force_login(org.alice)
    response = client.get(f"/accounts/{account.pk}/")
    data = response.context["revenue"]
    assert data["months"] == sorted(expected)
    assert data["totals"] == [float(expected[month]) for month in sorted(expected)]
    assert 'id="revenue-data"' in response.content.decode()
    assert 'id="revenue-chart"' in response.content.decode()


def test_detail_shows_ownership_changes_with_who(client, org, acme):
    account = acme["acme"]
    change_account_owner(account, org.kim, acting_user=org.hanna)
    client.force_login(org.hanna)
    response = client.get(f"/accounts/{account.pk}/")
    html = response.content.decode()
    assert 'data-audit="account.owner_changed"' in html
    assert f"{org.alice} → {org.kim}" in html
    assert f"by {org.hanna}" in html


def test_detail_query_count_does_not_grow_with_rows(
    client, org, acme, django_assert_max_num_queries
):
    account = acme["acme"]
    product = make_product()
    for n in range(15):
        contact = make_contact(account)
        deal = make_deal(org.alice, account, product=product)
        make_activity(account, org.alice, deal=deal).contacts.add(contact)
        make_contract(account)
        make_revenue_line(account, product, invoiced_on=datetime.date(2025, 1 + n % 12, 1 + n))
        make_account(org.alice, parent=account)
    change_account_owner(account, org.mona, acting_user=org.mona)
    change_account_owner(account, org.alice, acting_user=org.mona)
    client.force_login(org.alice)
    client.get(f"/accounts/{account.pk}/")
    with django_assert_max_num_queries(30):
        response = client.get(f"/accounts/{account.pk}/")
    assert response.status_code == 200


def test_open_deals_come_first_then_the_latest_closed(client, org, acme):
    account = acme["acme"]
    old = make_deal(org.alice, account, stage_code="won", closed_on=datetime.date(2024, 5, 1))
    recent = make_deal(org.alice, account, stage_code="lost", closed_on=datetime.date(2025, 9, 1))
    open_deal = make_deal(org.alice, account, stage_code="negotiation")
    client.force_login(org.alice)
    deals = list(client.get(f"/accounts/{account.pk}/").context["deals"])
    assert deals == [open_deal, recent, old]


def test_field_changes_show_the_translated_field_name(client, org, acme):
    update_account(acme["acme"], acting_user=org.alice, city="Bonn")
    client.force_login(org.alice)
    html = client.get(f"/accounts/{acme['acme'].pk}/").content.decode()
    assert "city: Köln → Bonn" in html
    html = client.get(
        f"/accounts/{acme['acme'].pk}/", headers={"accept-language": "de"}
    ).content.decode()
    translation.deactivate()
    assert "Ort: Köln → Bonn" in html
