"""Hostile RST for the corpus (issue 13): shapes that once reached the published page.

Each case is ``(file stem, RST text, language, expected finding)``: the text
goes into a description or the intro of a spec (``build.py`` rotates the
place), ``language`` into ``machine.language`` ("" = English), and
``validate --strict`` must report the finding. The shapes come from the
adversarial review — substitution definitions split over lines, localised
directive names, roles derived from ``raw``, images outside the project,
links with script schemes, ``meta`` refreshes, math handed to LaTeX — and are
varied here over schemes, split points, containers and every language
docutils ships (read from the installed docutils when the corpus is built).
"""

from __future__ import annotations

import importlib
import pkgutil
import re

Case = tuple[str, str, str, str]

SCRIPT = "<script>alert(document.domain)</script>"
SECRET = "../../secret/id_rsa.png"


def _english() -> list[Case]:
    cases: list[Case] = [
        # files, raw output and code, directly
        ("include", ".. include:: /etc/passwd", "", "directive 'include': reads a file"),
        ("include-upper", ".. INCLUDE:: ../secret.rst", "", "directive 'INCLUDE'"),
        ("include-spaced", "..   include::   /etc/passwd", "", "directive 'include'"),
        ("raw-html", f".. raw:: html\n\n   {SCRIPT}", "", "directive 'raw'"),
        ("raw-latex", ".. raw:: latex\n\n   \\input{/etc/hostname}", "", "directive 'raw'"),
        ("raw-file", ".. raw:: html\n   :file: /etc/passwd", "", "directive 'raw'"),
        ("literalinclude", ".. literalinclude:: ~/.ssh/id_rsa", "", "directive 'literalinclude'"),
        ("csv-file", ".. csv-table:: T\n   :file: /etc/passwd", "", "with :file:"),
        ("csv-url", ".. csv-table:: T\n   :url: http://169.254.169.254/latest", "",
         "with :url:"),
        ("meta-refresh", ".. meta::\n   :http-equiv=refresh: 0; url=https://evil.example", "",
         "directive 'meta'"),
        ("math-directive", ".. math::\n\n   \\input{/etc/hostname}", "", "directive 'math'"),
        ("math-role", "Area :math:`\\input{/etc/hostname}` here.", "", "role ':math:'"),
        ("download-role", "Get :download:`the key <../../id_rsa>`.", "", "role ':download:'"),
        ("project-raw-role", f"Inject :raw-html:`{SCRIPT}`.", "", "role ':raw-html:'"),
        ("default-role-raw", ".. default-role:: raw\n\nThen `x`.", "", "default role ':raw:'"),
        ("default-role-math", ".. default-role:: math\n\n`\\input{/etc/hostname}`", "",
         "default role ':math:'"),
        ("role-raw", f".. role:: raw-html(raw)\n   :format: html\n\n:raw-html:`{SCRIPT}`", "",
         "based on role ':raw:'"),
        ("role-raw-chain", ".. role:: a(raw)\n   :format: html\n\n.. role:: b(a)\n\n:b:`x`", "",
         "role ':b:' based on role ':a:'"),
        ("role-math", ".. role:: m(math)\n\n:m:`\\input{x}`", "", "based on role ':math:'"),
        # Sphinx directives plain docutils does not know
        ("sphinx-automodule", ".. automodule:: os", "", "directive 'automodule'"),
        ("sphinx-autoclass", ".. autoclass:: subprocess.Popen", "", "directive 'autoclass'"),
        ("sphinx-ifconfig", ".. ifconfig:: __import__('os').system('id')\n\n   x", "",
         "directive 'ifconfig'"),
        ("sphinx-graphviz", ".. graphviz:: /etc/passwd", "", "directive 'graphviz'"),
        ("sphinx-program-output", ".. program-output:: id", "", "directive 'program-output'"),
        ("sphinx-tabularcolumns", ".. tabularcolumns:: |l|\\input{/etc/hostname}|", "",
         "directive 'tabularcolumns'"),
        ("sphinx-toctree", ".. toctree::\n\n   /secret", "", "directive 'toctree'"),
        ("sphinx-domain-include", ".. std:include:: x", "", "directive 'std:include'"),
        ("sphinx-only-raw", f".. only:: html\n\n   .. raw:: html\n\n      {SCRIPT}", "",
         "directive 'raw'"),
        ("sphinx-caption-link", ".. code-block:: python\n   :caption: `x <javascript:alert(1)>`_"
         "\n\n   print(1)", "", "link to 'javascript:alert(1)'"),
        ("sphinx-versionadded-link", ".. versionadded:: 2.0 see `x <data:text/html,hi>`_", "",
         "link to 'data:text/html,hi'"),
        # the same constructs hidden in containers
        ("in-note", ".. note::\n\n   .. include:: /etc/passwd", "", "directive 'include'"),
        ("in-list", "* one\n* two\n\n  .. raw:: html\n\n     x", "", "directive 'raw'"),
        ("in-blockquote", "Text.\n\n   .. include:: nested.rst", "", "directive 'include'"),
        ("in-grid-table", "+--------------------------+\n| .. include:: /etc/passwd |\n"
         "+--------------------------+", "", "directive 'include'"),
        ("in-csv-cell", f'.. csv-table:: T\n\n   ".. raw:: html\n\n      {SCRIPT}", b', "",
         "directive 'raw'"),
        ("in-list-table", ".. list-table::\n\n   * - .. include:: /etc/passwd", "",
         "directive 'include'"),
        ("in-admonition-title", ".. admonition:: :raw-html:`<b>x</b>`\n\n   body", "",
         "role ':raw-html:'"),
        ("in-figure-caption", f".. figure:: a.png\n\n   Caption :raw-html:`{SCRIPT}`", "",
         "role ':raw-html:'"),
        ("in-footnote", f"See [1]_.\n\n.. [1] :raw-html:`{SCRIPT}`", "", "role ':raw-html:'"),
    ]
    cases += _substitutions() + _images() + _links()
    return cases


def _substitutions() -> list[Case]:
    """Substitution definitions, whole and split over lines at every point."""
    raw = f"raw:: html\n\n   {SCRIPT}"
    return [
        ("subst-raw", f".. |x| {raw}\n\nUse |x|.", "", "directive 'raw'"),
        ("subst-raw-split-after-name", f".. |x|\n   {raw}\n\nUse |x|.", "", "directive 'raw'"),
        ("subst-raw-split-in-name", f"A |y\nz| here.\n\n.. |y\n   z| {raw}", "",
         "directive 'raw'"),
        ("subst-raw-split-twice", f".. |a\n   b|\n   {raw}\n\n|a b|", "", "directive 'raw'"),
        ("subst-image-secret", f".. |x| image:: {SECRET}\n\n|x|", "", f"image '{SECRET}'"),
        ("subst-image-split", f".. |x|\n   image:: {SECRET}\n\n|x|", "", f"image '{SECRET}'"),
        ("subst-image-uri-split", ".. |x| image:: ../../secret/\n   id_rsa.png\n\n|x|", "",
         f"image '{SECRET}'"),
        ("subst-replace-link", ".. |x| replace:: `go <javascript:alert(1)>`__\n\n|x|", "",
         "link to 'javascript:alert(1)'"),
        ("subst-replace-role", f".. |x| replace:: :raw-html:`{SCRIPT}`\n\n|x|", "",
         "role ':raw-html:'"),
        ("subst-include", ".. |x| include:: /etc/passwd", "", "directive 'include'"),
        ("subst-date", '.. |d| date:: %Y\n\n|d|', "", "directive 'date'"),
    ]


def _images() -> list[Case]:
    bad = [
        ("parent", SECRET), ("absolute", "/etc/passwd"), ("home", "~/.ssh/id_rsa"),
        ("file-url", "file:///etc/passwd"), ("data-url", "data:image/svg+xml;base64,PHN2Zz4="),
        ("javascript", "javascript:alert(1)"), ("windows-drive", "C:/secret.png"),
        ("backslash", "..\\\\..\\\\secret.png"), ("encoded-parent", "%2e%2e/%2e%2e/secret.png"),
        ("inner-parent", "img/../../../secret.png"),
    ]
    cases: list[Case] = []
    for i, (name, uri) in enumerate(bad):
        directive = ("image", "figure")[i % 2]
        cases.append((f"image-{name}", f".. {directive}:: {uri}", "", "image '"))
    cases.append(("image-target", ".. image:: https://example.com/a.png\n"
                  "   :target: javascript:alert(1)", "", "link to 'javascript:alert(1)'"))
    return cases


def _links() -> list[Case]:
    schemes = ["javascript:alert(document.domain)//x", "JavaScript:alert(1)",
               "data:text/html;base64,PHNjcmlwdD4=", "vbscript:msgbox(1)",
               "livescript:alert(1)", "file:///etc/passwd", "ftp://example.com/x"]
    forms = [
        ("standalone", "Go {uri} now."),
        ("embedded", "`click <{uri}>`_"),
        ("named-target", "Go there_.\n\n.. _there: {uri}"),
        ("anonymous-target", "Go `there`__.\n\n__ {uri}"),
    ]
    cases: list[Case] = []
    for i, uri in enumerate(schemes):
        for j, (form, template) in enumerate(forms):
            if (i + j) % 2 and i > 1:
                continue  # every form for the first two schemes, half of them after
            scheme = re.sub(r"[^a-z]", "", uri.split(":", 1)[0].lower())
            cases.append((f"link-{scheme}-{i}-{form}", template.format(uri=uri), "", "link to '"))
    cases.append(("link-target-split", "Go there_.\n\n.. _there: java\n   script:alert(1)", "",
                  "link to 'javascript:alert(1)'"))
    cases.append(("link-embedded-split", "`click <java\nscript:alert(1)>`_", "",
                  "link to 'javascript:alert(1)'"))
    return cases


def _localised() -> list[Case]:
    """Per docutils language: its own names for include, raw, role, image, math, meta."""
    import docutils.parsers.rst.languages as languages
    from docutils.parsers.rst.states import Inliner

    spelled = re.compile(Inliner.simplename)
    cases: list[Case] = []
    for info in pkgutil.iter_modules(languages.__path__):
        module = importlib.import_module(f"{languages.__name__}.{info.name}")

        def local(table: str, canonical: str, module=module) -> str:  # noqa: ANN001
            found = [n for n, c in getattr(module, table).items()
                     if c == canonical and n != canonical and spelled.fullmatch(n)]
            return found[0] if found else ""

        lang = info.name
        if include := local("directives", "include"):
            cases.append((f"{lang}-include", f".. {include}:: /etc/passwd", lang,
                          f"directive '{include}'"))
        raw = local("directives", "raw")
        if raw:
            cases.append((f"{lang}-subst-raw-split", f".. |x|\n   {raw}:: html\n\n   {SCRIPT}"
                          "\n\n|x|", lang, f"directive '{raw}'"))
        raw_role = local("roles", "raw")
        role = local("directives", "role") or "role"
        if raw_role:
            cases.append((f"{lang}-role-raw", f".. {role}:: x({raw_role})\n   :format: html\n\n"
                          f":x:`{SCRIPT}`", lang, f"based on role ':{raw_role}:'"))
        if image := local("directives", "image"):
            cases.append((f"{lang}-image-secret", f".. {image}:: {SECRET}", lang,
                          f"image '{SECRET}'"))
        if math := local("roles", "math") or local("directives", "math"):
            cases.append((f"{lang}-math", f".. {math}::\n\n   \\input{{/etc/hostname}}\n\n"
                          f":{math}:`\\input{{/etc/hostname}}`", lang, f"'{math}'"))
        if meta := local("directives", "meta"):
            cases.append((f"{lang}-meta", f".. {meta}::\n   :http-equiv=refresh: 0; url=x", lang,
                          f"directive '{meta}'"))
    # a word that means "raw" in one language is refused in every other one too
    cases.append(("en-role-based-on-german-raw", ".. role:: y(unverändert)\n   :format: html",
                  "", "role ':y:' based on role ':unverändert:'"))
    cases.append(("fr-role-based-on-german-raw", ".. role:: y(roh)\n   :format: html",
                  "fr", "role ':y:' based on role ':roh:'"))
    return cases


def hostile_rst_cases() -> list[Case]:
    """Every case, English shapes first."""
    return _english() + _localised()
