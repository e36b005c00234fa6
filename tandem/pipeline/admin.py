from django.contrib import admin

from tandem.core.touched import touched_everything
from tandem.pipeline.models import Channel, Stage


@admin.register(Stage)
class StageAdmin(admin.ModelAdmin):
    """Stages are configured here; deals change stage only through the pipeline services."""

    list_display = ["position", "code", "name", "name_de", "win_probability", "outcome"]
    ordering = ["position"]

    # a stage's outcome or position counts in every deal's figures: all computed again
    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        if change and {"outcome", "position"} & set(form.changed_data):
            touched_everything()


@admin.register(Channel)
class ChannelAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "name_de"]
