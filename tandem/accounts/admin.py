from django.contrib import admin

from tandem.accounts.models import Account, Contact, Contract, Sector, Tier


@admin.register(Account)
class AccountAdmin(admin.ModelAdmin):
    list_display = ["name", "owner", "tier", "sector", "country", "is_strategic"]
    list_filter = ["tier", "is_strategic", "sector"]
    search_fields = ["name", "external_ref"]
    raw_id_fields = ["parent", "owner"]
    # Key-account status changes only by a handover (tandem.keyaccounts.services).
    readonly_fields = ["tier"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.tier == Tier.KEY_ACCOUNT:
            return ["tier", "owner"]
        return self.readonly_fields


@admin.register(Contact)
class ContactAdmin(admin.ModelAdmin):
    list_display = ["last_name", "first_name", "account", "hierarchy_level", "buying_role"]
    list_filter = ["hierarchy_level", "buying_role"]
    search_fields = ["last_name", "first_name", "account__name"]
    raw_id_fields = ["account"]


@admin.register(Contract)
class ContractAdmin(admin.ModelAdmin):
    list_display = ["name", "account", "start_on", "end_on", "annual_value", "status"]
    raw_id_fields = ["account"]


@admin.register(Sector)
class SectorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_de"]
