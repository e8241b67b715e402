"""A DOT statement's attributes, as :mod:`statusdoc.importers.dotparse` keeps them."""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping

__all__ = ["NO_ATTRIBUTES", "Attributes"]


class Attributes(Mapping[str, str]):
    """A statement's attributes (raw values, in file order), read-only.

    The names and values sit in one flat tuple: a dict per statement cost about
    190 bytes, more than the text of a labelled edge several times over, and
    a big file has tens of thousands of edge statements held at once. A
    statement with many attributes gets a dict index when first read by name
    (a scan per name would make reading them all quadratic).
    """

    __slots__ = ("_index", "_pairs")

    #: Attributes read by a scan of the pairs; more get a dict index.
    _SCANNED = 8

    def __init__(self, attributes: Mapping[str, str] | None = None, *,
                 pairs: tuple[str, ...] = ()) -> None:
        """From ``attributes``, or from ``pairs`` (name, value, name, value, ...;
        the names distinct)."""
        if attributes:
            pairs = tuple(itertools.chain.from_iterable(attributes.items()))
        self._pairs = pairs
        self._index: dict[str, str] | None = None

    def __getitem__(self, name: str) -> str:
        pairs = self._pairs
        if len(pairs) <= 2 * self._SCANNED:
            for i in range(0, len(pairs), 2):
                if pairs[i] == name:
                    return pairs[i + 1]
            raise KeyError(name)
        if self._index is None:
            self._index = dict(zip(pairs[::2], pairs[1::2], strict=True))
        return self._index[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._pairs[::2])

    def __len__(self) -> int:
        return len(self._pairs) // 2

    def __repr__(self) -> str:
        return f"Attributes({dict(self.items())!r})"


#: The attributes of a statement that has none (one object shared by all).
NO_ATTRIBUTES = Attributes()
