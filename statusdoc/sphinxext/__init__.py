"""Sphinx extension: ``extensions = ["statusdoc.sphinxext"]``.

Directives ``statusdoc`` (the whole reference), ``statusdoc-statuses``,
``statusdoc-diagram`` and ``statusdoc-transitions``; the role ``:status:``
(the ``statusdoc`` domain); config values ``statusdoc_specs``,
``statusdoc_renderer``, ``statusdoc_output_format``, ``statusdoc_templates``,
``statusdoc_timeout``, ``statusdoc_allow_unsafe_rst`` and
``statusdoc_live_diagram``. See
``docs/sphinx.rst`` for the reference.
"""

from __future__ import annotations

from typing import Any

from statusdoc.sphinxext.directives import (
    DiagramDirective,
    StatusdocDirective,
    StatusesDirective,
    TransitionsDirective,
)
from statusdoc.sphinxext.domain import (
    StatusdocDomain,
    note_purge,
    referrers_to_rewrite,
    remember_reread,
    warn_missing_status,
)
from statusdoc.sphinxext.images import (
    VISITORS,
    prefetch,
    remember_builder,
    render_diagrams,
    stop_prefetch,
)
from statusdoc.sphinxext.live import add_assets, copy_assets
from statusdoc.sphinxext.nodes import statusdoc_diagram
from statusdoc.sphinxext.reporting import fail_build, merge, purge
from statusdoc.sphinxext.specdirective import remember_confdir

#: Bump when the shape of stored domain data, doctrees or environment data changes.
ENV_VERSION = 3

__all__ = ["ENV_VERSION", "setup", "statusdoc_diagram"]


def _check_config(app: Any, config: Any) -> None:
    from sphinx.errors import ConfigError

    from statusdoc import kinds

    fmt = config.statusdoc_output_format
    formats = kinds.rendered()
    if fmt not in formats:
        raise ConfigError("statusdoc_output_format must be "
                          f"{kinds.one_of(tuple(map(repr, formats)))}, not {fmt!r}")
    specs = config.statusdoc_specs
    if not isinstance(specs, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in specs.items()
    ):
        raise ConfigError("statusdoc_specs must be a dict of name -> spec path (strings)")
    from statusdoc.emit.views import parse_setting

    for name in ("statusdoc_focus", "statusdoc_overview"):
        try:
            parse_setting(getattr(config, name), name)
        except ValueError as exc:
            raise ConfigError(str(exc)) from None


def setup(app: Any) -> dict[str, Any]:
    """Register the node, directives, domain, config values and event handlers."""
    from statusdoc import __version__

    app.add_config_value("statusdoc_specs", {}, "env", types=frozenset({dict}))
    app.add_config_value("statusdoc_renderer", "graphviz-pure", "env", types=frozenset({str}))
    app.add_config_value("statusdoc_output_format", "svg", "env", types=frozenset({str}))
    app.add_config_value("statusdoc_templates", None, "env", types=frozenset({str, type(None)}))
    app.add_config_value("statusdoc_timeout", 60.0, "env", types=frozenset({int, float}))
    app.add_config_value("statusdoc_allow_unsafe_rst", False, "env", types=frozenset({bool}))
    app.add_config_value("statusdoc_live_diagram", True, "html", types=frozenset({bool}))
    app.add_config_value("statusdoc_focus", "auto", "env", types=frozenset({str, bool}))
    app.add_config_value("statusdoc_overview", "auto", "env", types=frozenset({str, bool}))

    app.add_node(statusdoc_diagram, **VISITORS)
    app.add_domain(StatusdocDomain)
    app.add_role("status", StatusdocDomain.roles["status"])
    app.add_directive("statusdoc", StatusdocDirective)
    app.add_directive("statusdoc-statuses", StatusesDirective)
    app.add_directive("statusdoc-diagram", DiagramDirective)
    app.add_directive("statusdoc-transitions", TransitionsDirective)

    app.connect("config-inited", _check_config)
    app.connect("builder-inited", remember_confdir)
    app.connect("builder-inited", remember_builder)
    app.connect("builder-inited", copy_assets)
    app.connect("html-page-context", add_assets)
    app.connect("doctree-read", prefetch)
    app.connect("build-finished", stop_prefetch)
    app.connect("env-before-read-docs", remember_reread)
    app.connect("env-purge-doc", note_purge)
    app.connect("env-purge-doc", purge)
    app.connect("env-merge-info", merge)
    app.connect("build-finished", fail_build)
    app.connect("env-get-updated", referrers_to_rewrite)
    app.connect("doctree-resolved", render_diagrams)
    app.connect("warn-missing-reference", warn_missing_status)
    return {
        "version": __version__,
        "env_version": ENV_VERSION,
        "parallel_read_safe": True,
        "parallel_write_safe": True,
    }
