/** How a real sample fared: as expected, a gap the project already knows of, or a mismatch. */
export type OutcomeStatus = "ok" | "known-gap" | "mismatch";

/** What Shipline's code did with one real sample (or one check on it). */
export interface Outcome {
  /** The sample, as a path under `../shared`. */
  readonly sample: string;
  readonly status: OutcomeStatus;
  /** What happened, in one line. */
  readonly what: string;
}

/** The sample was handled as the host's or AWS's documentation says it should be. */
export function ok(sample: string, what: string): Outcome {
  return { sample, status: "ok", what };
}

/** The sample's documented handling is not implemented yet; `area` names the issue area. */
export function knownGap(sample: string, area: string, what: string): Outcome {
  return { sample, status: "known-gap", what: `KNOWN GAP (${area}): ${what}` };
}

/** Shipline handled the sample, but not as documented. */
export function mismatch(sample: string, what: string): Outcome {
  return { sample, status: "mismatch", what };
}

/** Runs one check, turning an exception into a mismatch that names it. */
export async function checked(sample: string, check: () => Outcome | Promise<Outcome>): Promise<Outcome> {
  try {
    return await check();
  } catch (error) {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    return mismatch(sample, `threw ${message.split("\n")[0]}`);
  }
}

/** Every field where what Shipline gave differs from what was expected, one line each; empty when none. */
export function differences(expected: Record<string, unknown>, actual: Record<string, unknown>): string[] {
  return Object.entries(expected).flatMap(([key, value]) =>
    JSON.stringify(actual[key]) === JSON.stringify(value)
      ? []
      : [`${key} ${JSON.stringify(actual[key])}, expected ${JSON.stringify(value)}`],
  );
}

/** One line per outcome, in the order the checks ran. */
export function formatOutcome(outcome: Outcome): string {
  const label = { ok: "OK", "known-gap": "KNOWN GAP", mismatch: "MISMATCH" }[outcome.status];
  return `${label.padEnd(10)} ${outcome.sample} — ${outcome.what.replace(/^KNOWN GAP /, "")}`;
}
