"""The QBR pack: figures checked against plain Python over the rows, the page per role and
language, and the PDF read back with pypdf."""

import datetime
import io
import re
from decimal import Decimal

import pytest
import time_machine
from pypdf import PdfReader

from tandem.accountplans.selectors import qbr_pack, qbr_period
from tandem.accountplans.tests.conftest import client_for
from tandem.core.errors import DomainError
from tandem.core.periods import Period
from tandem.pipeline.models import Deal
from tandem.revenue.models import RevenueLine
from testsupport.builders import make_account, make_product, make_revenue_line

TODAY = datetime.date(2026, 10, 20)


@pytest.fixture(autouse=True)
def frozen_clock():
    with time_machine.travel(datetime.datetime(2026, 10, 20, 9, tzinfo=datetime.UTC), tick=False):
        yield


def quarter_of(day: datetime.date) -> tuple[int, int]:
    return day.year, (day.month + 2) // 3


def expected(account):
    """The pack's revenue figures for 2026 Q3, by hand from the rows."""
    lines = list(RevenueLine.objects.filter(account=account))
    per_quarter = {}
    for line in lines:
        key = quarter_of(line.invoiced_on)
        per_quarter[key] = per_quarter.get(key, Decimal(0)) + line.amount
    ytd = sum(
        (
            line.amount
            for line in lines
            if datetime.date(2026, 1, 1) <= line.invoiced_on <= datetime.date(2026, 9, 30)
        ),
        Decimal(0),
    )
    ytd_before = sum(
        (
            line.amount
            for line in lines
            if datetime.date(2025, 1, 1) <= line.invoiced_on <= datetime.date(2025, 9, 30)
        ),
        Decimal(0),
    )
    twelve = {}
    for line in lines:
        if datetime.date(2025, 10, 1) <= line.invoiced_on <= datetime.date(2026, 9, 30):
            twelve[line.product.name] = twelve.get(line.product.name, Decimal(0)) + line.amount
    trend = []
    year, quarter = 2024, 4
    for _ in range(8):
        trend.append(per_quarter.get((year, quarter), Decimal(0)))
        year, quarter = (year + 1, 1) if quarter == 4 else (year, quarter + 1)
    return {"trend": trend, "ytd": ytd, "ytd_before": ytd_before, "twelve": twelve}


def test_figures_match_a_second_computation(org, plan, key_account):
    pack = qbr_pack(key_account, Period.parse("2026Q3"), today=TODAY)
    hand = expected(key_account)
    assert [row["total"] for row in pack["revenue"]["trend"]] == hand["trend"]
    assert pack["revenue"]["trend"][-1]["period"] == "2026Q3"
    assert pack["revenue"]["quarter"] == hand["trend"][-1]
    assert pack["revenue"]["same_quarter_last_year"] == hand["trend"][-5]
    assert pack["revenue"]["year_to_date"]["total"] == hand["ytd"]
    assert pack["revenue"]["year_to_date"]["previous"] == hand["ytd_before"]
    change = (hand["ytd"] - hand["ytd_before"]) * 100 / hand["ytd_before"]
    assert abs(pack["revenue"]["year_to_date"]["change_percent"] - change) <= Decimal("0.05")
    assert pack["revenue"]["on_track"] == (change >= Decimal("12.5"))
    assert {p["name"]: p["twelve_months"] for p in pack["products"]["bought"]} == hand["twelve"]
    open_deals = Deal.objects.filter(account=key_account, stage__outcome="open")
    assert pack["open_deals"]["total"] == sum(d.value for d in open_deals)
    # whitespace: the plan's products, the sensor with its open deal
    pursued = {p["name"]: p for p in pack["products"]["pursued"]}
    assert set(pursued) == {"Sensor S1", "Drive D9"}
    assert pursued["Sensor S1"]["open_deals"] == 1 and not pursued["Sensor S1"]["bought"]
    assert pack["products"]["never_bought"] == []  # the rest is bought or pursued
    # renewals within 180 days of the quarter's end (as of 30 September)
    assert [r["contract"].name for r in pack["renewals"]["rows"]] == ["Frame contract"]
    assert (
        pack["renewals"]["rows"][0]["days_left"]
        == (datetime.date(2026, 11, 30) - datetime.date(2026, 9, 30)).days
    )
    counts = {c["status"]: c["count"] for c in pack["actions"]["counts"]}
    assert counts == {"open": 1, "in_progress": 1, "done": 0, "blocked": 0}
    assert pack["actions"]["overdue"] == 1  # the sensor pilot was due on 1 May


def test_cross_sell_candidates_with_their_reason(org, plan, key_account, products):
    """Three other accounts buy what Hafenwerk buys plus the drive (pursued by the plan) and a
    gear (not pursued): both are candidates, with the reason from tandem.portfolio."""

    gear = make_product("GEAR", name="Gear G1")
    neighbours = [make_account(org.bob, name=f"Neighbour {i}") for i in range(3)]
    for neighbour in neighbours:
        for product in (products["pump"], products["valve"], products["drive"], gear):
            make_revenue_line(
                neighbour, product, invoiced_on=datetime.date(2026, 3, 1), amount=Decimal(500)
            )
    pack = qbr_pack(key_account, Period.parse("2026Q3"), today=TODAY)
    pursued = {p["name"]: p for p in pack["products"]["pursued"]}
    buyers = sum(
        1
        for n in neighbours
        if RevenueLine.objects.filter(account=n, product=gear, amount__gt=0).exists()
    )
    assert (
        f"bought by {buyers} of the {len(neighbours)} most similar accounts"
        in (pursued["Drive D9"]["reason"])
    )
    assert pursued["Sensor S1"]["reason"] == ""
    assert [row["name"] for row in pack["products"]["suggested"]] == ["Gear G1"]
    assert "Gear G1" not in pack["products"]["never_bought"]
    page = (
        client_for(org.kim)
        .get(f"/key-accounts/plans/qbr/{key_account.pk}/?period=2026Q3")
        .content.decode()
    )
    assert f'data-suggested="{gear.pk}"' in page


def test_a_quarter_is_required():
    with pytest.raises(DomainError):
        qbr_period("2026")
    with pytest.raises(DomainError):
        qbr_period("next quarter")
    assert qbr_period(None, today=TODAY).code == "2026Q3"


@pytest.mark.parametrize(
    ("persona", "status"),
    [("kim", 200), ("hanna", 200), ("otto", 200), ("mona", 200), ("sam", 404), ("alice", 404)],
)
def test_qbr_page_per_role(org, plan, key_account, persona, status):
    response = client_for(getattr(org, persona)).get(
        f"/key-accounts/plans/qbr/{key_account.pk}/?period=2026Q3"
    )
    assert response.status_code == status


def test_qbr_of_a_standard_account_is_not_found(org):
    account = make_account(org.kim, name="Not key")
    assert client_for(org.kim).get(f"/key-accounts/plans/qbr/{account.pk}/").status_code == 404


def test_qbr_page_shows_the_chart_and_the_figures(org, plan, key_account):
    page = (
        client_for(org.kim)
        .get(f"/key-accounts/plans/qbr/{key_account.pk}/?period=2026Q3")
        .content.decode()
    )
    assert 'data-chart="revenue-trend"' in page
    assert page.count("<rect ") == 8
    hand = expected(key_account)
    drawn = re.findall(r'data-period="(\w+)" data-total="([\d.]+)"', page)
    assert [Decimal(total) for _period, total in drawn] == hand["trend"]
    assert drawn[-1][0] == "2026Q3"
    assert "Frame contract" in page
    assert "Greta Berg" in page
    assert "Sensor pilot" in page
    assert (
        client_for(org.kim)
        .get(f"/key-accounts/plans/qbr/{key_account.pk}/?period=2026")
        .status_code
        == 404
    )


def test_qbr_page_in_german(org, plan, key_account):
    page = (
        client_for(org.kim, "de")
        .get(f"/key-accounts/plans/qbr/{key_account.pk}/?period=2026Q3")
        .content.decode()
    )
    assert "Umsatzentwicklung" in page
    assert "Offene Deals" in page
    assert "2.100\N{NO-BREAK SPACE}€" in page  # 2026 Q3 in German notation


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    # one space for every run of white space: table cells wrap their words onto lines
    return " ".join(" ".join(page.extract_text() for page in reader.pages).split())


def whole(amount: Decimal) -> str:
    """Rounded half up to whole euros, with English grouping."""
    return f"{int(amount + Decimal('0.5')):,}"


def test_the_pdf_carries_the_account_and_the_numbers(org, plan, key_account):
    response = client_for(org.kim).get(
        f"/key-accounts/plans/qbr/{key_account.pk}/pdf/?period=2026Q3"
    )
    text = pdf_text(response)
    hand = expected(key_account)
    assert "Hafenwerk Nord" in text
    assert "QBR Q3 2026" in text
    assert whole(hand["trend"][-1]) in text  # 2,100
    assert whole(hand["ytd"]) in text  # year to date
    assert "Frame contract" in text
    assert "Sensor pilot" in text
    assert "Revenue trend" in text
    assert whole(hand["trend"][-2]) in text  # 2,320.75 -> 2,321
    assert whole(hand["ytd"]) == "5,871"


def test_the_pdf_follows_the_language(org, plan, key_account):
    response = client_for(org.kim, "de").get(
        f"/key-accounts/plans/qbr/{key_account.pk}/pdf/?period=2026Q3"
    )
    text = pdf_text(response)
    hand = expected(key_account)
    german_ytd = whole(hand["ytd"]).replace(",", ".")
    assert "Hafenwerk Nord" in text
    assert "Umsatzentwicklung" in text
    assert german_ytd in text


def test_the_pdf_is_scoped_like_the_page(org, plan, key_account):
    assert (
        client_for(org.sam).get(f"/key-accounts/plans/qbr/{key_account.pk}/pdf/").status_code == 404
    )
