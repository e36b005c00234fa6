"""The comparison page and the onboarding overview do not run more queries with more
candidates, scores or plans."""

import datetime

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.hiring.services import add_candidate, create_onboarding_plan, record_scores
from tandem.users.models import Role
from testsupport.builders import PASSWORD, make_user


def queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def add_scored(position, interviewers, n, start):
    for index in range(start, start + n):
        candidate = add_candidate(position, acting_user=interviewers[0], name=f"C{index}")
        for interviewer in interviewers:
            record_scores(
                candidate,
                [
                    {"competency": "negotiation", "score": 3},
                    {"competency": "relationships", "score": 4},
                ],
                acting_user=interviewer,
            )


def test_comparison_page_query_count_is_flat(org, kam_position):
    client = Client()
    client.login(username="mona", password=PASSWORD)
    url = f"/hiring/positions/{kam_position.pk}/"
    add_scored(kam_position, [org.mona, org.hanna], 1, 0)
    few = queries(client, url)
    add_scored(kam_position, [org.mona, org.hanna, org.otto], 6, 1)
    assert queries(client, url) == few


def test_onboarding_overview_query_count_is_flat(org):
    client = Client()
    client.login(username="mona", password=PASSWORD)
    first = make_user("n0", Role.SALES_REP, org.north)
    create_onboarding_plan(first, acting_user=org.mona, starts_on=datetime.date(2026, 1, 5))
    few = queries(client, "/hiring/")
    for index in range(1, 6):
        member = make_user(f"n{index}", Role.SALES_REP, org.north)
        create_onboarding_plan(member, acting_user=org.mona, starts_on=datetime.date(2026, 1, 5))
    assert queries(client, "/hiring/") == few
