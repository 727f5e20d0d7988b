"""Exports to files, checked before any work: the whole graph in an RDF format, a view in a
network format, the explorer page.

Each entry point checks the format and that the output folder can be written before it
reads the store (an export of a large corpus takes minutes: a typo in the path should not
cost them), then writes atomically (:func:`peelgraph.show.rdfexport.write_atomic`,
:func:`peelgraph.show.netexport.write_network`): nothing half-written is ever left. Output
``None`` or ``-`` is stdout.

Example:
    >>> EXPORT_FORMATS[:5], EXPORT_FORMATS[5:]
    (('jsonld', 'nq', 'nt', 'trig', 'ttl'), ('graphml', 'gexf', 'json', 'cyjs', 'dot', 'csv', 'svg', 'png'))
    >>> check_format("TTL"), check_format("gexf"), check_format("cytoscape")
    ('ttl', 'gexf', 'cyjs')
    >>> check_format("xlsx")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    peelgraph.errors.ExportError: unknown format 'xlsx'; choose one of jsonld, nq, nt, trig, ttl, graphml, ...
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from peelgraph.errors import ExportError
from peelgraph.show.netexport import FORMAT_ALIASES, NETWORK_FORMATS
from peelgraph.show.rdfexport import RDF_FORMATS

if TYPE_CHECKING:
    from peelgraph.store.backend import Backend

__all__ = ["EXPORT_FORMATS", "check_format", "check_writable", "export_rdf", "export_view", "export_explorer"]

EXPORT_FORMATS: tuple[str, ...] = tuple(sorted(RDF_FORMATS)) + NETWORK_FORMATS
"""Every format ``peelgraph export`` knows: the RDF ones, then the network ones."""


def check_format(fmt: str) -> str:
    """The format, in lower case, by its own name (``cytoscape`` is ``cyjs``, see :data:`FORMAT_ALIASES`).

    Raises:
        ExportError: an unknown format; the message lists every valid one.
    """
    key = fmt.strip().lower()
    key = FORMAT_ALIASES.get(key, key)
    if key not in EXPORT_FORMATS:
        aliases = ", ".join(f"{a} is {b}" for a, b in FORMAT_ALIASES.items())
        raise ExportError(f"unknown format {fmt!r}; choose one of {', '.join(EXPORT_FORMATS)} ({aliases})")
    return key


def check_writable(output: str | Path | None) -> None:
    """Fail early (before minutes of work) when the output folder is missing or not writable.

    Raises:
        ExportError: the folder does not exist or cannot be written; the output is a device, a
            FIFO or a socket.
    """
    from peelgraph.show.rdfexport import output_target

    if output is None or str(output) == "-":
        return
    if Path(output).is_dir():
        return  # a multi-file format writes into it; the others say it is a folder when they write
    folder = output_target(output).parent
    if not folder.is_dir():
        raise ExportError("the output folder does not exist", path=str(output))
    if not os.access(folder, os.W_OK | os.X_OK):
        raise ExportError("cannot write here: permission denied", path=str(output))


def _written(output: str | Path | None) -> list[Path]:
    return [] if output is None or str(output) == "-" else [Path(output)]


def export_rdf(nquads: Path, fmt: str, output: str | Path | None) -> list[Path]:
    """Write the graph (a store's canonical N-Quads) in the RDF format ``fmt``; the files written.

    Raises:
        ExportError: ``fmt`` is not an RDF format, or the output cannot be written.
    """
    from peelgraph.show.rdfexport import rdf_export, write_atomic

    fmt = check_format(fmt)
    if fmt not in RDF_FORMATS:
        raise ExportError(f"{fmt} is a network format: it exports a view, not the whole graph")
    check_writable(output)
    write_atomic(output, rdf_export(nquads, fmt))
    return _written(output)


def export_view(db: Backend, view: str, fmt: str, output: str | Path | None, report: str | None = None) -> list[Path]:
    """Write ``view`` of ``db`` (one report's, with ``report``) in the network format ``fmt``;
    the files written (``csv`` writes two).

    Raises:
        ExportError: ``fmt`` is not a network format (the message lists every valid format),
            or the output cannot be written.
        QueryError: an unknown view or report.
    """
    from peelgraph.ask.network import load_view
    from peelgraph.show.netexport import export_network, write_network

    fmt = check_format(fmt)
    if fmt not in NETWORK_FORMATS:
        raise ExportError(f"{fmt} exports the whole RDF graph; a view goes with a network format "
                          f"({', '.join(NETWORK_FORMATS)})")
    check_writable(output)
    return write_network(export_network(load_view(db, view, report), fmt), output)


def export_explorer(db: Backend, output: str | Path, view: str = "partners", report: str | None = None,
                    title: str | None = None) -> list[Path]:
    """Write the offline explorer of ``view`` (:func:`peelgraph.show.explorer.render_html`); the files written.

    Raises:
        ExportError: the output cannot be written.
        QueryError: an unknown view or report.
    """
    from peelgraph.show.explorer import render_html
    from peelgraph.show.rdfexport import write_atomic

    check_writable(output)
    write_atomic(output, render_html(db, view=view, report=report, title=title))
    return _written(output)
