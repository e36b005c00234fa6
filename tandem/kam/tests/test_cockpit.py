"""One builder for the KAM cockpit: the pages, GET /api/kpis/kam and `tandem kpis --role kam`
show the figures of the same `KamCockpit`."""

import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone

from tandem.core.periods import Period, PeriodKind
from tandem.kam.cockpit import kam_cockpit
from tandem.kam.report import report_from
from tandem.kam.tests.test_views import client_for
from testsupport.api import token_client

pytestmark = pytest.mark.django_db


def printed(user, *options) -> dict:
    out = io.StringIO()
    call_command(
        "kpis", "--role", "kam", "--format", "json", "--user", user.username, *options, stdout=out
    )
    return json.loads(out.getvalue())


@pytest.mark.parametrize(("who", "chosen"), [("kim", None), ("hanna", "karl"), ("mona", "kim")])
def test_pages_api_and_command_show_the_builders_figures(portfolios, who, chosen):
    org = portfolios
    user, kam = getattr(org, who), getattr(org, chosen) if chosen else None
    period = Period.containing(timezone.localdate(), PeriodKind.YEAR)
    figures = kam_cockpit(user, period, kam, with_company_revenue=False)
    expected = report_from(kam_cockpit(user, period, kam).figures)

    query = f"?kam={kam.pk}" if kam else ""
    page = client_for(user).get(f"/kam/{query}")
    assert page.status_code == 200
    assert page.context["company"] == figures.figures.company
    assert page.context["per_kam"] == figures.figures.per_kam
    assert sorted(page.context["accounts"], key=lambda row: row.id) == sorted(
        figures.figures.accounts, key=lambda row: row.id
    )
    assert [loss.account.id for loss in page.context["losses"]] == [
        loss.account.id for loss in figures.largest_accounts(figures.figures.company)
    ]
    concentration = client_for(user).get(f"/kam/concentration/{query}")
    assert [row.account.id for row in concentration.context["rows"]] == [
        row.id for row in sorted(figures.figures.accounts, key=lambda r: (-r.share, r.name))
    ]

    answered = token_client(user).get(f"/api/kpis/kam{query and '?kam=' + kam.username}")
    assert answered.status_code == 200
    assert answered.json() == expected
    assert printed(user, *(["--kam", kam.username] if kam else [])) == expected
    # the figures that do not depend on the company's total revenue are the page's
    company = dict(expected["company"], share_of_company_revenue=None)
    assert report_from(figures.figures)["company"] == company


def test_the_kam_chart_data_stays_machine_readable_in_german(portfolios):
    page = client_for(portfolios.kim, "de").get("/kam/")
    html = page.content.decode()
    assert "Wenn Big Customer AG verloren geht, fallen 75 % dieses Umsatzes weg." in html
    data = json.loads(html.split('id="kam-data" type="application/json">')[1].split("</script>")[0])
    assert data["pareto"]["shares"] == [75.0, 25.0]
    assert all(isinstance(v, float) for v in data["pareto"]["cumulative"])
