"""Rewrite the generated tables of ``docs/spec.rst`` from the spec's own tables.

The key tables come from :mod:`statusdoc.spec.keys`, the rule table from
:mod:`statusdoc.spec.rules`. Each sits between two RST comments::

   .. generated: keys machine
   ...
   .. end generated

``tests/test_spec_rules.py`` fails while a block differs from what this
script writes; run ``python tools/sync_spec_docs.py`` after changing a key or
a rule. ``--check`` only reports (exit 1 when a block is stale).
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from statusdoc.spec.keys import DOCUMENTED, keys_rst  # noqa: E402
from statusdoc.spec.rules import rules_rst  # noqa: E402

DOC = ROOT / "docs" / "spec.rst"
BLOCK = re.compile(r"(?ms)^\.\. generated: (?P<what>[\w -]+)\n(?P<body>.*?)^\.\. end generated\n")


def content(what: str) -> str:
    """The text of the block named ``what`` (``rules`` or ``keys <table>``)."""
    if what == "rules":
        return rules_rst()
    kind, _, name = what.partition(" ")
    if kind != "keys" or name not in DOCUMENTED:
        raise SystemExit(f"{DOC}: unknown generated block {what!r}")
    return keys_rst(DOCUMENTED[name])


def synced(text: str) -> str:
    """``text`` with every generated block rewritten."""
    def block(match: re.Match[str]) -> str:
        what = match.group("what").strip()
        return f".. generated: {what}\n\n{content(what)}\n.. end generated\n"

    return BLOCK.sub(block, text)


def main(argv: list[str]) -> int:
    text = DOC.read_text("utf-8")
    new = synced(text)
    if new == text:
        return 0
    if "--check" in argv:
        print(f"{DOC.relative_to(ROOT)} is stale: run python tools/sync_spec_docs.py")
        return 1
    DOC.write_text(new, "utf-8")
    print(f"rewrote {DOC.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
