"""The account page and the renewals app: active contracts link to their outcome form."""

from django.utils import timezone

from tandem.accountplans.services import create_plan
from tandem.accounts.models import Tier
from tandem.insights.models import PostKind
from tandem.insights.services import create_post
from testsupport.builders import make_account, make_contract, make_deal


def test_the_account_page_links_active_contracts_to_their_renewal_outcome(client, org):
    account = make_account(org.kim, "Keyco")
    active = make_contract(account)
    make_deal(org.alice, account)  # alice sees the account through her deal, but may not decide
    client.force_login(org.kim)
    html = client.get(f"/accounts/{account.pk}/").content.decode()
    assert f'href="/key-accounts/renewals/contracts/{active.pk}/outcome/"' in html
    client.force_login(org.alice)
    html = client.get(f"/accounts/{account.pk}/").content.decode()
    assert 'data-action="record-outcome"' not in html


def test_a_key_account_page_links_its_plan_qbr_whitespace_and_insights(client, org):

    account = make_account(org.kim, "Keyco", tier=Tier.KEY_ACCOUNT)
    client.force_login(org.kim)
    html = client.get(f"/accounts/{account.pk}/").content.decode()
    assert 'data-link="account-plan-create"' in html
    assert 'data-link="qbr"' in html and 'data-link="whitespace"' in html
    assert 'data-link="insights"' not in html  # no insight tagged with it yet
    plan = create_plan(
        account,
        timezone.localdate().year,
        acting_user=org.kim,
        objectives="Grow",
        growth_target_percent=10,
    )
    create_post(
        acting_user=org.kim, kind=PostKind.INSIGHT, title="Budget", body="Q3", accounts=[account]
    )
    html = client.get(f"/accounts/{account.pk}/").content.decode()
    assert f'href="/key-accounts/plans/{plan.pk}/"' in html
    assert f'href="/insights/?account={account.pk}"' in html
    make_deal(org.alice, account)
    client.force_login(org.alice)  # sees the account through a deal: no plan, QBR, whitespace
    html = client.get(f"/accounts/{account.pk}/").content.decode()
    assert 'data-link="qbr"' not in html and 'data-link="whitespace"' not in html
    standard = make_account(org.kim, "Small")
    client.force_login(org.kim)
    assert 'data-link="qbr"' not in client.get(f"/accounts/{standard.pk}/").content.decode()
