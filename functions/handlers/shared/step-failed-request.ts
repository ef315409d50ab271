import * as z from "zod";
import { DetailType } from "../../core/contracts/detail-type.js";
import type { ShiplineError } from "../../core/errors/shipline-error.js";
import type { PublishRequest } from "../../core/ports/event-publisher.js";
import type { StepName } from "../../core/topology/rule-definition.js";

/** The longest `reason` a Step Failed event carries; longer messages are cut. */
export const MAX_REASON_LENGTH = 4096;

/** The largest `data` (as JSON) a Step Failed event carries; larger data is replaced by a note. */
export const MAX_DATA_LENGTH = 64 * 1024;

/**
 * What can be read from any raw event, however broken: every field is optional and a field of
 * the wrong type reads as absent.
 */
const rawEvent = z.object({
  id: z.string().min(1).optional().catch(undefined),
  source: z.string().optional().catch(undefined),
  "detail-type": z.string().min(1).optional().catch(undefined),
  detail: z
    .object({
      app: z.string().nullable().optional().catch(undefined),
      commit: z.string().nullable().optional().catch(undefined),
      correlationId: z.string().min(1).max(256).optional().catch(undefined),
    })
    .optional()
    .catch(undefined),
});

/** The fields of a raw event that identify it. */
export interface RawEventFacts {
  readonly id?: string;
  readonly source?: string;
  readonly detailType?: string;
  readonly app?: string | null;
  readonly commit?: string | null;
  readonly correlationId?: string;
}

/**
 * Reads what identifies an event (id, detail type, app, commit, correlation id) without trusting
 * its shape, so that even an event that breaks its contract can be logged and recorded.
 *
 * @example
 * ```ts
 * const { correlationId } = rawEventFacts(event);
 * ```
 */
export function rawEventFacts(raw: unknown): RawEventFacts {
  const result = rawEvent.safeParse(raw);
  if (!result.success) return {};
  const { id, source, detail } = result.data;
  return {
    id,
    source,
    detailType: result.data["detail-type"],
    app: detail?.app,
    commit: detail?.commit,
    correlationId: detail?.correlationId,
  };
}

/** Options of {@link stepFailedRequest}. */
export interface StepFailedRequestOptions {
  /** The step that failed. */
  readonly step: StepName;
  /** The permanent error. */
  readonly error: ShiplineError;
  /** The event the step was handling, as delivered. */
  readonly event: unknown;
  /** The correlation id of the journey (the event's, or the event id). */
  readonly correlationId: string;
}

/**
 * Builds the `Step Failed` event that records a permanent failure: the step, the error's code,
 * message and data, and the failed event's id, detail type, app and commit when it had them.
 *
 * @example
 * ```ts
 * await publisher.publish([stepFailedRequest({ step: "start-build", error, event, correlationId })]);
 * ```
 */
export function stepFailedRequest(options: StepFailedRequestOptions): PublishRequest<"Step Failed"> {
  const facts = rawEventFacts(options.event);
  return {
    detailType: DetailType.StepFailed,
    detail: {
      app: facts.app ?? null,
      commit: facts.commit ?? null,
      correlationId: options.correlationId,
      step: options.step,
      code: options.error.code,
      reason: truncate(options.error.message || options.error.code, MAX_REASON_LENGTH),
      failedEventId: facts.id,
      failedDetailType: facts.detailType,
      data: boundedData(options.error.data),
    },
  };
}

function truncate(text: string, limit: number): string {
  return text.length <= limit ? text : `${text.slice(0, limit - 1)}…`;
}

/** The error's data as plain JSON, or a note when it cannot be serialised or is too large. */
function boundedData(data: Readonly<Record<string, unknown>>): Record<string, unknown> {
  let json: string;
  try {
    json = JSON.stringify(data);
  } catch (error) {
    return { omitted: `data is not serialisable: ${error instanceof Error ? error.message : String(error)}` };
  }
  if (json.length > MAX_DATA_LENGTH)
    return { omitted: `data is ${json.length} characters, over ${MAX_DATA_LENGTH}` };
  return z.record(z.string(), z.unknown()).parse(JSON.parse(json));
}
