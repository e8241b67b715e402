"""Sphinx: a page built with ``.. statusdoc::`` against the same page by hand.

For each example spec, two throw-away Sphinx projects hold the same content:

* **directive** — ``conf.py`` loads ``statusdoc.sphinxext``; the page is one
  ``.. statusdoc:: spec.toml`` directive, shown as the live diagram (the SVG
  decorated and written inline, the script and stylesheet copied and linked:
  each build checks they are there, so they are counted);
* **by hand** — ``conf.py`` loads ``sphinx.ext.graphviz`` pointed at the
  same renderer (``graphviz_dot = <graphviz-pure>``,
  ``graphviz_output_format = "svg"``); the page is the emitter's RST with the
  figure written as a ``.. graphviz::`` directive holding the same DOT,
  alt text and caption, and, where the directive shows focus views and the
  group overview (``auto``: above 12 statuses), the same diagrams as more
  ``.. graphviz::`` blocks, so both pages draw the same number of diagrams.

Each round is a fresh build (new output directory, fresh environment) of
both, alternated so machine noise hits both alike. statusdoc's in-process
caches are cleared before every directive build, so it pays for parsing the
spec and asking the renderer for its version each time, as a fresh
``sphinx-build`` would. Goal: the directive's build within 1.25x.

Run alone: ``python bench/bench_sphinx.py [--quick]``.
"""

from __future__ import annotations

import io
import shutil
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(REPO))

from common import Row, interleaved  # noqa: E402

GOAL = 1.25
EXAMPLES = {
    "Glance, 6 statuses": REPO / "examples" / "glance" / "image-statuses.toml",
    "bare-metal, 32 statuses": REPO / "examples" / "baremetal" / "node-states.toml",
}


def _graphviz_pure() -> str:
    found = shutil.which("graphviz-pure", path=str(Path(sys.executable).parent)) or shutil.which(
        "graphviz-pure"
    )
    if not found:
        raise RuntimeError("graphviz-pure is not installed")
    return found


def _hand_written(spec: Path) -> str:
    """The page as someone would write it by hand with ``.. graphviz::``."""
    import statusdoc
    from statusdoc.emit.dot import emit_dot
    from statusdoc.emit.rst import alt_text, emit_rst
    from statusdoc.sphinxext.specs import IMAGE_SENTINEL, split_figure

    machine = statusdoc.load(spec)
    text = emit_rst(machine, source_name=spec.name, image=IMAGE_SENTINEL)
    cut = split_figure(text)
    assert cut is not None
    before, _options, caption, after = cut
    dot = emit_dot(machine, source_name=spec.name)
    block = [".. graphviz::", "   :align: center", f"   :alt: {alt_text(machine)}"]
    block += [f"   :caption: {' '.join(line.strip() for line in caption if line.strip())}", ""]
    block += [f"   {line}".rstrip() for line in dot.splitlines()]
    return "\n".join([*before, *block, "", *after, *_view_blocks(machine, spec.name)]) + "\n"


def _view_blocks(machine: Any, source_name: str) -> list[str]:
    """The focus views and overview the directive shows by default (``auto``), as
    ``.. graphviz::`` blocks: a page written by hand with the same diagrams."""
    from statusdoc.emit.dot import emit_dot
    from statusdoc.emit.views import focus_machine, neighbours, overview_machine, wanted

    if not wanted("auto", machine):
        return []
    table = neighbours(machine)
    views = [focus_machine(machine, s.name, table) for s in machine.states]
    overview = overview_machine(machine)
    lines = ["", "Views", "-----", ""]
    for view in ([overview] if overview is not None else []) + views:
        lines += [".. graphviz::", "   :align: center", "   :alt: a view", ""]
        lines += [f"   {line}".rstrip() for line in emit_dot(view, source_name=source_name)
                  .splitlines()]
        lines.append("")
    return lines


def _project(root: Path, spec: Path, kind: str) -> Path:
    src = root / f"src-{kind}"
    src.mkdir()
    if kind == "directive":
        shutil.copy(spec, src / spec.name)
        (src / "conf.py").write_text('extensions = ["statusdoc.sphinxext"]\n')
        (src / "index.rst").write_text(f".. statusdoc:: {spec.name}\n")
    else:
        (src / "conf.py").write_text(
            'extensions = ["sphinx.ext.graphviz"]\n'
            f"graphviz_dot = {_graphviz_pure()!r}\n"
            'graphviz_output_format = "svg"\n'
        )
        (src / "index.rst").write_text(_hand_written(spec))
    return src


def _check_live(out: Path) -> None:
    """The directive's page has the live diagram and its assets (so they are timed)."""
    page = (out / "html" / "index.html").read_text(encoding="utf-8")
    for sign in ('<div class="statusdoc-live', "<svg xmlns=", "_static/statusdoc-live.js",
                 "_static/statusdoc-live.css"):
        if sign not in page:
            raise RuntimeError(f"the directive's page lacks {sign!r}")
    for name in ("statusdoc-live.js", "statusdoc-live.css"):
        if not (out / "html" / "_static" / name).is_file():
            raise RuntimeError(f"_static/{name} was not written")


def _builder(src: Path, root: Path, clear_caches: bool) -> Callable[[], None]:
    from sphinx.application import Sphinx
    from sphinx.util.docutils import docutils_namespace, patch_docutils

    counter = iter(range(10_000))

    def build() -> None:
        if clear_caches:
            from statusdoc import render
            from statusdoc.sphinxext import specs

            specs._CACHE.clear()
            render._version.cache_clear()
        out = root / f"out-{src.name}-{next(counter)}"
        warnings = io.StringIO()
        # as sphinx-build does: docutils registrations do not leak between builds
        with patch_docutils(src), docutils_namespace():
            app = Sphinx(str(src), str(src), str(out / "html"), str(out / "doctrees"), "html",
                         status=None, warning=warnings, freshenv=True)
            app.build()
        if warnings.getvalue():
            raise RuntimeError(f"{src.name}: build warned:\n{warnings.getvalue()}")
        if clear_caches:  # the directive's build
            _check_live(out)
        shutil.rmtree(out, ignore_errors=True)

    return build


def rows(quick: bool = False) -> list[Row]:
    """One row per example: directive build time / hand-written build time."""
    result: list[Row] = []
    for label, spec in EXAMPLES.items():
        with tempfile.TemporaryDirectory(prefix="bench-sphinx-") as tmp:
            root = Path(tmp)
            directive = _builder(_project(root, spec, "directive"), root, clear_caches=True)
            by_hand = _builder(_project(root, spec, "hand"), root, clear_caches=False)
            directive()  # warm imports for both sides, and check both build cleanly
            by_hand()
            best = interleaved(
                {"directive": directive, "hand": by_hand}, rounds=3 if quick else 7
            )
        ratio = best["directive"] / best["hand"]
        result.append(
            Row(
                section="sphinx",
                what=f"fresh HTML build, ``.. statusdoc::`` (live diagram, its script and "
                f"stylesheet) vs the same page with ``.. graphviz::`` ({label})",
                result=f"{ratio:.2f}x ({best['directive']:.2f} s vs {best['hand']:.2f} s)",
                goal=f"<= {GOAL}x",
                met=ratio <= GOAL,
                command="python bench/bench_sphinx.py",
            )
        )
    return result


if __name__ == "__main__":
    for row in rows(quick="--quick" in sys.argv):
        mark = "" if row.met is None else (" ok" if row.met else " MISSED")
        print(f"{row.section:8} {row.what}: {row.result} (goal {row.goal}){mark}")
