"""`tandem demo [--scale N] [--seed S] [--reset]`: build the demo organisation and print logins."""

import datetime
import sys
import time

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone, translation
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from tqdm import tqdm

from tandem.core.commands import TandemCommand, language_from_environment
from tandem.demo.extensions import build_extensions, describe
from tandem.demo.generator import (
    DEALS_PER_UNIT,
    FIXED_LOGINS,
    DemoSummary,
    build_demo,
    delete_demo,
    demo_is_present,
    other_data_counts,
    username_clashes,
)
from tandem.users.models import Role

HELP = gettext_lazy(
    "Build a realistic, deterministic demo organisation and print a login for each role."
)


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        parser.add_argument(
            "--scale",
            type=int,
            default=1,
            help=_("Multiply the size: 1 is about 4,000 deals, 250 about a million."),
        )
        parser.add_argument(
            "--seed", type=int, default=1, help=_("The same seed builds the same data.")
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help=_("Delete the demo organisation first if it is already there."),
        )
        parser.add_argument(
            "--keep-existing",
            action="store_true",
            help=_("If the demo organisation is already there, keep it and print its logins."),
        )
        parser.add_argument(
            "--today",
            type=datetime.date.fromisoformat,
            help=_("Build as if today were this date (YYYY-MM-DD); default: today."),
        )

    def handle(self, *args, scale, seed, reset, keep_existing, today, **options):
        language = language_from_environment() or translation.get_language() or "en"
        with translation.override(language):
            self.run(scale=scale, seed=seed, reset=reset, keep_existing=keep_existing, today=today)

    def run(self, *, scale, seed, reset, keep_existing, today):
        if scale < 1:
            raise CommandError(_("--scale must be 1 or more."))
        executor = MigrationExecutor(connection)
        if executor.migration_plan(executor.loader.graph.leaf_nodes()):
            self.stdout.write(_("Creating the database tables …"))
            call_command("migrate", verbosity=0, interactive=False)

        others = other_data_counts()
        if others["accounts"] or others["deals"]:
            raise CommandError(
                _(
                    "The database already holds {accounts} accounts and {deals} deals that are "
                    "not part of the demo. The demo is only built into a database without other "
                    "customer data; use an empty database (e.g. another TANDEM_DATA_DIR)."
                ).format(**others)
            )
        if demo_is_present():
            if keep_existing and not reset:
                self.stdout.write(_("The demo organisation is already there; it was kept."))
                self.print_logins(DemoSummary(counts={}, logins=FIXED_LOGINS))
                return
            if not reset:
                raise CommandError(
                    _(
                        "The demo organisation is already there; nothing was changed. "
                        "Run `tandem demo --reset` to delete it and build it again."
                    )
                )
            self.stdout.write(_("Deleting the existing demo organisation …"))
            delete_demo()
        clashes = username_clashes()
        if clashes:
            raise CommandError(
                _("These usernames are taken by users outside the demo: {names}.").format(
                    names=", ".join(clashes)
                )
            )

        started = time.perf_counter()

        with tqdm(
            total=scale * DEALS_PER_UNIT,
            unit=_("deals"),
            desc=_("Demo"),
            disable=None,
            file=sys.stderr,
        ) as bar:
            summary = build_demo(scale=scale, seed=seed, today=today, on_deals=bar.update)
        extras = build_extensions(today or timezone.localdate())
        seconds = time.perf_counter() - started
        numbers = {
            name: number_format(value, force_grouping=True)
            for name, value in summary.counts.items()
        }
        numbers["seconds"] = number_format(seconds, decimal_pos=1)
        numbers["deals_per_second"] = number_format(
            round(summary.counts["deals"] / max(seconds, 1e-9)), force_grouping=True
        )
        self.stdout.write(
            _(
                "Built the demo organisation in {seconds} s: {users} users in {teams} teams, "
                "{accounts} accounts, {contacts} contacts, {contracts} contracts, {deals} deals "
                "({deals_per_second} per second), {stage_changes} stage changes, "
                "{activities} activities, {revenue_lines} revenue lines, {quotas} quotas."
            ).format(**numbers)
        )
        if extras:
            self.stdout.write(
                _("Also built: {items}.").format(
                    items=", ".join(
                        f"{number_format(n, force_grouping=True)} {label}"
                        for n, label in describe(extras)
                    )
                )
            )
        self.print_logins(summary)

    def print_logins(self, summary: DemoSummary) -> None:
        self.stdout.write("")
        self.stdout.write(_("Log in with one of these users:"))
        labels = dict(Role.choices)
        width = max(len(str(labels[role])) for role, _username in summary.logins)
        for role, username in summary.logins:
            self.stdout.write(f"  {str(labels[role]):<{width}}  {username}")
        self.stdout.write(
            _("Password for every demo user: {password}").format(password=summary.password)
        )
