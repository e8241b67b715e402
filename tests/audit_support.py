"""Generated status histories with known findings, for the audit tests and the benchmark."""

from __future__ import annotations

import csv
import datetime as dt
import random
from collections import deque
from collections.abc import Iterator
from pathlib import Path

import statusdoc

REPO = Path(__file__).resolve().parent.parent
GLANCE = REPO / "examples" / "glance" / "image-statuses.toml"

#: Two allowed transitions the generated history never makes.
UNUSED = (("queued", "deleted"), ("killed", "deleted"))
#: Three forbidden hops planted once each, by entity id.
PLANTED = {9001: ("saving", "queued"), 9002: ("active", "saving"), 9003: ("deleted", "active")}
START = dt.datetime(2024, 1, 1)

Row = tuple[int, str, dt.datetime]


def _route(machine: statusdoc.Machine, target: str, edges: set[tuple[str, str]]) -> list[str]:
    """Statuses of a shortest route from the entry to ``target`` over ``edges``."""
    back: dict[str, str | None] = {machine.initial: None}
    queue = deque([machine.initial])
    while queue:
        src = queue.popleft()
        for s, d in sorted(edges):
            if s == src and d not in back:
                back[d] = src
                queue.append(d)
    route: list[str] = []
    node: str | None = target
    while node is not None:
        route.append(node)
        node = back[node]
    return route[::-1]


def glance_history(extra: int = 200, seed: int = 15) -> Iterator[Row]:
    """``(id, status, at)`` rows: every Glance transition but :data:`UNUSED` made at
    least once, ``extra`` random walks more, and the :data:`PLANTED` hops."""
    machine = statusdoc.load(GLANCE)
    edges = {(s, d) for s, ds in machine.targets_by_state.items() for d in ds} - set(UNUSED)
    rng = random.Random(seed)
    walks = [[*_route(machine, s, edges), d] for s, d in sorted(edges)]
    for _ in range(extra):
        walk = [machine.initial]
        while len(walk) < 8:
            nexts = sorted(d for s, d in edges if s == walk[-1])
            if not nexts:
                break
            walk.append(rng.choice(nexts))
        walks.append(walk)
    for entity, walk in enumerate(walks, start=1):
        yield from _rows(entity, walk, rng)
    for entity, (src, dst) in PLANTED.items():
        yield from _rows(entity, [*_route(machine, src, edges), dst], rng)


def _rows(entity: int, walk: list[str], rng: random.Random) -> Iterator[Row]:
    at = START + dt.timedelta(minutes=entity)
    for status in walk:
        yield entity, status, at
        at += dt.timedelta(seconds=rng.randint(1, 3600))


def write_csv(path: Path, rows: Iterator[Row]) -> Path:
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["id", "status", "at"])
        for entity, status, at in rows:
            writer.writerow([entity, status, at.isoformat(sep=" ")])
    return path


def with_snapshots(rows: Iterator[Row]) -> Iterator[Row]:
    """``rows`` with every row repeated half a second later (rows of one entity are at
    least a second apart): a history of snapshots that also records unchanged statuses."""
    for entity, status, at in rows:
        yield entity, status, at
        yield entity, status, at + dt.timedelta(milliseconds=500)
