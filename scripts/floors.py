"""Draw the floors between Tandem's apps from the import-linter contracts in pyproject.toml.

    python scripts/floors.py           rewrite the pictures in README.md and docs/architecture.md
    python scripts/floors.py --check   fail if a picture differs from what the contracts say

The contract with id "floors" lists the floors from the top; its name labels them
("Floors: shell > io > …"). Each further layers contract orders the apps of one floor; two
forbidden contracts between the same two groups of apps mark two wings that stand apart.
"""

import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
START, END = "<!-- floors:start (scripts/floors.py draws this) -->", "<!-- floors:end -->"


def contracts() -> list[dict]:
    config = tomllib.loads((ROOT / "pyproject.toml").read_text())
    return config["tool"]["importlinter"]["contracts"]


def split(layer: str) -> list[str]:
    for delimiter in ("|", ":"):
        if delimiter in layer:
            return [name.strip() for name in layer.split(delimiter)]
    return [layer.strip()]


def ordered_chains() -> list[list[list[str]]]:
    """The apps ordered by a layers contract of their own floor, one chain per contract."""
    return [
        [split(layer) for layer in contract["layers"]]
        for contract in contracts()
        if contract["type"] == "layers" and contract["id"] != "floors"
    ]


def floors() -> list[tuple[str, list[list[list[str]]]]]:
    """[(floor label, [one chain per group of the floor: [[apps of a step], …]])], top first."""
    every = contracts()
    floor_contract = next(contract for contract in every if contract["id"] == "floors")
    labels = [label.strip() for label in floor_contract["name"].split(":", 1)[1].split(">")]
    chains = ordered_chains()
    drawn = []
    for label, layer in zip(labels, floor_contract["layers"], strict=True):
        apps = split(layer)
        mine = [chain for chain in chains if {app for step in chain for app in step} <= set(apps)]
        placed = {app for chain in mine for step in chain for app in step}
        loose = [app for app in apps if app not in placed]
        if loose:
            mine.append([loose])
        drawn.append((label, mine))
    return drawn


def apart(chains: list[list[list[str]]]) -> bool:
    """Whether forbidden contracts keep these groups of apps from importing each other."""
    groups = [{f"tandem.{app}" for step in chain for app in step} for chain in chains]
    pairs = {
        (frozenset(contract["source_modules"]), frozenset(contract["forbidden_modules"]))
        for contract in contracts()
        if contract["type"] == "forbidden"
    }
    return (
        len(groups) == 2
        and {
            (frozenset(groups[0]), frozenset(groups[1])),
            (frozenset(groups[1]), frozenset(groups[0])),
        }
        <= pairs
    )


def text_picture() -> str:
    """The floors as text. `a > b`: a may import b; `a | b`: neither imports the other;
    `‖`: two wings that never import each other."""
    width = max(len(label) for label, _ in floors()) + 2
    lines = []
    ordered = ordered_chains()
    for label, chains in floors():
        groups = [
            "  >  ".join((" | " if chain in ordered else ", ").join(step) for step in chain)
            for chain in chains
        ]
        lines.append(f"{label:<{width}}" + ("   ‖   " if apart(chains) else " · ").join(groups))
    return "```\n" + "\n".join(lines) + "\n```"


def mermaid_picture() -> str:
    """The floors as a Mermaid flowchart: a box per floor, an arrow for "imports from"."""
    out = ["```mermaid", "flowchart TB"]
    drawn = floors()
    for index, (label, chains) in enumerate(drawn):
        out.append(f'  subgraph floor{index}["{label}"]')
        out.append("    direction LR")
        for chain in chains:
            for step in chain:
                for app in step:
                    out.append(f"    {app}[{app}]")
            for upper, lower in zip(chain, chain[1:], strict=False):
                out.extend(f"    {a} --> {b}" for a in upper for b in lower)
        out.append("  end")
    out.extend(f"  floor{i} --> floor{i + 1}" for i in range(len(drawn) - 1))
    out.append("```")
    return "\n".join(out)


def with_picture(text: str, picture: str) -> str:
    before, rest = text.split(START, 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{picture}\n{END}{after}"


TARGETS = {"README.md": text_picture, "docs/architecture.md": mermaid_picture}


def main() -> int:
    check = "--check" in sys.argv[1:]
    stale = []
    for name, draw in TARGETS.items():
        path = ROOT / name
        text = path.read_text()
        drawn = with_picture(text, draw())
        if drawn != text:
            stale.append(name)
            if not check:
                path.write_text(drawn)
    if check and stale:
        print(f"Out of date with the contracts: {', '.join(stale)}. Run python scripts/floors.py")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
