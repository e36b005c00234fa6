"""The insights feed: what the other side wrote for you, with filters and a form to post."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.core.errors import DomainError
from tandem.core.lists import EXPORT_FORMATS, add_service_error, export, export_requested, paginate
from tandem.insights.filters import PostFilterSet
from tandem.insights.forms import PostForm
from tandem.insights.models import Post, PostKind
from tandem.insights.selectors import kind_read_by, kinds_written_by, visible_posts, with_tags
from tandem.insights.services import create_post, delete_post, update_post

PAGE_SIZE = 20


@login_required
@require_http_methods(["GET", "POST"])
def feed(request):
    user = request.user
    may_post = bool(kinds_written_by(user))
    form = PostForm(request.POST if request.method == "POST" else None, user=user)
    if request.method == "POST":
        if not may_post:
            raise PermissionDenied
        if form.is_valid():
            try:
                post = create_post(acting_user=user, **form.cleaned_data)
            except (DomainError, ValidationError) as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Posted: {title}.").format(title=post.title))
                return redirect("insights:feed")
    filters = PostFilterSet(request.GET, queryset=visible_posts(user), user=user)
    requested = request.GET.get("sort")
    posts, _sort = filters.ordered(filters.qs, requested)
    if fmt := export_requested(request):
        return export(request, "insights", posts, fmt, filters)
    page_obj = paginate(request, with_tags(posts), PAGE_SIZE)
    reads = kind_read_by(user)
    context = {
        "form": form,
        "may_post": may_post,
        "filters": filters,
        "posts": page_obj.object_list,
        "page_obj": page_obj,
        "reads": reads,
        "reads_label": PostKind(reads).label if reads else None,
        "query": request.GET.copy(),
        "sort": requested if filters.is_ordering(requested) else "",
        "export_formats": EXPORT_FORMATS,
    }
    if "page" in context["query"]:
        del context["query"]["page"]
    return render(request, "insights/feed.html", context)


def _own_post(request, pk: int) -> Post:
    post = get_object_or_404(visible_posts(request.user), pk=pk)
    if post.author_id != request.user.pk:
        raise PermissionDenied
    return post


@login_required
@require_http_methods(["GET", "POST"])
def edit(request, pk: int):
    post = _own_post(request, pk)
    initial = {
        "kind": post.kind,
        "title": post.title,
        "body": post.body,
        "accounts": list(post.accounts.all()),
        "products": list(post.products.all()),
        "sectors": list(post.sectors.all()),
    }
    form = PostForm(request.POST or None, user=request.user, initial=initial)
    if post.kind not in kinds_written_by(request.user):
        # an author whose role changed may still correct the text and tags of their post
        form.fields["kind"].choices = [(post.kind, PostKind(post.kind).label)]
    if request.method == "POST" and form.is_valid():
        try:
            update_post(post, acting_user=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("insights:feed")
    return render(request, "insights/edit.html", {"form": form, "post": post})


@login_required
@require_POST
def delete(request, pk: int):
    post = _own_post(request, pk)
    try:
        delete_post(post, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Deleted: {title}.").format(title=post.title))
    return redirect("insights:feed")
