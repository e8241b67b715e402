"""Did-you-mean suggestions: the right answer, and bounded work per run."""

from __future__ import annotations

from pathlib import Path

import pytest

import statusdoc
from statusdoc import suggest
from statusdoc.spec.api import validate_text


@pytest.mark.parametrize(
    ("word", "candidates", "expected"),
    [
        ("activ", ["queued", "saving", "active", "killed"], "active"),
        ("opne", ["open", "closed", "locked"], "open"),
        ("clsoed", ["open", "closed", "locked"], "closed"),
        ("fillcolour", ["color", "fillcolor", "fontcolor"], "fillcolor"),
        ("zzzz", ["open", "closed"], None),
        ("x", [], None),
    ],
)
def test_closest_finds_the_typo(word: str, candidates: list[str], expected: str | None) -> None:
    assert suggest.closest(word, candidates) == expected


def test_message_form() -> None:
    assert suggest.did_you_mean("grup", ("group", "expand")) == " (did you mean 'group'?)"
    assert suggest.did_you_mean("qqqq", ("group", "expand")) == ""


def test_a_typo_in_the_middle_of_a_long_name_is_still_found() -> None:
    names = [f"status-{i:04d}-" + "abcdefghij" * 17 for i in range(300)]
    typo = names[123].replace("abcdefghij", "abcdefghjj", 1)
    assert suggest.closest(typo, names) == names[123]
    typo_head = "stauts" + names[77][6:]
    assert suggest.closest(typo_head, names) == names[77]


def test_one_budget_caps_the_work_of_a_run() -> None:
    names = [f"n{i}" for i in range(100)]
    with suggest.budget(work=250) as shared:
        assert suggest.closest("n1x", names) == "n1"  # 100 scanned
        assert suggest.closest("n2x", names) == "n2"  # 200 scanned
        assert suggest.closest("n3x", names) is None  # would be 300: no more suggesting
        assert shared.remaining == 0
    # outside the block every call has its own budget again
    assert suggest.closest("n3x", names) == "n3"


def test_explicit_budget() -> None:
    own = suggest.Budget(work=5)
    assert suggest.closest("opne", ["open", "closed"], within=own) == "open"
    assert own.remaining == 3
    assert suggest.closest("opne", ["open", "closed", "x", "y"], within=own) is None


def _spec_with_unknown_targets(states: int, unknown: int) -> str:
    out = ['[machine]\nname = "m"\ninitial = "s0"\n\n']
    out += [f'[states.s{i}]\ndescription = "d"\n\n' for i in range(states)]
    out += [f'[[transitions]]\nfrom = "s{i}"\nto = "s{i + 1}"\n\n' for i in range(states - 1)]
    out += [f'[[transitions]]\nfrom = "s0"\nto = "s{i}x"\n\n' for i in range(unknown)]
    return "".join(out)


def test_validation_shares_one_budget_per_spec() -> None:
    states = 1_000
    unknown = suggest.MAX_WORK // states + 20
    report = validate_text(_spec_with_unknown_targets(states, unknown), "toml")
    messages = [p.message for p in report.errors]
    assert len(messages) == unknown
    suggested = [m for m in messages if "did you mean" in m]
    # the first ones get a suggestion, then the run's budget is spent
    assert 0 < len(suggested) < unknown
    assert messages[0] == "unknown status 's0x' (did you mean 's0'?)"
    assert "did you mean" not in messages[-1]
    # and the next run starts with a full budget
    again = validate_text(_spec_with_unknown_targets(3, 1), "toml")
    assert "did you mean 's0'" in again.errors[0].message


def test_every_suggestion_site_uses_the_bounded_function() -> None:
    """No other module compares names with difflib on its own."""
    root = Path(statusdoc.__file__).parent
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if path.name != "suggest.py" and "get_close_matches" in path.read_text("utf-8")
    ]
    assert offenders == []
