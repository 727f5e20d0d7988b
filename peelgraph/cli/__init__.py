"""The ``peelgraph`` command: thin click commands, one library call each.

Exit codes: 0 success; 1 the command ran and found violations (``validate``); 2 usage
error; 3 bad input (one line ``Error: ...`` on stderr, no traceback).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from peelgraph import __version__
from peelgraph.cli.common import handled, open_db, store_path
from peelgraph.vocab import VIEWS


class LazyGroup(click.Group):
    """A group whose heavier command families load only when invoked (``peelgraph --help`` stays fast)."""

    lazy: dict[str, str] = {
        "network": "peelgraph.cli.network:network",
        "viz": "peelgraph.cli.show:viz",
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
@click.option("--store", type=click.Path(path_type=Path), default=None, envvar="PEELGRAPH_STORE",
              help="Store folder (default: $PEELGRAPH_STORE, else ~/.cache/peelgraph/store).")
@click.option("--store-kind", type=click.Choice(["oxigraph", "memory"]), default="oxigraph", show_default=True,
              help="Query the persisted pyoxigraph store, or load the graph into rdflib's memory store.")
@click.option("--endpoint", metavar="URL", default=None, envvar="PEELGRAPH_ENDPOINT",
              help="Run queries and network commands against this SPARQL 1.1 endpoint instead.")
@click.pass_context
def main(ctx: click.Context, store: Path | None, store_kind: str, endpoint: str | None) -> None:
    """peelgraph: police inspection (PEEL) reports as a knowledge graph with evidence."""
    ctx.ensure_object(dict)
    ctx.obj["store"] = store
    ctx.obj["store_kind"] = store_kind
    ctx.obj["endpoint"] = endpoint


@main.command()
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-curation", is_flag=True, help="Rules only: ignore the reports' curation files.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but warnings.")
@click.pass_context
@handled
def build(ctx: click.Context, reports: tuple[Path, ...], no_curation: bool, quiet: bool) -> None:
    """Build the graph of REPORTS: files (.txt or .pdf) and folders of them (default: the
    reports shipped in data/). A file that cannot be read is reported and skipped; the
    build fails (exit 3, store untouched) only when no report can be read."""
    from peelgraph.ask.stats import summary
    from peelgraph.resources import expand_inputs
    from peelgraph.store.oxigraph import OxigraphBackend, build_store

    store = store_path(ctx)
    inputs = expand_inputs(reports) if reports else []
    if len(inputs) > 1:
        with click.progressbar(length=len(inputs), label="Extracting", file=sys.stderr,
                               item_show_func=lambda p: p and Path(p).name) as bar:
            info = build_store(store, list(reports), curate=not no_curation, skip_bad=True,
                               progress=lambda p: bar.update(1, str(p)))
    else:
        info = build_store(store, list(reports), curate=not no_curation, skip_bad=True)
    for path, why in info.manifest["skipped"]:
        click.echo(f"Warning: skipped {path}: {why}", err=True)
    for w in info.manifest["warnings"]:
        click.echo(f"Warning: {w}", err=True)
    if quiet:
        return
    for s in summary(OxigraphBackend.open(store)):
        click.echo(f"{s.title}  [{s.report}]")
        click.echo(f"  force: {s.force}   pillar: {s.pillar}   year: {s.year}")
        click.echo("  judgements:")
        for q, grade, prev in s.judgements:
            extra = f"   (previous year: {prev})" if prev else ""
            click.echo(f"    {grade:<22} {q}{extra}")
        click.echo(f"  areas for improvement ({len(s.areas_for_improvement)}):")
        for q, text in s.areas_for_improvement:
            click.echo(f"    [{q}] {_short(text)}")
        click.echo(f"  recommendations ({len(s.recommendations)}):")
        for text, deadline, quoted, sub in s.recommendations:
            tag = " (quoted from another inspection)" if quoted else ""
            indent = "      " if sub else "    "
            click.echo(f"{indent}due {deadline or 'no date':<10} {_short(text)}{tag}")
    skipped = len(info.manifest["skipped"])
    click.echo(f"{info.manifest['triples']} triples from {len(info.manifest['reports'])} report(s) in {store}"
               + (f"; {skipped} file(s) skipped" if skipped else "")
               + (f"; {info.manifest['reused']} unchanged report(s) reused" if info.manifest.get("reused") else ""))


def _short(text: str, width: int = 110) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.pass_context
@handled
def stats(ctx: click.Context, fmt: str) -> None:
    """Counts by class, relations, evidence; facts from rules and from curation."""
    from peelgraph.ask.stats import stats as compute

    data = compute(open_db(ctx))
    if fmt == "json":
        click.echo(json.dumps(data, indent=1, sort_keys=True))
        return
    click.echo(f"reports: {data['reports']}   quads: {data['quads']} (triples in their report graphs)")
    f = data["facts"]
    click.echo(f"facts: {f['total']}  (from rules: {f['from_rules']}, from curation: {f['from_curation']})")
    for cls, n in data["classes"].items():
        click.echo(f"  {n:>6}  {cls}")


@main.command()
@click.pass_context
@handled
def validate(ctx: click.Context) -> None:
    """Check the graph against the SHACL shapes (exit 1 with a report when it does not conform)."""
    from peelgraph.ask.validate import validate_store
    from peelgraph.store.oxigraph import ensure_store

    result = validate_store(ensure_store(store_path(ctx)).nquads)
    if result.conforms:
        click.echo("Conforms: the graph satisfies every shape in ontology/shapes.ttl.")
        return
    click.echo(result.text)
    click.echo(f"Does not conform: {result.violations} violation(s).", err=True)
    sys.exit(1)


@main.command()
@click.option("--format", "fmt", required=True, metavar="FORMAT",
              help="RDF (the whole graph): ttl, nt, nq, trig, jsonld. Network (a view, see --view): graphml, gexf, "
                   "json, cytoscape, dot, csv (writes FILE.nodes.csv and FILE.edges.csv), svg, png.")
@click.option("--view", type=click.Choice(list(VIEWS)),
              default=None, help="With a network format: which view (default: partners).")
@click.option("--report", default=None, metavar="REPORT", help="With a network format: only this report.")
@click.option("--output", "-o", type=click.Path(path_type=Path), default=None,
              help="File, written atomically (default: stdout; csv needs a file).")
@click.pass_context
@handled
def export(ctx: click.Context, fmt: str, view: str | None, report: str | None, output: Path | None) -> None:
    """Export the graph (RDF formats) or a view of it (network formats) to a file or stdout."""
    from peelgraph.cli.show import run_export

    run_export(ctx, fmt, output, view, report)


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r} is not key=value", param_hint="-p")
        out[key.strip()] = value
    return out


@main.command()
@click.argument("name", required=False)
@click.option("-e", "--expression", help="SPARQL text to run instead of a named query or file.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter (repeatable); entity parameters take any label or acronym.")
@click.option("--format", "fmt", type=click.Choice(["table", "csv", "tsv", "json", "md"]), default="table",
              show_default=True, help="json is the SPARQL 1.1 Query Results JSON format.")
@click.option("--timeout", type=float, default=30.0, show_default=True, help="Time limit in seconds.")
@click.pass_context
@handled
def query(ctx: click.Context, name: str | None, expression: str | None, params: tuple[str, ...], fmt: str,
          timeout: float) -> None:
    """Run a canned query NAME, a query FILE.rq, or -e TEXT."""
    from peelgraph.ask.catalogue import get_query
    from peelgraph.ask.render import render
    from peelgraph.ask.run import run

    if (name is None) == (expression is None):
        raise click.UsageError("give a query NAME or FILE, or -e TEXT (one of them)")
    q = get_query(name, expression)
    result = run(open_db(ctx), q, _params(params), timeout=timeout)
    click.echo(render(result, fmt), nl=False)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@handled
def queries(fmt: str) -> None:
    """List the canned queries: name, title, parameters and columns."""
    from peelgraph.ask.catalogue import catalogue

    cat = catalogue()
    if fmt == "json":
        click.echo(json.dumps([{"name": q.name, "title": q.title, "description": q.description,
                                "parameters": [p.name for p in q.parameters], "columns": list(q.columns)}
                               for q in cat], indent=1))
        return
    width = max(len(q.name) for q in cat)
    for q in cat:
        params = " ".join(f"-p {p.name}=..." for p in q.parameters)
        click.echo(f"{q.name:<{width}}  {q.title}" + (f"   [{params}]" if params else ""))


@main.command("eval")
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["table", "json"]), default="table", show_default=True)
@click.option("--errors", is_flag=True, help="Also list the false positives and false negatives.")
@handled
def eval_(reports: tuple[Path, ...], fmt: str, errors: bool) -> None:
    """Score the rules alone (no curation) against each report's gold annotation."""
    from peelgraph.ask.evaluate import evaluate, format_table, to_json
    from peelgraph.errors import ReportError
    from peelgraph.resources import gold_file, shipped_reports

    paths = list(reports) or shipped_reports()
    results = []
    for p in paths:
        gold = gold_file(Path(p).resolve())
        if not gold.is_file():
            raise ReportError(f"no gold annotation at {gold}", path=str(p))
        results.append(evaluate(p, gold))
    if fmt == "json":
        out = [to_json(r, errors=errors) for r in results]
        click.echo(json.dumps(out[0] if len(out) == 1 else out, indent=1, ensure_ascii=False))
        return
    for r in results:
        click.echo(f"{r.report}  (rules alone, against {gold_file(Path(paths[results.index(r)]).resolve()).name})")
        click.echo(format_table(r))
        if errors:
            for kind in ("false_positives", "false_negatives"):
                for fact_type, items in getattr(r, kind).items():
                    for item in items:
                        click.echo(f"  {kind[:-1].replace('_', ' ')} {fact_type}: {item}")

