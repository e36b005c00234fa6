"""Coaching pages: the reps a manager coaches, and one page per rep (scorecard, development
goals, coaching notes). Only the rep and the manager of their team get there."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.coaching.forms import NoteForm
from tandem.coaching.selectors import (
    coach_of,
    coaching_overview,
    get_note_for,
    get_rep_for,
    goals_of,
    is_coach,
    notes_about,
    scorecard,
)
from tandem.coaching.services import add_note, delete_note
from tandem.core.errors import DomainError
from tandem.core.lists import add_service_error
from tandem.core.periods import Period
from tandem.hiring.models import OnboardingPlan


def _period(request) -> tuple[Period, str | None]:
    today = timezone.localdate()
    if request.GET.get("period"):
        try:
            return Period.parse(request.GET["period"]), None
        except DomainError as problem:
            return Period.containing(today), problem.message
    return Period.containing(today), None


def _number(value) -> float | None:
    return None if value is None else float(value)


@login_required
def overview(request):
    period, error = _period(request)
    lines = coaching_overview(request.user, period)
    chart = {
        "names": [str(line.rep) for line in lines],
        "rep": [_number(line.kpis.attainment) if line.kpis else None for line in lines],
        "team": [_number(line.team_kpis.attainment) if line.team_kpis else None for line in lines],
        "rep_label": _("Attainment"),
        "team_label": _("Team attainment"),
    }
    return render(
        request,
        "coaching/overview.html",
        {
            "period": period,
            "period_error": error,
            "lines": lines,
            "chart": chart,
            "has_coach": coach_of(request.user) is not None,
            "own_plan": OnboardingPlan.objects.filter(member=request.user).first(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def rep_detail(request, pk):
    rep = get_rep_for(request.user, pk)
    period, error = _period(request)
    form = NoteForm(request.POST or None, rep=rep)
    if request.method == "POST" and form.is_valid():
        try:
            add_note(rep, acting_user=request.user, **form.cleaned_data)
        except DomainError as problem:
            add_service_error(form, problem)
        else:
            messages.success(request, _("Note saved."))
            return redirect("coaching:rep_detail", rep.pk)
    card = scorecard(rep, period)
    mine, team = card.mine, card.team
    chart = {
        "labels": [_("Attainment"), _("Win rate")],
        "rep": [_number(mine.attainment), _number(mine.win_rate)] if mine else [None, None],
        "team": [_number(team.attainment), _number(team.win_rate)] if team else [None, None],
        "rep_label": str(rep),
        "team_label": rep.team.name if rep.team_id else _("Team"),
    }
    return render(
        request,
        "coaching/rep_detail.html",
        {
            "rep": rep,
            "coach": coach_of(rep),
            "is_coach": is_coach(request.user, rep),
            "period": period,
            "previous": period.previous,
            "next": period.shifted(1),
            "period_error": error,
            "card": card,
            "chart": chart,
            "goals": goals_of(rep),
            "notes": notes_about(request.user, rep),
            "form": form,
        },
    )


@login_required
@require_POST
def note_delete(request, pk):
    note = get_note_for(request.user, pk)
    rep_pk = note.rep_id
    try:
        delete_note(note, acting_user=request.user)
    except DomainError as problem:
        messages.error(request, problem.message)
    else:
        messages.success(request, _("Note deleted."))
    return redirect("coaching:rep_detail", rep_pk)
