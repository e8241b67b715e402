"""Loading lets go of each form of a spec once the next is built (issue 13, budgets).

The memory figures themselves are measured by ``bench/bench_budgets.py``;
here: what letting go must not break. Problems found after the parsed data
is gone still have their lines, and the compact TOML positions answer like
the full scan whatever order the lines are asked in.
"""

from __future__ import annotations

import random

from statusdoc.spec.load import parse_document
from statusdoc.spec.positions import toml_full_positions
from statusdoc.spec.validate import check_document

LATE = """\
[machine]
name = "m"
initial = "a"

[states.a]
[states.b]
[states.c]  # unreachable
[states.d]
final = true

[[transitions]]
from = ["a", "zz"]  # unknown
to = "b"
event = "go"

[[transitions]]  # duplicate
from = "a"
to = "b"
event = "go"

[[transitions]]
from = "b"
to = "a"
event = "back"

[[transitions]]
from = "b"
to = "d"
event = "back"  # ambiguous

[[transitions]]
from = ["d", "a"]  # from final
to = "a"
"""


def _line(marker: str) -> int:
    return next(i for i, text in enumerate(LATE.splitlines(), 1) if text.endswith(marker))


def test_problems_found_after_the_data_is_let_go_keep_their_lines() -> None:
    document, problems = parse_document(LATE, "toml", "late.toml")
    assert document is not None and not problems
    checked, found = check_document(document)
    assert document.data is None, "the checker took the parsed data and let it go"
    assert checked is None
    where = {(p.rule, p.path): p.line for p in found}
    assert where == {
        ("unknown-status", "transitions[0].from[1]"): _line("# unknown"),
        ("duplicate-transition", "transitions[1]"): _line("# duplicate"),
        ("ambiguous-event", "transitions[3].event"): _line("# ambiguous"),
        ("transition-from-final", "transitions[4].from[0]"): _line("# from final"),
        ("unreachable-status", "states.c"): _line("# unreachable"),
        ("no-way-out", "states.c"): _line("# unreachable"),
    }


def test_key_lines_agree_with_the_full_scan_in_any_order() -> None:
    """Key lines come from a scan of one table, and only a few scans are kept:
    asked for in a shuffled order (tables scanned, dropped, scanned again),
    every line is still the full scan's."""
    parts = ['[machine]\nname = "m"\ninitial = "s0"\n']
    parts += [f'[states.s{i}]\ndescription = "d"\ntags = ["x",\n  "y"]\n' for i in range(30)]
    parts += [f'[[transitions]]\nfrom = "s{i}"\nto = "s{i + 1}"\nlabel = "l"\n'
              for i in range(29)]
    text = "\n".join(parts)
    document, _ = parse_document(text, "toml", "s.toml")
    assert document is not None
    expected = toml_full_positions(text)._lines
    paths = list(expected) * 2
    random.Random(13).shuffle(paths)
    for path in paths:
        assert document.positions.exact(path) == expected[path], path
        assert document.positions.line(path) == expected[path], path
    assert document.positions.line(("states", "s3", "tags", 7)) == expected[
        ("states", "s3", "tags")]
