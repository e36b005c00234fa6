"""Posting, editing and deleting: who may write what, bad input, authors only, audit rows."""

import pytest
from django.core.exceptions import PermissionDenied

from tandem.audit.models import AuditEvent
from tandem.core.errors import DomainError
from tandem.insights.models import Post, PostKind
from tandem.insights.services import create_post, delete_post, update_post


def insight(author, **fields):
    fields.setdefault("title", "Customers want dashboards")
    fields.setdefault("body", "Three accounts asked for it.")
    return create_post(acting_user=author, kind=PostKind.INSIGHT, **fields)


def test_kams_write_insights_and_sales_managers_announcements(org, world):
    post = insight(org.kim, accounts=[world["kims"]], products=[world["P"]])
    assert (post.kind, post.author) == (PostKind.INSIGHT, org.kim)
    assert list(post.accounts.all()) == [world["kims"]]
    news = create_post(
        acting_user=org.mona, kind=PostKind.ANNOUNCEMENT, title=" New product ", body="R is out."
    )
    assert news.title == "New product"
    for user in (org.hanna, org.otto):  # both kinds
        insight(user)
        create_post(acting_user=user, kind=PostKind.ANNOUNCEMENT, title="T", body="B")
    event = AuditEvent.objects.get(action="insight.posted", object_id=str(post.pk))
    assert event.actor == org.kim
    assert event.changes["accounts"] == [world["kims"].pk]


@pytest.mark.parametrize(
    ("who", "kind", "field"),
    [
        ("alice", PostKind.INSIGHT, "kind"),
        ("alice", PostKind.ANNOUNCEMENT, "kind"),
        ("kim", PostKind.ANNOUNCEMENT, "kind"),
        ("mona", PostKind.INSIGHT, "kind"),
        ("kim", "gossip", "kind"),
    ],
)
def test_the_wrong_side_cannot_post(org, world, who, kind, field):
    with pytest.raises(DomainError) as error:
        create_post(acting_user=getattr(org, who), kind=kind, title="T", body="B")
    assert error.value.field == field
    assert not Post.objects.exists()


def test_bad_input_is_refused_with_the_field_named(org, world):
    cases = [
        ({"title": "  "}, "title"),
        ({"title": "x" * 201}, "title"),
        ({"body": "\n "}, "body"),
        ({"accounts": [world["bobs"]]}, "accounts"),  # kim cannot see bob's account
    ]
    for fields, field in cases:
        with pytest.raises(DomainError) as error:
            insight(org.kim, **fields)
        assert error.value.field == field
    assert not Post.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="insight").exists()


def test_authors_edit_and_delete_their_own_posts_only(org, world):
    post = insight(org.kim)
    update_post(post, acting_user=org.kim, title="Better title", products=[world["P"]])
    post.refresh_from_db()
    assert post.title == "Better title"
    assert list(post.products.all()) == [world["P"]]
    event = AuditEvent.objects.get(action="insight.edited")
    assert event.changes["title"] == ["Customers want dashboards", "Better title"]
    assert event.changes["products"] == [[], [world["P"].pk]]
    for other in (org.hanna, org.otto, org.mona):
        with pytest.raises(PermissionDenied):
            update_post(post, acting_user=other, title="Hijacked")
        with pytest.raises(PermissionDenied):
            delete_post(post, acting_user=other)
    with pytest.raises(DomainError):
        update_post(post, acting_user=org.kim, body="")
    with pytest.raises(DomainError):
        update_post(post, acting_user=org.kim, kind=PostKind.ANNOUNCEMENT)
    assert Post.objects.get().title == "Better title"
    delete_post(post, acting_user=org.kim)
    assert not Post.objects.exists()
    assert AuditEvent.objects.filter(action="insight.deleted", actor=org.kim).count() == 1
