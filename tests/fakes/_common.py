"""Shared bits of the fake renderers (dot-compatible command line: -V, -T<fmt>, DOT on stdin)."""

import os
import sys


def answer_version() -> None:
    """Answer ``-V`` like Graphviz does (on stderr) and exit."""
    if "-V" in sys.argv[1:]:
        sys.stderr.write("fake renderer - version 9.9.9\n")
        sys.exit(0)


def record(event: str) -> None:
    """Append one line to $FAKE_RECORD (when set): the call log tests read."""
    path = os.environ.get("FAKE_RECORD")
    if path:
        with open(path, "a", encoding="utf-8") as handle:
            args = " ".join(sys.argv[1:])
            handle.write(f"{event} {args} SERVER_NAME={os.environ.get('SERVER_NAME')}\n")


def forward() -> None:
    """Replace this process with the real renderer named by $FAKE_REAL."""
    real = os.environ["FAKE_REAL"]
    os.execv(real, [real, *sys.argv[1:]])
