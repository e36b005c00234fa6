import pytest
from django.contrib.auth import get_user_model
from django.test import Client

from tandem.people.models import Competency, Questionnaire
from testsupport.builders import Org

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_():
    user = get_user_model().objects.create_superuser("root", "root@example.com", "pw")
    client = Client()
    client.force_login(user)
    return client


def test_reference_data_is_editable_in_the_admin(admin_client_):
    competency = Competency.objects.get(code="coaching")
    page = admin_client_.get(f"/admin/people/competency/{competency.pk}/change/")
    assert page.status_code == 200
    assert 'name="name_de"' in page.content.decode()


def test_a_published_questionnaire_is_read_only_in_the_admin(admin_client_):
    published = Questionnaire.objects.get(version=1)
    page = admin_client_.get(f"/admin/people/questionnaire/{published.pk}/change/")
    assert page.status_code == 200
    assert 'name="clearly_from"' not in page.content.decode()
    response = admin_client_.post(
        f"/admin/people/questionnaire/{published.pk}/change/",
        {"version": 1, "clearly_from": "0.9", "rather_from": "0.1"},
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert str(published.clearly_from) == "0.50"


def test_a_new_version_is_made_and_published_from_the_admin(admin_client_):
    published = Questionnaire.objects.get(version=1)
    url = "/admin/people/questionnaire/"
    admin_client_.post(url, {"action": "make_new_version", "_selected_action": [published.pk]})
    draft = Questionnaire.objects.get(version=2)
    assert draft.published_at is None
    assert draft.questions.count() == published.questions.count()
    admin_client_.post(url, {"action": "publish", "_selected_action": [draft.pk]})
    draft.refresh_from_db()
    assert draft.published_at is not None


def test_sales_operations_find_the_reference_data_editors_on_the_competency_page(client):
    org = Org()
    org.otto.is_staff = org.otto.is_superuser = True  # as tandem createuser --role admin makes them
    org.otto.save()
    client.force_login(org.otto)
    html = client.get("/people/competencies/").content.decode()
    for link in ("edit-competencies", "edit-profiles", "edit-ladders"):
        href = html.split(f'data-link="{link}" href="')[1].split('"')[0]
        assert client.get(href).status_code == 200, href
    client.force_login(org.mona)
    assert "edit-competencies" not in client.get("/people/competencies/").content.decode()
