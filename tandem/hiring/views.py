"""Hiring and onboarding pages: thin, reads from the selectors, writes through the services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from tandem.core.errors import DomainError
from tandem.core.lists import add_service_error
from tandem.hiring.filters import PositionFilterSet
from tandem.hiring.forms import CandidateForm, PlanForm, PositionForm, ScoresForm, StepForm
from tandem.hiring.models import CandidateStatus, PositionStatus
from tandem.hiring.selectors import (
    can_edit_plan,
    can_hire,
    can_tick,
    compare_candidates,
    expectations,
    get_candidate_for,
    get_plan_for,
    get_position_for,
    led_by,
    my_scores,
    onboarding_progress,
    position_list,
    scores_of,
    steps_of,
    visible_plans,
)
from tandem.hiring.services import (
    add_candidate,
    add_onboarding_step,
    create_onboarding_plan,
    open_position,
    record_scores,
    set_candidate_status,
    set_position_status,
    set_step_done,
)
from tandem.people.models import CareerStep

CANDIDATE_ACTIONS = [
    (CandidateStatus.HIRED, gettext_lazy("Hire")),
    (CandidateStatus.REJECTED, gettext_lazy("Reject")),
    (CandidateStatus.WITHDRAWN, gettext_lazy("Mark as withdrawn")),
    (CandidateStatus.ACTIVE, gettext_lazy("Back in the process")),
]


def _hirer(request):
    if not can_hire(request.user):
        raise PermissionDenied
    return request.user


@login_required
def overview(request):
    user = request.user
    today = timezone.localdate()
    own_plan = visible_plans(user).filter(member=user).first()
    context = {"today": today, "own_plan": own_plan, "can_hire": can_hire(user)}
    if can_hire(user):
        query = request.GET.copy()
        if not query.get("status"):
            query["status"] = PositionStatus.OPEN  # the page opens on the open positions
        filters = PositionFilterSet(query, queryset=position_list(user), user=user)
        positions, _sort = filters.ordered(filters.qs, request.GET.get("sort"))
        context.update(
            {
                "filters": filters,
                "positions": positions,
                "status": query["status"],
                "progress": onboarding_progress(user, today, led_by(user)),
            }
        )
    return render(request, "hiring/overview.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def position_create(request):
    user = _hirer(request)
    form = PositionForm(request.POST or None, user=user)
    if request.method == "POST" and form.is_valid():
        try:
            position = open_position(acting_user=user, **form.cleaned_data)
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Position opened."))
            return redirect("hiring:position_detail", position.pk)
    levels: dict[int, list[int]] = {}
    for step_pk, profile_pk in CareerStep.objects.values_list("pk", "profile_id"):
        levels.setdefault(profile_pk, []).append(step_pk)
    return render(request, "hiring/position_form.html", {"form": form, "levels": levels})


@login_required
@require_http_methods(["GET", "POST"])
def position_detail(request, pk):
    user = _hirer(request)
    position = get_position_for(user, pk)
    form = CandidateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            candidate = add_candidate(position, acting_user=user, **form.cleaned_data)
        except DomainError as error:
            if error.field in form.fields:
                add_service_error(form, error)
            else:  # e.g. the position was closed meanwhile: the form is not shown any more
                messages.error(request, error.message)
        else:
            messages.success(request, _("Candidate added."))
            return redirect("hiring:candidate_detail", candidate.pk)
    comparison = compare_candidates(position)
    return render(
        request,
        "hiring/position_detail.html",
        {
            "position": position,
            "comparison": comparison,
            "chart": comparison.chart(),
            "form": form,
            "is_open": position.status == PositionStatus.OPEN,
        },
    )


@login_required
@require_POST
def position_status(request, pk):
    user = _hirer(request)
    position = get_position_for(user, pk)
    try:
        set_position_status(position, request.POST.get("status", ""), acting_user=user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("hiring:position_detail", position.pk)


@login_required
@require_http_methods(["GET", "POST"])
def candidate_detail(request, pk):
    user = _hirer(request)
    candidate = get_candidate_for(user, pk)
    position = candidate.position
    form = ScoresForm(
        request.POST or None, expectations=expectations(position), mine=my_scores(candidate, user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            record_scores(candidate, form.entries(), acting_user=user)
        except DomainError as error:
            add_service_error(form, error)
        else:
            messages.success(request, _("Your scores are saved."))
            return redirect("hiring:candidate_detail", candidate.pk)
    return render(
        request,
        "hiring/candidate_detail.html",
        {
            "candidate": candidate,
            "position": position,
            "scores": scores_of(candidate),
            "form": form,
            "can_score": position.status == PositionStatus.OPEN
            and candidate.status == CandidateStatus.ACTIVE,
            "actions": [
                (value, label) for value, label in CANDIDATE_ACTIONS if value != candidate.status
            ],
        },
    )


@login_required
@require_POST
def candidate_status(request, pk):
    user = _hirer(request)
    candidate = get_candidate_for(user, pk)
    try:
        set_candidate_status(candidate, request.POST.get("status", ""), acting_user=user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("hiring:candidate_detail", candidate.pk)


# --- onboarding ---------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def onboarding_list(request):
    user = request.user
    form = PlanForm(request.POST or None, user=user)
    if request.method == "POST":
        if not can_hire(user):
            raise PermissionDenied
        if form.is_valid():
            try:
                plan = create_onboarding_plan(
                    form.cleaned_data["member"],
                    acting_user=user,
                    starts_on=form.cleaned_data["starts_on"],
                )
            except DomainError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Onboarding plan created."))
                return redirect("hiring:plan_detail", plan.pk)
    return render(
        request,
        "hiring/onboarding_list.html",
        {
            "progress": onboarding_progress(user, timezone.localdate()),
            "form": form if can_hire(user) else None,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def plan_detail(request, pk):
    user = request.user
    plan = get_plan_for(user, pk)
    editable = can_edit_plan(user, plan)
    form = StepForm(request.POST or None) if editable else None
    if request.method == "POST":
        if not editable:
            raise PermissionDenied
        if form.is_valid():
            try:
                add_onboarding_step(plan, acting_user=user, **form.cleaned_data)
            except DomainError as error:
                add_service_error(form, error)
            else:
                messages.success(request, _("Step added."))
                return redirect("hiring:plan_detail", plan.pk)
    today = timezone.localdate()
    progress = onboarding_progress(user, today, visible_plans(user).filter(pk=plan.pk))[0]
    steps = [
        {
            "step": step,
            "overdue": step.done_on is None and step.due_on < today,
            "can_tick": can_tick(user, step),
        }
        for step in steps_of(plan)
    ]
    return render(
        request,
        "hiring/plan_detail.html",
        {"plan": plan, "progress": progress, "steps": steps, "form": form},
    )


@login_required
@require_POST
def step_done(request, pk, step_pk):
    plan = get_plan_for(request.user, pk)
    step = plan.steps.filter(pk=step_pk).first()
    if step is None:
        raise PermissionDenied
    try:
        set_step_done(step, request.POST.get("done") == "1", acting_user=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("hiring:plan_detail", plan.pk)
