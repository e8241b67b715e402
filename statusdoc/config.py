"""Project configuration: ``[tool.statusdoc]`` in ``pyproject.toml`` or ``statusdoc.toml``.

:func:`load_config` searches upward from a directory (default: the working
directory) for, in each directory, ``statusdoc.toml`` (keys at top level) or
a ``pyproject.toml`` that has a ``[tool.statusdoc]`` table. The directory of
that file is the project root; every path in the configuration is relative
to it, and every output must resolve inside it (``..`` escapes and symlinks
pointing outside are refused).

Example::

    [tool.statusdoc]
    renderer = "graphviz-pure"      # graphviz-pure | dot | auto | command:/path
    timeout = 60                    # seconds per renderer run
    templates = "docs/_templates/statusdoc"
    lint.allow = ["no-way-out"]     # warning rules not to report (names or codes)

    [[tool.statusdoc.specs]]
    spec = "specs/image-statuses.toml"
    output-dir = "docs/generated"
    outputs = ["rst", "png", "svg"]
    names = { rst = "statuses.rst" }
    table = "glance.domain:Image.valid_state_targets"

    [[tool.statusdoc.specs.known-differences]]   # expected drift from the table
    transition = "queued -> deleted"
    side = "missing"
    reason = "tracked in bug 1234"
"""

from __future__ import annotations

import os
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from statusdoc import kinds
from statusdoc.configvalues import (
    check_keys,
    parse_bool,
    parse_lint,
    parse_names,
    parse_outputs,
    parse_path,
    parse_renderer,
    parse_str,
    parse_timeout,
    parse_view,
)
from statusdoc.errors import ConfigError
from statusdoc.fsutil import MAX_INPUT_BYTES, read_regular
from statusdoc.known import KNOWN_KEY, KnownDifference, parse_known
from statusdoc.pathrules import (
    check_outputs,
    check_outputs_inside,
    ensure_inside,
)

if TYPE_CHECKING:
    from statusdoc.emit.views import ViewSetting

DEFAULT_RENDERER = "graphviz-pure"
DEFAULT_TIMEOUT = 60.0

PROJECT_KEYS = (
    "root", "renderer", "timeout", "templates", "allow-unsafe-rst", "lint", "focus",
    "overview", "specs",
)
SPEC_KEYS = (
    "spec",
    "output-dir",
    "outputs",
    "names",
    "renderer",
    "timeout",
    "templates",
    "table",
    "allow-unsafe-rst",
    "lint",
    "known-differences",
    *kinds.SETTINGS,
    "focus",
    "overview",
)


@dataclass(frozen=True, slots=True)
class SpecConfig:
    """One configured spec and where its outputs go (all paths absolute)."""

    spec: Path
    output_dir: Path
    outputs: tuple[str, ...]
    renderer: str = DEFAULT_RENDERER
    templates: Path | None = None
    table: str | None = None
    timeout: float = DEFAULT_TIMEOUT
    names: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    allow_unsafe_rst: bool = False
    #: Warning rules (names) not to report for this spec: ``lint.allow``.
    allow: frozenset[str] = frozenset()
    #: Expected differences from ``table`` (``known-differences``, see :mod:`statusdoc.known`).
    known: tuple[KnownDifference, ...] = ()
    #: Focus views per status on the RST page: ``auto``, ``on`` or ``off``
    #: (:mod:`statusdoc.emit.views`; ``auto``: above 12 statuses).
    focus: ViewSetting = "auto"
    #: The overview of the groups on the RST page: ``auto``, ``on`` or ``off``.
    overview: ViewSetting = "auto"
    #: The project root; outputs of a configured spec must stay inside it.
    root: Path = field(default_factory=Path.cwd)
    #: Whether ``output_dir`` came from the configuration (checked against root).
    configured: bool = True
    #: Sources no output may replace besides the spec itself, as (path, what)
    #: pairs: the configured specs and the configuration file
    #: (see :func:`check_not_a_source`).
    protected: tuple[tuple[Path, str], ...] = ()
    #: Per-kind settings by key of :data:`statusdoc.kinds.SETTINGS` (``sql``), parsed.
    settings: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))

    def file_name(self, kind: str) -> str:
        """File name of output ``kind``: ``names[kind]``, else the kind's default
        (:meth:`statusdoc.kinds.OutputKind.file_name`: ``<spec stem><suffix>``)."""
        if kind in self.names:
            return self.names[kind]
        return kinds.get(kind).file_name(self.spec.stem)

    def output_path(self, kind: str) -> Path:
        """Absolute path of output ``kind``."""
        return self.output_dir / self.file_name(kind)

    def source_name(self) -> str:
        """The spec path named in generated headers: relative to the root, ``/``-separated.

        The root is the project root; for a spec given without any
        configuration file it is the output directory. A spec outside the root
        is reached with ``..`` (``../specs/order.toml``), so the header always
        leads from the artifact's project to the spec and never depends on the
        working directory; only a spec on another drive is named by its file
        name alone.
        """
        try:
            name = Path(os.path.relpath(self.spec.resolve(), self.root.resolve())).as_posix()
        except ValueError:
            name = self.spec.name
        # A file name that is not UTF-8 (bytes kept as surrogates) cannot be
        # written into an output: show its undecodable bytes as U+FFFD.
        return os.fsencode(name).decode("utf-8", "replace")


@dataclass(frozen=True, slots=True)
class ProjectConfig:
    """The whole ``[tool.statusdoc]`` configuration of a project."""

    root: Path
    specs: tuple[SpecConfig, ...] = ()
    renderer: str = DEFAULT_RENDERER
    templates: Path | None = None
    timeout: float = DEFAULT_TIMEOUT
    allow_unsafe_rst: bool = False
    #: Warning rules (names) not to report for any spec: ``lint.allow``.
    allow: frozenset[str] = frozenset()
    focus: ViewSetting = "auto"
    overview: ViewSetting = "auto"
    #: The file the configuration was read from (None when none was found).
    file: Path | None = None

    @property
    def sources(self) -> tuple[tuple[Path, str], ...]:
        """Every configured spec and the configuration file, as (path, what) pairs:
        no output may replace one."""
        files = [(spec.spec, f"the spec {spec.source_name()}") for spec in self.specs]
        if self.file is not None:
            files.append((self.file, "the configuration file"))
        return tuple(files)

    def find_spec(self, path: Path) -> SpecConfig | None:
        """The configured spec whose file is ``path`` (None when not configured)."""
        target = path.resolve()
        for spec in self.specs:
            if spec.spec.resolve() == target:
                return spec
        return None

    def default_spec(
        self, spec: Path, *, output_dir: Path | None = None
    ) -> SpecConfig:
        """A :class:`SpecConfig` for a spec not in the configuration: every output kind,
        written next to the spec (or into ``output_dir``), project-wide settings."""
        spec = spec.absolute()
        out = (output_dir or spec.parent).absolute()
        # Without a configuration file the working directory is no anchor:
        # name the spec relative to its outputs, so headers never depend on cwd.
        root = self.root if self.file is not None else out
        return SpecConfig(
            spec=spec,
            output_dir=out,
            outputs=kinds.defaults(),
            renderer=self.renderer,
            templates=self.templates,
            timeout=self.timeout,
            allow_unsafe_rst=self.allow_unsafe_rst,
            allow=self.allow,
            focus=self.focus,
            overview=self.overview,
            root=root,
            configured=False,
            protected=self.sources,
        )


def _settings(
    table: Mapping[str, Any], defaults: ProjectConfig, root: Path, where: Callable[[str], str]
) -> dict[str, Any]:
    """The settings both the project and each spec may set (``renderer``, ``timeout``,
    ``templates``, ``allow-unsafe-rst``, ``lint``, ``focus``, ``overview``): a spec's
    default to its project's, the project's to statusdoc's. ``where(key)`` names a key
    in messages."""
    templates = defaults.templates
    if "templates" in table:
        templates = root / parse_path(table["templates"], where("templates"))
    return {
        "renderer": parse_renderer(table.get("renderer", defaults.renderer), where("renderer"),
                                   root),
        "timeout": parse_timeout(table.get("timeout", defaults.timeout), where("timeout")),
        "templates": templates,
        "allow_unsafe_rst": parse_bool(table.get("allow-unsafe-rst", defaults.allow_unsafe_rst),
                                  where("allow-unsafe-rst")),
        "allow": defaults.allow | parse_lint(table.get("lint", {}), where("lint")),
        "focus": parse_view(table.get("focus", defaults.focus), where("focus")),
        "overview": parse_view(table.get("overview", defaults.overview), where("overview")),
    }


def parse_config(
    data: Mapping[str, Any], config_dir: Path, file: Path | None = None
) -> ProjectConfig:
    """Build a :class:`ProjectConfig` from the ``[tool.statusdoc]`` table ``data``."""
    label = str(file) if file else "[tool.statusdoc]"
    if not isinstance(data, Mapping):
        raise ConfigError(f"{label}: [tool.statusdoc] must be a table")
    check_keys(data, PROJECT_KEYS, label)
    root = config_dir
    if "root" in data:
        root = (config_dir / parse_path(data["root"], f"{label}: root")).absolute()
        ensure_inside(root, config_dir, f"{label}: root")
    root = Path(os.path.normpath(root))
    settings = _settings(data, ProjectConfig(root=root), root, lambda key: f"{label}: {key}")
    project = ProjectConfig(root=root, file=file, **settings)
    raw_specs = data.get("specs", [])
    if not isinstance(raw_specs, list):
        raise ConfigError(f"{label}: specs must be an array of tables ([[tool.statusdoc.specs]])")
    specs = [_parse_spec(entry, i, project, label) for i, entry in enumerate(raw_specs)]
    project = replace(project, specs=tuple(specs))
    specs = [replace(spec, protected=project.sources) for spec in specs]
    for i, spec in enumerate(specs):
        check_outputs(spec, f"{label}: specs[{i}]")
    seen: dict[Path, str] = {}
    for spec in specs:
        for kind in spec.outputs:
            path = spec.output_path(kind)
            if path in seen:
                raise ConfigError(
                    f"{label}: {path} is the output of both {seen[path]} and "
                    f"{spec.source_name()} ({kind}); give one of them another name"
                )
            seen[path] = f"{spec.source_name()} ({kind})"
    return replace(project, specs=tuple(specs))


def check_settings(outputs: Iterable[str], settings: Mapping[str, Any], where: str) -> None:
    """Every output kind that needs settings (``sql``) has them, and no settings go unused."""
    outputs = tuple(outputs)
    for kind in outputs:
        key = kinds.get(kind).settings
        if key and key not in settings:
            raise ConfigError(
                f"{where}: output kind {kind!r} needs its settings: add {key} = {{ ... }} "
                f"to this spec's entry (see the configuration docs)")
    for key in settings:
        if not any(kinds.get(kind).settings == key for kind in outputs):
            users = [name for name, kind in kinds.KINDS.items() if kind.settings == key]
            raise ConfigError(f"{where}.{key}: no output uses it; add "
                              f"{kinds.one_of(tuple(map(repr, users)))} to outputs")


def _parse_spec(entry: Any, index: int, project: ProjectConfig, label: str) -> SpecConfig:
    where = f"{label}: specs[{index}]"
    if not isinstance(entry, dict):
        raise ConfigError(f"{where}: expected a table")
    check_keys(entry, SPEC_KEYS, where)
    if "spec" not in entry:
        raise ConfigError(f"{where}: missing required key 'spec'")
    root = project.root
    spec = Path(os.path.normpath(root / parse_path(entry["spec"], f"{where}.spec")))
    out_rel = (parse_path(entry["output-dir"], f"{where}.output-dir")
               if "output-dir" in entry else None)
    output_dir = (
        Path(os.path.normpath(root / out_rel)) if out_rel is not None else spec.parent
    )
    outputs_raw = entry.get("outputs", list(kinds.defaults()))
    if not isinstance(outputs_raw, list):
        raise ConfigError(f"{where}.outputs: expected a list such as [\"rst\", \"png\"]")
    outputs = parse_outputs(outputs_raw, f"{where}.outputs")
    table = entry.get("table")
    if table is not None:
        table = parse_str(table, f"{where}.table")
    settings = {key: kinds.parse_settings(key, entry[key], f"{where}.{key}")
                for key in kinds.SETTINGS if key in entry}
    check_settings(outputs, settings, where)
    config = SpecConfig(
        spec=spec,
        output_dir=output_dir,
        outputs=outputs,
        table=table,
        names=parse_names(entry.get("names", {}), f"{where}.names"),
        known=parse_known(entry.get(KNOWN_KEY, []), f"{where}.{KNOWN_KEY}"),
        root=root,
        settings=MappingProxyType(settings),
        **_settings(entry, project, root, lambda key: f"{where}.{key}"),
    )
    check_outputs_inside(config, where)
    return config


def find_config(start: Path | None = None) -> Path | None:
    """The nearest ``statusdoc.toml`` or ``pyproject.toml`` with ``[tool.statusdoc]``."""
    here = (start or Path.cwd()).absolute()
    if here.is_file():
        here = here.parent
    for directory in (here, *here.parents):
        standalone = directory / "statusdoc.toml"
        if standalone.is_file():
            return standalone
        pyproject = directory / "pyproject.toml"
        if pyproject.is_file():
            data = _read_toml(pyproject)
            if isinstance(data.get("tool"), dict) and "statusdoc" in data["tool"]:
                return pyproject
    return None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        data = read_regular(path, MAX_INPUT_BYTES)
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ConfigError(
            f"{path}: not UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
            "save it as UTF-8"
        ) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except ValueError:  # int() inside tomllib refuses that many digits
        raise ConfigError(
            f"{path}: number too long (more than {sys.get_int_max_str_digits():,} digits)"
        ) from None


def load_config(start: Path | None = None) -> ProjectConfig:
    """Find and parse the project configuration upward from ``start`` (default: cwd).

    Returns a configuration without specs, rooted at ``start``, when no
    configuration file exists. Raises :class:`ConfigError` on any mistake.
    """
    path = find_config(start)
    if path is None:
        base = (start or Path.cwd()).absolute()
        return ProjectConfig(root=base.parent if base.is_file() else base)
    return load_config_file(path)


def load_config_file(path: Path) -> ProjectConfig:
    """Parse one configuration file (``statusdoc.toml`` or ``pyproject.toml``)."""
    path = path.absolute()
    data = _read_toml(path)
    if path.name == "pyproject.toml":
        tool = data.get("tool", {})
        if not isinstance(tool, dict) or "statusdoc" not in tool:
            raise ConfigError(f"{path}: no [tool.statusdoc] table")
        data = tool["statusdoc"]
    elif "tool" in data and isinstance(data["tool"], dict) and "statusdoc" in data["tool"]:
        data = data["tool"]["statusdoc"]
    return parse_config(data, path.parent, path)
