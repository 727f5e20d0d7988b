"""What every command shares: turning library errors into ``Error: ...`` and exit codes,
the store path, and the backend the query commands run on."""

from __future__ import annotations

import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

import click

from peelgraph.errors import PeelgraphError

if TYPE_CHECKING:
    from peelgraph.store.backend import Backend

__all__ = ["handled", "store_path", "open_db", "warn"]

F = TypeVar("F", bound=Callable[..., Any])


def _fail(message: str, code: int) -> None:
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


def handled(fn: F) -> F:
    """Turn library errors into ``Error: ...`` and their exit codes."""

    @wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return fn(*args, **kwargs)
        except PeelgraphError as exc:
            _fail(str(exc), exc.exit_code)
        except KeyboardInterrupt:
            _fail("interrupted", 130)
        except BrokenPipeError:
            sys.exit(0)

    return wrapper  # type: ignore[return-value]


def store_path(ctx: click.Context) -> Path:
    from peelgraph.store.oxigraph import default_store_path

    obj = ctx.find_root().obj or {}
    path: Path | None = obj.get("store")
    return path if path is not None else default_store_path()


def open_db(ctx: click.Context, timeout: float = 30.0) -> Backend:
    """What queries run on: a remote endpoint (``--endpoint``, each request within ``timeout``
    seconds, sent as ``--endpoint-method`` says), rdflib's memory store (``--store-kind
    memory``), or the persisted pyoxigraph store (the default)."""
    obj = ctx.find_root().obj or {}
    if obj.get("endpoint"):
        from peelgraph.store.remote import RemoteEndpoint

        return RemoteEndpoint(obj["endpoint"], timeout=timeout, method=obj.get("endpoint_method") or "auto")
    if obj.get("store_kind") == "memory":
        from peelgraph.store.memory import open_memory

        mem = open_memory(store_path(ctx))
        warn(mem.warnings)
        return mem
    from peelgraph.store.oxigraph import OxigraphBackend

    db = OxigraphBackend.open(store_path(ctx))
    warn(db.warnings)
    return db


def warn(warnings: tuple[str, ...] | list[str]) -> None:
    """Each warning as a ``Warning: ...`` line on stderr."""
    for w in warnings:
        click.echo(f"Warning: {w}", err=True)
