"""The deal pages through Django's test client: list, detail, forms, board and moves."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse

from tandem.audit.selectors import history_of
from tandem.core.lists import PAGE_SIZE
from tandem.pipeline.models import Channel, Deal, DealType, Stage, StageChange
from tandem.pipeline.services import update_deal
from testsupport.builders import PASSWORD, make_account, make_activity, make_deal, make_product

LIST = reverse("pipeline:deal_list")
BOARD = reverse("pipeline:board")


def logged_in(client, user):
    assert client.login(username=user.username, password=PASSWORD)
    return client


def listed(response) -> list[str]:
    return [deal.name for deal in response.context["page_obj"]]


def move_url(deal) -> str:
    return reverse("pipeline:deal_move", args=[deal.pk])


# --- the list --------------------------------------------------------------------------


def test_list_asks_anonymous_visitors_to_log_in(client, db):
    response = client.get(LIST)
    assert response.status_code == 302
    assert "/login" in response["Location"]


def test_rep_sees_only_their_own_deals_in_the_list(client, org):
    make_deal(org.alice, name="Alice pumps")
    make_deal(org.bob, name="Bob valves")
    response = logged_in(client, org.alice).get(LIST)
    assert listed(response) == ["Alice pumps"]


def test_manager_sees_the_teams_deals(client, org):
    make_deal(org.alice, name="Alice pumps")
    make_deal(org.bob, name="Bob valves")
    response = logged_in(client, org.mona).get(LIST)
    assert listed(response) == ["Alice pumps"]


def test_search_finds_deal_and_account_names(client, org):
    mueller = make_account(org.alice, "Müller Maschinenbau")
    make_deal(org.alice, name="Pumps 2026", account=mueller)
    make_deal(org.alice, name="Schmidt valves")
    make_deal(org.alice, name="Other")
    client = logged_in(client, org.alice)
    assert listed(client.get(LIST, {"q": "müller"})) == ["Pumps 2026"]
    assert listed(client.get(LIST, {"q": "VALVES"})) == ["Schmidt valves"]


def test_filters_by_stage_outcome_owner_channel_type(client, org):
    partner = Channel.objects.get(code="partner")
    make_deal(org.alice, name="A", stage_code="proposal", channel=partner)
    make_deal(org.alice, name="B", stage_code="won", deal_type=DealType.RENEWAL)
    make_deal(org.alice, name="C", stage_code="lost", lost_reason="Price")
    make_deal(org.mona, name="D", stage_code="proposal")
    client = logged_in(client, org.mona)
    assert listed(client.get(LIST, {"stage": "proposal", "sort": "name"})) == ["A", "D"]
    assert listed(client.get(LIST, {"outcome": "won"})) == ["B"]
    assert listed(client.get(LIST, {"outcome": "open", "sort": "name"})) == ["A", "D"]
    assert listed(client.get(LIST, {"owner": org.mona.pk})) == ["D"]
    assert listed(client.get(LIST, {"channel": "partner"})) == ["A"]
    assert listed(client.get(LIST, {"deal_type": "renewal"})) == ["B"]
    assert listed(client.get(LIST, {"team": org.north.pk, "sort": "name"})) == ["A", "B", "C", "D"]


def test_filter_by_an_owner_the_user_cannot_see_shows_nothing_and_says_why(client, org):
    make_deal(org.bob, name="Bob valves")
    make_deal(org.alice, name="Alice pumps")
    response = logged_in(client, org.alice).get(LIST, {"owner": org.bob.pk})
    assert listed(response) == []
    assert "you may not see it" in response.content.decode()


def test_without_account_finds_imported_deals_to_resolve(client, org):
    make_deal(org.alice, name="Known", account=make_account(org.alice))
    make_deal(org.alice, name="Unknown customer", account=None)
    make_deal(org.bob, name="Bob's unknown", account=None)
    client = logged_in(client, org.alice)
    everything = client.get(LIST)
    assert everything.context["unresolved"] == 1
    assert 'href="?without_account=on"' in everything.content.decode()
    response = client.get(LIST, {"without_account": "on"})
    assert listed(response) == ["Unknown customer"]


@pytest.mark.parametrize(
    ("sort", "key"),
    [
        ("value", lambda d: (d.value, d.pk)),
        ("-value", lambda d: (-d.value, -d.pk)),
        ("name", lambda d: (d.name, d.pk)),
        ("-expected_close_on", lambda d: (-d.expected_close_on.toordinal(), -d.pk)),
    ],
)
def test_sorting_by_column(client, org, sort, key):
    for index, value in enumerate(["30", "10", "20", "10"]):
        make_deal(
            org.alice,
            name=f"Deal {'DBCA'[index]}",
            value=Decimal(value),
            expected_close_on=datetime.date(2026, 5, 1 + index),
        )
    expected = [d.name for d in sorted(Deal.objects.all(), key=key)]
    assert listed(logged_in(client, org.alice).get(LIST, {"sort": sort})) == expected


def test_an_unknown_sort_key_is_ignored(client, org):
    make_deal(org.alice)
    response = logged_in(client, org.alice).get(LIST, {"sort": "password"})
    assert response.status_code == 200
    assert len(listed(response)) == 1


def test_pagination_shows_50_per_page_and_the_total_of_all(client, org):
    total = PAGE_SIZE + 7
    for index in range(total):
        make_deal(org.alice, name=f"Deal {index:03}", value=Decimal(index))
    client = logged_in(client, org.alice)
    first = client.get(LIST, {"sort": "name"})
    second = client.get(LIST, {"sort": "name", "page": 2})
    assert len(listed(first)) == PAGE_SIZE
    assert listed(second) == [f"Deal {index:03}" for index in range(PAGE_SIZE, total)]
    assert first.context["totals"] == {"count": total, "value": Decimal(sum(range(total)))}
    assert "sort=name&amp;page=2" in first.content.decode()


def test_list_query_count_does_not_grow_with_the_deals(client, org, django_assert_max_num_queries):
    account = make_account(org.alice)
    product = make_product()
    for _ in range(60):
        make_deal(org.mona, account=account, product=product, channel=Channel.objects.first())
    client = logged_in(client, org.mona)
    with django_assert_max_num_queries(14):
        response = client.get(LIST)
    assert len(listed(response)) == PAGE_SIZE


# --- detail ----------------------------------------------------------------------------


def test_detail_shows_facts_history_audit_and_activities(client, org):
    account = make_account(org.alice, "Hansa Logistik")
    deal = make_deal(org.alice, name="Conveyor", account=account, value=Decimal("12500"))
    client = logged_in(client, org.alice)
    client.post(move_url(deal), {"stage": "qualifying"})
    make_activity(account, org.alice, deal=deal, subject="Kick-off call")
    make_activity(account, org.alice, subject="Unrelated call")
    response = client.get(reverse("pipeline:deal_detail", args=[deal.pk]))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Hansa Logistik" in page
    assert "Kick-off call" in page
    assert "Unrelated call" not in page
    history = response.context["history"]
    assert [(row["change"].from_stage.code, row["change"].to_stage.code) for row in history] == [
        ("prospecting", "qualifying")
    ]
    assert history[0]["change"].changed_by == org.alice
    [row] = response.context["audit_rows"]
    assert (row["event"].action, row["event"].actor) == ("deal.stage_changed", org.alice)
    assert row["changes"] == [("stage", "Prospecting", "Qualifying")]
    assert f"?account={account.pk}&amp;deal={deal.pk}" in page


def test_audit_trail_names_people_and_only_visible_accounts(client, org):
    visible = make_account(org.mona, "Mona's customer")
    hidden = make_account(org.bob, "Bob's secret customer")
    deal = make_deal(org.alice, account=hidden)
    update_deal(deal, acting_user=org.mona, owner=org.mona, account=visible)
    response = logged_in(client, org.mona).get(reverse("pipeline:deal_detail", args=[deal.pk]))
    [row] = response.context["audit_rows"]
    changes = {label: (old, new) for label, old, new in row["changes"]}
    assert changes["owner"] == ("Alice Test", "Mona Test")
    assert changes["account"] == (str(hidden.pk), "Mona's customer")
    assert "secret" not in response.content.decode()


def test_rep_gets_404_for_another_teams_deal(client, org):
    deal = make_deal(org.bob)
    client = logged_in(client, org.alice)
    assert client.get(reverse("pipeline:deal_detail", args=[deal.pk])).status_code == 404
    assert client.get(reverse("pipeline:deal_edit", args=[deal.pk])).status_code == 404


def test_assign_account_resolves_a_deal_without_one(client, org):
    deal = make_deal(org.alice, account=None)
    account = make_account(org.alice, "Found GmbH")
    client = logged_in(client, org.alice)
    detail = client.get(reverse("pipeline:deal_detail", args=[deal.pk]))
    assert list(detail.context["assign_form"].fields["account"].queryset) == [account]
    response = client.post(
        reverse("pipeline:deal_assign_account", args=[deal.pk]), {"account": account.pk}
    )
    assert response.status_code == 302
    deal.refresh_from_db()
    assert deal.account == account
    assert history_of(deal).filter(action="deal.account_assigned", actor=org.alice).exists()


def test_assign_account_refuses_an_account_the_user_cannot_see(client, org):
    deal = make_deal(org.alice, account=None)
    bobs = make_account(org.bob)
    client = logged_in(client, org.alice)
    response = client.post(
        reverse("pipeline:deal_assign_account", args=[deal.pk]), {"account": bobs.pk}, follow=True
    )
    deal.refresh_from_db()
    assert deal.account is None
    assert "you may not see it" in response.content.decode()


# --- create and edit -------------------------------------------------------------------


def deal_data(**overrides) -> dict:
    data = {
        "name": "New pumps",
        "value": "5000",
        "stage": Stage.objects.get(code="prospecting").pk,
        "deal_type": DealType.NEW_BUSINESS,
    }
    data.update(overrides)
    return {key: value for key, value in data.items() if value is not None}


def test_create_a_deal(client, org):
    account = make_account(org.alice)
    client = logged_in(client, org.alice)
    response = client.post(
        reverse("pipeline:deal_create"), deal_data(account=account.pk, owner=org.alice.pk)
    )
    deal = Deal.objects.get(name="New pumps")
    assert response["Location"] == reverse("pipeline:deal_detail", args=[deal.pk])
    assert deal.owner == org.alice
    assert deal.account == account
    assert StageChange.objects.filter(deal=deal, changed_by=org.alice).count() == 1


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"value": "-5"}, "value", "The value cannot be negative."),
        (
            {"engaged_on": "2026-05-10", "expected_close_on": "2026-05-01"},
            "expected_close_on",
            "The expected close date cannot be before the deal was engaged.",
        ),
        ({"name": ""}, "name", "This field is required."),
    ],
)
def test_create_explains_what_is_wrong(client, org, data, field, message):
    response = logged_in(client, org.alice).post(
        reverse("pipeline:deal_create"), deal_data(owner=org.alice.pk, **data)
    )
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [message]
    assert not Deal.objects.exists()


def test_create_refuses_an_account_the_user_cannot_see(client, org):
    bobs = make_account(org.bob)
    response = logged_in(client, org.alice).post(
        reverse("pipeline:deal_create"), deal_data(account=bobs.pk, owner=org.alice.pk)
    )
    assert response.context["form"].errors["account"] == [
        "This account does not exist or you may not see it."
    ]
    assert not Deal.objects.exists()


def test_rep_cannot_give_a_deal_to_another_rep(client, org):
    response = logged_in(client, org.alice).post(
        reverse("pipeline:deal_create"), deal_data(owner=org.bob.pk)
    )
    assert "owner" in response.context["form"].errors
    assert not Deal.objects.exists()


def test_new_deals_start_in_an_open_stage(client, org):
    won = Stage.objects.get(code="won")
    response = logged_in(client, org.alice).post(
        reverse("pipeline:deal_create"), deal_data(stage=won.pk, owner=org.alice.pk)
    )
    assert "stage" in response.context["form"].errors
    assert not Deal.objects.exists()


def test_edit_changes_the_stage_through_the_service(client, org):
    deal = make_deal(org.alice, account=make_account(org.alice))
    proposal = Stage.objects.get(code="proposal")
    client = logged_in(client, org.alice)
    response = client.post(
        reverse("pipeline:deal_edit", args=[deal.pk]),
        deal_data(name=deal.name, account=deal.account_id, owner=org.alice.pk, stage=proposal.pk),
    )
    assert response.status_code == 302
    change = StageChange.objects.get(deal=deal)
    assert (change.from_stage.code, change.to_stage.code, change.changed_by) == (
        "prospecting",
        "proposal",
        org.alice,
    )
    assert history_of(deal).filter(action="deal.stage_changed").exists()


def test_edit_to_lost_needs_a_reason(client, org):
    deal = make_deal(org.alice)
    lost = Stage.objects.get(code="lost")
    client = logged_in(client, org.alice)
    url = reverse("pipeline:deal_edit", args=[deal.pk])
    response = client.post(url, deal_data(name=deal.name, owner=org.alice.pk, stage=lost.pk))
    assert response.context["form"].errors["lost_reason"] == [
        "Please give a reason why the deal was lost."
    ]
    deal.refresh_from_db()
    assert deal.stage.code == "prospecting"
    client.post(
        url, deal_data(name=deal.name, owner=org.alice.pk, stage=lost.pk, lost_reason="Budget cut")
    )
    deal.refresh_from_db()
    assert (deal.stage.code, deal.lost_reason) == ("lost", "Budget cut")


def test_edit_shows_a_service_refusal_on_the_form(client, org):
    deal = make_deal(org.alice, engaged_on=datetime.date(2099, 1, 1))
    won = Stage.objects.get(code="won")
    response = logged_in(client, org.alice).post(
        reverse("pipeline:deal_edit", args=[deal.pk]),
        deal_data(name=deal.name, owner=org.alice.pk, stage=won.pk, engaged_on="2099-01-01"),
    )
    assert response.status_code == 200
    assert "A deal cannot close before it was engaged." in response.content.decode()
    deal.refresh_from_db()
    assert deal.stage.code == "prospecting"


# --- moving a deal ---------------------------------------------------------------------


def test_a_move_records_who_and_when(client, org):
    deal = make_deal(org.alice)
    client = logged_in(client, org.alice)
    before = datetime.datetime.now(datetime.UTC)
    response = client.post(move_url(deal), {"stage": "engaging"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    change = StageChange.objects.get(deal=deal)
    assert change.to_stage.code == "engaging"
    assert change.changed_by == org.alice
    assert before <= change.changed_at <= datetime.datetime.now(datetime.UTC)
    event = history_of(deal).get()
    assert (event.action, event.actor, event.changes) == (
        "deal.stage_changed",
        org.alice,
        {"stage": ["prospecting", "engaging"]},
    )


def test_a_board_move_answers_with_the_new_column_heads(client, org):
    moved = make_deal(org.alice, value=Decimal("300"))
    make_deal(org.alice, value=Decimal("200"))
    make_deal(org.alice, value=Decimal("50"), stage_code="engaging")
    response = logged_in(client, org.alice).post(
        move_url(moved), {"stage": "engaging"}, HTTP_HX_REQUEST="true"
    )
    heads = {column["stage"].code: column for column in response.context["columns"]}
    assert (heads["prospecting"]["count"], heads["prospecting"]["value"]) == (1, Decimal("200"))
    assert (heads["engaging"]["count"], heads["engaging"]["value"]) == (2, Decimal("350"))
    page = response.content.decode()
    assert 'id="column-head-engaging"' in page
    assert f'id="deal-card-{moved.pk}"' in page


def test_a_board_move_keeps_the_boards_filters_in_the_heads(client, org):
    deal = make_deal(org.alice, value=Decimal("10"))
    make_deal(org.mona, value=Decimal("99"), stage_code="engaging")
    response = logged_in(client, org.mona).post(
        move_url(deal), {"stage": "engaging", "owner": org.alice.pk}, HTTP_HX_REQUEST="true"
    )
    heads = {column["stage"].code: column for column in response.context["columns"]}
    assert (heads["engaging"]["count"], heads["engaging"]["value"]) == (1, Decimal("10"))


def test_rep_moving_another_reps_deal_gets_404(client, org):
    deal = make_deal(org.bob)
    response = logged_in(client, org.alice).post(
        move_url(deal), {"stage": "won"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 404
    deal.refresh_from_db()
    assert deal.stage.code == "prospecting"
    assert not StageChange.objects.exists()


def test_move_rejects_an_unknown_stage_with_a_clear_message(client, org):
    deal = make_deal(org.alice)
    response = logged_in(client, org.alice).post(
        move_url(deal), {"stage": "heaven"}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 400
    assert response.content.decode() == "There is no stage “heaven”."
    assert not StageChange.objects.exists()


def test_move_to_lost_without_a_reason_is_refused(client, org):
    deal = make_deal(org.alice)
    client = logged_in(client, org.alice)
    response = client.post(move_url(deal), {"stage": "lost"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert response.content.decode() == "Please give a reason why the deal was lost."
    response = client.post(
        move_url(deal),
        {"stage": "lost", "lost_reason": "Chose a competitor"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    deal.refresh_from_db()
    assert (deal.stage.code, deal.lost_reason) == ("lost", "Chose a competitor")


def test_move_without_javascript_redirects_back_with_a_message(client, org):
    deal = make_deal(org.alice)
    client = logged_in(client, org.alice)
    response = client.post(move_url(deal), {"stage": "proposal", "next": BOARD}, follow=True)
    assert response.redirect_chain == [(BOARD, 302)]
    assert f"“{deal.name}” moved to Proposal." in response.content.decode()
    refused = client.post(move_url(deal), {"stage": "lost", "next": BOARD}, follow=True)
    assert "Please give a reason why the deal was lost." in refused.content.decode()


def test_move_does_not_redirect_to_another_site(client, org):
    deal = make_deal(org.alice)
    response = logged_in(client, org.alice).post(
        move_url(deal), {"stage": "proposal", "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("pipeline:deal_detail", args=[deal.pk])


def test_move_needs_post(client, org):
    deal = make_deal(org.alice)
    assert logged_in(client, org.alice).get(move_url(deal)).status_code == 405


# --- the board -------------------------------------------------------------------------


def board_cards(response) -> dict[str, list[str]]:
    return {
        c["stage"].code: [card.name for card in c["cards"]] for c in response.context["columns"]
    }


def test_board_shows_the_users_deals_by_stage(client, org):
    make_deal(org.alice, name="Mine", stage_code="proposal")
    make_deal(org.bob, name="Not mine", stage_code="proposal")
    response = logged_in(client, org.alice).get(BOARD)
    cards = board_cards(response)
    assert cards["proposal"] == ["Mine"]
    assert list(cards) == list(Stage.objects.order_by("position").values_list("code", flat=True))


def test_manager_filters_the_board_by_owner_and_team(client, org):
    make_deal(org.alice, name="Alice's", stage_code="proposal")
    make_deal(org.mona, name="Mona's", stage_code="proposal")
    make_deal(org.bob, name="Bob's", stage_code="proposal")
    client = logged_in(client, org.hanna)
    assert board_cards(client.get(BOARD, {"owner": org.alice.pk}))["proposal"] == ["Alice's"]
    south = board_cards(client.get(BOARD, {"team": org.south.pk}))["proposal"]
    assert south == ["Bob's"]


def test_board_links_to_the_rest_of_a_full_column(client, org, monkeypatch):
    monkeypatch.setattr("tandem.pipeline.views.CARDS_PER_COLUMN", 2)
    for _ in range(5):
        make_deal(org.alice, stage_code="qualifying")
    client = logged_in(client, org.alice)
    response = client.get(BOARD)
    qualifying = next(c for c in response.context["columns"] if c["stage"].code == "qualifying")
    assert (qualifying["count"], len(qualifying["cards"]), qualifying["hidden"]) == (5, 2, 3)
    link = f"{LIST}?{qualifying['more_query']}"
    assert link in response.content.decode().replace("&amp;", "&")
    assert len(listed(client.get(link))) == 5


def test_board_query_count_does_not_grow_with_the_deals(client, org, django_assert_max_num_queries):
    account = make_account(org.alice)
    for index in range(40):
        make_deal(org.alice, account=account, stage_code=["prospecting", "proposal"][index % 2])
    client = logged_in(client, org.mona)
    with django_assert_max_num_queries(14):
        response = client.get(BOARD)
    assert sum(len(c["cards"]) for c in response.context["columns"]) == 40


def test_board_in_german(client, org):
    make_deal(org.alice, name="Pumpen", stage_code="proposal")
    response = logged_in(client, org.alice).get(BOARD, HTTP_ACCEPT_LANGUAGE="de")
    page = response.content.decode()
    assert "Angebot" in page
    assert "Verloren" in page


def test_filters_offer_only_owners_and_teams_with_visible_deals(client, org):
    make_deal(org.alice)
    make_deal(org.bob)
    client = logged_in(client, org.mona)
    for url in (LIST, BOARD):
        form = client.get(url).context["form" if url == LIST else "filters"]
        assert list(form.fields["owner"].queryset) == [org.alice]
        assert list(form.fields["team"].queryset) == [org.north]


def test_sort_headers_toggle_the_direction_keep_filters_and_go_back_to_page_one(client, org):
    make_deal(org.alice, name="Alpha")
    response = logged_in(client, org.alice).get(LIST, {"sort": "value", "q": "Al", "page": 1})
    html = response.content.decode()
    assert 'aria-sort="ascending"' in html
    # the active column's link sorts the other way; every link keeps the search, not the page
    assert 'href="?sort=-value&amp;q=Al"' in html
    assert 'href="?sort=name&amp;q=Al"' in html
    descending = logged_in(client, org.alice).get(LIST, {"sort": "-value"}).content.decode()
    assert 'aria-sort="descending"' in descending
    assert 'href="?sort=value"' in descending
