"""Which link targets and image URIs a description may carry.

A link may point to ``http``, ``https`` or ``mailto``, or stay inside the
site (a relative path or a ``#fragment``). An image is an ``http(s)`` URL or
a relative path that stays below the directory it is resolved from: no
scheme, no leading ``/`` or ``~``, no ``..`` segment, no backslash; given the
spec's directory, the path must also resolve (symbolic links followed) to a
file inside it. Nothing is opened: resolving a path reads directory entries
only.
"""

from __future__ import annotations

import os
import re
from urllib.parse import unquote

LINK_SCHEMES = frozenset({"http", "https", "mailto"})
IMAGE_SCHEMES = frozenset({"http", "https"})

#: Browsers drop ASCII tab and newlines anywhere in a URL, and C0 controls
#: and spaces at both ends, before they read the scheme.
_DROPPED = str.maketrans("", "", "\t\n\r")
_EDGE = "".join(chr(c) for c in range(0x21))
_SCHEME_RE = re.compile(r"([^:/?#]*):")


def scheme(uri: str) -> str | None:
    """The scheme a browser reads from ``uri`` (lower case), None for a relative URI.

    Anything before the first ``:`` that comes before any ``/``, ``?`` or ``#``
    counts as a scheme, valid or not (``C:``, ``java script:``), so that an
    odd prefix is never mistaken for a relative path.
    """
    cleaned = uri.translate(_DROPPED).strip(_EDGE)
    match = _SCHEME_RE.match(cleaned)
    return match.group(1).lower() if match else None


def link_problem(uri: str) -> str | None:
    """Why ``uri`` may not be a link target, or None when it may."""
    found = scheme(uri)
    if found is None or found in LINK_SCHEMES:
        return None
    return f"link to {_short(uri)}: only http, https and mailto links are allowed"


def image_problem(uri: str, base_dir: str | None) -> str | None:
    """Why ``uri`` may not be shown as an image, or None when it may."""
    found = scheme(uri)
    if found in IMAGE_SCHEMES:
        return None
    what = f"image {_short(uri)}"
    if found is not None:
        return f"{what}: only http(s) URLs and files in the spec's directory are allowed"
    for path in {uri, unquote(uri)}:
        parts = path.split("/")
        if (not path.strip() or path.startswith(("/", "~")) or "\\" in path
                or ".." in parts or "\x00" in path):
            return f"{what}: not a file in the spec's directory"
    if base_dir:
        root = os.path.realpath(base_dir)
        real = os.path.realpath(os.path.join(root, uri))
        if os.path.commonpath([root, real]) != root:
            return f"{what}: resolves outside the spec's directory"
    return None


def _short(uri: str, limit: int = 60) -> str:
    text = repr(uri)
    return text if len(text) <= limit else text[: limit - 4] + "...'"
