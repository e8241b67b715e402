"""The scope of a wildcard source in statusdoc's own Mermaid, read back from its wording.

statusdoc's Mermaid draws a rule whose source is "any status" (or a group,
minus exceptions, finals included or not) as one pseudo-state labelled as
:func:`statusdoc.emit.wording.source_phrase` words it; :func:`wildcard_scope`
reads that label back for :mod:`statusdoc.importers.mermaid`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["Scope", "wildcard_scope"]


@dataclass(frozen=True)
class Scope:
    """What a wildcard source covers: a group (by name) or every status, minus
    ``excluded``, final statuses included or not (``except``, ``include_final``)."""

    group: str | None = None
    excluded: tuple[str, ...] = ()
    include_final: bool = False


_ANY_RE = re.compile(r"any (non-final )?status(.*)", re.DOTALL)
_FINALS_INCLUDED = " (final statuses included)"


def wildcard_scope(text: str, groups: dict[str, str], statuses: dict[str, str]) -> Scope | None:
    """The scope of a wildcard pseudo-state whose label is ``text``, as statusdoc words it
    (:func:`statusdoc.emit.wording.source_phrase`: ``"any non-final status in Errors except
    a, b and c"``); ``None`` for any other text. ``groups`` maps group titles to names,
    ``statuses`` status labels (and names) to names."""
    match = _ANY_RE.fullmatch(text)
    if match is None:
        return None
    rest = match.group(2)
    include_final = rest.endswith(_FINALS_INCLUDED)
    if include_final:
        if match.group(1):
            return None  # "non-final" and "final statuses included" contradict
        rest = rest[: -len(_FINALS_INCLUDED)]
    group = None
    if rest.startswith(" in "):
        rest = rest[4:]
        title = next((t for t in sorted(groups, key=len, reverse=True)
                      if rest == t or rest.startswith(t + " except ")), None)
        if title is None:
            return None
        group, rest = groups[title], rest[len(title):]
    excluded: tuple[str, ...] = ()
    if rest.startswith(" except "):
        head, _, last = rest[len(" except "):].rpartition(" and ")
        words = [*head.split(", "), last] if head else [last]
        if not all(w in statuses for w in words):
            return None
        excluded = tuple(statuses[w] for w in words)
    elif rest:
        return None
    return Scope(group, excluded, include_final)
