import { createHash } from "node:crypto";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { SendMessageInput } from "../../core/ports/message-queue.js";

/** SQS's fixed deduplication window of FIFO queues. */
export const DEDUPLICATION_WINDOW_SECONDS = 300;

/** SQS's default largest message body. */
export const MAX_MESSAGE_BYTES = 262_144;

/**
 * Checks a message body the way SQS does: 1 byte to {@link MAX_MESSAGE_BYTES}, and only the
 * characters SQS accepts.
 *
 * @example
 * ```ts
 * checkBody("writer.fifo", JSON.stringify(intent));
 * ```
 */
export function checkBody(queue: string, body: string): void {
  const bytes = Buffer.byteLength(body);
  if (bytes === 0 || bytes > MAX_MESSAGE_BYTES) {
    throw queueMessageError(queue, `the body is ${bytes} bytes; send 1 to ${MAX_MESSAGE_BYTES} bytes`);
  }
  if (/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u.test(body)) {
    throw queueMessageError(
      queue,
      "the body holds characters SQS refuses (control characters or lone surrogates); encode it, e.g. as base64",
    );
  }
}

/**
 * The deduplication id of a message, applying SQS's rules: none on a standard queue (where setting
 * one is an error); on a FIFO queue a `groupId` is required, per-message delays are refused, and the
 * id is the explicit one or, with content-based deduplication, the body's sha256.
 *
 * @example
 * ```ts
 * const id = deduplicationIdOf("writer.fifo", true, true, { body, groupId: "repo#main" });
 * ```
 */
export function deduplicationIdOf(
  queue: string,
  fifo: boolean,
  contentBasedDeduplication: boolean,
  input: SendMessageInput,
): string | undefined {
  if (!fifo) {
    if (input.deduplicationId === undefined) return undefined;
    throw queueMessageError(
      queue,
      "a deduplicationId only applies to FIFO queues; leave it out or use a '.fifo' queue",
    );
  }
  if (!input.groupId) {
    throw queueMessageError(
      queue,
      "a FIFO queue needs a groupId on every message; set one, e.g. the config repo and branch",
    );
  }
  if (input.delaySeconds !== undefined) {
    throw queueMessageError(
      queue,
      "FIFO queues take no per-message delaySeconds; set delaySeconds on the queue instead",
    );
  }
  if (input.deduplicationId !== undefined) return input.deduplicationId;
  if (contentBasedDeduplication) return createHash("sha256").update(input.body).digest("hex");
  throw queueMessageError(
    queue,
    "the message has no deduplicationId; set one, or create the queue with contentBasedDeduplication: true",
  );
}

/**
 * Checks that a numeric parameter is a whole number within SQS's limits.
 *
 * @example
 * ```ts
 * const wait = wholeNumberIn("waitTimeSeconds", options.waitTimeSeconds ?? 0, 0, 20);
 * ```
 */
export function wholeNumberIn(name: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw queueParameterError(`${name} is ${value}; use a whole number from ${min} to ${max}`);
  }
  return value;
}

/** A `QUEUE_PARAMETER_INVALID` error (bad queue option or receive parameter). */
export function queueParameterError(message: string): ShiplineError {
  return new ShiplineError({ code: "QUEUE_PARAMETER_INVALID", message });
}

/** A `QUEUE_MESSAGE_INVALID` error (a message the queue refuses). */
export function queueMessageError(queue: string, reason: string): ShiplineError {
  return new ShiplineError({
    code: "QUEUE_MESSAGE_INVALID",
    message: `queue '${queue}' refuses the message: ${reason}`,
    data: { queue },
  });
}
