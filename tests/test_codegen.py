"""The ``python`` output kind: a dependency-free module that enforces the spec."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import statusdoc
from statusdoc import InvalidTransition
from statusdoc.emit import get_emitter
from statusdoc.emit.python import emit_python
from statusdoc.runtime import InvalidEvent
from statusdoc.spec.model import Machine, State, Transition, TransitionRule

ROOT = Path(__file__).resolve().parent.parent
GLANCE = ROOT / "examples" / "glance" / "image-statuses.toml"
VENV_BIN = Path(sys.executable).parent
SOURCE = "examples/glance/image-statuses.toml"

# Run in the child: load the generated module by path and report what it holds.
PROBE = r"""
import importlib.util, json, sys
try:
    import statusdoc  # noqa: F401
    has_statusdoc = True
except ImportError:
    has_statusdoc = False
spec = importlib.util.spec_from_file_location("gen", sys.argv[1])
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
errors = {}
for src in gen.STATUSES:
    for dst in gen.STATUSES:
        try:
            gen.check(src, dst)
        except gen.InvalidTransition as exc:
            errors[f"{src}|{dst}"] = str(exc)
fired = {}
probes = {*gen.EVENTS, *((s, "no-such-event") for s in gen.STATUSES)}
for (src, event) in sorted(probes):
    try:
        fired[f"{src}|{event}"] = gen.fire(src, event)
    except gen.InvalidEvent as exc:
        fired[f"{src}|{event}"] = "ERROR " + str(exc)
try:
    gen.can("nope", gen.INITIAL)
    unknown = None
except KeyError as exc:
    unknown = str(exc)
status = getattr(gen, "Status", None)
print(json.dumps({
    "has_statusdoc": has_statusdoc,
    "python": list(sys.version_info[:2]),
    "statuses": list(gen.STATUSES),
    "initial": gen.INITIAL,
    "final": sorted(gen.FINAL),
    "transitions": {k: sorted(v) for k, v in gen.TRANSITIONS.items()},
    "can": {f"{a}|{b}": gen.can(a, b) for a in gen.STATUSES for b in gen.STATUSES},
    "errors": errors,
    "fired": fired,
    "unknown": unknown,
    "members": None if status is None else {m.name: m.value for m in status},
    "all": list(gen.__all__),
    "machine": gen.MACHINE,
}))
"""


def run_isolated(module: Path) -> dict:
    """Import the generated module in a Python with no site-packages (-I -S)."""
    proc = subprocess.run(
        [sys.executable, "-I", "-S", "-c", PROBE, str(module)],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": os.environ.get("PATH", "")},
    )
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def image() -> Machine:
    return statusdoc.load(GLANCE)


def expected_fired(machine: Machine) -> dict[str, str]:
    """What the runtime's fire() answers for every event and an undefined one."""
    fired = {}
    probes = {*machine._events, *((s, "no-such-event") for s in machine.state_names)}
    for src, event in sorted(probes):
        try:
            fired[f"{src}|{event}"] = machine.fire(src, event)
        except InvalidEvent as exc:
            fired[f"{src}|{event}"] = "ERROR " + str(exc)
    return fired


def expected_errors(machine: Machine) -> dict[str, str]:
    errors = {}
    for a in machine.state_names:
        for b in machine.state_names:
            try:
                machine.check(a, b)
            except InvalidTransition as exc:
                errors[f"{a}|{b}"] = str(exc)
    return errors


def test_registry_points_at_this_emitter():
    assert get_emitter("python") is emit_python


def test_generated_module_works_without_statusdoc_installed(image, tmp_path):
    module = tmp_path / "image_statuses.py"
    module.write_text(emit_python(image, source_name=SOURCE), encoding="utf-8")
    got = run_isolated(module)
    assert got["has_statusdoc"] is False  # -S really dropped site-packages
    assert got["statuses"] == list(image.state_names)
    assert got["initial"] == "queued"
    assert got["final"] == ["deleted"]
    assert got["transitions"] == {k: sorted(v) for k, v in image.targets_by_state.items()}
    assert got["can"] == {
        f"{a}|{b}": image.can(a, b) for a in image.state_names for b in image.state_names
    }
    # Same messages as the runtime, so switching between them changes nothing.
    assert got["errors"] == expected_errors(image)
    assert got["fired"] == expected_fired(image)
    assert got["fired"]["active|no-such-event"].startswith("ERROR image: event")
    assert got["unknown"].startswith("image: unknown status 'nope'")
    assert got["members"] == {m.name: m.value for m in image.Status}
    assert got["machine"] == "image"


def test_constants_style(image, tmp_path):
    text = emit_python(image, source_name=SOURCE, style="constants")
    assert "class Status" not in text
    assert "StrEnum" not in text
    assert "PENDING_DELETE = 'pending_delete'" in text
    module = tmp_path / "consts.py"
    module.write_text(text, encoding="utf-8")
    got = run_isolated(module)
    assert got["members"] is None
    assert "PENDING_DELETE" in got["all"]
    assert got["errors"] == expected_errors(image)


def test_unknown_style_is_refused(image):
    with pytest.raises(ValueError, match="style"):
        emit_python(image, source_name=SOURCE, style="dataclass")


def test_header_and_determinism(image):
    text = emit_python(image, source_name=SOURCE)
    assert text.splitlines()[0] == (
        "# generated from examples/glance/image-statuses.toml — edit the spec, not this file"
    )
    again = emit_python(statusdoc.load(GLANCE), source_name=SOURCE)
    assert text == again
    assert text.endswith("\n") and not text.endswith("\n\n")
    # An option it does not know is a mistake, not something to ignore.
    with pytest.raises(TypeError, match="templates"):
        emit_python(image, source_name=SOURCE, templates=None)


def test_header_cannot_be_broken_by_the_source_name(image):
    text = emit_python(image, source_name="evil\nimport os\r\nx.toml")
    first, second = text.splitlines()[:2]
    assert first == "# generated from evil import os x.toml — edit the spec, not this file"
    assert second.startswith('"""')


def test_generated_module_is_lint_clean(image, tmp_path):
    ruff = VENV_BIN / "ruff"
    if not ruff.exists():
        pytest.fail("ruff is part of the test extras and must be installed")
    for style in ("enum", "constants"):
        path = tmp_path / f"gen_{style}.py"
        path.write_text(emit_python(image, source_name=SOURCE, style=style), encoding="utf-8")
        proc = subprocess.run(
            [str(ruff), "check", "--no-cache", "--config", str(ROOT / "pyproject.toml"), str(path)],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert proc.returncode == 0, proc.stdout + proc.stderr


HOSTILE = r'''
[machine]
name = "hostile"
initial = "wait call-back"

[states."wait call-back"]
description = "x"
[states.'say "hi"']
description = "x"
[states.'back\slash']
description = "x"
[states."class"]
description = "x"
[states."MACHINE"]
description = "x"
[states."déjà vu"]
description = "x"
[states."状态"]
description = "x"
[states."a-b"]
description = "x"
[states."a_b"]
description = "x"
[states."emoji ✓ <b>"]
description = "x"
[states.done]
description = "x"
final = true

[[transitions]]
from = "wait call-back"
to = 'say "hi"'
event = "go"
[[transitions]]
from = 'say "hi"'
to = 'say "hi"'
event = "again"
[[transitions]]
from = 'say "hi"'
to = 'back\slash'
event = "go"
[[transitions]]
from = 'say "hi"'
to = "class"
event = "go"
[[transitions]]
from = "*"
to = "done"
event = "finish"
[[transitions]]
from = "class"
to = "MACHINE"
event = "next"
[[transitions]]
from = "MACHINE"
to = "déjà vu"
event = "next"
[[transitions]]
from = "déjà vu"
to = "状态"
event = "next"
[[transitions]]
from = "状态"
to = "a-b"
event = "next"
[[transitions]]
from = "a-b"
to = "a_b"
event = "next"
[[transitions]]
from = "a_b"
to = "emoji ✓ <b>"
event = "next"
'''


def test_hostile_names_round_trip_in_both_styles(tmp_path):
    machine = statusdoc.loads(HOSTILE)
    for style in ("enum", "constants"):
        module = tmp_path / f"hostile_{style}.py"
        module.write_text(emit_python(machine, source_name="h.toml", style=style), "utf-8")
        got = run_isolated(module)
        assert got["statuses"] == list(machine.state_names)
        assert got["errors"] == expected_errors(machine)
        assert got["transitions"] == {
            k: sorted(v) for k, v in machine.targets_by_state.items()
        }
        # Ambiguous and undefined events fail the same way in both implementations.
        assert got["fired"] == expected_fired(machine)
        assert "is a choice" in got["fired"]["say \"hi\"|go"]
        if style == "enum":
            assert got["members"] == {m.name: m.value for m in machine.Status}
            assert got["members"]["MACHINE"] == "MACHINE"
        else:
            assert "MACHINE_2" in got["all"]  # the status constant steps aside
            assert got["machine"] == "hostile"


# --- property test over arbitrary machines (in-process exec for speed) --------------------

names = st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=10)


@st.composite
def machines(draw) -> Machine:
    statuses = draw(st.lists(names, min_size=1, max_size=7, unique=True))
    final = draw(st.sets(st.sampled_from(statuses), max_size=len(statuses) - 1))
    states = tuple(State(name=s, label=s, final=s in final) for s in statuses)
    movable = [s for s in statuses if s not in final]
    edges = draw(
        st.lists(
            st.tuples(
                st.sampled_from(movable) if movable else st.nothing(),
                st.sampled_from(statuses),
                st.none() | st.sampled_from(["go", "stop", "x y"]),
            ),
            max_size=12,
        )
    ) if movable else []
    rules = tuple(
        TransitionRule(index=i, sources=(a,), target=b, event=e)
        for i, (a, b, e) in enumerate(edges)
    )
    transitions = tuple(
        Transition(source=a, target=b, event=e, rule=i) for i, (a, b, e) in enumerate(edges)
    )
    return Machine(
        name=draw(names), title=draw(names), initial=statuses[0],
        states=states, rules=rules, transitions=transitions,
    )


@settings(max_examples=40, deadline=None)
@given(machines(), st.sampled_from(["enum", "constants"]))
def test_generated_table_equals_the_machine(machine, style):
    text = emit_python(machine, source_name="spec.toml", style=style)
    namespace: dict = {"__name__": "generated"}
    exec(compile(text, "generated.py", "exec"), namespace)
    assert namespace["TRANSITIONS"] == dict(machine.targets_by_state)
    assert namespace["STATUSES"] == machine.state_names
    assert namespace["FINAL"] == {s.name for s in machine.states if s.final}
    assert namespace["MACHINE"] == machine.name
    assert namespace["TITLE"] == machine.title
    assert namespace["EVENTS"] == dict(machine._events)
    if style == "enum":
        assert [m.value for m in namespace["Status"]] == list(machine.state_names)
    for name in namespace["__all__"]:
        assert name in namespace
    assert emit_python(machine, source_name="spec.toml", style=style) == text


def test_python_output_is_covered_by_generate_and_check(tmp_path):
    """An artifact like the others: generate writes it, check sees a hand edit."""
    statusdoc_bin = VENV_BIN / "statusdoc"
    spec = tmp_path / "image-statuses.toml"
    spec.write_bytes(GLANCE.read_bytes())
    out = tmp_path / "out"
    common = [str(spec), "--output-dir", str(out), "--format", "python"]

    def cli(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(statusdoc_bin), *args], capture_output=True, text=True, timeout=120,
            cwd=tmp_path,
        )

    assert cli("generate", *common).returncode == 0
    generated = out / "image_statuses.py"
    assert generated.read_text("utf-8") == emit_python(  # named from the output directory
        statusdoc.load(spec), source_name="../image-statuses.toml"
    )
    assert cli("check", *common).returncode == 0
    generated.write_text(generated.read_text("utf-8").replace("'killed'", "'kiled'"), "utf-8")
    proc = cli("check", *common)
    assert proc.returncode == 1
    assert "image_statuses.py" in proc.stdout


def test_a_machine_without_events_gets_an_empty_events_table(tmp_path):
    machine = statusdoc.loads(
        '[machine]\nname = "m"\ninitial = "a"\n[states.a]\ndescription = "x"\n'
        '[states.b]\ndescription = "x"\nfinal = true\n'
        '[[transitions]]\nfrom = "a"\nto = "b"\n'
    )
    text = emit_python(machine, source_name="m.toml")
    assert "EVENTS: dict[tuple[str, str], tuple[str, ...]] = {}\n" in text
    module = tmp_path / "m.py"
    module.write_text(text, "utf-8")
    got = run_isolated(module)
    assert got["transitions"] == {"a": ["b"], "b": []}
    assert got["fired"] == expected_fired(machine)
    assert "no event is defined from 'a'" in got["fired"]["a|no-such-event"]
