import pytest
from django.test import Client

from tandem.audit.selectors import history_of
from tandem.quotas.models import Quota
from tandem.quotas.services import set_quota
from testsupport.builders import PASSWORD

pytestmark = pytest.mark.django_db


def client_for(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    assert client.login(username=user.username, password=PASSWORD)
    return client


def post(client, **data):
    body = {"user": "", "team": "", "metric": "won_value", "period": "2026Q3", "target": "100"}
    return client.post("/sales/quotas/", {**body, **data})


def test_manager_sets_a_quota_for_their_rep_on_the_web(org):
    response = post(client_for(org.mona), user=org.alice.pk, target="2500")
    assert response.status_code == 302
    quota = Quota.objects.get()
    assert quota.user == org.alice and quota.target == 2500
    assert history_of(quota)[0].actor == org.mona
    page = client_for(org.mona).get(response.url).content.decode()
    assert f'data-quota="{quota.pk}"' in page


def test_refusals_are_shown_on_the_form(org):
    set_quota(acting_user=org.hanna, team=org.north, metric="won_value", period="2026Q3", target=1)
    client = client_for(org.mona, "de")
    overlap = post(client, team=org.north.pk, period="2026-08").content.decode()
    assert "überschneidet" in overlap
    negative = post(client, team=org.north.pk, period="2027", target="-1").content.decode()
    assert "negativ" in negative
    missing = post(client, team=org.north.pk, period="2026Q5").content.decode()
    assert "2026Q5" in missing
    both = post(client, team=org.north.pk, user=org.alice.pk, period="2027").content.decode()
    assert "Person oder ein Team" in both
    assert Quota.objects.count() == 1


def test_a_manager_cannot_choose_another_teams_rep_and_a_rep_sees_no_form(org):
    response = post(client_for(org.mona), user=org.bob.pk)
    assert response.status_code == 200 and not Quota.objects.exists()
    page = client_for(org.alice).get("/sales/quotas/").content.decode()
    assert 'id="quota-form"' not in page
    assert post(client_for(org.alice), user=org.alice.pk).status_code == 403
    assert not Quota.objects.exists()


def test_delete_a_quota_on_the_web(org):
    quota = set_quota(
        acting_user=org.sam, user=org.bob, metric="won_value", period="2026", target=1
    )
    assert client_for(org.mona).post(f"/sales/quotas/{quota.pk}/delete/").status_code == 404
    client_for(org.sam).post(f"/sales/quotas/{quota.pk}/delete/", {"period": "2026"})
    assert not Quota.objects.exists()


def test_the_quota_list_filters_by_period_and_metric_in_german(org):
    kept = set_quota(
        acting_user=org.mona, user=org.alice, metric="deals_won", period="2026Q3", target=4
    )
    other = set_quota(
        acting_user=org.mona, user=org.alice, metric="won_value", period="2026Q3", target=9
    )
    client = client_for(org.mona, "de")
    page = client.get("/sales/quotas/", {"period": "2026", "metric": "deals_won"}).content.decode()
    assert f'data-quota="{kept.pk}"' in page and f'data-quota="{other.pk}"' not in page
    assert ">Filtern</button>" in page and "Alle Kennzahlen" in page
    bad = client.get("/sales/quotas/", {"period": "2026Q5"})
    assert "data-quota=" not in bad.content.decode()
    assert "2026Q5" in " ".join(bad.context["filters"].errors["period"])
