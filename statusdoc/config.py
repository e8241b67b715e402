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

import math
import os
import sys
import tomllib
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from types import MappingProxyType
from typing import Any

from statusdoc import kinds
from statusdoc.errors import ConfigError, preview
from statusdoc.fsutil import MAX_INPUT_BYTES, read_regular
from statusdoc.known import KNOWN_KEY, KnownDifference, parse_known
from statusdoc.pathrules import (
    check_outputs,
    check_outputs_inside,
    check_path_text,
    ensure_inside,
)
from statusdoc.suggest import did_you_mean as _suggest

DEFAULT_RENDERER = "graphviz-pure"
DEFAULT_TIMEOUT = 60.0

PROJECT_KEYS = (
    "root", "renderer", "timeout", "templates", "allow-unsafe-rst", "lint", "specs",
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
            root=root,
            configured=False,
            protected=self.sources,
        )


def _check_keys(table: Mapping[str, Any], known: tuple[str, ...], where: str) -> None:
    for key in table:
        if key not in known:
            raise ConfigError(
                f"{where}: unknown key {preview(key)}{_suggest(key, known)}; known keys: "
                + ", ".join(known)
            )


def _str(value: Any, where: str) -> str:
    if not isinstance(value, str) or not value:
        raise ConfigError(f"{where}: expected a non-empty string, got {preview(value)}")
    if "\x00" in value:
        raise ConfigError(f"{where}: {preview(value)} contains a NUL character")
    return value


def _path(value: Any, where: str) -> str:
    """A configured path: a non-empty string the OS can take (:func:`check_path_text`)."""
    return check_path_text(_str(value, where), where)


def parse_timeout(value: Any, where: str) -> float:
    """Validate a time limit in seconds (a positive, finite number: not nan or inf)."""
    if isinstance(value, bool) or not isinstance(value, int | float) or not 0 < value < math.inf:
        raise ConfigError(f"{where}: expected a positive number of seconds, got {preview(value)}")
    return float(value)


def _bool(value: Any, where: str) -> bool:
    if not isinstance(value, bool):
        raise ConfigError(f"{where}: expected true or false, got {preview(value)}")
    return value


def parse_renderer(value: Any, where: str, root: Path | None = None) -> str:
    """Validate a renderer name; a relative ``command:`` path is made relative to ``root``."""
    text = _str(value, where)
    if root is not None and text.startswith("command:"):
        command = text[len("command:") :]
        if "/" in command and not os.path.isabs(command):
            text = f"command:{os.path.normpath(root / command)}"
    if text in ("graphviz-pure", "dot", "auto") or (
        text.startswith("command:") and len(text) > len("command:")
    ):
        return text
    raise ConfigError(
        f"{where}: unknown renderer {preview(text)}"
        f"{_suggest(text, ('graphviz-pure', 'dot', 'auto'))}"
        "; use graphviz-pure, dot, auto or command:/path/to/program"
    )


def _kind(name: Any, where: str) -> str:
    """``name`` when it names an output kind of :data:`statusdoc.kinds.KINDS`."""
    if name not in kinds.KINDS:
        known = kinds.names()
        raise ConfigError(
            f"{where}: unknown output kind {preview(name)}{_suggest(str(name), known)}; "
            "known: " + ", ".join(known)
        )
    return str(name)


def parse_outputs(values: Iterable[str], where: str = "--format") -> tuple[str, ...]:
    """Validate a list of output kinds (comma lists allowed); keep the canonical order."""
    wanted: list[str] = []
    for value in values:
        if not isinstance(value, str):
            raise ConfigError(f"{where}: expected output kind names, got {preview(value)}")
        wanted.extend(_kind(k, where) for k in (k.strip() for k in value.split(",")) if k)
    if not wanted:
        raise ConfigError(f"{where}: no output kinds given")
    return tuple(k for k in kinds.names() if k in wanted)


def parse_lint(value: Any, where: str) -> frozenset[str]:
    """``lint = { allow = [...] }``: the warning rules (names or codes) to allow."""
    from statusdoc.spec.rules import allowed_rules

    if not isinstance(value, dict):
        raise ConfigError(f'{where}: expected a table like {{ allow = ["ambiguous-event"] }}')
    _check_keys(value, ("allow",), where)
    entries = value.get("allow", [])
    if not isinstance(entries, list):
        raise ConfigError(f"{where}.allow: expected a list of rule names or codes")
    try:
        return allowed_rules(entries, f"{where}.allow")
    except ValueError as exc:
        raise ConfigError(str(exc)) from None


def _names(value: Any, where: str) -> Mapping[str, str]:
    if not isinstance(value, dict):
        raise ConfigError(f"{where}: expected a table like {{ rst = \"statuses.rst\" }}")
    out: dict[str, str] = {}
    for kind, name in value.items():
        _kind(kind, where)
        name = _path(name, f"{where}.{kind}")
        if "/" in name or "\\" in name or name in (".", ".."):
            raise ConfigError(f"{where}.{kind}: {preview(name)} must be a plain file name")
        out[kind] = name
    return MappingProxyType(out)


def _settings(
    table: Mapping[str, Any], defaults: ProjectConfig, root: Path, where: Callable[[str], str]
) -> dict[str, Any]:
    """The settings both the project and each spec may set (``renderer``, ``timeout``,
    ``templates``, ``allow-unsafe-rst``, ``lint``): a spec's default to its project's,
    the project's to statusdoc's. ``where(key)`` names a key in messages."""
    templates = defaults.templates
    if "templates" in table:
        templates = root / _path(table["templates"], where("templates"))
    return {
        "renderer": parse_renderer(table.get("renderer", defaults.renderer), where("renderer"),
                                   root),
        "timeout": parse_timeout(table.get("timeout", defaults.timeout), where("timeout")),
        "templates": templates,
        "allow_unsafe_rst": _bool(table.get("allow-unsafe-rst", defaults.allow_unsafe_rst),
                                  where("allow-unsafe-rst")),
        "allow": defaults.allow | parse_lint(table.get("lint", {}), where("lint")),
    }


def parse_config(
    data: Mapping[str, Any], config_dir: Path, file: Path | None = None
) -> ProjectConfig:
    """Build a :class:`ProjectConfig` from the ``[tool.statusdoc]`` table ``data``."""
    label = str(file) if file else "[tool.statusdoc]"
    if not isinstance(data, Mapping):
        raise ConfigError(f"{label}: [tool.statusdoc] must be a table")
    _check_keys(data, PROJECT_KEYS, label)
    root = config_dir
    if "root" in data:
        root = (config_dir / _path(data["root"], f"{label}: root")).absolute()
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
    _check_keys(entry, SPEC_KEYS, where)
    if "spec" not in entry:
        raise ConfigError(f"{where}: missing required key 'spec'")
    root = project.root
    spec = Path(os.path.normpath(root / _path(entry["spec"], f"{where}.spec")))
    out_rel = _path(entry["output-dir"], f"{where}.output-dir") if "output-dir" in entry else None
    output_dir = (
        Path(os.path.normpath(root / out_rel)) if out_rel is not None else spec.parent
    )
    outputs_raw = entry.get("outputs", list(kinds.defaults()))
    if not isinstance(outputs_raw, list):
        raise ConfigError(f"{where}.outputs: expected a list such as [\"rst\", \"png\"]")
    outputs = parse_outputs(outputs_raw, f"{where}.outputs")
    table = entry.get("table")
    if table is not None:
        table = _str(table, f"{where}.table")
    settings = {key: kinds.parse_settings(key, entry[key], f"{where}.{key}")
                for key in kinds.SETTINGS if key in entry}
    check_settings(outputs, settings, where)
    config = SpecConfig(
        spec=spec,
        output_dir=output_dir,
        outputs=outputs,
        table=table,
        names=_names(entry.get("names", {}), f"{where}.names"),
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
