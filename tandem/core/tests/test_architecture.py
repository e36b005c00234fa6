"""The house's shape (docs/architecture.md): imports inside functions say why, and the pictures
of the floors are the ones the contracts draw. The contracts themselves are checked by
`lint-imports` in scripts/test."""

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
SOURCES = sorted(
    path
    for folder in ("tandem", "testsupport", "bench", "scripts")
    for path in (ROOT / folder).rglob("*.py")
    if "migrations" not in path.parts
)


def unexplained_inner_imports(source: str) -> list[int]:
    """The lines of imports inside a function whose block has no comment: neither on the line
    above the block's first import nor at the end of one of its lines."""
    lines = source.split("\n")
    found = []
    for function in ast.walk(ast.parse("\n".join(lines))):
        if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        for block in import_blocks(function):
            first, last = block[0].lineno, block[-1].end_lineno
            above = lines[first - 2].strip()
            trailing = any("#" in lines[n - 1] for n in range(first, last + 1))
            if not above.startswith("#") and not trailing:
                found.append(first)
    return found


def import_blocks(function) -> list[list[ast.stmt]]:
    """Runs of import statements that follow each other, in any body inside `function`."""
    blocks = []
    for node in ast.walk(function):
        for field in ("body", "orelse", "finalbody", "handlers"):
            statements = getattr(node, field, None)
            if not isinstance(statements, list):
                continue  # a lambda's body is one expression
            run = []
            for statement in statements:
                if isinstance(statement, ast.Import | ast.ImportFrom):
                    run.append(statement)
                    continue
                if run:
                    blocks.append(run)
                run = []
            if run:
                blocks.append(run)
    return blocks


def test_every_import_inside_a_function_says_why():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for path in SOURCES
        for line in unexplained_inner_imports(path.read_text(encoding="utf-8"))
    ]
    assert found == [], "Move these imports to the top, or say why on the line above: " + ", ".join(
        found
    )


def test_an_unexplained_inner_import_is_found():
    source = (
        "def explained():\n"
        "    # WeasyPrint is slow to load\n"
        "    import weasyprint\n"
        "\n"
        "\n"
        "def unexplained():\n"
        "    x = 1\n"
        "    import json\n"
        "    return x\n"
    )
    assert unexplained_inner_imports(source) == [8]


def test_the_floors_pictures_match_the_contracts():
    check = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "floors.py"), "--check"],
        capture_output=True,
        text=True,
    )
    assert check.returncode == 0, check.stdout + check.stderr
