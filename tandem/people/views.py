"""People pages: career ladders, the role-fit questionnaire (open to anonymous visitors),
competency models, and a person's ratings, goals and career position."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from tandem.core.errors import DomainError
from tandem.core.lists import add_service_error, filtered_list
from tandem.people.filters import PersonFilterSet
from tandem.people.forms import (
    AssessmentForm,
    CareerPositionForm,
    DevelopmentGoalForm,
    RoleFitForm,
)
from tandem.people.models import AssessmentKind
from tandem.people.selectors import (
    career_ladders,
    career_position_of,
    career_standing,
    competency_gaps,
    competency_profiles,
    current_questionnaire,
    get_person_for,
    get_result,
    manages,
    profile_for,
    role_fit_results_of,
    visible_goals,
    visible_people,
)
from tandem.people.services import (
    add_development_goal,
    create_assessment,
    explain,
    set_career_position,
    set_goal_status,
    take_role_fit,
)

STEP_WIDTH, STEP_HEIGHT, STEP_GAP, ROW_HEIGHT, TOP = 176, 56, 26, 110, 34


def ladder_picture(ladders, position=None, next_step=None) -> dict:
    """Boxes and arrows of the ladders for the SVG on the career page."""
    rows, width = [], 0
    for row, ladder in enumerate(ladders):
        y = TOP + row * ROW_HEIGHT
        boxes = []
        for index, step in enumerate(ladder.steps.all()):
            x = 10 + index * (STEP_WIDTH + STEP_GAP)
            years = f"{step.years_from}–{step.years_to}" if step.years_to else f"{step.years_from}+"
            state = ""
            if position is not None and step.pk == position.step_id:
                state = "current"
            elif next_step is not None and step.pk == next_step.pk:
                state = "next"
            boxes.append(
                {
                    "step": step,
                    "x": x,
                    "y": y,
                    "cx": x + STEP_WIDTH / 2,
                    "arrow_from": x + STEP_WIDTH,
                    "arrow_to": x + STEP_WIDTH + STEP_GAP - 4,
                    "mid_y": y + STEP_HEIGHT / 2,
                    "years": years,
                    "state": state,
                }
            )
            width = max(width, x + STEP_WIDTH + 10)
        rows.append({"ladder": ladder, "boxes": boxes, "title_y": y - 10})
    return {
        "rows": rows,
        "width": width,
        "height": TOP + len(rows) * ROW_HEIGHT - 30,
        "step_width": STEP_WIDTH,
        "step_height": STEP_HEIGHT,
    }


def overview(request):
    """The career ladders, and — signed in — where a person stands and what is missing."""
    person, standing = None, None
    if request.user.is_authenticated:
        person = request.user
        if request.GET.get("person"):
            try:
                person = get_person_for(request.user, int(request.GET["person"]))
            except ValueError:
                raise Http404 from None
        standing = career_standing(person)
    ladders = list(career_ladders())
    picture = ladder_picture(
        ladders,
        position=standing.position if standing else None,
        next_step=standing.next_step if standing else None,
    )
    context = {"ladders": ladders, "picture": picture, "person": person, "standing": standing}
    return render(request, "people/overview.html", context)


@require_http_methods(["GET", "POST"])
def rolefit(request):
    questionnaire = current_questionnaire()
    if questionnaire is None:
        raise Http404(_("No questionnaire has been published yet."))
    form = RoleFitForm(request.POST or None, questionnaire=questionnaire)
    if request.method == "POST" and form.is_valid():
        try:
            result = take_role_fit(
                form.answers(), acting_user=request.user, questionnaire=questionnaire
            )
        except (DomainError, ValidationError) as error:
            add_service_error(form, error)
        else:
            return redirect("people:rolefit_result", token=result.token)
    previous = role_fit_results_of(request.user)[:5] if request.user.is_authenticated else []
    return render(
        request,
        "people/rolefit.html",
        {"form": form, "questionnaire": questionnaire, "previous": previous},
    )


def rolefit_result(request, token):
    result = get_result(token)
    person = request.user if request.user.is_authenticated else None
    return render(
        request, "people/rolefit_result.html", {"explanation": explain(result, person=person)}
    )


def competencies(request):
    return render(request, "people/competencies.html", {"profiles": competency_profiles()})


@login_required
def people_list(request):
    people = visible_people(request.user).select_related("team")
    return filtered_list(
        request,
        PersonFilterSet(request.GET, queryset=people, user=request.user),
        entity="people",
        list_id="people",
        template="people/people_list.html",
        partial="people/_people_results.html",
    )


def _radar(rows, profile) -> dict:
    return {
        "indicators": [{"name": row.competency.label, "max": 5} for row in rows],
        "series": [
            {
                "name": _("Expected for {role}").format(role=profile.label),
                "values": [row.expected for row in rows],
            },
            {"name": _("Self-assessment"), "values": [row.self_level or 0 for row in rows]},
            {"name": _("Manager's assessment"), "values": [row.manager_level or 0 for row in rows]},
        ],
    }


@login_required
@require_http_methods(["GET", "POST"])
def person_detail(request, pk):
    user = request.user
    person = get_person_for(user, pk)
    profile = profile_for(person)
    kind = AssessmentKind.SELF if user.pk == person.pk else AssessmentKind.MANAGER
    may_rate = profile is not None and (user.pk == person.pk or manages(user, person))
    may_write = user.pk == person.pk or manages(user, person)
    action = request.POST.get("action")
    assessment_form = (
        AssessmentForm(
            request.POST if action == "assess" else None,
            profile=profile,
            kind=kind,
            prefix="assess",
        )
        if may_rate
        else None
    )
    goal_form = DevelopmentGoalForm(request.POST if action == "goal" else None, prefix="goal")
    position = career_position_of(person)
    position_form = CareerPositionForm(
        request.POST if action == "position" else None,
        prefix="position",
        initial=(
            {
                "step": position.step_id,
                "years_in_sales": position.years_in_sales,
                "leadership_years": position.leadership_years,
            }
            if position
            else None
        ),
    )
    if request.method == "POST":
        form = {"assess": assessment_form, "goal": goal_form, "position": position_form}.get(action)
        if form is not None and form.is_valid():
            try:
                if action == "assess":
                    create_assessment(
                        person,
                        acting_user=user,
                        kind=kind,
                        levels=form.levels(),
                        note=form.cleaned_data["note"],
                        profile=profile,
                    )
                    messages.success(request, _("Assessment saved."))
                elif action == "goal":
                    add_development_goal(person, acting_user=user, **form.cleaned_data)
                    messages.success(request, _("Development goal added."))
                else:
                    set_career_position(person, acting_user=user, **form.cleaned_data)
                    messages.success(request, _("Career position saved."))
            except (DomainError, ValidationError) as error:
                add_service_error(form, error)
            else:
                return redirect("people:person_detail", pk=person.pk)
    rows = competency_gaps(person, profile) if profile else []
    context = {
        "person": person,
        "profile": profile,
        "rows": rows,
        "radar": _radar(rows, profile) if profile else None,
        "goals": visible_goals(user).filter(person=person).select_related("competency"),
        "assessment_form": assessment_form,
        "assessment_kind": AssessmentKind(kind).label,
        "goal_form": goal_form,
        "position_form": position_form,
        "may_write": may_write,
        "standing": career_standing(person),
    }
    return render(request, "people/person_detail.html", context)


@login_required
@require_POST
def goal_status(request, pk):
    goal = visible_goals(request.user).filter(pk=pk).select_related("person").first()
    if goal is None:
        raise Http404
    try:
        set_goal_status(goal, acting_user=request.user, status=request.POST.get("status", ""))
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("people:person_detail", pk=goal.person_id)
