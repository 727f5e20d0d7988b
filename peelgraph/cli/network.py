"""The ``peelgraph network`` commands: thin click wrappers over :mod:`peelgraph.ask.network`.

Each command loads one view, resolves entity names like query parameters (any label or
acronym, any case; an unknown name suggests close ones), calls one analysis, and prints a
table or, with ``--format json``, the result's ``to_json()``. :mod:`peelgraph.cli` loads
this module only when a network command runs.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import click

from peelgraph.cli.common import handled, open_db
from peelgraph.cli.options import format_option, report_option, top_option, view_option

if TYPE_CHECKING:
    import networkx as nx

    from peelgraph.ask.network import EdgeEvidence, Hop

__all__ = ["network"]

_QUOTE_WIDTH = 160

_db = open_db  # the backend the commands run on (the tests put a tiny graph here)


def _emit(result: Any, fmt: str, table: Callable[[], None]) -> None:
    if fmt == "json":
        click.echo(json.dumps(result.to_json(), indent=1, ensure_ascii=False))
    else:
        table()


def _flat(text: str, width: int = _QUOTE_WIDTH) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _where(e: EdgeEvidence) -> str:
    parts = []
    if e.report:
        parts.append(e.report.rsplit("/", 1)[-1])
    if e.start is not None:
        parts.append(f"chars {e.start}-{e.end}")
    if e.section:
        parts.append(_flat(e.section, 60))
    return "; ".join(parts)


def _echo_evidence(evidence: Iterable[EdgeEvidence], indent: str) -> None:
    for e in evidence:
        click.echo(f"{indent}{e.statement}")
        click.echo(f"{indent}  \"{_flat(e.quote)}\"  [{_where(e)}]")


def _echo_hop(i: int | None, h: Hop, indent: str = "  ") -> None:
    lead, arrow = (f"{i}. ", "->") if i is not None else ("", "--")
    click.echo(f"{indent}{lead}{h.source.label} {arrow} {h.target.label}  ({h.relation})")
    _echo_evidence(h.evidence, indent + " " * (len(lead) + 2))


def _header(g: nx.Graph) -> str:
    rep = f", report {g.graph['report'].rsplit('/', 1)[-1]}" if g.graph.get("report") else ""
    return f"{g.graph['view']} view{rep}: {g.number_of_nodes()} nodes, {g.number_of_edges()} edges"


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def network() -> None:
    """Partner networks with networkx: brokers, paths, impact, communities, with evidence.

    \b
    Views (--view):
      partners      organisations, units and collaborations; memberOf, worksWith, partOf, locatedIn
      comembers     bodies linked when they take part in the same collaboration (bipartite projection)
      dependencies  A -> B where A dependsOn, is basedOn or accessedThrough B
      impact        dependencies plus partOf, locatedIn, fundedBy (what 'impact' follows)
      relations     every entity, every relation
      all           every entity and finding (findings link to what they concern)

    Examples:

    \b
      peelgraph network central --top 3
      peelgraph network path HAU "local authorities" --format json
    """


@network.command()
@view_option("partners")
@top_option(10, "How many nodes.")
@click.option("--by", type=click.Choice(["pagerank", "betweenness", "degree"]), default="pagerank",
              show_default=True, help="The score to rank by.")
@report_option()
@format_option()
@click.pass_context
@handled
def central(ctx: click.Context, view: str, top: int, by: str, report: str | None, fmt: str) -> None:
    """Degree, betweenness and PageRank: who is central to the network.

    Examples:

    \b
      peelgraph network central --top 3
      peelgraph network central --view all --by betweenness --format json
    """
    from peelgraph.ask.network import central as compute
    from peelgraph.ask.network import load_view

    g = load_view(_db(ctx), view, report)
    res = compute(g, top, by)

    def table() -> None:
        click.echo(f"{_header(g)}; ranked by {by}" + (" (betweenness sampled)" if res.sampled else ""))
        click.echo(f"{'rank':>4}  {'pagerank':>8}  {'betweenness':>11}  {'degree':>6}  {'kind':<18}  entity")
        for i, r in enumerate(res.nodes, 1):
            click.echo(f"{i:>4}  {r.pagerank:>8.4f}  {r.betweenness:>11.4f}  {r.degree:>6}  {r.node.kind:<18}  "
                       f"{r.node.label}")

    _emit(res, fmt, table)


@network.command()
@view_option("partners")
@top_option(None, "At most this many of each (default: all).")
@report_option()
@format_option()
@click.pass_context
@handled
def brokers(ctx: click.Context, view: str, top: int | None, report: str | None, fmt: str) -> None:
    """Articulation points and bridges: single points of failure, and what each holds together.

    Examples:

    \b
      peelgraph network brokers --top 1
      peelgraph network brokers --view comembers --format json
    """
    from peelgraph.ask.network import Brokers, load_view
    from peelgraph.ask.network import brokers as compute

    g = load_view(_db(ctx), view, report)
    full = compute(g)
    res = Brokers(full.articulation_points[:top], full.bridges[:top]) if top else full

    def table() -> None:
        click.echo(_header(g))
        click.echo(f"Articulation points ({len(full.articulation_points)}): without one, the network splits")
        for b in res.articulation_points:
            click.echo(f"  {b.node.label} [{b.node.kind}]: cuts off {b.cut_off}, holds together "
                       f"{len(b.pieces)} pieces")
            for piece in b.pieces[1:]:
                click.echo(f"      - {_flat(', '.join(n.label for n in piece), 150)}")
            click.echo(f"      (and the rest: {len(b.pieces[0])} nodes)")
        click.echo(f"Bridges ({len(full.bridges)}): the only link between two parts")
        for br in res.bridges:
            cut = ", ".join(n.label for n in br.cut_off)
            click.echo(f"  {br.hop.source.label} -- {br.hop.target.label} ({br.hop.relation}): "
                       f"cuts off {len(br.cut_off)} ({_flat(cut, 100)})")
            _echo_evidence(br.hop.evidence, "      ")

    _emit(res, fmt, table)


@network.command()
@click.argument("source")
@click.argument("target")
@view_option("partners")
@report_option()
@format_option()
@click.pass_context
@handled
def path(ctx: click.Context, source: str, target: str, view: str, report: str | None, fmt: str) -> None:
    """The shortest connection from SOURCE to TARGET, each hop with its relation and evidence.

    Examples:

    \b
      peelgraph network path HAU "local authorities"
      peelgraph network path THRIVE MASH --view all
    """
    from peelgraph.ask.network import load_view, resolve_in_view
    from peelgraph.ask.network import path as compute

    db = _db(ctx)
    g = load_view(db, view, report)
    res = compute(g, resolve_in_view(db, g, source), resolve_in_view(db, g, target))

    def table() -> None:
        if not res.connected:
            click.echo(f"No connection between {res.source.label} and {res.target.label} in the {view} view.")
            return
        click.echo(f"{res.source.label} -> {res.target.label}: {len(res.hops)} hop(s) in the {view} view")
        for i, h in enumerate(res.hops, 1):
            _echo_hop(i, h)

    _emit(res, fmt, table)


@network.command()
@click.argument("entity")
@view_option("impact", ("impact", "dependencies"))
@report_option()
@format_option()
@click.pass_context
@handled
def impact(ctx: click.Context, entity: str, view: str, report: str | None, fmt: str) -> None:
    """Everything that directly or transitively depends on ENTITY, each with its chain and evidence.

    A depends on X when A dependsOn, is basedOn or accessedThrough X, and (in the default
    impact view) when A is partOf or locatedIn X or fundedBy X. Membership is not
    dependence: the members of a collaboration are not listed as its dependents.

    Examples:

    \b
      peelgraph network impact THRIVE
      peelgraph network impact "strategic alliance" --view dependencies --format json
    """
    from peelgraph.ask.network import impact as compute
    from peelgraph.ask.network import load_view, resolve_in_view

    db = _db(ctx)
    g = load_view(db, view, report)
    res = compute(g, resolve_in_view(db, g, entity))

    def table() -> None:
        click.echo(f"{len(res.dependents)} depend on {res.target.label} (following {', '.join(res.relations)})")
        for d in res.dependents:
            click.echo(f"  depth {d.depth}  {d.node.label} [{d.node.kind}]")
            for h in d.chain:
                _echo_evidence(h.evidence, "      ")

    _emit(res, fmt, table)


@network.command()
@view_option("partners")
@click.option("--seed", type=int, default=42, show_default=True, help="Louvain's random seed.")
@report_option()
@format_option()
@click.pass_context
@handled
def communities(ctx: click.Context, view: str, seed: int, report: str | None, fmt: str) -> None:
    """Louvain communities (fixed seed), each named after its most central member.

    Examples:

    \b
      peelgraph network communities
      peelgraph network communities --view comembers --seed 7
    """
    from peelgraph.ask.network import communities as compute
    from peelgraph.ask.network import load_view

    g = load_view(_db(ctx), view, report)
    res = compute(g, seed=seed)

    def table() -> None:
        click.echo(f"{_header(g)}; {len(res.communities)} communities (Louvain, seed {seed}, "
                   f"modularity {res.modularity:.3f})")
        for i, c in enumerate(res.communities, 1):
            others = ", ".join(m.label for m in c.members if m != c.name)
            click.echo(f"  {i}. {c.name.label} ({len(c.members)}): {_flat(others, 400)}")

    _emit(res, fmt, table)


@network.command()
@click.argument("entity")
@click.option("--radius", type=click.IntRange(min=0), default=1, show_default=True, help="How many links out.")
@view_option("partners")
@report_option()
@format_option()
@click.pass_context
@handled
def ego(ctx: click.Context, entity: str, radius: int, view: str, report: str | None, fmt: str) -> None:
    """ENTITY's neighbourhood within --radius links, with the evidence of each link.

    Examples:

    \b
      peelgraph network ego MASH
      peelgraph network ego MASH --radius 2 --view relations
    """
    from peelgraph.ask.network import ego as compute
    from peelgraph.ask.network import load_view, resolve_in_view

    db = _db(ctx)
    g = load_view(db, view, report)
    res = compute(g, resolve_in_view(db, g, entity), radius)

    def table() -> None:
        click.echo(f"{res.center.label}: {len(res.nodes) - 1} node(s) within {radius} link(s) in the {view} view")
        for n, d in res.nodes[1:]:
            click.echo(f"  {d}  {n.label} [{n.kind}]")
        click.echo("Links:")
        for h in res.edges:
            _echo_hop(None, h)

    _emit(res, fmt, table)
