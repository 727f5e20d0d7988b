"""``peelgraph serve`` and ``peelgraph push``: thin wrappers over :mod:`peelgraph.serve.server`
and :mod:`peelgraph.store.remote`."""

from __future__ import annotations

import signal

import click

from peelgraph.cli.common import handled, store_path
from peelgraph.cli.options import endpoint_option, timeout_option

__all__ = ["serve", "push"]


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to bind (IPv4 or IPv6, e.g. ::1); anything but a loopback address exposes the "
                   "endpoint to the network (a warning says so).")
@click.option("--port", type=click.IntRange(0, 65535), default=7878, show_default=True, help="0 picks a free port.")
@timeout_option(30.0, "Time limit per query, in seconds (waiting for a worker counts); the query is stopped.")
@click.option("--row-limit", type=click.IntRange(min=1), default=None,
              help="Refuse (503) answers of more rows or triples than this [default: none; answers are whole, "
                   "bounded by the time and memory limits].")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Query worker processes [default: the number of CPUs, 2 to 8].")
@click.option("--queue", type=click.IntRange(0, 100_000), default=1024, show_default=True,
              help="Queries that may wait when every worker is busy; beyond, 503 with Retry-After.")
@click.option("--memory-limit", type=click.IntRange(16, 1_048_576), default=1024, show_default=True, metavar="MIB",
              help="Memory a query may use, in MiB; past it the query is stopped (503).")
@click.option("--allow-service", is_flag=True,
              help="Let queries use SERVICE, which makes this server fetch from any address a client names.")
@click.pass_context
@handled
def serve(ctx: click.Context, host: str, port: int, timeout: float, row_limit: int | None, workers: int | None,
          queue: int, memory_limit: int, allow_service: bool) -> None:
    """Serve the graph read-only: SPARQL 1.1 Protocol at /query, the explorer at /.

    A browser gets a SPARQL query page at /sparql (YASGUI, offline) and the canned queries at
    /queries (/queries/NAME?param=value answers in JSON, CSV or HTML).

    Each query runs in a worker process that is stopped at the time limit or past the memory
    limit. Put a reverse proxy in front before exposing it (see the README's section on the
    endpoint's limits).

    Examples:

    \b
      peelgraph serve
      peelgraph serve --port 8000 --timeout 10 --row-limit 1000
      peelgraph serve --host ::1 --workers 4 --memory-limit 512
      peelgraph --store corpus serve --host 0.0.0.0
    """
    from peelgraph.errors import UsageError
    from peelgraph.serve.server import is_loopback, make_server, prepare_process

    prepare_process()
    try:
        srv = make_server(store_path(ctx), host=host, port=port, timeout=timeout, row_limit=row_limit,
                          workers=workers, queue=queue, memory_limit=memory_limit, allow_service=allow_service)
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    bound_host, bound_port = str(srv.server_address[0]), int(srv.server_address[1])
    shown = f"[{bound_host}]" if ":" in bound_host else bound_host
    if not is_loopback(host):
        click.echo(f"Warning: listening on {host}, not a loopback address: anyone who can reach this machine "
                   "can query the graph; put a reverse proxy with authentication in front.", err=True)
    if allow_service:
        click.echo("Warning: SERVICE is allowed: clients can make this server send requests to any address.",
                   err=True)
    click.echo(f"Serving the graph read-only at http://{shown}:{bound_port}/  "
               f"(SPARQL endpoint: http://{shown}:{bound_port}/query; query page: http://{shown}:{bound_port}/sparql; "
               "Ctrl-C stops)", err=True)
    previous = signal.signal(signal.SIGTERM, _stop)
    try:
        srv.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)  # a caller in the same process (a test) keeps its own
        srv.server_close()


def _stop(signum: int, frame: object) -> None:
    """SIGTERM ends ``serve`` as Ctrl-C does: the workers are stopped on the way out."""
    raise KeyboardInterrupt


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
    from peelgraph.store.oxigraph import reading
    from peelgraph.store.remote import DEFAULT_GRAPH, push_graph

    method = (ctx.find_root().obj or {}).get("endpoint_method") or "auto"
    with reading(store_path(ctx)) as info:  # held against a rebuild, graph.nq checked, while it is sent
        pushed = push_graph(info.nquads, endpoint, store_url, graph=graph, timeout=timeout, method=method)
    where = "the default graph" if graph == DEFAULT_GRAPH else (f"<{graph}>" if graph else "one named graph per report")
    click.echo(f"Pushed {pushed.triples} triples to {pushed.store_url} ({where}).")
    if not pushed.visible:
        click.echo(f"Warning: queries at {endpoint} do not see the pushed graph: make the default graph the "
                   "union of the named graphs (oxigraph serve --union-default-graph; Fuseki: "
                   "tdb2:unionDefaultGraph), or push with --graph default.", err=True)
