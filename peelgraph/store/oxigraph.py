"""The persisted store: canonical N-Quads plus a pyoxigraph cache, rebuilt when inputs change.

A store is a folder (``--store PATH``, else ``$PEELGRAPH_STORE``, else
``$XDG_CACHE_HOME/peelgraph/store``, i.e. ``~/.cache/peelgraph/store``)::

    PATH/current -> gen-<hash>       symlink, swapped atomically
    PATH/gen-<hash>/graph.nq         the canonical graph (one named graph per report)
    PATH/gen-<hash>/manifest.json    inputs and their SHA-256, code fingerprint, versions
    PATH/gen-<hash>/oxigraph/        pyoxigraph's on-disk store, a cache of graph.nq: the named
                                     graphs, and their union (each triple once) as the default graph
    PATH/gen-<hash>/readers.lock     a shared lock held by every reader of the generation
    PATH/lock                        held while building

A build writes a new generation and then swaps ``current``; a crash mid-build leaves the
previous generation in use (and its ``gen-tmp-*`` folder, removed by the next build whatever
its outcome). A reader holds a shared lock on its generation's ``readers.lock`` for as long as
it reads; a build removes an old generation only when it can take that lock exclusively, so
no reader ever sees its generation disappear (one still in use is removed by a later build).

A damaged store (``current`` missing or dangling, ``manifest.json`` missing or unreadable,
``graph.nq`` missing or not what the manifest records, pyoxigraph's files unreadable) is an
error that says what is wrong and points to ``peelgraph doctor``; it is never replaced by
anything on its own, and nothing in it is deleted. :func:`check_store` checks a store,
:func:`repair_store` rebuilds it from its recorded reports or, failing that, from its
``graph.nq``. The store is stale when a report, its curation file, the
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
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple, TypeAlias, TypeVar

from peelgraph import __version__
from peelgraph.errors import InputError, QueryError, StoreError
from peelgraph.resources import code_files, code_fingerprint, curation_file, expand_inputs, shipped_reports
from peelgraph.store.backend import ResultsJSON, query_form, sorted_ntriples

if TYPE_CHECKING:
    import pyoxigraph

    from peelgraph.graph.build import BuildResult

    _Results: TypeAlias = pyoxigraph.QuerySolutions | pyoxigraph.QueryBoolean | pyoxigraph.QueryTriples
    _Term: TypeAlias = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple

_T = TypeVar("_T")

__all__ = [
    "OxigraphBackend",
    "StoreInfo",
    "StoreCheck",
    "REPAIR_HINT",
    "default_store_path",
    "build_store",
    "load_store",
    "ensure_store",
    "check_store",
    "repair_store",
    "reading",
    "hold_generation",
    "release",
    "lock_generation",
    "stale_reason",
    "samples_allowed",
    "open_store",
    "is_stale",
    "read_manifest",
    "term_json",
]


class StoreInfo(NamedTuple):
    """A built store generation; ``warnings`` say when it is stale and could not be rebuilt."""

    path: Path
    manifest: dict[str, Any]
    warnings: tuple[str, ...] = ()

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


def _absolute(p: Path) -> Path:
    """``p`` resolved, or only made absolute when it cannot be (a link loop: the build reports it)."""
    try:
        return p.resolve()
    except (OSError, RuntimeError):
        return p.absolute()


def _sha_or_none(path: Path) -> str | None:
    try:
        return _sha(path) if path.is_file() else None
    except OSError:
        return None


def _inputs(args: Sequence[Path], curate: bool) -> list[dict[str, Any]]:
    out = []
    for p in expand_inputs(args):
        p = _absolute(Path(p))
        entry: dict[str, Any] = {"path": str(p), "sha256": _sha_or_none(p)}
        entry["curation"] = _sha_or_none(curation_file(p)) if curate else None
        out.append(entry)
    return out


REPAIR_HINT = ("run 'peelgraph doctor --repair' (it rebuilds the graph from the reports the store records, "
               "or from its graph.nq), or 'peelgraph build' to start again")
_READERS = "readers.lock"
_REQUIRED_KEYS = ("args", "inputs", "reports", "stat")


def read_manifest(store: Path) -> dict[str, Any] | None:
    """The current generation's manifest, or None when there is none or it cannot be read."""
    try:
        data = json.loads((store / "current" / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError, RuntimeError):
        return None
    return data if isinstance(data, dict) else None


@dataclass(frozen=True)
class StoreCheck:
    """What :func:`check_store` found: ``state`` is ``empty`` (no graph was ever built there),
    ``ok`` or ``damaged``; ``problems`` says what is wrong, ``generation`` is the folder ``current``
    points to (when it does)."""

    store: Path
    state: str
    problems: tuple[str, ...] = ()
    generation: Path | None = None
    manifest: dict[str, Any] | None = None
    stale: str | None = None

    @property
    def ok(self) -> bool:
        """True when the store holds a usable graph."""
        return self.state == "ok"


def _generations(store: Path) -> list[Path]:
    try:
        return sorted(p for p in store.glob("gen-*") if not p.name.startswith("gen-tmp-") and p.is_dir())
    except OSError:
        return []


def _check(store: Path, *, deep: bool) -> StoreCheck:
    """The store's state; ``deep`` also hashes graph.nq and opens pyoxigraph's files."""
    current = store / "current"
    if not current.is_symlink() and not current.exists():
        gens = _generations(store)
        if not gens:
            return StoreCheck(store, "empty")
        return StoreCheck(store, "damaged", (f"the link 'current' is missing ({len(gens)} generation(s) remain: "
                                             f"{', '.join(g.name for g in gens)})",))
    try:
        gen = current.resolve(strict=True)
    except (OSError, RuntimeError):
        target = os.readlink(current) if current.is_symlink() else "?"
        return StoreCheck(store, "damaged", (f"the link 'current' points to {target}, which does not exist",))
    if not gen.is_dir():
        return StoreCheck(store, "damaged", ("'current' is not a generation folder",), gen)
    problems = []
    m = _manifest_of(gen)  # of this generation, whatever 'current' points to by now
    if m is None:
        why = "missing" if not (gen / "manifest.json").exists() else "unreadable (not JSON)"
        problems.append(f"{gen.name}/manifest.json is {why}")
    elif any(k not in m for k in _REQUIRED_KEYS):
        problems.append(f"{gen.name}/manifest.json lacks {', '.join(k for k in _REQUIRED_KEYS if k not in m)}")
    nq = gen / "graph.nq"
    if not nq.is_file():
        problems.append(f"{gen.name}/graph.nq is missing")
    elif m is not None and m.get("graph_bytes") is not None and nq.stat().st_size != m["graph_bytes"]:
        problems.append(f"{gen.name}/graph.nq is {nq.stat().st_size} bytes, "
                        f"not the {m['graph_bytes']} it was built with")
    elif deep and m is not None and m.get("graph_sha256") and _sha(nq) != m["graph_sha256"]:
        problems.append(f"{gen.name}/graph.nq has changed since it was built (its SHA-256 differs)")
    if not (gen / "oxigraph").is_dir():
        problems.append(f"{gen.name}/oxigraph/ is missing")
    elif deep:
        unreadable = _open_problem(gen)
        if unreadable:
            problems.append(f"{gen.name}/oxigraph/ cannot be read ({unreadable})")
    if problems:
        return StoreCheck(store, "damaged", tuple(problems), gen, m)
    return StoreCheck(store, "ok", (), gen, m)


def _open_problem(gen: Path) -> str | None:
    """Why pyoxigraph cannot open and read a generation's store, or None."""
    import pyoxigraph as ox

    try:
        db = ox.Store.read_only(str(gen / "oxigraph"))
        n = sum(1 for _ in db.quads_for_pattern(None, None, None, None))
        return None if n else "it holds no triples"
    except (OSError, RuntimeError, ValueError) as exc:
        return _first_line(exc)


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip() or type(exc).__name__
    return text.splitlines()[0][:300]


def check_store(store: Path) -> StoreCheck:
    """Check a store thoroughly (what ``peelgraph doctor`` reports): its link, manifest, graph.nq
    (against the SHA-256 recorded when it was built), pyoxigraph's files (opened and read), and
    whether it is stale.

    Example:
        >>> import tempfile, pathlib
        >>> check_store(pathlib.Path(tempfile.mkdtemp()) / "none").state
        'empty'
    """
    chk = _check(store, deep=True)
    if chk.ok:
        return replace(chk, stale=stale_reason(store, chk.manifest))
    return chk


def _damaged(chk: StoreCheck) -> StoreError:
    return StoreError(f"the store is damaged: {'; '.join(chk.problems)}; {REPAIR_HINT}", path=str(chk.store))


def _stat_signature(args: Sequence[Path], curate: bool) -> list[list[Any]]:
    """(path, mtime, size) of every input, curation file and code file: a cheap first check."""
    files = list(expand_inputs(args))
    files += [curation_file(_absolute(p)) for p in files if curate]
    files += code_files()
    out = []
    for f in files:
        try:
            st = f.stat()
            out.append([str(f), st.st_mtime_ns, st.st_size])
        except OSError:
            out.append([str(f), None, None])
    return out


def stale_reason(store: Path, manifest: dict[str, Any] | None = None) -> str | None:
    """Why the store's graph (or the generation whose ``manifest`` is given) is out of date (a report,
    its curation file, the extractor's code or pyoxigraph changed), or None when it is up to date (or
    holds no graph: see :func:`check_store`)."""
    m = manifest if manifest is not None else read_manifest(store)
    if m is None:
        return None
    if m.get("oxigraph") != _oxigraph_version():
        return f"pyoxigraph changed ({m.get('oxigraph')} -> {_oxigraph_version()})"
    if m.get("loaded_from"):
        return None  # a graph dump: no reports, curation or extractor code it depends on
    try:
        args = [Path(a) for a in m["args"]]
        if _stat_signature(args, m.get("curate", True)) == m.get("stat"):
            return None
        gone = [str(a) for a in args if not a.exists()]
        if gone:
            return f"a report it was built from is gone ({gone[0]})"
        if m.get("code") != code_fingerprint():
            return "peelgraph's extractor changed"
        if _inputs(args, m.get("curate", True)) != m["inputs"]:
            return "a report or its curation file changed"
        return None
    except (OSError, KeyError, TypeError, ValueError, RuntimeError) as exc:
        return f"its reports cannot be checked ({_first_line(exc)})"


def is_stale(store: Path) -> bool:
    """True when the store is missing or any recorded input, the code or pyoxigraph changed.

    File sizes and modification times are compared first (cheap, so the query commands stay
    fast); only when they differ are the contents hashed again.
    """
    return read_manifest(store) is None or stale_reason(store) is not None


@contextlib.contextmanager
def _locked(store: Path, *, wait: bool = True) -> Iterator[bool]:
    """The store's build lock, held exclusively; yields False (not held) when ``wait`` is off and
    another build holds it.

    Raises:
        StoreError: the store folder cannot be created or written (read-only, no permission).
    """
    import fcntl

    try:
        store.mkdir(parents=True, exist_ok=True)
        fh = open(store / "lock", "a")  # noqa: SIM115
    except OSError as exc:
        raise StoreError(f"cannot write the store: {exc.strerror or exc}", path=str(store)) from None
    with fh:
        try:
            fcntl.flock(fh, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)


def _clean_tmp(store: Path) -> None:
    """Remove what killed builds left (``gen-tmp-*``, ``current.tmp-*``); the build lock is held."""
    import shutil

    for p in [*store.glob("gen-tmp-*"), *store.glob("current.tmp-*")]:
        if p.is_dir() and not p.is_symlink():
            shutil.rmtree(p, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                p.unlink()


def _remove_unused(store: Path, keep: Path) -> None:
    """Remove every generation but ``keep`` that no reader holds (the build lock is held)."""
    import fcntl
    import shutil

    for old in _generations(store):
        if old.name == keep.name:
            continue
        try:
            fd = os.open(old / _READERS, os.O_RDONLY)
        except OSError:
            fd = -1  # a generation without the lock file: written before readers took locks, or broken
        try:
            if fd >= 0:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            shutil.rmtree(old, ignore_errors=True)
        except BlockingIOError:
            continue  # a reader holds it: a later build removes it
        finally:
            if fd >= 0:
                os.close(fd)


def hold_generation(store: Path) -> tuple[Path, int | None]:
    """The current generation with a shared lock on it: ``(folder, file descriptor)``. While the
    descriptor is open no build removes the folder; close it (:func:`release`) when done.

    Raises:
        StoreError: the store is damaged.
    """
    import fcntl

    for _ in range(100):
        chk = _check(store, deep=False)
        if chk.state == "empty":
            raise StoreError(f"the store at {store} holds no graph; run peelgraph build")
        if chk.generation is None or chk.state != "ok":
            if _moved(store, chk.generation):
                continue  # a build swapped 'current' while it was checked
            raise _damaged(chk)
        gen = chk.generation
        try:
            fd = os.open(gen / _READERS, os.O_RDONLY)
        except FileNotFoundError:
            if (gen / "manifest.json").is_file():
                return gen, None  # written before readers took locks
            continue  # removed meanwhile: read 'current' again
        except OSError as exc:
            raise StoreError(f"cannot read the store: {exc.strerror or exc}", path=str(store)) from None
        fcntl.flock(fd, fcntl.LOCK_SH)
        if (gen / "manifest.json").is_file():
            return gen, fd
        os.close(fd)  # removed between reading 'current' and taking the lock
    raise StoreError("the store keeps changing under this reader; try again", path=str(store))


def lock_generation(gen: Path) -> int | None:
    """A shared lock on one generation folder (a server's worker that was told which generation to
    read): the file descriptor to :func:`release`, or None when the folder has no readers' lock (built
    before readers took locks) or is gone (the caller's open of the store then fails, and it retries)."""
    import fcntl

    try:
        fd = os.open(Path(gen) / _READERS, os.O_RDONLY)
    except OSError:
        return None
    fcntl.flock(fd, fcntl.LOCK_SH)
    return fd


def _moved(store: Path, gen: Path | None) -> bool:
    """Whether 'current' now points elsewhere than ``gen`` (a build swapped it meanwhile)."""
    try:
        now = (store / "current").resolve(strict=True)
    except (OSError, RuntimeError):
        return False
    return gen is None or now != gen


def release(fd: int | None) -> None:
    """Let go of a generation held by :func:`hold_generation`."""
    if fd is not None:
        with contextlib.suppress(OSError):
            os.close(fd)


@contextlib.contextmanager
def reading(store: Path, *, build_if_missing: bool | None = None) -> Iterator[StoreInfo]:
    """The store, fresh (:func:`ensure_store`), held against removal while the block runs, with its
    graph.nq checked against the SHA-256 recorded when it was built. For commands that read
    graph.nq (export, validate, the memory store).

    Raises:
        StoreError: the store holds no graph, or is damaged (graph.nq changed since it was built).
    """
    info = ensure_store(store, build_if_missing=build_if_missing)
    gen, fd = hold_generation(store)
    try:
        m = _manifest_of(gen) or info.manifest
        if m.get("graph_sha256") and _sha(gen / "graph.nq") != m["graph_sha256"]:
            raise _damaged(StoreCheck(store, "damaged", (f"{gen.name}/graph.nq has changed since it was built "
                                                         "(its SHA-256 differs)",), gen))
        yield StoreInfo(gen, m, info.warnings)
    finally:
        release(fd)


def build_store(store: Path, paths: Sequence[str | Path] | None = None, *, curate: bool = True,
                skip_bad: bool = False, progress: Callable[[Path], None] | None = None,
                max_bytes: int | None = None, jobs: int | None = None) -> StoreInfo:
    """Build the graph of ``paths`` (report files or folders; default: the shipped reports)
    into a new store generation. Reports unchanged since an earlier build are not extracted
    again (``PATH/cache/``); with ``skip_bad`` an unreadable file is reported and skipped.
    ``max_bytes`` is the largest report file accepted (default :data:`peelgraph.graph.build.MAX_BYTES`);
    ``jobs`` extracts in that many processes (default: in this one), with the same result.

    Nothing already built is damaged when this fails: the new generation is written
    beside the old one and swapped in only when complete. The build lock is taken first, so a
    store that cannot be written fails at once, before anything is extracted.

    Raises:
        ReportError: no report can be read (or, without ``skip_bad``, one cannot).
        StoreError: the store cannot be written.
    """
    from peelgraph.graph.build import MAX_BYTES, build

    limit = MAX_BYTES if max_bytes is None else max_bytes
    args = [_absolute(Path(p)) for p in (paths if paths else shipped_reports())]
    with _locked(store):
        _clean_tmp(store)
        result = build(args, curate=curate, cache_dir=store / "cache", skip_bad=skip_bad, progress=progress,
                       max_bytes=limit, jobs=jobs)
        try:
            gen, manifest = _write_generation(store, result, args, curate, limit)
        except OSError as exc:
            raise StoreError(f"cannot write the store: {exc.strerror or exc}", path=str(store)) from None
        _remove_unused(store, gen)
    return StoreInfo(gen, manifest)


def _write_generation(store: Path, result: BuildResult, args: list[Path], curate: bool, limit: int,
                      old: dict[str, Any] | None = None, *, loaded: bool = False,
                      data: bytes | Path | None = None) -> tuple[Path, dict[str, Any]]:
    """Write a generation and swap ``current`` to it (the build lock is held). ``old`` is the manifest
    of the generation whose graph.nq is reused (a repair), or what :func:`load_store` records
    (``loaded``): its inputs and ``loaded_from`` are kept, and its reports are the graph's. ``data``
    is the graph's canonical N-Quads, as bytes or a file to copy (default: ``result.nquads``)."""
    import hashlib
    import shutil
    import tempfile

    tmp = Path(tempfile.mkdtemp(prefix="gen-tmp-", dir=store))
    try:
        if isinstance(data, Path):
            shutil.copyfile(data, tmp / "graph.nq")
        else:
            (tmp / "graph.nq").write_bytes(result.nquads.encode("utf-8") if data is None else data)
        if result.texts:
            (tmp / "texts").mkdir()
            for rid, text in result.texts:
                (tmp / "texts" / f"{rid}.txt").write_text(text, encoding="utf-8")
        graphs = _load_oxigraph(tmp)
        data = (tmp / "graph.nq").read_bytes() if isinstance(data, Path) else data  # the engine's memory is free now
        if data is None:
            data = result.nquads.encode("utf-8")
        if loaded and old is not None:
            old = {**old, "reports": sorted(g[len(_REPORT_GRAPH):] for g in graphs if g.startswith(_REPORT_GRAPH))}
        manifest = {
            "peelgraph": __version__,
            "code": code_fingerprint(),
            "oxigraph": _oxigraph_version(),
            "curate": curate,
            "args": [str(a) for a in args],
            "inputs": old.get("inputs", []) if old is not None else _inputs(args, curate),
            "stat": _stat_signature(args, curate),
            "reports": old.get("reports", []) if old is not None else [ex.report.id for ex in result.extractions],
            "triples": data.count(b"\n"),
            "graph_bytes": len(data),
            "graph_sha256": hashlib.sha256(data).hexdigest(),
            "max_bytes": limit,
            "warnings": list(result.warnings),
            "skipped": [list(x) for x in result.skipped],
            "reused": result.reused,
        }
        if old is not None and old.get("loaded_from"):
            manifest["loaded_from"] = {**old["loaded_from"],
                                       "sha256": old["loaded_from"].get("sha256") or manifest["graph_sha256"]}
        if old is not None and not loaded:
            manifest["repaired_from"] = "graph.nq"
        (tmp / "manifest.json").write_text(json.dumps(manifest, indent=1, sort_keys=True), encoding="utf-8")
        (tmp / _READERS).touch()
        name = f"gen-{hashlib.sha256(json.dumps(manifest, sort_keys=True).encode()).hexdigest()[:12]}"
        gen, n = store / name, 1
        while gen.exists() or gen.is_symlink():  # never reuse a folder a reader may hold
            n += 1
            gen = store / f"{name}-{n}"
        tmp.rename(gen)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    link_tmp = store / f"current.tmp-{os.getpid()}"
    with contextlib.suppress(FileNotFoundError):
        link_tmp.unlink()
    link_tmp.symlink_to(gen.name)
    os.replace(link_tmp, store / "current")
    return gen, manifest


def _load_oxigraph(gen: Path) -> list[str]:
    """Load the cache from graph.nq: each report's
    named graph, and their union, each triple once, as the default graph; returns the names of the
    named graphs, sorted. Queries run on the default graph: a union computed at query time would
    return a triple once per graph that holds it (shared vocabulary, a force named in many
    reports), multiplying rows and joins.

    The two bulk loads run at once, the named graphs on a second thread (pyoxigraph lets go of
    the interpreter while it loads), the union on this one from the same lines without their
    graph names (:func:`_write_union`), so loading costs about one bulk load's time
    when a second core is free.

    Raises:
        ValueError, SyntaxError: graph.nq does not parse, or holds triples outside any named graph.
    """
    import threading

    import pyoxigraph as ox

    nq, union = gen / "graph.nq", gen / "union.nt"
    db = ox.Store(str(gen / "oxigraph"))
    failed: list[BaseException] = []

    def named(db: ox.Store, path: str) -> None:
        try:
            db.bulk_load(path=path, format=ox.RdfFormat.N_QUADS)  # from a path: the engine reads it without the GIL
        except BaseException as exc:  # noqa: BLE001 - re-raised on the calling thread
            failed.append(exc)

    worker = threading.Thread(target=named, args=(db, str(nq)), name="peelgraph-bulk-load", daemon=True)
    worker.start()
    union_failed = False
    try:
        _write_union(nq, union)
        try:
            db.bulk_load(path=str(union), format=ox.RdfFormat.N_TRIPLES, lenient=True)  # checked by the other load
        except (ValueError, SyntaxError):
            union_failed = True
    finally:
        worker.join()
        union.unlink(missing_ok=True)
    if failed:
        raise failed[0]
    if union_failed:  # the quads parse, their triples do not: a line without a graph name
        raise ValueError("it holds triples outside any named graph (peelgraph keeps each report in its own)")
    db.flush()
    graphs = sorted(str(g.value) for g in db.named_graphs())
    del db
    return graphs


_CHUNK = 1 << 22


def _triples(quads: bytes) -> bytes:
    """Whole lines of N-Quads as N-Triples: each line without its graph name (its last two words
    are the graph name and the full stop; a line without a graph name loses its object, and the
    engine then refuses it).

    Example:
        >>> _triples(b'<a:s> <a:p> "x y" <a:g> .\\n<a:s> <a:p> <a:o> _:g .\\n')
        b'<a:s> <a:p> "x y" .\\n<a:s> <a:p> <a:o> .\\n'
    """
    return b"".join([ln.rsplit(b" ", 2)[0] + b" .\n" for ln in quads.split(b"\n") if ln])


def _write_union(nq: Path, out: Path) -> None:
    """Write :func:`_triples` of N-Quads file ``nq`` to ``out``, a few MiB at a time."""
    with nq.open("rb") as src, out.open("wb") as dst:
        while chunk := src.read(_CHUNK):
            dst.write(_triples(chunk + src.readline()))


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
    except (OSError, RuntimeError):
        return False


def ensure_store(store: Path, *, build_if_missing: bool | None = None) -> StoreInfo:
    """A fresh store: rebuilt from its recorded inputs when stale; when it holds no graph, built from the
    shipped reports only if ``build_if_missing`` (default: only the default store, :func:`samples_allowed`).

    When the store is stale but cannot be rebuilt (a report it was built from is gone or no longer
    reads, the store cannot be written), the graph as it was built is used and ``warnings`` says so.
    A damaged store is never rebuilt on its own, nor replaced by the shipped report.

    Raises:
        StoreError: the store holds no graph (empty, or its build failed) and may not be filled with the
            sample; the store is damaged (the message says how to repair it).
    """
    chk = _check(store, deep=False)
    for _ in range(20):
        if chk.state != "damaged" or not _moved(store, chk.generation):
            break
        chk = _check(store, deep=False)  # a build swapped 'current' (and removed the old one) meanwhile
    if chk.state == "empty":
        if not (samples_allowed(store) if build_if_missing is None else build_if_missing):
            raise StoreError(f"the store at {store} holds no graph; run peelgraph build")
        return build_store(store)
    if not chk.ok or chk.generation is None or chk.manifest is None:
        raise _damaged(chk)
    m, gen = chk.manifest, chk.generation
    why = stale_reason(store, m)
    if why is None:
        return StoreInfo(gen, m)
    stale = f"the graph is stale: {why}; answering from the graph as it was built"
    paths = [Path(a) for a in m.get("args", [])]
    if not paths or any(not p.exists() for p in paths):
        return StoreInfo(gen, m, (f"{stale} (run 'peelgraph build' with the reports' paths to rebuild it)",))
    if not os.access(store, os.W_OK):
        return StoreInfo(gen, m, (f"{stale} (the store cannot be written, so it is not rebuilt)",))
    try:
        return build_store(store, paths, curate=m.get("curate", True), skip_bad=bool(m.get("skipped")),
                           max_bytes=m.get("max_bytes"))
    except InputError as exc:
        return StoreInfo(gen, m, (f"{stale} (rebuilding it failed: {exc})",))


def open_store(store: Path) -> pyoxigraph.Store:
    """Open the current generation's pyoxigraph store read-only (rebuilt when stale; the default store is
    built from the shipped report on first use, :func:`ensure_store`). The generation stays held
    against removal until the process ends; :meth:`OxigraphBackend.open` lets go of it on ``close``.

    Raises:
        StoreError: the store cannot be built or opened, or is damaged.
    """
    return _open(store)[0]


def _open(store: Path) -> tuple[pyoxigraph.Store, int | None, StoreInfo]:
    import pyoxigraph as ox

    info = ensure_store(store)
    gen, fd = hold_generation(store)
    try:
        db = ox.Store.read_only(str(gen / "oxigraph"))
    except (OSError, RuntimeError, ValueError) as exc:
        release(fd)
        raise _damaged(StoreCheck(store, "damaged", (f"{gen.name}/oxigraph/ cannot be read ({_first_line(exc)})",),
                                  gen)) from None
    return db, fd, StoreInfo(gen, _manifest_of(gen) or info.manifest, info.warnings)


def repair_store(store: Path) -> tuple[str, StoreInfo]:
    """Repair a damaged or stale store: rebuild it from the reports its manifest records, or when
    they are gone or unreadable, from its graph.nq (when that still parses and is what was built).
    Returns how it was repaired and the new generation; a healthy store is left as it is.

    Raises:
        StoreError: the store holds no graph, or neither way works (the message says why).
    """
    chk = check_store(store)
    if chk.state == "empty":
        raise StoreError(f"the store at {store} holds no graph; run peelgraph build")
    if chk.ok and chk.generation is not None and chk.manifest is not None and chk.stale is None:
        return "nothing to repair", StoreInfo(chk.generation, chk.manifest)
    gens = ([chk.generation] if chk.generation is not None else []) + \
        sorted((g for g in _generations(store) if chk.generation is None or g.name != chk.generation.name),
               key=_mtime, reverse=True)
    manifests = [m for m in (_manifest_of(g) for g in gens) if m is not None]
    failures = []
    m = manifests[0] if manifests else None
    if m is not None and m.get("args"):
        paths = [Path(a) for a in m["args"]]
        gone = [str(p) for p in paths if not p.exists()]
        if gone:
            failures.append(f"a report it was built from is gone ({gone[0]})")
        else:
            try:
                info = build_store(store, paths, curate=m.get("curate", True), skip_bad=bool(m.get("skipped")),
                                   max_bytes=m.get("max_bytes"))
                return f"rebuilt from the {len(paths)} report path(s) it records", info
            except InputError as exc:
                failures.append(f"rebuilding from its reports failed ({exc})")
    else:
        failures.append("no readable manifest records its reports")
    for g in gens:
        try:
            info = _rebuild_from_nquads(store, g)
            return f"rebuilt from {g.name}/graph.nq", info
        except StoreError as exc:
            failures.append(exc.message)
    raise StoreError(f"cannot repair the store: {'; '.join(failures)}; run 'peelgraph build REPORTS' to start again",
                     path=str(store))


def _mtime(p: Path) -> float:
    try:
        return p.stat().st_mtime
    except OSError:
        return 0.0


def _manifest_of(gen: Path) -> dict[str, Any] | None:
    try:
        data = json.loads((gen / "manifest.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _rebuild_from_nquads(store: Path, gen: Path) -> StoreInfo:
    """A new generation from another's graph.nq (and its PDF texts), when it parses and, if its
    manifest records one, matches its SHA-256."""
    import pyoxigraph as ox

    from peelgraph.graph.build import BuildResult

    nq = gen / "graph.nq"
    if not nq.is_file():
        raise StoreError(f"{gen.name}/graph.nq is missing")
    old = _manifest_of(gen) or {}
    if old.get("graph_sha256") and _sha(nq) != old["graph_sha256"]:
        raise StoreError(f"{gen.name}/graph.nq has changed since it was built (its SHA-256 differs)")
    try:
        text = nq.read_text(encoding="utf-8")
        for _ in ox.parse(text, format=ox.RdfFormat.N_QUADS):
            pass
    except (OSError, ValueError, SyntaxError) as exc:
        raise StoreError(f"{gen.name}/graph.nq cannot be read ({_first_line(exc)})") from None
    if not text.strip():
        raise StoreError(f"{gen.name}/graph.nq is empty")
    if not old.get("reports"):
        old = {**old, "reports": _report_ids(text)}
    texts = tuple(sorted((p.stem, p.read_text(encoding="utf-8")) for p in (gen / "texts").glob("*.txt"))) \
        if (gen / "texts").is_dir() else ()
    result = BuildResult((), tuple(old.get("warnings", [])), text, tuple(tuple(x) for x in old.get("skipped", [])),
                         texts, 0)
    args = [Path(a) for a in old.get("args", [])]
    with _locked(store):
        _clean_tmp(store)
        try:
            new, manifest = _write_generation(store, result, args, bool(old.get("curate", True)),
                                              int(old.get("max_bytes") or _default_max()), old)
        except OSError as exc:
            raise StoreError(f"cannot write the store: {exc.strerror or exc}", path=str(store)) from None
        _remove_unused(store, new)
    return StoreInfo(new, manifest)


_REPORT_GRAPH = "https://w3id.org/peelgraph/id/report/"


def _report_ids(text: str) -> list[str]:
    """The reports whose graphs canonical N-Quads ``text`` holds, from the names of the graphs."""
    prefix = "<" + _REPORT_GRAPH
    return sorted({ln.rsplit(" ", 2)[1][len(prefix):-1] for ln in text.split("\n")
                   if ln.rsplit(" ", 2)[1:2] and ln.rsplit(" ", 2)[1].startswith(prefix)})


_DUMP_FORMATS = {".nq": "N_QUADS", ".trig": "TRIG", ".nt": "N_TRIPLES"}
LOADED_GRAPH = "https://w3id.org/peelgraph/id/graph/loaded"


def load_store(store: Path, dump: str | Path) -> StoreInfo:
    """Make the store's graph from a graph dump (``.nq``, ``.trig`` or ``.nt``: an export from another
    machine, a corpus built elsewhere), in a new generation laid out as a build's, with the dump's
    path, size and SHA-256 recorded under ``loaded_from`` in the manifest. Triples of an N-Triples
    file go to the named graph :data:`LOADED_GRAPH`; a dump in N-Quads that is already canonical
    (sorted, each quad once, each in a named graph: what ``peelgraph export --format nq`` writes)
    is kept byte for byte, any other is written out by pyoxigraph and sorted.

    Nothing already in the store is touched when this fails.

    Raises:
        InputError: the file is missing, not one of the formats, does not parse, holds no quads, or
            (N-Quads, TriG) holds triples outside any named graph.
        StoreError: the store cannot be written.
    """
    import hashlib

    from peelgraph.graph.build import BuildResult

    src = _absolute(Path(dump))
    kind = _DUMP_FORMATS.get(src.suffix.lower())
    if kind is None:
        raise InputError(f"cannot load {src.name}: a graph dump is a .nq, .trig or .nt file", path=str(src))
    try:
        data = src.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read {src}: {exc.strerror or exc}", path=str(src)) from None
    try:
        # a canonical dump is kept as it is (the engine checks it as it loads it)
        nquads = data if kind == "N_QUADS" and _canonical(data) else _canonical_dump(data, kind)
    except (ValueError, SyntaxError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot load {src.name}: {_first_line(exc)}", path=str(src)) from None
    if not nquads.strip():
        raise InputError(f"cannot load {src.name}: it holds no triples", path=str(src))
    # a dump kept byte for byte is copied, and hashed once, as graph.nq, once it is loaded
    kept = nquads is data
    origin = {"path": str(src), "bytes": len(data), "sha256": None if kept else hashlib.sha256(data).hexdigest(),
              "format": kind}
    graph: bytes | Path = src if kept else nquads
    del data, nquads  # not held while the engine loads (a corpus is hundreds of MB)
    with _locked(store):
        _clean_tmp(store)
        try:
            gen, manifest = _write_generation(store, BuildResult((), (), "", (), (), 0), [], True, _default_max(),
                                              {"inputs": [], "loaded_from": origin}, loaded=True, data=graph)
        except OSError as exc:
            raise StoreError(f"cannot write the store: {exc.strerror or exc}", path=str(store)) from None
        except (ValueError, SyntaxError) as exc:
            raise InputError(f"cannot load {src.name}: {_first_line(exc)}", path=str(src)) from None
        _remove_unused(store, gen)
    return StoreInfo(gen, manifest)


def _canonical(data: bytes) -> bool:
    """Whether N-Quads ``data`` is canonical: lines sorted, each once, none blank or a comment, each
    ending in a graph name (checked at C speed: a corpus has millions of lines).

    Example:
        >>> a, b = b"<a:s> <a:p> <a:o> <a:g> .\\n", b"<a:t> <a:p> <a:o> <a:g> .\\n"
        >>> _canonical(a + b), _canonical(b + a), _canonical(a + a)
        (True, False, False)
    """
    import itertools
    import operator

    lines = data.split(b"\n")
    if lines.pop() != b"" or not lines:
        return False
    if not all(map(bytes.endswith, lines, itertools.repeat(b"> ."))) or \
            any(map(bytes.startswith, lines, itertools.repeat(b"#"))):
        return False
    return all(map(operator.lt, lines, itertools.islice(lines, 1, None)))


def _canonical_dump(data: bytes, kind: str) -> bytes:
    """Any dump as canonical N-Quads: parsed and written out by pyoxigraph (the engine's own writer,
    which is peelgraph's), each quad once, sorted. Triples outside any named graph are left for
    :func:`_load_oxigraph` to refuse.

    Raises:
        SyntaxError: the dump does not parse.
    """
    import pyoxigraph as ox

    fmt = getattr(ox.RdfFormat, kind)
    if kind == "N_TRIPLES":
        graph = f"<{LOADED_GRAPH}> .".encode()
        out = ox.serialize(ox.parse(data, format=fmt), format=fmt) or b""
        lines = {ln[:-1] + graph for ln in out.split(b"\n") if ln}
    else:
        out = ox.serialize(ox.parse(data, format=fmt), format=ox.RdfFormat.N_QUADS) or b""
        lines = {ln for ln in out.split(b"\n") if ln}
    return b"".join(ln + b"\n" for ln in sorted(lines))


def _default_max() -> int:
    from peelgraph.graph.build import MAX_BYTES

    return MAX_BYTES


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

    def __init__(self, store: pyoxigraph.Store, name: str = "a pyoxigraph store", *, hold: int | None = None,
                 warnings: tuple[str, ...] = ()) -> None:
        self._store: pyoxigraph.Store | None = store
        self._hold = hold
        self.name = name
        self.warnings = warnings

    @classmethod
    def open(cls, path: Path) -> OxigraphBackend:
        """The persisted store at ``path``, read-only (rebuilt when stale; only the default store is built
        from the shipped report when it holds no graph). The generation is held against removal by a
        build until :meth:`close`; ``warnings`` says when the graph is stale and could not be rebuilt.

        Raises:
            StoreError: the store cannot be built or opened, or is damaged.
        """
        db, fd, info = _open(path)
        return cls(db, f"the store at {path}", hold=fd, warnings=info.warnings)

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
        """Let go of the store (a read-only store on disk is closed when nothing holds it) and of its
        generation, which a later build may then remove."""
        self._store = None
        hold, self._hold = self._hold, None
        release(hold)

    def __del__(self) -> None:
        release(getattr(self, "_hold", None))

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
            if "Corruption" in str(exc) or "No such file or directory" in str(exc):
                raise StoreError(f"{self.name} is damaged: {_first_line(exc)}; {REPAIR_HINT}") from None
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
