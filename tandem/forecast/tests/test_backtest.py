"""The backtest on the Maven sample, checked against a second implementation written directly
from the CSV files (no ORM, no StageChange rows), and the no-leakage guarantee."""

import csv
import datetime as dt
import math
from decimal import Decimal

import pytest
from django.db.models import F

from tandem.forecast.engine import Forecaster, at_start_of, backtest, parse_period
from tandem.forecast.tests.conftest import MAVEN
from tandem.pipeline.models import Deal, Stage, StageChange

pytestmark = pytest.mark.django_db


# --- a second implementation, from the CSV files only ---------------------------------------


def read(name):
    with open(MAVEN / name, encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def csv_deals():
    prices = {
        row["product"].replace(" ", "").lower(): float(row["sales_price"])
        for row in read("products.csv")
    }
    deals = []
    for row in read("sales_pipeline.csv"):
        engaged = dt.date.fromisoformat(row["engage_date"]) if row["engage_date"] else None
        closed = dt.date.fromisoformat(row["close_date"]) if row["close_date"] else None
        deals.append(
            {
                "engaged": engaged,
                "closed": closed,
                "won": row["deal_stage"] == "Won",
                "value": float(row["close_value"] or 0),
                "price": prices[row["product"].replace(" ", "").lower()],
            }
        )
    return deals


def month(day, shift=0):
    index = day.year * 12 + day.month - 1 + shift
    return dt.date(index // 12, index % 12 + 1, 1)


class CsvForecast:
    def __init__(self, deals, engaging_probability):
        self.deals = deals
        self.probability = engaging_probability
        self.points = {}

    def actual(self, start):
        end = month(start, 1)
        return sum(d["value"] for d in self.deals if d["won"] and start <= d["closed"] < end)

    def state(self, a):
        known = [d for d in self.deals if d["engaged"] and d["engaged"] < a]
        closed = [d for d in known if d["closed"] and d["closed"] < a]
        still_open = [d for d in known if not (d["closed"] and d["closed"] < a)]
        return known, closed, still_open

    def hazards(self, a):
        _, closed, still_open = self.state(a)
        horizon = 600
        risk, won, lost = [0] * horizon, [0] * horizon, [0] * horizon
        for d in closed:
            t = (d["closed"] - d["engaged"]).days
            for age in range(t + 1):
                risk[age] += 1
            (won if d["won"] else lost)[t] += 1
        for d in still_open:
            for age in range((a - d["engaged"]).days):
                risk[age] += 1
        hw = [w / r if r else 0.0 for w, r in zip(won, risk, strict=True)]
        hl = [x / r if r else 0.0 for x, r in zip(lost, risk, strict=True)]

        def win_within(age, days):
            alive, p = 1.0, 0.0
            for t in range(age, min(age + days, horizon)):
                p += alive * hw[t]
                alive *= 1 - hw[t] - hl[t]
            return p

        return win_within

    def first_close_month(self, a):
        closes = [d["closed"] for d in self.deals if d["closed"] and d["closed"] < a]
        return month(min(closes)) if closes else None

    def parts(self, a):
        if a in self.points:
            return self.points[a]
        _, _, still_open = self.state(a)
        win_within = self.hazards(a)
        days = (month(a, 1) - a).days
        open_part = sum(d["price"] * win_within((a - d["engaged"]).days, days) for d in still_open)
        window = month(a, -3)
        recent = [d for d in self.deals if d["engaged"] and window <= d["engaged"] < a]
        new_part = 0.0
        if recent:
            per_day = len(recent) / (a - window).days
            average = sum(d["price"] for d in recent) / len(recent)
            new_part = per_day * average * sum(win_within(0, days - x) for x in range(days))
        first = self.first_close_month(a)
        seasonal = self.actual(month(a, -3)) if first and month(a, -3) >= first else None
        self.points[a] = (open_part, new_part, seasonal)
        return self.points[a]

    def point(self, a):
        open_part, new_part, seasonal = self.parts(a)
        return open_part + new_part if seasonal is None else (open_part + new_part + seasonal) / 2

    def forecast(self, a):
        open_part, new_part, seasonal = self.parts(a)
        f = self.point(a)
        first = self.first_close_month(a)
        errors = []
        p = month(a, -1)
        while first and p >= first and len(errors) < 12:
            if self.point(p) > 0 and self.actual(p) > 0:
                errors.append(math.log(self.actual(p) / self.point(p)) ** 2)
            p = month(p, -1)
        if seasonal:
            errors.append((math.log((open_part + new_part) / seasonal) / 2) ** 2)
        sigma = math.sqrt(sum(errors) / len(errors)) if errors else 0.3
        z = 1.2815515655446004
        _, closed, still_open = self.state(a)
        win_rate = sum(d["won"] for d in closed) / len(closed) if closed else 0
        open_value = sum(d["price"] for d in still_open)
        return {
            "forecast": f,
            "low": f * math.exp(-z * sigma),
            "high": f * math.exp(z * sigma),
            "weighted_pipeline": open_value * self.probability / 100,
            "win_rate_pipeline": open_value * win_rate,
            "last_period": self.actual(month(a, -1)),
            "actual": self.actual(a),
        }


@pytest.fixture(scope="module")
def report(maven, django_db_blocker):
    with django_db_blocker.unblock():
        return backtest(Deal.objects.all(), parse_period("2017-04"), parse_period("2017-12"))


@pytest.fixture(scope="module")
def expected(maven, django_db_blocker):
    with django_db_blocker.unblock():
        probability = Stage.objects.get(code="engaging").win_probability
    model = CsvForecast(csv_deals(), probability)
    return {
        month(dt.date(2017, m, 1)).strftime("%Y-%m"): model.forecast(dt.date(2017, m, 1))
        for m in range(4, 13)
    }


def test_every_month_matches_the_csv_implementation(report, expected):
    assert [row["period"] for row in report["periods"]] == list(expected)
    for row in report["periods"]:
        for key, value in expected[row["period"]].items():
            assert row[key] == pytest.approx(value, rel=1e-6, abs=0.01), (row["period"], key)


def mape(expected, key):
    return sum(abs(e[key] - e["actual"]) / e["actual"] for e in expected.values()) / len(expected)


def test_overall_figures_match_the_csv_implementation(report, expected):
    assert report["mape_forecast"] == pytest.approx(mape(expected, "forecast"), abs=1e-4)
    assert report["mape_weighted_pipeline"] == pytest.approx(
        mape(expected, "weighted_pipeline"), abs=1e-4
    )
    inside = [e["low"] <= e["actual"] <= e["high"] for e in expected.values()]
    assert report["interval_coverage"] == pytest.approx(sum(inside) / len(inside), abs=1e-4)


def test_tandem_meets_the_targets(report):
    assert report["mape_forecast"] <= 0.20
    assert 0.70 <= report["interval_coverage"] <= 0.90


def test_reference_methods_reproduce_the_issues_figures(report):
    """The issue quotes ~270 % for open deals × win rate so far and ~40 % for last month's
    actual; our harness lands near them (its pipeline counts only deals engaged by then)."""
    assert 2.0 <= report["mape_win_rate_pipeline"] <= 3.2
    assert 0.35 <= report["mape_last_period"] <= 0.45
    assert report["mape_forecast"] < report["mape_last_period"] < report["mape_win_rate_pipeline"]


def test_nothing_after_the_as_of_date_changes_the_forecast(maven):
    as_of = dt.date(2017, 8, 1)
    period = parse_period("2017-08")
    before = Forecaster(Deal.objects.all()).forecast(period, as_of).as_dict()

    moment = at_start_of(as_of)
    later = Deal.objects.exclude(stage_changes__changed_at__lt=moment)
    StageChange.objects.filter(deal__in=later).delete()
    later.delete()
    StageChange.objects.filter(changed_at__gte=moment).delete()
    closed_before = StageChange.objects.filter(
        changed_at__lt=moment, to_stage__outcome__in=["won", "lost"]
    ).values("deal_id")
    # what happened to the deals still open then: their close value and their current stage
    Deal.objects.exclude(pk__in=closed_before).update(value=F("value") + Decimal(1000))
    Deal.objects.update(stage=Stage.objects.get(code="lost"))

    after = Forecaster(Deal.objects.all()).forecast(period, as_of).as_dict()
    for key in ("forecast", "low", "high", "weighted_pipeline", "win_rate_pipeline"):
        assert after[key] == before[key], key
