import { ShiplineError } from "../errors/shipline-error.js";

/** The error code of every rejected event pattern. */
export const INVALID_EVENT_PATTERN = "INVALID_EVENT_PATTERN";

/**
 * Builds the error for a pattern EventBridge would refuse with `InvalidEventPatternException`:
 * the message starts as EventBridge's does ("Event pattern is not valid. Reason: …") and names the
 * offending field by its dotted path.
 *
 * @example
 * ```ts
 * throw invalidPattern('"source" must be an object or an array', "source");
 * ```
 */
export function invalidPattern(reason: string, path: string): ShiplineError {
  const where = path === "" ? "the pattern root" : `field "${path}"`;
  return new ShiplineError({
    code: INVALID_EVENT_PATTERN,
    message: `Event pattern is not valid. Reason: ${reason} (at ${where})`,
    data: { reason, path, awsErrorCode: "InvalidEventPatternException" },
    retryable: false,
  });
}

/**
 * Joins a pattern path and a field name the way error messages show it (`detail.state`).
 *
 * @example
 * ```ts
 * joinPath("detail", "state"); // "detail.state"
 * ```
 */
export function joinPath(path: string, key: string): string {
  return path === "" ? key : `${path}.${key}`;
}
