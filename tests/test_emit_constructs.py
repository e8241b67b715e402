"""Issue 10's constructs on the pages: the RST page, the Markdown page and the alt text.

Entries, deprecated statuses, scoped wildcards, groups, guards, returns and
the null status, each shown with one meaning: checked on the three real-size
examples (read back through docutils where the page is RST) and on small
specs that isolate one construct.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docutils import nodes
from emit_support import docutils_parse, machine

import statusdoc
from statusdoc.emit.markdown import emit_markdown
from statusdoc.emit.rst import alt_lines, emit_rst

ROOT = Path(__file__).resolve().parent.parent
VOLUME = ROOT / "examples" / "volume" / "volume-statuses.toml"
TASK = ROOT / "examples" / "taskinstance" / "task-instance-statuses.toml"
ORDER = ROOT / "examples" / "order" / "order-statuses.toml"
GLANCE = ROOT / "examples" / "glance" / "image-statuses.toml"


def rst_of(path: Path) -> str:
    return emit_rst(statusdoc.load(path), source_name=path.name, image="d.png")


def md_of(path: Path) -> str:
    return emit_markdown(statusdoc.load(path), source_name=path.name)


def _bullets(text: str) -> list[str]:
    """The notes and status list items of an RST page, as docutils reads them."""
    doctree, warnings = docutils_parse(text)
    assert warnings == "", warnings
    return [" ".join(item.astext().split()) for item in doctree.findall(nodes.list_item)]


# -- entries -----------------------------------------------------------------


def test_several_entries_are_named_with_their_labels_and_marked() -> None:
    text = rst_of(VOLUME)
    sentence = "New objects start in ``creating`` (create) or ``managing`` (manage existing)."
    assert sentence in text
    assert "\n  ``creating`` — entry\n" in text and "\n  ``managing`` — entry\n" in text
    assert "— initial" not in text
    md = md_of(VOLUME)
    assert "New objects start in `creating` (create) or `managing` (manage existing)." in md
    assert '></a>`creating` — entry\n' in md and '></a>`managing` — entry\n' in md


def test_one_entry_keeps_its_initial_mark_and_no_sentence() -> None:
    text = rst_of(GLANCE)
    assert "New objects start" not in text and "\n  ``queued`` — initial\n" in text
    assert "New objects start" not in md_of(GLANCE)


def test_alt_text_names_every_entry() -> None:
    m = machine({
        "machine": {"name": "m", "initial": ["a", "b"], "initial_label": {"a": "make"}},
        "states": {"a": {}, "b": {}, "c": {"final": True}},
        "transitions": [{"from": ["a", "b"], "to": "c"}],
    })
    lines = alt_lines(m)
    assert lines[1:3] == ["start to a (make);", "start to b;"]
    big = alt_lines(statusdoc.load(VOLUME), table=True)
    assert "starting at creating or managing, ending at deleted;" in big[0]


# -- deprecated ----------------------------------------------------------------


def test_deprecated_status_is_marked_with_its_reason() -> None:
    reason = "no longer set since 2023.1; rows created before may still hold it"
    items = _bullets(rst_of(VOLUME))
    assert any(i.startswith(f"downloading — deprecated: {reason} ") for i in items)
    assert f"></a>`downloading` — deprecated: {reason}\n" in md_of(VOLUME)
    m = machine({
        "machine": {"name": "m", "initial": "a"},
        "states": {"a": {}, "old": {"deprecated": True}, "z": {"final": True}},
        "transitions": [{"from": ["a", "old"], "to": "z"}],
    })
    assert "\n  ``old`` — deprecated\n" in emit_rst(m, source_name="m.json")


# -- scoped wildcards and groups -------------------------------------------------


def test_notes_say_exactly_what_a_wildcard_covers() -> None:
    task = _bullets(rst_of(TASK))
    assert ("From any status except running (final statuses included) to none (clear), "
            "event clear.") in [i.split(". Clearing")[0] + "." for i in task]
    volume = _bullets(rst_of(VOLUME))
    heads = [i.split(". ")[0] for i in volume]
    assert ("From any non-final status except reserved, attaching, in-use, detaching, "
            "error_managing and error_managing_deleting to deleting, event delete") in heads
    assert ("From any status in Error statuses except error_managing and "
            "error_managing_deleting to available (reset-state), event reset_state") in heads
    assert "From any status in *Error statuses* except ``error_managing``" in rst_of(VOLUME)
    md = md_of(VOLUME)
    assert ("- From any status in *Error statuses* except `error_managing` and "
            "`error_managing_deleting` to `available` (reset-state)\n") in md


def test_a_scoped_rule_without_description_still_gets_its_note() -> None:
    def spec(wildcard: dict) -> dict:
        return {
            "machine": {"name": "m", "initial": "a"},
            "states": {"a": {}, "b": {}, "z": {"final": True}},
            "transitions": [{"from": "a", "to": "b"}, {"from": "b", "to": "z"},
                            {"from": "*", "to": "z", "label": "stop", **wildcard}],
        }

    text = emit_rst(machine(spec({"except": ["b"]})), source_name="m.json")
    assert "* From any non-final status except ``b`` to ``z`` (stop)." in text
    # a plain "*" is drawn and tabled as it is: no note, as before
    assert "* From" not in emit_rst(machine(spec({})), source_name="m.json")


def test_statuses_are_listed_by_group_at_the_first_members_place() -> None:
    volume = statusdoc.load(VOLUME)
    doctree, warnings = docutils_parse(rst_of(VOLUME))
    assert warnings == ""
    top = doctree.next_node(nodes.bullet_list)
    shown: list[str] = []
    titles: list[str] = []
    for item in top.children:
        strong = [n for n in item.children if isinstance(n, nodes.paragraph)
                  and isinstance(n.children[0], nodes.strong)]
        if strong:
            titles.append(strong[0].astext())
            inner = item.next_node(nodes.bullet_list)
            shown.append(f"[{strong[0].astext()}]")
            shown += [i.next_node(nodes.literal).astext() for i in inner.children]
        else:
            shown.append(item.next_node(nodes.literal).astext())
    assert titles == ["Operations in progress", "Error statuses"]
    expected: list[str] = []
    for state in volume.states:
        if state.group is None:
            expected.append(state.name)
        elif f"[{state.group}]" not in expected:
            expected.append(f"[{state.group}]")
            expected += volume.group_members[state.group]
    names = {"in-progress": "Operations in progress", "errors": "Error statuses"}
    assert shown == [f"[{names[e[1:-1]]}]" if e.startswith("[") else e for e in expected]
    text = doctree.astext()
    assert text.count("Operations in progress") == 1 and text.count("Error statuses") == 2


def test_group_description_is_shown_under_its_title() -> None:
    text = rst_of(VOLUME)
    assert "\n* .. _volume-group-errors:\n\n  **Error statuses**\n\n    An operation failed" in text
    md = md_of(VOLUME)
    assert '\n- <a id="volume-group-errors"></a>**Error statuses**\n\n  An operation failed' in md
    assert '\n  - <a id="volume-status-error"></a>`error`\n\n    Creating or reverting' in md


# -- guards ----------------------------------------------------------------------


def test_guard_column_only_when_some_transition_has_a_guard() -> None:
    doctree, _ = docutils_parse(rst_of(ORDER))
    rows = [[e.astext() for e in r.findall(nodes.entry)]
            for r in doctree.next_node(nodes.table).findall(nodes.row)]
    assert rows[0] == ["From", "To", "Label", "Event", "Guard"]
    assert ["unfulfilled", "fulfilled", "", "fulfill", "all lines fulfilled"] in rows
    assert ["unconfirmed", "unfulfilled", "", "confirm", ""] in rows
    doctree, _ = docutils_parse(rst_of(GLANCE))
    header = next(doctree.next_node(nodes.table).findall(nodes.row))
    assert [e.astext() for e in header.findall(nodes.entry)] == ["From", "To", "Label", "Event"]
    md = md_of(ORDER)
    assert "| From | To | Label | Event | Guard |\n| --- | --- | --- | --- | --- |\n" in md
    assert "| `unfulfilled` | `fulfilled` |  | `fulfill` | all lines fulfilled |" in md
    assert "| From | To | Label | Event |\n" in md_of(GLANCE)


def test_guards_in_notes() -> None:
    heads = [i.split(". ")[0] for i in _bullets(rst_of(ORDER))]
    assert ("From fulfilled to unfulfilled, event cancel_fulfillment, "
            "guard [no fulfilment left]") in heads
    assert ("- From `fulfilled` to `unfulfilled`, guard \\[no fulfilment left\\]\n"
            in md_of(ORDER))


# -- returns ---------------------------------------------------------------------


def test_returns_name_the_previous_statuses() -> None:
    heads = [i.split(". ")[0] for i in _bullets(rst_of(VOLUME))]
    assert ("From attaching, detaching back to the previous status (failed), event fail; "
            "the previous status is one of reserved or in-use") in heads
    md = md_of(VOLUME)
    assert ("- From `attaching`, `detaching` back to the previous status (failed); "
            "the previous status is one of `reserved` or `in-use`\n") in md


def test_table_lists_expanded_returns_marked() -> None:
    doctree, _ = docutils_parse(rst_of(VOLUME))
    rows = [[e.astext() for e in r.findall(nodes.entry)]
            for r in doctree.next_node(nodes.table).findall(nodes.row)]
    assert ["attaching", "reserved (return)", "failed", "fail", ""] in rows
    assert ["extending", "in-use (return)", "done", "finish", ""] in rows
    assert sum(1 for r in rows if r[1].endswith("(return)")) == 13
    assert "| `attaching` | `reserved` (return) | failed | `fail` |  |" in md_of(VOLUME)


def test_alt_text_says_returns_in_words() -> None:
    m = machine({
        "machine": {"name": "m", "initial": "a"},
        "states": {"a": {}, "busy": {}, "z": {"final": True}},
        "transitions": [{"from": "a", "to": "busy"}, {"from": "busy", "return": True,
                                                      "label": "done"},
                        {"from": "a", "to": "z"}],
    })
    assert "busy back to a (done);" in alt_lines(m)


# -- the null status ---------------------------------------------------------------


def test_null_status_is_marked_stored_as_null() -> None:
    assert "\n  ``none`` — initial, stored as NULL/None\n" in rst_of(TASK)
    assert '></a>`none` — stored as NULL/None\n' in md_of(TASK)


# -- every example page reads cleanly ----------------------------------------------


@pytest.mark.parametrize("spec", [VOLUME, TASK, ORDER], ids=lambda p: p.stem)
def test_example_pages_parse_without_warnings(spec: Path) -> None:
    _doctree, warnings = docutils_parse(rst_of(spec))
    assert warnings == ""
