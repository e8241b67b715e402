"""User templates are bounded: a loop that does not end is stopped, and one huge
repetition or power is refused (issue 13, item 13)."""

from __future__ import annotations

import threading
import time
from dataclasses import replace
from pathlib import Path

import pytest
from emit_support import GLANCE, glance
from jinja2.exceptions import SecurityError

from statusdoc.artifacts import generate_spec
from statusdoc.config import ProjectConfig
from statusdoc.emit import sandbox
from statusdoc.emit.rst import emit_rst
from statusdoc.errors import StatusdocError

ENDLESS = ("{% for i in range(100000) %}{% for j in range(100000) %}{% for k in range(100000) %}"
           "{% endfor %}{% endfor %}{% endfor %}\n")


def templates(tmp_path: Path, page: str) -> Path:
    tmp_path.mkdir(exist_ok=True)
    (tmp_path / "page.rst.j2").write_text(page, encoding="utf-8")
    return tmp_path


def test_an_endless_loop_is_stopped_after_the_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox, "TIME_LIMIT", 0.5)
    start = time.monotonic()
    with pytest.raises(sandbox.TemplateTimeout, match=r"page\.rst\.j2 ran longer than 0\.5 s"):
        emit_rst(glance(), source_name="s.toml", templates=templates(tmp_path, ENDLESS))
    assert time.monotonic() - start < 30  # stopped, not run to the end (hours)


def test_generate_reports_the_stopped_template_and_writes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sandbox, "TIME_LIMIT", 0.5)
    spec = tmp_path / "spec.toml"
    spec.write_text(GLANCE.read_text("utf-8"), "utf-8")
    project = ProjectConfig(root=tmp_path, templates=templates(tmp_path / "t", ENDLESS))
    config = replace(project.default_spec(spec), outputs=("rst",))
    with pytest.raises(StatusdocError, match="ran longer than"):
        generate_spec(config)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["spec.toml", "t"]


def test_a_previous_alarm_is_restored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import signal

    monkeypatch.setattr(sandbox, "TIME_LIMIT", 5)
    fired = []
    old = signal.signal(signal.SIGALRM, lambda *_: fired.append(1))
    try:
        signal.setitimer(signal.ITIMER_REAL, 1.0)
        emit_rst(glance(), source_name="s.toml", templates=templates(tmp_path, "{{ title }}\n"))
        remaining = signal.getitimer(signal.ITIMER_REAL)[0]
        assert 0 < remaining <= 1.0
        time.sleep(remaining + 0.2)
        assert fired == [1]
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


@pytest.mark.parametrize("expression", [
    '"x" * 100000000000', "[1] * 100000000000", "100000000000 * 'x'", "10 ** 100000000",
    "(10 ** 100000) ** 100000",
])
def test_one_huge_operation_is_refused(tmp_path: Path, expression: str) -> None:
    page = templates(tmp_path, f"{{{{ {expression} }}}}\n")
    with pytest.raises(SecurityError, match="too large"):
        emit_rst(glance(), source_name="s.toml", templates=page)


def test_ordinary_arithmetic_still_works(tmp_path: Path) -> None:
    page = templates(tmp_path, '{{ "=" * 3 }} {{ 2 ** 10 }} {{ [0] * 2 }} {{ 3 * 4 }}\n')
    assert emit_rst(glance(), source_name="s.toml", templates=page) == "=== 1024 [0, 0] 12\n"


def test_outside_the_main_thread_rendering_works_without_a_time_limit(tmp_path: Path) -> None:
    page = templates(tmp_path, "{{ title }}\n")
    out: list[str] = []
    worker = threading.Thread(
        target=lambda: out.append(emit_rst(glance(), source_name="s.toml", templates=page)))
    worker.start()
    worker.join(60)
    assert out == ["Image Statuses\n"]
