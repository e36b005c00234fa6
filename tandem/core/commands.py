"""What Tandem's commands share: help and messages in the terminal's language, and the
argument types they all parse the same way."""

import datetime
import os

from django.core.management.base import BaseCommand, CommandError
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext as _


def language_from_environment() -> str | None:
    """German output for a German terminal (LANGUAGE, LC_ALL, LC_MESSAGES or LANG)."""
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name, "")
        if value:
            return "de" if value.lower().startswith("de") else "en"
    return None


class TandemCommand(BaseCommand):
    """A command whose help text and messages follow the terminal's language. Set `help` to a
    gettext_lazy text."""

    # Django types help as str; ours is lazy until the parser is made (create_parser)
    help: str | Promise = ""  # type: ignore[assignment]

    def run_from_argv(self, argv):
        with translation.override(language_from_environment() or translation.get_language()):
            super().run_from_argv(argv)

    def print_help(self, prog_name, subcommand):
        with translation.override(language_from_environment() or translation.get_language()):
            super().print_help(prog_name, subcommand)

    def create_parser(self, prog_name, subcommand, **kwargs):
        self.help = str(self.help)
        return super().create_parser(prog_name, subcommand, **kwargs)


def day(text: str) -> datetime.date:
    """An argparse type: a day written YYYY-MM-DD."""
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        raise CommandError(_("Not a date (YYYY-MM-DD): {text}").format(text=text)) from None
