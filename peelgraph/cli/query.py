"""``peelgraph query`` and ``peelgraph queries``: run a SPARQL query, list the canned ones.

Light module: a query starts with click and pyoxigraph only.
"""

from __future__ import annotations

import json

import click

from peelgraph.ask.render import FORMATS
from peelgraph.cli.common import handled, open_db
from peelgraph.cli.options import format_option, timeout_option

__all__ = ["query", "queries"]


def _params(pairs: tuple[str, ...]) -> dict[str, str]:
    out: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key:
            raise click.BadParameter(f"{pair!r} is not key=value", param_hint="-p")
        out[key.strip()] = value
    return out


@click.command()
@click.argument("name", required=False)
@click.option("-e", "--expression", metavar="TEXT", help="SPARQL text to run instead of a named query or file.")
@click.option("-p", "--param", "params", multiple=True, metavar="KEY=VALUE",
              help="A parameter (repeatable); entity parameters take any label or acronym.")
@format_option(FORMATS, help="json is the SPARQL 1.1 Query Results JSON format.")
@timeout_option(30.0, "Time limit in seconds.")
@click.pass_context
@handled
def query(ctx: click.Context, name: str | None, expression: str | None, params: tuple[str, ...], fmt: str,
          timeout: float) -> None:
    """Run a canned query NAME, a query FILE.rq, or -e TEXT.

    Examples:

    \b
      peelgraph query judgments --format csv
      peelgraph query partners-of -p entity=IOM
      peelgraph query mine.rq --format json
      peelgraph query -e "SELECT (COUNT(*) AS ?n) WHERE { ?f a pg:Finding }"
    """
    from peelgraph.ask.catalogue import get_query
    from peelgraph.ask.render import render
    from peelgraph.ask.run import run

    if (name is None) == (expression is None):
        raise click.UsageError("give a query NAME or FILE, or -e TEXT (one of them)")
    result = run(open_db(ctx, timeout), get_query(name, expression), _params(params), timeout=timeout)
    click.echo(render(result, fmt), nl=False)


@click.command()
@format_option()
@handled
def queries(fmt: str) -> None:
    """List the canned queries: name, title, parameters and columns.

    Examples:

    \b
      peelgraph queries
      peelgraph queries --format json
    """
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


@click.command()
@click.argument("phrase", required=False, default="")
@click.option("--entity", metavar="NAME", help="Only units that name this entity (any label or acronym).")
@format_option(FORMATS, help="json is the SPARQL 1.1 Query Results JSON format.")
@timeout_option(30.0, "Time limit in seconds.")
@click.pass_context
@handled
def search(ctx: click.Context, phrase: str, entity: str | None, fmt: str, timeout: float) -> None:
    """Find the sentences, headings, captions, footnotes and table cells that contain PHRASE.

    A phrase matches in any case and across line breaks; with --entity, only the units that
    name that entity (with --entity alone, every unit that names it: the canned query
    mentions). Each answer gives its report, section, page and offsets in the report file.

    Examples:

    \b
      peelgraph search "missing persons"
      peelgraph search --entity MASH
      peelgraph search referrals --entity MASH --format csv
    """
    from peelgraph.ask.render import render
    from peelgraph.ask.search import search_text

    if not phrase.strip() and not entity:
        raise click.UsageError("give a PHRASE, --entity NAME, or both")
    click.echo(render(search_text(open_db(ctx), phrase, entity, timeout=timeout), fmt), nl=False)
