"""Account and contact pages: thin, every read through the selectors, every write a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tandem.accounts.filters import AccountFilterSet, ContactFilterSet
from tandem.accounts.forms import ContactForm
from tandem.accounts.models import Account
from tandem.accounts.pages import account_page
from tandem.accounts.selectors import (
    get_account_for,
    get_contact_for,
    visible_account_ids,
    visible_accounts,
    visible_contacts,
    visible_contracts,
)
from tandem.accounts.services import create_contact, update_contact
from tandem.audit.selectors import history_of
from tandem.core.errors import DomainError
from tandem.core.lists import (
    add_service_error,
    filtered_list,
)
from tandem.users.models import User

AUDIT_ACTIONS = {
    "account.created": gettext_lazy("Account created"),
    "account.updated": gettext_lazy("Account changed"),
    "account.owner_changed": gettext_lazy("Owner changed"),
}


@login_required
def account_list(request):
    accounts = visible_accounts(request.user).select_related("sector", "owner")
    return filtered_list(
        request,
        AccountFilterSet(request.GET, queryset=accounts, user=request.user),
        entity="accounts",
        list_id="account",
        template="accounts/account_list.html",
        partial="accounts/_account_results.html",
    )


def parent_chain(account, visible_ids):
    """The account's ancestors, top first; each with whether the user may open it."""
    chain = []
    seen = {account.pk}
    ancestor = account.parent
    while ancestor is not None and ancestor.pk not in seen:
        seen.add(ancestor.pk)
        chain.append((ancestor, visible_ids is None or ancestor.pk in visible_ids))
        ancestor = ancestor.parent
    chain.reverse()
    return chain


def field_label(name: str) -> str:
    """The translated label of an account field, for the change history."""
    try:
        return str(Account._meta.get_field(name).verbose_name)
    except FieldDoesNotExist:
        return name


def ownership_history(account):
    """The account's audit trail, with owner ids turned into people."""
    events = list(history_of(account)[:50])
    owner_ids = set()
    for event in events:
        owner = event.changes.get("owner")
        if isinstance(owner, list):
            owner_ids.update(owner)
        elif owner is not None:
            owner_ids.add(owner)
    people = {user.pk: user for user in User.objects.filter(pk__in=owner_ids)}
    rows = []
    for event in events:
        owner = event.changes.get("owner")
        old_owner = new_owner = None
        if isinstance(owner, list):
            old_owner, new_owner = (people.get(pk) for pk in owner)
        elif owner is not None:
            new_owner = people.get(owner)
        other = [
            (field_label(field), change)
            for field, change in event.changes.items()
            if field != "owner" and isinstance(change, list) and len(change) == 2
        ]
        rows.append(
            {
                "event": event,
                "label": AUDIT_ACTIONS.get(event.action, event.action),
                "old_owner": old_owner,
                "new_owner": new_owner,
                "other_changes": other,
            }
        )
    return rows


@login_required
def account_detail(request, pk: int):
    user = request.user
    account = get_account_for(user, pk)
    visible_ids = visible_account_ids(user)
    subsidiaries = [
        (sub, visible_ids is None or sub.pk in visible_ids)
        for sub in account.subsidiaries.select_related("owner").order_by("name")
    ]
    page = {
        "account": account,
        "parents": parent_chain(account, visible_ids),
        "subsidiaries": subsidiaries,
        "contacts": visible_contacts(user).filter(account=account),
        "contracts": list(visible_contracts(user).filter(account=account)),
        "history": ownership_history(account),
    }
    context = account_page.context(user, account, page)
    return render(request, "accounts/account_detail.html", context)


@login_required
def contact_list(request):
    contacts = visible_contacts(request.user).select_related("account")
    return filtered_list(
        request,
        ContactFilterSet(request.GET, queryset=contacts, user=request.user),
        entity="contacts",
        list_id="contact",
        template="accounts/contact_list.html",
        partial="accounts/_contact_results.html",
    )


def _save_contact(request, form, contact=None):
    """Run the service; on a business error show it on the form and return None."""
    try:
        if contact is None:
            return create_contact(acting_user=request.user, **form.cleaned_data)
        return update_contact(contact, acting_user=request.user, **form.cleaned_data)
    except (DomainError, ValidationError) as error:
        add_service_error(form, error)
        return None


@login_required
@require_http_methods(["GET", "POST"])
def contact_create(request, account_pk: int | None = None):
    accounts = visible_accounts(request.user)
    account = get_account_for(request.user, account_pk) if account_pk else None
    if account is None and request.GET.get("account", "").isdigit():
        account = accounts.filter(pk=request.GET["account"]).first()
    if request.method == "POST":
        form = ContactForm(request.POST, accounts=accounts)
        if form.is_valid() and (contact := _save_contact(request, form)):
            messages.success(request, _("Contact {name} added.").format(name=contact))
            return redirect("accounts:account_detail", contact.account_id)
    else:
        form = ContactForm(accounts=accounts, initial={"account": account})
    return render(request, "accounts/contact_form.html", {"form": form, "account": account})


@login_required
@require_http_methods(["GET", "POST"])
def contact_edit(request, pk: int):
    contact = get_contact_for(request.user, pk)
    accounts = visible_accounts(request.user)
    if request.method == "POST":
        form = ContactForm(request.POST, instance=contact, accounts=accounts)
        if form.is_valid() and (saved := _save_contact(request, form, contact)):
            messages.success(request, _("Contact {name} saved.").format(name=saved))
            return redirect("accounts:account_detail", saved.account_id)
    else:
        form = ContactForm(instance=contact, accounts=accounts)
    context = {"form": form, "contact": contact, "account": contact.account}
    return render(request, "accounts/contact_form.html", context)
