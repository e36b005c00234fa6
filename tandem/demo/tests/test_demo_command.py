"""`tandem demo` run once for this module; every test checks it with its own queries."""

import datetime
import re
from collections import defaultdict
from io import StringIO

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.db.models import Count, F, Sum

from tandem.accountplans.models import AccountPlan
from tandem.accounts.models import Account, Contact, Contract, HierarchyLevel
from tandem.activities.models import Activity
from tandem.coaching.models import CoachingNote
from tandem.compensation.models import CompensationPlan
from tandem.demo.generator import delete_demo
from tandem.demo.tests.conftest import TODAY
from tandem.pipeline.models import Deal, StageChange
from tandem.quotas.models import Quota
from tandem.revenue.models import RevenueLine
from tandem.users.models import Region, Role, Team, User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def demo_output(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        out = StringIO()
        call_command("demo", "--seed", "11", "--today", TODAY.isoformat(), stdout=out)
        yield out.getvalue()
        delete_demo()
        assert not Account.objects.exists() and not User.objects.exists()
        assert not CompensationPlan.objects.exists()  # the role plans point at no demo user


def printed_logins(output: str) -> tuple[dict[str, str], str]:
    logins = {}
    for label, username in re.findall(r"^  (.+?)\s{2,}(\S+)$", output, re.MULTILINE):
        logins[label.strip()] = username
    password = re.search(r"Password for every demo user: (\S+)", output).group(1)
    return logins, password


def test_command_prints_a_login_for_each_role(demo_output):
    logins, password = printed_logins(demo_output)
    assert logins == {
        "Sales rep": "rep",
        "Sales Manager": "manager",
        "Key Account Manager": "kam",
        "Head of Sales": "head",
        "Sales operations / admin": "admin",
    }
    assert password


def test_every_printed_login_works_and_has_its_role(demo_output):
    logins, password = printed_logins(demo_output)
    expected_role = {
        "Sales rep": Role.SALES_REP,
        "Sales Manager": Role.SALES_MANAGER,
        "Key Account Manager": Role.KEY_ACCOUNT_MANAGER,
        "Head of Sales": Role.HEAD_OF_SALES,
        "Sales operations / admin": Role.ADMIN,
    }
    for label, username in logins.items():
        user = authenticate(username=username, password=password)
        assert user is not None, username
        assert user.role == expected_role[label]
        assert authenticate(username=username, password=password + "x") is None
    admin = User.objects.get(username=logins["Sales operations / admin"])
    assert admin.is_staff and admin.is_superuser
    manager = User.objects.get(username="manager")
    assert User.objects.get(username="rep").team.manager == manager


def test_other_users_are_named_firstname_lastname():
    others = User.objects.exclude(username__in=["rep", "manager", "kam", "head", "admin"])
    assert others.exists()
    for username, first in others.values_list("username", "first_name"):
        assert re.fullmatch(r"[a-z]+\.[a-z]+\d*", username), username
        assert first


def test_organisation_has_three_regions_and_four_to_five_teams_of_four_to_seven_reps():
    assert Region.objects.count() == 3
    assert 4 <= Team.objects.count() <= 5
    for team in Team.objects.all():
        reps = team.members.filter(role=Role.SALES_REP).count()
        assert 4 <= reps <= 7, team
        assert team.manager.role == Role.SALES_MANAGER
    assert User.objects.filter(role=Role.HEAD_OF_SALES).count() == 1


def test_every_account_has_exactly_one_owner_and_key_accounts_belong_to_kams():
    total = Account.objects.count()
    assert total > 400
    owned = Account.objects.filter(owner__in=User.objects.filter(is_active=True)).count()
    assert owned == total
    key = Account.objects.filter(tier="key")
    assert key.exclude(owner__role=Role.KEY_ACCOUNT_MANAGER).count() == 0
    per_kam = key.values("owner").annotate(n=Count("pk")).values_list("n", flat=True)
    assert 3 <= len(per_kam) <= 4
    assert all(8 <= n <= 15 for n in per_kam)
    assert key.filter(is_strategic=True).exists()
    assert Account.objects.filter(parent__isnull=False).exists()


def test_customers_are_german_and_international_with_skewed_sizes():
    countries = set(Account.objects.values_list("country", flat=True))
    assert {"Deutschland", "Österreich", "Schweiz", "France", "United States"} <= countries
    names = list(Account.objects.values_list("name", flat=True))
    for legal in (" GmbH", " AG", " SE", " KG"):
        assert any(name.endswith(legal) for name in names), legal
    revenues = sorted(float(r) for r in Account.objects.values_list("annual_revenue", flat=True))
    top_tenth = sum(revenues[-len(revenues) // 10 :])
    assert top_tenth / sum(revenues) > 0.5  # a few customers matter most
    assert Account.objects.values("sector").distinct().count() >= 10
    assert len(set(names)) == len(names)


def test_no_stage_change_before_a_deals_creation_or_after_its_close():
    assert StageChange.objects.exists()
    assert StageChange.objects.filter(changed_at__date__lt=F("deal__created_on")).count() == 0
    assert StageChange.objects.filter(changed_at__date__gt=F("deal__closed_on")).count() == 0
    assert StageChange.objects.filter(changed_at__date__gt=TODAY).count() == 0


def test_every_deal_has_a_stage_history_ending_in_its_stage():
    history = defaultdict(list)
    for deal_id, from_id, to_id in StageChange.objects.order_by(
        "deal_id", "changed_at", "pk"
    ).values_list("deal_id", "from_stage_id", "to_stage_id"):
        history[deal_id].append((from_id, to_id))
    deals = dict(Deal.objects.values_list("pk", "stage_id"))
    assert set(history) == set(deals)
    for deal_id, changes in history.items():
        assert changes[0][0] is None
        for before, after in zip(changes, changes[1:], strict=False):
            assert after[0] == before[1]
        assert changes[-1][1] == deals[deal_id]


def test_won_and_lost_deals_are_closed_and_open_ones_are_not():
    assert Deal.objects.filter(stage__outcome="won", closed_on__isnull=True).count() == 0
    assert Deal.objects.filter(stage__outcome="lost", closed_on__isnull=True).count() == 0
    assert Deal.objects.filter(stage__outcome="lost", lost_reason="").count() == 0
    assert Deal.objects.filter(stage__outcome="open", closed_on__isnull=False).count() == 0
    assert Deal.objects.filter(closed_on__gt=TODAY).count() == 0


def test_stage_mix_is_plausible():
    deals = Deal.objects.count()
    assert 3_000 <= deals <= 5_000
    old = Deal.objects.filter(created_on__lt=TODAY - datetime.timedelta(days=365))
    won_share = old.filter(stage__outcome="won").count() / old.count()
    assert 0.2 <= won_share <= 0.35
    assert old.filter(stage__outcome="lost").count() > old.filter(stage__outcome="won").count()
    recent_open = Deal.objects.filter(
        stage__outcome="open", created_on__gte=TODAY - datetime.timedelta(days=120)
    )
    assert set(recent_open.values_list("stage__code", flat=True)) == {
        "prospecting",
        "qualifying",
        "engaging",
        "proposal",
        "negotiation",
    }
    assert set(Deal.objects.values_list("deal_type", flat=True)) == {
        "new_business",
        "cross_sell",
        "up_sell",
        "renewal",
    }
    first = Deal.objects.order_by("created_on").values_list("created_on", flat=True)[0]
    assert (TODAY - first).days > 730


def test_prospects_get_new_business_and_only_customers_are_cross_sold():
    bought = (
        set(Deal.objects.filter(stage__outcome="won").values_list("account_id", flat=True))
        | set(Contract.objects.values_list("account_id", flat=True))
        | set(RevenueLine.objects.values_list("account_id", flat=True))
    )
    never_bought = Deal.objects.exclude(account_id__in=bought)
    assert never_bought.exists()
    assert set(never_bought.values_list("deal_type", flat=True)) == {"new_business"}
    sold_more = Deal.objects.filter(deal_type__in=["cross_sell", "up_sell", "renewal"])
    assert set(sold_more.values_list("account_id", flat=True)) <= bought
    # New business is only done with accounts that had not bought anything yet.
    first_purchase = {}
    for rows in (
        Deal.objects.filter(stage__outcome="won").values_list("account_id", "closed_on"),
        Contract.objects.values_list("account_id", "start_on"),
        RevenueLine.objects.values_list("account_id", "invoiced_on"),
    ):
        for account_id, day in rows:
            first_purchase[account_id] = min(day, first_purchase.get(account_id, day))
    new_business = Deal.objects.filter(deal_type="new_business")
    assert new_business.count() > 500
    for account_id, created_on in new_business.values_list("account_id", "created_on"):
        assert account_id not in first_purchase or created_on < first_purchase[account_id]


def test_q4_sells_more_than_the_summer_quarter():
    def won_in(months):
        return (
            Deal.objects.filter(stage__outcome="won", closed_on__month__in=months).aggregate(
                s=Sum("value")
            )["s"]
            or 0
        )

    assert won_in([10, 11, 12]) > won_in([7, 8, 9])
    assert won_in([10, 11, 12]) > won_in([1, 2, 3])


def test_contacts_cover_every_level_and_key_accounts_are_well_covered():
    assert set(Contact.objects.values_list("hierarchy_level", flat=True)) == set(
        HierarchyLevel.values
    )
    key = Account.objects.filter(tier="key")
    levels = key.annotate(n=Count("contacts__hierarchy_level", distinct=True))
    well_covered = levels.filter(n=4).count()
    assert well_covered >= key.count() * 0.7
    without_decision_maker = key.exclude(contacts__buying_role="decision_maker")
    assert 0 < without_decision_maker.count() < key.count() / 2
    strengths = set(Contact.objects.values_list("relationship_strength", flat=True))
    assert strengths <= {1, 2, 3, 4, 5} and len(strengths) >= 4


def test_some_key_accounts_renew_within_90_and_180_days():
    def renewing_within(days):
        return (
            Account.objects.filter(
                tier="key",
                contracts__status="active",
                contracts__end_on__gte=TODAY,
                contracts__end_on__lte=TODAY + datetime.timedelta(days=days),
            )
            .distinct()
            .count()
        )

    assert renewing_within(90) >= 2
    assert renewing_within(180) > renewing_within(90)
    assert Contract.objects.filter(end_on__lte=F("start_on")).count() == 0


def test_activities_lie_in_the_past_and_key_accounts_get_qbrs():
    assert Activity.objects.filter(occurred_at__date__gte=TODAY).count() == 0
    kinds = set(Activity.objects.values_list("kind", flat=True))
    assert {"call", "meeting", "visit", "qbr", "email"} <= kinds
    qbr_accounts = Activity.objects.filter(kind="qbr").values("account__tier").distinct()
    assert {row["account__tier"] for row in qbr_accounts} == {"key"}
    assert Activity.contacts.through.objects.exists()


def test_revenue_lines_belong_to_customers():
    buyers = set(
        Deal.objects.filter(stage__outcome="won").values_list("account_id", flat=True)
    ) | set(Contract.objects.values_list("account_id", flat=True))
    invoiced = set(RevenueLine.objects.values_list("account_id", flat=True))
    assert invoiced
    # Smaller customers without a contract are invoiced as well, but never a pure prospect.
    prospects = set(
        Account.objects.exclude(pk__in=buyers)
        .filter(deals__isnull=False)
        .exclude(deals__stage__outcome="won")
        .values_list("pk", flat=True)
    )
    assert not (invoiced & prospects - buyers) or len(invoiced & prospects) < len(prospects) / 5
    assert RevenueLine.objects.filter(invoiced_on__gt=TODAY).count() == 0


def test_team_quotas_are_the_sum_of_their_reps_quotas():
    team_quotas = Quota.objects.filter(team__isnull=False, metric="won_value")
    assert team_quotas.exists()
    for quota in team_quotas:
        reps = Quota.objects.filter(
            user__team=quota.team,
            user__role=Role.SALES_REP,
            period_start=quota.period_start,
            metric="won_value",
        ).aggregate(s=Sum("target"))["s"]
        assert reps == quota.target
    reps = User.objects.filter(role=Role.SALES_REP)
    assert set(Quota.objects.filter(user__isnull=False).values_list("user", flat=True)) == set(
        reps.values_list("pk", flat=True)
    )


def test_quotas_are_in_line_with_what_reps_sell():
    quarter_start = datetime.date(TODAY.year - 1, 1, 1)
    quarter_end = datetime.date(TODAY.year - 1, 12, 31)
    target = Quota.objects.filter(
        user__isnull=False, period_start__gte=quarter_start, period_end__lte=quarter_end
    ).aggregate(s=Sum("target"))["s"]
    won = Deal.objects.filter(
        owner__role=Role.SALES_REP,
        stage__outcome="won",
        closed_on__gte=quarter_start,
        closed_on__lte=quarter_end,
    ).aggregate(s=Sum("value"))["s"]
    assert 0.6 <= float(target) / float(won) <= 1.8


def test_running_again_without_reset_refuses_and_changes_nothing():
    deals = Deal.objects.count()
    with pytest.raises(CommandError, match="--reset"):
        call_command("demo", stdout=StringIO())
    assert Deal.objects.count() == deals


def test_refusal_is_in_german_for_a_german_terminal(monkeypatch):
    monkeypatch.setenv("LANG", "de_DE.UTF-8")
    monkeypatch.delenv("LANGUAGE", raising=False)
    monkeypatch.delenv("LC_ALL", raising=False)
    monkeypatch.delenv("LC_MESSAGES", raising=False)
    with pytest.raises(CommandError, match="bereits"):
        call_command("demo", stdout=StringIO())


def test_keep_existing_keeps_the_demo_and_prints_its_logins(demo_output):
    deals = Deal.objects.count()
    out = StringIO()
    call_command("demo", "--keep-existing", stdout=out)
    assert "kept" in out.getvalue()
    assert printed_logins(out.getvalue()) == printed_logins(demo_output)
    assert Deal.objects.count() == deals


def test_command_reports_what_the_apps_on_top_of_the_demo_built(demo_output):
    line = next(row for row in demo_output.splitlines() if row.startswith("Also built: "))
    assert f"{AccountPlan.objects.count():,} account plans" in line
    assert f"{CoachingNote.objects.count():,} coaching notes" in line
    assert "_" not in line  # labels, not keys
