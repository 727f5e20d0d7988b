"""What a rule is: a small named object with an id, the kind of fact it finds, a one-line
description, the evidence rule ids it writes, and a ``find`` method from an extraction
context to candidates; and how a registry of rules is narrowed (``disabled``).

Example:
    >>> from peelgraph.extract.rules import ENTITY_RULES
    >>> [r.id for r in select(ENTITY_RULES, {"entities.noun-phrase"})][-4:]
    ['entities.anaphor', 'entities.phrase-repeat', 'entities.anaphor.force', 'entities.process']
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any, Protocol, TypeVar

from peelgraph.errors import UsageError

__all__ = ["Rule", "select", "RULE_KINDS"]

#: What a rule finds.
RULE_KINDS = ("entity", "relation", "finding")

_C = TypeVar("_C", contravariant=True)
_T = TypeVar("_T", covariant=True)
_R = TypeVar("_R", bound="Rule[Any, Any]")


class Rule(Protocol[_C, _T]):
    """A rule: ``find(context)`` yields candidates (entity mentions, relations, findings).

    ``id`` names the rule (``entities.acronym-definition``); ``emits`` are the rule ids it
    writes on the evidence of the facts it finds (usually ``(id,)``; empty for a rule that
    only teaches the lexicon a name, whose mentions the gazetteer then finds).
    """

    @property
    def id(self) -> str:
        """The rule's id."""
        ...

    @property
    def kind(self) -> str:
        """``entity``, ``relation`` or ``finding``."""
        ...

    @property
    def description(self) -> str:
        """One line: what the rule finds."""
        ...

    @property
    def emits(self) -> tuple[str, ...]:
        """The evidence rule ids it writes."""
        ...

    def find(self, ctx: _C) -> Iterable[_T]:
        """The rule's candidates in a context."""
        ...


def select(rules: Sequence[_R], disabled: Collection[str] = ()) -> tuple[_R, ...]:
    """The rules, in order, without the disabled ones.

    Raises:
        UsageError: a disabled id names no rule of ``rules``.
    """
    ids = {r.id for r in rules}
    unknown = sorted(set(disabled) - ids)
    if unknown:
        raise UsageError(f"unknown rule id(s): {', '.join(unknown)}; known: {', '.join(sorted(ids))}")
    return tuple(r for r in rules if r.id not in disabled)
