"""Property: for any valid spec, ``generate`` then ``check`` is clean, and a
one-character change to any description makes ``check`` report drift."""

from __future__ import annotations

import json
import tempfile
from dataclasses import replace
from itertools import pairwise
from pathlib import Path

from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from statusdoc.artifacts import check_spec, generate_spec
from statusdoc.config import load_config
from statusdoc.spec.api import validate_text

TEXT_KINDS = ("rst", "md", "dot", "mermaid", "python")
# Full Unicode minus surrogates and control characters (not representable in a spec file).
CHARS = st.characters(blacklist_categories=("Cs", "Cc"))
NAMES = st.text(CHARS, min_size=1, max_size=12).map(str.strip).filter(bool)
PROSE = st.text(CHARS, max_size=60)


@st.composite
def specs(draw: st.DrawFn) -> dict:
    names = draw(st.lists(NAMES, min_size=2, max_size=6, unique_by=str.casefold))
    states = {
        name: {"description": "D" + draw(PROSE), "label": draw(NAMES)} for name in names
    }
    chain = list(pairwise(names))  # every status reachable
    extra = draw(st.lists(st.tuples(st.sampled_from(names), st.sampled_from(names)),
                          max_size=6))
    pairs = list(dict.fromkeys(chain + extra))
    transitions = [{"from": a, "to": b, "label": draw(NAMES)} for a, b in pairs]
    return {
        "machine": {"name": "m", "title": draw(NAMES), "initial": names[0]},
        "states": states,
        "transitions": transitions,
    }


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(spec=specs(), data=st.data())
def test_generate_then_check_is_clean_and_any_description_edit_is_drift(
    spec: dict, data: st.DataObject
) -> None:
    text = json.dumps(spec, ensure_ascii=False, indent=1)
    assume(validate_text(text, "json", filename="m.json").ok())
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp)
        (root / "m.json").write_text(text, encoding="utf-8")
        project = load_config(root)
        config = replace(project.default_spec(root / "m.json"), outputs=TEXT_KINDS)
        generate_spec(config)
        assert check_spec(config) == []

        name = data.draw(st.sampled_from(sorted(spec["states"])), label="edited state")
        spec["states"][name]["description"] = "E" + spec["states"][name]["description"][1:]
        (root / "m.json").write_text(json.dumps(spec, ensure_ascii=False, indent=1),
                                     encoding="utf-8")
        drifted = {d.path.name for d in check_spec(config)}
        assert "m.rst" in drifted
        assert drifted <= {"m.rst", "m.md", "m.dot", "m.mmd", "m.py"}
