"""How the demo's rows are told apart from everyone else's: their external reference starts
with MARK. The core demo and the apps' demo rows on top of it share this."""

from tandem.accounts.models import Account
from tandem.users.models import User

MARK = "demo:"


def demo_users():
    return User.objects.filter(external_ref__startswith=MARK)


def demo_accounts():
    return Account.objects.filter(external_ref__startswith=MARK)
