import * as z from "zod";

/**
 * The EventBridge envelope every delivered event has, whatever its source. `detail` is left
 * unknown here; the contract of its detail type parses it.
 */
export const eventEnvelope = z.object({
  version: z.string(),
  id: z.string().min(1),
  "detail-type": z.string().min(1),
  source: z.string().min(1),
  account: z.string(),
  time: z.string(),
  region: z.string(),
  resources: z.array(z.string()),
  detail: z.unknown(),
  "replay-name": z.string().optional(),
});

/** An EventBridge event as delivered to a target. */
export type EventEnvelope = z.infer<typeof eventEnvelope>;

/**
 * Builds the envelope schema of an event whose `detail` follows `detail`.
 *
 * @example
 * ```ts
 * const schema = envelopeOf(ecrImageActionDetail);
 * ```
 */
export function envelopeOf<D extends z.ZodType>(detail: D) {
  return eventEnvelope.extend({ detail });
}
