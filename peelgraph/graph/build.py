"""``build(paths)``: the one call that turns report files (or folders of them) into a graph.

Each report runs through the stages in order: ``reports`` (read and lay out; a PDF's text
is extracted first), ``structure`` (the template), ``entities``, ``relations`` and
``findings`` (issue-level facts), then ``curation`` (the report's small curation file, if
any) and ``rdf`` (triples). Each report's triples form their own named graph, named by the
report's IRI, so no fact of one report leaks into another's.

A corpus build takes folders (every ``*.txt`` and ``*.pdf`` under them) and files; with a
cache folder, a report whose file, curation file and extractor code are unchanged is not
extracted again; with ``skip_bad``, a file that cannot be read is reported and skipped
rather than losing the corpus.

Example:
    >>> from peelgraph.resources import shipped_reports
    >>> result = build(shipped_reports())
    >>> result.extractions[0].report.force
    'Warwickshire Police'
"""

from __future__ import annotations

import contextlib
import hashlib
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, TypeAlias

from peelgraph.errors import ReportError
from peelgraph.resources import code_fingerprint, curation_file, scan_inputs

if TYPE_CHECKING:  # the query commands import this module; the model loads only to extract
    from peelgraph.model import Extraction

__all__ = ["BuildResult", "MAX_BYTES", "PDF_FACTOR", "extract", "build", "to_nquads"]

MAX_BYTES = 4 * 1024 * 1024
"""The largest report text accepted by default: 4 MiB, some 30 times the shipped report's. A longer
text takes minutes and gigabytes to extract; ``peelgraph build --max-size`` raises the limit."""
PDF_FACTOR = 16
"""A PDF file may be this many times the text limit (its pictures and fonts are not text)."""


@dataclass(frozen=True)
class BuildResult:
    """Extractions, warnings, skipped files, the canonical N-Quads, and the texts of PDF reports."""

    extractions: tuple[Extraction, ...]
    warnings: tuple[str, ...]
    nquads: str
    skipped: tuple[tuple[str, str], ...] = ()
    texts: tuple[tuple[str, str], ...] = ()  # (report id, extracted text) for PDF inputs
    reused: int = 0


def _extract(path: Path, curate: bool, source: str | None, max_bytes: int | None = None) -> tuple[Extraction, str]:
    from peelgraph.extract import curation, entities, findings, relations, structure
    from peelgraph.extract import templates as reports
    from peelgraph.extract.figures import read_figures
    from peelgraph.extract.units import text_units
    from peelgraph.model import Extraction

    doc = reports.load(path)
    if max_bytes is not None and len(doc.text) > max_bytes:  # a PDF's text, before the costly stages
        raise ReportError(f"its text is {_mib(len(doc.text))}, over the limit of {_mib(max_bytes)} "
                          "(peelgraph build --max-size raises it)", path=str(path))
    st = structure.parse(doc)
    doc = replace(doc, report=st.meta.id, path=source or str(path))
    meta = replace(st.meta, source=source or str(path))
    ents = entities.extract(doc, st)
    rels = relations.extract(doc, st, ents)
    finds = findings.extract(doc, st, ents)
    ex = Extraction(meta, st.questions, st.sections, st.judgements, finds, st.footnotes,
                    ents.entities, rels, st.warnings)
    if curate:
        ex = curation.apply(ex, doc, path)
    force = next((e for e in ex.entities if e.kind == "force" and e.key == meta.force_slug), None)
    names = (meta.force, *(force.aliases if force else ()), _area(meta.force))
    ex = replace(ex, units=text_units(doc, ex.sections, ex.entities),
                 figures=read_figures(doc, meta.force_slug, names))
    return ex, doc.text


def _area(force: str) -> str:
    """A force's area: its name without the police words (``Warwickshire`` of ``Warwickshire Police``)."""
    return re.sub(r"\s+(?:Police|Constabulary|Police Service)$", "", force).strip()


def extract(path: str | Path, *, curate: bool = True, source: str | None = None) -> Extraction:
    """Extract every fact from one report file (no rdflib involved).

    Args:
        path: the report file (text or PDF).
        curate: apply the report's curation file (``data/curation/<stem>.toml``) if present.
        source: how the report's path is recorded in the graph (default: as given).
    """
    return _extract(Path(path), curate, source)[0]


def _source_name(path: Path) -> str:
    """Record shipped reports by their path inside the project, others as given."""
    try:
        from peelgraph.resources import data_dir

        return str(path.resolve().relative_to(data_dir().parent))
    except (ValueError, FileNotFoundError):
        return str(path)


def _mib(n: int) -> str:
    return f"{n / 1048576:.1f} MiB" if n >= 1048576 else f"{n / 1024:.1f} KiB"


def check_input(path: Path, max_bytes: int) -> None:
    """Refuse, before reading it, a report that is not a regular file (a device such as /dev/zero, a
    FIFO, a socket) or is over the size limit (``PDF_FACTOR`` times ``max_bytes`` for a PDF).

    Raises:
        ReportError: why the file is refused.
    """
    import stat

    try:
        st = path.stat()
    except FileNotFoundError:
        raise ReportError("no such file", path=str(path)) from None
    except OSError as exc:
        raise ReportError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    if stat.S_ISDIR(st.st_mode):
        return  # read_text says so
    if not stat.S_ISREG(st.st_mode):
        raise ReportError("not a regular file (a device, a FIFO or a socket); give a report file", path=str(path))
    limit = max_bytes * PDF_FACTOR if path.suffix.lower() == ".pdf" else max_bytes
    if st.st_size > limit:
        raise ReportError(f"the file is {_mib(st.st_size)}, over the limit of {_mib(limit)} "
                          "(peelgraph build --max-size raises it)", path=str(path))


def _cache_key(path: Path, curate: bool, code: str) -> str:
    h = hashlib.sha256(code.encode())
    try:
        h.update(path.read_bytes())
        cur = curation_file(path.resolve())
        if curate and cur.is_file():
            h.update(cur.read_bytes())
    except OSError as exc:
        raise ReportError(f"cannot read: {exc.strerror or exc}", path=str(path)) from None
    h.update(_source_name(path).encode())
    return h.hexdigest()[:32]


def build(
    paths: Sequence[str | Path],
    *,
    curate: bool = True,
    cache_dir: Path | None = None,
    skip_bad: bool = False,
    progress: Callable[[Path], None] | None = None,
    max_bytes: int = MAX_BYTES,
    jobs: int | None = None,
) -> BuildResult:
    """Extract every report and serialise the whole graph as canonical N-Quads.

    Args:
        paths: report files and folders of them.
        curate: apply curation files.
        cache_dir: where each report's extracted graph is kept, keyed by its file, curation
            and the extractor's code; an unchanged report is not extracted again.
        skip_bad: report and skip a file that cannot be read (else raise).
        progress: called with each file as it is done.
        max_bytes: the largest report text accepted (see :data:`MAX_BYTES`); a larger file, and
            any file that is not a regular file, is refused before it is read.
        jobs: extract in this many processes (None or 1: in this one); the result is the same
            whatever the number.

    Raises:
        ReportError: a report cannot be read or is not a PEEL report (unless ``skip_bad``,
            and then only when no report at all could be read); two files are the same
            report (same force, pillar and year).
    """
    inputs, unreadable = scan_inputs(paths)
    if unreadable and not skip_bad:
        raise ReportError(unreadable[0][1], path=unreadable[0][0])
    if not inputs and not unreadable:
        raise ReportError("no report files given (folders are searched for *.txt and *.pdf)")
    acc = _Collected(skipped=list(unreadable))
    work = partial(_one, curate=curate, cache_dir=cache_dir, code=code_fingerprint(), max_bytes=max_bytes)
    with _outcomes(inputs, work, jobs) as done:
        for path, outcome in zip(inputs, done, strict=True):  # in input order, whichever process finished first
            acc.add(path, outcome, skip_bad)
            if progress:
                progress(path)
    if not acc.extractions:
        raise ReportError(f"no report could be read ({acc.skipped[0][0]}: {acc.skipped[0][1]})" if acc.skipped
                          else "no report files given")
    if cache_dir is not None:
        _forget_stale(cache_dir, acc.used)
    lines = sorted({ln for chunk in acc.chunks for ln in chunk.split("\n") if ln})
    return BuildResult(tuple(acc.extractions), tuple(acc.warnings), "\n".join(lines) + "\n", tuple(acc.skipped),
                       tuple(sorted(acc.texts)), acc.reused)


@dataclass
class _Collected:
    """What a build has gathered so far, report by report, in input order."""

    extractions: list[Extraction] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)
    texts: list[tuple[str, str]] = field(default_factory=list)
    chunks: list[str] = field(default_factory=list)
    seen: dict[str, str] = field(default_factory=dict)
    used: set[str] = field(default_factory=set)
    reused: int = 0

    def add(self, path: Path, outcome: _Done, skip_bad: bool) -> None:
        """Keep one report's outcome, or skip it (``skip_bad``) or raise: a file that could not be
        read, or a second file of a report already kept."""
        if isinstance(outcome, str):  # a ReportError's message
            if not skip_bad:
                raise ReportError(outcome, path=str(path))
            self.skipped.append((str(path), outcome))
            return
        ex, text, nq, cache_name, was_cached = outcome
        if cache_name is not None:
            self.used.add(cache_name)
        self.reused += was_cached
        rid = ex.report.id
        if rid in self.seen:
            dup = ReportError(f"the same report as {self.seen[rid]} ({rid})", path=str(path))
            if not skip_bad:
                raise dup
            self.skipped.append((str(path), dup.message))
            return
        self.seen[rid] = str(path)
        self.extractions.append(ex)
        self.chunks.append(nq)
        if path.suffix.lower() == ".pdf":
            self.texts.append((rid, text))
        self.warnings.extend(f"{path}: {w}" for w in ex.warnings)


@contextlib.contextmanager
def _outcomes(inputs: Sequence[Path], work: Callable[[Path], _Done], jobs: int | None) -> Iterator[Iterable[_Done]]:
    """Each input's outcome, in input order: from a pool of ``jobs`` processes, or in this one."""
    if jobs is None or jobs <= 1 or len(inputs) <= 1:
        yield map(work, inputs)
        return
    from concurrent.futures import ProcessPoolExecutor

    _preload()  # imported once here, so each forked worker does not import them again
    with ProcessPoolExecutor(max_workers=min(jobs, len(inputs))) as pool:
        yield pool.map(work, inputs)


def _forget_stale(cache_dir: Path, used: set[str]) -> None:
    """Remove cached extractions this build did not use (reports no longer built, old extractors)."""
    if not cache_dir.is_dir():
        return
    for stale in cache_dir.glob("*.pickle"):
        if stale.name not in used:
            with contextlib.suppress(OSError):
                stale.unlink(missing_ok=True)


def _preload() -> None:
    """Import what extraction uses (the parent's modules are shared with forked workers)."""
    import importlib

    for name in ("peelgraph.extract.curation", "peelgraph.extract.entities", "peelgraph.extract.findings",
                 "peelgraph.extract.relations", "peelgraph.extract.structure", "peelgraph.extract.templates",
                 "peelgraph.extract.figures", "peelgraph.extract.units", "peelgraph.model", "peelgraph.graph.rdf"):
        importlib.import_module(name)


_Done: TypeAlias = "tuple[Extraction, str, str, str | None, bool] | str"


def _one(path: Path, *, curate: bool, cache_dir: Path | None, code: str, max_bytes: int) -> _Done:
    """One report extracted (or read from the cache): ``(extraction, text, N-Quads, cache file name,
    whether it was cached)``, or the message of the :class:`ReportError` it raised (a message, not
    the exception, so that it crosses from a worker process intact)."""
    try:
        check_input(path, max_bytes)
        key = _cache_key(path, curate, code) if cache_dir is not None and path.is_file() else None
        cached = cache_dir / f"{key}.pickle" if cache_dir is not None and key else None
        if cached is not None and cached.is_file():
            ex, text, nq = _load_cached(cached)
            return ex, text, nq, cached.name, True
        ex, text = _extract(path, curate, _source_name(path), max_bytes)
        nq = _report_nquads(ex)
        if cached is not None:
            with contextlib.suppress(OSError):  # the cache only saves time
                _save_cached(cached, ex, text, nq)
        return ex, text, nq, cached.name if cached is not None else None, False
    except ReportError as exc:
        return exc.message


def _report_nquads(ex: Extraction) -> str:
    from peelgraph.graph.rdf import extraction_ntriples, report_iri

    name = f"<{report_iri(ex.report.id)}>"
    return "\n".join(f"{ln[:-2]} {name} ." for ln in extraction_ntriples(ex)) + "\n"


def _load_cached(path: Path) -> tuple[Extraction, str, str]:
    import pickle

    with path.open("rb") as fh:
        ex, text, nq = pickle.load(fh)  # noqa: S301 - our own cache, written by _save_cached
    return ex, text, nq


def _save_cached(path: Path, ex: Extraction, text: str, nq: str) -> None:
    import os
    import pickle
    import tempfile

    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            pickle.dump((ex, text, nq), fh)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def to_nquads(graphs: Iterable[tuple[str, object]]) -> str:
    """Canonical N-Quads: each report's triples in the graph named by the report's IRI."""
    from peelgraph.graph.rdf import canonical_nt, report_iri

    lines: set[str] = set()
    for rid, g in graphs:
        name = f"<{report_iri(rid)}>"
        for ln in canonical_nt(g).split("\n"):  # type: ignore[arg-type]
            if not ln:
                continue
            lines.add(f"{ln[:-1].rstrip()} {name} .")
    return "\n".join(sorted(lines)) + "\n"
