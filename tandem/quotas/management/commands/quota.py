"""`tandem quota set|import|list`: quotas from the command line, through the quota services."""

from pathlib import Path

from django.core.exceptions import PermissionDenied
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.approvals.models import Approval
from tandem.core.commands import TandemCommand
from tandem.core.errors import DomainError
from tandem.quotas.filters import QuotaFilterSet
from tandem.quotas.models import QuotaMetric
from tandem.quotas.selectors import visible_quotas
from tandem.quotas.services import import_quotas, set_quota
from tandem.users.commands import team_named, user_named, viewer

HELP = gettext_lazy("Set, import or list quotas (per person or team, metric and period).")


class Command(TandemCommand):
    help = HELP

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        setter = sub.add_parser("set", help=gettext_lazy("set one quota"))
        whom = setter.add_mutually_exclusive_group(required=True)
        whom.add_argument("--person", help=gettext_lazy("username of the person"))
        whom.add_argument("--team", help=gettext_lazy("name of the team"))
        setter.add_argument("--metric", choices=QuotaMetric.values, default=QuotaMetric.WON_VALUE)
        setter.add_argument("--period", required=True, help=gettext_lazy("2017Q3, 2017-05 or 2017"))
        setter.add_argument("--target", required=True)
        importer = sub.add_parser("import", help=gettext_lazy("quotas from a CSV file"))
        importer.add_argument("path", metavar="FILE")
        importer.add_argument(
            "--dry-run", action="store_true", help=gettext_lazy("check, write nothing")
        )
        lister = sub.add_parser("list", help=gettext_lazy("list quotas"))
        lister.add_argument("--period", help=gettext_lazy("only quotas within this period"))
        lister.add_argument("--metric", choices=QuotaMetric.values)
        for p in (setter, importer, lister):
            p.add_argument(
                "--user", help=gettext_lazy("who acts (default: the first active admin)")
            )

    def handle(self, *args, action, **options):
        acting = viewer(options.get("user"))
        try:
            getattr(self, f"do_{action}")(acting, options)
        except DomainError as error:
            raise CommandError(error.message) from None
        except PermissionDenied as error:
            raise CommandError(str(error)) from None

    def do_set(self, acting, options):
        quota = set_quota(
            acting_user=acting,
            user=user_named(options["person"]) if options.get("person") else None,
            team=team_named(options["team"]) if options.get("team") else None,
            metric=options["metric"],
            period=options["period"],
            target=options["target"],
        )
        if isinstance(quota, Approval):
            self.stdout.write(
                _("Waiting for a second person's approval: {what}").format(what=quota.subject_repr)
            )
            return
        self.stdout.write(self.style.SUCCESS(_("Quota set: {quota}").format(quota=_line(quota))))

    def do_import(self, acting, options):
        path = Path(options["path"])
        if not path.exists():
            raise CommandError(_("No file {path}.").format(path=path))
        result = import_quotas(
            path.read_text(encoding="utf-8-sig"), acting_user=acting, dry_run=options["dry_run"]
        )
        for line, message in result.errors:
            self.stdout.write(_("line {line}: {message}").format(line=line, message=message))
        if result.errors:
            raise CommandError(_("Rejected: no quota was changed."))
        self.stdout.write(
            self.style.SUCCESS(
                _("{created} created, {changed} changed, {unchanged} unchanged{dry}.").format(
                    created=result.created,
                    changed=result.changed,
                    unchanged=result.unchanged,
                    dry=_(" (dry run: nothing written)") if result.dry_run else "",
                )
            )
        )

    def do_list(self, acting, options):
        """The quotas of the API's and the page's list (QuotaFilterSet), in its order."""
        quotas = visible_quotas(acting).select_related("user", "team")
        data = {name: options.get(name) for name in ("period", "metric") if options.get(name)}
        filters = QuotaFilterSet(data, queryset=quotas, user=acting)
        if filters.errors:
            raise CommandError(
                "; ".join(" ".join(messages) for messages in filters.errors.values())
            )
        quotas, _sort = filters.ordered(filters.qs, None)
        for quota in quotas:
            self.stdout.write(_line(quota))


def _line(quota) -> str:
    whom = quota.user.username if quota.user_id else _("team {name}").format(name=quota.team)
    return f"{whom}  {quota.metric}  {quota.period.code}  {quota.target}"
