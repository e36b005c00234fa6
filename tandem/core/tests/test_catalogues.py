"""Every app speaks German: its catalogue has a translation for every message, none fuzzy.

(`tandem makemessages -l de` run in an app's folder brings new messages in; this test then
fails until they are translated.)"""

import re
from pathlib import Path

import pytest

APPS_DIR = Path(__file__).resolve().parents[2]
CATALOGUES = sorted(APPS_DIR.glob("*/locale/de/LC_MESSAGES/django.po"))


def untranslated(path: Path) -> list[str]:
    problems = []
    for entry in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        if entry.lstrip().startswith("#~"):
            continue  # obsolete: no longer used
        msgid = re.search(r'^msgid "(.*)"', entry, re.M)
        label = msgid.group(1) if msgid else entry[:60]
        if re.search(r"^#,.*\bfuzzy\b", entry, re.M):
            problems.append(f"fuzzy: {label}")
        elif re.search(r'^msgstr(\[\d\])? ""$(?!\n")', entry, re.M):
            problems.append(f"empty: {label}")
    return problems


def test_every_app_with_texts_has_a_german_catalogue():
    apps_with_templates_or_models = {
        path.parent.name
        for path in APPS_DIR.glob("*/apps.py")
        if (path.parent / "templates").exists() or (path.parent / "models.py").exists()
    }
    with_catalogue = {path.parts[-5] for path in CATALOGUES}
    assert apps_with_templates_or_models - with_catalogue <= {"formats"}


@pytest.mark.parametrize("path", CATALOGUES, ids=lambda p: p.parts[-5])
def test_the_german_catalogue_is_complete(path):
    assert untranslated(path) == []


def translations(path: Path) -> dict[str, str]:
    """The message (context, id and plural) -> its German text, as written in the catalogue."""
    found = {}
    for entry in path.read_text(encoding="utf-8").split("\n\n")[1:]:
        if entry.lstrip().startswith("#~"):
            continue
        source = re.findall(r'^(?:msgctxt|msgid|msgid_plural) ((?:".*"\n?)+)', entry, re.M)
        target = re.findall(r'^msgstr(?:\[\d\])? ((?:".*"\n?)+)', entry, re.M)
        if source:
            found[" / ".join(text.strip() for text in source)] = " / ".join(
                text.strip() for text in target
            )
    return found


def test_no_message_is_translated_two_ways():
    """Django merges the catalogues and the first app wins: a second translation of the same
    message would never be shown (give it a context, pgettext, if it needs one)."""
    seen: dict[str, tuple[str, str]] = {}
    clashes = []
    for path in CATALOGUES:
        for message, text in translations(path).items():
            first = seen.setdefault(message, (path.parts[-5], text))
            if first[1] != text:
                clashes.append(f"{message} in {first[0]} and {path.parts[-5]}")
    assert clashes == []
