"""Marks the KPI rollups stale when the ORM saves or deletes a deal, a stage change, an
activity or a quota (see tandem.kpis.rollup), and when the pipeline's bulk upsert says which
owners and accounts it wrote (`deals_written`: its updates pass the ORM's signals). Rows
inserted in bulk are also found by their ids (bulk quotas: only the demo writes them, and
rebuilds)."""

from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from tandem.activities.models import Activity
from tandem.kpis.rollup import mark_deals_stale, mark_stale
from tandem.pipeline.models import Deal, StageChange
from tandem.pipeline.signals import deals_written
from tandem.quotas.models import Quota
from tandem.users.models import Team, User


def _remember_before(sender, instance: Deal, raw=False, **kwargs) -> None:
    before = None
    if instance.pk and not raw:
        before = Deal.objects.filter(pk=instance.pk).values_list("owner_id", "account_id").first()
    setattr(instance, "_kpis_before", before)  # noqa: B010 (no field of Deal; read back below)


def _deal_changed(sender, instance: Deal, **kwargs) -> None:
    owners, accounts = {instance.owner_id}, {instance.account_id}
    before = getattr(instance, "_kpis_before", None)
    if before:
        owners.add(before[0])
        accounts.add(before[1])
    mark_stale(owners, accounts)


def _child_changed(sender, instance, **kwargs) -> None:
    if instance.deal_id:
        mark_deals_stale([instance.deal_id])
    if isinstance(instance, Activity):
        mark_stale(owners=[instance.owner_id])


def _deals_written(sender, owners, accounts, **kwargs) -> None:
    """Exactly the owners and accounts a bulk write touched, before and after."""
    mark_stale(owners, accounts)


def _remember_team(sender, instance: User, raw=False, **kwargs) -> None:
    before = None
    if instance.pk and not raw:
        before = User.objects.filter(pk=instance.pk).values_list("team_id", flat=True).first()
    setattr(instance, "_kpis_team", before)  # noqa: B010 (no field of User; read back below)


def _team_changed(sender, instance: User, created=False, **kwargs) -> None:
    before = getattr(instance, "_kpis_team", None)
    if not created and before != instance.team_id:
        mark_stale(teams=[before, instance.team_id])


def _quota_changed(sender, instance: Quota, **kwargs) -> None:
    """The quota sums of the quota's team: the team's own, or the person's team (or the
    people without a team)."""
    team = instance.team_id
    if team is None and instance.user_id is not None:
        team = User.objects.filter(pk=instance.user_id).values_list("team_id", flat=True).first()
    mark_stale(teams=[team])


def _remember_members(sender, instance: Team, **kwargs) -> None:
    """Its members are about to be left without a team, past the signals (SET NULL)."""
    members = list(User.objects.filter(team=instance).values_list("pk", flat=True))
    setattr(instance, "_kpis_members", members)  # noqa: B010 (no field of Team; read below)


def _team_deleted(sender, instance: Team, **kwargs) -> None:
    mark_stale(owners=getattr(instance, "_kpis_members", []), teams=[instance.pk, None])


def connect() -> None:
    pre_save.connect(_remember_team, sender=User, dispatch_uid="kpis-user-team-before")
    post_save.connect(_team_changed, sender=User, dispatch_uid="kpis-user-team-changed")
    pre_save.connect(_remember_before, sender=Deal, dispatch_uid="kpis-deal-before")
    post_save.connect(_deal_changed, sender=Deal, dispatch_uid="kpis-deal-saved")
    post_delete.connect(_deal_changed, sender=Deal, dispatch_uid="kpis-deal-deleted")
    deals_written.connect(_deals_written, dispatch_uid="kpis-deals-written")
    pre_delete.connect(_remember_members, sender=Team, dispatch_uid="kpis-team-members")
    post_delete.connect(_team_deleted, sender=Team, dispatch_uid="kpis-team-deleted")
    post_save.connect(_quota_changed, sender=Quota, dispatch_uid="kpis-quota-saved")
    post_delete.connect(_quota_changed, sender=Quota, dispatch_uid="kpis-quota-deleted")
    for model in (StageChange, Activity):
        post_save.connect(_child_changed, sender=model, dispatch_uid=f"kpis-{model.__name__}-s")
        post_delete.connect(_child_changed, sender=model, dispatch_uid=f"kpis-{model.__name__}-d")
