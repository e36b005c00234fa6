"""The feed page: posting through the form, filters, editing and deleting, English and German."""

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from tandem.insights.models import Post, PostKind
from tandem.insights.services import create_post

URL = "/insights/"


def client_for(user, language="en") -> Client:
    client = Client(headers={"Accept-Language": language})
    client.force_login(user)
    return client


def titles(response) -> list[str]:
    return [p.title for p in response.context["posts"]]


def test_a_kam_posts_an_insight_through_the_form(org, world):
    kim = client_for(org.kim)
    page = kim.get(URL)
    assert page.status_code == 200 and page.context["may_post"]
    response = kim.post(
        URL,
        {
            "kind": "insight",
            "title": "Needs of Kilo",
            "body": "They want one supplier.",
            "accounts": [world["kims"].pk],
            "products": [world["P"].pk],
            "sectors": [world["manufacturing"].pk],
        },
    )
    assert response.status_code == 302
    created = Post.objects.get()
    assert (created.kind, created.author, created.title) == ("insight", org.kim, "Needs of Kilo")
    assert titles(client_for(org.kim).get(URL)) == ["Needs of Kilo"]


def test_the_form_refuses_bad_input_and_the_wrong_side(org, world):
    kim = client_for(org.kim)
    empty = kim.post(URL, {"kind": "insight", "title": "", "body": "x"})
    assert empty.status_code == 200 and "title" in empty.context["form"].errors
    wrong = kim.post(URL, {"kind": "announcement", "title": "T", "body": "B"})
    assert "kind" in wrong.context["form"].errors
    hidden = kim.post(
        URL, {"kind": "insight", "title": "T", "body": "B", "accounts": [world["bobs"].pk]}
    )
    assert "accounts" in hidden.context["form"].errors
    assert (
        client_for(org.alice).post(URL, {"kind": "insight", "title": "T", "body": "B"}).status_code
        == 403
    )
    assert not Post.objects.exists()
    alice = client_for(org.alice).get(URL)
    assert alice.context["may_post"] is False
    assert "kind" not in alice.context["filters"].shown  # insights only
    assert "mine" not in alice.context["filters"].shown
    assert 'name="kind"' not in alice.content.decode()
    assert 'name="mine"' not in alice.content.decode()
    assert "kind" in client_for(org.kim).get(URL).context["filters"].shown


def test_filters(org, world):
    create_post(
        acting_user=org.kim,
        kind=PostKind.INSIGHT,
        title="Retail trends",
        body="Prices",
        sectors=[world["retail"]],
    )
    create_post(
        acting_user=org.kim,
        kind=PostKind.INSIGHT,
        title="About Q",
        body="Q sells",
        products=[world["Q"]],
    )
    create_post(acting_user=org.mona, kind=PostKind.ANNOUNCEMENT, title="Launch", body="R")
    head = client_for(org.hanna)
    assert titles(head.get(URL)) == ["Launch", "About Q", "Retail trends"]
    assert titles(head.get(URL + "?kind=announcement")) == ["Launch"]
    assert titles(head.get(URL + "?sector=retail")) == ["Retail trends"]
    assert titles(head.get(URL + "?product=Q")) == ["About Q"]
    assert titles(head.get(URL + "?q=sells")) == ["About Q"]
    assert titles(client_for(org.mona).get(URL + "?mine=on")) == ["Launch"]


def test_authors_edit_and_delete_others_cannot(org, world):
    item = create_post(acting_user=org.kim, kind=PostKind.INSIGHT, title="Old", body="Text")
    edit = f"{URL}{item.pk}/edit/"
    assert client_for(org.kim).get(edit).status_code == 200
    assert client_for(org.hanna).get(edit).status_code == 403  # sees it, may not edit it
    assert (
        client_for(org.alice).post(edit, {"kind": "insight", "title": "X", "body": "Y"}).status_code
        == 403
    )
    assert client_for(org.sam).post(f"{URL}{item.pk}/delete/").status_code == 403
    response = client_for(org.kim).post(edit, {"kind": "insight", "title": "New", "body": "Text"})
    assert response.status_code == 302
    assert Post.objects.get().title == "New"
    assert client_for(org.kim).post(f"{URL}{item.pk}/delete/").status_code == 302
    assert not Post.objects.exists()


def test_the_feed_in_english_and_german(org, world):
    create_post(acting_user=org.mona, kind=PostKind.ANNOUNCEMENT, title="Launch", body="R is out")
    english = client_for(org.kim).get(URL).content.decode()
    assert "Insights and announcements" in english and "Announcement" in english
    assert "for every KAM" in english
    german = client_for(org.kim, "de").get(URL).content.decode()
    assert "Einblicke und Ankündigungen" in german and "Ankündigung" in german
    assert "für alle KAMs" in german
    alice = client_for(org.alice, "de").get(URL).content.decode()
    assert "Einblicke der Key Account Manager" in alice


def test_the_number_of_queries_does_not_grow_with_the_posts(org, world):
    def add(count: int) -> None:
        for index in range(count):
            create_post(
                acting_user=org.kim,
                kind=PostKind.INSIGHT,
                title=f"Post {index}",
                body="Text",
                accounts=[world["kims"]],
                products=[world["P"]],
                sectors=[world["retail"]],
            )

    client = client_for(org.alice)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(URL).status_code == 200
        return len(captured.captured_queries)

    add(2)
    few = queries()
    add(10)
    assert queries() == few
