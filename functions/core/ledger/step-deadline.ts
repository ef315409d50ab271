import { DetailType } from "../contracts/detail-type.js";
import type { JourneyHop } from "./ledger-hop.js";

/** The deadlines a journey's steps get, in seconds; each has a default. */
export interface StepDeadlines {
  /** From a push to its build starting, an image to its promotion, a commit to its sync. @default 300 */
  readonly handoffSeconds?: number;
  /** A build, from start to its image. @default 3600 */
  readonly buildSeconds?: number;
  /** A scan, from the image to the gate's verdict (the scan policy's timeout). @default 1800 */
  readonly scanSeconds?: number;
  /** A deployment, from the sync request to its verification (by environment). @default 300 */
  readonly verifySeconds?: Readonly<Record<string, number>>;
}

/** The margin past a step's own deadline before the journey reads stuck (retries, clocks). */
const GRACE_SECONDS = 60;

/**
 * What a journey whose last hop is `hop` waits on, and how long that may take before the journey is
 * stuck: the build after `Build Started`, the scan after `Image Pushed` / `Build Succeeded`, the
 * cluster agent after `Sync Requested`, the next step otherwise. `undefined` for a hop after which
 * the journey may rightly wait (a person, a pull request, a hold, the soak time, an end).
 *
 * @example
 * ```ts
 * stepDeadline(lastHop, { verifySeconds: { production: 600 } }); // { waitsOn: "the cluster agent (production)", seconds: 660 }
 * ```
 */
export function stepDeadline(
  hop: JourneyHop,
  deadlines: StepDeadlines = {},
): { readonly waitsOn: string; readonly seconds: number } | undefined {
  const handoff = (deadlines.handoffSeconds ?? 300) + GRACE_SECONDS;
  switch (hop.detailType) {
    case DetailType.CommitPushed:
      return { waitsOn: "start-build", seconds: handoff };
    case DetailType.BuildStarted:
      return { waitsOn: "the build", seconds: (deadlines.buildSeconds ?? 3600) + GRACE_SECONDS };
    case DetailType.BuildSucceeded:
    case DetailType.ImagePushed:
      return { waitsOn: "the scan gate", seconds: (deadlines.scanSeconds ?? 1800) + GRACE_SECONDS };
    case DetailType.ImageApproved:
      return { waitsOn: "promote", seconds: handoff };
    case DetailType.ConfigCommitted:
      return { waitsOn: "dispatch-sync", seconds: handoff };
    case DetailType.SyncRequested: {
      const environment = hop.environment ?? "?";
      const verify = deadlines.verifySeconds?.[environment] ?? 300;
      return { waitsOn: `the cluster agent (${environment})`, seconds: verify + GRACE_SECONDS };
    }
    default:
      return undefined;
  }
}
