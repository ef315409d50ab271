import * as z from "zod";
import { formatIssues } from "../core/contracts/format-issues.js";
import { ShiplineError } from "../core/errors/shipline-error.js";
import { type WriteIntent, writeIntent } from "../core/writer/write-intent.js";

/** The parts of an SQS record the config writer reads (FIFO queues always set `MessageGroupId`). */
const sqsRecord = z.object({
  messageId: z.string().min(1),
  body: z.string(),
  attributes: z.object({ MessageGroupId: z.string().min(1) }).loose(),
});

/** The SQS event Lambda hands the config writer: a batch of records of its FIFO queue. */
export const writerQueueEvent = z.object({ Records: z.array(sqsRecord) });

/** One record of the writer queue, with its body parsed as a write intent when it is one. */
export interface WriterMessage {
  /** SQS's message id: what `batchItemFailures` names. */
  readonly messageId: string;
  /** The message's FIFO group (`writeIntentGroupId(repository, branch)`, as the producer sent it). */
  readonly groupId: string;
  /** The intent, or the permanent `WRITE_INTENT_INVALID` error of a body that is not one. */
  readonly intent: WriteIntent | ShiplineError;
}

/**
 * Reads the writer queue's SQS event into its message groups, each in queue order (Lambda keeps a
 * FIFO group's order within a batch), groups in the order they first appear. A body that is not a
 * write intent becomes a permanent `WRITE_INTENT_INVALID` error in place of its intent; an event
 * that is not an SQS batch at all throws a permanent `EVENT_INVALID`.
 *
 * @example
 * ```ts
 * for (const [groupId, messages] of writerBatchGroups(event)) await writeGroup(groupId, messages);
 * ```
 */
export function writerBatchGroups(raw: unknown): Map<string, WriterMessage[]> {
  const parsed = writerQueueEvent.safeParse(raw);
  if (!parsed.success) {
    const problems = formatIssues(parsed.error.issues);
    throw new ShiplineError({
      code: "EVENT_INVALID",
      message: `the config writer expects an SQS event of its FIFO queue: ${problems.join("; ")}; check the function's event source mapping`,
      data: { problems },
    });
  }
  const groups = new Map<string, WriterMessage[]>();
  for (const record of parsed.data.Records) {
    const groupId = record.attributes.MessageGroupId;
    const message: WriterMessage = { messageId: record.messageId, groupId, intent: intentOf(record) };
    groups.set(groupId, [...(groups.get(groupId) ?? []), message]);
  }
  return groups;
}

function intentOf(record: z.output<typeof sqsRecord>): WriteIntent | ShiplineError {
  let body: unknown;
  try {
    body = JSON.parse(record.body);
  } catch {
    body = undefined;
  }
  const parsed = writeIntent.safeParse(body);
  if (parsed.success) return parsed.data;
  const problems = body === undefined ? ["body: is not JSON"] : formatIssues(parsed.error.issues);
  return new ShiplineError({
    code: "WRITE_INTENT_INVALID",
    message: `message ${record.messageId} on the writer queue is not a write intent (${problems
      .slice(0, 3)
      .join("; ")}); it was dropped: fix the producer that sent it`,
    data: { messageId: record.messageId, groupId: record.attributes.MessageGroupId, problems },
  });
}
