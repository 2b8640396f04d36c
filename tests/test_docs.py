"""Docs that cannot drift: every command, setting, hook, source kind and field is documented."""

from __future__ import annotations

from itertools import takewhile
from pathlib import Path

import click
import pytest

from horchposten import hookspecs
from horchposten.cli import cli
from horchposten.config import Settings
from horchposten.plugins import plugins
from horchposten.sources.records import CSV_FIELDS

ROOT = Path(__file__).parent.parent
DOCS = ROOT / "docs"


def _all_docs() -> str:
    return "\n".join(
        p.read_text(encoding="utf-8") for p in [ROOT / "README.md", *DOCS.glob("*.md")]
    )


def _command_paths(group: click.Group, prefix: str = "") -> list[str]:
    paths = []
    for name, command in group.commands.items():
        paths.append(f"{prefix}{name}")
        if isinstance(command, click.Group):
            paths += _command_paths(command, f"{prefix}{name} ")
    return paths


def _command_word(word: str) -> bool:
    return word.replace("-", "").isalnum() and word.islower()


def _listed_commands() -> set[str]:
    """The commands docs/cli.md's table lists: the words of each row's `horchposten …`
    up to its first argument or option ("topic add NAME --query Q" lists "topic add")."""
    listed = set()
    for line in (DOCS / "cli.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| `horchposten "):
            usage = line.split("`")[1].split()[1:]
            listed.add(" ".join(takewhile(_command_word, usage)))
    return listed


@pytest.mark.parametrize("path", _command_paths(cli))
def test_every_command_is_in_the_command_list(path: str) -> None:
    """Each command and subcommand has its row in docs/cli.md's table (a group, such as
    `token`, through its subcommands' rows)."""
    listed = _listed_commands()
    assert any(row == path or row.startswith(path + " ") for row in listed), (
        f"'horchposten {path}' has no row in docs/cli.md's command list"
    )


def _settings() -> list[str]:
    keys = []
    for section, field in Settings.model_fields.items():
        model = field.annotation
        if isinstance(model, type) and hasattr(model, "model_fields"):
            keys += [f"{section}.{key}" for key in model.model_fields]
    return keys


@pytest.mark.parametrize("key", _settings())
def test_every_setting_is_documented(key: str) -> None:
    assert f"`{key}`" in (DOCS / "configuration.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("hook", [n for n in dir(hookspecs) if n.startswith("register_")])
def test_every_hook_is_documented(hook: str) -> None:
    assert f"`{hook}(" in (DOCS / "architecture.md").read_text(encoding="utf-8")


@pytest.mark.parametrize("kind", sorted(plugins().source_factories()))
def test_every_source_kind_and_setting_is_documented(kind: str) -> None:
    text = (DOCS / "sources.md").read_text(encoding="utf-8")
    assert f"## `{kind}`" in text
    section = text.split(f"## `{kind}`", 1)[1].split("\n## ", 1)[0]
    for setting in plugins().source_factory(kind).settings_model.model_fields:
        assert f"`{setting}`" in section, f"{kind} setting {setting} is undocumented"


@pytest.mark.parametrize("field", CSV_FIELDS)
def test_every_interchange_field_is_documented(field: str) -> None:
    text = (DOCS / "interchange.md").read_text(encoding="utf-8")
    head, _, tail = field.partition(".")
    assert f"`{field}`" in text or f"`.{tail}`" in text or f"`{head}.{tail}`" in text
