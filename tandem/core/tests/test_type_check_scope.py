"""The type checks' scope grows, never shrinks: every services, selectors, bulk and rules module,
and every module of core and kpis (tests aside), is in `[tool.mypy] files` of pyproject.toml,
so mypy (scripts/test) checks a new one from its first commit on."""

import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

# every module matching one of these must be checked
REQUIRED = (
    "tandem/*/services.py",
    "tandem/*/selectors.py",
    "tandem/*/bulk.py",
    "tandem/*/rules.py",
)
# every module inside these packages must be checked
REQUIRED_PACKAGES = ("tandem/core", "tandem/kpis")


def checked_entries(pyproject: Path = ROOT / "pyproject.toml") -> list[str]:
    return tomllib.loads(pyproject.read_text())["tool"]["mypy"]["files"]


def is_test(path: str) -> bool:
    return "/tests/" in f"/{path}"


def required_modules(root: Path = ROOT) -> set[str]:
    found = {str(path.relative_to(root)) for pattern in REQUIRED for path in root.glob(pattern)}
    for package in REQUIRED_PACKAGES:
        found |= {str(path.relative_to(root)) for path in (root / package).rglob("*.py")}
    return {path for path in found if not is_test(path)}


def unchecked(entries: list[str], modules: set[str]) -> list[str]:
    """The modules no entry covers: an entry is a file or a folder (everything under it)."""
    covered = [entry.rstrip("/") for entry in entries]
    return sorted(
        module
        for module in modules
        if not any(module == entry or module.startswith(entry + "/") for entry in covered)
    )


def test_every_required_module_is_type_checked():
    missing = unchecked(checked_entries(), required_modules())
    assert not missing, (
        "Add these to [tool.mypy] files in pyproject.toml (and fix what mypy finds): "
        + ", ".join(missing)
    )


def test_every_entry_exists():
    """An entry that names nothing (a module renamed or moved) checks nothing."""
    gone = [entry for entry in checked_entries() if not (ROOT / entry).exists()]
    assert not gone, f"[tool.mypy] files names what is not there: {gone}"


def test_a_missing_module_is_found():
    modules = required_modules()
    assert "tandem/pipeline/services.py" in modules
    assert "tandem/core/formatting.py" in modules
    assert not any(is_test(module) for module in modules)
    every = sorted(modules)
    assert unchecked(every, modules) == []
    without_services = [e for e in every if e != "tandem/pipeline/services.py"]
    assert unchecked(without_services, modules) == ["tandem/pipeline/services.py"]
    assert "tandem/kpis/sales.py" not in unchecked(["tandem/kpis/"], modules)
    assert "tandem/core/formatting.py" in unchecked(["tandem/kpis"], modules)
