"""The deal list's export buttons give exactly the filtered list (all pages, same order)."""

import csv
import io
import json

import openpyxl
import pytest
from django.urls import reverse

from tandem.core.lists import PAGE_SIZE
from testsupport.builders import PASSWORD, make_account, make_deal

LIST = reverse("pipeline:deal_list")


def logged_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def all_listed_ids(client, params) -> list[int]:
    """The ids the list shows, page after page."""
    ids, page = [], 1
    while True:
        response = client.get(LIST, {**params, "page": page})
        ids += [deal.pk for deal in response.context["page_obj"]]
        if not response.context["page_obj"].has_next():
            return ids
        page += 1


def export(client, fmt, params):
    response = client.get(reverse("pipeline:deal_export", args=[fmt]), params)
    assert response.status_code == 200
    body = b"".join(response) if response.streaming else response.content
    if fmt == "csv":
        return [int(row["id"]) for row in csv.DictReader(io.StringIO(body.decode("utf-8-sig")))]
    if fmt == "json":
        data = json.loads(body)
        rows = (
            data
            if isinstance(data, list)
            else next(value for value in data.values() if isinstance(value, list))
        )
        return [int(row["id"]) for row in rows]
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).active
    rows = list(sheet.iter_rows(values_only=True))
    column = list(rows[0]).index("id")
    return [int(row[column]) for row in rows[1:]]


@pytest.mark.parametrize("fmt", ["csv", "json", "xlsx"])
def test_export_is_exactly_the_filtered_list_across_pages(client, org, fmt):
    for index in range(PAGE_SIZE + 3):
        make_deal(org.alice, name=f"Proposal {index}", stage_code="proposal")
    make_deal(org.alice, name="Won one", stage_code="won")
    make_deal(org.bob, name="Bob proposal", stage_code="proposal")
    client = logged_in(client, org.alice)
    params = {"stage": "proposal", "sort": "-name"}
    expected = all_listed_ids(client, params)
    assert len(expected) == PAGE_SIZE + 3
    assert export(client, fmt, params) == expected


def test_export_of_deals_without_account(client, org):
    unknown = make_deal(org.alice, name="Unknown", account=None)
    make_deal(org.alice, name="Known", account=make_account(org.alice))
    client = logged_in(client, org.alice)
    assert export(client, "json", {"without_account": "on"}) == [unknown.pk]


def test_export_never_contains_another_reps_deals(client, org):
    mine = make_deal(org.alice)
    make_deal(org.bob)
    assert export(logged_in(client, org.alice), "csv", {}) == [mine.pk]


def test_an_unknown_export_format_is_404(client, org):
    response = logged_in(client, org.alice).get(reverse("pipeline:deal_export", args=["pdf"]))
    assert response.status_code == 404
