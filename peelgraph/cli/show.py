"""The ``peelgraph viz`` command and the network side of ``peelgraph export``: thin wrappers.

``viz`` writes the offline explorer (:func:`peelgraph.show.explorer.render_html`); :func:`export_view`
writes a view in a network format (:func:`peelgraph.show.netexport.export_network`);
:func:`run_export` is the whole body of ``peelgraph export``: RDF formats export the
graph, network formats a view. Register with ``main.add_command(viz)`` in :mod:`peelgraph.cli`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from peelgraph.cli.common import handled, open_db
from peelgraph.vocab import VIEWS

if TYPE_CHECKING:
    from peelgraph.store.backend import Backend

__all__ = ["viz", "export_view", "run_export", "all_formats", "VIEW_HELP", "FORMAT_HELP"]

_VIEWS = VIEWS
VIEW_HELP = "Which projection of the graph: " + ", ".join(_VIEWS) + " (see 'peelgraph network --help')."
FORMAT_HELP = ("RDF (the whole graph): ttl, nt, nq, trig, jsonld. Network (a view, see --view): graphml, gexf, "
               "json, cytoscape, dot, csv (writes FILE.nodes.csv and FILE.edges.csv), svg, png.")


def all_formats() -> tuple[str, ...]:
    """Every format ``peelgraph export`` knows: the RDF ones, then the network ones."""
    from peelgraph.show.netexport import NETWORK_FORMATS
    from peelgraph.show.rdfexport import RDF_FORMATS

    return tuple(sorted(RDF_FORMATS)) + NETWORK_FORMATS


def export_view(db: Backend, view: str, fmt: str, output: str | Path | None, report: str | None = None) -> list[Path]:
    """Write ``view`` of the store ``db`` in the network format ``fmt`` to ``output`` (stdout when None or '-').

    Returns the files written (``csv`` writes two). Raises :class:`~peelgraph.errors.ExportError`
    for an unknown format (listing every valid one) or an unwritable path, before anything
    is written; nothing half-written is ever left.
    """
    from peelgraph.errors import ExportError
    from peelgraph.show.netexport import NETWORK_FORMATS, export_network, write_network

    if fmt not in NETWORK_FORMATS:
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(all_formats())}")
    _check_writable(output)
    from peelgraph.ask.network import load_view

    return write_network(export_network(load_view(db, view, report), fmt), output)


def _check_writable(output: str | Path | None) -> None:
    """Fail early (before minutes of work) when the output folder is missing or not writable."""
    import os

    from peelgraph.errors import ExportError

    if output is None or str(output) == "-":
        return
    folder = Path(output).parent
    if not folder.is_dir():
        raise ExportError("the output folder does not exist", path=str(output))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError("cannot write here: permission denied", path=str(output))


def run_export(ctx: click.Context, fmt: str, output: Path | None, view: str | None = None,
               report: str | None = None) -> list[Path]:
    """``peelgraph export``: RDF formats write the whole graph, network formats a view (default ``partners``)."""
    from peelgraph.errors import ExportError
    from peelgraph.show.rdfexport import RDF_FORMATS

    fmt = fmt.strip().lower()
    if fmt in RDF_FORMATS:
        if view is not None or report is not None:
            raise ExportError(f"{fmt} exports the whole RDF graph; --view and --report go with a network format "
                              f"({', '.join(all_formats()[len(RDF_FORMATS):])})")
        from peelgraph.cli.common import store_path
        from peelgraph.show.rdfexport import rdf_export, write_atomic
        from peelgraph.store.oxigraph import ensure_store

        _check_writable(output)
        write_atomic(output, rdf_export(ensure_store(store_path(ctx)).nquads, fmt))
        return [] if output is None or str(output) == "-" else [output]
    return export_view(_db(ctx), view or "partners", fmt, output, report)


_db = open_db


_handled = handled


@click.command()
@click.option("--view", type=click.Choice(list(_VIEWS)), default="partners", show_default=True, help=VIEW_HELP)
@click.option("--report", default=None, metavar="REPORT",
              help="Only this report (its IRI or id, e.g. warwickshire-police-effectiveness-2016).")
@click.option("--title", default=None, help="The page's heading (default: the view and the report).")
@click.option("--output", "-o", type=click.Path(path_type=Path), required=True, help="The HTML file to write.")
@click.pass_context
@_handled
def viz(ctx: click.Context, view: str, report: str | None, title: str | None, output: Path) -> None:
    """Write the partner-network explorer: one HTML file that works offline.

    Kinds coloured with a legend that filters, a search box (names and acronyms), and a
    click on a node or a link shows the findings and the evidence quotes behind it.
    """
    from peelgraph.show.explorer import render_html
    from peelgraph.show.rdfexport import write_atomic

    _check_writable(output)
    write_atomic(output, render_html(_db(ctx), view=view, report=report, title=title))
    click.echo(f"Wrote {output}", err=True)
