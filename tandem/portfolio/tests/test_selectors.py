"""Purchases, the matrix and cross-sell candidates on hand-built cases, each checked against
what the rows say (plain Python over the rows, or counts made by hand)."""

import datetime
from decimal import Decimal

from django.utils import translation

from tandem.accounts.models import Tier
from tandem.portfolio.selectors import (
    BASIS_SECTOR,
    BASIS_SIMILAR,
    SOURCE_DEAL,
    SOURCE_REVENUE,
    CrossSell,
    Window,
    cross_sell_candidates,
    portfolio_candidates,
    purchases,
    whitespace_accounts,
    whitespace_matrix,
    window_ending,
)
from tandem.portfolio.tests.conftest import TODAY, WINDOW, buy, key_account, won_deal
from tandem.revenue.models import RevenueLine
from testsupport.builders import make_account, make_deal, make_product


def test_window_ending_counts_whole_months_back():
    assert window_ending(datetime.date(2011, 12, 9), 12) == Window(
        datetime.date(2010, 12, 10), datetime.date(2011, 12, 9)
    )
    assert window_ending(datetime.date(2026, 5, 31), 3) == Window(
        datetime.date(2026, 3, 1), datetime.date(2026, 5, 31)
    )
    assert window_ending(datetime.date(2024, 3, 31), 1).start == datetime.date(2024, 3, 1)
    assert window_ending(datetime.date(2026, 1, 15), 24).start == datetime.date(2024, 1, 16)
    window = window_ending(TODAY, 12)
    assert window.days == 365
    assert window.yearly(Decimal("100")) == Decimal("100.00")


def test_purchases_sum_revenue_in_the_window_and_add_won_deals_only_where_nothing_was_invoiced(
    org, catalog
):
    account = make_account(org.kim, name="Acme")
    a, b, c = catalog["A"], catalog["B"], catalog["C"]
    buy(account, a, 100, datetime.date(2026, 1, 1))
    buy(account, a, 50, datetime.date(2026, 5, 20))
    buy(account, a, 999, datetime.date(2025, 5, 20))  # the day before the window
    won_deal(org.kim, account, a, 5000)  # a has revenue: the deal is not added
    won_deal(org.kim, account, b, 800)
    won_deal(org.kim, account, b, 200)
    won_deal(org.kim, account, c, 300, closed_on=datetime.date(2025, 1, 1))  # before
    make_deal(org.kim, account, stage_code="prospecting", product=c, value=Decimal(700))
    make_deal(org.kim, account, stage_code="lost", product=c, value=Decimal(700))
    cells = purchases(WINDOW)
    expected_a = sum(
        line.amount
        for line in RevenueLine.objects.filter(account=account, product=a)
        if WINDOW.start <= line.invoiced_on <= WINDOW.end
    )
    assert cells[account.pk, a.pk].amount == expected_a == Decimal(150)
    assert cells[account.pk, a.pk].source == SOURCE_REVENUE
    assert cells[account.pk, b.pk].amount == Decimal(1000)
    assert cells[account.pk, b.pk].source == SOURCE_DEAL
    assert cells[account.pk, b.pk].won_deals == 2
    assert (account.pk, c.pk) not in cells


def test_whitespace_accounts_are_the_visible_key_accounts(org, portfolio, sectors):
    names = lambda qs: sorted(a.name for a in qs)  # noqa: E731
    assert names(whitespace_accounts(org.kim)) == ["Kappa One", "Kappa Two"]
    assert names(whitespace_accounts(portfolio["zoe"])) == ["Zeta One"]
    assert names(whitespace_accounts(org.hanna)) == ["Kappa One", "Kappa Two", "Zeta One"]
    assert names(whitespace_accounts(org.hanna, kam=portfolio["zoe"])) == ["Zeta One"]
    assert names(whitespace_accounts(org.hanna, sector=sectors["manufacturing"])) == [
        "Kappa One",
        "Zeta One",
    ]
    assert names(whitespace_accounts(org.alice)) == []  # alice's account is a standard one
    # a Sales Manager sees the key accounts their team works on
    make_deal(org.alice, portfolio["k2"])
    assert names(whitespace_accounts(org.mona)) == ["Kappa Two"]
    assert names(whitespace_accounts(org.sam)) == []


def test_the_matrix_rows_columns_and_buyers_agree_with_the_rows(org, portfolio, catalog):
    matrix = whitespace_matrix(whitespace_accounts(org.hanna), WINDOW)
    assert [a.name for a in matrix.accounts] == ["Kappa One", "Zeta One", "Kappa Two"]
    key_ids = {portfolio[k].pk for k in ("k1", "k2", "z1")}
    totals, buyers = {}, {}
    for line in RevenueLine.objects.filter(account_id__in=key_ids):
        totals[line.account_id] = totals.get(line.account_id, 0) + line.amount
        buyers.setdefault(line.product_id, set()).add(line.account_id)
    assert matrix.account_totals == totals
    assert matrix.buyers == {pid: len(ids) for pid, ids in buyers.items()}
    # bought products first (A and B by one key account each... B by two), then the rest
    assert [p.code for p in matrix.products][:3] == ["B", "A", "C"]
    assert {p.code for p in matrix.products} == set(catalog)
    assert matrix.cell(portfolio["k1"], catalog["A"]).amount == Decimal(1500)
    assert matrix.cell(portfolio["k2"], catalog["A"]) is None
    small = whitespace_matrix(
        whitespace_accounts(org.hanna), WINDOW, max_accounts=1, max_products=2
    )
    assert (len(small.accounts), small.account_count) == (1, 3)
    assert (len(small.products), small.product_count) == (2, len(catalog))


def build_peers(owner, catalog, sets: list[str], **fields):
    accounts = []
    for index, codes in enumerate(sets):
        account = make_account(owner, name=f"Peer {index:02d}", **fields)
        for code in codes:
            buy(account, catalog[code], 100 * (index + 1))
        accounts.append(account)
    return accounts


def test_candidates_rank_what_the_most_similar_accounts_buy(org, catalog):
    target = key_account(org.kim, "Target")
    buy(target, catalog["A"], 1000)
    buy(target, catalog["B"], 1000)
    peers = build_peers(org.alice, catalog, ["ABC", "ABC", "ABCD", "ABD", "AE", "FG", "FG"])
    found = cross_sell_candidates(target, WINDOW)
    # neighbours: every account sharing a product with the target (F/G buyers share none)
    assert [c.product.code for c in found] == ["C", "D"]
    c, d = found
    assert (c.buyers, c.neighbours, c.basis) == (3, 5, BASIS_SIMILAR)
    assert (d.buyers, d.neighbours) == (2, 5)
    # E is bought by one neighbour only: below MIN_BUYERS
    yearly = sorted(WINDOW.yearly(100 * (i + 1)) for i in (0, 1, 2))
    assert c.median_yearly == yearly[1]
    assert [p.code for p in c.shared] == ["A", "B"]
    assert c.text() == (
        "bought by 3 of the 5 most similar accounts (most of them also buy Product A and "
        f"Product B); median {int(yearly[1])} € a year"
    )
    assert peers  # the peers themselves are not key accounts: they count all the same


def test_neighbours_are_the_closest_by_jaccard_then_overlap_then_id(org, catalog):
    target = key_account(org.kim, "Target")
    for code in "ABC":
        buy(target, catalog[code], 1000)
    # Jaccard with {A,B,C}: p0 3/4, p1 2/3, p2 2/5, p3 1/4, p4 1/4 (the lower id first), p5 1/7
    peers = build_peers(org.alice, catalog, ["ABCD", "AB", "ABDE", "AD", "BE", "ADEFG"])
    engine = CrossSell(WINDOW, neighbours=4)
    ids, basis = engine.neighbours(target)
    assert basis == BASIS_SIMILAR
    assert ids == [peers[0].pk, peers[1].pk, peers[2].pk, peers[3].pk]
    # D is bought by p0, p2 and p3 among those four; E by p2 only
    found = engine.candidates_for(target)
    assert [(c.product.code, c.buyers, c.neighbours) for c in found] == [("D", 3, 4)]


def test_inactive_products_are_never_proposed_and_ties_go_to_the_higher_median(org, catalog):
    target = key_account(org.kim, "Target")
    buy(target, catalog["A"], 1000)
    build_peers(org.alice, catalog, ["AC", "AD", "ACD", "AE", "AE"])
    catalog["E"].is_active = False
    catalog["E"].save()
    found = cross_sell_candidates(target, WINDOW)
    # C and D are bought by two neighbours each; D's buyers (p1, p2) spend more than C's (p0, p2)
    assert [c.product.code for c in found] == ["D", "C"]


def test_an_account_that_buys_nothing_is_compared_with_its_sector(org, catalog, sectors):
    newcomer = key_account(org.kim, "Newcomer", sector=sectors["energy"])
    build_peers(org.alice, catalog, ["AB", "A", "B", "AC"], sector=sectors["energy"])
    build_peers(org.bob, catalog, ["D", "D", "D"], sector=sectors["retail"])
    found = cross_sell_candidates(newcomer, WINDOW)
    assert [(c.product.code, c.buyers, c.neighbours, c.basis) for c in found] == [
        ("A", 3, 4, BASIS_SECTOR),
        ("B", 2, 4, BASIS_SECTOR),
    ]
    assert found[0].text().startswith("bought by 3 of the 4 accounts in its sector (Energy)")
    orphan = key_account(org.kim, "No sector")
    assert cross_sell_candidates(orphan, WINDOW) == []


def test_portfolio_candidates_are_ordered_by_support(org, catalog):
    first = key_account(org.kim, "First")
    second = key_account(org.kim, "Second")
    buy(first, catalog["A"], 10)
    buy(second, catalog["F"], 10)
    build_peers(org.alice, catalog, ["AB", "AB", "AB", "AC", "FG", "FG", "F"])
    found = portfolio_candidates(whitespace_accounts(org.kim).filter(tier=Tier.KEY_ACCOUNT), WINDOW)
    rows = [(c.account.name, c.product.code, c.buyers, c.neighbours) for c in found]
    # shares: First/B 3 of 4 = 0.75, Second/G 2 of 3 = 0.67
    assert rows == [("First", "B", 3, 4), ("Second", "G", 2, 3)]


def test_the_reason_in_german(org, catalog):
    target = key_account(org.kim, "Target")
    buy(target, catalog["A"], 1000)
    product = make_product("BIG", name="Big")
    for index in range(3):
        peer = make_account(org.alice, name=f"Peer {index}")
        buy(peer, catalog["A"], 10)
        buy(peer, product, 24_000 + 1_000 * index)
    found = cross_sell_candidates(target, WINDOW)
    with translation.override("de"):
        assert found[0].text() == (
            "gekauft von 3 der 3 ähnlichsten Kunden (die meisten davon kaufen auch "
            "Product A); Median 25 Tsd. € pro Jahr"
        )
