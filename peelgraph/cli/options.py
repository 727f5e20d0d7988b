"""The options several commands share, each defined once: a decorator per option.

Each factory takes what differs between commands (a default, the choices, the help) and
keeps the rest (name, type, destination, range) the same everywhere, so ``--format`` or
``--timeout`` mean the same thing on every command that takes them.

Example:
    >>> import click
    >>> @click.command()
    ... @format_option()
    ... @timeout_option(30.0, "Time limit in seconds.")
    ... def demo(fmt: str, timeout: float) -> None:
    ...     click.echo(f"{fmt} {timeout:g}")
    >>> from click.testing import CliRunner
    >>> CliRunner().invoke(demo, ["--format", "json", "--timeout", "2"]).output
    'json 2\\n'
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from peelgraph.ask.execute import MAX_TIMEOUT
from peelgraph.vocab import VIEWS

__all__ = [
    "view_option",
    "report_option",
    "format_option",
    "output_option",
    "timeout_option",
    "Seconds",
    "top_option",
    "endpoint_option",
    "VIEW_HELP",
    "REPORT_HELP",
]

F = TypeVar("F", bound=Callable[..., Any])

VIEW_HELP = "Which projection of the graph: " + ", ".join(VIEWS) + " (see 'peelgraph network --help')."
REPORT_HELP = "Only this report (its IRI or id, e.g. warwickshire-police-effectiveness-2016)."


def view_option(default: str | None = "partners", choices: Sequence[str] = VIEWS,
                help: str = VIEW_HELP) -> Callable[[F], F]:
    """``--view``: a network view (one of :data:`peelgraph.vocab.VIEWS`, or the given ``choices``)."""
    return click.option("--view", type=click.Choice(list(choices)), default=default,
                        show_default=default is not None, help=help)


def report_option(help: str = REPORT_HELP) -> Callable[[F], F]:
    """``--report``: only one report (its IRI or id)."""
    return click.option("--report", default=None, metavar="REPORT", help=help)


def format_option(choices: Sequence[str] = ("table", "json"), default: str = "table",
                  help: str | None = None) -> Callable[[F], F]:
    """``--format`` (into the parameter ``fmt``): how the answer is printed."""
    return click.option("--format", "fmt", type=click.Choice(list(choices)), default=default, show_default=True,
                        help=help)


def output_option(required: bool = False, help: str = "The file to write.") -> Callable[[F], F]:
    """``--output``/``-o``: the file to write (written atomically)."""
    return click.option("--output", "-o", type=click.Path(path_type=Path), required=required, default=None,
                        help=help)


class Seconds(click.ParamType):
    """A time limit: a finite number of seconds, more than 0 and at most :data:`MAX_TIMEOUT`
    (``nan``, ``inf``, ``0`` and negative numbers are refused with a usage error).

    Example:
        >>> Seconds().convert("2.5", None, None)
        2.5
        >>> Seconds().convert("nan", None, None)
        Traceback (most recent call last):
        ...
        click.exceptions.BadParameter: 'nan' is not a time limit: give a number of seconds more than 0 and at most 86400
    """

    name = "seconds"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> float:
        try:
            seconds = float(value)
        except (TypeError, ValueError):
            seconds = math.nan
        if not 0 < seconds <= MAX_TIMEOUT:  # also false for nan
            self.fail(f"{value!r} is not a time limit: give a number of seconds more than 0 and at most "
                      f"{MAX_TIMEOUT:g}", param, ctx)
        return seconds


def timeout_option(default: float, help: str) -> Callable[[F], F]:
    """``--timeout``: a time limit in seconds, more than 0 and at most a day (:class:`Seconds`)."""
    return click.option("--timeout", type=Seconds(), default=default, show_default=True, metavar="SECONDS",
                        help=help)


def top_option(default: int | None, help: str) -> Callable[[F], F]:
    """``--top``: at most this many (1 or more)."""
    return click.option("--top", type=click.IntRange(min=1), default=default, show_default=default is not None,
                        help=help)


def endpoint_option(required: bool = False, help: str = "A SPARQL 1.1 query endpoint.",
                    envvar: str | None = None) -> Callable[[F], F]:
    """``--endpoint``: a SPARQL 1.1 query endpoint URL."""
    return click.option("--endpoint", metavar="URL", required=required, default=None, envvar=envvar, help=help)
