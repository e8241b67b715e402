"""The steps of a generate run besides planning (:func:`statusdoc.artifacts.generate_project`):
rendering the stale images, and refusing two outputs at one path."""

from __future__ import annotations

import functools
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from statusdoc import kinds
from statusdoc.artifacttypes import (
    COMPOSED_FROM,
    EmitError,
    Planned,
    Warn,
    display,
    is_stamped,
)
from statusdoc.config import SpecConfig
from statusdoc.spec.model import Machine

__all__ = ["refuse_shared_outputs", "refuse_shared_views", "render_stale"]


def render_stale(
    config: SpecConfig, machine: Machine, plan: Sequence[Planned], dot: str, warn: Warn,
    pages: dict[str, Any],
) -> dict[Path, bytes]:
    """The images (and composed pages) of ``plan`` whose file is stale, rendered; a
    view image from its own DOT, every other one from ``dot``."""
    stale = [p for p in plan if is_stamped(p.kind) and p.reason and not p.remove]
    if not stale:
        return {}
    from statusdoc.render import render_many, resolve_backend, unrenderable_labels

    backend = resolve_backend(config.renderer, spec=config.source_name())
    if backend.name == "graphviz-pure":
        bad = unrenderable_labels(machine)
        if bad:
            warn(
                f"{config.source_name()}: graphviz-pure's bundled fonts cannot draw some "
                f"characters of {', '.join(repr(b) for b in bad[:5])} (they will show as "
                'boxes); set renderer = "dot" with fonts that have them'
            )
    wanted = {COMPOSED_FROM if p.kind in pages else p.kind for p in stale
              if p.source_dot is None}
    images = render_many(
        dot,
        [k for k in kinds.rendered() if k in wanted],
        renderer=config.renderer,
        timeout=config.timeout,
        spec=config.source_name(),
    ) if wanted else {}

    @functools.cache  # views of one DOT are drawn once per image they are a view of
    def draw(view_dot: str, kind: str, view_of: str | None = None) -> bytes:
        # a view, drawn from its own DOT; a view image's stamp names its main image
        return render_many(view_dot, [kind], renderer=config.renderer, timeout=config.timeout,
                           spec=config.source_name(), view_of=view_of)[kind]

    out: dict[Path, bytes] = {}
    for item in stale:
        if item.source_dot is not None:  # a view image
            out[item.path] = draw(item.source_dot, item.kind, item.view_of)
        elif item.kind in pages:
            assert item.dot_sha256 is not None  # a stamped kind's plan carries its digest
            page = pages[item.kind]
            views = [draw(view_dot, COMPOSED_FROM) for view_dot in page.view_dots]
            out[item.path] = page.stamped(images[COMPOSED_FROM], item.dot_sha256,
                                          backend.version, views)
        else:
            out[item.path] = images[item.kind]
    return out


def refuse_shared_views(configs: Sequence[SpecConfig],
                         views: list[list[tuple[str, Path]]]) -> None:
    """No view image may be another output, or a view image of another spec."""
    owners = {config.output_path(kind).resolve(): f"{display(config.spec)} ({kind})"
              for config in configs for kind in config.outputs}
    for config, extra in zip(configs, views, strict=True):
        for what, path in extra:
            name = f"{display(config.spec)} ({what})"
            if path.resolve() in owners:
                raise EmitError(f"{display(path)} would be written by both "
                                f"{owners[path.resolve()]} and {name}; configure names")
            owners[path.resolve()] = name


def refuse_shared_outputs(configs: Sequence[SpecConfig]) -> None:
    """No output of one spec may be an output of another spec of the run."""
    owners: dict[Path, str] = {}
    for config in configs:
        for kind in config.outputs:
            path = config.output_path(kind).resolve()
            name = f"{display(config.spec)} ({kind})"
            if path in owners and owners[path] != name:
                raise EmitError(
                    f"{display(path)} would be written by both {owners[path]} and {name}; "
                    "use separate --output-dir runs or configure names"
                )
            owners[path] = name
