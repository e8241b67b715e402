"""The DOT parser behind `statusdoc import`: what pydot reads, read alike; what it missed, read."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any

import pydot
import pytest
from cli_support import run
from hypothesis import example, given, settings
from hypothesis import strategies as st

from statusdoc.importers import ImportFailure
from statusdoc.importers.dot import import_dot, import_dot_text
from statusdoc.importers.dotparse import (
    AttrStmt,
    DotGraph,
    DotSyntaxError,
    EdgeStmt,
    NodeStmt,
    parse_dot,
)

# --------------------------------------------------------------- pydot as oracle


def _norm(raw: str) -> str:
    """pydot drops a backslash-newline inside quotes; so does Graphviz when it reads."""
    return raw.replace("\\\n", "") if raw.startswith('"') else raw


def _plain_key(key: str) -> str:
    return key[1:-1] if len(key) >= 2 and key[0] == key[-1] == '"' else key


def _attrs(attrs: dict[str, Any]) -> dict[str, str]:
    return {_plain_key(k): v for k, v in attrs.items() if v is not None}


def _end(end: Any) -> str | DotGraph:
    if isinstance(end, str):
        return end
    return _from_pydot(pydot.Subgraph(obj_dict=dict(end)), "subgraph")


def _without_port(name: str) -> str:
    """A node statement's ID without its ``:port`` (pydot keeps it in the name; Graphviz,
    and our parser, ignore a port in a node statement). A quoted ID ends at its
    closing quote; an unquoted one cannot hold a ``:``."""
    if not name.startswith('"'):
        return name.partition(":")[0]
    i = 1
    while i < len(name) and name[i] != '"':
        i += 2 if name[i] == "\\" else 1
    return name[: i + 1]


def _from_pydot(graph: Any, kind: str) -> DotGraph:
    out = DotGraph(kind, graph.get_name(), _attrs(graph.get_attributes()))
    items: list[tuple[int, Any]] = []
    for node in graph.get_nodes():
        name = node.get_name()
        if name in ("node", "edge", "graph"):
            stmt: Any = AttrStmt(name, _attrs(node.get_attributes()))
        else:
            stmt = NodeStmt(_without_port(name), _attrs(node.get_attributes()))
        items.append((node.obj_dict.get("sequence", 0), stmt))
    for edge in graph.get_edges():
        items.append((edge.obj_dict.get("sequence", 0), EdgeStmt(
            _end(edge.get_source()), _end(edge.get_destination()), _attrs(edge.get_attributes()))))
    for sub in graph.get_subgraphs():
        items.append((sub.obj_dict.get("sequence", 0), _from_pydot(sub, "subgraph")))
    out.statements = [stmt for _seq, stmt in sorted(items, key=lambda item: item[0])]
    return out


def _normalised(graph: DotGraph) -> DotGraph:
    def end(e: str | DotGraph) -> str | DotGraph:
        return _norm(e) if isinstance(e, str) else _normalised(e)

    def attrs(a: dict[str, str]) -> dict[str, str]:
        return {k: _norm(v) for k, v in a.items()}

    statements: list[Any] = []
    for stmt in graph.statements:
        if isinstance(stmt, DotGraph):
            statements.append(_normalised(stmt))
        elif isinstance(stmt, NodeStmt):
            statements.append(NodeStmt(_norm(stmt.name), attrs(stmt.attributes)))
        elif isinstance(stmt, EdgeStmt):
            statements.append(EdgeStmt(end(stmt.source), end(stmt.target),
                                       attrs(stmt.attributes)))
        else:
            statements.append(AttrStmt(stmt.kind, attrs(stmt.attributes)))
    return DotGraph(graph.kind, _norm(graph.name), attrs(graph.attributes), statements)


def _pydot_graphs(text: str) -> list[DotGraph] | None:
    with contextlib.redirect_stdout(io.StringIO()):
        try:
            found = pydot.graph_from_dot_data(text)
        except Exception:
            return None
    if not found:
        return None
    return [_from_pydot(g, g.get_type()) for g in found]


DOT_PIECES = st.sampled_from([
    "digraph", "graph", "strict", "{", "}", "[", "]", ";", ",", "=", "->", "--", '""', '"a b"',
    "a", "b", "node", "edge", "subgraph", "cluster_x", "label", "shape", "point", "<", ">",
    "<<b>x</b>>", "//c\n", "/*", "*/", "#x\n", "\n", '"\\"', "\\", ":", "p", "é", "\x00",
    '"x" + "y"', "+", "1.5", "n", "Node", "DIGRAPH", '"line\\\ncontinued"', '"raw\nnewline"',
])
DOT_BODIES = st.lists(DOT_PIECES, max_size=24).map(" ".join)
DOT_TEXTS = st.one_of(DOT_BODIES, DOT_BODIES.map(lambda body: "digraph { " + body + " }"))


@settings(max_examples=400, deadline=None)
@given(DOT_TEXTS)
@example('digraph { "x" + "y" = p }')  # a concatenated ID before '=' (found by this test)
def test_whatever_pydot_reads_is_read_alike(text: str) -> None:
    expected = _pydot_graphs(text)
    if expected is None:
        return  # pydot refuses it; ours may refuse it too or read more (see below)
    try:
        got = [_normalised(g) for g in parse_dot(text).graphs]
    except DotSyntaxError:
        # pydot is lenient (a keyword as a node ID, '->' in an undirected graph):
        # refusing is right only where Graphviz refuses as well
        assert "\x00" in text or not _graphviz_accepts(text), text
        return
    assert got == [_normalised(g) for g in expected]


STATEMENTS = [
    'a -> b -> c [label="x", color=red]',
    '"wait call-back" -> done [label="say \\"hi\\""]',
    "subgraph cluster_0 { label=x; node [shape=box]; b -> c }",
    "{rank=same; a; b}",
    "{a b} -> c",
    'a:p:n -> "b":q',
    'graph [rankdir=LR]; edge [fontsize=10]; node [style=filled]',
    'x [label=<<b>bold</b> <i>it</i>>]',
    '"a" + "b" -> c',
    "é -> ü",
    'n1 [label="two\\nlines\\l"]',
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(STATEMENTS), min_size=1, max_size=8),
       st.sampled_from(["digraph", "graph", "strict digraph", "digraph G"]),
       st.sampled_from(["; ", "\n", " "]))
def test_real_statements_are_read_like_pydot(stmts: list[str], head: str, sep: str) -> None:
    body = sep.join(stmts)
    if not head.endswith("digraph") and "digraph" not in head:
        body = body.replace("->", "--")  # an undirected graph's edges
    text = f"{head} {{\n  " + body + "\n}\n"
    expected = _pydot_graphs(text)
    assert expected is not None, text
    assert [_normalised(g) for g in parse_dot(text).graphs] == [
        _normalised(g) for g in expected]


# --------------------------------------------------------------- beyond pydot


@pytest.mark.parametrize(
    "text",
    [
        "digraph { a -> -2; -.5 -> a }",  # negative numerals
        "digraph { a [x=1; y=2] }",  # ';' between attributes
    ],
)
def test_valid_dot_pydot_refuses_is_read(text: str) -> None:
    assert _pydot_graphs(text) is None
    (graph,) = parse_dot(text).graphs
    assert graph.statements


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "expected 'graph' or 'digraph', found the end of the file (line 1, column 1)"),
        ("digraph { a -> ", "expected an ID, found the end of the file (line 1, column 16)"),
        ('digraph {\n  a [label="open\n', "unterminated quoted string (line 2, column 12)"),
        ("digraph {\n a -> b /* never closed", "unterminated /* comment (line 2, column 9)"),
        ("digraph { a [label=<<b>x</b> ] }", "unterminated <...> string (line 1, column 20)"),
        ("digraph { a = }", "expected an ID, found '}' (line 1, column 15)"),
        ("digraph { a [x] }", "expected '=', found ']' (line 1, column 15)"),
        ("digraph { a \x00 }", "unexpected character '\\x00' (line 1, column 13)"),
        ("digraph " + "{ subgraph " * 150 + "}" * 150 + "}",
         "subgraphs nested too deep (at most 100 levels)"),
    ],
)
def test_broken_dot_is_located(text: str, message: str) -> None:
    with pytest.raises(DotSyntaxError) as caught:
        parse_dot(text)
    assert message in str(caught.value)
    with pytest.raises(ImportFailure, match=r"x\.dot: cannot parse DOT: "):
        import_dot_text(text, source="x.dot")


# --------------------------------------------------------------- issue 12 item 4

DIAGRAMS_STYLE = '''\
digraph "Order flow" {
  graph [fontsize=15 label="Order flow" pad=2.0 rankdir=LR]
  node [shape=box style=rounded]
  "0f3c2e" [label="Awaiting
payment" height=1.9]
  "9ab1d4" [label="Paid" height=1.9]
  "77c0aa" [label="Shipped" height=1.9]
  "0f3c2e" -> "9ab1d4" [label="pay
now" dir=forward]
  "9ab1d4" -> "77c0aa" [label="ship" dir=forward]
}
'''


def test_raw_newlines_in_quoted_labels_become_spaces() -> None:
    result = import_dot_text(DIAGRAMS_STYLE, source="order.dot")
    assert result.labels["0f3c2e"] == "Awaiting payment"
    assert [(e.source, e.target, e.label) for e in result.edges] == [
        ("0f3c2e", "9ab1d4", "pay now"), ("9ab1d4", "77c0aa", "ship"),
    ]


def test_names_from_labels() -> None:
    result = import_dot_text(DIAGRAMS_STYLE, source="order.dot", names_from="label")
    assert result.states == ["Awaiting payment", "Paid", "Shipped"]
    assert result.labels == {}
    assert result.initial is None and result.to_data()["machine"]["initial"] == \
        "Awaiting payment"
    assert [(e.source, e.target) for e in result.edges] == [
        ("Awaiting payment", "Paid"), ("Paid", "Shipped"),
    ]
    assert result.finals == {"Shipped"}


def test_names_from_labels_with_duplicates_unlabelled_nodes_and_entries() -> None:
    text = ('digraph { start [shape=point]; start -> h1; h1 [label="Open"]; '
            'h2 [label="Open"]; h3 [label="\\N done"]; h4; h5 [label=""]; '
            'h1 -> h2; h2 -> h3; h3 -> h4; h4 -> h5 }')
    result = import_dot_text(text, source="d.dot", names_from="label")
    assert result.states == ["Open", "Open (2)", "h3 done", "h4", "h5"]
    assert result.initial == "Open"
    assert "note: node 'h2' is labelled 'Open' like another node: named 'Open (2)'" \
        in result.notes


def test_names_from_must_be_id_or_label() -> None:
    with pytest.raises(ImportFailure, match="names_from must be one of id, label"):
        import_dot_text("digraph { a }", names_from="ids")


def test_a_byte_order_mark_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.dot"
    path.write_bytes(b"\xef\xbb\xbfdigraph G { a -> b }\n")
    assert import_dot(str(path)).states == ["a", "b"]
    assert import_dot_text("\ufeffdigraph { a -> b }").states == ["a", "b"]


def _graphviz_accepts(text: str) -> bool:
    """Whether Graphviz itself (the graphviz-pure build statusdoc renders with) reads a
    graph from ``text`` (with no graph at all it exits 0 and writes nothing)."""
    import os
    import subprocess

    from statusdoc.render import _find_graphviz_pure

    exe = _find_graphviz_pure()
    assert exe is not None
    proc = subprocess.run([exe, "-Tcanon"], input=text.encode("utf-8", "surrogatepass"),
                          capture_output=True, timeout=30, check=False,
                          env={**os.environ, "SERVER_NAME": "statusdoc-test"})
    return proc.returncode == 0 and bool(proc.stdout.strip())


@settings(max_examples=150, deadline=None)
@given(DOT_TEXTS)
def test_what_is_refused_graphviz_refuses_too(text: str) -> None:
    if "\x00" in text:
        return  # Graphviz reads C strings: a NUL ends its input; statusdoc refuses it
    try:
        parse_dot(text)
    except DotSyntaxError:
        assert not _graphviz_accepts(text), text


def test_cli_names_from_label(tmp_path: Path) -> None:
    import subprocess
    import sys
    import tomllib

    (tmp_path / "order.dot").write_text(DIAGRAMS_STYLE, encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "statusdoc", "import", "order.dot", "--names-from", "label",
         "-o", "order.toml"], cwd=tmp_path, capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr
    spec = tomllib.loads((tmp_path / "order.toml").read_text(encoding="utf-8"))
    assert list(spec["states"]) == ["Awaiting payment", "Paid", "Shipped"]
    assert "label" not in spec["states"]["Paid"]
    wrong = subprocess.run(
        [sys.executable, "-m", "statusdoc", "import", "x.json", "--names-from", "label"],
        cwd=tmp_path, capture_output=True, text=True, check=False)
    assert wrong.returncode == 2  # an option that does not fit the source: usage
    assert "--names-from label applies to .dot/.gv and Mermaid files" in wrong.stderr


def test_cli_names_from_label_reaches_the_mermaid_importer(tmp_path):
    (tmp_path / "d.mmd").write_text(
        'stateDiagram-v2\n  state "Queued" as a1\n  state "Active" as b2\n'
        "  [*] --> a1\n  a1 --> b2 : go\n  b2 --> [*]\n", encoding="utf-8")
    by_id = run(["import", "d.mmd", "--names-from", "id", "-o", "id.toml"], cwd=tmp_path)
    by_label = run(["import", "d.mmd", "--names-from", "label", "-o", "l.toml"],
                   cwd=tmp_path)
    assert by_id.returncode == 0 and by_label.returncode == 0, by_label.stderr
    assert "[states.a1]" in (tmp_path / "id.toml").read_text("utf-8")
    assert "[states.Queued]" in (tmp_path / "l.toml").read_text("utf-8")


def test_a_concatenated_id_before_equals_is_a_graph_attribute() -> None:
    (graph,) = parse_dot('digraph { "rank" + "dir" = "L" + "R"; a -> b }').graphs
    assert graph.attributes == {"rankdir": '"LR"'}
    assert len(graph.statements) == 1
    (plain,) = parse_dot('digraph { "x" + "y" -> z }').graphs  # a concatenated node ID
    assert graph.attributes and not plain.attributes


def test_a_node_statement_drops_its_port_as_graphviz_does() -> None:
    """Found by the pydot property above: ``a : b`` is the node ``a`` (port ``b``)."""
    assert parse_dot("digraph { cluster_x : cluster_x }").graphs[0].statements == [
        NodeStmt("cluster_x", {})]
    edge = parse_dot("digraph { a:p -> b:q:n }").graphs[0].statements[0]
    assert isinstance(edge, EdgeStmt) and (edge.source, edge.target) == ("a:p", "b:q:n")


def test_comma_separated_node_lists_are_read_as_graphviz_reads_them() -> None:
    """Found by the Graphviz property above: ``a, b`` is legal DOT (two nodes), and an
    edge between lists joins every node of one to every node of the next."""
    assert _graphviz_accepts("digraph { cluster_x , cluster_x }")
    nodes = parse_dot('digraph { a, b [color=red] }').graphs[0].statements
    assert nodes == [NodeStmt("a", {"color": "red"}), NodeStmt("b", {"color": "red"})]
    edges = parse_dot("digraph { a, b -> c, d -> e }").graphs[0].statements
    assert [(e.source, e.target) for e in edges if isinstance(e, EdgeStmt)] == [
        ("a", "c"), ("a", "d"), ("b", "c"), ("b", "d"), ("c", "e"), ("d", "e")]
    imported = import_dot_text('digraph { x [shape=point]; x -> a; a, b -> c }')
    assert {(e.source, e.target) for e in imported.edges} == {("a", "c"), ("b", "c")}


def test_a_statement_with_many_attributes_reads_each_by_name() -> None:
    listed = ", ".join(f"a{i}={i}" for i in range(40))
    (graph,) = parse_dot(f'digraph {{ x -> y [{listed}, a3="last"]; z [b=1, "c"=2] }}').graphs
    edge, node = graph.statements
    assert isinstance(edge, EdgeStmt) and isinstance(node, NodeStmt)
    assert len(edge.attributes) == 40
    assert edge.attributes["a39"] == "39" and edge.attributes["a3"] == '"last"'
    assert dict(edge.attributes) == {f"a{i}": '"last"' if i == 3 else str(i) for i in range(40)}
    assert "a40" not in edge.attributes and edge.attributes.get("a40") is None
    assert node.attributes == {"b": "1", "c": "2"} and "a3" not in node.attributes
