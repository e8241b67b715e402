"""``statusdoc render FILE.dot -o OUT``: render a DOT file to a stamped PNG or SVG."""

from __future__ import annotations

import argparse
import sys

from statusdoc import kinds
from statusdoc.errors import EXIT_OK, RenderError, UnreadableInput, UsageError


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "render",
        help="render a DOT file to a stamped PNG or SVG",
        description="Render FILE.dot with the configured renderer (default graphviz-pure) "
        "and write OUT atomically, stamped with the SHA-256 of the DOT. "
        "Exit 0 ok, 1 render or write failure (or input that is not UTF-8), 2 usage error "
        "(unknown format, unreadable input, missing output directory).",
    )
    p.add_argument("dot", metavar="FILE.dot", help="Graphviz DOT source ('-' for stdin)")
    p.add_argument("-o", "--output", required=True, metavar="OUT", help="image to write")
    p.add_argument(
        "--format", choices=kinds.rendered(),
        help="image format (default: from the suffix of OUT)",
    )
    p.add_argument("--renderer", metavar="NAME", help="graphviz-pure, dot, auto or command:/path")
    p.add_argument("--timeout", type=float, metavar="SECONDS", help="time limit (default 60)")
    p.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from statusdoc.fsutil import write_atomic
    from statusdoc.render import render

    out = Path(args.output)
    by_suffix = {kinds.get(k).suffix: k for k in kinds.rendered()}
    fmt = args.format or by_suffix.get(out.suffix.lower())
    if fmt is None:
        raise UsageError(f"cannot tell the format of {args.output!r}; name it "
                         f"{kinds.one_of(tuple(by_suffix))}, or pass --format")
    renderer, timeout = renderer_settings(args.renderer, args.timeout)
    if not out.parent.is_dir():
        raise UsageError(f"cannot write {args.output}: directory {out.parent} does not "
                         "exist (create it first)")
    try:
        source = _read_dot(args.dot)
    except OSError as exc:
        name = "standard input" if args.dot == "-" else args.dot
        raise UnreadableInput(f"cannot read {name}: {exc.strerror}", str(exc.strerror)) from None
    except UnicodeDecodeError as exc:
        raise RenderError(f"{args.dot} is not UTF-8: {exc}") from None
    image = render(source, fmt, renderer=renderer, timeout=timeout, spec=args.dot)
    write_atomic(out, image)
    return EXIT_OK


def renderer_settings(renderer: str | None, timeout: float | None) -> tuple[str, float]:
    """The renderer and time limit of a command drawing one DOT: the options given,
    else the project's configuration, else graphviz-pure and 60 seconds."""
    from statusdoc.config import load_config
    from statusdoc.configvalues import parse_renderer, parse_timeout

    project = load_config() if renderer is None or timeout is None else None
    chosen = parse_renderer(renderer or (project.renderer if project else "graphviz-pure"),
                            "--renderer")
    seconds = parse_timeout(timeout if timeout is not None else
                            (project.timeout if project else 60), "--timeout")
    return chosen, seconds


def _read_dot(name: str) -> str:
    """The DOT source in file ``name`` (``-``: standard input), at most 5 MiB of it."""
    from statusdoc.fsutil import MAX_INPUT_BYTES, FileTooLargeError, read_regular

    if name != "-":
        return read_regular(name, MAX_INPUT_BYTES).decode("utf-8")
    data = sys.stdin.buffer.read(MAX_INPUT_BYTES + 1)
    if len(data) > MAX_INPUT_BYTES:
        raise FileTooLargeError(0, f"larger than the limit of {MAX_INPUT_BYTES:,} bytes")
    return data.decode("utf-8")
