"""The default onboarding plans are edited in the admin."""

from django.test import Client
from django.utils.html import escape

from tandem.hiring.models import OnboardingTemplateStep


def test_template_steps_in_the_admin(org):
    org.otto.is_staff = org.otto.is_superuser = True
    org.otto.save()
    client = Client()
    client.force_login(org.otto)
    page = client.get("/admin/hiring/onboardingtemplatestep/?role__exact=kam")
    assert page.status_code == 200
    kam_steps = OnboardingTemplateStep.objects.filter(role="kam")
    assert kam_steps.exists()
    assert all(escape(step.title) in page.content.decode() for step in kam_steps)
