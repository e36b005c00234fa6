from django.contrib import admin

from tandem.pipeline.models import Channel, Stage


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    """Stages are configured here; deals change stage only through the pipeline services."""

    list_display = ["position", "code", "name", "name_de", "win_probability", "outcome"]
    ordering = ["position"]


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_de"]
