from django.contrib import admin

from tandem.quotas.models import Quota
from tandem.quotas.services import touch_quotas


@admin.register(Quota)
class QuotaAdmin(admin.ModelAdmin):
    """An edit here touches the teams the quota counts for, before and after, as the service
    does (tandem.core.touched)."""

    list_display = ["metric", "user", "team", "period_kind", "period_start", "target"]
    list_filter = ["metric", "period_kind"]

    def save_model(self, request, obj, form, change):
        before = Quota.objects.filter(pk=obj.pk).first() if change else None
        super().save_model(request, obj, form, change)
        touch_quotas([obj, *([before] if before else [])])

    def delete_model(self, request, obj):
        touch_quotas([obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        touch_quotas(list(queryset))
        super().delete_queryset(request, queryset)
