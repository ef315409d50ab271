import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { MessageQueue, ReceivedMessage } from "../../core/ports/message-queue.js";
import type { WriteConfigResult } from "../../core/writer/write-config.js";
import { type WriteIntent, writeIntent } from "../../core/writer/write-intent.js";

/** Options of {@link ConfigWriterWorker}. */
export interface ConfigWriterWorkerOptions {
  /** The config repository's FIFO queue (message group: `writeIntentGroupId(repository, branch)`). */
  readonly queue: MessageQueue;
  /** Carries out one batch of one message group, e.g. `(group, intents) => writeConfig({ repo: repos.get(group), intents, ... })`. */
  readonly write: (groupId: string, intents: WriteIntent[]) => Promise<WriteConfigResult>;
  /** Most intents per commit (1..10, one receive). @default 10 */
  readonly maxMessages?: number;
  /** Long-poll time. @default 20 */
  readonly waitTimeSeconds?: number;
  /** After a receive that returned fewer than `maxMessages`, wait this long and receive again without waiting. @default 20 */
  readonly collectWindowMs?: number;
  /** Failures that are not thrown anywhere else (the batch stays on the queue). @default - written to stderr */
  readonly onError?: (error: unknown) => void;
  /**
   * Records intents the writer can never carry out (a permanent error, such as the host refusing
   * the push), as the Lambda writer records them with `Step Failed`; their messages are then deleted.
   * @default - the messages go back to the queue (and, after their receives, to its dead-letter queue)
   */
  readonly onPermanentFailure?: (intents: readonly WriteIntent[], error: ShiplineError) => Promise<void>;
}

/**
 * The local runtime's config writer: long-polls the FIFO queue of write intents, takes up to
 * `maxMessages` waiting intents, runs one write (one commit) per message group, and deletes the
 * messages only when the write — push and publish included — succeeded. A failed write leaves its
 * messages to come back after the visibility timeout (and to the dead-letter queue after the
 * queue's `maxReceiveCount`); a message that is not a write intent is reported and deleted.
 *
 * @example
 * ```ts
 * const worker = new ConfigWriterWorker({ queue, write: (group, intents) => writeConfig({ repo, intents, author, clock, publisher }) });
 * worker.start();
 * // ...
 * await worker.stop();
 * ```
 */
export class ConfigWriterWorker {
  private readonly options: ConfigWriterWorkerOptions;
  private controller: AbortController | undefined;
  private loop: Promise<void> | undefined;

  constructor(options: ConfigWriterWorkerOptions) {
    this.options = options;
  }

  /** Starts polling in the background (no-op when running). */
  start(): void {
    if (this.loop) return;
    const controller = new AbortController();
    this.controller = controller;
    this.loop = (async () => {
      while (!controller.signal.aborted) {
        try {
          await this.runOnce(controller.signal);
        } catch (error) {
          this.report(error);
        }
      }
    })();
  }

  /** Ends the long poll and waits for the batch in progress. */
  async stop(): Promise<void> {
    this.controller?.abort();
    await this.loop;
    this.loop = undefined;
    this.controller = undefined;
  }

  /** Receives one batch and writes it; resolves with the number of messages deleted. */
  async runOnce(signal?: AbortSignal): Promise<number> {
    const max = this.options.maxMessages ?? 10;
    const received = await this.options.queue.receive({
      maxMessages: max,
      waitTimeSeconds: this.options.waitTimeSeconds ?? 20,
      ...(signal === undefined ? {} : { signal }),
    });
    const window = this.options.collectWindowMs ?? 20;
    if (received.length > 0 && received.length < max && window > 0 && !signal?.aborted) {
      await new Promise((resolve) => setTimeout(resolve, window));
      received.push(
        ...(await this.options.queue.receive({ maxMessages: max - received.length, waitTimeSeconds: 0 })),
      );
    }
    let deleted = 0;
    for (const [groupId, messages] of groupsOf(received)) deleted += await this.writeGroup(groupId, messages);
    return deleted;
  }

  private async writeGroup(groupId: string, messages: readonly ReceivedMessage[]): Promise<number> {
    const intents: WriteIntent[] = [];
    const carried: ReceivedMessage[] = [];
    let deleted = 0;
    for (const message of messages) {
      const parsed = parseIntent(message);
      if (parsed instanceof ShiplineError) {
        this.report(parsed);
        await this.options.queue.delete(message.receiptHandle);
        deleted += 1;
      } else {
        intents.push(parsed);
        carried.push(message);
      }
    }
    if (intents.length === 0) return deleted;
    try {
      await this.options.write(groupId, intents);
    } catch (error) {
      this.report(error);
      const record = this.options.onPermanentFailure;
      if (!(error instanceof ShiplineError) || error.retryable || record === undefined) return deleted;
      await record(intents, error);
    }
    for (const message of carried) await this.options.queue.delete(message.receiptHandle);
    return deleted + carried.length;
  }

  private report(error: unknown): void {
    if (this.options.onError) {
      this.options.onError(error);
      return;
    }
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`shipline config writer: ${message}\n`);
  }
}

function groupsOf(messages: readonly ReceivedMessage[]): Map<string, ReceivedMessage[]> {
  const groups = new Map<string, ReceivedMessage[]>();
  for (const message of messages) {
    const group = message.groupId ?? "";
    groups.set(group, [...(groups.get(group) ?? []), message]);
  }
  return groups;
}

function parseIntent(message: ReceivedMessage): WriteIntent | ShiplineError {
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    body = undefined;
  }
  const parsed = writeIntent.safeParse(body);
  if (parsed.success) return parsed.data;
  return new ShiplineError({
    code: "WRITE_INTENT_INVALID",
    message: `message ${message.messageId} on the writer queue is not a write intent (${parsed.error.issues
      .slice(0, 3)
      .map((issue) => `${issue.path.join(".") || "body"}: ${issue.message}`)
      .join("; ")}); it was dropped: fix its producer`,
    data: { messageId: message.messageId, groupId: message.groupId },
  });
}
