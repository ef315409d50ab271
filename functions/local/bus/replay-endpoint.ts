import * as z from "zod";
import type { ReplayOptions, ReplayResult } from "../../adapters/local/local-event-bus-replay.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";

/** The `X-Amz-Target` of EventBridge's StartReplay. */
export const START_REPLAY_TARGET = "AWSEvents.StartReplay";

/** What replays archived events: the local bus's `replay`. */
export type Replayer = (options: ReplayOptions) => Promise<ReplayResult>;

// The SDKs send timestamps as epoch seconds; an ISO string is accepted too.
const timestamp = z.union([z.number(), z.string()]).transform((value, context) => {
  const time = typeof value === "number" ? new Date(value * 1000) : new Date(value);
  if (Number.isNaN(time.getTime())) {
    context.addIssue({ code: "custom", message: `${JSON.stringify(value)} is not a timestamp` });
    return z.NEVER;
  }
  return time;
});

/** A StartReplay request body as sent on the wire. */
export const startReplayBody = z.object({
  ReplayName: z.string().regex(/^[.\-_A-Za-z0-9]{1,64}$/, "must be 1 to 64 letters, digits, '.', '-' or '_'"),
  Description: z.string().optional(),
  EventSourceArn: z.string().min(1),
  EventStartTime: timestamp,
  EventEndTime: timestamp,
  Destination: z.object({ Arn: z.string().min(1), FilterArns: z.array(z.string()).optional() }),
});

/** An answer of the endpoint: the HTTP status and the JSON body (or error type and message). */
export type ReplayAnswer =
  | { readonly status: 200; readonly body: Record<string, unknown> }
  | { readonly status: 400 | 503; readonly errorType: string; readonly message: string };

/**
 * The rule name a replay filter names: the last part of a rule ARN
 * (`arn:aws:events:<region>:<account>:rule/<bus>/<name>`), or the name itself.
 *
 * @example
 * ```ts
 * ruleNameOf("arn:aws:events:us-east-1:000000000000:rule/shipline/ledger-on-shipline-event"); // "ledger-on-shipline-event"
 * ```
 */
export function ruleNameOf(filter: string): string {
  const arn = /^arn:[^:]+:events:[^:]*:[^:]*:rule\/(.+)$/.exec(filter);
  return arn?.[1]?.split("/").at(-1) ?? filter;
}

/**
 * EventBridge's StartReplay on the local bus: replays the archived events of `[EventStartTime,
 * EventEndTime)` to the rules named by `Destination.FilterArns` (rule ARNs or names; every rule when
 * absent), each with `replay-name` set. The local archive is the bus's only one, so
 * `EventSourceArn` is not checked. Answers as EventBridge does: `ReplayArn`, `State` (`RUNNING`:
 * deliveries go on in the background), `StateReason` with the counts, and `ReplayStartTime`.
 *
 * @example
 * ```ts
 * const answer = await startReplay(JSON.parse(body), (options) => bus.replay(options));
 * ```
 */
export async function startReplay(
  json: unknown,
  replay: Replayer | undefined,
  now = new Date(),
): Promise<ReplayAnswer> {
  if (replay === undefined) {
    return {
      status: 400,
      errorType: "UnknownOperationException",
      message: "This bus keeps no archive to replay",
    };
  }
  const parsed = startReplayBody.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    return {
      status: 400,
      errorType: "ValidationException",
      message: `${issue?.path.join(".") || "body"}: ${issue?.message ?? "invalid"}`,
    };
  }
  const request = parsed.data;
  const filters = request.Destination.FilterArns;
  try {
    const result = await replay({
      name: request.ReplayName,
      from: request.EventStartTime,
      to: request.EventEndTime,
      ...(filters === undefined || filters.length === 0 ? {} : { rules: filters.map(ruleNameOf) }),
    });
    return {
      status: 200,
      body: {
        ReplayArn: `arn:aws:events:local:000000000000:replay/${result.name}`,
        State: "RUNNING",
        StateReason: `replaying ${result.events} archived event(s) as ${result.deliveries} deliver${result.deliveries === 1 ? "y" : "ies"}`,
        ReplayStartTime: now.getTime() / 1000,
      },
    };
  } catch (error) {
    if (!(error instanceof ShiplineError)) throw error;
    return {
      status: error.retryable ? 503 : 400,
      errorType: error.retryable ? "InternalException" : "ValidationException",
      message: error.message,
    };
  }
}
