"""Safety of the RST page (issue 6): prose cannot pull in files, raw output or code."""

from __future__ import annotations

import pytest
from emit_support import docutils_parse, machine

from statusdoc.emit.rst import UnsafeRstError, check_rst_safety, emit_rst, rst_findings


def spec(description: str = "", intro: str = "", rule_description: str = "") -> dict:
    return {
        "machine": {"name": "job", "initial": "new", "intro": intro},
        "states": {"new": {"description": description}, "done": {"final": True}},
        "transitions": [{"from": "new", "to": "done", "description": rule_description}],
    }


UNSAFE = [
    ".. include:: /etc/passwd",
    ".. INCLUDE:: ../secret.rst",
    ".. raw:: html\n\n   <script>alert(1)</script>",
    ".. raw:: html\n   :file: /etc/passwd",
    ".. literalinclude:: ~/.ssh/id_rsa",
    ".. csv-table:: T\n   :file: /etc/passwd",
    ".. csv-table:: T\n   :url: http://example.com/x.csv",
    ".. list-table:: T\n   :file: x",
    ".. |x| raw:: html\n\n   <b>hi</b>",
    "Text.\n\n   .. include:: nested.rst",
    "+--------------------------+\n| .. include:: /etc/passwd |\n+--------------------------+",
    ".. ifconfig:: __import__('os').system('true')",
    ".. automodule:: os",
    ".. image:: /etc/passwd",
    ".. figure:: ../../secret.png",
    ".. role:: raw-html(raw)\n   :format: html",
    "Get :download:`the key <../../id_rsa>`.",
    "Inject :raw-html:`<script>alert(1)</script>` via a project role.",
    ".. graphviz:: /etc/passwd",
    ".. std:include:: x",
    ".. einfügen:: /etc/passwd",
    ".. roh:: html\n\n   <script>alert(1)</script>",
    ".. 含む:: secret.rst",
    ".. |x| сырой:: html\n\n   <b>x</b>",
    ".. csv-tabelle:: T\n   :file: /etc/passwd",
]
SAFE = [
    "Plain text with ``literal`` and *emphasis*.",
    ".. note::\n\n   A note.",
    ".. csv-table:: Inline\n   :header: a, b\n\n   1, 2",
    ".. image:: https://example.com/logo.png",
    ".. code-block:: rst\n\n   Write include like this.",
    "The word include:: in prose is not a directive.",
    ":file:`/etc/passwd` is just styled text.",
]


@pytest.mark.parametrize("text", UNSAFE)
@pytest.mark.parametrize("where", ["description", "intro", "rule_description"])
def test_unsafe_prose_is_rejected_with_its_location(text: str, where: str) -> None:
    m = machine(spec(**{where: text}))
    findings = check_rst_safety(m)
    assert len(findings) >= 1
    expected = {"description": "states.new.description", "intro": "machine.intro",
                "rule_description": "transitions[0].description"}[where]
    assert all(f.startswith(expected + ": ") for f in findings), findings
    with pytest.raises(UnsafeRstError) as info:
        emit_rst(m, source_name="s.toml")
    assert expected in str(info.value) and "allow_unsafe_rst" in str(info.value)


@pytest.mark.parametrize("text", UNSAFE[:3])
def test_explicit_opt_in_passes_unsafe_prose_through(text: str) -> None:
    m = machine(spec(description=text))
    out = emit_rst(m, source_name="s.toml", allow_unsafe_rst=True)
    assert text.split("\n")[0] in out


@pytest.mark.parametrize("text", SAFE)
def test_safe_prose_is_accepted(text: str) -> None:
    assert rst_findings(text) == []
    m = machine(spec(description=text, intro=text))
    out = emit_rst(m, source_name="s.toml")
    assert text.split("\n")[0] in out


def test_every_finding_is_listed() -> None:
    m = machine(spec(description=".. include:: a\n\n.. raw:: html\n\n   x",
                     intro=".. literalinclude:: b"))
    assert check_rst_safety(m) == [
        "machine.intro: directive 'literalinclude'",
        "states.new.description: directive 'include'",
        "states.new.description: directive 'raw'",
    ]


def test_docutils_never_reads_a_file_from_an_opted_in_spec_in_our_test_parser() -> None:
    # sanity check of the test harness: file insertion is disabled there, so the
    # opt-in page still parses (with a warning) and reads nothing
    m = machine(spec(description=".. include:: /etc/passwd"))
    _doctree, warnings = docutils_parse(emit_rst(m, source_name="s.toml", allow_unsafe_rst=True))
    assert "include" in warnings and "root:" not in warnings


def test_every_localised_docutils_name_of_a_checked_directive_is_known() -> None:
    import importlib
    import pkgutil

    import docutils.parsers.rst.languages as languages

    from statusdoc.emit.rst_aliases import DIRECTIVE_ALIASES

    checked = {"include", "raw", "csv-table", "list-table", "table", "image", "figure"}
    missing = {}
    for info in pkgutil.iter_modules(languages.__path__):
        module = importlib.import_module(f"{languages.__name__}.{info.name}")
        for alias, canonical in getattr(module, "directives", {}).items():
            name = alias.lower()
            if canonical in checked and name not in (canonical, *DIRECTIVE_ALIASES) and (
                    " " not in alias):
                missing[alias] = canonical
    assert missing == {}
