"""Check parsed spec data and build the immutable Machine.

FIRST VERSION: builds the model from well-formed specs; thorough checks to come.
"""

from __future__ import annotations

from statusdoc.errors import Problem
from statusdoc.spec.load import Document
from statusdoc.spec.model import DiagramStyle, Machine, State, TagStyle, Transition, TransitionRule


def _attrs(table: dict | None) -> tuple[tuple[str, str], ...]:
    return tuple((k, str(v).lower() if isinstance(v, bool) else str(v)) for k, v in (table or {}).items())


def build_machine(doc: Document) -> tuple[Machine | None, list[Problem]]:
    data = doc.data
    m = data["machine"]
    states = tuple(
        State(
            name=name,
            label=body.get("label", name),
            description=body.get("description", "").strip(),
            final=bool(body.get("final", False)),
            tags=tuple(body.get("tags", ())),
        )
        for name, body in data.get("states", {}).items()
    )
    finals = {s.name for s in states if s.final}
    rules = []
    transitions = []
    for i, raw in enumerate(data.get("transitions", [])):
        src = raw["from"]
        wildcard = src == "*"
        if wildcard:
            sources = tuple(s.name for s in states if not s.final and s.name != raw["to"])
        elif isinstance(src, list):
            sources = tuple(src)
        else:
            sources = (src,)
        rule = TransitionRule(
            index=i, sources=sources, target=raw["to"], wildcard=wildcard,
            label=raw.get("label", ""), event=raw.get("event"),
            tags=tuple(raw.get("tags", ())), description=raw.get("description", "").strip(),
        )
        rules.append(rule)
        for s in sources:
            transitions.append(Transition(s, rule.target, rule.label, rule.event, rule.tags, rule.description, i))
    d = data.get("diagram", {})
    graph = dict(d.get("graph", {}))
    if "rankdir" in d:
        graph["rankdir"] = d["rankdir"]
    diagram = DiagramStyle(
        graph=_attrs(graph), node=_attrs(d.get("node")), edge=_attrs(d.get("edge")),
        final=_attrs(d.get("final")),
        tags=tuple(
            TagStyle(name, _attrs({k: v for k, v in t.items() if k != "legend"}), t.get("legend", ""))
            for name, t in d.get("tags", {}).items()
        ),
        wildcards=d.get("wildcards", "group"),
    )
    del finals
    machine = Machine(
        name=m["name"], title=m.get("title", m["name"]), initial=m["initial"],
        states=states, rules=tuple(rules), transitions=tuple(transitions),
        intro=m.get("intro", "").strip(), initial_label=m.get("initial_label", ""),
        diagram=diagram, source=doc.filename,
    )
    return machine, []
