"""Property tests over generated specs with hostile names and labels (issues 3 and 6).

Specs go through the real JSON loader and validator; outputs are read back by
real parsers: pydot for DOT, graphviz-pure's SVG for what is drawn, docutils
for RST, and line-level Mermaid / Markdown checks with a round trip of the
escaping.
"""

from __future__ import annotations

import re
from collections import Counter

from emit_support import by_class, docutils_parse, parse_dot, render, svg_nodes, try_machine
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from statusdoc.emit.dot import emit_dot
from statusdoc.emit.escape import mermaid_unescape, one_line
from statusdoc.emit.layout import group_anchors
from statusdoc.emit.markdown import emit_markdown
from statusdoc.emit.mermaid import emit_mermaid, state_ids
from statusdoc.emit.rst import alt_text, emit_rst, status_anchors
from statusdoc.emit.wording import PLAIN, edge_text, source_phrase

SETTINGS = settings(max_examples=50, deadline=None,
                    suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])

HOSTILE = [
    "node", "edge", "graph", "strict", "digraph", "subgraph", '"', "\\", "\\N", "\\n", "\\l",
    "a\\", "<b>", "{x|y}", "&amp;", "&lt;", "*", "**", "`", "``", "|sub|", "_", "name_",
    "..", ".. include:: /etc/passwd", ":", "::", "[1]_", "#58;", ";", "%%", "-->", "[*]",
    "end", "state", "é", "漢字", "✓", "\u2028x", "x\u0085y", "a  b", "=====", "- item",
    "{{ 7*7 }}", "{% raw %}", "<!--", "\t", "direction LR",
]
NAME_CHARS = st.characters(blacklist_categories=("Cc", "Cs"))
TEXT = st.text(NAME_CHARS, min_size=1, max_size=12)
NAME = (
    st.one_of(st.sampled_from(HOSTILE), TEXT,
              st.tuples(st.sampled_from(HOSTILE), TEXT).map("".join))
    .map(str.strip)
    .filter(lambda s: bool(s) and s != "*")
)
PROSE = st.sampled_from(["", "Plain prose.", "Has ``literal`` text\nand a second line.",
                         "A list:\n\n* one\n* two"])


@st.composite
def specs(draw: st.DrawFn) -> dict:
    """A valid spec: every status reachable, finals without outgoing transitions."""
    names = draw(st.lists(NAME, min_size=1, max_size=6, unique=True))
    n = len(names)
    final = [i > 0 and draw(st.integers(0, 3)) == 0 for i in range(n)]
    sources = [i for i in range(n) if not final[i]]
    states: dict[str, dict] = {}
    for i, name in enumerate(names):
        body: dict = {}
        if draw(st.booleans()):
            body["label"] = draw(NAME)
        if draw(st.booleans()):
            body["description"] = draw(PROSE)
        if final[i]:
            body["final"] = True
        if draw(st.integers(0, 3)) == 0:
            body["tags"] = ["hot"]
        states[name] = body
    pairs = [(draw(st.sampled_from([j for j in sources if j < i])), i) for i in range(1, n)]
    extra = draw(st.lists(st.tuples(st.sampled_from(sources), st.integers(0, n - 1)), max_size=4))
    transitions = []
    for src, dst in pairs + extra:
        rule: dict = {"from": names[src], "to": names[dst]}
        if draw(st.booleans()):
            rule["label"] = draw(NAME)
        if draw(st.booleans()):
            rule["event"] = draw(NAME)
        if draw(st.integers(0, 3)) == 0:
            rule["tags"] = ["v2"]
        if draw(st.integers(0, 3)) == 0:
            rule["description"] = draw(PROSE)
        transitions.append(rule)
    if n > 1 and draw(st.booleans()):
        transitions.append({"from": "*", "to": names[draw(st.integers(1, n - 1))],
                            "label": "wild " + draw(NAME)})
    data = {
        "machine": {"name": draw(st.from_regex(r"[a-z][a-z0-9_-]{0,8}", fullmatch=True)),
                    "title": draw(NAME), "initial": names[0], "initial_label": draw(NAME)},
        "states": states,
        "transitions": transitions,
        "diagram": {
            "wildcards": draw(st.sampled_from(["group", "expand"])),
            "tags": {"v2": {"style": "dashed", "legend": draw(NAME)},
                     "hot": {"fillcolor": "#FFCCCC", "legend": draw(NAME)}},
        },
    }
    if draw(st.booleans()):
        data["machine"]["intro"] = draw(PROSE)
    return data


@st.composite
def construct_specs(draw: st.DrawFn) -> dict:
    """A valid spec of :func:`specs` with issue 10's constructs, hostile text included:
    several entries with labels, a deprecated status with a reason, groups with
    titles and prose, guards, a scoped wildcard, a group source, a return rule
    and maybe a null status. (The DOT properties use :func:`specs` until the
    DOT emitter draws these constructs.)"""
    data = draw(specs())
    names = list(data["states"])
    states, rules, machine_ = data["states"], data["transitions"], data["machine"]
    open_ = [n for n in names if not states[n].get("final")]
    if len(open_) > 1 and draw(st.booleans()):
        second = draw(st.sampled_from(open_[1:]))
        machine_["initial"] = [names[0], second]
        machine_["initial_label"] = draw(st.one_of(
            NAME, st.fixed_dictionaries({names[0]: NAME}), st.just({})))
    entries = machine_["initial"] if isinstance(machine_["initial"], list) else [names[0]]
    if draw(st.booleans()):
        old = draw(NAME)
        assume(old not in states)
        states[old] = {"deprecated": draw(st.one_of(st.just(True), NAME))}
        rules.append({"from": old, "to": names[0]})
        names.append(old)
    groups = {}
    for i in range(draw(st.integers(0, 2))):
        groups[f"g{i}"] = {"title": draw(NAME), "description": draw(PROSE)}
    for name in names:
        if groups and draw(st.booleans()):
            states[name]["group"] = draw(st.sampled_from(sorted(groups)))
    if groups:
        data["groups"] = groups
        group = draw(st.sampled_from(sorted(groups)))
        rules.append({"from": {"group": group}, "to": names[0], "label": draw(NAME),
                      "include_final": draw(st.booleans()), "guard": draw(NAME)})
    for rule in rules:
        if draw(st.integers(0, 3)) == 0:
            rule["guard"] = draw(NAME)
    for rule in rules:
        if rule["from"] == "*" and len(names) > 2 and draw(st.booleans()):
            rule["except"] = [draw(st.sampled_from(names[1:]))]
            rule["include_final"] = draw(st.booleans())
    if draw(st.booleans()):
        rules.append({"from": draw(st.sampled_from(open_)), "return": True,
                      "label": draw(NAME), "event": draw(NAME)})
    if draw(st.booleans()):
        machine_["null"] = draw(st.sampled_from(entries))
    return data


def _machine(data: dict):
    m = try_machine(data)
    assume(m is not None)
    return m


# -- DOT -----------------------------------------------------------------------


def _expected_edges(m) -> tuple[Counter, list]:
    group = m.diagram.wildcards == "group"
    wild = {r.index for r in m.rules if r.wildcard} if group else set()
    plain = Counter((t.source, t.target, t.label) for t in m.transitions if t.rule not in wild)
    grouped = [r for r in m.rules if r.index in wild and r.sources]
    return plain, grouped


def _badged(parsed) -> Counter:
    """(source, target, label) of the transitions the DOT's badges stand for."""
    import json

    from emit_support import dot_string

    _, arrows = by_class(parsed, "statusdoc-fanin")
    return Counter((src, dst, label) for _b, dst, a in arrows
                   for src, label in json.loads(dot_string(a["statusdoc_transitions"])))


@SETTINGS
@given(specs())
def test_dot_parses_back_to_the_same_graph(data: dict) -> None:
    m = _machine(data)
    parsed = parse_dot(emit_dot(m, source_name="spec.json"))
    states, _ = by_class(parsed, "statusdoc-state")
    assert list(states) == list(m.state_names)  # same set, spec order
    for s in m.states:
        label = states[s.name]["label"]
        assert parsed_label(label) == s.label.replace("\r\n", "\n")
    _, edges = by_class(parsed, "statusdoc-transition")
    plain, grouped = _expected_edges(m)
    got = Counter((src, dst, parsed_label(a["label"]) if "label" in a else "")
                  for src, dst, a in edges)
    assert got + _badged(parsed) == plain  # each transition drawn once, or in a badge
    notes, wild_edges = by_class(parsed, "statusdoc-wildcard")
    assert len(notes) == len(grouped) == len(wild_edges)
    assert [(dst, parsed_label(a.get("label", '""'))) for _s, dst, a in wild_edges] == [
        (r.target, r.label) for r in grouped
    ]
    helpers = set(parsed["nodes"]) - set(m.state_names)
    assert not helpers & set(m.state_names)
    initial, entry = by_class(parsed, "statusdoc-initial")
    assert len(initial) == 1 and [e[1] for e in entry] == [m.initial]


def parsed_label(token: str) -> str:
    from emit_support import graphviz_label

    return graphviz_label(token)


@settings(max_examples=15, deadline=None,
          suppress_health_check=[HealthCheck.filter_too_much, HealthCheck.too_slow])
@given(specs())
def test_graphviz_pure_draws_every_label_literally(data: dict) -> None:
    m = _machine(data)
    svg = render(emit_dot(m, source_name="spec.json"))
    drawn = svg_nodes(svg)
    state_texts = sorted(text for cls, text in drawn.values() if "statusdoc-state" in cls)
    # SVG text cannot tell U+00A0 from Graphviz's own encoding of a double space
    assert state_texts == sorted(s.label.replace("\xa0", " ") for s in m.states)
    edge_texts = Counter(text for cls, text in drawn.values()
                         if cls.startswith("edge") and "statusdoc-transition" in cls)
    plain, _ = _expected_edges(m)
    plain -= _badged(parse_dot(emit_dot(m, source_name="spec.json")))  # labels in badges
    expected = Counter()
    for (_s, _t, label), n in plain.items():
        expected[label.replace("\xa0", " ")] += n
    assert edge_texts == expected


@SETTINGS
@given(specs())
def test_dot_is_deterministic(data: dict) -> None:
    m = _machine(data)
    assert emit_dot(m, source_name="a") == emit_dot(_machine(data), source_name="a")


# -- RST -----------------------------------------------------------------------


@SETTINGS
@given(construct_specs())
def test_rst_parses_without_warnings_and_keeps_names(data: dict) -> None:
    from docutils import nodes

    m = _machine(data)
    text = emit_rst(m, source_name="spec.json", image="diagram.png")
    doctree, warnings = docutils_parse(text)
    assert warnings == "", warnings + "\n" + text
    title = doctree.next_node(nodes.title)
    assert title.astext() == one_line(m.title).strip()
    image = doctree.next_node(nodes.image)
    assert image["alt"].replace("\n", " ") == alt_text(m, table=True).strip()
    literals = [n.astext() for n in doctree.findall(nodes.literal)]
    for name in m.state_names:
        assert one_line(name).strip() in literals
    table = doctree.next_node(nodes.table)
    if m.transitions:
        rows = table.findall(nodes.row)
        cells = [[entry.astext() for entry in row.findall(nodes.entry)] for row in rows][1:]
        assert [c[2] for c in cells] == [one_line(t.label).strip() for t in m.transitions]
        assert [c[0] for c in cells] == [one_line(t.source).strip() for t in m.transitions]
    assert set(status_anchors(m).values()) <= set(doctree.nameids)
    shown = {group_anchors(m)[g] for g, members in m.group_members.items() if members}
    assert shown <= set(doctree.nameids)
    strong = [n.astext() for n in doctree.findall(nodes.strong)]
    for group in m.groups:
        if m.group_members[group.name]:
            assert one_line(group.title).strip() in strong
    for state in m.states:
        if state.deprecated:
            assert any(f"deprecated{': ' if state.deprecation else ''}"
                       f"{one_line(state.deprecation).strip()}" in t
                       for t in (p.astext() for p in doctree.findall(nodes.paragraph)))


# -- Mermaid -------------------------------------------------------------------

_UNSAFE_IN_LABEL = re.compile(r'[":;%<>{}\[\]|`\\&\n\r\u2028\u2029\x85]')


def _label_ok(text: str) -> bool:
    bare = re.sub(r"#\d+;", "", text)  # '#' and ';' only inside entity codes
    return not _UNSAFE_IN_LABEL.search(bare) and "#" not in bare


def _mermaid_expected(m) -> tuple[Counter, Counter]:
    """Arrows between statuses, and into pseudo-states, that the Mermaid must draw."""
    ids = state_ids(m)
    grouped = m.diagram.wildcards == "group"
    drawn_alone = {r.index for r in m.rules
                   if grouped and (r.wildcard or r.group is not None or r.returns)}
    plain = Counter((ids[t.source], ids[t.target], edge_text(t.label, t.event, t.guard))
                    for t in m.transitions if t.rule not in drawn_alone)
    pseudo = Counter()
    for r in m.rules:
        if r.index not in drawn_alone:
            continue
        text = edge_text(r.label, r.event, r.guard)
        mine = [t for t in m.transitions if t.rule == r.index]
        if r.returns and (r.wildcard or r.group is not None):
            pseudo[(f"w{r.index}", f"h{r.index}", text)] += bool(mine)
        elif r.returns:
            for source in dict.fromkeys(t.source for t in mine):
                pseudo[(ids[source], f"h{r.index}", text)] += 1
        elif r.sources:
            pseudo[(f"w{r.index}", ids[r.target], text)] += 1
    return plain, +pseudo


@SETTINGS
@given(construct_specs())
def test_mermaid_escapes_every_label(data: dict) -> None:
    m = _machine(data)
    text = emit_mermaid(m, source_name="spec.json")
    lines = text.split("\n")
    assert lines[1] == "stateDiagram-v2" and lines[-1] == ""
    ids = state_ids(m)
    declared, composites, edges = {}, {}, []
    depth = 0
    for line in lines[2:-1]:
        if match := re.fullmatch(r'( {4}| {8})state "(.*)" as (\w+)( \{)?', line):
            assert _label_ok(match.group(2)), line
            assert (len(match.group(1)) == 8) == (depth == 1), line  # members only inside
            label = mermaid_unescape(match.group(2))
            if match.group(4):
                assert depth == 0, line
                composites[match.group(3)] = label
                depth = 1
            else:
                declared[match.group(3)] = label
        elif line == "    }":
            assert depth == 1
            depth = 0
        elif match := re.fullmatch(r"    (\[\*\]|\w+) --> (\[\*\]|\w+)(?: : (.*))?", line):
            assert depth == 0, line
            if match.group(3) is not None:
                assert _label_ok(match.group(3)), line
            edges.append((match.group(1), match.group(2), mermaid_unescape(match.group(3) or "")))
        else:
            other = r"    (direction \w+|classDef \w+ [^;\n]*|class [\w,]+ \w+)"
            assert re.fullmatch(other, line), line
    assert depth == 0
    for s in m.states:
        assert declared[ids[s.name]] == s.label
    assert sorted(composites.values()) == sorted(
        g.title for g in m.groups if m.group_members[g.name])
    for r in m.rules:
        if f"w{r.index}" in declared:
            assert declared[f"w{r.index}"] == source_phrase(m, r, PLAIN)
    plain, pseudo = _mermaid_expected(m)
    between = Counter(e for e in edges if e[0] in ids.values() and e[1] in ids.values())
    assert between == plain
    assert Counter(e for e in edges if e[1][0] in "wh" or e[0][0] == "w") == pseudo
    starts = [e for e in edges if e[0] == "[*]"]
    assert starts == [("[*]", ids[n], m.entry_labels.get(n, "")) for n in m.entries]
    assert sum(1 for e in edges if e[1] == "[*]") == sum(s.final for s in m.states)
    deprecated = [ids[s.name] for s in m.states if s.deprecated]
    assert (f"    class {','.join(deprecated)} deprecated" in lines) == bool(deprecated)


# -- Markdown ------------------------------------------------------------------


@SETTINGS
@given(construct_specs())
def test_markdown_table_has_a_cell_per_column_in_every_row(data: dict) -> None:
    m = _machine(data)
    columns = 5 if any(t.guard for t in m.transitions) else 4
    text = emit_markdown(m, source_name="spec.json")
    assert text.startswith("<!-- generated from spec.json")
    rows = [line for line in text.split("\n") if line.startswith("| ")]
    if m.transitions:
        assert len(rows) == len(m.transitions) + 2
    for row in rows:
        cells = re.split(r"(?<!\\)\|", row)
        assert len(cells) == columns + 2, row  # empty before the first and after the last bar
    # raw HTML never comes from spec text: every HTML piece CommonMark reads is one of ours
    # (decided on the parsed tokens, as a renderer reads the page)
    from markdown_it import MarkdownIt

    ours = re.compile(r'<a id="[a-z0-9-]+">|</a>|<!-- .* -->\n?', re.DOTALL)
    for token in MarkdownIt("commonmark").parse(text):
        for piece in [token, *(token.children or ())]:
            if piece.type in ("html_inline", "html_block"):
                assert ours.fullmatch(piece.content), piece.content
