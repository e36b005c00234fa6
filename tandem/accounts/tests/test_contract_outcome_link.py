"""The account page and the renewals app: active contracts link to their outcome form."""

from tandem.core.testing import make_account, make_contract, make_deal


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
