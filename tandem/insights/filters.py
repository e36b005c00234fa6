"""The feed's filters, orderings and search: the web page, the API and the export all filter
through these (tandem/core/filters.py)."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Account, Sector
from tandem.catalog.models import Product
from tandem.core.api.errors import UNKNOWN_REFERENCE
from tandem.core.filters import IdFilter, ListFilterSet, ReferenceFilter, YesNoFilter
from tandem.insights.models import Post, PostKind
from tandem.insights.selectors import (
    filter_posts,
    kind_read_by,
    kinds_written_by,
    visible_posts,
)


class PostFilterSet(ListFilterSet):
    """Each tag filter keeps the posts carrying that tag. The accounts offered are those the
    posts of the user's feed are tagged with (a short list); any account id is accepted."""

    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=PostKind.choices, empty_label=_("All kinds")
    )
    account = IdFilter(label=_("Account"), method="filter_tag", widget=forms.Select)
    product = django_filters.ModelChoiceFilter(
        label=_("Product"),
        queryset=Product.objects.all(),
        to_field_name="code",
        empty_label=_("All products"),
        method="filter_tag",
        error_messages={"invalid_choice": _("There is no product with this code.")},
    )
    sector = ReferenceFilter(
        label=_("Sector"),
        queryset=Sector.objects.all(),
        empty_label=_("All sectors"),
        method="filter_tag",
        error_messages={"invalid_choice": UNKNOWN_REFERENCE["sector"]},
    )
    q = django_filters.CharFilter(label=_("Search"), method="search")
    mine = YesNoFilter(label=_("Only mine"), method="filter_mine")
    author = IdFilter(field_name="author_id", label=_("Author"))

    orderings = {
        "created_at": ("created_at",),
        "updated_at": ("updated_at",),
        "title": ("title",),
        "id": ("pk",),
    }
    default_ordering = "-created_at"

    descriptions = {
        "account": "Only posts tagged with this account id.",
        "product": "Only posts tagged with this product code.",
        "sector": "Only posts tagged with this sector code.",
        "q": "Text in the title or the text.",
        "mine": "true: only your own posts.",
        "author": "Only posts of this user id.",
    }

    class Meta:
        model = Post
        fields: list[str] = []

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        user = self.user
        tagged = Post.accounts.through.objects.filter(post__in=visible_posts(user))
        accounts = Account.objects.filter(pk__in=tagged.values("account_id")).order_by("name", "pk")
        self.filters["account"].extra["widget"] = forms.Select(
            choices=[("", _("All accounts"))] + [(a.pk, a.name) for a in accounts]
        )
        shown = ["kind", "account", "product", "sector", "q", "mine"]
        readable = {kind_read_by(user), *kinds_written_by(user)} - {None}
        if not user.sees_everything and len(readable) < 2:
            shown.remove("kind")  # a rep's feed has insights only
        if not kinds_written_by(user):
            shown.remove("mine")  # someone who cannot post has no posts of their own
        self.shown = tuple(shown)

    def filter_tag(self, posts, name, value):
        return filter_posts(posts, **{name: value})

    def search(self, posts, name, value):
        return filter_posts(posts, text=value)

    def filter_mine(self, posts, name, value):
        return filter_posts(posts, author=self.user) if value else posts
