"""The default onboarding plans per role are reference data, edited in the admin."""

from django.contrib import admin

from tandem.hiring.models import OnboardingTemplateStep


@admin.register(OnboardingTemplateStep)
class OnboardingTemplateStepAdmin(admin.ModelAdmin):
    list_display = ["role", "position", "title", "title_de", "owner", "due_after_days"]
    list_filter = ["role", "owner"]
    ordering = ["role", "position"]
