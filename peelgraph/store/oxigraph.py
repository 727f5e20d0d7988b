"""The persisted store: canonical N-Quads plus a pyoxigraph cache, rebuilt when inputs change.

A store is a folder (``--store PATH``, else ``$PEELGRAPH_STORE``, else
``$XDG_CACHE_HOME/peelgraph/store``, i.e. ``~/.cache/peelgraph/store``)::

    PATH/current -> gen-<hash>       symlink, swapped atomically
    PATH/gen-<hash>/graph.nq         the canonical graph (one named graph per report)
    PATH/gen-<hash>/manifest.json    inputs and their SHA-256, code fingerprint, versions
    PATH/gen-<hash>/oxigraph/        pyoxigraph's on-disk store, a cache of graph.nq: the named
                                     graphs, and their union (each triple once) as the default graph
    PATH/lock                        held while building

A build writes a new generation and then swaps ``current``; a crash mid-build leaves the
previous generation in use. The store is stale when a report, its curation file, the
extractor's code or the ontology change, or pyoxigraph's version does (its disk format is
not promised stable); queries then rebuild it from the recorded inputs.

:class:`OxigraphBackend` is the store as a :class:`~peelgraph.store.backend.Backend` (what the
query commands run on); :func:`open_store` gives pyoxigraph's own read-only ``Store``.

This module imports neither rdflib nor networkx (and pyoxigraph only inside its functions):
the query commands stay fast.

Example:
    >>> import tempfile, pathlib
    >>> from peelgraph.resources import shipped_reports
    >>> d = pathlib.Path(tempfile.mkdtemp()) / "store"
    >>> info = build_store(d, shipped_reports())
    >>> info.manifest["triples"] > 1000
    True
    >>> is_stale(d)
    False
"""

from __future__ import annotations

import contextlib
import json
import os
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias, TypeVar

from peelgraph import __version__
from peelgraph.errors import QueryError, StoreError
from peelgraph.resources import code_files, code_fingerprint, curation_file, expand_inputs, shipped_reports
from peelgraph.store.backend import ResultsJSON, query_form, sorted_ntriples

if TYPE_CHECKING:
    import pyoxigraph

    _Results: TypeAlias = pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples
    _Term: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple

_T = TypeVar("_T")

__all__ = [
    "OxigraphBackend",
    "StoreInfo",
    "default_store_path",
    "build_store",
    "ensure_store",
    "samples_allowed",
    "open_store",
    "is_stale",
    "read_manifest",
    "term_json",
]


class StoreInfo(NamedTuple):
    """A built store generation."""

    path: Path
    manifest: dict[str, Any]

    @property
    def nquads(self) -> Path:
        """The canonical N-Quads file."""
        return self.path / "graph.nq"


def default_store_path() -> Path:
    """``$PEELGRAPH_STORE``, else ``$XDG_CACHE_HOME/peelgraph/store`` (``~/.cache/...``)."""
    env = os.environ.get("PEELGRAPH_STORE")
    if env:
        return Path(env)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "peelgraph" / "store"


def _sha(path: Path) -> str:
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


def _oxigraph_version() -> str:
    import pyoxigraph

    return str(pyoxigraph.__version__)


def _inputs(args: Sequence[Path], curate: bool) -> list[dict[str, Any]]:
    out = []
    for p in expand_inputs(args):
        p = Path(p).resolve()
        entry: dict[str, Any] = {"path": str(p), "sha256": _sha(p) if p.is_file() else None}
        cur = curation_file(p)
        entry["curation"] = _sha(cur) if curate and cur.is_file() else None
        out.append(entry)
    return out


def read_manifest(store: Path) -> dict[str, Any] | None:
    """The current generation's manifest, or None when there is no usable store."""
    try:
        data: dict[str, Any] = json.loads((store / "current" / "manifest.json").read_text(encoding="utf-8"))
        return data
    except (OSError, ValueError):
        return None


def _stat_signature(args: Sequence[Path], curate: bool) -> list[list[Any]]:
    """(path, mtime, size) of every input, curation file and code file: a cheap first check."""
    files = list(expand_inputs(args))
    files += [curation_file(p.resolve()) for p in files if curate]
    files += code_files()
    out = []
    for f in files:
        try:
            st = f.stat()
            out.append([str(f), st.st_mtime_ns, st.st_size])
        except OSError:
            out.append([str(f), None, None])
    return out


def is_stale(store: Path) -> bool:
    """True when the store is missing or any recorded input, the code or pyoxigraph changed.

    File sizes and modification times are compared first (cheap, so the query commands stay
    fast); only when they differ are the contents hashed again.
    """
    m = read_manifest(store)
    if m is None:
        return True
    if m.get("oxigraph") != _oxigraph_version():
        return True
    try:
        args = [Path(a) for a in m["args"]]
        if _stat_signature(args, m.get("curate", True)) == m.get("stat"):
            return False
        if m.get("code") != code_fingerprint():
            return True
        return _inputs(args, m.get("curate", True)) != m["inputs"]
    except (OSError, KeyError):
        return True


@contextlib.contextmanager
def _locked(store: Path) -> Iterator[None]:
    import fcntl

    try:
        store.mkdir(parents=True, exist_ok=True)
        fh = open(store / "lock", "w")  # noqa: SIM115
    except OSError as exc:
        raise StoreError(f"cannot create the store: {exc.strerror}", path=str(store)) from None
    with fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def build_store(store: Path, paths: Sequence[str | Path] | None = None, *, curate: bool = True,
                skip_bad: bool = False, progress: Callable[[Path], None] | None = None) -> StoreInfo:
    """Build the graph of ``paths`` (report files or folders; default: the shipped reports)
    into a new store generation. Reports unchanged since an earlier build are not extracted
    again (``PATH/cache/``); with ``skip_bad`` an unreadable file is reported and skipped.

    Nothing already built is damaged when this fails: the new generation is written
    beside the old one and swapped in only when complete.
    """
    import hashlib
    import shutil
    import tempfile

    from peelgraph.graph.build import build

    args = [Path(p).resolve() for p in (paths if paths else shipped_reports())]
    try:
        store.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StoreError(f"cannot create the store: {exc.strerror}", path=str(store)) from None
    result = build(args, curate=curate, cache_dir=store / "cache", skip_bad=skip_bad, progress=progress)
    with _locked(store):
        tmp = Path(tempfile.mkdtemp(prefix="gen-tmp-", dir=store))
        try:
            (tmp / "graph.nq").write_text(result.nquads, encoding="utf-8")
            if result.texts:
                (tmp / "texts").mkdir()
                for rid, text in result.texts:
                    (tmp / "texts" / f"{rid}.txt").write_text(text, encoding="utf-8")
            _load_oxigraph(tmp)
            manifest = {
                "peelgraph": __version__,
                "code": code_fingerprint(),
                "oxigraph": _oxigraph_version(),
                "curate": curate,
                "args": [str(a) for a in args],
                "inputs": _inputs(args, curate),
                "stat": _stat_signature(args, curate),
                "reports": [ex.report.id for ex in result.extractions],
                "triples": result.nquads.count("\n"),
                "warnings": list(result.warnings),
                "skipped": [list(x) for x in result.skipped],
                "reused": result.reused,
            }
            (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
            gen = store / f"gen-{hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:12]}"
            if gen.exists():
                shutil.rmtree(gen)
            tmp.rename(gen)
        except BaseException:
            shutil.rmtree(tmp, ignore_errors=True)
            raise
        link_tmp = store / f"current.tmp-{os.getpid()}"
        with contextlib.suppress(FileNotFoundError):
            link_tmp.unlink()
        link_tmp.symlink_to(gen.name)
        os.replace(link_tmp, store / "current")
        for old in store.glob("gen-*"):
            if old.name != gen.name:
                shutil.rmtree(old, ignore_errors=True)
    return StoreInfo(gen, manifest)


def _load_oxigraph(gen: Path) -> None:
    """Load the cache: each report's named graph, and their union, each triple once, as the
    default graph. Queries run on the default graph: a union computed at query time would
    return a triple once per graph that holds it (shared vocabulary, a force named in many
    reports), multiplying rows and joins."""
    import pyoxigraph as ox

    db = ox.Store(str(gen / "oxigraph"))
    db.bulk_load(path=str(gen / "graph.nq"), format=ox.RdfFormat.N_QUADS)
    union = gen / "union.nt"
    with (gen / "graph.nq").open(encoding="utf-8") as src, union.open("w", encoding="utf-8") as out:
        for line in src:  # streamed: the store keeps each triple once, so repeats need no set here
            if line.strip():
                out.write(line.rsplit(" <", 1)[0] + " .\n")
    db.bulk_load(path=str(union), format=ox.RdfFormat.N_TRIPLES)
    union.unlink()
    db.flush()
    del db


def samples_allowed(store: Path) -> bool:
    """Whether a store may be filled with the shipped report on first use: only the default store,
    for a command run without ``--store`` and without ``$PEELGRAPH_STORE``. A store the user named
    is never filled with a sample they did not ask for.

    Example:
        >>> import os, pathlib
        >>> samples_allowed(pathlib.Path("/tmp/elsewhere")) if "PEELGRAPH_STORE" not in os.environ else False
        False
    """
    if os.environ.get("PEELGRAPH_STORE"):
        return False
    try:
        return store.expanduser().resolve() == default_store_path().expanduser().resolve()
    except OSError:
        return False


def ensure_store(store: Path, *, build_if_missing: bool | None = None) -> StoreInfo:
    """A fresh store: rebuilt from its recorded inputs when stale; when it holds no graph, built from the
    shipped reports only if ``build_if_missing`` (default: only the default store, :func:`samples_allowed`).

    Raises:
        StoreError: the store holds no graph (empty, or its build failed) and may not be filled with the
            sample; a report it was built from is gone.
    """
    m = read_manifest(store)
    if m is None:
        if not (samples_allowed(store) if build_if_missing is None else build_if_missing):
            raise StoreError(f"the store at {store} holds no graph; run peelgraph build")
        return build_store(store)
    if is_stale(store):
        paths = [Path(a) for a in m.get("args", [])]
        missing = [str(p) for p in paths if not p.exists()]
        if missing or not paths:
            raise StoreError(f"a report the store was built from is gone ({missing[0] if missing else '?'}); "
                             "run 'peelgraph build'", path=str(store))
        return build_store(store, paths, curate=m.get("curate", True), skip_bad=bool(m.get("skipped")))
    return StoreInfo((store / "current").resolve(), m)


def open_store(store: Path) -> pyoxigraph.Store:
    """Open the current generation's pyoxigraph store read-only (rebuilt when stale; the default store is
    built from the shipped report on first use, :func:`ensure_store`).

    Raises:
        StoreError: the store cannot be built or opened.
    """
    import pyoxigraph as ox

    info = ensure_store(store)
    try:
        return ox.Store.read_only(str(info.path / "oxigraph"))
    except OSError as exc:
        raise StoreError(f"cannot open the store: {exc}", path=str(store)) from None


class OxigraphBackend:
    """A pyoxigraph ``Store`` as a :class:`~peelgraph.store.backend.Backend`.

    :meth:`open` opens a persisted store read-only (its default graph is the union of the
    report graphs, each triple once); the constructor takes any ``Store`` (an in-memory one
    for examples and tests). ``store`` is pyoxigraph's own store, for code that streams
    results or serialises them with pyoxigraph (the server).

    Example:
        >>> import pyoxigraph as ox
        >>> b = OxigraphBackend.empty()
        >>> b.store.add(ox.Quad(ox.NamedNode("http://e/a"), ox.NamedNode("http://e/p"), ox.Literal("1.50")))
        >>> b.query("SELECT ?o WHERE { ?s ?p ?o }")["results"]["bindings"]
        [{'o': {'type': 'literal', 'value': '1.50'}}]
        >>> b.ask("ASK { ?s ?p ?o }"), b.construct("CONSTRUCT WHERE { ?s ?p ?o }")
        (True, '<http://e/a> <http://e/p> "1.50" .\\n')
        >>> b.query("ASK { ?s ?p ?o }")
        Traceback (most recent call last):
        ...
        peelgraph.errors.QueryError: not a SELECT query (this is an ASK query)
    """

    def __init__(self, store: pyoxigraph.Store, name: str = "a pyoxigraph store") -> None:
        self._store: pyoxigraph.Store | None = store
        self.name = name

    @classmethod
    def open(cls, path: Path) -> OxigraphBackend:
        """The persisted store at ``path``, read-only (rebuilt when stale; only the default store is built
        from the shipped report when it holds no graph).

        Raises:
            StoreError: the store cannot be built or opened.
        """
        return cls(open_store(path), f"the store at {path}")

    @classmethod
    def empty(cls) -> OxigraphBackend:
        """A new, empty in-memory store (for examples and tests)."""
        import pyoxigraph as ox

        return cls(ox.Store(), "an in-memory pyoxigraph store")

    @property
    def store(self) -> pyoxigraph.Store:
        """pyoxigraph's own store.

        Raises:
            StoreError: the backend has been closed.
        """
        if self._store is None:
            raise StoreError(f"{self.name} is closed")
        return self._store

    def query(self, text: str) -> ResultsJSON:
        """Run a SELECT query; SPARQL 1.1 Query Results JSON (see :class:`~peelgraph.store.backend.Backend`)."""
        import pyoxigraph as ox

        def convert(res: _Results) -> ResultsJSON:
            if not isinstance(res, ox.QuerySolutions):
                raise QueryError(f"not a SELECT query (this is {_form(res)} query)")
            return solutions_json(res)

        return self._run(text, convert)

    def ask(self, text: str) -> bool:
        """Run an ASK query."""
        import pyoxigraph as ox

        def convert(res: _Results) -> bool:
            if not isinstance(res, ox.QueryBoolean):
                raise QueryError(f"not an ASK query (this is {_form(res)} query)")
            return bool(res)

        return self._run(text, convert)

    def construct(self, text: str) -> str:
        """Run a CONSTRUCT query; sorted N-Triples."""
        return self._triples(text, "CONSTRUCT")

    def describe(self, text: str) -> str:
        """Run a DESCRIBE query; sorted N-Triples."""
        return self._triples(text, "DESCRIBE")

    def close(self) -> None:
        """Let go of the store (a read-only store on disk is closed when nothing holds it)."""
        self._store = None

    def _triples(self, text: str, form: str) -> str:
        import pyoxigraph as ox

        def convert(res: _Results) -> str:
            if not isinstance(res, ox.QueryTriples) or query_form(text) != form:
                raise QueryError(f"not a {form} query (this is {_form(res, text)} query)")
            return sorted_ntriples((ox.serialize(res, format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8"))

        return self._run(text, convert)

    def _run(self, text: str, convert: Callable[[_Results], _T]) -> _T:
        """Run ``text`` and convert its results on this thread (pyoxigraph evaluates lazily, and its
        result iterators must be dropped on the thread that made them); errors as peelgraph errors."""
        store = self.store
        try:
            return convert(store.query(text))
        except SyntaxError as exc:
            raise _syntax_error(exc) from None
        except (OSError, ValueError, RuntimeError) as exc:  # evaluation errors (a SERVICE call, I/O)
            raise QueryError(f"the query failed: {exc}") from None

    def __repr__(self) -> str:
        return f"<OxigraphBackend: {self.name}>"


def _form(res: _Results, text: str = "") -> str:
    import pyoxigraph as ox

    if isinstance(res, ox.QuerySolutions):
        return "a SELECT"
    if isinstance(res, ox.QueryBoolean):
        return "an ASK"
    return f"a {query_form(text) or 'CONSTRUCT'}"


def _syntax_error(exc: SyntaxError) -> QueryError:
    import re

    msg = str(exc)
    m = re.search(r"error at (\d+):(\d+):?\s*", msg)
    if m:
        return QueryError(f"malformed query: {msg[m.end():]}", line=int(m.group(1)), column=int(m.group(2)))
    return QueryError(f"malformed query: {msg}")


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"


def term_json(term: _Term) -> dict[str, str]:
    """One RDF term in the SPARQL 1.1 Query Results JSON format.

    Example:
        >>> import pyoxigraph as ox
        >>> term_json(ox.Literal("1", datatype=ox.NamedNode("http://www.w3.org/2001/XMLSchema#integer")))
        {'type': 'literal', 'value': '1', 'datatype': 'http://www.w3.org/2001/XMLSchema#integer'}
    """
    import pyoxigraph as ox

    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != _XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    return {"type": "triple", "value": str(term)}


def solutions_json(res: pyoxigraph.QuerySolutions) -> ResultsJSON:
    """SELECT solutions as SPARQL 1.1 Query Results JSON (as pyoxigraph would serialise them)."""
    names = [v.value for v in res.variables]
    bindings = []
    for row in res:
        b: dict[str, dict[str, str]] = {}
        for i, n in enumerate(names):
            t = row[i]
            if t is not None:
                b[n] = term_json(t)
        bindings.append(b)
    return {"head": {"vars": names}, "results": {"bindings": bindings}}
