"""Marks the KAM figures of accounts stale (tandem.kam.figures) when the ORM saves or deletes
what `compute` reads of them: revenue lines, the account itself (a key account, or one that
was), its contacts, their activities, its contracts and deals (lost renewals count in the
renewal risk); and when the bulk writes say which accounts they wrote (`deals_written`,
`revenue_written`, `accounts_written`)."""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from tandem.accounts.models import Account, Contact, Contract, Tier
from tandem.accounts.signals import accounts_written
from tandem.activities.models import Activity
from tandem.kam.figures import mark_stale
from tandem.pipeline.models import Deal
from tandem.pipeline.signals import deals_written
from tandem.revenue.models import RevenueLine
from tandem.revenue.signals import revenue_written


def _remember_tier(sender, instance: Account, raw=False, **kwargs) -> None:
    before = None
    if instance.pk and not raw:
        before = Account.objects.filter(pk=instance.pk).values_list("tier", flat=True).first()
    setattr(instance, "_kam_tier", before)  # noqa: B010 (no field of Account; read back below)


def _account_saved(sender, instance: Account, **kwargs) -> None:
    """Only key accounts have figures: one that is, or was until this save."""
    if Tier.KEY_ACCOUNT in (instance.tier, getattr(instance, "_kam_tier", None)):
        mark_stale([instance.pk])


def _account_deleted(sender, instance: Account, **kwargs) -> None:
    mark_stale([instance.pk])  # its revenue lines leave the company's revenue too


def _of_account(sender, instance, **kwargs) -> None:
    mark_stale([instance.account_id])


def _contacts_changed(sender, instance, action, reverse, pk_set=None, **kwargs) -> None:
    """An activity's contacts changed: their last activity moves (stakeholder coverage)."""
    if action not in {"post_add", "post_remove", "pre_clear"}:
        return
    if reverse:  # from the contact's side
        mark_stale([instance.account_id])
        return
    contacts = Contact.objects.filter(activities=instance) if pk_set is None else None
    if contacts is None:
        contacts = Contact.objects.filter(pk__in=pk_set)
    mark_stale(contacts.values_list("account_id", flat=True))


def _written(sender, accounts, **kwargs) -> None:
    mark_stale(accounts)


def connect() -> None:
    pre_save.connect(_remember_tier, sender=Account, dispatch_uid="kam-account-before")
    post_save.connect(_account_saved, sender=Account, dispatch_uid="kam-account-saved")
    post_delete.connect(_account_deleted, sender=Account, dispatch_uid="kam-account-deleted")
    for model in (RevenueLine, Contact, Contract, Activity, Deal):
        post_save.connect(_of_account, sender=model, dispatch_uid=f"kam-{model.__name__}-s")
        post_delete.connect(_of_account, sender=model, dispatch_uid=f"kam-{model.__name__}-d")
    m2m_changed.connect(
        _contacts_changed, sender=Activity.contacts.through, dispatch_uid="kam-activity-contacts"
    )
    deals_written.connect(_written, dispatch_uid="kam-deals-written")
    revenue_written.connect(_written, dispatch_uid="kam-revenue-written")
    accounts_written.connect(_written, dispatch_uid="kam-accounts-written")
