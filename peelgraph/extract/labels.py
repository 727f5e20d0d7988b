"""The extractor's label helpers: what an acronym is, the key two labels of one entity share,
an entity key for a label, and the regex that finds a label in text.

:func:`label_key` is the extractor's own merge rule (two labels with one key are one entity);
it is under test, so the evaluator compares names with :func:`peelgraph.text.names.normalise_name`
instead.

Example:
    >>> label_key("Harm reduction-hubs") == label_key("harm reduction hub")
    True
    >>> slug("Hill Street Project")
    'hill-street-project'
"""

from __future__ import annotations

import re

__all__ = ["is_acronym", "label_key", "slug", "label_regex"]


def is_acronym(label: str) -> bool:
    """A single token with two or more capitals or a digit (``MASH``, ``MoRiLE``, ``4P``).

    Example:
        >>> is_acronym("MoRiLE"), is_acronym("Athena"), is_acronym("local council")
        (True, False, False)
    """
    return not re.search(r"\s", label) and (sum(ch.isupper() for ch in label) >= 2
                                            or any(ch.isdigit() for ch in label))


def label_key(label: str) -> str:
    """The key two labels share when they name the same thing: case kept for acronyms,
    otherwise lower case, apostrophes, hyphens and whitespace unified, a plural 's' dropped.

    Example:
        >>> label_key("Harm reduction-hubs") == label_key("harm reduction hub")
        True
        >>> label_key("DAROs") == label_key("DARO"), label_key("CSP") == label_key("Csp")
        (True, False)
    """
    s = label.strip().replace("’", "'").replace("‘", "'").strip("'\"")
    s = re.sub(r"(?<=\w)'(?=s\b)|(?<=s)'(?!\w)", "", s)
    if is_acronym(s) or is_acronym(s[:-1]):
        return re.sub(r"(?<=[A-Z0-9])s$", "", s)
    s = re.sub(r"[\s\-/]+", " ", s.lower())
    s = re.sub(r"^(the|a|an) ", "", s)
    words = s.split(" ")
    last = words[-1]
    if last.endswith("ies") and len(last) > 4:
        last = last[:-3] + "y"
    elif re.search(r"(ss|sh|ch|x)es$", last):
        last = last[:-2]
    elif last.endswith("s") and not last.endswith(("ss", "us", "is")) and len(last) > 3:
        last = last[:-1]
    words[-1] = last
    return " ".join(words)


def slug(label: str) -> str:
    """A key for an entity found only in the text.

    Example:
        >>> slug("Hill Street Project"), slug("children’s services")
        ('hill-street-project', 'childrens-services')
    """
    s = label.lower().replace("’", "").replace("'", "")
    return re.sub(r"[^a-z0-9]+", "-", s).strip("-")


def label_regex(label: str) -> str:
    """A regex for a label: flexible whitespace/hyphens, both apostrophes, plural endings.

    Example:
        >>> bool(re.fullmatch(label_regex("safer neighbourhood team"), "safer-neighbourhood teams"))
        True
        >>> bool(re.fullmatch(label_regex("HAUs"), "HAU")), bool(re.fullmatch(label_regex("HAU"), "HAUs"))
        (True, True)
    """
    s = label.strip()
    parts = re.split(r"[\s\-]+", s)
    out = []
    for p in parts:
        out.append(re.sub(r"['’]", "['’]", re.escape(p)))
    rx = r"[\s\-]+".join(out)
    if is_acronym(s):
        # a plural acronym (``HAUs``) also names one of them (``the HAU``)
        return (rx[:-1] if re.search(r"[A-Z0-9]s$", s) else rx) + r"s?"
    last = parts[-1]
    if last.endswith("y") and not last.endswith(("ay", "ey", "oy")):
        return rx[:-1] + r"(?:y|ies)"
    return rx + r"(?:s|es)?"
