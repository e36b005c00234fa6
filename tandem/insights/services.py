"""Every write of insights and announcements: post, edit, delete (authors only)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from tandem.accounts.models import Account, Sector
from tandem.accounts.selectors import visible_accounts
from tandem.audit.services import record
from tandem.catalog.models import Product
from tandem.core.errors import DomainError
from tandem.insights.models import Post, PostKind
from tandem.insights.selectors import kinds_written_by
from tandem.users.models import User

TITLE_MAX = cast(int, Post._meta.get_field("title").max_length)  # a CharField's: set


def _check_kind(kind: str, user: User) -> None:
    if kind not in PostKind.values:
        raise DomainError(_("Choose insight or announcement."), field="kind")
    if kind not in kinds_written_by(user):
        if kind == PostKind.INSIGHT:
            message = _("Insights are written by Key Account Managers.")
        else:
            message = _("Announcements are written by Sales Managers.")
        raise DomainError(message, field="kind")


def _clean_text(title: str | None, body: str | None) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError(_("Give the post a title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("Keep the title to {count} characters.").format(count=TITLE_MAX), field="title"
        )
    if not body:
        raise DomainError(_("Write what you want to share."), field="body")
    return title, body


def _check_accounts(accounts: Iterable[Account], user: User) -> list[Account]:
    accounts = list(accounts)
    ids = {a.pk for a in accounts}
    seen = set(visible_accounts(user).filter(pk__in=ids).values_list("pk", flat=True))
    hidden = [a for a in accounts if a.pk not in seen]
    if hidden:
        raise DomainError(
            _("You cannot tag an account you cannot see: {names}.").format(
                names=", ".join(str(a) for a in hidden)
            ),
            field="accounts",
        )
    return accounts


def _tags(post: Post) -> dict:
    return {
        "accounts": sorted(post.accounts.values_list("pk", flat=True)),
        "products": sorted(post.products.values_list("pk", flat=True)),
        "sectors": sorted(post.sectors.values_list("pk", flat=True)),
    }


@transaction.atomic
def create_post(
    *,
    acting_user: User,
    kind: str,
    title: str,
    body: str,
    accounts: Iterable[Account] = (),
    products: Iterable[Product] = (),
    sectors: Iterable[Sector] = (),
) -> Post:
    _check_kind(kind, acting_user)
    title, body = _clean_text(title, body)
    accounts = _check_accounts(accounts, acting_user)
    post = Post.objects.create(kind=kind, author=acting_user, title=title, body=body)
    post.accounts.set(accounts)
    post.products.set(list(products))
    post.sectors.set(list(sectors))
    record(
        post,
        f"{kind}.posted",
        acting_user=acting_user,
        changes={"kind": kind, "title": title, **_tags(post)},
    )
    return post


def backdate_post(post: Post, when) -> None:
    """A post brought from elsewhere (the demo's made-up past) keeps the moment it was
    written, past the automatic timestamps."""
    Post.objects.filter(pk=post.pk).update(created_at=when, updated_at=when)


def _check_author(post: Post, user: User) -> None:
    if post.author_id != user.pk:
        raise PermissionDenied(_("Only the author may change or delete this post."))


@transaction.atomic
def update_post(
    post: Post,
    *,
    acting_user: User,
    kind: str | None = None,
    title: str | None = None,
    body: str | None = None,
    accounts: Iterable[Account] | None = None,
    products: Iterable[Product] | None = None,
    sectors: Iterable[Sector] | None = None,
) -> Post:
    """Change what is given (None: keep it)."""
    post = Post.objects.select_for_update().get(pk=post.pk)
    _check_author(post, acting_user)
    if kind is not None and kind != post.kind:
        _check_kind(kind, acting_user)
    new_title, new_body = _clean_text(
        post.title if title is None else title, post.body if body is None else body
    )
    before = {"kind": post.kind, "title": post.title, "body": post.body, **_tags(post)}
    post.kind = kind or post.kind
    post.title, post.body = new_title, new_body
    post.save()
    if accounts is not None:
        post.accounts.set(_check_accounts(accounts, acting_user))
    if products is not None:
        post.products.set(list(products))
    if sectors is not None:
        post.sectors.set(list(sectors))
    after = {"kind": post.kind, "title": post.title, "body": post.body, **_tags(post)}
    diff: dict[str, object] = {
        name: [before[name], after[name]] for name in before if before[name] != after[name]
    }
    if "body" in diff:
        diff["body"] = True  # the text itself stays out of the audit trail
    if diff:
        record(post, f"{post.kind}.edited", acting_user=acting_user, changes=diff)
    return post


@transaction.atomic
def delete_post(post: Post, *, acting_user: User) -> None:
    post = Post.objects.select_for_update().get(pk=post.pk)
    _check_author(post, acting_user)
    record(
        post,
        f"{post.kind}.deleted",
        acting_user=acting_user,
        changes={"kind": post.kind, "title": post.title},
    )
    post.delete()
