/** Separates what is wrong from how to fix it inside a zod issue message. */
const SEPARATOR = "; ";

/**
 * Joins what is wrong and how to fix it into one zod issue message; {@link unsay} splits it again
 * when the issue becomes a {@link ConfigProblem}. `what` must not contain `"; "`.
 *
 * @example
 * ```ts
 * ctx.addIssue({ code: "custom", message: say("'7x' is not a duration", "write 30s, 10m or 1h") });
 * ```
 */
export function say(what: string, fix: string): string {
  return `${what.replaceAll(SEPARATOR, ", ")}${SEPARATOR}${fix}`;
}

/**
 * Splits a message written by {@link say}; a message without a fix gets `fallbackFix`.
 *
 * @example
 * ```ts
 * unsay("is empty; give it a value", "see the example file"); // { message: "is empty", fix: "give it a value" }
 * ```
 */
export function unsay(text: string, fallbackFix: string): { message: string; fix: string } {
  const at = text.indexOf(SEPARATOR);
  if (at < 0) return { message: text, fix: fallbackFix };
  return { message: text.slice(0, at), fix: text.slice(at + SEPARATOR.length) };
}

/**
 * Suggests the candidate closest to a misspelt value, if one is close enough to be a likely typo.
 *
 * @example
 * ```ts
 * didYouMean("promotFrom", ["name", "promoteFrom"]); // "promoteFrom"
 * ```
 */
export function didYouMean(value: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const distance = editDistance(value.toLowerCase(), candidate.toLowerCase());
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(1, Math.floor(best.length / 3)) ? best : undefined;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}
