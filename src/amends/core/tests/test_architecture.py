"""The layer order is written in three places: the contract `make check` enforces (pyproject.toml), the
architecture note and the README. This keeps the two documents saying what the contract does."""

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[4]


def _contract() -> list[str]:
    config = tomllib.loads((REPO / "pyproject.toml").read_text())
    layers = next(
        c["layers"] for c in config["tool"]["importlinter"]["contracts"] if c.get("type") == "layers"
    )
    # Siblings ("amends.practice | amends.knowledge", neither importing the other): "practice | knowledge".
    return [" | ".join(part.strip().removeprefix("amends.") for part in layer.split("|")) for layer in layers]


def test_the_architecture_note_lists_the_layers_of_the_contract_highest_first():
    note = (REPO / "docs" / "design" / "architecture.md").read_text()
    block = note.split("## Layers", 1)[1].split("```", 2)[1]
    named = [re.match(r"\w+(?: \| \w+)*", line.strip()) for line in block.strip().splitlines()]
    assert [m.group(0) for m in named if m] == _contract()


def test_the_readme_lists_the_layers_of_the_contract_lowest_first():
    readme = (REPO / "README.md").read_text()
    line = readme.split("The apps sit in layers, lowest first:", 1)[1].split("\n\n", 2)[1]
    names = [name for layer in reversed(_contract()) for name in layer.split(" | ")]
    assert re.findall(r"`(\w+)`", line) == names
