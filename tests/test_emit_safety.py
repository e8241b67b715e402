"""Safety of the RST page (issue 6): prose cannot pull in files, raw output or code."""

from __future__ import annotations

import pytest
from emit_support import docutils_parse, machine

from statusdoc.emit.rst import UnsafeRstError, check_rst_safety, emit_rst, rst_findings


def spec(description: str = "", intro: str = "", rule_description: str = "",
         group_description: str = "") -> dict:
    return {
        "machine": {"name": "job", "initial": "new", "intro": intro},
        "groups": {"busy": {"title": "Busy", "description": group_description}},
        "states": {"new": {"description": description, "group": "busy"},
                   "done": {"final": True}},
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
@pytest.mark.parametrize("where", ["description", "intro", "rule_description",
                                   "group_description"])
def test_unsafe_prose_is_rejected_with_its_location(text: str, where: str) -> None:
    m = machine(spec(**{where: text}))
    findings = check_rst_safety(m)
    assert len(findings) >= 1
    expected = {"description": "states.new.description", "intro": "machine.intro",
                "rule_description": "transitions[0].description",
                "group_description": "groups.busy.description"}[where]
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
        "machine.intro: directive 'literalinclude': reads a file",
        "states.new.description: directive 'include': reads a file",
        "states.new.description: directive 'raw': passes raw HTML or LaTeX through",
    ]


def test_docutils_never_reads_a_file_from_an_opted_in_spec_in_our_test_parser() -> None:
    # sanity check of the test harness: file insertion is disabled there, so the
    # opt-in page still parses (with a warning) and reads nothing
    m = machine(spec(description=".. include:: /etc/passwd"))
    _doctree, warnings = docutils_parse(emit_rst(m, source_name="s.toml", allow_unsafe_rst=True))
    assert "include" in warnings and "root:" not in warnings


def _docutils_names(table: str) -> dict[str, dict[str, str]]:
    """Every language docutils ships: {language: {localised name: canonical name}}, only
    names RST can spell (a few tables hold placeholders such as "role (translation
    required)" or an empty string)."""
    import importlib
    import pkgutil
    import re

    import docutils.parsers.rst.languages as languages
    from docutils.parsers.rst.states import Inliner

    spelled = re.compile(Inliner.simplename)
    out = {}
    for info in pkgutil.iter_modules(languages.__path__):
        module = importlib.import_module(f"{languages.__name__}.{info.name}")
        out[info.name] = {name: canonical for name, canonical in getattr(module, table, {}).items()
                          if spelled.fullmatch(name)}
    return out


REFUSED_DIRECTIVES = {"include", "raw", "math", "meta", "title", "date", "sectnum",
                      "contents", "header", "footer", "target-notes"}


@pytest.mark.parametrize("language", sorted(_docutils_names("directives")))
def test_every_localised_name_of_a_refused_directive_is_refused(language: str) -> None:
    """Read from the installed docutils: in the language of the page and in English."""
    table = _docutils_names("directives")[language]
    names = sorted(n for n, c in table.items() if c in REFUSED_DIRECTIVES)
    assert names or language == "en"
    for name in names:
        for checked_in in (language, "en"):
            found = rst_findings(f".. {name}:: x\n\n   y", language=checked_in)
            assert any(f"directive '{name}'" in f for f in found), (name, checked_in, found)


@pytest.mark.parametrize("language", sorted(_docutils_names("roles")))
def test_every_localised_raw_or_math_role_is_refused_and_cannot_be_derived(language: str) -> None:
    table = _docutils_names("roles")[language]
    names = sorted(n for n, c in table.items() if c in ("raw", "math"))
    role_directive = sorted(n for n, c in _docutils_names("directives")[language].items()
                            if c == "role")
    for name in names:
        assert rst_findings(f"Text :{name}:`x` here.", language=language), name
        for directive in role_directive:
            text = f".. {directive}:: y({name})\n   :format: html\n\n:y:`<b>x</b>`"
            found = rst_findings(text, language=language)
            assert any(f"role ':{name}:'" in f for f in found), (directive, name, found)
