import datetime
from decimal import Decimal

from tandem.audit.models import AuditEvent
from tandem.audit.selectors import history_of
from tandem.pipeline.models import Channel, Deal, DealType, Stage, StageChange
from testsupport.builders import make_account, make_deal, make_product


def test_rep_creates_a_deal_with_its_first_stage_change(org, as_user):
    account = make_account(org.alice)
    product = make_product()
    channel = Channel.objects.first()
    response = as_user("alice").post(
        "/api/deals",
        {
            "name": "Fleet renewal",
            "account": account.pk,
            "product": product.pk,
            "value": "12500.50",
            "stage": "qualifying",
            "channel": channel.code,
            "deal_type": "renewal",
            "expected_close_on": "2026-06-30",
        },
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    deal = Deal.objects.get(pk=body["id"])
    assert deal.owner == org.alice
    assert deal.value == Decimal("12500.50")
    assert deal.stage.code == "qualifying"
    assert deal.deal_type == DealType.RENEWAL
    assert deal.expected_close_on == datetime.date(2026, 6, 30)
    assert body["stage"] == "qualifying"
    assert body["outcome"] == "open"
    assert body["channel"] == channel.code
    assert Decimal(body["value"]) == Decimal("12500.50")
    assert list(StageChange.objects.filter(deal=deal).values_list("to_stage__code", flat=True)) == [
        "qualifying"
    ]


def test_moving_a_deal_by_patch_keeps_the_move_in_its_history(org, as_user):
    deal = make_deal(org.alice, make_account(org.alice), stage_code="qualifying")
    response = as_user("alice").patch(
        f"/api/deals/{deal.pk}", {"stage": "proposal"}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["stage"] == "proposal"
    change = StageChange.objects.get(deal=deal)
    assert (change.from_stage.code, change.to_stage.code, change.changed_by) == (
        "qualifying",
        "proposal",
        org.alice,
    )
    assert history_of(deal).filter(action="deal.stage_changed").count() == 1


def test_losing_a_deal_by_patch_with_a_reason_closes_it(org, as_user):
    deal = make_deal(org.alice, make_account(org.alice), stage_code="negotiation")
    response = as_user("alice").patch(
        f"/api/deals/{deal.pk}",
        {"stage": "lost", "lost_reason": "Price"},
        content_type="application/json",
    )
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["stage"], body["outcome"], body["lost_reason"]) == ("lost", "lost", "Price")
    assert body["closed_on"] is not None


def test_patch_without_a_stage_leaves_the_history_alone(org, as_user):
    deal = make_deal(org.alice, make_account(org.alice))
    response = as_user("alice").patch(
        f"/api/deals/{deal.pk}", {"value": "99"}, content_type="application/json"
    )
    assert response.status_code == 200
    deal.refresh_from_db()
    assert deal.value == Decimal("99")
    assert not StageChange.objects.filter(deal=deal).exists()


def test_resolving_an_imported_deal_without_account(org, as_user):
    deal = make_deal(org.alice, None)
    account = make_account(org.alice)
    response = as_user("alice").patch(
        f"/api/deals/{deal.pk}", {"account": account.pk}, content_type="application/json"
    )
    assert response.status_code == 200
    deal.refresh_from_db()
    assert deal.account == account


def test_rep_cannot_touch_another_teams_deal(org, as_user):
    deal = make_deal(org.bob, make_account(org.bob))
    client = as_user("alice")
    assert client.get(f"/api/deals/{deal.pk}").status_code == 404
    assert (
        client.patch(
            f"/api/deals/{deal.pk}", {"stage": "won"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.delete(f"/api/deals/{deal.pk}").status_code == 404
    deal.refresh_from_db()
    assert deal.stage.code == "prospecting"


def test_deleting_a_deal(org, as_user):
    deal = make_deal(org.alice, make_account(org.alice))
    assert as_user("alice").delete(f"/api/deals/{deal.pk}").status_code == 204
    assert not Deal.objects.filter(pk=deal.pk).exists()
    event = AuditEvent.objects.get(action="deal.deleted", object_id=str(deal.pk))
    assert event.actor == org.alice
    assert event.changes["stage"] == "prospecting"


def test_manager_hands_a_deal_to_a_rep_of_the_team_with_an_audit_row(org, as_user):
    deal = make_deal(org.mona, make_account(org.mona))
    response = as_user("mona").patch(
        f"/api/deals/{deal.pk}", {"owner": org.alice.pk}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    deal.refresh_from_db()
    assert deal.owner == org.alice
    event = history_of(deal).get(action="deal.owner_changed")
    assert (event.actor, event.changes["owner"]) == (org.mona, [org.mona.pk, org.alice.pk])


def test_rep_cannot_hand_a_deal_to_another_team(org, as_user):
    deal = make_deal(org.alice, make_account(org.alice))
    response = as_user("alice").patch(
        f"/api/deals/{deal.pk}", {"owner": org.bob.pk}, content_type="application/json"
    )
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"] == ["body", "owner"]


def test_deal_filters_match_the_database(org, as_user):
    stages = {stage.code: stage for stage in Stage.objects.all()}
    channels = list(Channel.objects.all()[:2])
    accounts = [make_account(org.alice), make_account(org.bob)]
    codes = ["prospecting", "proposal", "won", "lost", "won", "negotiation"]
    for i in range(18):
        code = codes[i % len(codes)]
        terminal = code in {"won", "lost"}
        make_deal(
            org.alice if i % 2 else org.bob,
            accounts[i % 2] if i % 5 else None,
            stage_code=code,
            channel=channels[i % 2],
            deal_type=DealType.UP_SELL if i % 3 == 0 else DealType.NEW_BUSINESS,
            closed_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=10 * i)
            if terminal
            else None,
        )
    client = as_user("hanna")
    cases = [
        ("stage=won", Deal.objects.filter(stage=stages["won"])),
        ("outcome=open", Deal.objects.filter(stage__outcome="open")),
        ("outcome=lost", Deal.objects.filter(stage__outcome="lost")),
        (f"owner={org.alice.pk}", Deal.objects.filter(owner=org.alice)),
        (f"account={accounts[1].pk}", Deal.objects.filter(account=accounts[1])),
        ("without_account=true", Deal.objects.filter(account__isnull=True)),
        ("without_account=false", Deal.objects.filter(account__isnull=False)),
        (f"channel={channels[0].code}", Deal.objects.filter(channel=channels[0])),
        ("deal_type=up_sell", Deal.objects.filter(deal_type="up_sell")),
        ("closed_after=2026-03-01", Deal.objects.filter(closed_on__gte=datetime.date(2026, 3, 1))),
        (
            "closed_after=2026-02-01&closed_before=2026-04-30",
            Deal.objects.filter(
                closed_on__gte=datetime.date(2026, 2, 1), closed_on__lte=datetime.date(2026, 4, 30)
            ),
        ),
    ]
    for query, expected in cases:
        assert expected.exists(), query
        body = client.get(f"/api/deals?{query}&limit=500").json()
        assert body["count"] == expected.count(), query
        assert {row["id"] for row in body["items"]} == set(expected.values_list("pk", flat=True))
    by_value = client.get("/api/deals?ordering=-value&limit=5").json()
    assert by_value["count"] == Deal.objects.count()
    assert [row["id"] for row in by_value["items"]] == list(
        Deal.objects.order_by("-value", "-pk").values_list("pk", flat=True)[:5]
    )
