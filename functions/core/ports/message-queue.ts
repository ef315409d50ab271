/** A message to put on a queue. */
export interface SendMessageInput {
  readonly body: string;
  /** FIFO queues: messages of one group are delivered in order, one in flight at a time. */
  readonly groupId?: string;
  /** FIFO queues: a second message with this id within the deduplication window is dropped. */
  readonly deduplicationId?: string;
  readonly delaySeconds?: number;
}

/** A received message. */
export interface ReceivedMessage {
  readonly messageId: string;
  /** Handle for delete / changeVisibility; valid for this receipt only. */
  readonly receiptHandle: string;
  readonly body: string;
  readonly groupId?: string;
  /** How many times the message has been received, this time included. */
  readonly receiveCount: number;
}

/** Options for {@link MessageQueue.receive}. */
export interface ReceiveOptions {
  /** 1..10. @default 1 */
  readonly maxMessages?: number;
  /** Long polling: wait up to this long for a message. @default 0 */
  readonly waitTimeSeconds?: number;
  /** Hide received messages this long. @default - the queue's visibility timeout */
  readonly visibilityTimeoutSeconds?: number;
  /** Ends a long poll early (shutdown). */
  readonly signal?: AbortSignal;
}

/**
 * Port for a queue with SQS semantics: SQS in AWS, an in-process queue locally.
 *
 * @example
 * ```ts
 * const [message] = await queue.receive({ waitTimeSeconds: 20 });
 * if (message) { await handle(message.body); await queue.delete(message.receiptHandle); }
 * ```
 */
export interface MessageQueue {
  send(input: SendMessageInput): Promise<{ readonly messageId: string }>;
  receive(options?: ReceiveOptions): Promise<ReceivedMessage[]>;
  delete(receiptHandle: string): Promise<void>;
  changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void>;
}
