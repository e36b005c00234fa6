from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class HiringConfig(AppConfig):
    name = "tandem.hiring"
    verbose_name = _("Hiring and onboarding")
