"""The ``peelgraph serve`` and ``peelgraph push`` commands: thin wrappers over server and remote.

Register them in :mod:`peelgraph.cli` with ``main.add_command(serve)`` and
``main.add_command(push)``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

import click

from peelgraph.cli.common import handled, store_path

__all__ = ["serve", "push"]

F = TypeVar("F", bound=Callable[..., Any])


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; 0.0.0.0 exposes the endpoint to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="0 picks a free port.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=30.0, show_default=True,
              help="Time limit per query, in seconds.")
@click.option("--row-limit", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Rows per answer; longer answers are cut short (header Peelgraph-Truncated).")
@click.pass_context
@handled
def serve(ctx: click.Context, host: str, port: int, timeout: float, row_limit: int) -> None:
    """Serve the graph read-only: SPARQL 1.1 Protocol at /query, the explorer at /."""
    from peelgraph.errors import UsageError
    from peelgraph.serve.server import make_server

    try:
        srv = make_server(store_path(ctx), host=host, port=port, timeout=timeout, row_limit=row_limit)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    bound_host, bound_port = str(srv.server_address[0]), int(srv.server_address[1])
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    click.echo(f"Serving the graph read-only at http://{shown}:{bound_port}/  "
               f"(SPARQL endpoint: http://{shown}:{bound_port}/query; Ctrl-C stops)", err=True)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        srv.server_close()


@click.command()
@click.option("--endpoint", required=True, metavar="URL",
              help="The SPARQL query endpoint, e.g. http://127.0.0.1:7878/query (Oxigraph).")
@click.option("--store-url", metavar="URL", default=None,
              help="The Graph Store Protocol URL (default: derived from --endpoint for Oxigraph, Fuseki, GraphDB).")
@click.option("--graph", metavar="IRI", default=None,
              help="Put every triple into this named graph ('default': the default graph) "
                   "instead of one named graph per report.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=300.0, show_default=True,
              help="Time limit per HTTP request, in seconds.")
@click.pass_context
@handled
def push(ctx: click.Context, endpoint: str, store_url: str | None, graph: str | None, timeout: float) -> None:
    """Load the graph into a SPARQL 1.1 server with the Graph Store Protocol."""
    from peelgraph.store.oxigraph import ensure_store
    from peelgraph.store.remote import RemoteEndpoint, derive_store_url, sees_the_graph
    from peelgraph.store.remote import push as push_graph

    remote = RemoteEndpoint(endpoint, timeout=timeout)
    target = store_url or derive_store_url(endpoint)
    n = push_graph(ensure_store(store_path(ctx)).nquads, target, graph=graph, timeout=timeout)
    where = "the default graph" if graph == "default" else (f"<{graph}>" if graph else "one named graph per report")
    click.echo(f"Pushed {n} triples to {target} ({where}).")
    if not sees_the_graph(remote):
        click.echo(f"Warning: queries at {endpoint} do not see the pushed graph: make the default graph the "
                   "union of the named graphs (oxigraph serve --union-default-graph; Fuseki: "
                   "tdb2:unionDefaultGraph), or push with --graph default.", err=True)
