from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _


class TranslatedNameModel(models.Model):
    """Reference data that users edit (sectors, stages, channels) carries its own German name."""

    name = models.CharField(_("name (English)"), max_length=100)
    name_de = models.CharField(_("name (German)"), max_length=100, blank=True)

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "en").startswith("de") and self.name_de:
            return self.name_de
        return self.name
