import * as z from "zod";
import { durationSeconds } from "./duration.js";
import { choice, dnsName, flag, text } from "./fields.js";
import { say } from "./say.js";

/** Severities a policy may block at, most severe first. */
export const SEVERITY_THRESHOLDS = ["CRITICAL", "HIGH", "MEDIUM", "LOW"] as const;

/** One of {@link SEVERITY_THRESHOLDS}. */
export type SeverityThreshold = (typeof SEVERITY_THRESHOLDS)[number];

const date = z
  .string({ error: say("is not a date", "write a date as YYYY-MM-DD, quoted or not, e.g. 2026-06-30") })
  .refine(isCalendarDate, {
    error: (issue) =>
      say(`'${String(issue.input)}' is not a calendar date`, "write YYYY-MM-DD, e.g. 2026-06-30"),
  });

function isCalendarDate(value: string): boolean {
  const match = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (!match) return false;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  return date.getUTCFullYear() === year && date.getUTCMonth() === month - 1 && date.getUTCDate() === day;
}

/** A finding accepted despite the threshold, with a reason and an end date. */
const allowListEntry = z.strictObject({
  /** The finding's id: CVE-2024-3094, GHSA-xxxx-xxxx-xxxx, ALAS2-2024-2480, ... */
  id: text("the vulnerability id, e.g. CVE-2024-3094").regex(/^[A-Z][A-Z0-9]*-[A-Za-z0-9._:-]+$/, {
    error: (issue) =>
      say(
        `'${String(issue.input)}' is not a vulnerability id`,
        "write the id as the scanner reports it, e.g. CVE-2024-3094",
      ),
  }),
  /** Why it is accepted; shown in the verdict and the ledger. */
  reason: text("why the finding is accepted, e.g. not reachable: the parser is unused"),
  /** The last day (UTC) the entry applies; after it the finding blocks again. */
  expires: date,
  /** Limit the entry to these apps; absent: every app. */
  apps: z.array(dnsName("an app's name")).min(1).optional(),
});

/**
 * The scan gate's policy: which findings block an image from any environment.
 *
 * @example
 * ```ts
 * scanPolicy.parse({ severityThreshold: "HIGH", allowList: [{ id: "CVE-2024-3094", reason: "...", expires: "2026-06-30" }] });
 * ```
 */
export const scanPolicy = z
  .strictObject({
    /** Findings of this severity or above block the image. */
    severityThreshold: choice(SEVERITY_THRESHOLDS).default("HIGH"),
    /** Count only findings that have a fix available. */
    onlyFixable: flag(false),
    /** Findings accepted until a date. */
    allowList: z.array(allowListEntry).default([]),
    /** How long to wait for scan results after the push. */
    timeout: durationSeconds({ min: 60, max: 86_400 }).default(1_800),
    /** What a timeout means: `reject` (the safe default) or `approve`. */
    onTimeout: choice(["reject", "approve"]).default("reject"),
    /** A scan that failed or cannot cover the image (unsupported OS) rejects it. */
    failClosed: flag(true),
  })
  .transform(({ timeout, ...rest }) => ({
    ...rest,
    /** `timeout` in seconds. */
    timeoutSeconds: timeout,
  }))
  .prefault({});

/** The scan policy (output of {@link scanPolicy}); `timeoutSeconds` from `timeout`. */
export type ScanPolicy = z.output<typeof scanPolicy>;

/** One allow-list entry of the scan policy. */
export type AllowListEntry = ScanPolicy["allowList"][number];
