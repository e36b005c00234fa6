"""Account and contact pages: thin, every read through the selectors, every write a service."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Sum
from django.db.models.functions import TruncMonth
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from tandem.accounts.forms import AccountFilterForm, ContactFilterForm, ContactForm
from tandem.accounts.models import Account, Tier
from tandem.accounts.selectors import (
    get_account_for,
    get_contact_for,
    visible_account_ids,
    visible_accounts,
    visible_contacts,
    visible_contracts,
)
from tandem.accounts.services import create_contact, update_contact
from tandem.activities.selectors import visible_activities
from tandem.audit.selectors import history_of
from tandem.core.errors import DomainError
from tandem.core.lists import (
    EXPORT_FORMATS,
    add_service_error,
    export,
    export_requested,
    is_htmx,
    paginate,
    sort_queryset,
)
from tandem.insights.selectors import filter_posts, visible_posts
from tandem.pipeline.selectors import visible_deals
from tandem.renewals.selectors import can_record_outcome
from tandem.revenue.selectors import visible_revenue_lines
from tandem.users.models import User

ACCOUNT_COLUMNS = {
    "name": ("name",),
    "city": ("city", "name"),
    "country": ("country", "name"),
    "sector": ("sector__name", "name"),
    "owner": ("owner__last_name", "owner__first_name", "name"),
    "tier": ("tier", "name"),
    "strategic": ("is_strategic", "name"),
}

CONTACT_COLUMNS = {
    "name": ("last_name", "first_name"),
    "account": ("account__name", "last_name"),
    "level": ("hierarchy_level", "last_name"),
    "role": ("buying_role", "last_name"),
    "strength": ("relationship_strength", "last_name"),
}

AUDIT_ACTIONS = {
    "account.created": gettext_lazy("Account created"),
    "account.updated": gettext_lazy("Account changed"),
    "account.owner_changed": gettext_lazy("Owner changed"),
}


@login_required
def account_list(request):
    accounts = visible_accounts(request.user)
    filters = AccountFilterForm(request.GET, accounts=accounts)
    accounts = filters.filter(accounts).select_related("sector", "owner")
    accounts, sort = sort_queryset(accounts, request.GET.get("sort"), ACCOUNT_COLUMNS, "name")
    if fmt := export_requested(request):
        return export("accounts", accounts, fmt)
    context = {
        "filters": filters,
        "page_obj": paginate(request, accounts),
        "sort": sort,
        "export_formats": EXPORT_FORMATS,
    }
    if is_htmx(request):
        return render(request, "accounts/_account_results.html", context)
    return render(request, "accounts/account_list.html", context)


def deal_links_exist() -> bool:
    try:
        reverse("pipeline:deal_detail", args=[1])
    except NoReverseMatch:
        return False
    return True


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


def monthly_revenue(user, account) -> dict:
    """Invoiced revenue of the account per month, summed by the database."""
    rows = (
        visible_revenue_lines(user)
        .filter(account=account)
        .annotate(month=TruncMonth("invoiced_on"))
        .values("month")
        .annotate(total=Sum("amount"))
        .order_by("month")
    )
    months, totals = [], []
    for row in rows:
        months.append(row["month"].strftime("%Y-%m"))
        totals.append(float(row["total"]))
    return {"months": months, "totals": totals, "label": _("Invoiced revenue")}


def key_account_links(user: User, account: Account) -> dict | None:
    """This year's plan, the QBR pack and the whitespace of a key account, for those who may
    open them (None for other accounts)."""
    if account.tier != Tier.KEY_ACCOUNT:
        return None
    from tandem.accountplans.selectors import visible_key_accounts, visible_plans
    from tandem.accountplans.services import can_edit_plan
    from tandem.portfolio.selectors import may_use_whitespace

    year = timezone.localdate().year
    sees_plans = visible_key_accounts(user).filter(pk=account.pk).exists()
    return {
        "year": year,
        "sees_plans": sees_plans,
        "plan": visible_plans(user).filter(account=account, year=year).first()
        if sees_plans
        else None,
        "may_plan": can_edit_plan(user, account),
        "whitespace": may_use_whitespace(user),
    }


@login_required
def account_detail(request, pk: int):
    user = request.user
    account = get_account_for(user, pk)
    visible_ids = visible_account_ids(user)
    subsidiaries = [
        (sub, visible_ids is None or sub.pk in visible_ids)
        for sub in account.subsidiaries.select_related("owner").order_by("name")
    ]
    revenue = monthly_revenue(user, account)
    contracts = list(visible_contracts(user).filter(account=account))
    context = {
        "account": account,
        "parents": parent_chain(account, visible_ids),
        "subsidiaries": subsidiaries,
        "contacts": visible_contacts(user).filter(account=account),
        "deals": visible_deals(user)
        .filter(account=account)
        .select_related("stage", "owner", "product")
        .order_by(
            F("closed_on").desc(nulls_first=True),
            F("expected_close_on").desc(nulls_last=True),
            "-pk",
        ),
        "deal_links": deal_links_exist(),
        "activities": visible_activities(user)
        .filter(account=account)
        .select_related("owner", "deal")
        .prefetch_related("contacts")[:20],
        "contracts": contracts,
        "key_account": key_account_links(user, account),
        "insight_count": filter_posts(visible_posts(user), account=account).count(),
        # outcomes are decided per account: the first contract answers for all of them
        "may_record_outcomes": bool(contracts) and can_record_outcome(user, contracts[0]),
        "revenue": revenue,
        "revenue_total": sum(revenue["totals"]),
        "history": ownership_history(account),
    }
    return render(request, "accounts/account_detail.html", context)


@login_required
def contact_list(request):
    contacts = visible_contacts(request.user)
    filters = ContactFilterForm(request.GET)
    contacts = filters.filter(contacts).select_related("account")
    contacts, sort = sort_queryset(contacts, request.GET.get("sort"), CONTACT_COLUMNS, "name")
    if fmt := export_requested(request):
        return export("contacts", contacts, fmt)
    context = {
        "filters": filters,
        "page_obj": paginate(request, contacts),
        "sort": sort,
        "export_formats": EXPORT_FORMATS,
    }
    if is_htmx(request):
        return render(request, "accounts/_contact_results.html", context)
    return render(request, "accounts/contact_list.html", context)


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
