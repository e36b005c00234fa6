"""The API tokens page: list my tokens, create one (its key is shown once), revoke one; the
login page's answer while a login is locked out."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from tandem.users.forms import ApiTokenForm
from tandem.users.selectors import api_tokens_of
from tandem.users.services import create_api_token, revoke_api_token


@login_required
def token_list(request: HttpRequest) -> HttpResponse:
    new_key = None
    form = ApiTokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        _token, new_key = create_api_token(
            request.user,
            name=form.cleaned_data["name"],
            days=form.cleaned_data["days"],
            acting_user=request.user,
        )
        form = ApiTokenForm()
    response = render(
        request,
        "users/token_list.html",
        {"tokens": api_tokens_of(request.user), "form": form, "new_key": new_key},
    )
    # The page with a new key must not be kept by the browser or any cache.
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@login_required
def token_revoke(request: HttpRequest, pk: int) -> HttpResponse:
    token = get_object_or_404(api_tokens_of(request.user), pk=pk)
    revoke_api_token(token, acting_user=request.user)
    messages.success(request, _("The token “{name}” is revoked.").format(name=token.name))
    return redirect("api_tokens:token_list")


def locked_out(request: HttpRequest, response=None, credentials=None) -> HttpResponse:
    """django-axes' answer once a username or an address has failed too often: the login page
    again, saying why and for how long, with 429 Too Many Requests."""
    minutes = max(1, int(settings.AXES_COOLOFF_TIME.total_seconds() // 60))
    message = ngettext(
        "Too many failed logins. Try again in %(minutes)d minute.",
        "Too many failed logins. Try again in %(minutes)d minutes.",
        minutes,
    ) % {"minutes": minutes}
    # an unbound form: a bound one would check the password again, and count another failure
    form = AuthenticationForm(request, initial={"username": request.POST.get("username", "")})
    return render(
        request,
        "users/login.html",
        {"form": form, "next": request.POST.get("next", ""), "locked_out": message},
        status=429,
    )
