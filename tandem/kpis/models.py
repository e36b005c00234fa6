"""Rollups: the deals folded per owner and month, so the cockpit reads thousands of rows, not
millions. They are derived data, never edited by hand: `tandem.kpis.rollup` fills them and keeps
them fresh (see its docstring). Foreign keys without database constraints: a rollup row may
briefly outlive its deal or owner until the next refresh, and must never block a deletion."""

from django.db import models

from tandem.pipeline.models import Channel, Deal, Stage
from tandem.users.models import Team, User


def _fk(model, **extra):
    field = models.OneToOneField if extra.get("primary_key") else models.ForeignKey
    return field(model, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+", **extra)


class Rollup(models.Model):
    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{type(self).__name__} {self.pk}"


class Fact(models.TextChoices):
    WON = "won"  # deals won, by close month
    LOST = "lost"  # deals lost, by close month
    CREATED = "created"  # deals created, by creation month (with the furthest stage reached)
    CLOSING = "closing"  # open deals, by expected close month


class DealMonth(Rollup):
    """Deals per owner, channel, month and fact: counts, value and cycle-day sums (the KPIs
    per product, asked for rarely, still read the deals)."""

    month = models.DateField()
    fact = models.CharField(max_length=8, choices=Fact.choices)
    owner = _fk(User)
    channel = _fk(Channel, null=True)
    # created rows only: the furthest open stage position the deal reached (-1: none), and the
    # outcome of its stage now (the funnel of the month's cohort)
    reached = models.SmallIntegerField(default=-1)
    outcome = models.CharField(max_length=8, blank=True)
    deals = models.IntegerField()
    value = models.DecimalField(max_digits=18, decimal_places=2)
    cycle_deals = models.IntegerField(default=0)  # won rows: deals with a known cycle
    cycle_days = models.BigIntegerField(default=0)  # won rows: their cycle days summed

    class Meta:
        indexes = [
            models.Index(fields=["month"]),
            models.Index(fields=["owner", "month"]),
        ]


class CompanyMonth(Rollup):
    """DealMonth summed over every owner: what the Head of Sales' whole-company figures read
    (a few hundred rows a quarter, whatever the size of the company)."""

    month = models.DateField()
    fact = models.CharField(max_length=8, choices=Fact.choices)
    channel = _fk(Channel, null=True)
    reached = models.SmallIntegerField(default=-1)
    outcome = models.CharField(max_length=8, blank=True)
    deals = models.IntegerField()
    value = models.DecimalField(max_digits=18, decimal_places=2)
    cycle_deals = models.IntegerField(default=0)
    cycle_days = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month"])]


class TeamMonth(Rollup):
    """DealMonth summed per team (the owners' current teams) and fact, over every channel: the
    Head of Sales' teams side by side read a few rows per team, not per rep."""

    month = models.DateField()
    team = _fk(Team, null=True)  # NULL: the people without a team
    fact = models.CharField(max_length=8, choices=Fact.choices)
    deals = models.IntegerField()
    value = models.DecimalField(max_digits=18, decimal_places=2)
    cycle_deals = models.IntegerField(default=0)
    cycle_days = models.BigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["month"]), models.Index(fields=["team", "month"])]


class TeamQuota(Rollup):
    """The quotas summed per team, metric and quota period: the team's own quota (`own`) and
    its members' personal quotas (`members`; team NULL: the people without a team). The Head
    of Sales' company quota reads a few rows per team, not every rep's quota."""

    metric = models.CharField(max_length=20)
    period_start = models.DateField()
    period_end = models.DateField()
    team = _fk(Team, null=True)
    own = models.DecimalField(max_digits=18, decimal_places=2, null=True)
    members = models.DecimalField(max_digits=18, decimal_places=2, null=True)

    class Meta:
        indexes = [models.Index(fields=["period_start"])]


class FirstWin(Rollup):
    """The deals that won their account as a customer: won, with no win of the same account
    closed on an earlier day (about one row per customer)."""

    deal = _fk(Deal, primary_key=True)
    account_id = models.BigIntegerField()
    closed_on = models.DateField()
    owner = _fk(User)
    channel = _fk(Channel, null=True)

    class Meta:
        indexes = [models.Index(fields=["closed_on"]), models.Index(fields=["account_id"])]


class VisitMonth(Rollup):
    """Stage visits that ended (the deal's next stage change) in a month: count and days."""

    month = models.DateField()
    owner = _fk(User)
    stage = _fk(Stage)
    visits = models.IntegerField()
    days = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["month"]), models.Index(fields=["owner", "month"])]


class VisitDay(Rollup):
    """The same per day: only read for the partial months at the edges of a window."""

    day = models.DateField()
    owner = _fk(User)
    stage = _fk(Stage)
    visits = models.IntegerField()
    days = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["day"]), models.Index(fields=["owner", "day"])]


class ActivityMonth(Rollup):
    """Activities per owner (who did them) and local month."""

    month = models.DateField()
    owner = _fk(User)
    activities = models.IntegerField()

    class Meta:
        indexes = [models.Index(fields=["month"]), models.Index(fields=["owner", "month"])]


class CompanyVisitMonth(Rollup):
    """VisitMonth summed over every owner."""

    month = models.DateField()
    stage = _fk(Stage)
    visits = models.IntegerField()
    days = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["month"])]


class CompanyVisitDay(Rollup):
    """VisitDay summed over every owner."""

    day = models.DateField()
    stage = _fk(Stage)
    visits = models.IntegerField()
    days = models.FloatField()

    class Meta:
        indexes = [models.Index(fields=["day"])]


class OpenDeal(Rollup):
    """Every open deal with its last touch: the latest of its last stage change, its last
    activity and its creation day."""

    deal = _fk(Deal, primary_key=True)
    owner = _fk(User)
    stage = _fk(Stage)
    last_touch = models.DateTimeField(null=True)

    class Meta:
        indexes = [
            models.Index(fields=["last_touch"]),
            models.Index(fields=["owner"]),
            models.Index(fields=["stage", "last_touch"]),  # stalled deals: a range per stage
        ]


class Stale(Rollup):
    """Owners and accounts whose rollup rows must be recomputed before the next read."""

    owner_id = models.BigIntegerField(null=True)
    account_id = models.BigIntegerField(null=True)
    team_id = models.BigIntegerField(null=True)  # a team that gained or lost a member


class RollupState(Rollup):
    """One row: the highest deal, stage change and activity ids the rollups have seen (rows
    written in bulk, past the services, show up as higher ids); `complete` is False until the
    first full build, and again when everything must be rebuilt."""

    complete = models.BooleanField(default=False)
    deal_max = models.BigIntegerField(default=0)
    change_max = models.BigIntegerField(default=0)
    activity_max = models.BigIntegerField(default=0)
