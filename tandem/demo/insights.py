"""Demo insights and announcements on top of the demo organisation: KAMs share what they hear
from their key accounts, Sales Managers announce products and initiatives. Deterministic: the
same demo and day give the same posts."""

import datetime

from django.utils import timezone

from tandem.accounts.models import Sector, Tier
from tandem.catalog.models import Product
from tandem.demo.marks import demo_accounts, demo_users
from tandem.insights.models import PostKind
from tandem.insights.services import backdate_post, create_post
from tandem.users.models import Role

# (kind, days ago, title, text, tag the author's biggest key account?, product codes, sectors)
POSTS = [
    (
        PostKind.INSIGHT,
        2,
        "Manufacturers ask for predictive maintenance",
        "Three of my manufacturing accounts asked for sensor data on their lines this quarter. "
        "They want the Orbit Edge Server with a maintenance dashboard, not another ERP module.",
        False,
        ["ORB-EDGE"],
        ["manufacturing"],
    ),
    (
        PostKind.INSIGHT,
        5,
        "Consolidating ERP vendors after the merger",
        "The new CFO wants one ERP vendor for all sites by next year. Their subsidiaries buy "
        "from two competitors today: talk to them about Atlas Enterprise before the tender.",
        True,
        ["ATL-ENT"],
        [],
    ),
    (
        PostKind.INSIGHT,
        9,
        "Retail freezes analytics budgets",
        "Retailers I work with have frozen new analytics spending until the Christmas season "
        "is over. Offer Nova Insights as a pilot with a small first invoice instead.",
        False,
        ["NOV-INS", "NOV-FOR"],
        ["retail"],
    ),
    (
        PostKind.INSIGHT,
        14,
        "Decision makers want references from their own sector",
        "In every renewal this month the board asked for two references from their own sector. "
        "Keep a list of happy customers per sector ready before the first meeting.",
        False,
        [],
        [],
    ),
    (
        PostKind.ANNOUNCEMENT,
        1,
        "Nova Forecast 3.0 ships next month",
        "Forecasts per site and product, and a planning view for buyers. Existing customers "
        "get the upgrade with their subscription; ask your key accounts for a pilot site.",
        False,
        ["NOV-FOR"],
        [],
    ),
    (
        PostKind.ANNOUNCEMENT,
        4,
        "Premium Support for every Atlas Enterprise customer",
        "This quarter's initiative: every Atlas Enterprise customer without Premium Support "
        "gets a three-month trial. Name the accounts where you want it in the next QBR.",
        False,
        ["SRV-SUP", "ATL-ENT"],
        [],
    ),
    (
        PostKind.ANNOUNCEMENT,
        8,
        "Trade fair in Hanover: invite your key accounts",
        "We have a stand and a meeting room for three days. Each KAM can invite up to five "
        "decision makers; the team books hotels until the end of the month.",
        False,
        [],
        [],
    ),
    (
        PostKind.ANNOUNCEMENT,
        12,
        "A new partner for the logistics sector",
        "A logistics software partner now resells our Orbit IoT line. Their consultants can "
        "join your customer visits; ask the partner desk for a name.",
        False,
        ["ORB-G2"],
        ["logistics"],
    ),
]


def build_demo(today: datetime.date) -> dict[str, int]:
    users = demo_users().filter(is_active=True).order_by("pk")
    kams = list(users.filter(role=Role.KEY_ACCOUNT_MANAGER))
    managers = list(users.filter(role=Role.SALES_MANAGER))
    if not kams or not managers:
        return {"insights": 0, "announcements": 0}
    products = {p.code: p for p in Product.objects.all()}
    sectors = {s.code: s for s in Sector.objects.all()}
    made = {PostKind.INSIGHT: 0, PostKind.ANNOUNCEMENT: 0}
    noon = datetime.time(12, 0)
    for index, (kind, days_ago, title, body, tag_account, codes, sector_codes) in enumerate(POSTS):
        authors = kams if kind == PostKind.INSIGHT else managers
        author = authors[index % len(authors)]
        accounts = []
        if tag_account:
            biggest = (
                demo_accounts()
                .filter(owner=author, tier=Tier.KEY_ACCOUNT)
                .order_by("-annual_revenue", "pk")
                .first()
            )
            accounts = [biggest] if biggest else []
        post = create_post(
            acting_user=author,
            kind=kind,
            title=title,
            body=body,
            accounts=accounts,
            products=[products[c] for c in codes if c in products],
            sectors=[sectors[c] for c in sector_codes if c in sectors],
        )
        when = timezone.make_aware(
            datetime.datetime.combine(today - datetime.timedelta(days=days_ago), noon)
        )
        backdate_post(post, when)
        made[kind] += 1
    return {"insights": made[PostKind.INSIGHT], "announcements": made[PostKind.ANNOUNCEMENT]}
