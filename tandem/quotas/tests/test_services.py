import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from tandem.audit.selectors import history_of
from tandem.core.errors import DomainError
from tandem.core.periods import PeriodKind
from tandem.quotas.models import Quota, QuotaMetric
from tandem.quotas.selectors import visible_quotas
from tandem.quotas.services import delete_quota, import_quotas, set_quota

pytestmark = pytest.mark.django_db
WON = QuotaMetric.WON_VALUE


def test_manager_sets_a_quarter_quota_for_their_rep(org):
    quota = set_quota(
        acting_user=org.mona, user=org.alice, metric=WON, period="2017Q3", target=5000
    )
    quota.refresh_from_db()
    assert quota.period_kind == PeriodKind.QUARTER
    assert (quota.period_start, quota.period_end) == (
        datetime.date(2017, 7, 1),
        datetime.date(2017, 9, 30),
    )
    assert quota.target == Decimal("5000.00")
    assert [event.action for event in history_of(quota)] == ["quota.set"]


def test_setting_the_same_period_again_changes_the_target_and_is_audited(org):
    first = set_quota(acting_user=org.mona, user=org.alice, metric=WON, period="2017-05", target=10)
    again = set_quota(acting_user=org.mona, user=org.alice, metric=WON, period="2017-05", target=12)
    assert again.pk == first.pk and Quota.objects.count() == 1
    changed = [e for e in history_of(again) if e.action == "quota.changed"]
    assert changed and changed[0].changes == {"target": ["10.00", "12.00"]}
    assert changed[0].actor == org.mona


def test_an_overlapping_period_is_refused(org):
    set_quota(acting_user=org.hanna, team=org.north, metric=WON, period="2017Q3", target=100)
    with pytest.raises(DomainError) as error:
        set_quota(acting_user=org.hanna, team=org.north, metric=WON, period="2017-08", target=10)
    assert "2017Q3" in error.value.message and error.value.field == "period"
    with pytest.raises(DomainError):
        set_quota(acting_user=org.hanna, team=org.north, metric=WON, period="2017", target=10)
    # Another metric, another team or an adjacent period is fine.
    set_quota(acting_user=org.hanna, team=org.north, metric="deals_won", period="2017", target=9)
    set_quota(acting_user=org.hanna, team=org.south, metric=WON, period="2017-08", target=10)
    set_quota(acting_user=org.hanna, team=org.north, metric=WON, period="2017-10", target=10)
    assert Quota.objects.count() == 4


def test_a_negative_target_is_refused(org):
    with pytest.raises(DomainError) as error:
        set_quota(acting_user=org.mona, user=org.alice, metric=WON, period="2017Q1", target=-1)
    assert error.value.field == "target"
    assert not Quota.objects.exists()


@pytest.mark.parametrize("period", ["2017Q5", "2017-13", "2017-00", "Q3", "2017Q3x", ""])
def test_a_period_that_does_not_exist_is_refused(org, period):
    with pytest.raises(DomainError) as error:
        set_quota(acting_user=org.mona, user=org.alice, metric=WON, period=period, target=1)
    assert error.value.field == "period"


def test_an_unknown_metric_is_refused(org):
    with pytest.raises(DomainError) as error:
        set_quota(acting_user=org.mona, user=org.alice, metric="revenue", period="2017", target=1)
    assert error.value.field == "metric"


def test_a_rep_cannot_set_quotas_and_a_manager_not_for_another_team(org):
    with pytest.raises(PermissionDenied):
        set_quota(acting_user=org.alice, user=org.alice, metric=WON, period="2017", target=1)
    with pytest.raises(PermissionDenied):
        set_quota(acting_user=org.mona, user=org.bob, metric=WON, period="2017", target=1)
    with pytest.raises(PermissionDenied):
        set_quota(acting_user=org.mona, team=org.south, metric=WON, period="2017", target=1)
    assert not Quota.objects.exists()


def test_deleting_a_quota_is_audited(org):
    quota = set_quota(acting_user=org.hanna, user=org.bob, metric=WON, period="2017", target=1)
    with pytest.raises(PermissionDenied):
        delete_quota(quota, acting_user=org.mona)
    delete_quota(quota, acting_user=org.sam)
    assert not Quota.objects.exists()


def test_quotas_are_visible_to_the_rep_their_manager_and_the_head(org):
    quota = set_quota(acting_user=org.hanna, user=org.alice, metric=WON, period="2017", target=1)
    for user in [org.alice, org.mona, org.hanna]:
        assert quota in visible_quotas(user)
    for user in [org.bob, org.sam]:
        assert quota not in visible_quotas(user)


def test_import_sets_every_row_or_none(org):
    good = (
        "person,team,metric,period,target\nalice,,won_value,2017Q1,100\n,North,deals_won,2017,5\n"
    )
    result = import_quotas(good, acting_user=org.hanna)
    assert result.ok and result.created == 2 and Quota.objects.count() == 2
    again = import_quotas(good, acting_user=org.hanna)
    assert again.ok and again.unchanged == 2 and Quota.objects.count() == 2

    bad = (
        "person,team,metric,period,target\n"
        "bob,,won_value,2017Q1,100\n"
        "alice,,won_value,2017-02,10\n"
        "nobody,,won_value,2017Q1,1\n"
        "bob,,won_value,2017Q2,-5\n"
    )
    result = import_quotas(bad, acting_user=org.hanna)
    assert [line for line, _ in result.errors] == [3, 4, 5]
    assert "2017Q1" in result.errors[0][1]
    assert Quota.objects.count() == 2  # bob's valid first line was rolled back too


def test_import_dry_run_writes_nothing(org):
    text = "person,metric,period,target\nalice,won_value,2017Q1,100\n"
    result = import_quotas(text, acting_user=org.hanna, dry_run=True)
    assert result.ok and result.created == 1 and not Quota.objects.exists()


def test_import_without_the_columns_is_refused(org):
    result = import_quotas("who,amount\nalice,1\n", acting_user=org.hanna)
    assert result.errors and result.errors[0][0] == 1
