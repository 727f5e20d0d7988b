"""The README documents every command and every option (the sqlite-utils habit)."""

from __future__ import annotations

from pathlib import Path

import click
import pytest

from peelgraph.cli import main

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands() -> list[tuple[str, click.Command]]:
    ctx = click.Context(main)
    out: list[tuple[str, click.Command]] = []

    def walk(prefix: str, group: click.Group) -> None:
        for name in group.list_commands(ctx):
            cmd = group.get_command(ctx, name)
            assert cmd is not None
            path = f"{prefix} {name}".strip()
            out.append((path, cmd))
            if isinstance(cmd, click.Group):
                walk(path, cmd)

    walk("", main)
    return out


COMMANDS = _commands()


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_command_is_documented(path: str, cmd: click.Command) -> None:
    assert f"peelgraph {path}" in README, f"`peelgraph {path}` is not in the README"
    for param in cmd.params:
        if isinstance(param, click.Option):
            longs = [o for o in param.opts if o.startswith("--")]
            assert any(o in README for o in longs), f"{path}: option {longs} is not in the README"


def test_global_options_are_documented() -> None:
    for param in main.params:
        if isinstance(param, click.Option):
            assert any(o in README for o in param.opts if o.startswith("--")), param.opts
