"""Who reads which insights and announcements.

- Insights (written by KAMs) are for the sales side: reps and Sales Managers.
- Announcements (written by Sales Managers) are for the KAMs.
- A reader sees a post of their side when it concerns them: it is untagged, or one of its
  tags touches them: an account they can see, a product on their deals or bought by their
  accounts, or the sector of one of their accounts.
- Everyone sees their own posts; the Head of Sales and admins see every post.
"""

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from tandem.accounts.selectors import visible_accounts
from tandem.insights.models import Post, PostKind
from tandem.pipeline.selectors import visible_deals
from tandem.revenue.models import RevenueLine
from tandem.users.models import Role, User

READS: dict[str, str] = {
    Role.SALES_REP: PostKind.INSIGHT,
    Role.SALES_MANAGER: PostKind.INSIGHT,
    Role.KEY_ACCOUNT_MANAGER: PostKind.ANNOUNCEMENT,
}
WRITES: dict[str, list[str]] = {
    Role.KEY_ACCOUNT_MANAGER: [PostKind.INSIGHT],
    Role.SALES_MANAGER: [PostKind.ANNOUNCEMENT],
    Role.HEAD_OF_SALES: [PostKind.INSIGHT, PostKind.ANNOUNCEMENT],
    Role.ADMIN: [PostKind.INSIGHT, PostKind.ANNOUNCEMENT],
}


def kinds_written_by(user: User) -> list[str]:
    """The kinds of post `user` may write (none for a rep)."""
    if user.is_superuser:
        return [PostKind.INSIGHT, PostKind.ANNOUNCEMENT]
    return list(WRITES.get(user.role, []))


def kind_read_by(user: User) -> str | None:
    """The kind of post written for `user`'s side; None for those who read every kind."""
    if user.sees_everything:
        return None
    return READS.get(user.role)


def _tag_exists(relation: str, **condition):
    through = getattr(Post, relation).through
    return Exists(through.objects.filter(post_id=OuterRef("pk"), **condition))


def concerning(user: User) -> Q:
    """Posts whose tags touch `user`'s accounts, products or sectors, or that have no tags."""
    accounts = visible_accounts(user)
    account_ids = accounts.values("pk")
    sector_ids = accounts.filter(sector__isnull=False).values("sector_id")
    product_ids = RevenueLine.objects.filter(account_id__in=account_ids).values("product_id")
    deal_product_ids = (
        visible_deals(user).filter(product__isnull=False).values("product_id").order_by()
    )
    untagged = ~_tag_exists("accounts") & ~_tag_exists("products") & ~_tag_exists("sectors")
    return Q(
        untagged
        | _tag_exists("accounts", account_id__in=account_ids)
        | _tag_exists("sectors", sector_id__in=sector_ids)
        | _tag_exists("products", product_id__in=product_ids)
        | _tag_exists("products", product_id__in=deal_product_ids)
    )


def visible_posts(user: User) -> QuerySet[Post]:
    posts = Post.objects.select_related("author")
    if user.sees_everything:
        return posts
    kind = kind_read_by(user)
    own = Q(author=user)
    if kind is None:
        return posts.filter(own)
    return posts.filter(own | (Q(kind=kind) & concerning(user)))


def get_post_for(user: User, pk: int) -> Post:
    return get_object_or_404(visible_posts(user), pk=pk)


def with_tags(posts: QuerySet[Post]) -> QuerySet[Post]:
    return posts.prefetch_related("accounts", "products", "sectors")


def filter_posts(
    posts: QuerySet[Post],
    *,
    kind: str | None = None,
    account=None,
    product=None,
    sector=None,
    author=None,
    text: str = "",
) -> QuerySet[Post]:
    """Narrow a list of posts; each tag filter keeps the posts carrying that tag."""
    if kind:
        posts = posts.filter(kind=kind)
    if account is not None:
        posts = posts.filter(_tag_exists("accounts", account_id=getattr(account, "pk", account)))
    if product is not None:
        posts = posts.filter(_tag_exists("products", product_id=getattr(product, "pk", product)))
    if sector is not None:
        posts = posts.filter(_tag_exists("sectors", sector_id=getattr(sector, "pk", sector)))
    if author is not None:
        posts = posts.filter(author_id=getattr(author, "pk", author))
    if text:
        posts = posts.filter(Q(title__icontains=text) | Q(body__icontains=text))
    return posts
