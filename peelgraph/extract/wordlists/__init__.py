"""The extractor's word lists: head nouns, stop words, determiners, triggers, judging words,
hedges and negations, read from the TOML files beside this module.

Each file holds tables; a table with a ``source`` (where its words come from: English
grammar, the inspectorate's house style in general, the W3C ORG vocabulary, the College of
Policing ...) is one list, named by its path in the file (``kinds.organisation``,
``member-of.list``). A list holds ``words`` (literal words or phrases), ``patterns``
(regular-expression alternatives, for words with optional endings), or other keys (a
table of nominalisations). The files are data: a rule reads them through :func:`wordlist`
and never spells the words itself.

Example:
    >>> wl = wordlist("stopwords", "determiners")
    >>> wl.words[:3], "grammar" in wl.source
    (('the', 'a', 'an'), True)
    >>> alternation(("team", "unit"))
    'team|unit'
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

__all__ = ["WordList", "wordlist", "wordlists", "alternation", "words", "patterns"]

_DIR = Path(__file__).resolve().parent


@dataclass(frozen=True)
class WordList:
    """One list: its file and name, where its words come from, and the words or patterns."""

    file: str
    name: str
    source: str
    words: tuple[str, ...] = ()
    patterns: tuple[str, ...] = ()
    table: dict[str, Any] = field(default_factory=dict)


def _lists(file: str, data: dict[str, Any], prefix: str = "") -> Iterator[WordList]:
    for key, value in data.items():
        if not isinstance(value, dict):
            continue
        name = f"{prefix}{key}"
        if "source" in value:
            rest = {k: v for k, v in value.items() if k not in {"source", "words", "patterns"}}
            yield WordList(file, name, value["source"], tuple(value.get("words", ())),
                           tuple(value.get("patterns", ())), rest)
        else:
            yield from _lists(file, value, f"{name}.")


@cache
def _file(file: str) -> dict[str, WordList]:
    data = tomllib.loads((_DIR / f"{file}.toml").read_text(encoding="utf-8"))
    return {wl.name: wl for wl in _lists(file, data)}


def wordlist(file: str, name: str) -> WordList:
    """The list ``name`` of ``wordlists/<file>.toml``.

    Raises:
        KeyError: no such list (a programming error: the lists ship with the package).
    """
    return _file(file)[name]


def wordlists() -> tuple[WordList, ...]:
    """Every list of every file, by file then name."""
    return tuple(wl for p in sorted(_DIR.glob("*.toml")) for wl in _file(p.stem).values())


def words(file: str, name: str) -> tuple[str, ...]:
    """The words of a list."""
    return wordlist(file, name).words


def patterns(file: str, name: str) -> tuple[str, ...]:
    """The regular-expression alternatives of a list."""
    return wordlist(file, name).patterns


def alternation(items: Iterable[str], *, escape: bool = False) -> str:
    """Alternatives joined with ``|`` in their order (escaped when ``escape``).

    Example:
        >>> alternation(["a.b", "c"], escape=True)
        'a\\\\.b|c'
    """
    return "|".join(re.escape(x) if escape else x for x in items)
