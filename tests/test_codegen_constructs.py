"""The generated module and the runtime agree on issue 10's constructs.

For each example machine, the same probe runs against ``statusdoc.load`` (in
this process) and against the generated module (in a Python without
site-packages): ``can`` and ``check`` on every ordered pair of statuses
(``None`` and an unknown name included), ``targets`` of every status, and
``fire`` for every (status, event), without ``to=`` and with each possible
``to=``. Results and error messages must be identical.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import pytest

import statusdoc
from statusdoc.emit.python import emit_python

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = {
    "glance": ROOT / "examples" / "glance" / "image-statuses.toml",
    "volume": ROOT / "examples" / "volume" / "volume-statuses.toml",
    "task-instance": ROOT / "examples" / "taskinstance" / "task-instance-statuses.toml",
    "order": ROOT / "examples" / "order" / "order-statuses.toml",
}

#: Runs in both places: ``api`` has can, check, targets and fire.
PROBE = r'''
def probe(api, statuses, events, null):
    def outcome(call):
        try:
            value = call()
        except Exception as exc:
            facts = {"type": type(exc).__name__, "message": str(exc)}
            for attr in ("src", "dst", "event", "ambiguous", "choices", "status"):
                if hasattr(exc, attr):
                    facts[attr] = getattr(exc, attr)
            if hasattr(exc, "allowed"):
                facts["allowed"] = sorted(exc.allowed)
            return facts
        return sorted(value) if isinstance(value, frozenset) else value

    values = [*statuses, *([None] if null is not None else []), "nope"]
    out = {}
    for a in values:
        out[f"targets {a!r}"] = outcome(lambda: api.targets(a))
        for b in values:
            out[f"can {a!r} {b!r}"] = outcome(lambda: api.can(a, b))
            out[f"check {a!r} {b!r}"] = outcome(lambda: api.check(a, b))
        for event in [*events, "no-such-event"]:
            out[f"fire {a!r} {event!r}"] = outcome(lambda: api.fire(a, event))
            for to in [*statuses, "nope"]:
                out[f"fire {a!r} {event!r} to {to!r}"] = outcome(
                    lambda: api.fire(a, event, to=to))
    return out
'''

CHILD = PROBE + r'''
import importlib.util, json, sys
spec = importlib.util.spec_from_file_location("gen", sys.argv[1])
gen = importlib.util.module_from_spec(spec)
spec.loader.exec_module(gen)
events = sorted({e for (_, e) in gen.EVENTS})
print(json.dumps({
    "probe": probe(gen, gen.STATUSES, events, gen.NULL_STATUS),
    "entries": list(gen.ENTRIES),
    "initial": gen.INITIAL,
    "null": gen.NULL_STATUS,
    "guards": [[list(k), v] for k, v in gen.GUARDS.items()],
    "events": [[list(k), list(v)] for k, v in gen.EVENTS.items()],
}))
'''


def runtime_probe(machine: statusdoc.Machine) -> dict:
    namespace: dict = {}
    exec(PROBE, namespace)
    api = SimpleNamespace(can=machine.can, check=machine.check, targets=machine.targets,
                          fire=machine.fire)
    result = namespace["probe"](api, machine.state_names, sorted(machine.events), machine.null)
    return json.loads(json.dumps(result))  # tuples as lists, like the child's answer


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_generated_module_and_runtime_agree(name, tmp_path):
    machine = statusdoc.load(EXAMPLES[name])
    module = tmp_path / "gen.py"
    module.write_text(emit_python(machine, source_name=f"{name}.toml"), "utf-8")
    proc = subprocess.run([sys.executable, "-I", "-S", "-c", CHILD, str(module)],
                          capture_output=True, text=True, timeout=120,
                          env={"PATH": os.environ.get("PATH", "")})
    assert proc.returncode == 0, proc.stderr
    got = json.loads(proc.stdout)
    expected = runtime_probe(machine)
    assert got["probe"].keys() == expected.keys()
    differing = [k for k in expected if got["probe"][k] != expected[k]]
    assert not differing, [(k, got["probe"][k], expected[k]) for k in differing[:5]]
    assert got["entries"] == list(machine.entries)
    assert got["initial"] == machine.entries[0]
    assert got["null"] == machine.null
    assert got["guards"] == [[list(k), v] for k, v in machine._guards.items()]
    names = {(t.source, t.event) for t in machine.transitions if t.event}
    assert {tuple(k) for k, _ in got["events"]} == names


def test_the_probe_sees_every_new_construct():
    """The examples exercise what the probe compares (else agreement proves little)."""
    results = {name: runtime_probe(statusdoc.load(path)) for name, path in EXAMPLES.items()}
    task = results["task-instance"]
    assert task["can None 'scheduled'"] is True
    assert task["fire 'success' 'clear'"] is None
    assert task["targets None"] == ["removed", "scheduled", "skipped", "upstream_failed"]
    order = results["order"]
    assert order["fire 'unfulfilled' 'fulfill'"]["choices"] == [
        ["fulfilled", "all lines fulfilled"], ["partially fulfilled", "some lines fulfilled"]]
    assert order["fire 'unfulfilled' 'fulfill' to 'fulfilled'"] == "fulfilled"
    volume = results["volume"]
    assert volume["fire 'extending' 'finish'"]["allowed"] == ["available", "in-use"]
    assert volume["fire 'extending' 'finish' to 'in-use'"] == "in-use"
    assert volume["can 'downloading' 'deleting'"] is True
