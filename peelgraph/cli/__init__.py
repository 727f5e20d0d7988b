"""The ``peelgraph`` command: thin click commands, one library call each.

The group is here; each family of commands lives in its own module and loads only when
one of its commands runs (``peelgraph --help`` lists them without importing the
libraries behind them)::

    build.py     build, stats, validate,       query.py    query, queries
                 doctor, load
    show.py      export, viz                   network.py  network (central, brokers, path, impact, ...)
    serve.py     serve, push                   options.py  the options several commands share
    common.py    errors -> exit codes, the store path, the backend (--store, --store-kind, --endpoint)

``python -m peelgraph.cli.reference`` writes the README's command reference from these
commands (tests/test_docs.py fails when it is out of step).

Exit codes: 0 success; 1 the command ran and found violations (``validate``); 2 usage
error; 3 bad input (one line ``Error: ...`` on stderr, no traceback).
"""

from __future__ import annotations

import json
from pathlib import Path

import click

from peelgraph import __version__
from peelgraph.cli.common import handled
from peelgraph.cli.options import endpoint_option

__all__ = ["main", "handled"]


class LazyGroup(click.Group):
    """A group whose command families load only when invoked (``peelgraph --help`` stays fast)."""

    lazy: dict[str, str] = {
        "build": "peelgraph.cli.build:build",
        "stats": "peelgraph.cli.build:stats",
        "validate": "peelgraph.cli.build:validate",
        "doctor": "peelgraph.cli.build:doctor",
        "load": "peelgraph.cli.build:load",
        "query": "peelgraph.cli.query:query",
        "queries": "peelgraph.cli.query:queries",
        "search": "peelgraph.cli.query:search",
        "export": "peelgraph.cli.show:export",
        "viz": "peelgraph.cli.show:viz",
        "network": "peelgraph.cli.network:network",
        "serve": "peelgraph.cli.serve:serve",
        "push": "peelgraph.cli.serve:push",
    }

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *self.lazy})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in self.lazy and name not in self.commands:
            import importlib

            module, attr = self.lazy[name].split(":")
            self.add_command(getattr(importlib.import_module(module), attr), name)
        return super().get_command(ctx, name)


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="peelgraph")
@click.option("--store", type=click.Path(path_type=Path), default=None, envvar="PEELGRAPH_STORE", metavar="PATH",
              help="Store folder (default: $PEELGRAPH_STORE, else ~/.cache/peelgraph/store).")
@click.option("--store-kind", type=click.Choice(["oxigraph", "memory"]), default="oxigraph", show_default=True,
              help="Query the persisted pyoxigraph store, or load the graph into rdflib's memory store.")
@endpoint_option(envvar="PEELGRAPH_ENDPOINT",
                 help="Run queries and network commands against this SPARQL 1.1 endpoint instead.")
@click.option("--endpoint-method", type=click.Choice(["auto", "get", "form", "direct"]), default="auto",
              show_default=True, envvar="PEELGRAPH_ENDPOINT_METHOD",
              help="How queries go to --endpoint: GET while the URL stays within 2,048 characters, else a "
                   "form-encoded POST (auto); always GET; always a form POST; or a direct POST "
                   "(application/sparql-query, which Virtuoso 7 never answers).")
@click.pass_context
def main(ctx: click.Context, store: Path | None, store_kind: str, endpoint: str | None,
         endpoint_method: str) -> None:
    """peelgraph: police inspection (PEEL) reports as a knowledge graph with evidence.

    Examples:

    \b
      peelgraph build
      peelgraph query partners-of -p entity=IOM
      peelgraph network impact THRIVE
      peelgraph --store corpus --store-kind memory query judgments
      peelgraph --endpoint http://127.0.0.1:8890/sparql query judgments --timeout 120
    """
    ctx.ensure_object(dict)
    ctx.obj["store"] = store
    ctx.obj["store_kind"] = store_kind
    ctx.obj["endpoint"] = endpoint
    ctx.obj["endpoint_method"] = endpoint_method


def _echo_errors(result: object) -> None:
    """The false positives and false negatives of an evaluation, a line each."""
    for kind in ("false_positives", "false_negatives"):
        for fact_type, items in getattr(result, kind).items():
            for item in items:
                click.echo(f"  {kind[:-1].replace('_', ' ')} {fact_type}: {item}")


@main.command("eval")
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--errors", is_flag=True, help="Also list the false positives and false negatives, and the facts that "
              "match only leniently (a wrong kind, type, direction or polarity).")
@click.option("--by-rule", is_flag=True, help="Also score each rule (precision and recall of the facts it found).")
@click.option("--other", "other", type=click.Path(path_type=Path, file_okay=False), default=None,
              help="Also score the texts in other wording in this folder against its expected.json, strictly, "
                   "pooled (with --format json the output becomes {\"reports\": [...], \"other\": {...}}).")
@handled
def eval_(reports: tuple[Path, ...], fmt: str, errors: bool, by_rule: bool, other: Path | None) -> None:
    """Score the rules alone (no curation) against each report's gold annotation.

    Strict scores (an entity of the gold's kind; a relation of its type and direction; a
    finding sharing at least half its span, of its polarity) beside the lenient ones, and
    the share of findings matched on span whose polarity is right. With no REPORTS, the
    shipped reports are scored. A report's gold annotation is ``gold/NAME.json`` beside the
    report's folder; a report without one is an error (exit 3).

    Examples:

    \b
      peelgraph eval
      peelgraph eval --by-rule
      peelgraph eval --format json --errors
      peelgraph eval data/reports/warwickshire-effectiveness-2016.txt
      peelgraph eval --other tests/data/other
    """
    from peelgraph.ask.evaluate import (
        evaluate,
        evaluate_other,
        format_other_table,
        format_rule_table,
        format_table,
        other_to_json,
        to_json,
    )
    from peelgraph.errors import ReportError
    from peelgraph.resources import gold_file, shipped_reports

    paths = list(reports) or shipped_reports()
    results = []
    for p in paths:
        gold = gold_file(Path(p).resolve())
        if not gold.is_file():
            raise ReportError(f"no gold annotation at {gold}", path=str(p))
        results.append(evaluate(p, gold))
    if other is not None and not (other / "expected.json").is_file():
        raise ReportError(f"no expectations at {other / 'expected.json'}", path=str(other))
    pooled = evaluate_other(other) if other is not None else None
    if fmt == "json":
        out = [to_json(r, errors=errors, by_rule=by_rule) for r in results]
        payload: object = out[0] if len(out) == 1 else out
        if pooled is not None:
            payload = {"reports": out, "other": other_to_json(pooled, errors=errors)}
        click.echo(json.dumps(payload, indent=1, ensure_ascii=False))
        return
    for p, r in zip(paths, results, strict=True):
        click.echo(f"{r.report}  (rules alone, against {gold_file(Path(p).resolve()).name})")
        click.echo(format_table(r))
        if by_rule:
            click.echo("")
            click.echo(format_rule_table(r))
        if errors:
            _echo_errors(r)
            for fact_type, items in (r.strict.mismatches.items() if r.strict is not None else ()):
                for item in items:
                    click.echo(f"  lenient only {fact_type}: {item}")
    if pooled is not None:
        click.echo("")
        click.echo(format_other_table(pooled))
        if errors:
            _echo_errors(pooled)

