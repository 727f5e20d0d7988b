"""The README's command reference is what the code generates (the sqlite-utils habit, kept with a
generator as cog keeps sqlite-utils' docs), and every command's help shows examples that parse."""

from __future__ import annotations

import shlex
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from peelgraph.cli import main
from peelgraph.cli.reference import END, START, cli, commands, reference, update

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
COMMANDS = list(commands())
#: Commands whose help has no examples yet, and why.
NO_EXAMPLES_YET: dict[str, str] = {}
WITH_EXAMPLES = [("peelgraph", main), *((p, c) for p, c in COMMANDS if p not in NO_EXAMPLES_YET)]


def test_the_readme_command_reference_is_what_the_code_generates() -> None:
    assert update(README) == README, "the README's command reference is out of step: python -m peelgraph.cli.reference"


@pytest.mark.parametrize(("path", "cmd"), COMMANDS, ids=[p for p, _ in COMMANDS])
def test_the_reference_lists_every_command_argument_and_option(path: str, cmd: click.Command) -> None:
    text = reference()
    line = next((ln for ln in text.splitlines() if ln.startswith(f"- `{path}")), None)
    assert line is not None, f"`{path}` is not in the reference"
    for param in cmd.params:
        if isinstance(param, click.Argument):
            assert (param.name or "").upper() in line, (path, param.name)
        elif isinstance(param, click.Option):
            assert all(f"`{o}" in line for o in param.opts), (path, param.opts)


def test_the_reference_shows_the_global_options() -> None:
    text = reference()
    for param in main.params:
        if isinstance(param, click.Option):
            assert all(o in text for o in param.opts if o.startswith("--")), param.opts
    assert text.startswith(START) and text.endswith(END)


def _examples(cmd: click.Command) -> list[str]:
    help_text = cmd.help or ""
    if "Examples:" not in help_text:
        return []
    block = help_text.split("Examples:", 1)[1]
    return [ln.strip() for ln in block.splitlines() if ln.strip().startswith("peelgraph ")]


@pytest.mark.parametrize(("path", "cmd"), WITH_EXAMPLES, ids=[p for p, _ in WITH_EXAMPLES])
def test_every_command_shows_examples_that_parse(path: str, cmd: click.Command,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    examples = _examples(cmd)
    assert examples, f"`{path} --help` shows no examples"
    assert all(ex.startswith(path + " ") or ex.startswith("peelgraph --") or ex == path for ex in examples), examples
    runs: list[str] = []
    for sub_path, sub in commands():  # every command does nothing but note that it ran
        if not isinstance(sub, click.Group):
            monkeypatch.setattr(sub, "callback", lambda *a, _p=sub_path, **k: runs.append(_p))
    for ex in examples:
        args = shlex.split(ex)[1:]
        if ">" in args:
            args = args[: args.index(">")]
        res = CliRunner().invoke(main, args, obj={})
        assert res.exit_code == 0, f"{ex!r} does not parse: {res.output}"
    assert len(runs) == len(examples)


def test_the_commands_without_examples_are_still_without() -> None:
    """When one of them gains examples, take it off NO_EXAMPLES_YET so that its examples are checked."""
    for path in NO_EXAMPLES_YET:
        assert not _examples(dict(COMMANDS)[path]), f"{path} has examples now: remove it from NO_EXAMPLES_YET"


def test_the_examples_are_shown_verbatim_by_help() -> None:
    res = CliRunner().invoke(main, ["query", "--help"], prog_name="peelgraph")
    assert ("  Examples:\n\n    peelgraph query judgments --format csv\n"
            "    peelgraph query partners-of -p entity=IOM\n") in res.output


def test_the_script_rewrites_and_checks(tmp_path: Path) -> None:
    readme = tmp_path / "README.md"
    readme.write_text(f"# x\n\n{START}\nold text\n{END}\n\nmore\n", encoding="utf-8")
    assert CliRunner().invoke(cli, ["--check", str(readme)]).exit_code == 1
    assert CliRunner().invoke(cli, [str(readme)]).exit_code == 0
    assert readme.read_text(encoding="utf-8") == f"# x\n\n{reference()}\n\nmore\n"
    assert CliRunner().invoke(cli, ["--check", str(readme)]).exit_code == 0
    readme.write_text("no markers\n", encoding="utf-8")
    with pytest.raises(ValueError, match="no command reference"):
        update(readme.read_text(encoding="utf-8"))
