"""``peelgraph build``, ``stats`` and ``validate``: make the graph, count it, check it."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from peelgraph.cli.common import handled, open_db, store_path, warn
from peelgraph.cli.options import format_option

__all__ = ["build", "load", "stats", "validate", "doctor"]


@click.command()
@click.argument("reports", nargs=-1, type=click.Path(path_type=Path))
@click.option("--no-curation", is_flag=True, help="Rules only: ignore the reports' curation files.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but warnings.")
@click.option("--max-size", type=click.FloatRange(min=0, min_open=True), default=4.0, show_default=True,
              metavar="MIB", help="The largest report text accepted, in MiB (a PDF file may be 16 times that); "
              "a larger file, a device or a FIFO is refused before it is read.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None, metavar="N",
              help="Extract reports in N processes (default: the number of cores); the graph is the same "
              "whatever N.")
@click.pass_context
@handled
def build(ctx: click.Context, reports: tuple[Path, ...], no_curation: bool, quiet: bool, max_size: float,
          jobs: int | None) -> None:
    """Build the graph of REPORTS: files (.txt or .pdf) and folders of them (default: the
    reports shipped in data/). A file that cannot be read (or a folder, or a link that leads
    nowhere) is reported and skipped; the build fails (exit 3, store untouched) only when no
    report can be read.

    Examples:

    \b
      peelgraph build
      peelgraph --store corpus build reports/ -q
      peelgraph build my-report.txt --no-curation
      peelgraph build big-report.pdf --max-size 16
      peelgraph --store corpus build reports/ --jobs 2
    """
    import os

    from peelgraph.ask.stats import summary
    from peelgraph.resources import expand_inputs
    from peelgraph.store.oxigraph import OxigraphBackend, build_store

    store = store_path(ctx)
    limit = int(max_size * 1024 * 1024)
    jobs = jobs or os.cpu_count() or 1
    inputs = expand_inputs(reports) if reports else []
    if len(inputs) > 1:
        with click.progressbar(length=len(inputs), label="Extracting", file=sys.stderr,
                               item_show_func=lambda p: p and Path(p).name) as bar:
            info = build_store(store, list(reports), curate=not no_curation, skip_bad=True,
                               progress=lambda p: bar.update(1, str(p)), max_bytes=limit, jobs=jobs)
    else:
        info = build_store(store, list(reports), curate=not no_curation, skip_bad=True, max_bytes=limit, jobs=jobs)
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


@click.command()
@click.argument("dump", type=click.Path(path_type=Path))
@click.pass_context
@handled
def load(ctx: click.Context, dump: Path) -> None:
    """Make the store's graph from DUMP, a graph dump (.nq, .trig or .nt: an export from another
    machine, a corpus built elsewhere), in place of what the store held. The manifest records where
    it came from; triples of an .nt file go to one named graph. A dump that cannot be loaded is
    an error (exit 3) and the store is left as it was. ('peelgraph export --format nq' writes a dump.)

    Examples:

    \b
      peelgraph load graph.nq
      peelgraph --store copy load exported.nq
      peelgraph --store corpus load corpus.trig
    """
    from peelgraph.store.oxigraph import load_store

    store = store_path(ctx)
    info = load_store(store, dump)
    click.echo(f"{info.manifest['triples']} triples from {len(info.manifest['reports'])} report graph(s) "
               f"loaded into {store}")


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
    from peelgraph.store.oxigraph import reading

    with reading(store_path(ctx)) as info:
        warn(info.warnings)
        result = validate_store(info.nquads)
    if result.conforms:
        click.echo("Conforms: the graph satisfies every shape in ontology/shapes.ttl.")
        return
    click.echo(result.text)
    click.echo(f"Does not conform: {result.violations} violation(s).", err=True)
    sys.exit(1)


@click.command()
@click.option("--repair", is_flag=True,
              help="Rebuild a damaged or stale store from the reports it records or, when they are gone, "
              "from its graph.nq.")
@click.pass_context
@handled
def doctor(ctx: click.Context, repair: bool) -> None:
    """Check the store: its link to the current generation, the manifest, graph.nq (against the
    SHA-256 recorded when it was built) and pyoxigraph's files; say whether it is stale.
    Exit 0 when it is usable, 3 when it is damaged or holds no graph (with what to do).

    Examples:

    \b
      peelgraph doctor
      peelgraph --store corpus doctor --repair
    """
    from peelgraph.errors import StoreError
    from peelgraph.store.oxigraph import REPAIR_HINT, check_store, repair_store

    store = store_path(ctx)
    if repair:
        how, info = repair_store(store)
        click.echo(f"{store}: {how}; {info.path.name} holds {info.manifest.get('triples', '?')} triples "
                   f"from {len(info.manifest.get('reports', []))} report(s).")
        return
    chk = check_store(store)
    if chk.state == "empty":
        raise StoreError(f"the store at {store} holds no graph; run peelgraph build")
    click.echo(f"store: {store}")
    if chk.generation is not None:
        click.echo(f"generation: {chk.generation.name}")
    for problem in chk.problems:
        click.echo(f"  damaged: {problem}")
    if not chk.ok:
        raise StoreError(f"the store is damaged; {REPAIR_HINT}", path=str(store))
    m = chk.manifest or {}
    click.echo(f"ok: {m.get('triples', '?')} triples from {len(m.get('reports', []))} report(s)")
    if chk.stale:
        click.echo(f"stale: {chk.stale} (the next query rebuilds it, or 'peelgraph doctor --repair')")
