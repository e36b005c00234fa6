from decimal import Decimal

import pytest
from django.test import Client

from tandem.core.errors import DomainError
from tandem.people.models import CareerStep, RoleProfile
from tandem.people.selectors import career_standing
from tandem.people.services import create_assessment, set_career_position
from tandem.people.tests.conftest import shipped
from testsupport.builders import PASSWORD

pytestmark = pytest.mark.django_db


def step(ladder: str, code: str) -> CareerStep:
    return CareerStep.objects.get(ladder__code=ladder, code=code)


def shipped_step(ladder: str, code: str) -> tuple:
    steps = next(entry[5] for entry in shipped().LADDERS if entry[0] == ladder)
    return next(s for s in steps if s[0] == code)


def test_the_ladders_are_shipped_with_their_steps_and_years():
    for code, _name, _name_de, _text, _text_de, steps in shipped().LADDERS:
        stored = list(CareerStep.objects.filter(ladder__code=code).order_by("position"))
        assert [s.code for s in stored] == [s[0] for s in steps]
        assert [(s.years_from, s.years_to) for s in stored] == [(s[3], s[4]) for s in steps]
    kam = shipped_step("kam", "key_account_manager")
    assert (kam[3], kam[4]) == (5, 10)
    manager = shipped_step("sales_manager", "sales_manager")
    assert (manager[3], manager[4], manager[5]) == (7, 12, 2)


def test_what_is_missing_for_a_team_lead_to_become_sales_manager(org):
    set_career_position(
        org.mona,
        acting_user=org.hanna,
        step=step("sales_manager", "team_lead"),
        years_in_sales=Decimal("5.5"),
        leadership_years=Decimal("1"),
    )
    standing = career_standing(org.mona)
    target = shipped_step("sales_manager", "sales_manager")
    assert standing.next_step.code == "sales_manager"
    assert standing.missing_years == Decimal(target[3]) - Decimal("5.5")
    assert standing.missing_leadership_years == Decimal(target[5]) - 1
    assert {row.competency.code for row in standing.unrated} == set(
        next(p[5] for p in shipped().PROFILES if p[0] == "sales_manager")
    )
    assert not standing.ready


def test_competencies_for_the_next_step_use_the_steps_levels_and_the_latest_ratings(org):
    set_career_position(
        org.alice,
        acting_user=org.alice,
        step=step("kam", "junior_account_manager"),
        years_in_sales=Decimal("4"),
    )
    kam_levels = next(p[5] for p in shipped().PROFILES if p[0] == "kam")
    rep_levels = next(p[5] for p in shipped().PROFILES if p[0] == "rep")
    offset = shipped_step("kam", "account_manager")[7]
    # alice is rated on the rep model; the competencies it shares with the KAM model count
    # for the next step, the others are not rated yet.
    create_assessment(
        org.alice, acting_user=org.mona, kind="manager", levels=dict.fromkeys(rep_levels, 1)
    )
    create_assessment(
        org.alice, acting_user=org.mona, kind="manager", levels=dict.fromkeys(rep_levels, 2)
    )
    standing = career_standing(org.alice)
    assert standing.missing_years == 0
    gaps = {row.competency.code: row.gap for row in standing.competency_gaps}
    assert gaps == {
        code: (max(max(level + offset, 1) - 2, 0) if code in rep_levels else None)
        for code, level in kam_levels.items()
    }
    assert {row.competency.code for row in standing.unrated} == set(kam_levels) - set(rep_levels)
    create_assessment(
        org.alice,
        acting_user=org.mona,
        kind="manager",
        levels=dict.fromkeys(kam_levels, 5),
        profile=RoleProfile.objects.get(code="kam"),
    )
    standing = career_standing(org.alice)
    assert not standing.open_gaps and not standing.unrated
    assert standing.ready


def test_the_last_step_has_no_next(org):
    set_career_position(
        org.hanna,
        acting_user=org.hanna,
        step=step("sales_manager", "vp_sales"),
        years_in_sales=Decimal("20"),
        leadership_years=Decimal("10"),
    )
    assert career_standing(org.hanna).next_step is None


def test_only_the_person_or_their_manager_records_the_position(org):
    with pytest.raises(DomainError):
        set_career_position(
            org.alice, acting_user=org.bob, step=step("kam", "rep"), years_in_sales=Decimal(1)
        )
    with pytest.raises(DomainError):
        set_career_position(
            org.alice,
            acting_user=org.alice,
            step=step("kam", "rep"),
            years_in_sales=Decimal(1),
            leadership_years=Decimal(2),
        )


def test_the_career_page_is_open_to_everyone_and_draws_every_step(db):
    page = Client().get("/people/").content.decode()
    for code, _n, _nd, _t, _td, steps in shipped().LADDERS:
        assert f'data-ladder="{code}"' in page
        for entry in steps:
            assert f'data-step="{entry[0]}"' in page


def test_the_career_page_marks_the_persons_step_and_the_next(org):
    set_career_position(
        org.alice,
        acting_user=org.alice,
        step=step("kam", "account_manager"),
        years_in_sales=Decimal("3"),
    )
    client = Client()
    client.login(username="alice", password=PASSWORD)
    page = client.get("/people/").content.decode()
    assert 'data-step="account_manager" data-state="current"' in page
    assert 'data-step="senior_account_manager" data-state="next"' in page
    assert 'data-missing="years"' in page
    assert client.get(f"/people/?person={org.bob.pk}").status_code == 404


def test_the_position_is_recorded_on_the_web(org):
    client = Client()
    client.login(username="mona", password=PASSWORD)
    response = client.post(
        f"/people/person/{org.alice.pk}/",
        {
            "action": "position",
            "position-step": step("kam", "rep").pk,
            "position-years_in_sales": "1.5",
            "position-leadership_years": "0",
        },
    )
    assert response.status_code == 302
    assert org.alice.career_position.years_in_sales == Decimal("1.5")
