"""Unknown-status warnings in a real Sphinx build share one bounded did-you-mean budget."""

from __future__ import annotations

import re

from statusdoc import suggest

pytest_plugins = ("sphinx.testing.fixtures",)

STATES = 1_000


def _spec(states: int) -> str:
    """A chain s0 -> s1 -> ... ending in a final status."""
    out = ['[machine]\nname = "big"\ninitial = "s0"\n\n']
    out += [f'[states.s{i}]\ndescription = "Status {i}."\n\n' for i in range(states - 1)]
    out.append(f'[states.s{states - 1}]\ndescription = "Last."\nfinal = true\n\n')
    out += [f'[[transitions]]\nfrom = "s{i}"\nto = "s{i + 1}"\n\n' for i in range(states - 1)]
    return "".join(out)


def test_many_mistyped_roles_against_many_statuses_are_bounded(project, build) -> None:
    roles = suggest.MAX_WORK // STATES + 30
    prose = "Typos\n=====\n\n" + "".join(f"See :status:`big:s{i}x`.\n\n" for i in range(roles))
    srcdir = project(
        only=True,
        **{
            "big.toml": _spec(STATES),
            "index.rst": ".. statusdoc-statuses:: big\n\n.. toctree::\n\n   typos\n",
            "typos.rst": prose,
        },
    )
    conf = srcdir / "conf.py"
    conf.write_text(conf.read_text().replace('{"door": "door.toml"}', '{"big": "big.toml"}'))
    out = build(srcdir)
    warned = re.findall(r"unknown status 's(\d+)x' of machine 'big'( \(did you mean '[^']+'\?\))?",
                        out.warnings)
    assert len(warned) == roles, out.warnings[:2000]
    suggested = [n for n, hint in warned if hint]
    assert "unknown status 's0x' of machine 'big' (did you mean 's0'?)" in out.warnings
    # the budget ran out part way: the rest are reported without a suggestion
    assert 0 < len(suggested) < roles
