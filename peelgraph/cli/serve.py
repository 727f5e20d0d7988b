"""``peelgraph serve`` and ``peelgraph push``: thin wrappers over :mod:`peelgraph.serve.server`
and :mod:`peelgraph.store.remote`."""

from __future__ import annotations

import click

from peelgraph.cli.common import handled, store_path
from peelgraph.cli.options import endpoint_option, timeout_option

__all__ = ["serve", "push"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind; 0.0.0.0 exposes the endpoint to the network.")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="0 picks a free port.")
@timeout_option(30.0, "Time limit per query, in seconds.")
@click.option("--row-limit", type=click.IntRange(min=1), default=10_000, show_default=True,
              help="Rows per answer; longer answers are cut short (header Peelgraph-Truncated).")
@click.pass_context
@handled
def serve(ctx: click.Context, host: str, port: int, timeout: float, row_limit: int) -> None:
    """Serve the graph read-only: SPARQL 1.1 Protocol at /query, the explorer at /.

    Examples:

    \b
      peelgraph serve
      peelgraph serve --port 8000 --timeout 10 --row-limit 1000
      peelgraph --store corpus serve --host 0.0.0.0
    """
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
@endpoint_option(required=True, help="The SPARQL query endpoint, e.g. http://127.0.0.1:7878/query (Oxigraph).")
@click.option("--store-url", metavar="URL", default=None,
              help="The Graph Store Protocol URL (default: derived from --endpoint for Oxigraph, Fuseki, GraphDB, "
                   "Virtuoso).")
@click.option("--graph", metavar="IRI", default=None,
              help="Put every triple into this named graph ('default': the default graph) "
                   "instead of one named graph per report.")
@timeout_option(300.0, "Time limit per HTTP request, in seconds.")
@click.pass_context
@handled
def push(ctx: click.Context, endpoint: str, store_url: str | None, graph: str | None, timeout: float) -> None:
    """Load the graph into a SPARQL 1.1 server with the Graph Store Protocol.

    Examples:

    \b
      peelgraph push --endpoint http://127.0.0.1:7879/query
      peelgraph push --endpoint http://localhost:3030/peel/query --graph default
      peelgraph push --endpoint http://127.0.0.1:8890/sparql --timeout 600
    """
    from peelgraph.store.oxigraph import ensure_store
    from peelgraph.store.remote import DEFAULT_GRAPH, push_graph

    method = (ctx.find_root().obj or {}).get("endpoint_method") or "auto"
    pushed = push_graph(ensure_store(store_path(ctx)).nquads, endpoint, store_url, graph=graph, timeout=timeout,
                        method=method)
    where = "the default graph" if graph == DEFAULT_GRAPH else (f"<{graph}>" if graph else "one named graph per report")
    click.echo(f"Pushed {pushed.triples} triples to {pushed.store_url} ({where}).")
    if not pushed.visible:
        click.echo(f"Warning: queries at {endpoint} do not see the pushed graph: make the default graph the "
                   "union of the named graphs (oxigraph serve --union-default-graph; Fuseki: "
                   "tdb2:unionDefaultGraph), or push with --graph default.", err=True)
