from django.contrib import admin

from tandem.accountplans.models import AccountPlan, PlanAction, PlanReview


class PlanReviewInline(admin.TabularInline):
    model = PlanReview
    extra = 0


class PlanActionInline(admin.TabularInline):
    model = PlanAction
    extra = 0
    raw_id_fields = ["owner"]


@admin.register(AccountPlan)
class AccountPlanAdmin(admin.ModelAdmin):
    list_display = ["account", "year", "growth_target_percent", "updated_at"]
    list_filter = ["year"]
    search_fields = ["account__name"]
    raw_id_fields = ["account", "created_by"]
    filter_horizontal = ["whitespace"]
    inlines = [PlanReviewInline, PlanActionInline]
