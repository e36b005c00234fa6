"""Each side sees what concerns it: the feed of every persona against a plain-Python reading
of the rule over the posts' tags."""

from tandem.accounts.models import Account
from tandem.accounts.selectors import visible_account_ids
from tandem.insights.models import Post, PostKind
from tandem.insights.selectors import visible_posts
from tandem.insights.services import create_post
from tandem.pipeline.models import Deal
from tandem.revenue.models import RevenueLine
from tandem.users.models import Role
from testsupport.builders import make_user


def post(author, kind, title, **tags):
    return create_post(acting_user=author, kind=kind, title=title, body="…", **tags)


def concerns(user, item: Post) -> bool:
    """The rule, read directly from the rows."""
    if user.is_superuser or user.role in (Role.HEAD_OF_SALES, Role.ADMIN):
        return True
    if item.author_id == user.pk:
        return True
    side = PostKind.ANNOUNCEMENT if user.role == Role.KEY_ACCOUNT_MANAGER else PostKind.INSIGHT
    if item.kind != side:
        return False
    accounts = visible_account_ids(user)
    products = set(
        RevenueLine.objects.filter(account_id__in=accounts).values_list("product_id", flat=True)
    )
    if user.role == Role.KEY_ACCOUNT_MANAGER:
        deals = Deal.objects.filter(account_id__in=accounts) | Deal.objects.filter(owner=user)
    elif user.role == Role.SALES_MANAGER:
        deals = Deal.objects.filter(owner__team__manager=user) | Deal.objects.filter(owner=user)
    else:
        deals = Deal.objects.filter(owner=user)
    products |= {d.product_id for d in deals if d.product_id}

    sectors = set(Account.objects.filter(pk__in=accounts).values_list("sector_id", flat=True))
    tag_accounts = {a.pk for a in item.accounts.all()}
    tag_products = {p.pk for p in item.products.all()}
    tag_sectors = {s.pk for s in item.sectors.all()}
    if not (tag_accounts or tag_products or tag_sectors):
        return True
    return bool(tag_accounts & accounts or tag_products & products or tag_sectors & sectors)


def test_every_persona_sees_what_concerns_them(org, world):
    posts = {
        "insight untagged": post(org.kim, PostKind.INSIGHT, "insight untagged"),
        "insight alice's account": post(
            org.hanna, PostKind.INSIGHT, "insight alice's account", accounts=[world["alices"]]
        ),
        "insight product Q": post(
            org.kim, PostKind.INSIGHT, "insight product Q", products=[world["Q"]]
        ),
        "insight retail": post(
            org.kim, PostKind.INSIGHT, "insight retail", sectors=[world["retail"]]
        ),
        "insight product R": post(
            org.kim, PostKind.INSIGHT, "insight product R", products=[world["R"]]
        ),
        "news untagged": post(org.mona, PostKind.ANNOUNCEMENT, "news untagged"),
        "news kim's account": post(
            org.hanna, PostKind.ANNOUNCEMENT, "news kim's account", accounts=[world["kims"]]
        ),
        "news product P": post(
            org.sam, PostKind.ANNOUNCEMENT, "news product P", products=[world["P"]]
        ),
        "news energy": post(
            org.sam, PostKind.ANNOUNCEMENT, "news energy", sectors=[world["energy"]]
        ),
        "news manufacturing": post(
            org.mona, PostKind.ANNOUNCEMENT, "news manufacturing", sectors=[world["manufacturing"]]
        ),
    }
    expected = {
        "alice": {"insight untagged", "insight alice's account", "insight retail"},
        "bob": {"insight untagged", "insight product Q"},
        "mona": {
            "insight untagged",
            "insight alice's account",
            "insight retail",
            "news untagged",  # her own
            "news manufacturing",  # her own
        },
        "sam": {"insight untagged", "insight product Q", "news product P", "news energy"},
        "kim": {
            "insight untagged",  # her own insights
            "insight product Q",
            "insight retail",
            "insight product R",
            "news untagged",
            "news kim's account",
            "news product P",
            "news manufacturing",
        },
        "hanna": set(posts),
        "otto": set(posts),
    }
    for user in org.everyone:
        seen = {p.title for p in visible_posts(user)}
        by_rule = {title for title, item in posts.items() if concerns(user, item)}
        assert seen == by_rule == expected[user.username], user.username


def test_a_second_kam_does_not_see_what_concerns_another(org, world):
    kai = make_user("kai", Role.KEY_ACCOUNT_MANAGER)
    post(org.hanna, PostKind.ANNOUNCEMENT, "for kim", accounts=[world["kims"]])
    post(org.mona, PostKind.ANNOUNCEMENT, "for everyone")
    assert [p.title for p in visible_posts(kai)] == ["for everyone"]
    assert {p.title for p in visible_posts(org.kim)} == {"for kim", "for everyone"}
