"""The ``typescript`` output kind (issue 14, item 3): compiled by the real ``tsc --strict``,
run by Node, and in agreement with the Python runtime on every ordered pair of statuses."""

from __future__ import annotations

import json
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ts_support import ROOT, STRICTEST, compile_to_js, run_node, run_tsc

import statusdoc
from statusdoc import kinds
from statusdoc.emit import get_emitter
from statusdoc.emit.jstext import comment_lines, comment_text, js_string
from statusdoc.emit.plaintext import plain_text
from statusdoc.emit.typescript import emit_typescript
from statusdoc.errors import InvalidTransition, UnknownStatus
from statusdoc.spec.model import Machine

EXAMPLES = {
    "glance": "examples/glance/image-statuses.toml",
    "baremetal": "examples/baremetal/node-states.toml",  # the docs' 32-status example
    "volume": "examples/volume/volume-statuses.toml",
    "taskinstance": "examples/taskinstance/task-instance-statuses.toml",
    "order": "examples/order/order-statuses.toml",
    "hostile": "tests/corpus/legal/code-hostile.toml",
}
LEGAL_CORPUS = sorted((ROOT / "tests" / "corpus" / "legal").glob("*.*"))

#: Values that are no status of any of the specs above: the messages must show them as
#: Python's repr() does (quotes, escapes, lone surrogates, astral characters).
UNKNOWN = ["nope", "", "x'y\"z", "it''s", "back\\slash", "\u2028", "\x85\xa0\xad", "\ud800",
           "😀", "\U000e0001", "toString", "hasOwnProperty", "tab\there"]

PAIR_PROBE = r"""
import { readFileSync } from "node:fs";
const mod = await import(new URL(process.argv[2], import.meta.url).href);
const probes = JSON.parse(readFileSync(process.argv[3], "utf8"));
Error.stackTraceLimit = 0;
function outcome(fn) {
  try {
    return ["ok", fn()];
  } catch (e) {
    return [e.name, e.message, e instanceof Error && e instanceof mod[e.name], e.machine];
  }
}
let refused = null;
try {
  mod.assertTransition(probes.refused[0], probes.refused[1]);
} catch (e) {
  refused = [e.from, e.to, e.allowed];
}
process.stdout.write(JSON.stringify({
  pairs: probes.pairs.map(([a, b]) => [
    outcome(() => mod.canTransition(a, b)),
    outcome(() => { mod.assertTransition(a, b); return null; }),
  ]),
  targets: probes.values.map((v) => outcome(() => mod.targets(v))),
  isStatus: probes.values.map((v) => mod.isStatus(v)),
  refused,
  constants: [mod.MACHINE, mod.TITLE, mod.STATUSES, mod.INITIAL, mod.ENTRIES, mod.FINAL,
              mod.NULL_STATUS],
  transitions: Object.entries(mod.TRANSITIONS),
  constructs: {status: Object.entries(mod.STATUS), deprecated: [...mod.DEPRECATED],
               groups: Object.entries(mod.GROUPS), guards: mod.GUARDS, returns: mod.RETURNS},
  constructsFrozen: [mod.STATUS, mod.GROUPS, mod.GUARDS, mod.RETURNS,
                     ...Object.values(mod.GROUPS), ...mod.GUARDS, ...mod.RETURNS]
    .every((v) => Object.isFrozen(v)),
  frozen: [mod.TRANSITIONS, mod.STATUSES, mod.ENTRIES, mod.FINAL,
           ...Object.values(mod.TRANSITIONS)].every((v) => Object.isFrozen(v)),
  prototype: Object.getPrototypeOf(mod.TRANSITIONS) === Object.prototype,
}));
"""


def load(key: str) -> Machine:
    return statusdoc.load(ROOT / EXAMPLES[key])


def source(key: str) -> str:
    return emit_typescript(load(key), source_name=EXAMPLES[key])


def py_outcome(call) -> list:  # type: ignore[no-untyped-def]
    try:
        return ["ok", call()]
    except (InvalidTransition, UnknownStatus) as exc:
        return [type(exc).__name__, str(exc), True, exc.machine]


def transition_order(machine: Machine) -> dict[str, list[str]]:
    """Each status's targets in the order of the spec's transitions."""
    order: dict[str, list[str]] = {s: [] for s in machine.state_names}
    for t in machine.transitions:
        if t.target not in order[t.source]:
            order[t.source].append(t.target)
    return order


@pytest.fixture(scope="module")
def compiled(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every example's module, compiled to JavaScript by one tsc run: ``js/<key>.js``."""
    out = tmp_path_factory.mktemp("typescript")
    compile_to_js({f"{key}.ts": source(key) for key in EXAMPLES}, out)
    return out


def test_the_registry_names_this_emitter() -> None:
    kind = kinds.get("typescript")
    assert get_emitter("typescript") is emit_typescript
    assert kind.file_name("image-statuses") == "image-statuses.ts"
    assert "typescript" not in kinds.defaults()  # written only when a spec asks for it


def test_every_module_compiles_under_strict_and_stricter(tmp_path: Path) -> None:
    files = {f"{key}.ts": source(key) for key in EXAMPLES}
    for path in LEGAL_CORPUS:
        files["corpus_" + re.sub(r"\W", "_", path.stem) + ".ts"] = emit_typescript(
            statusdoc.load(path), source_name=path.name)
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    names = sorted(files)
    run_tsc("--strict", "--noEmit", *names, cwd=tmp_path)
    run_tsc(*STRICTEST, "--noEmit", *names, cwd=tmp_path)
    # ES2015 is enough to compile and run it (the lib has no Unicode property escapes)
    run_tsc("--strict", "--noEmit", "--target", "es2015", "--lib", "es2015", *names,
            cwd=tmp_path)


@pytest.mark.parametrize("key", sorted(EXAMPLES))
def test_node_agrees_with_the_python_runtime_on_every_pair(key: str, compiled: Path,
                                                           tmp_path: Path) -> None:
    machine = load(key)
    known: list[str | None] = list(machine.state_names)
    if machine.null is not None:
        known.append(None)  # null stands for the null status, as None does in Python
    unknown: list[str | None] = [u for u in UNKNOWN if u not in machine.state_map]
    if machine.null is None:
        unknown.append(None)  # no null status: null is unknown, as None is in Python
    pairs = [(a, b) for a in known for b in known]
    pairs += [(u, known[0]) for u in unknown] + [(known[0], u) for u in unknown]
    refused = next(p for p in pairs if not machine.can(*p))
    probes = {"pairs": pairs, "values": known + unknown, "refused": refused}
    (tmp_path / "probes.json").write_text(json.dumps(probes), encoding="utf-8")
    got = run_node(PAIR_PROBE, str(compiled / "js" / f"{key}.js"), "probes.json", cwd=tmp_path)

    expected = [[py_outcome(lambda a=a, b=b: machine.can(a, b)),
                 py_outcome(lambda a=a, b=b: machine.check(a, b))] for a, b in pairs]
    assert len(got["pairs"]) == len(pairs) == len(known) ** 2 + 2 * len(unknown)
    mismatched = [(p, g, e) for p, g, e in zip(pairs, got["pairs"], expected, strict=True)
                  if g != e]
    assert not mismatched, f"{len(mismatched)} of {len(pairs)} pairs differ: {mismatched[:3]}"
    refusals = sum(e[1][0] == "InvalidTransition" for e in expected)
    assert refusals == len(known) ** 2 - sum(machine.can(a, b) for a in known for b in known)

    order = transition_order(machine)
    for value, outcome in zip(known + unknown, got["targets"], strict=True):
        if outcome[0] == "ok":
            name = machine.null if value is None else value
            assert outcome[1] == order[name]
        else:
            assert outcome == py_outcome(lambda v=value: machine.targets(v))
    assert got["isStatus"] == [True] * len(known) + [False] * len(unknown)
    src, dst = refused
    name = {None: machine.null}
    assert got["refused"] == [name.get(src, src), name.get(dst, dst),
                              order[name.get(src, src)]]  # type: ignore[index]
    assert got["constants"] == [machine.name, machine.title, list(machine.state_names),
                                machine.initial, list(machine.entries),
                                [s.name for s in machine.states if s.final], machine.null]
    assert dict(got["transitions"]) == order
    assert got["frozen"] and got["prototype"]
    returns = [[t.source, t.target] for t in machine.transitions if t.returning]
    assert got["constructs"] == {
        "status": [[s, s] for s in machine.state_names],
        "deprecated": [[s.name, s.deprecation] for s in machine.states if s.deprecated],
        "groups": [[g.name, [s.name for s in machine.states if s.group == g.name]]
                   for g in machine.groups],
        "guards": [{"from": t.source, "to": t.target, "event": t.event, "guard": t.guard}
                   for t in machine.transitions if t.guard],
        "returns": [pair for i, pair in enumerate(returns) if pair not in returns[:i]],
    }
    assert got["constructsFrozen"]


UNICODE_PROBE = r"""
const mod = await import(new URL(process.argv[2], import.meta.url).href);
Error.stackTraceLimit = 0;
const empty = new mod.UnknownStatus("").message;
const head = empty.indexOf("''");
const tail = empty.length - head - 2;
const repr = (s) => {
  const m = new mod.UnknownStatus(s).message;
  return m.slice(head, m.length - tail);
};
const ranges = [];
let start = -1;
for (let cp = 0; cp <= 0x110000; cp++) {
  const ch = cp <= 0x10ffff ? String.fromCodePoint(cp) : "";
  const escaped = cp <= 0x10ffff && repr(ch) !== "'" + ch + "'";
  if (escaped && start < 0) start = cp;
  if (!escaped && start >= 0) { ranges.push([start, cp - 1]); start = -1; }
}
const samples = JSON.parse(process.argv[3]);
process.stdout.write(JSON.stringify({ranges, samples: samples.map(repr),
                                     unicode: process.versions.unicode}));
"""


def _ranges(flags: list[bool]) -> set[int]:
    return {cp for cp, flag in enumerate(flags) if flag}


def test_unknown_values_are_shown_as_python_repr_shows_them(compiled: Path,
                                                            tmp_path: Path) -> None:
    """Every code point, alone: escaped exactly where Python escapes it, in Python's form.

    The only differences allowed are characters this Python's Unicode database does not
    know yet (category Cn) and Node's does: a newer Unicode version, not a bug.
    """
    samples = [chr(cp) for cp in range(0, 0x110000, 997)]
    samples += ["a'b", 'a"b', "a'\"b", "\\", "\t\n\r\x00\x1f\x7f\x80\x9f\xa0\xad", "\u2028\u2029",
                "\u200b\u202e\ufeff\ufffe", "\ud800", "\udfff", "x\ud83dy", "\U0001f600",
                "\U000e0001", "\U0010ffff", "\U000f0000", "déjà vu", "状态", "\x85"]
    got = run_node(UNICODE_PROBE, str(compiled / "js" / "glance.js"), json.dumps(samples),
                   cwd=tmp_path)
    escaped_in_node = {cp for a, b in got["ranges"] for cp in range(a, b + 1)}
    escaped_in_python = {cp for cp in range(0x110000)
                         if not chr(cp).isprintable() or chr(cp) in "'\\"}
    differ = escaped_in_node ^ escaped_in_python
    assert all(unicodedata.category(chr(cp)) == "Cn" for cp in differ), sorted(differ)[:20]
    if differ:  # a Unicode version apart, not a different rule
        def version(text: str) -> tuple[int, ...]:
            return tuple(map(int, text.split(".")))
        assert version(got["unicode"]) > version(unicodedata.unidata_version)
    for text, shown in zip(samples, got["samples"], strict=True):
        if not any(ord(ch) in differ for ch in text):
            assert shown == repr(text), (text, shown)


def test_messages_match_python_byte_for_byte_in_the_docs_example(compiled: Path,
                                                                  tmp_path: Path) -> None:
    """The message enforcement.rst shows, from the compiled module."""
    probe = ('const m = await import(new URL(process.argv[2], import.meta.url).href);\n'
             'try { m.assertTransition("saving", "queued"); } catch (e) {\n'
             '  process.stdout.write(JSON.stringify([e.name, e.message])); }\n')
    got = run_node(probe, str(compiled / "js" / "glance.js"), cwd=tmp_path)
    assert got == ["InvalidTransition", "image: transition 'saving' -> 'queued' is not allowed "
                   "(allowed from 'saving': 'active', 'deleted', 'killed')"]


def test_header_determinism_and_a_source_name_that_tries_to_break_out() -> None:
    text = source("glance")
    assert text.split("\n", 1)[0] == (
        "// generated from examples/glance/image-statuses.toml — edit the spec, not this file")
    assert text == source("glance")
    hostile = emit_typescript(load("glance"), source_name="a\n*/ alert(1)\u2028b.toml")
    first, second = hostile.split("\n")[:2]
    assert first.startswith("// generated from a * / alert(1) b.toml")
    assert second == "/**"


def test_the_jsdoc_lists_every_status_with_its_description_as_plain_text() -> None:
    machine = load("taskinstance")
    text = source("taskinstance")
    doc = text[text.index("/**\n * The name of a status"):text.index("export type StatusName")]
    assert max(map(len, doc.splitlines())) <= 99  # wrapped
    doc = re.sub(r"\n \*   ", " ", doc)  # the wrapped lines joined again
    for state in machine.states:
        plain = plain_text(state.description).split("\n")[0]
        assert f" * - {js_string(state.name)}" in doc and plain in doc
    assert "``" not in doc  # RST literals are shown as their text
    assert '"shutdown" (deprecated: no longer set; older rows may still hold it)' in doc
    assert '"none" (initial; stored as NULL/None)' in doc  # the pages' words
    volume = source("volume")
    assert ' * - "managing" (entry): An existing device' in volume
    assert ' * - "error" (group "errors"): Creating or reverting' in volume


def test_hostile_texts_stay_inside_their_comments_and_literals() -> None:
    text = source("hostile")
    comments = re.findall(r"/\*\*.*?\*/", text, flags=re.S)
    doc = next(c for c in comments if "The name of a status" in c)
    assert doc.count("*/") == 1 and doc.endswith("*/")
    assert "\\@param x" in doc  # not read as a JSDoc tag
    assert "\u202e" not in text and "\u2028" not in text  # shown as escapes, never raw
    code = re.sub(r"^//.*$", "", re.sub(r"/\*\*.*?\*/", "", text, flags=re.S), flags=re.M)
    assert "</" not in code and "<!--" not in code  # literals write "<" as \u003c
    assert '"\\u003c/script>\\u003c!-- -->"' in text


# --- the quoting functions, against the real compiler and JSON.parse ---------------------

LITERAL_PROBE = r"""
const mod = await import(new URL(process.argv[2], import.meta.url).href);
process.stdout.write(JSON.stringify(mod.TEXTS));
"""


@settings(max_examples=2, deadline=None)
@given(st.lists(st.text(st.characters(codec=None, exclude_categories=()), max_size=30),
                min_size=100, max_size=300))
def test_js_string_is_read_back_exactly_by_tsc_node_and_json(texts: list[str]) -> None:
    import tempfile

    texts = [*texts, "a\u2028b\u2029c", "\ud800x\udfff", "</script>", "${x}`", "\\\"'", "\x00"]
    for text in texts:
        literal = js_string(text)
        assert json.loads(literal) == text
        assert literal.isprintable() and "</" not in literal and "\n" not in literal
    module = ("export const TEXTS: readonly string[] = [\n"
              + "".join(f"  {js_string(t)},\n" for t in texts) + "];\n")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        js = compile_to_js({"texts.ts": module}, work)
        got = run_node(LITERAL_PROBE, str((js / "texts.js").relative_to(work)), cwd=work)
    assert got == texts


@given(st.text(max_size=40))
def test_comment_text_cannot_end_or_break_a_comment(text: str) -> None:
    line = comment_text(text)
    assert "*/" not in line and line.isprintable()
    assert not line.lstrip(" ").startswith("@")
    for line in comment_lines(text + "\n" + text):
        assert "*/" not in line and line.isprintable()


RECIPE_PROBE = r"""
const menu = await import(new URL(process.argv[2], import.meta.url).href);
const out = {next: menu.nextStatuses("saving"), refusal: menu.refusal("saving", "queued"),
             allowed: menu.refusal("queued", "saving"), parsed: menu.parseStatus("active")};
try { menu.parseStatus("activ"); } catch (e) { out.bad = [e.name, e.message]; }
process.stdout.write(JSON.stringify(out));
"""


def test_the_frontend_recipe_of_the_docs_compiles_and_runs(tmp_path: Path) -> None:
    """docs/examples/image-status-menu.ts against the committed generated module."""
    recipe = (ROOT / "docs" / "examples" / "image-status-menu.ts").read_text(encoding="utf-8")
    module = (ROOT / "examples" / "glance" / "image-statuses.ts").read_text(encoding="utf-8")
    js = compile_to_js({"image-status-menu.ts": recipe, "image-statuses.ts": module}, tmp_path)
    got = run_node(RECIPE_PROBE, str(js / "image-status-menu.js"), cwd=tmp_path)
    machine = load("glance")
    assert got["next"] == transition_order(machine)["saving"]
    assert got["refusal"] == py_outcome(lambda: machine.check("saving", "queued"))[1]
    assert got["allowed"] is None and got["parsed"] == "active"
    assert got["bad"] == ["TypeError", 'not an image status: "activ"']


def _member_docs(declarations: str) -> dict[str, str]:
    """Each member of the StatusConstants interface in tsc's declaration output, by its
    key as written, and the JSDoc block tsc kept in front of it ("" without one)."""
    body = declarations[declarations.index("interface StatusConstants {"):]
    body = body[:body.index("\n}")]
    docs: dict[str, str] = {}
    for match in re.finditer(r"(/\*\*(?:(?!\*/).)*\*/\s*)?readonly (\"(?:[^\"\\]|\\.)*\"):",
                             body, flags=re.S):
        docs[match.group(2)] = match.group(1) or ""
    return docs


@pytest.mark.parametrize("key", ["volume", "taskinstance", "hostile"])
def test_tsc_keeps_deprecated_only_on_the_deprecated_statuses(key: str, tmp_path: Path) -> None:
    """The JSDoc @deprecated tag an editor shows, as tsc's declaration output carries it."""
    machine = load(key)
    (tmp_path / "m.ts").write_text(source(key), encoding="utf-8")
    run_tsc("--strict", "--declaration", "--emitDeclarationOnly", "--outDir", "out", "m.ts",
            cwd=tmp_path)
    docs = _member_docs((tmp_path / "out" / "m.d.ts").read_text(encoding="utf-8"))
    assert list(docs) == [js_string(s.name) for s in machine.states]
    tagged = {name for name, doc in docs.items() if "@deprecated" in doc}
    assert tagged == {js_string(s.name) for s in machine.states if s.deprecated}
    for state in machine.states:
        doc = docs[js_string(state.name)]
        if state.deprecated:  # the tag starts its line and carries the reason
            reason = comment_text(state.deprecation) or "the spec marks this status deprecated"
            assert re.search(r"\n\s*\* @deprecated " + re.escape(reason) + r"\n", doc), doc
        assert doc.count("*/") <= 1  # a hostile description never ends the block early


VOLUME_PROBE = r"""
const m = await import(new URL(process.argv[2], import.meta.url).href);
process.stdout.write(JSON.stringify({
  extending: [m.menu("extending", "in-use"), m.menu("extending", "available")],
  detaching: m.menu("detaching", "in-use"),
  available: m.menu("available", null),
}));
"""


def test_the_volume_recipe_of_the_docs_compiles_and_runs(tmp_path: Path) -> None:
    """docs/examples/volume-status-menu.ts against the committed generated module."""
    recipe = (ROOT / "docs" / "examples" / "volume-status-menu.ts").read_text(encoding="utf-8")
    module = (ROOT / "examples" / "volume" / "volume-statuses.ts").read_text(encoding="utf-8")
    js = compile_to_js({"volume-status-menu.ts": recipe, "volume-statuses.ts": module},
                       tmp_path, *STRICTEST[1:4])
    got = run_node(VOLUME_PROBE, str(js / "volume-status-menu.js"), cwd=tmp_path)
    order = transition_order(load("volume"))

    def entries(*names: str, when: dict[str, str] | None = None) -> list[dict[str, str]]:
        return [{"status": n, "when": (when or {}).get(n, "")} for n in names]
    # a return is offered only back to where the volume came from
    assert order["extending"] == ["available", "in-use", "error_extending", "deleting"]
    assert got["extending"] == [entries("in-use", "error_extending", "deleting"),
                                entries("available", "error_extending", "deleting")]
    # a guarded move says its condition; the return to "in-use" is also guarded
    assert got["detaching"] == entries("available", "in-use", when={
        "available": "last attachment", "in-use": "other attachments remain"})
    assert "downloading" not in order["available"]  # nothing leads to the deprecated one
    assert got["available"] == entries(*order["available"])
