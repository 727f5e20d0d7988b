"""The README's command reference, written from the click commands themselves.

``python -m peelgraph.cli.reference`` rewrites the part of ``README.md`` between the marker
comments :data:`START` and :data:`END`: the global options, then every command (the
sub-commands of a group too) with its arguments, the first paragraph of its help and its
options, one line each. ``--check`` changes nothing and exits 1 when the README is out of
step (tests/test_docs.py does the same). This module imports every command family; the
``peelgraph`` command itself never imports it.

Example:
    >>> print(command_line("peelgraph queries", _command("queries")))
    - `peelgraph queries`: List the canned queries: name, title, parameters and columns. Options: `--format table|json`.
"""

from __future__ import annotations

import re
import sys
from collections.abc import Iterator
from pathlib import Path

import click

from peelgraph.cli import main

__all__ = ["START", "END", "commands", "command_line", "reference", "update", "README"]

START = "<!-- command reference: start (written by python -m peelgraph.cli.reference; do not edit) -->"
END = "<!-- command reference: end -->"
README = Path(__file__).resolve().parents[2] / "README.md"


def commands(group: click.Group = main, prefix: str = "peelgraph") -> Iterator[tuple[str, click.Command]]:
    """Every command under ``group`` as ``(its command line, the command)``, sorted by name; a
    group comes before its sub-commands."""
    ctx = click.Context(group, info_name=prefix)
    for name in group.list_commands(ctx):
        cmd = group.get_command(ctx, name)
        if cmd is None or cmd.hidden:
            continue
        path = f"{prefix} {name}"
        yield path, cmd
        if isinstance(cmd, click.Group):
            yield from commands(cmd, path)


def _command(path: str) -> click.Command:
    """The command at ``path`` below ``peelgraph`` (e.g. ``network ego``)."""
    return dict(commands())["peelgraph " + path]


def _option(param: click.Option) -> str:
    names = "/".join(f"`{o}`" for o in sorted(param.opts, key=lambda o: (not o.startswith("--"), o)))
    if isinstance(param.type, click.Choice):
        longest = max(param.opts, key=len)
        names = names.replace(f"`{longest}`", f"`{longest} {'|'.join(map(str, param.type.choices))}`")
    return names


def _argument(param: click.Argument) -> str:
    name = (param.metavar or param.name or "").upper()
    if param.nargs == -1:
        name += "..."
    return name if param.required else f"[{name}]"


def _summary(cmd: click.Command) -> str:
    """The first paragraph of the command's help, on one line."""
    text = (cmd.help or "").strip()
    return " ".join(text.split("\n\n", 1)[0].split())


def command_line(path: str, cmd: click.Command) -> str:
    """One line of the reference: the command, its arguments, what it does, its options."""
    args = " ".join(_argument(p) for p in cmd.params if isinstance(p, click.Argument))
    opts = [_option(p) for p in cmd.params if isinstance(p, click.Option) and not p.hidden]
    line = f"- `{path}{' ' + args if args else ''}`: {_summary(cmd)}"
    if opts:
        line += " Options: " + ", ".join(opts) + "."
    return line


def _global_usage() -> str:
    parts = []
    for p in main.params:
        if not isinstance(p, click.Option) or p.hidden:
            continue
        name = max(p.opts, key=len)
        if p.is_flag:
            parts.append(f"[{name}]")
        elif isinstance(p.type, click.Choice):
            parts.append(f"[{name} {'|'.join(map(str, p.type.choices))}]")
        else:
            parts.append(f"[{name} {p.metavar or p.type.name.upper()}]")
    return "peelgraph " + " ".join(parts) + " COMMAND"


def reference() -> str:
    """The command reference, between its markers."""
    lines = [
        START,
        "Every command and its options, written from the code by `python -m peelgraph.cli.reference` (a",
        "test keeps it in step); `--help` on any command explains each option. Global options come",
        "before the command:",
        "",
        f"`{_global_usage()}`",
        "",
        *(command_line(path, cmd) for path, cmd in commands()),
        END,
    ]
    return "\n".join(lines)


def update(text: str) -> str:
    """``text`` (the README) with its command reference rewritten.

    Raises:
        ValueError: the markers are missing or out of order.
    """
    m = re.search(re.escape(START) + r".*?" + re.escape(END), text, re.S)
    if m is None:
        raise ValueError(f"the README has no command reference between {START!r} and {END!r}")
    return text[: m.start()] + reference() + text[m.end():]


@click.command()
@click.option("--check", is_flag=True, help="Change nothing; exit 1 when the README is out of step.")
@click.argument("readme", type=click.Path(path_type=Path, dir_okay=False), default=README)
def cli(check: bool, readme: Path) -> None:
    """Write the command reference into README (default: the project's README.md)."""
    text = readme.read_text(encoding="utf-8")
    new = update(text)
    if check:
        if new != text:
            click.echo(f"{readme}: the command reference is out of step; run python -m peelgraph.cli.reference",
                       err=True)
            sys.exit(1)
        return
    if new != text:
        readme.write_text(new, encoding="utf-8")
        click.echo(f"Wrote the command reference into {readme}", err=True)


if __name__ == "__main__":
    cli()
