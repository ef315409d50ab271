import type * as z from "zod";
import { formatIssues } from "../contracts/format-issues.js";
import { ShiplineError } from "../errors/shipline-error.js";

/** The code of the error thrown when a payload does not have the shape Shipline reads. */
export const WEBHOOK_PAYLOAD_INVALID = "WEBHOOK_PAYLOAD_INVALID";

/**
 * Parses a decoded webhook payload with its schema. Throws a permanent `WEBHOOK_PAYLOAD_INVALID`
 * error naming every field that is missing or of the wrong type (field names and expected types
 * only, never the values), which `classifyWebhook` turns into a 400 answer.
 *
 * @example
 * ```ts
 * const push = parseWebhookPayload(githubPushPayload, payload, "GitHub push payload");
 * ```
 */
export function parseWebhookPayload<S extends z.ZodType>(
  schema: S,
  payload: unknown,
  what: string,
): z.output<S> {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const problems = formatIssues(result.error.issues);
  throw new ShiplineError({
    code: WEBHOOK_PAYLOAD_INVALID,
    message: `${what} is not of the expected shape: ${problems.join("; ")}`,
    data: { problems },
    retryable: false,
  });
}
