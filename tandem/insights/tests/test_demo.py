"""The demo's insights and announcements: built on the demo organisation, deterministic."""

import datetime

from django.core.management import call_command

from tandem.demo.insights import POSTS, build_demo
from tandem.insights.models import Post, PostKind
from tandem.insights.selectors import visible_posts
from tandem.users.models import User

TODAY = datetime.date(2026, 5, 20)


def test_demo_posts(db):
    call_command("demo", "--today", TODAY.isoformat(), "--seed", "1", stdout=open("/dev/null", "w"))
    Post.objects.all().delete()  # in case `tandem demo` already built them
    counts = build_demo(TODAY)
    expected_insights = sum(1 for p in POSTS if p[0] == PostKind.INSIGHT)
    assert counts == {
        "insights": expected_insights,
        "announcements": len(POSTS) - expected_insights,
    }
    assert Post.objects.count() == len(POSTS)
    assert all(p.author.role == "kam" for p in Post.objects.filter(kind=PostKind.INSIGHT))
    assert all(
        p.author.role == "sales_manager" for p in Post.objects.filter(kind=PostKind.ANNOUNCEMENT)
    )
    newest = Post.objects.order_by("-created_at").first()
    assert newest.created_at.date() == TODAY - datetime.timedelta(days=1)
    kam = User.objects.get(username="kam")
    assert visible_posts(kam).filter(kind=PostKind.ANNOUNCEMENT).exists()
    rep = User.objects.get(username="rep")
    assert visible_posts(rep).filter(kind=PostKind.INSIGHT).exists()
    first = snapshot()
    Post.objects.all().delete()
    build_demo(TODAY)
    assert snapshot() == first


def snapshot() -> list:
    return [
        (
            p.kind,
            p.author.username,
            p.title,
            p.created_at,
            sorted(p.accounts.values_list("name", flat=True)),
            sorted(p.products.values_list("code", flat=True)),
            sorted(p.sectors.values_list("code", flat=True)),
        )
        for p in Post.objects.order_by("created_at", "title")
    ]
