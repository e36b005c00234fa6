from django.contrib import admin

from tandem.quotas.models import Quota


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    list_display = ["metric", "user", "team", "period_kind", "period_start", "target"]
    list_filter = ["metric", "period_kind"]
