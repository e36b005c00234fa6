from django.contrib import admin

from tandem.accounts import services
from tandem.accounts.models import Account, Contact, Contract, Sector, Tier
from tandem.core.touched import touched


class TouchingAccounts(admin.ModelAdmin):
    """An edit here says which accounts it touched (tandem.core.touched), as the services do:
    the row's account before and after (`account_of`), and the kind of `records`."""

    records = ""

    def account_of(self, obj) -> int | None:
        return obj.account_id

    def save_model(self, request, obj, form, change):
        before = None
        if change:
            before = self.account_of(type(obj).objects.get(pk=obj.pk))
        super().save_model(request, obj, form, change)
        touched(self.records, accounts=[before, self.account_of(obj)])

    def delete_model(self, request, obj):
        touched(self.records, accounts=[self.account_of(obj)])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        touched(self.records, accounts=[self.account_of(obj) for obj in queryset])
        super().delete_queryset(request, queryset)


@admin.register(Account)
class AccountAdmin(TouchingAccounts):
    list_display = ["name", "owner", "tier", "sector", "country", "is_strategic"]
    list_filter = ["tier", "is_strategic", "sector"]
    search_fields = ["name", "external_ref"]
    raw_id_fields = ["parent", "owner"]
    # Key-account status changes only by a handover (tandem.keyaccounts.services).
    readonly_fields = ["tier"]
    records = "accounts"

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.tier == Tier.KEY_ACCOUNT:
            return ["tier", "owner"]
        return self.readonly_fields

    def account_of(self, obj) -> int | None:
        return obj.pk

    # its activities go with it: their owners are touched too
    def delete_model(self, request, obj):
        services.touch_deleting([obj.pk])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        services.touch_deleting(list(queryset.values_list("pk", flat=True)))
        super().delete_queryset(request, queryset)


@admin.register(Contact)
class ContactAdmin(TouchingAccounts):
    list_display = ["last_name", "first_name", "account", "hierarchy_level", "buying_role"]
    list_filter = ["hierarchy_level", "buying_role"]
    search_fields = ["last_name", "first_name", "account__name"]
    raw_id_fields = ["account"]
    records = "contacts"


@admin.register(Contract)
class ContractAdmin(TouchingAccounts):
    list_display = ["name", "account", "start_on", "end_on", "annual_value", "status"]
    raw_id_fields = ["account"]
    records = "contracts"


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_de"]
