"""``peelgraph build``, ``stats`` and ``validate``: make the graph, count it, check it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from peelgraph.cli.common import handled, open_db, store_path
from peelgraph.cli.options import format_option

__all__ = ["build", "stats", "validate"]


@click.command()
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-curation", is_flag=True, help="Rules only: ignore the reports' curation files.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but warnings.")
@click.pass_context
@handled
def build(ctx: click.Context, reports: tuple[Path, ...], no_curation: bool, quiet: bool) -> None:
    """Build the graph of REPORTS: files (.txt or .pdf) and folders of them (default: the
    reports shipped in data/). A file that cannot be read is reported and skipped; the
    build fails (exit 3, store untouched) only when no report can be read.

    Examples:

    \b
      peelgraph build
      peelgraph --store corpus build reports/ -q
      peelgraph build my-report.txt --no-curation
    """
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


@click.command()
@format_option()
@click.pass_context
@handled
def stats(ctx: click.Context, fmt: str) -> None:
    """Counts by class, relations, evidence; facts from rules and from curation.

    Examples:

    \b
      peelgraph stats
      peelgraph --store corpus stats --format json
    """
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


@click.command()
@click.pass_context
@handled
def validate(ctx: click.Context) -> None:
    """Check the graph against the SHACL shapes (exit 1 with a report when it does not conform).

    Examples:

    \b
      peelgraph validate
      peelgraph --store corpus validate
    """
    from peelgraph.ask.validate import validate_store
    from peelgraph.store.oxigraph import ensure_store

    result = validate_store(ensure_store(store_path(ctx)).nquads)
    if result.conforms:
        click.echo("Conforms: the graph satisfies every shape in ontology/shapes.ttl.")
        return
    click.echo(result.text)
    click.echo(f"Does not conform: {result.violations} violation(s).", err=True)
    sys.exit(1)
