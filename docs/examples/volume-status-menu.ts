// A menu for a volume, built on the module statusdoc generates from
// examples/volume/volume-statuses.toml: deprecated statuses are shown but never
// offered, a return is offered only towards the status the volume came from, and
// a guarded move says its condition.
import { DEPRECATED, GUARDS, RETURNS, type StatusName, targets } from "./volume-statuses.js";

export interface MenuEntry {
  readonly status: StatusName;
  /** The guard of the move, in words, or "" without one. */
  readonly when: string;
}

/** The moves to offer from `current`; `previous` is the status the volume had before. */
export function menu(current: StatusName, previous: StatusName | null): MenuEntry[] {
  return targets(current)
    .filter((next) => !DEPRECATED.has(next))
    .filter((next) => !RETURNS.some(([from, to]) => from === current && to === next)
      || next === previous)
    .map((next) => ({
      status: next,
      when: GUARDS.find((g) => g.from === current && g.to === next)?.guard ?? "",
    }));
}
