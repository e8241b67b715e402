"""The render layer with the real graphviz-pure and with fake renderers that misbehave."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

from statusdoc.errors import RenderError
from statusdoc.render import (
    ENV_COMMAND,
    read_stamp,
    render,
    render_many,
    resolve_backend,
    svg_size_pt,
    unrenderable_labels,
)
from statusdoc.stamp import dot_sha256

FAKES = Path(__file__).parent / "fakes"
REAL = str(Path(sys.executable).parent / "graphviz-pure")
DOT = 'digraph "m" {\n  "queued" -> "saving" [label="upload"];\n  "saving" -> "active";\n}\n'


@pytest.fixture(autouse=True)
def _no_override(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(ENV_COMMAND, raising=False)


def test_graphviz_pure_png_and_svg_are_stamped_with_the_dot_hash() -> None:
    images = render_many(DOT, ["png", "svg"])
    assert images["png"].startswith(b"\x89PNG\r\n\x1a\n")
    assert b"<svg" in images["svg"]
    for data in images.values():
        stamp = read_stamp(data)
        assert stamp is not None
        assert stamp.dot_sha256 == dot_sha256(DOT)
        assert stamp.renderer == "graphviz-pure 0.2.2"


def test_render_is_byte_identical_across_runs_and_working_dirs(tmp_path: Path) -> None:
    code = (
        "import sys; from statusdoc.render import render; "
        "sys.stdout.buffer.write(render(sys.stdin.read(), sys.argv[1]))"
    )
    for fmt in ("png", "svg"):
        outputs = set()
        for cwd in (tmp_path / "one", tmp_path / "two"):
            cwd.mkdir(exist_ok=True)
            proc = subprocess.run(
                [sys.executable, "-c", code, fmt], input=DOT.encode(), cwd=cwd,
                capture_output=True, check=True,
            )
            outputs.add(proc.stdout)
        outputs.add(render(DOT, fmt))
        assert len(outputs) == 1, fmt


def test_svg_size_parses_points_and_pixels() -> None:
    assert svg_size_pt(b'<svg width="62pt" height="133pt">') == (62.0, 133.0)
    assert svg_size_pt(b'<svg width="100px" height="40px">') == (75.0, 30.0)
    assert svg_size_pt(b"<svg>") is None


def test_huge_canvas_is_refused_before_making_a_png() -> None:
    dot = 'digraph { big [shape=box, width=1500, height=2, label="x"] }'
    start = time.monotonic()
    with pytest.raises(RenderError) as info:
        render(dot, "png", spec="specs/big.toml")
    assert time.monotonic() - start < 20
    message = str(info.value)
    assert message.startswith("specs/big.toml: diagram too large")
    assert "graphviz-pure" in message and "split the machine" in message
    # The SVG of the same diagram is fine: it is small text.
    assert b"<svg" in render(dot, "svg")


def test_empty_dot_is_an_error_not_an_empty_image() -> None:
    with pytest.raises(RenderError, match="empty DOT"):
        render("  \n", "png")


def test_syntax_error_reports_exit_and_stderr_excerpt() -> None:
    with pytest.raises(RenderError) as info:
        render("digraph {", "svg", spec="x.toml")
    message = str(info.value)
    assert "x.toml: renderer graphviz-pure failed (exit 1)" in message
    assert "syntax error" in message


def test_unknown_renderer_lists_choices() -> None:
    with pytest.raises(RenderError, match=r"unknown renderer 'graphvis'.*graphviz-pure, dot, auto"):
        render(DOT, "svg", renderer="graphvis")


def test_unknown_format() -> None:
    with pytest.raises(RenderError, match="cannot render format 'pdf'"):
        render(DOT, "pdf")


def test_missing_system_dot_names_the_fix(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError) as info:
        render(DOT, "svg", renderer="dot", spec="a.toml")
    assert "a.toml: renderer dot (system Graphviz) is not on PATH" in str(info.value)
    assert "install Graphviz" in str(info.value)


def test_missing_graphviz_pure_names_the_fix(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Neither beside the interpreter nor on PATH.
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    monkeypatch.setenv("PATH", str(tmp_path))
    with pytest.raises(RenderError, match="pip install graphviz-pure"):
        render(DOT, "svg")
    with pytest.raises(RenderError, match="neither graphviz-pure nor dot"):
        render(DOT, "svg", renderer="auto")


def test_auto_prefers_graphviz_pure() -> None:
    assert resolve_backend("auto").name == "graphviz-pure"
    assert resolve_backend("graphviz-pure").executable == REAL


def test_env_command_replaces_configured_renderer(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    log = tmp_path / "calls.log"
    monkeypatch.setenv(ENV_COMMAND, str(FAKES / "record.py"))
    monkeypatch.setenv("FAKE_RECORD", str(log))
    monkeypatch.setenv("FAKE_REAL", REAL)
    data = render(DOT, "svg", renderer="dot")  # 'dot' is not installed; the override wins
    assert read_stamp(data).renderer == "command:record.py 9.9.9"
    lines = log.read_text().splitlines()
    assert lines == ["call -Tsvg SERVER_NAME=statusdoc"]


def test_renderer_runs_with_server_name_set(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    log = tmp_path / "calls.log"
    monkeypatch.setenv("FAKE_RECORD", str(log))
    monkeypatch.setenv("FAKE_REAL", REAL)
    monkeypatch.delenv("SERVER_NAME", raising=False)
    render(DOT, "png", renderer=f"command:{FAKES / 'record.py'}")
    # the SVG is laid out first to check the canvas size, then the PNG
    assert log.read_text().splitlines() == [
        "call -Tsvg SERVER_NAME=statusdoc",
        "call -Tpng SERVER_NAME=statusdoc",
    ]


def test_graphviz_pure_does_not_read_files_named_in_dot(tmp_path: Path) -> None:
    # Without SERVER_NAME, graphviz-pure opens this PNG to size the node and
    # emits <image xlink:href=".../secret.png" width=...>; with it, nothing.
    secret = tmp_path / "secret.png"
    secret.write_bytes(render(DOT, "png"))
    dot = f'digraph {{ a [image="{secret}", label=""] }}'
    out = render(dot, "svg")
    assert b"<image" not in out
    assert str(secret).encode() not in out


@pytest.mark.parametrize(
    ("fake", "expected"),
    [
        ("crash.py", r"renderer command:crash\.py failed \(exit 3\).*segmentation fault"),
        ("killself.py", r"renderer command:killself\.py was killed by SIGKILL"),
        ("garbage.py", r"renderer command:garbage\.py wrote something that is not an SVG"),
        ("empty.py", r"renderer command:empty\.py produced an empty SVG"),
    ],
)
def test_failing_renderers_raise_render_error(fake: str, expected: str) -> None:
    with pytest.raises(RenderError, match=expected) as info:
        render(DOT, "svg", renderer=f"command:{FAKES / fake}", spec="specs/m.toml")
    assert str(info.value).startswith("specs/m.toml: ")
    assert "fix" in str(info.value)


def test_garbage_png_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_COMMAND, str(FAKES / "garbage.py"))
    with pytest.raises(RenderError, match=r"not an SVG|not a PNG"):
        render(DOT, "png")


def test_hanging_renderer_is_killed_at_the_timeout(tmp_path: Path) -> None:
    start = time.monotonic()
    with pytest.raises(RenderError) as info:
        render(DOT, "svg", renderer=f"command:{FAKES / 'hang.py'}", timeout=1, spec="big.toml")
    assert time.monotonic() - start < 10
    message = str(info.value)
    assert "big.toml: renderer command:hang.py ran out of time (1 s)" in message
    assert "split the machine" in message and ":sections:" in message


def test_memory_limit_stops_a_renderer_that_allocates_too_much() -> None:
    with pytest.raises(RenderError, match=r"renderer command:hog\.py (failed|was killed)"):
        render(DOT, "svg", renderer=f"command:{FAKES / 'hog.py'}")


def test_missing_command_renderer() -> None:
    with pytest.raises(RenderError, match="not found or not executable"):
        render(DOT, "svg", renderer="command:/nonexistent/renderer")


def test_unrenderable_labels_flags_cjk_and_symbols() -> None:
    from statusdoc import loads

    machine = loads(
        '[machine]\nname="m"\ntitle="T"\ninitial="a"\n'
        '[states.a]\nlabel="待機"\n[states.b]\nlabel="done ✓"\n[states.c]\nlabel="Überprüfung"\n'
        '[[transitions]]\nfrom="a"\nto="b"\n[[transitions]]\nfrom="b"\nto="c"\n',
        "toml",
    )
    bad = unrenderable_labels(machine)
    assert "待機" in bad and "done ✓" in bad
    assert "Überprüfung" not in bad


def test_dot_backend_runs_the_dot_found_on_path(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # graphviz-pure is dot-compatible: installed under the name "dot" it stands in
    # for system Graphviz, so the dot backend runs a real layout engine here.
    (tmp_path / "dot").symlink_to(REAL)
    monkeypatch.setenv("PATH", str(tmp_path))
    backend = resolve_backend("dot")
    assert (backend.name, backend.executable) == ("dot", str(tmp_path / "dot"))
    data = render(DOT, "svg", renderer="dot")
    assert read_stamp(data).renderer == "dot 0.2.2"
    # auto falls back to dot when graphviz-pure is nowhere
    monkeypatch.setattr(sys, "executable", str(tmp_path / "python"))
    assert resolve_backend("auto").name == "dot"


def test_timeout_is_one_budget_for_svg_and_png(monkeypatch: pytest.MonkeyPatch) -> None:
    # Each run takes 0.8 s: under the limit alone, over it together.
    monkeypatch.setenv("FAKE_SLEEP", "0.8")
    monkeypatch.setenv("FAKE_REAL", REAL)
    slow = f"command:{FAKES / 'slow.py'}"
    assert render(DOT, "svg", renderer=slow, timeout=1.5)
    with pytest.raises(RenderError, match=r"ran out of time \(1\.5 s\)"):
        render(DOT, "png", renderer=slow, timeout=1.5)
