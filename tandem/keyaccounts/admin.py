from django.contrib import admin

from tandem.keyaccounts.models import Handover, HandoverEvent, KeyAccountRules


@admin.register(KeyAccountRules)
class KeyAccountRulesAdmin(admin.ModelAdmin):
    list_display = [
        "__str__",
        "won_value_enabled",
        "invoiced_revenue_enabled",
        "potential_enabled",
        "revenue_share_enabled",
        "strategic_enabled",
        "kam_capacity",
        "updated_at",
    ]

    def has_add_permission(self, request):
        return not KeyAccountRules.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


class HandoverEventInline(admin.TabularInline):
    model = HandoverEvent
    extra = 0
    readonly_fields = ["at", "actor", "action", "note"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Handover)
class HandoverAdmin(admin.ModelAdmin):
    """Read-only: handovers change only through their services (with events and audit)."""

    list_display = ["account", "from_user", "to_kam", "status", "created_at", "decided_at"]
    list_filter = ["status"]
    search_fields = ["account__name"]
    inlines = [HandoverEventInline]

    def has_change_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
