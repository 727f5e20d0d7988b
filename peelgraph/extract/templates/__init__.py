"""The template registry: each family of the inspectorate's documents is a :class:`~.base.Template`,
registered by id with where its class lives, and imported only when first used.

``best(doc)`` asks every registered template how well a text fits (``detect``) and returns
the best (a tie goes to the one registered first); a text no template fits is refused.
The layout of a report needs the fixed headings of the templates that may read it, so
``layout`` and ``load`` here lay a text out with every registered template's headings.

Example:
    >>> [t.id for t in templates()]  # doctest: +NORMALIZE_WHITESPACE
    ['press-release-2014', 'web-page-2014', 'peel-risk-2017', 'peel-integrated-2018', 'peel-areas-2021',
     'peel-pillar-2014']
    >>> doc = layout("r", "PEEL: Police effectiveness 2016\\nAn inspection of Kent Police\\n\\n"
    ...                   "HMIC inspected the force.\\n\\nAreas for improvement\\nThe force should act.\\n")
    >>> best(doc).id
    'peel-pillar-2014'
    >>> [doc.display(h) for h in doc.headings]
    ['Areas for improvement']
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from pathlib import Path

from peelgraph.errors import ReportError, UsageError
from peelgraph.extract.templates.base import Template
from peelgraph.text.layout import NO_FIXED_HEADINGS, Document, FixedHeadings
from peelgraph.text.layout import layout as _layout
from peelgraph.text.read import load as _load

__all__ = ["register", "unregister", "get", "templates", "best", "headings", "layout", "load"]


@dataclass(frozen=True)
class _Entry:
    """Where a registered template's class lives."""

    id: str
    module_path: str
    class_name: str


_REGISTRY: dict[str, _Entry] = {}
_LOADED: dict[str, Template] = {}


def register(id: str, module_path: str, class_name: str) -> None:
    """Register a template class by where it lives; it is imported (and made) on first use.

    Registering an id again replaces the earlier entry (and keeps its place in the order).

    Args:
        id: the template's id, which its class's ``id`` must equal.
        module_path: the module that defines the class (``peelgraph.extract.templates.peel_pillar``).
        class_name: the class, made with no arguments.
    """
    _REGISTRY[id] = _Entry(id, module_path, class_name)
    _LOADED.pop(id, None)


def unregister(id: str) -> None:
    """Forget a registered template (nothing happens for an unknown id)."""
    _REGISTRY.pop(id, None)
    _LOADED.pop(id, None)


def get(id: str) -> Template:
    """The registered template with this id, imported on first use.

    Raises:
        UsageError: no template has this id, or its class cannot be imported or names another id.
    """
    if id in _LOADED:
        return _LOADED[id]
    entry = _REGISTRY.get(id)
    if entry is None:
        raise UsageError(f"no template {id!r} (registered: {', '.join(_REGISTRY) or 'none'})")
    try:
        cls = getattr(importlib.import_module(entry.module_path), entry.class_name)
    except (ImportError, AttributeError) as exc:
        raise UsageError(f"template {id!r}: cannot import {entry.module_path}.{entry.class_name} ({exc})") from None
    template: Template = cls()
    if template.id != id:
        raise UsageError(f"template {id!r}: {entry.module_path}.{entry.class_name} says its id is {template.id!r}")
    _LOADED[id] = template
    return template


def templates() -> tuple[Template, ...]:
    """Every registered template, in the order registered."""
    return tuple(get(i) for i in _REGISTRY)


def best(doc: Document) -> Template:
    """The registered template that fits a laid-out text best (a tie goes to the one registered first).

    Raises:
        ReportError: no template fits the text at all (every one scores 0); the message says what each
            looks for.
    """
    scored = [(t.detect(doc), t) for t in templates()]
    top = max((score for score, _ in scored), default=0.0)
    if top <= 0.0:
        wants = "; ".join(f"{t.id} looks for {t.looks_for}" for _, t in scored) or "no template is registered"
        raise ReportError(f"not a PEEL inspection report: no template fits the text ({wants})", path=doc.path)
    return next(t for score, t in scored if score == top)


def headings() -> FixedHeadings:
    """The fixed headings of every registered template, for the layout."""
    out = NO_FIXED_HEADINGS
    for t in templates():
        out = out.merged(t.vocabulary.headings)
    return out


def layout(report: str, text: str, path: str = "", sha256: str = "") -> Document:
    """Lay out a text with every registered template's fixed headings (:func:`peelgraph.text.layout.layout`)."""
    return _layout(report, text, path, sha256, headings=headings())


def load(path: str | Path, report: str | None = None) -> Document:
    """Read and lay out a report file with every registered template's fixed headings
    (:func:`peelgraph.text.read.load`)."""
    return _load(path, report, headings=headings())


# The more particular families first: a tie goes to the one registered first, and the pillar
# report of 2014-2017, the most general, reads what the others do not claim.
register("press-release-2014", "peelgraph.extract.templates.press_release", "PressRelease")
register("web-page-2014", "peelgraph.extract.templates.web_page", "WebPage")
register("peel-risk-2017", "peelgraph.extract.templates.peel_risk", "PeelRisk")
register("peel-integrated-2018", "peelgraph.extract.templates.peel_integrated", "PeelIntegrated")
register("peel-areas-2021", "peelgraph.extract.templates.peel_areas", "PeelAreas")
register("peel-pillar-2014", "peelgraph.extract.templates.peel_pillar", "PeelPillar")
