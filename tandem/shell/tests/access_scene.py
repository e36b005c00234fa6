"""The records the authorisation matrix calls every route with, built once per module.

Three sides, each with one record of every kind: "north" (alice's, team North under mona),
"south" (bob's, team South under sam) and "key" (kim's key account). A role's record inside
its scope and one outside it are picked by `SIDES`; records every role shares (a salary
band, a compensation plan) are the same on every side.
"""

import datetime
from decimal import Decimal

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from tandem.accountplans.services import add_action, create_plan
from tandem.accounts.models import Tier
from tandem.approvals import services as approvals
from tandem.coaching.services import add_note
from tandem.compensation.models import CompensationPlan, SalaryBand
from tandem.hiring.models import OnboardingStep
from tandem.hiring.services import add_candidate, create_onboarding_plan, open_position
from tandem.insights.models import PostKind
from tandem.insights.services import create_post
from tandem.jobs.models import Job, JobStatus
from tandem.keyaccounts.models import Handover, HandoverStatus
from tandem.people.models import RoleFitResult, RoleProfile
from tandem.people.selectors import current_questionnaire
from tandem.people.services import add_development_goal
from tandem.pipeline.services import DEAL_CHANGE
from tandem.quotas.models import QuotaMetric
from tandem.quotas.services import set_quota
from tandem.users.services import create_api_token
from testsupport.builders import (
    Org,
    make_account,
    make_activity,
    make_contact,
    make_contract,
    make_deal,
    make_product,
    make_user,
)

ROLES = ("anonymous", "rep", "manager", "kam", "head", "admin")
PERSONA = {"rep": "alice", "manager": "mona", "kam": "kim", "head": "hanna", "admin": "otto"}
# (inside, outside) the role's scope; the Head of Sales and admins see all three sides.
SIDES = {
    "anonymous": ("north", "south"),
    "rep": ("north", "south"),
    "manager": ("north", "south"),
    "kam": ("key", "north"),
    "head": ("north", "key"),
    "admin": ("north", "south"),
}
# A KAM's handovers are the ones addressed to them (north's go to kim, south's to kurt).
KIND_SIDES = {
    "kam": {"handover": ("north", "south"), "submitted_handover": ("north", "south")},
}


def _side(org: Org, name: str, owner, manager, product, kurt) -> dict[str, object]:
    """One record of every kind on one side; `owner` owns the accounts and deals."""
    tier = Tier.KEY_ACCOUNT if name == "key" else Tier.STANDARD
    account = make_account(owner, f"{name.title()} Account", tier=tier)
    key_account = make_account(owner, f"{name.title()} Key Account", tier=Tier.KEY_ACCOUNT)
    deal = make_deal(owner, account, name=f"{name.title()} Deal", product=product)
    contact = make_contact(account)
    contract = make_contract(
        account, start_on=datetime.date(2025, 7, 1), end_on=datetime.date(2026, 6, 30)
    )
    activity = make_activity(account, owner, deal=deal)
    # records nothing hangs on: an account and a product to delete, a deal to give an account
    empty_account = make_account(owner, f"{name.title()} Empty Account")
    loose_deal = make_deal(owner, None, name=f"{name.title()} Loose Deal")
    # a second account of the owner for the handovers (one open handover per account)
    proposed_for = make_account(owner, f"{name.title()} Handover Account")
    submitted_for = make_account(owner, f"{name.title()} Submitted Account")
    to_kam = org.kim if name == "north" else kurt
    handover = Handover.objects.create(
        account=proposed_for, from_user=owner, to_kam=to_kam, proposed_by=owner
    )
    submitted = Handover.objects.create(
        account=submitted_for,
        from_user=owner,
        to_kam=to_kam,
        proposed_by=owner,
        status=HandoverStatus.SUBMITTED,
        submitted_at=timezone.now(),
        customer_needs="Needs",
        commitments="Commitments",
        risks="Risks",
    )
    plan_editor = owner
    plan = create_plan(
        key_account, 2026, acting_user=plan_editor, objectives="Grow", growth_target_percent=10
    )
    action = add_action(
        plan,
        acting_user=plan_editor,
        title="Call the CFO",
        function="sales",
        owner=owner,
        due_on=datetime.date(2026, 9, 30),
    )
    # insights are written by KAMs, announcements by Sales Managers
    author, kind = (owner, PostKind.INSIGHT) if name == "key" else (manager, PostKind.ANNOUNCEMENT)
    post = create_post(acting_user=author, kind=kind, title=f"{name} post", body="Text")
    person = owner
    coach = manager
    goal = add_development_goal(person, acting_user=coach, title="Negotiation")
    # a KAM has no coach: the note on that side is their own
    note = add_note(person, acting_user=coach if name != "key" else owner, text="Good call")
    quota = set_quota(
        acting_user=org.hanna,
        metric=QuotaMetric.WON_VALUE,
        period="2026Q3",
        target=Decimal("1000"),
        user=person,
    )
    team = org.north if name == "north" else org.south
    position = open_position(
        acting_user=org.hanna,
        title=f"{name} rep",
        team=team,
        profile=RoleProfile.objects.order_by("position").first(),
        hiring_manager=manager if name != "key" else None,
    )
    candidate = add_candidate(position, acting_user=org.hanna, name=f"{name} candidate")
    newcomer = make_user(f"{name}_newcomer", team=team)
    onboarding = create_onboarding_plan(newcomer, acting_user=org.hanna, manager=manager)
    step = OnboardingStep.objects.filter(plan=onboarding).order_by("position").first()
    token, _raw = create_api_token(owner, name=f"{name} token", acting_user=owner)
    # a personal plan: role plans are company policy, open to everybody
    comp_plan = CompensationPlan.objects.create(
        name=f"{name} pay",
        role=owner.role,
        user=owner,
        valid_from=datetime.date(2026, 1, 1),
        base_pay=Decimal("50000"),
        variable_target=Decimal("10000"),
    )
    # the owner's change to their own deal, waiting for a second person
    approval = approvals.ask(
        kind=DEAL_CHANGE,
        rule="own_won_deal_value",
        subject=deal,
        subject_type="pipeline.deal",
        subject_repr=deal.name,
        changes={"value": ["1000", "2000"]},
        payload={"changes": {"value": "2000"}},
        acting_user=owner,
    )
    # an export the owner asked for, done, and a job of theirs that failed
    export = ContentFile(b"name\r\n" + name.encode() + b"\r\n")
    job = Job.objects.create(
        kind="exports.write",
        requested_by=owner,
        status=JobStatus.DONE,
        result={"file": default_storage.save(f"exports/{name}/deals.csv", export), "rows": 1},
    )
    failed_job = Job.objects.create(
        kind="keyaccounts.refresh", requested_by=owner, status=JobStatus.FAILED, error="Boom"
    )
    questionnaire = current_questionnaire()
    rolefit = RoleFitResult.objects.create(
        questionnaire=questionnaire,
        user=owner,
        kam_points=1,
        sales_manager_points=2,
        clarity="clearly",
    )
    return {
        "account": account,
        "key_account": key_account,
        "deal": deal,
        "empty_account": empty_account,
        "loose_deal": loose_deal,
        "contact": contact,
        "contract": contract,
        "activity": activity,
        "handover": handover,
        "submitted_handover": submitted,
        "plan": plan,
        "action": action,
        "post": post,
        "person": person,
        "goal": goal,
        "note": note,
        "quota": quota,
        "position": position,
        "candidate": candidate,
        "onboarding": onboarding,
        "step": step,
        "token": token,
        "rolefit": rolefit,
        "comp_plan": comp_plan,
        "approval": approval,
        "job": job,
        "failed_job": failed_job,
    }


def build_scene(org: Org) -> dict[str, dict[str, object]]:
    """{side: {kind: record}}, plus the records every side shares."""
    kurt = make_user("kurt", "kam")
    product = make_product("AUTHZ")
    scene = {
        "north": _side(org, "north", org.alice, org.mona, product, kurt),
        "south": _side(org, "south", org.bob, org.sam, product, kurt),
        "key": _side(org, "key", org.kim, org.hanna, product, kurt),
    }
    shared = {
        "product": product,
        "band": SalaryBand.objects.order_by("pk").first(),
        "spare_product": make_product("SPARE"),
    }
    for records in scene.values():
        records.update(shared)
    return scene


def records_for(sides: dict, role: str, scope: str) -> dict:
    """The records of the side inside (scope "in") or outside the role's scope."""
    pick = 0 if scope == "in" else 1
    records = dict(sides[SIDES[role][pick]])
    for kind, pair in KIND_SIDES.get(role, {}).items():
        records[kind] = sides[pair[pick]][kind]
    return records
