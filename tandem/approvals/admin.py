from django.contrib import admin

from tandem.approvals.models import Approval, ApprovalRules


@admin.register(ApprovalRules)
class ApprovalRulesAdmin(admin.ModelAdmin):
    """Read only: the rules are changed on /approvals/rules/, where the change is audited."""

    list_display = ["__str__", "own_quotas", "own_deal_wins", "win_threshold"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Approval)
class ApprovalAdmin(admin.ModelAdmin):
    """Read only: an approval is decided on its page, where the change is applied."""

    list_display = ["subject_repr", "kind", "requested_by", "status", "decided_by"]
    list_filter = ["status", "kind"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
