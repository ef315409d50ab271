import { createHash } from "node:crypto";
import {
  ChangeMessageVisibilityCommand,
  DeleteMessageCommand,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type {
  MessageQueue,
  ReceivedMessage,
  ReceiveOptions,
  SendMessageInput,
} from "../../core/ports/message-queue.js";

/** Options of {@link SqsWriteQueue}. */
export interface SqsWriteQueueOptions {
  /** The SQS client, created once per cold start. */
  readonly client: SQSClient;
  /** The queue's URL, e.g. the config repository's FIFO writer queue. */
  readonly queueUrl: string;
}

/** Errors SQS gives again for the same request: retrying cannot help. */
const PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  "InvalidParameterValue",
  "InvalidParameterValueException",
  "InvalidMessageContents",
  "MissingParameter",
  "QueueDoesNotExist",
  "UnsupportedOperation",
  "ReceiptHandleIsInvalid",
  "AccessDeniedException",
]);

/** FIFO group and deduplication ids: 1..128 characters of letters, digits and punctuation. */
const FIFO_ID = /^[\x21-\x7e]{1,128}$/;

const awsError = z.object({ name: z.string(), message: z.string().optional() });

/**
 * A FIFO group or deduplication id SQS accepts: the id itself when it has 1..128 printable ASCII
 * characters, else `sha256-` and the 64 hex characters of its SHA-256 (the same id always maps to
 * the same value, so grouping and deduplication still hold).
 *
 * @example
 * ```ts
 * fifoId("https://github.com/acme/deploy.git#main"); // unchanged
 * ```
 */
export function fifoId(id: string): string {
  return FIFO_ID.test(id) ? id : `sha256-${createHash("sha256").update(id).digest("hex")}`;
}

/**
 * The {@link MessageQueue} on SQS, e.g. the config repository's FIFO writer queue, to which the
 * promote and rollback steps send write intents: `MessageGroupId` is the message's group (one per
 * repository and branch) and `MessageDeduplicationId` its deduplication id (the intent id), both
 * passed through {@link fifoId}. Errors are `QUEUE_FAILED` ShiplineErrors naming the operation and
 * the queue, retryable unless SQS says the request itself is invalid.
 *
 * @example
 * ```ts
 * const queue = new SqsWriteQueue({ client: new SQSClient({}), queueUrl });
 * await queue.send({ body: JSON.stringify(intent), groupId: writeIntentGroupId(repo, "main"), deduplicationId: intent.intentId });
 * ```
 */
export class SqsWriteQueue implements MessageQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;

  constructor(options: SqsWriteQueueOptions) {
    this.#client = options.client;
    this.#queueUrl = options.queueUrl;
  }

  /** Sends one message. */
  async send(input: SendMessageInput): Promise<{ readonly messageId: string }> {
    const output = await this.#call("SendMessage", () =>
      this.#client.send(
        new SendMessageCommand({
          QueueUrl: this.#queueUrl,
          MessageBody: input.body,
          MessageGroupId: input.groupId === undefined ? undefined : fifoId(input.groupId),
          MessageDeduplicationId:
            input.deduplicationId === undefined ? undefined : fifoId(input.deduplicationId),
          DelaySeconds: input.delaySeconds,
        }),
      ),
    );
    if (output.MessageId === undefined) {
      throw new ShiplineError({
        code: "QUEUE_FAILED",
        message: `SendMessage to ${this.#queueUrl} returned no MessageId; the message may not be queued, so it is sent again`,
        data: { operation: "SendMessage", queueUrl: this.#queueUrl },
        retryable: true,
      });
    }
    return { messageId: output.MessageId };
  }

  /** Receives up to `maxMessages` messages, long polling for `waitTimeSeconds`. */
  async receive(options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    const output = await this.#call("ReceiveMessage", () =>
      this.#client.send(
        new ReceiveMessageCommand({
          QueueUrl: this.#queueUrl,
          MaxNumberOfMessages: options.maxMessages ?? 1,
          WaitTimeSeconds: options.waitTimeSeconds ?? 0,
          VisibilityTimeout: options.visibilityTimeoutSeconds,
          MessageSystemAttributeNames: ["ApproximateReceiveCount", "MessageGroupId"],
        }),
        { abortSignal: options.signal },
      ),
    );
    return (output.Messages ?? []).flatMap((message): ReceivedMessage[] => {
      if (message.MessageId === undefined || message.ReceiptHandle === undefined) return [];
      const groupId = message.Attributes?.MessageGroupId;
      return [
        {
          messageId: message.MessageId,
          receiptHandle: message.ReceiptHandle,
          body: message.Body ?? "",
          ...(groupId === undefined ? {} : { groupId }),
          receiveCount: Number(message.Attributes?.ApproximateReceiveCount ?? "1"),
        },
      ];
    });
  }

  /** Deletes a received message. */
  async delete(receiptHandle: string): Promise<void> {
    await this.#call("DeleteMessage", () =>
      this.#client.send(new DeleteMessageCommand({ QueueUrl: this.#queueUrl, ReceiptHandle: receiptHandle })),
    );
  }

  /** Hides a received message for another `visibilityTimeoutSeconds`. */
  async changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void> {
    await this.#call("ChangeMessageVisibility", () =>
      this.#client.send(
        new ChangeMessageVisibilityCommand({
          QueueUrl: this.#queueUrl,
          ReceiptHandle: receiptHandle,
          VisibilityTimeout: visibilityTimeoutSeconds,
        }),
      ),
    );
  }

  async #call<T>(operation: string, send: () => Promise<T>): Promise<T> {
    try {
      return await send();
    } catch (error) {
      const facts = awsError.safeParse(error);
      const errorName = facts.success ? facts.data.name : "UnknownError";
      const permanent = PERMANENT_ERRORS.has(errorName);
      const detail = facts.success && facts.data.message ? `: ${facts.data.message}` : "";
      throw new ShiplineError({
        code: "QUEUE_FAILED",
        message: `${operation} on ${this.#queueUrl} failed with ${errorName}${detail}; ${
          permanent
            ? "check the queue URL, that it is a FIFO queue when messages carry a group, and the function's sqs permissions"
            : "the invocation is retried"
        }`,
        data: { operation, queueUrl: this.#queueUrl, errorName },
        retryable: !permanent,
        cause: error,
      });
    }
  }
}
