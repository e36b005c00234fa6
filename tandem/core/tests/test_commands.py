"""Every `tandem` command of Tandem's own apps speaks the terminal's language: it is a
TandemCommand, and with a German terminal its `--help` (and each subcommand's) shows the command's
and every argument's help in German, none left in English.

A new command fails here until it subclasses TandemCommand and its help texts are translated."""

import argparse
import re

import pytest
from django.core.management import get_commands, load_command_class
from django.core.management.base import BaseCommand
from django.utils import translation

from tandem.core.commands import TandemCommand

COMMANDS = sorted((name, app) for name, app in get_commands().items() if app.startswith("tandem."))

# Django's own options (--verbosity, --settings, …) and argparse's -h keep their own texts.
DJANGOS_OWN = {action.dest for action in BaseCommand().create_parser("tandem", "x")._actions}


def help_texts(parser: argparse.ArgumentParser, path: tuple[str, ...] = ()):
    """(subcommand path, help text) of the command itself and of every argument and subcommand
    it adds, through all its subcommands."""
    if parser.description:
        yield path, parser.description
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for choice in action._choices_actions:
                yield path, choice.help
            for name, subparser in action.choices.items():
                yield from help_texts(subparser, (*path, name))
        elif action.dest not in DJANGOS_OWN and action.help not in (None, argparse.SUPPRESS):
            yield path, action.help


def in_language(app: str, name: str, language: str) -> list[tuple[tuple[str, ...], str]]:
    with translation.override(language):
        parser = load_command_class(app, name).create_parser("tandem", name)
        return [(path, str(text)) for path, text in help_texts(parser)]


def printed_help(app, name, path, monkeypatch, capsys, lang: str) -> str:
    """What `tandem NAME [SUBCOMMAND …] --help` prints in a terminal with this LANG."""
    for variable in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(variable, raising=False)
    monkeypatch.setenv("LANG", lang)
    capsys.readouterr()
    with pytest.raises(SystemExit) as leaving:
        load_command_class(app, name).run_from_argv(["tandem", name, *path, "--help"])
    assert leaving.value.code == 0
    return capsys.readouterr().out


def squeezed(text: str) -> str:
    """Without any white space, so that argparse's line wrapping does not matter."""
    return re.sub(r"\s+", "", text)


def test_the_walk_finds_tandems_commands():
    names = {name for name, _app in COMMANDS}
    assert {"demo", "import", "export", "token", "serve", "kpis_rollup"} <= names
    assert "migrate" not in names


@pytest.mark.parametrize(("name", "app"), COMMANDS, ids=[name for name, _app in COMMANDS])
def test_the_command_is_a_tandem_command(name, app):
    assert isinstance(load_command_class(app, name), TandemCommand)


@pytest.mark.parametrize(("name", "app"), COMMANDS, ids=[name for name, _app in COMMANDS])
def test_the_help_is_german_in_a_german_terminal(name, app, monkeypatch, capsys):
    english = in_language(app, name, "en")
    german = in_language(app, name, "de")
    assert english, f"tandem {name} has no help text"
    untranslated = [
        text for (_path, text), (_, deutsch) in zip(english, german, strict=True) if text == deutsch
    ]
    assert untranslated == [], f"tandem {name}: no German for these help texts"
    for path in dict.fromkeys(path for path, _text in english):
        shown = printed_help(app, name, path, monkeypatch, capsys, "de_DE.UTF-8")
        assert shown != printed_help(app, name, path, monkeypatch, capsys, "en_GB.UTF-8")
        command = " ".join(("tandem", name, *path))
        for text in (text for where, text in german if where == path):
            assert squeezed(text) in squeezed(shown), f"{command} --help does not show: {text}"
        for text in (text for where, text in english if where == path):
            assert squeezed(text) not in squeezed(shown), f"{command} --help shows: {text}"
