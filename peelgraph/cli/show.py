"""``peelgraph export`` and ``peelgraph viz``: thin wrappers over :mod:`peelgraph.show.export`."""

from __future__ import annotations

from pathlib import Path

import click

from peelgraph.cli.common import handled, open_db, store_path, warn
from peelgraph.cli.options import output_option, report_option, view_option

__all__ = ["export", "viz", "FORMAT_HELP"]

FORMAT_HELP = ("RDF (the whole graph): ttl, nt, nq, trig, jsonld (compact, with a @context). Network (a view, see "
               "--view; each node with degree, betweenness, pagerank and community): graphml, gexf, json, cyjs "
               "(Cytoscape; also called cytoscape), dot, csv (writes FILE.nodes.csv and FILE.edges.csv), svg, png.")


@click.command()
@click.option("--format", "fmt", required=True, metavar="FORMAT", help=FORMAT_HELP)
@view_option(None, help="With a network format: which view (default: partners).")
@report_option("With a network format: only this report.")
@output_option(help="File, written atomically (default: stdout; csv needs a file).")
@click.pass_context
@handled
def export(ctx: click.Context, fmt: str, view: str | None, report: str | None, output: Path | None) -> None:
    """Export the graph (RDF formats) or a view of it (network formats) to a file or stdout.

    Examples:

    \b
      peelgraph export --format ttl -o graph.ttl
      peelgraph export --format nq > graph.nq
      peelgraph export --view partners --format gexf -o partners.gexf
      peelgraph export --view partners --format cyjs -o partners.cyjs
      peelgraph export --view dependencies --format csv -o deps.csv
    """
    from peelgraph.errors import ExportError
    from peelgraph.show.export import check_format, check_writable, export_rdf, export_view
    from peelgraph.show.rdfexport import RDF_FORMATS

    fmt = check_format(fmt)
    check_writable(output)  # before the store is opened (or rebuilt)
    if fmt in RDF_FORMATS:
        if view is not None or report is not None:
            raise ExportError(f"{fmt} exports the whole RDF graph; --view and --report go with a network format")
        from peelgraph.store.oxigraph import reading

        with reading(store_path(ctx)) as info:
            warn(info.warnings)
            export_rdf(info.nquads, fmt, output)
    else:
        export_view(open_db(ctx), view or "partners", fmt, output, report)


@click.command()
@view_option()
@report_option()
@click.option("--title", default=None, help="The page's heading (default: the view and the report).")
@output_option(required=True, help="The HTML file to write.")
@click.pass_context
@handled
def viz(ctx: click.Context, view: str, report: str | None, title: str | None, output: Path) -> None:
    """Write the partner-network explorer: one HTML file that works offline.

    Kinds coloured with a legend that filters, a search box (names and acronyms), and a
    click on a node or a link shows the findings and the evidence quotes behind it.

    Examples:

    \b
      peelgraph viz -o partners.html
      peelgraph viz --view all --report warwickshire-police-effectiveness-2016 -o all.html
    """
    from peelgraph.show.export import check_writable, export_explorer

    check_writable(output)  # before the store is opened (or rebuilt)
    export_explorer(open_db(ctx), output, view=view, report=report, title=title)
    click.echo(f"Wrote {output}", err=True)
