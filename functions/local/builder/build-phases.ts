/** The phases of a CodeBuild build, in the order they run. */
export const BUILD_PHASES = [
  "SUBMITTED",
  "PROVISIONING",
  "DOWNLOAD_SOURCE",
  "INSTALL",
  "PRE_BUILD",
  "BUILD",
  "POST_BUILD",
  "UPLOAD_ARTIFACTS",
  "FINALIZING",
  "COMPLETED",
] as const;

/** One of {@link BUILD_PHASES}. */
export type BuildPhaseType = (typeof BUILD_PHASES)[number];

/** A phase as recorded while the build runs. */
export interface PhaseRecord {
  readonly type: BuildPhaseType;
  readonly start: Date;
  end?: Date;
  status?: "SUCCEEDED" | "FAILED";
  /** Why it failed, as CodeBuild's `phase-context` (e.g. `COMMAND_EXECUTION_ERROR: ...`). */
  context: string[];
}

const MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/**
 * Formats a time as CodeBuild's events do (`Sep 1, 2017 4:12:29 PM`), in UTC.
 *
 * @example
 * ```ts
 * codeBuildTime(new Date("2017-09-01T16:12:29Z")); // "Sep 1, 2017 4:12:29 PM"
 * ```
 */
export function codeBuildTime(time: Date): string {
  const hours = time.getUTCHours();
  const twelve = hours % 12 === 0 ? 12 : hours % 12;
  const pad = (value: number) => String(value).padStart(2, "0");
  return `${MONTHS[time.getUTCMonth()]} ${time.getUTCDate()}, ${time.getUTCFullYear()} ${twelve}:${pad(time.getUTCMinutes())}:${pad(time.getUTCSeconds())} ${hours < 12 ? "AM" : "PM"}`;
}

/**
 * A recorded phase in the shape of the event's `phases[]`; the open `COMPLETED` phase has only its
 * type and start, as in CodeBuild's events.
 *
 * @example
 * ```ts
 * phaseOfEvent({ type: "BUILD", start, end, status: "SUCCEEDED", context: [] });
 * ```
 */
export function phaseOfEvent(phase: PhaseRecord): Record<string, unknown> {
  if (phase.end === undefined) return { "start-time": codeBuildTime(phase.start), "phase-type": phase.type };
  return {
    "phase-context": phase.context,
    "start-time": codeBuildTime(phase.start),
    "end-time": codeBuildTime(phase.end),
    "duration-in-seconds": Math.round((phase.end.getTime() - phase.start.getTime()) / 1000),
    "phase-type": phase.type,
    "phase-status": phase.status ?? "SUCCEEDED",
  };
}
