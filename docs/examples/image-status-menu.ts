// A status menu that offers only the moves the backend accepts, built on the module
// statusdoc generates from examples/glance/image-statuses.toml (the "typescript" output).
import {
  InvalidTransition,
  type StatusName,
  assertTransition,
  isStatus,
  targets,
} from "./image-statuses.js";

/** The menu entries for an image in `current`: only the statuses the spec allows next. */
export function nextStatuses(current: StatusName): readonly StatusName[] {
  return targets(current);
}

/** A status from an API response: narrowed before use, as it is untyped JSON. */
export function parseStatus(value: unknown): StatusName {
  if (!isStatus(value)) {
    throw new TypeError(`not an image status: ${JSON.stringify(value)}`);
  }
  return value;
}

/** Why the backend would refuse `current -> next` (its own message), or null. */
export function refusal(current: StatusName, next: StatusName): string | null {
  try {
    assertTransition(current, next);
    return null;
  } catch (error) {
    if (error instanceof InvalidTransition) {
      return error.message;
    }
    throw error;
  }
}
