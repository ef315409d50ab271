import { randomUUID } from "node:crypto";
import { DetailType } from "../../core/contracts/detail-type.js";
import type { PublishRequest } from "../../core/ports/event-publisher.js";
import { writeIntent } from "../../core/writer/write-intent.js";

/** The local writer queue's dead-letter queue. */
export const WRITER_DEAD_LETTER_QUEUE = "config-writer-dlq.fifo";

/**
 * The `Step Failed` that records a write intent moved to the writer's dead-letter queue after its
 * last receive, so that its journey stops reading "still running": what it was for, how often it
 * was tried, and what to do. A body that is not a write intent is recorded without a journey.
 *
 * @example
 * ```ts
 * await publisher.publish([deadLetteredIntent({ body, receiveCount: 5 })]);
 * ```
 */
export function deadLetteredIntent(message: {
  readonly body: string;
  readonly receiveCount: number;
}): PublishRequest<typeof DetailType.StepFailed> {
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    body = undefined;
  }
  const intent = writeIntent.safeParse(body);
  const about = intent.success
    ? `the write intent ${intent.data.intentId} (${intent.data.app} ${intent.data.image.tag} into ${intent.data.environment})`
    : "a message that is not a write intent";
  return {
    detailType: DetailType.StepFailed,
    detail: {
      app: intent.success ? intent.data.app : null,
      commit: intent.success ? intent.data.commit : null,
      correlationId: intent.success ? intent.data.correlationId : `dead-letter-${randomUUID()}`,
      step: "config-writer",
      code: "WRITE_INTENT_DEAD_LETTERED",
      reason: `${about} failed ${message.receiveCount} times and was moved to the dead-letter queue ${WRITER_DEAD_LETTER_QUEUE}; the writer's last error is in shipline events; fix its cause, then send the intent again`,
      ...(intent.success ? { failedEventId: intent.data.intentId } : {}),
      data: {
        queue: WRITER_DEAD_LETTER_QUEUE,
        receiveCount: message.receiveCount,
        ...(intent.success ? { environment: intent.data.environment, file: intent.data.target.file } : {}),
      },
    },
  };
}
