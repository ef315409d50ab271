import { randomUUID } from "node:crypto";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import type {
  MessageQueue,
  ReceivedMessage,
  ReceiveOptions,
  SendMessageInput,
} from "../../core/ports/message-queue.js";
import { readQueueJournal, writeQueueJournal } from "./local-queue-journal.js";
import {
  checkBody,
  DEDUPLICATION_WINDOW_SECONDS,
  deduplicationIdOf,
  queueParameterError,
  wholeNumberIn,
} from "./local-queue-limits.js";

/** Where a queue's messages go after too many receives. */
export interface RedrivePolicy {
  /** The dead-letter queue; FIFO for a FIFO queue, standard for a standard one. */
  readonly deadLetterQueue: LocalMessageQueue;
  /** Receives allowed before the message moves on the next attempt (1..1000). */
  readonly maxReceiveCount: number;
  /** Told about each message moved to the dead-letter queue (the runtime records why). */
  readonly onMoved?: (message: { readonly body: string; readonly receiveCount: number }) => void;
}

/** Options of {@link LocalMessageQueue}. */
export interface LocalMessageQueueOptions {
  /** Queue name as in SQS: letters, digits, `-` and `_`, and the `.fifo` suffix for a FIFO queue. */
  readonly name: string;
  /** How long a received message stays hidden (0..43200 s). @default 30 */
  readonly visibilityTimeoutSeconds?: number;
  /** Delay of every new message (0..900 s). @default 0 */
  readonly delaySeconds?: number;
  /** How long an undeleted message is kept (60..1209600 s). @default 345600 (4 days) */
  readonly retentionSeconds?: number;
  /** FIFO: deduplicate by the body's sha256 when a message has no deduplication id. @default false */
  readonly contentBasedDeduplication?: boolean;
  /** Moves a message to a dead-letter queue after `maxReceiveCount` receives. */
  readonly redrive?: RedrivePolicy;
  /** @default - the system clock */
  readonly clock?: Clock;
  /**
   * A file that keeps the queue's messages across restarts of the runtime, as SQS keeps them: it is
   * read when the queue is made and written after every change. A message in flight when the
   * runtime stopped is receivable again at once.
   * @default - messages live in memory only
   */
  readonly journalFile?: string;
}

interface StoredMessage {
  readonly id: string;
  readonly body: string;
  readonly groupId?: string;
  readonly sentAt: number;
  /** Hidden until then: by a delay before the first receive, by the visibility timeout after one. */
  visibleAt: number;
  receiveCount: number;
  /** The receipt of the latest receive; older receipts no longer act on the message. */
  receipt?: string;
}

/** Approximate counts, as SQS reports them (queue depth, messages in flight, delayed messages). */
export interface QueueCounts {
  readonly visible: number;
  readonly inFlight: number;
  readonly delayed: number;
}

/**
 * An in-process queue with SQS semantics, the local stand-in for SQS. Standard queues deliver at
 * least once in roughly send order. FIFO queues (name ending in `.fifo`) need a `groupId`, deliver
 * each group in order and hold a group back while any of its messages is in flight (one receive may
 * take several messages of a group, in order, as SQS does), and drop a message whose deduplication id
 * (explicit, or the body's sha256 with `contentBasedDeduplication`) was seen in the last 5 minutes.
 * A received message is hidden for the visibility timeout and comes back unless deleted; after
 * `maxReceiveCount` receives it moves to the dead-letter queue (its receive count starts again
 * there). Long polls resolve as soon as a message can be received, and resolve empty when their
 * `signal` aborts. Messages live in memory, and in `journalFile` when one is given.
 *
 * @example
 * ```ts
 * const dlq = new LocalMessageQueue({ name: "writer-dlq.fifo" });
 * const queue = new LocalMessageQueue({ name: "writer.fifo", contentBasedDeduplication: true, redrive: { deadLetterQueue: dlq, maxReceiveCount: 3 } });
 * await queue.send({ body: JSON.stringify(intent), groupId: "config-repo#main" });
 * const [message] = await queue.receive({ waitTimeSeconds: 20, signal });
 * if (message) await queue.delete(message.receiptHandle);
 * ```
 */
export class LocalMessageQueue implements MessageQueue {
  /** The queue name. */
  readonly name: string;
  /** Whether this is a FIFO queue. */
  readonly fifo: boolean;
  readonly #visibilityTimeout: number;
  readonly #delay: number;
  readonly #retention: number;
  readonly #contentDeduplication: boolean;
  readonly #redrive: RedrivePolicy | undefined;
  readonly #clock: Clock;
  #messages: StoredMessage[] = [];
  readonly #deduplication = new Map<string, { readonly messageId: string; readonly until: number }>();
  readonly #waiters = new Set<() => void>();
  readonly #journalFile: string | undefined;

  constructor(options: LocalMessageQueueOptions) {
    if (!/^[A-Za-z0-9_-]{1,75}(?:\.fifo)?$/.test(options.name)) {
      throw queueParameterError(
        `queue name '${options.name}' is invalid; use up to 80 letters, digits, '-' or '_' (FIFO names end in '.fifo')`,
      );
    }
    this.name = options.name;
    this.fifo = options.name.endsWith(".fifo");
    this.#visibilityTimeout = wholeNumberIn(
      "visibilityTimeoutSeconds",
      options.visibilityTimeoutSeconds ?? 30,
      0,
      43_200,
    );
    this.#delay = wholeNumberIn("delaySeconds", options.delaySeconds ?? 0, 0, 900);
    this.#retention = wholeNumberIn("retentionSeconds", options.retentionSeconds ?? 345_600, 60, 1_209_600);
    this.#contentDeduplication = options.contentBasedDeduplication ?? false;
    this.#clock = options.clock ?? systemClock;
    this.#redrive = options.redrive;
    this.#journalFile = options.journalFile;
    if (this.#journalFile !== undefined) {
      const journal = readQueueJournal(this.#journalFile);
      const now = this.#clock.now().getTime();
      // A message in flight when the runtime stopped is receivable at once; a delayed one keeps its delay.
      this.#messages = journal.messages.map((message) => ({
        ...message,
        visibleAt: message.receiveCount > 0 ? Math.min(message.visibleAt, now) : message.visibleAt,
      }));
      for (const entry of journal.deduplication) {
        this.#deduplication.set(entry.id, { messageId: entry.messageId, until: entry.until });
      }
    }
    if (this.#redrive) {
      wholeNumberIn("redrive.maxReceiveCount", this.#redrive.maxReceiveCount, 1, 1000);
      if (this.#redrive.deadLetterQueue.fifo !== this.fifo) {
        throw queueParameterError(
          `queue '${this.name}' and its dead-letter queue '${this.#redrive.deadLetterQueue.name}' must both be FIFO or both standard`,
        );
      }
    }
  }

  /** Sends a message; a duplicate within the FIFO deduplication window is accepted and dropped. */
  async send(input: SendMessageInput): Promise<{ readonly messageId: string }> {
    const now = this.#clock.now().getTime();
    checkBody(this.name, input.body);
    const deduplicationId = deduplicationIdOf(this.name, this.fifo, this.#contentDeduplication, input);
    for (const [key, entry] of this.#deduplication) if (entry.until <= now) this.#deduplication.delete(key);
    const duplicate = deduplicationId === undefined ? undefined : this.#deduplication.get(deduplicationId);
    if (duplicate) return { messageId: duplicate.messageId };
    const delay =
      input.delaySeconds === undefined
        ? this.#delay
        : wholeNumberIn("delaySeconds", input.delaySeconds, 0, 900);
    const id = randomUUID();
    this.#messages.push({
      id,
      body: input.body,
      ...(input.groupId === undefined ? {} : { groupId: input.groupId }),
      sentAt: now,
      visibleAt: now + delay * 1000,
      receiveCount: 0,
    });
    if (deduplicationId !== undefined) {
      this.#deduplication.set(deduplicationId, {
        messageId: id,
        until: now + DEDUPLICATION_WINDOW_SECONDS * 1000,
      });
    }
    this.#wake();
    return { messageId: id };
  }

  /** Receives up to `maxMessages` messages, long polling up to `waitTimeSeconds` when none is ready. */
  async receive(options: ReceiveOptions = {}): Promise<ReceivedMessage[]> {
    const max = wholeNumberIn("maxMessages", options.maxMessages ?? 1, 1, 10);
    const wait = wholeNumberIn("waitTimeSeconds", options.waitTimeSeconds ?? 0, 0, 20);
    const visibility = wholeNumberIn(
      "visibilityTimeoutSeconds",
      options.visibilityTimeoutSeconds ?? this.#visibilityTimeout,
      0,
      43_200,
    );
    let expired = wait === 0;
    const deadline = expired
      ? undefined
      : setTimeout(() => {
          expired = true;
          this.#wake();
        }, wait * 1000);
    try {
      for (;;) {
        const taken = this.#take(max, visibility);
        if (taken.length > 0 || expired || options.signal?.aborted) return taken;
        await this.#changed(options.signal);
      }
    } finally {
      clearTimeout(deadline);
    }
  }

  /** Deletes a received message; a receipt from an earlier receive (or of a deleted message) does nothing. */
  async delete(receiptHandle: string): Promise<void> {
    const receipt = this.#parseReceipt(receiptHandle);
    const index = this.#messages.findIndex((message) => message.id === receipt.messageId);
    if (index === -1 || this.#messages[index]?.receipt !== receiptHandle) return;
    this.#messages.splice(index, 1);
    this.#wake();
  }

  /** Hides an in-flight message for `visibilityTimeoutSeconds` from now (0 makes it receivable again). */
  async changeVisibility(receiptHandle: string, visibilityTimeoutSeconds: number): Promise<void> {
    const timeout = wholeNumberIn("visibilityTimeoutSeconds", visibilityTimeoutSeconds, 0, 43_200);
    const receipt = this.#parseReceipt(receiptHandle);
    const now = this.#clock.now().getTime();
    const message = this.#messages.find((candidate) => candidate.id === receipt.messageId);
    if (!message || message.receipt !== receiptHandle || message.visibleAt <= now) {
      throw new ShiplineError({
        code: "QUEUE_MESSAGE_NOT_IN_FLIGHT",
        message: `message ${receipt.messageId} of queue '${this.name}' is not in flight under this receipt (deleted, received again or visible); receive it again first`,
        data: { queue: this.name, messageId: receipt.messageId },
      });
    }
    message.visibleAt = now + timeout * 1000;
    this.#wake();
  }

  /** Approximate counts of visible, in-flight and delayed messages. */
  counts(): QueueCounts {
    const now = this.#clock.now().getTime();
    let visible = 0;
    let inFlight = 0;
    let delayed = 0;
    for (const message of this.#live(now)) {
      if (message.visibleAt <= now) visible += 1;
      else if (message.receipt === undefined) delayed += 1;
      else inFlight += 1;
    }
    return { visible, inFlight, delayed };
  }

  #take(max: number, visibility: number): ReceivedMessage[] {
    const now = this.#clock.now().getTime();
    let moved = false;
    const taken: ReceivedMessage[] = [];
    const blocked = new Set<string>();
    for (const message of this.#live(now)) {
      if (taken.length >= max) break;
      const group = this.fifo ? (message.groupId ?? "") : undefined;
      if (group !== undefined && blocked.has(group)) continue;
      if (message.visibleAt > now) {
        if (group !== undefined) blocked.add(group);
        continue;
      }
      if (this.#redrive && message.receiveCount >= this.#redrive.maxReceiveCount) {
        this.#messages = this.#messages.filter((candidate) => candidate !== message);
        this.#redrive.deadLetterQueue.#adopt(message, now);
        this.#redrive.onMoved?.({ body: message.body, receiveCount: message.receiveCount });
        moved = true;
        continue;
      }
      message.receiveCount += 1;
      message.visibleAt = now + visibility * 1000;
      message.receipt = `${this.name}/${message.id}/${randomUUID()}`;
      taken.push({
        messageId: message.id,
        receiptHandle: message.receipt,
        body: message.body,
        ...(message.groupId === undefined ? {} : { groupId: message.groupId }),
        receiveCount: message.receiveCount,
      });
    }
    if (taken.length > 0 || moved) this.#keep();
    return taken;
  }

  /** The messages still within their retention period (older ones are dropped, as SQS does). */
  #live(now: number): StoredMessage[] {
    this.#messages = this.#messages.filter((message) => message.sentAt + this.#retention * 1000 > now);
    return [...this.#messages];
  }

  #adopt(message: StoredMessage, now: number): void {
    const { receipt: _receipt, ...rest } = message;
    this.#messages.push({ ...rest, visibleAt: now, receiveCount: 0 });
    this.#wake();
  }

  /** Waits until something may have changed: a send, a delete, a visibility change, or the next message turning visible. */
  #changed(signal: AbortSignal | undefined): Promise<void> {
    const now = this.#clock.now().getTime();
    const next = Math.min(...this.#messages.map((message) => message.visibleAt).filter((at) => at > now));
    return new Promise((resolve) => {
      const done = () => {
        this.#waiters.delete(done);
        signal?.removeEventListener("abort", done);
        clearTimeout(timer);
        resolve();
      };
      const timer = Number.isFinite(next) ? setTimeout(done, Math.max(next - now, 1)) : undefined;
      this.#waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  #wake(): void {
    this.#keep();
    for (const waiter of [...this.#waiters]) waiter();
  }

  /** Writes the journal, when the queue keeps one. */
  #keep(): void {
    if (this.#journalFile === undefined) return;
    writeQueueJournal(this.#journalFile, {
      messages: this.#messages.map(({ receipt: _receipt, ...message }) => message),
      deduplication: [...this.#deduplication].map(([id, entry]) => ({ id, ...entry })),
    });
  }

  #parseReceipt(receiptHandle: string): { readonly messageId: string } {
    const parts = receiptHandle.split("/");
    if (parts.length !== 3 || parts[0] !== this.name || !parts[1]) {
      throw new ShiplineError({
        code: "QUEUE_RECEIPT_HANDLE_INVALID",
        message: `'${receiptHandle}' is not a receipt handle of queue '${this.name}'; pass the receiptHandle a receive of this queue returned`,
        data: { queue: this.name },
      });
    }
    return { messageId: parts[1] };
  }
}
