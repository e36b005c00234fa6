"""Key-account pages: candidates, rules, handovers (dossier, inbox, decision), conflicts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.accounts.models import Account, BuyingRole, ContractStatus, HierarchyLevel
from tandem.accounts.selectors import get_account_for, visible_accounts
from tandem.activities.models import ActivityKind
from tandem.core.errors import DomainError
from tandem.core.lists import PAGE_SIZE, add_service_error, filtered_list, is_htmx, paginate
from tandem.core.validation import InputError, check_text
from tandem.jobs.selectors import shown_state
from tandem.keyaccounts.filters import HandoverFilterSet
from tandem.keyaccounts.forms import (
    DossierForm,
    HandoverProposeForm,
    HandoverRejectForm,
    KeyAccountRulesForm,
)
from tandem.keyaccounts.models import HandoverStatus, KeyAccountRules
from tandem.keyaccounts.pages import conflicts_page
from tandem.keyaccounts.selectors import (
    Candidate,
    Reason,
    as_candidates,
    assemble_dossier,
    conflicts,
    current_evaluation,
    evaluating,
    gap_text,
    get_handover_for,
    inbox,
    is_up_to_date,
    lapsed_accounts,
    overdue_filter,
    qualifying_hits,
    revenue_before_after,
    stakeholder_map,
    visible_handovers,
    with_overdue,
)
from tandem.keyaccounts.services import (
    accept_handover,
    ask_to_evaluate,
    can_manage_account,
    can_manage_handover,
    may_evaluate,
    propose_handover,
    reject_handover,
    save_dossier,
    submit_handover,
    update_rules,
    withdraw_handover,
)

can_edit_rules = may_evaluate


def _evaluation_state(evaluation) -> dict:
    """When the shown evaluation was made, whether it is today's with the rules as they are,
    and the job that makes the next one (the page follows it until it is done)."""
    up_to_date = evaluation is not None and is_up_to_date(evaluation)
    return {
        "evaluation": evaluation,
        "up_to_date": up_to_date,
        "evaluating": shown_state(evaluating()),
    }


@login_required
def overview(request):
    """The candidates and the lapsed key accounts, paged, from the latest stored evaluation
    of the rules, never evaluated here (the day's work, a change of the rules and an admin's
    "Evaluate now" make one in a job, which the page follows)."""
    evaluation = current_evaluation()
    context = {
        **_evaluation_state(evaluation),
        "rules": KeyAccountRules.current(),
        "can_edit_rules": can_edit_rules(request.user),
    }
    if evaluation is None:
        return render(request, "keyaccounts/overview.html", context)
    qualifying = paginate(request, qualifying_hits(request.user, evaluation))
    # the lapsed key accounts sorted in Python (a few thousand at most): ORDER BY name with
    # the role's scope makes PostgreSQL walk the name index through every account
    lapsed_rows = lapsed_accounts(request.user, evaluation).order_by()
    lapsed_ids = [pk for _name, pk in sorted(lapsed_rows.values_list("name", "pk"))]
    lapsed = Paginator(lapsed_ids, PAGE_SIZE).get_page(request.GET.get("lapsed_page"))
    by_id = lapsed_rows.in_bulk(list(lapsed.object_list))
    found = as_candidates(qualifying.object_list)
    context.update(
        {
            "qualifying": found,
            "page_obj": qualifying,
            "lapsed": [Candidate(by_id[pk]) for pk in lapsed.object_list],
            "lapsed_page": lapsed,
            "manageable": {
                c.account.pk for c in found if can_manage_account(request.user, c.account)
            },
        }
    )
    return render(request, "keyaccounts/overview.html", context)


@login_required
@require_POST
def evaluate_now(request):
    """Admins: have the rules evaluated again now (e.g. after importing revenue), in a job;
    the candidates page follows it and shows the new evaluation when it is done."""
    if not can_edit_rules(request.user):
        raise PermissionDenied
    ask_to_evaluate(acting_user=request.user)
    messages.success(
        request, _("The key-account rules are being evaluated again; the list follows.")
    )
    return redirect("keyaccounts:overview")


@login_required
@require_http_methods(["GET", "POST"])
def rules_edit(request):
    if not can_edit_rules(request.user):
        raise PermissionDenied

    form = KeyAccountRulesForm(request.POST or None, instance=KeyAccountRules.current())
    if request.method == "POST" and form.is_valid():
        try:
            update_rules(acting_user=request.user, **form.cleaned_data)
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Key-account rules saved."))
            return redirect("keyaccounts:overview")
    return render(request, "keyaccounts/rules_form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def handover_propose(request, account_pk: int):
    account = visible_accounts(request.user).select_related("owner__team").filter(pk=account_pk)
    account = account.first()
    if account is None or not can_manage_account(request.user, account):
        raise PermissionDenied
    form = HandoverProposeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            handover = propose_handover(
                account, form.cleaned_data["to_kam"], acting_user=request.user
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Handover proposed. Now complete the dossier."))
            return redirect("keyaccounts:handover_detail", handover.pk)
    context = {"form": form, "account": account}
    return render(request, "keyaccounts/handover_propose.html", context)


@login_required
def handover_list(request):
    """What waits for the user (to decide, to complete), then every handover they see, filtered
    through the handover filter set (htmx asks for that list only)."""
    if is_htmx(request):
        waiting = {"overdue_days": KeyAccountRules.current().handover_overdue_days}
    else:
        waiting = inbox(request.user)
    handovers = with_overdue(visible_handovers(request.user))
    return filtered_list(
        request,
        HandoverFilterSet(request.GET, queryset=handovers, user=request.user),
        entity="handovers",
        list_id="handover",
        template="keyaccounts/handover_list.html",
        partial="keyaccounts/_handover_results.html",
        extra=waiting,
    )


def dossier_for_display(dossier: dict) -> dict:
    """The stored dossier with labels in the reader's language."""
    if not dossier:
        return {}
    levels, roles = dict(HierarchyLevel.choices), dict(BuyingRole.choices)
    kinds, statuses = dict(ActivityKind.choices), dict(ContractStatus.choices)
    groups = {}
    for person in dossier.get("stakeholders", []):
        groups.setdefault(person["level"], []).append(
            {**person, "buying_role_label": roles.get(person["buying_role"], person["buying_role"])}
        )

    german = (get_language() or "en").startswith("de")
    return {
        **dossier,
        "stakeholder_groups": [
            {"level": levels.get(level, level), "people": people}
            for level, people in groups.items()
        ],
        "conversations": [
            {**row, "kind_label": kinds.get(row["kind"], row["kind"])}
            for row in dossier.get("conversations", [])
        ],
        "open_deals": [
            {
                **row,
                "stage_label": (row.get("stage_name_de") if german else None)
                or row.get("stage_name")
                or row["stage"],
            }
            for row in dossier.get("open_deals", [])
        ],
        "contracts": [
            {**row, "status_label": statuses.get(row["status"], row["status"])}
            for row in dossier.get("contracts", [])
        ],
        "coverage_gaps": [gap_text(code) for code in dossier.get("coverage_gaps", [])],
    }


@login_required
@require_http_methods(["GET", "POST"])
def handover_detail(request, pk: int):
    user = request.user
    handover = get_handover_for(user, pk)
    account: Account = handover.account
    may_manage = handover.status == HandoverStatus.PROPOSED and can_manage_handover(user, handover)
    may_decide = handover.status == HandoverStatus.SUBMITTED and user.pk == handover.to_kam_id
    dossier_form = DossierForm(
        request.POST if may_manage and request.method == "POST" else None,
        initial={
            "customer_needs": handover.customer_needs,
            "commitments": handover.commitments,
            "risks": handover.risks,
        },
    )
    if request.method == "POST":
        if not may_manage:
            raise PermissionDenied
        if dossier_form.is_valid():
            texts = dossier_form.cleaned_data
            try:
                if "submit" in request.POST:
                    submit_handover(handover, acting_user=user, **texts)
                    messages.success(
                        request, _("Dossier submitted to {kam}.").format(kam=handover.to_kam)
                    )
                else:
                    save_dossier(handover, acting_user=user, **texts)
                    messages.success(request, _("Dossier saved."))
            except (DomainError, ValidationError) as error:
                add_service_error(dossier_form, error)
            else:
                return redirect("keyaccounts:handover_detail", handover.pk)
    if handover.dossier:
        facts = handover.dossier
    elif handover.status == HandoverStatus.PROPOSED:
        facts = assemble_dossier(account)
    else:
        facts = {}
    context = {
        "handover": handover,
        "account": account,
        "reasons": [Reason.from_dict(r).text() for r in handover.reasons],
        "facts": dossier_for_display(facts),
        "dossier_form": dossier_form,
        "reject_form": HandoverRejectForm(),
        "may_manage": may_manage,
        "may_decide": may_decide,
        "may_withdraw": handover.is_open and can_manage_handover(user, handover),
        "overdue": handover.is_open
        and visible_handovers(user).filter(pk=handover.pk).filter(overdue_filter()).exists(),
        "events": handover.events.select_related("actor"),
        "before_after": revenue_before_after(handover),
        "can_open_account": visible_accounts(user).filter(pk=account.pk).exists(),
    }
    return render(request, "keyaccounts/handover_detail.html", context)


def _check_addressed_to(user, handover) -> None:
    """Only the KAM a handover is addressed to decides it: anyone else who may see it is
    refused (403), not sent back to the page with a message as if it had worked."""
    if user.pk != handover.to_kam_id:
        raise PermissionDenied


@login_required
@require_POST
def handover_accept(request, pk: int):
    handover = get_handover_for(request.user, pk)
    _check_addressed_to(request.user, handover)
    try:
        accept_handover(handover, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request, _("You are now the owner of {account}.").format(account=handover.account)
        )
    return redirect("keyaccounts:handover_detail", handover.pk)


@login_required
@require_POST
def handover_reject(request, pk: int):
    handover = get_handover_for(request.user, pk)
    _check_addressed_to(request.user, handover)
    try:
        # no form here: the reason is held to the text rule as a form would (core/validation.py)
        reason = check_text(request.POST.get("reason", ""), multiline=True)
    except InputError as error:
        messages.error(request, error.message())
        return redirect("keyaccounts:handover_detail", handover.pk)
    try:
        reject_handover(handover, acting_user=request.user, reason=reason)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Handover rejected."))
    return redirect("keyaccounts:handover_detail", handover.pk)


@login_required
@require_POST
def handover_withdraw(request, pk: int):
    handover = get_handover_for(request.user, pk)
    if not can_manage_handover(request.user, handover):
        raise PermissionDenied
    try:
        withdraw_handover(handover, acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Handover withdrawn."))
    return redirect("keyaccounts:handover_detail", handover.pk)


@login_required
def stakeholder_map_view(request, account_pk: int):
    account = get_account_for(request.user, account_pk)
    context = {"account": account, "map": stakeholder_map(account)}
    return render(request, "keyaccounts/stakeholder_map.html", context)


@login_required
def conflict_report(request):
    page = conflicts_page.context(request.user, None, conflicts(request.user))
    return render(request, "keyaccounts/conflicts.html", page)
