"""In real Chromium: the questionnaire without an account in German, the career ladders and the
competency radar."""

from decimal import Decimal

import pytest
from django.utils import translation

from tandem.people.models import CareerStep
from tandem.people.services import create_assessment, set_career_position
from tandem.people.tests.conftest import KAM_ANSWERS, shipped
from testsupport.browser import log_in
from testsupport.builders import Org

pytestmark = pytest.mark.browser


def test_an_anonymous_visitor_takes_the_questionnaire_in_german(page):
    page.goto("/people/role-fit/")
    page.click("button[data-language=de]")
    page.wait_for_selector("html[lang=de]")
    assert page.locator("legend").first.inner_text().endswith(shipped().QUESTIONS[0][3])
    for question, chosen in KAM_ANSWERS.items():
        for option in [chosen] if isinstance(chosen, str) else chosen:
            page.check(f"input[name={question}][value={option}]")
    page.click("[data-action=rolefit-submit]")
    page.wait_for_selector("#fit-headline")
    assert "/people/role-fit/" in page.url
    headline = page.locator("#fit-headline")
    assert headline.get_attribute("data-leaning") == "kam"
    assert headline.get_attribute("data-clarity") == "clearly"
    with translation.override("de"):
        expected = translation.gettext(
            "Neither role is better than the other: this only says which one fits you."
        )
    assert expected != "Neither role is better than the other: this only says which one fits you."
    assert page.locator("#no-better-role").inner_text() == expected
    first_reason = shipped().QUESTIONS[0][4][0][6]
    assert (
        page.locator("[data-contribution='work_style:alone_deep']").inner_text().count(first_reason)
        == 1
    )
    assert page.locator("[data-contribution]").count() == 9


def test_the_career_page_draws_the_ladders_and_the_persons_place(page):
    org = Org()
    set_career_position(
        org.alice,
        acting_user=org.alice,
        step=CareerStep.objects.get(ladder__code="kam", code="account_manager"),
        years_in_sales=Decimal("2"),
    )
    log_in(page, "alice")
    page.goto("/people/")
    svg = page.locator("svg#ladder-picture")
    box = svg.bounding_box()
    assert box["width"] > 400 and box["height"] > 100
    steps = sum(len(entry[5]) for entry in shipped().LADDERS)
    assert page.locator("svg#ladder-picture g[data-step]").count() == steps
    current = page.locator("g[data-step=account_manager][data-state=current] rect")
    assert current.evaluate("el => getComputedStyle(el).fill") == "rgb(37, 99, 235)"
    assert page.locator("g[data-state=next]").get_attribute("data-step") == (
        "senior_account_manager"
    )
    assert page.locator("#missing [data-missing=years]").is_visible()


def test_the_competency_radar_is_drawn(page):
    org = Org()
    levels = next(p[5] for p in shipped().PROFILES if p[0] == "rep")
    create_assessment(org.alice, acting_user=org.alice, kind="self", levels=levels)
    log_in(page, "alice")
    page.goto(f"/people/person/{org.alice.pk}/")
    page.wait_for_selector("#radar-chart[data-rendered=true] svg path")
    assert page.locator("#radar-chart svg path").count() > len(levels)
