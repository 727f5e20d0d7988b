"""The one name normaliser: how two ways of writing a name are compared (query parameters,
network arguments, the evaluator's matching against the gold).

It is deliberately plain (case, quotes, spaces, a leading "the", a plural ending) and knows
nothing of the extractor's rules: the extractor's own decision that two labels name one
entity (``peelgraph.extract``'s label key) is a rule under test, so the evaluator never uses it.

Example:
    >>> normalise_name("The Multi-Agency Safeguarding Hubs")
    'multi-agency safeguarding hub'
    >>> normalise_name("children’s services") == normalise_name("Children's Services")
    True
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["normalise_name"]

_QUOTES = str.maketrans({"\u2018": "'", "\u2019": "'", "\u201c": '"', "\u201d": '"', "\u2013": "-", "\u2014": "-"})


def normalise_name(name: str) -> str:
    """Lower case, plain quotes, single spaces, no leading "the", singular last word.

    Example:
        >>> normalise_name("The Multi-Agency Safeguarding Hubs")
        'multi-agency safeguarding hub'
    """
    s = unicodedata.normalize("NFKC", name).translate(_QUOTES).casefold()
    s = re.sub(r"[\"'()]", " ", s)
    s = re.sub(r"\s+", " ", s).strip()
    s = re.sub(r"^the ", "", s)
    if s.endswith("ies") and len(s) > 4:
        s = s[:-3] + "y"
    elif s.endswith("s") and not s.endswith("ss") and len(s) > 3:
        s = s[:-1]
    return s
