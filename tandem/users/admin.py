from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from tandem.users import services
from tandem.users.models import ApiToken, Region, Team, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "first_name", "last_name", "role", "team", "is_active"]
    list_filter = ["role", "team", "is_active"]
    fieldsets = [
        *DjangoUserAdmin.fieldsets,
        (_("Sales organisation"), {"fields": ["role", "team", "external_ref"]}),
    ]

    # A move to another team, or a person leaving, touches the teams' sums (the KPIs).
    def save_model(self, request, obj, form, change):
        before = User.objects.filter(pk=obj.pk).values_list("team_id", flat=True).first()
        super().save_model(request, obj, form, change)
        if change:
            services.touch_team_change(obj, before)

    def delete_model(self, request, obj):
        services.touch_user_deleting([obj])
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        services.touch_user_deleting(list(queryset))
        super().delete_queryset(request, queryset)


@admin.register(Team)
class TeamAdmin(admin.ModelAdmin):
    list_display = ["name", "region", "manager"]

    # Through the service: the members left without a team touch the KPIs' team sums.
    def delete_model(self, request, obj):
        services.delete_teams(Team.objects.filter(pk=obj.pk))

    def delete_queryset(self, request, queryset):
        services.delete_teams(queryset)


admin.site.register(Region)


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = [
        "name",
        "user",
        "hint",
        "created_at",
        "last_used_at",
        "expires_at",
        "revoked_at",
    ]
    readonly_fields = ["key_hash", "hint", "created_at", "last_used_at"]
