"""The RST safety check (issue 13 items 1 and 12): decided on the docutils parse.

The hostile shapes themselves live in the corpus (``tests/corpus/rst_cases.py``,
run by ``tests/test_spec_corpus.py``); here: what must stay allowed, languages,
URIs, and that checking reads no file, writes no message and leaves docutils'
global registries as they were.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from emit_support import machine

from statusdoc.rstsafety import check_machine, is_known_language, rst_findings
from statusdoc.rstsafety.uris import image_problem, link_problem, scheme

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests" / "corpus"))
from rst_cases import hostile_rst_cases  # noqa: E402

SAFE = [
    "Plain text: with ``literal``, *emphasis*, **strong** and a footnote [1]_.\n\n.. [1] Note.",
    "Links: https://example.com/a?b=c#d, `docs <https://docs.example.com>`_, "
    "mailto:ops@example.com, ops@example.com, `up <../index.html>`_ and `here <#top>`_.",
    "See the_target_.\n\n.. _the_target: https://example.com",
    ".. note::\n\n   A note: with *markup* and ``code``.",
    ".. warning:: Short form.",
    ".. admonition:: Custom title\n\n   Body.",
    ".. seealso:: `Other <https://example.com>`_",
    ".. versionadded:: 2.0\n   The ``saving`` status.",
    ".. deprecated:: 3.1 Use ``active``.",
    ".. code-block:: python\n   :caption: Example\n   :emphasize-lines: 2\n\n   import os\n"
    "   os.system('.. raw:: html')",
    ".. code-block:: rst\n\n   .. include:: shown-as-code.rst",
    "Example::\n\n   .. raw:: html\n\n      <b>literal block, not a directive</b>",
    ".. csv-table:: Inline\n   :header: a, b\n\n   1, 2",
    ".. list-table::\n   :header-rows: 1\n\n   * - a\n     - b\n   * - 1\n     - 2",
    ".. image:: https://example.com/logo.png\n   :alt: Logo\n   :target: https://example.com",
    ".. image:: diagrams/detail.png",
    ".. figure:: detail.png\n\n   A caption with ``code``.",
    "Roles: :ref:`status-queued`, :doc:`index`, :code:`x = 1`, :kbd:`Ctrl-C`, :file:`/etc/x`, "
    ":status:`image:queued`, :py:func:`os.remove`, :term:`image`, :abbr:`API (interface)`.",
    ".. role:: strike(emphasis)\n\n:strike:`gone` and :sub:`x` :sup:`2`.",
    ".. default-role:: code\n\n`x = 1`",
    ".. |name| replace:: *Glance*\n.. |copy| unicode:: U+000A9\n\n|name| |copy|",
    ".. only:: html\n\n   HTML only.",
    ".. hlist::\n\n   * a\n   * b",
    ".. rubric:: Heading",
    ".. container:: wide\n\n   Text.",
    ":file:`/etc/passwd` is just styled text; so is the word include:: in prose.",
    "The ratio 1:2 and a time 10:30, a URL-ish word javascript without a colon.",
]


@pytest.mark.parametrize("text", SAFE)
def test_safe_rst_is_accepted(text: str) -> None:
    assert rst_findings(text) == []


@pytest.mark.parametrize(("stem", "text", "language", "finding"), hostile_rst_cases()[:60],
                         ids=[c[0] for c in hostile_rst_cases()[:60]])
def test_hostile_shapes_are_found_in_plain_text_too(stem, text, language, finding) -> None:
    """The corpus runs them inside specs; the function finds them in bare text as well."""
    assert any(finding in f for f in rst_findings(text, language=language or "en"))


def test_a_german_project_may_use_german_names_but_not_german_raw() -> None:
    note = ".. hinweis::\n\n   Ein Hinweis."
    assert rst_findings(note, language="de") == []
    assert rst_findings(note, language="en") == [
        "directive 'hinweis': not on the list of safe directives"]
    assert rst_findings(".. rolle:: x(roh)", language="de") == [
        "role ':x:' based on role ':roh:' (raw): passes raw HTML or LaTeX through"]
    assert rst_findings(".. role:: y(roh)", language="fr") == [
        "role ':y:' based on role ':roh:': not on the list of safe roles"]
    # a word is refused when any docutils language gives it an unsafe meaning: a
    # page checked in one language may be built in another ("indice" is subscript
    # in French, index in Spanish and Italian)
    assert rst_findings("Water: H\\ :indice:`2`\\ O.", language="fr") == [
        "role ':indice:' (subscript): means 'index' in another docutils language"]
    assert rst_findings(".. bild:: ../../secret/id_rsa.png", language="de-AT") == [
        "image '../../secret/id_rsa.png': not a file in the spec's directory"]


def test_language_codes() -> None:
    assert is_known_language("de") and is_known_language("pt-BR") and is_known_language("en")
    assert is_known_language("zh_CN")
    assert not is_known_language("tlh")


def test_project_default_role_is_honoured() -> None:
    text = "An `\\input{/etc/hostname}` here: x"
    assert rst_findings(text) == []
    assert rst_findings(text, default_role="math") == [
        "role ':math:': passes LaTeX through verbatim"]
    assert rst_findings("`x` only backquotes", default_role="math") != []
    assert rst_findings(text, default_role="py:obj") == []


@pytest.mark.parametrize(("uri", "expected"), [
    ("https://x", "https"), ("HTTP://x", "http"), ("mailto:a@b", "mailto"),
    ("java\tscript:alert(1)", "javascript"), ("\x01 javascript:x", "javascript"),
    ("C:/x", "c"), ("a b:c", "a b"), ("../x.png", None), ("#top", None), ("x?y=a:b", None),
    ("//cdn.example/x", None), ("a/b:c", None),
])
def test_scheme_is_read_as_a_browser_reads_it(uri: str, expected: str | None) -> None:
    assert scheme(uri) == expected


def test_links_and_images() -> None:
    assert link_problem("https://example.com") is None
    assert link_problem("#frag") is None and link_problem("page.html") is None
    assert "only http, https and mailto" in (link_problem("vbscript:x") or "")
    assert image_problem("http://x/a.png", None) is None
    assert image_problem("img/a.png", None) is None
    for bad in ("../a.png", "/a.png", "~/a.png", "a\\b.png", "%2e%2e/a.png", "file:a.png", ""):
        assert image_problem(bad, None), bad


def test_an_image_symlinked_out_of_the_spec_directory_is_refused(tmp_path: Path) -> None:
    (tmp_path / "ok.png").write_bytes(b"x")
    (tmp_path / "leak.png").symlink_to("/etc/passwd")
    (tmp_path / "sub").mkdir()
    assert rst_findings(".. image:: ok.png", base_dir=tmp_path) == []
    assert rst_findings(".. image:: sub/missing.png", base_dir=tmp_path) == []
    assert rst_findings(".. image:: leak.png", base_dir=tmp_path) == [
        "image 'leak.png': resolves outside the spec's directory"]


def test_machine_findings_name_the_key_and_use_the_spec_language(tmp_path: Path) -> None:
    data = {
        "machine": {"name": "m", "initial": "a", "language": "de",
                    "intro": ".. hinweis:: Gut.\n\n.. einfügen:: /etc/passwd"},
        "states": {"a": {"description": ":roh:`<b>`"}, "b": {"final": True}},
        "transitions": [{"from": "a", "to": "b", "description": "`x <data:,y>`_"}],
    }
    m = machine(data)
    assert m.language == "de"
    assert check_machine(m) == [
        "machine.intro: directive 'einfügen' (include): reads a file",
        "states.a.description: role ':roh:' (raw): passes raw HTML or LaTeX through",
        "transitions[0].description: link to 'data:,y': only http, https and mailto links "
        "are allowed",
    ]
    # Sphinx passes its own language: an English project does not know "hinweis"
    assert "machine.intro: directive 'hinweis': not on the list of safe directives" in (
        check_machine(m, language="en"))


def test_lines_docutils_will_not_parse_and_deep_nesting_are_refused_not_crashed() -> None:
    assert rst_findings("a:" + "x" * 10_001) == [
        "a line longer than 10,000 characters, which docutils does not parse"]
    def nested(levels: int, role: str) -> str:
        return "".join("   " * i + f"* :{role}:`x`\n\n" for i in range(levels))

    assert rst_findings(nested(20, "emphasis")) == []
    assert rst_findings(nested(20, "raw-html")) == [
        "role ':raw-html:': not on the list of safe roles"]
    # deeper than Python's recursion allows docutils to go: refused, not a traceback
    assert rst_findings(nested(400, "emphasis")) == ["nested too deeply to check"]


def test_checking_leaves_docutils_registries_alone() -> None:
    """Sphinx keeps its directives, roles and the document's default role in these."""
    from docutils.parsers.rst import directives, roles

    before = (dict(directives._directives), dict(roles._roles))
    roles._roles[""] = roles._roles.get("emphasis") or roles.generic_custom_role
    try:
        saved = (dict(directives._directives), dict(roles._roles))
        for _stem, text, language, _finding in hostile_rst_cases():
            rst_findings(text + "\n\nUnique: 1", language=language or "en")
        rst_findings(".. role:: new(emphasis)\n\n.. default-role:: code\n\n:new:`x` `y`")
        assert (dict(directives._directives), dict(roles._roles)) == saved
    finally:
        del roles._roles[""]
    assert (dict(directives._directives), dict(roles._roles)) == before


AUDIT = r"""
import json, sys
sys.path.insert(0, sys.argv[1])
from rst_cases import hostile_rst_cases
from statusdoc.rstsafety import rst_findings
cases = hostile_rst_cases()
for _stem, text, language, _f in cases:  # warm up: imports of docutils' own modules
    rst_findings(text + "\n\nwarm: up", language=language or "en")
opened = []
sys.addaudithook(lambda event, args: opened.append(str(args[0])) if event == "open" else None)
found = [rst_findings(text + "\n\nchecked: now", language=language or "en", base_dir=sys.argv[2])
         for _stem, text, language, _f in cases]
print(json.dumps({"opened": opened, "found": sum(bool(f) for f in found), "cases": len(cases)}))
"""


def test_checking_opens_no_file_and_writes_nothing(tmp_path: Path) -> None:
    proc = subprocess.run(
        [sys.executable, "-c", AUDIT, str(ROOT / "tests" / "corpus"), str(tmp_path)],
        capture_output=True, text=True, timeout=300,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == ""  # no docutils message, no warning
    result = json.loads(proc.stdout)
    assert result["opened"] == []
    assert result["found"] == result["cases"] >= 100


def test_documented_count_matches_the_corpus() -> None:
    import re

    text = re.sub(r"\s+", " ", (ROOT / "docs" / "robustness.rst").read_text("utf-8"))
    match = re.search(r"\*\*(\d+) inputs\*\*", text)
    assert match and int(match.group(1)) == len(hostile_rst_cases())


def test_unclosed_inline_markup_is_bounded_per_paragraph() -> None:
    """docutils searches the rest of the paragraph for each unclosed start-string."""
    under = "x:\n" + " ".join(["*a"] * 100)
    assert rst_findings(under) == []
    over = "x:\n" + " ".join(["*a"] * 101)
    assert rst_findings(over) == [
        "more than 100 inline markup start-strings without an end in one paragraph "
        "(docutils' time grows with their number times the length)"]
    # the count is per paragraph, and a role hidden after them is still found
    paragraphs = "\n\n".join(" ".join(["*a"] * 90) for _ in range(5))
    assert rst_findings("x:\n\n" + paragraphs + "\n\n:raw-html:`<b>`") == [
        "role ':raw-html:': not on the list of safe roles"]


def test_validate_resolves_images_from_the_spec_directory(tmp_path: Path, monkeypatch) -> None:
    from statusdoc.spec.api import validate_file

    (tmp_path / "leak.png").symlink_to("/etc/passwd")
    (tmp_path / "ok.png").write_bytes(b"x")
    spec = tmp_path / "spec.toml"
    spec.write_text('[machine]\nname = "m"\ninitial = "a"\n[states.a]\n'
                    'description = ".. image:: ok.png"\n[states.b]\nfinal = true\n'
                    'description = ".. image:: leak.png"\n'
                    '[[transitions]]\nfrom = "a"\nto = "b"\n')
    monkeypatch.chdir(tmp_path)  # a relative path, as `statusdoc validate spec.toml` gives
    report = validate_file(Path("spec.toml"))
    assert [str(p) for p in report.warnings] == [
        "spec.toml:8: states.b.description: warning: description uses unsafe RST: image "
        "'leak.png': resolves outside the spec's directory; generated pages refuse it unless "
        "the project opts in (allow-unsafe-rst) [SD208 unsafe-rst]"]


def test_parse_trees_are_freed_while_the_cyclic_collector_is_paused(monkeypatch) -> None:
    """A big spec loads with the cyclic GC paused; each description's parse tree
    (a web of parent links) must still be freed once checked, not pile up
    (7,500 imported "TODO: describe" descriptions held 180 MB)."""
    import gc
    import weakref

    from statusdoc.rstsafety import parser

    trees: list[weakref.ref[object]] = []
    parse = parser.parse

    def remembering(*args, **kwargs):
        document = parse(*args, **kwargs)
        if document is not None:
            trees.append(weakref.ref(document))
        return document

    monkeypatch.setattr(parser, "parse", remembering)
    texts = ["TODO: describe s1", "* a list\n\n  * nested :ref:`x`\n\n  .. note:: *deep*",
             ".. |x| replace:: y\n\n:emphasis:`q`, see https://example.com"]
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        for number, text in enumerate(texts * 2):
            rst_findings(f"{text} {number}")
            assert trees[-1]() is None, text
    finally:
        if was_enabled:
            gc.enable()
    assert len(trees) == 6
