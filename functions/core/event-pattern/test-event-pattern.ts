import { compilePattern } from "./compile-pattern.js";
import { invalidPattern } from "./invalid-pattern.js";
import { matches } from "./matches.js";

/**
 * The pure core of EventBridge's `TestEventPattern`: validates the pattern (throwing
 * `INVALID_EVENT_PATTERN` with the reason) and tells whether the event matches it. Both may be
 * given as JSON text or as parsed values.
 *
 * @example
 * ```ts
 * testEventPattern('{"source":["aws.ecr"]}', '{"source":"aws.ecr"}'); // true
 * ```
 */
export function testEventPattern(pattern: unknown, event: unknown): boolean {
  const compiled = compilePattern(pattern);
  let parsed = event;
  if (typeof event === "string") {
    try {
      parsed = JSON.parse(event);
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      throw invalidPattern(`Event is not valid JSON: ${detail}`, "");
    }
  }
  return matches(compiled, parsed);
}
