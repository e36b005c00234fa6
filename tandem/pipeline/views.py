"""Deal pages and the pipeline board. Thin: selectors read, services write, forms validate."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from tandem.accounts.selectors import visible_accounts
from tandem.approvals.models import Approval
from tandem.audit.selectors import history_of
from tandem.catalog.models import Product
from tandem.core.errors import DomainError
from tandem.core.lists import EXPORT_FORMATS, add_service_error, export, is_htmx, paginate
from tandem.pipeline.filters import DealFilterSet
from tandem.pipeline.forms import (
    AssignAccountForm,
    DealForm,
    DealMoveForm,
    is_manager,
)
from tandem.pipeline.models import Deal, StageOutcome
from tandem.pipeline.pages import deal_page
from tandem.pipeline.selectors import (
    BOARD_CARDS_PER_COLUMN,
    BOARD_RECENT_DAYS,
    board_columns,
    days_in_stage,
    deal_totals,
    get_deal_for,
    on_the_board,
    pipeline_stages,
    stage_history,
    visible_deals,
    with_stage_entered_at,
)
from tandem.pipeline.services import (
    assign_deal_account,
    create_deal,
    move_deal_to_stage,
    update_deal,
)
from tandem.users.models import User

PLAIN_TEXT = "text/plain; charset=utf-8"
ACCOUNT_SUGGESTIONS = 20
CARDS_PER_COLUMN = BOARD_CARDS_PER_COLUMN
LIST_COLUMNS = [
    ("name", gettext_lazy("Deal")),
    ("account", gettext_lazy("Account")),
    ("owner", gettext_lazy("Owner")),
    ("stage", gettext_lazy("Stage")),
    ("value", gettext_lazy("Value")),
    ("expected_close_on", gettext_lazy("Expected close")),
    ("created_on", gettext_lazy("Created")),
    ("closed_on", gettext_lazy("Closed")),
]


def _filtered_deals(request) -> tuple[DealFilterSet, QuerySet]:
    """The deal list's filters and its rows, sorted as asked (else newest first)."""
    filters = DealFilterSet(request.GET, queryset=visible_deals(request.user), user=request.user)
    deals, _sort = filters.ordered(filters.qs, request.GET.get("sort"))
    return filters, deals


@login_required
def deal_list(request):
    filters, deals = _filtered_deals(request)
    totals = deal_totals(deals)
    rows = deals.select_related("account", "owner", "stage", "channel", "product")
    page = paginate(request, rows, count=totals["count"])  # counted with the sum already
    params = request.GET.copy()
    params.pop("page", None)
    filtering_unresolved = filters.is_valid() and filters.form.cleaned_data["without_account"]
    unresolved = (
        0
        if filtering_unresolved
        else visible_deals(request.user).filter(account__isnull=True).count()
    )
    requested = request.GET.get("sort")
    return render(
        request,
        "pipeline/deal_list.html",
        {
            "filters": filters,
            "form": filters.form,
            "page_obj": page,
            "list_id": "deal",
            "totals": totals,
            "columns": LIST_COLUMNS,
            "sort": requested if filters.is_ordering(requested) else "",
            "query": params.urlencode(),
            "export_formats": EXPORT_FORMATS,
            "show_team_filters": is_manager(request.user),
            "unresolved": unresolved,
        },
    )


@login_required
def deal_export(request, fmt: str):
    if fmt not in EXPORT_FORMATS:
        raise Http404
    filters, deals = _filtered_deals(request)
    return export(request, "deals", deals, fmt, filters)


def _account_url(account) -> str | None:
    if account is None:
        return None
    try:
        return reverse("accounts:account_detail", args=[account.pk])
    except NoReverseMatch:
        return None


@login_required
def deal_detail(request, pk: int):
    deal = get_deal_for(request.user, pk)
    deal = (
        with_stage_entered_at(visible_deals(request.user).filter(pk=deal.pk))
        .select_related("account", "owner", "stage", "channel", "product")
        .get()
    )
    page = {
        "deal": deal,
        "account_url": _account_url(deal.account),
        "days_in_stage": days_in_stage(deal),
        "history": stage_history(deal),
        "audit_rows": _audit_rows(request.user, history_of(deal)),
        "assign_form": AssignAccountForm(user=request.user) if not deal.account_id else None,
        "stages": pipeline_stages(),
    }
    return render(request, "pipeline/deal_detail.html", deal_page.context(request.user, deal, page))


@login_required
def account_options(request):
    """Suggestions for the account picker: visible accounts whose name contains the text."""
    query = (request.GET.get("q") or request.GET.get("account_search") or "").strip()
    accounts = []
    if query:
        accounts = (
            visible_accounts(request.user)
            .filter(name__icontains=query)
            .order_by("name")
            .only("pk", "name", "city")[:ACCOUNT_SUGGESTIONS]
        )
    return render(request, "pipeline/_account_options.html", {"accounts": accounts, "query": query})


def _audit_rows(user, events) -> list[dict]:
    """The deal's audit events with readable changes: field labels, names instead of ids and
    stage labels instead of codes (accounts only by name when the user may see them)."""
    events = list(events)
    wanted: dict[str, set] = {"owner": set(), "account": set(), "product": set()}
    for event in events:
        for field, change in event.changes.items():
            if field in wanted:
                values = change if isinstance(change, list) else [change]
                wanted[field] |= {value for value in values if isinstance(value, int)}
    names = {
        "owner": {u.pk: str(u) for u in User.objects.filter(pk__in=wanted["owner"])},
        "account": dict(
            visible_accounts(user).filter(pk__in=wanted["account"]).values_list("pk", "name")
        ),
        "product": dict(Product.objects.filter(pk__in=wanted["product"]).values_list("pk", "name")),
        "stage": {stage.code: stage.label for stage in pipeline_stages()},
    }

    def readable(field, value):
        if value in (None, ""):
            return "—"
        return str(names.get(field, {}).get(value, value))

    rows = []
    for event in events:
        changes = []
        for field, change in event.changes.items():
            try:
                label = Deal._meta.get_field(field).verbose_name
            except FieldDoesNotExist:
                label = field
            if isinstance(change, list) and len(change) == 2:
                changes.append((label, readable(field, change[0]), readable(field, change[1])))
            else:
                changes.append((label, None, readable(field, change)))
        rows.append({"event": event, "changes": changes})
    return rows


@login_required
def deal_create(request):
    form = DealForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            deal = create_deal(acting_user=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Deal “{name}” created.").format(name=deal.name))
            return redirect("pipeline:deal_detail", pk=deal.pk)
    return render(request, "pipeline/deal_form.html", {"form": form, "deal": None})


@login_required
def deal_edit(request, pk: int):
    deal = get_deal_for(request.user, pk)
    form = DealForm(request.POST or None, instance=deal, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            saved = update_deal(deal, acting_user=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            if isinstance(saved, Approval):
                messages.info(request, waits_for_approval(saved))
            else:
                messages.success(request, _("Deal “{name}” saved.").format(name=saved.name))
            return redirect("pipeline:deal_detail", pk=deal.pk)
    return render(request, "pipeline/deal_form.html", {"form": form, "deal": deal})


@login_required
@require_POST
def deal_assign_account(request, pk: int):
    deal = get_deal_for(request.user, pk)
    form = AssignAccountForm(request.POST, user=request.user)
    if form.is_valid():
        try:
            assign_deal_account(deal, form.cleaned_data["account"], acting_user=request.user)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("The deal now belongs to {account}.").format(
                    account=form.cleaned_data["account"]
                ),
            )
    else:
        messages.error(request, " ".join(form.errors.get("account", [])))
    return redirect("pipeline:deal_detail", pk=deal.pk)


def waits_for_approval(approval: Approval) -> str:
    return _(
        "Your change waits for approval by your Sales Manager, the Head of Sales or an admin "
        "({why}). Nothing is changed until then."
    ).format(why=approval.get_rule_display().rstrip("."))


def _back(request, deal):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return redirect(target)
    return redirect("pipeline:deal_detail", pk=deal.pk)


def _board_filters(request, data) -> DealFilterSet:
    """The board filters by owner and team only (a move's own fields are not filters)."""
    deals = visible_deals(request.user)
    return DealFilterSet(_board_query(data), queryset=deals, user=request.user)


@login_required
@require_POST
def deal_move(request, pk: int):
    """Move a deal to another stage: from a board drop (answers with the new column heads and
    the card) or from a small form (redirects back). A refused move answers 400 with the reason."""
    deal = get_deal_for(request.user, pk)
    form = DealMoveForm(request.POST)
    if form.is_valid():
        try:
            moved = move_deal_to_stage(
                deal,
                form.cleaned_data["stage"],
                acting_user=request.user,
                lost_reason=form.cleaned_data["lost_reason"],
            )
        except DomainError as error:
            message = error.message
        else:
            message = None
            if isinstance(moved, Approval):
                pending = waits_for_approval(moved)
                if is_htmx(request):  # the card goes back: nothing moved yet
                    return HttpResponse(pending, status=202, content_type=PLAIN_TEXT)
                messages.info(request, pending)
                return _back(request, deal)
            deal = moved
    else:
        message = " ".join(" ".join(errors) for errors in form.errors.values())
    if is_htmx(request):
        if message:
            return HttpResponse(message, status=400, content_type=PLAIN_TEXT)
        return _board_move_response(request, deal)
    if message:
        messages.error(request, message)
    else:
        messages.success(
            request,
            _("“{deal}” moved to {stage}.").format(deal=deal.name, stage=deal.stage.label),
        )
    return _back(request, deal)


def _board_query(data) -> QueryDict:
    query = QueryDict(mutable=True)
    for key in ("owner", "team"):
        if data.get(key):
            query[key] = data[key]
    return query


def _board_next(query: QueryDict) -> str:
    url = reverse("pipeline:board")
    return f"{url}?{query.urlencode()}" if query else url


def _board_move_response(request, deal):
    deals = on_the_board(_board_filters(request, request.POST).qs)
    columns = board_columns(deals, cards_per_column=0)
    card = (
        with_stage_entered_at(visible_deals(request.user).filter(pk=deal.pk))
        .select_related("account", "owner", "stage")
        .get()
    )
    card.days_in_stage = days_in_stage(card)
    return render(
        request,
        "pipeline/_board_move.html",
        {
            "columns": columns,
            "card": card,
            "stages": [column["stage"] for column in columns],
            "board_next": _board_next(_board_query(request.POST)),
            "moved_message": _("“{deal}” moved to {stage}.").format(
                deal=deal.name, stage=deal.stage.label
            ),
        },
    )


@login_required
def board(request):
    filters = _board_filters(request, request.GET)
    columns = board_columns(on_the_board(filters.qs), cards_per_column=CARDS_PER_COLUMN)
    today = timezone.localdate()
    recent = today - datetime.timedelta(days=BOARD_RECENT_DAYS)
    base = _board_query(request.GET)
    for column in columns:
        params = base.copy()
        params["stage"] = column["stage"].code
        if column["stage"].outcome != StageOutcome.OPEN:
            params["closed_after"] = recent.isoformat()
        column["more_query"] = params.urlencode()
        column["hidden"] = column["count"] - len(column["cards"])
    return render(
        request,
        "pipeline/board.html",
        {
            "filters": filters.form,
            "columns": columns,
            "stages": [column["stage"] for column in columns],
            "show_team_filters": is_manager(request.user),
            "recent_days": BOARD_RECENT_DAYS,
            "filter_query": base.urlencode(),
            "board_next": _board_next(base),
        },
    )
