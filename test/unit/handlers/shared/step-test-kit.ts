import type { Context } from "aws-lambda";
import { type MockInstance, vi } from "vitest";
import * as z from "zod";
import { type BusEntry, toBusEntry } from "../../../../functions/core/contracts/bus-entry.js";
import type { DetailTypeName } from "../../../../functions/core/contracts/detail-type.js";
import type {
  EventPublisher,
  PublishRequest,
  PublishResult,
} from "../../../../functions/core/ports/event-publisher.js";

/**
 * An in-memory EventPublisher that validates like the real one (contract and size, through
 * `toBusEntry`), keeps what it published, and can be told to fail.
 */
export class InMemoryPublisher implements EventPublisher {
  readonly published: BusEntry[] = [];
  failWith: Error | undefined;

  async publish(requests: readonly PublishRequest[]): Promise<PublishResult[]> {
    const entries = requests.map((request) => toBusEntry(request));
    if (this.failWith) throw this.failWith;
    this.published.push(...entries);
    return entries.map((_, index) => ({
      eventId: `event-${this.published.length - entries.length + index}`,
    }));
  }

  /** The published details of one detail type, parsed back from JSON. */
  details(detailType: DetailTypeName): unknown[] {
    return this.published
      .filter((entry) => entry.DetailType === detailType)
      .map((entry) => JSON.parse(entry.Detail));
  }
}

/** A Lambda context as the runtime passes it. */
export function lambdaContext(awsRequestId = "5f0cbf6a-2d6b-4b8e-9c1e-3d1f0a6b7c8d"): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "shipline-start-build",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:eu-west-1:123456789012:function:shipline-start-build",
    memoryLimitInMB: "256",
    awsRequestId,
    logGroupName: "/aws/lambda/shipline-start-build",
    logStreamName: "2026/03/01/[$LATEST]0123456789abcdef",
    getRemainingTimeInMillis: () => 30_000,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/**
 * An EventBridge event of Shipline's bus, shaped as EventBridge delivers it (the envelope of the
 * PutEvents sample's delivered event).
 */
export function shiplineEvent(
  detailType: string,
  detail: unknown,
  id = "6a7e8feb-b491-4cf7-a9f1-bf3703467718",
) {
  return {
    version: "0",
    id,
    "detail-type": detailType,
    source: "shipline",
    account: "123456789012",
    time: "2026-03-01T12:00:00Z",
    region: "eu-west-1",
    resources: [],
    detail,
  };
}

/** Captures what Powertools writes to stdout and stderr (log lines, EMF metrics). */
export class OutputCapture {
  readonly #chunks: string[] = [];
  readonly #spies: MockInstance[] = [];

  start(): void {
    for (const stream of [process.stdout, process.stderr]) {
      this.#spies.push(
        vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
          this.#chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
          return true;
        }),
      );
    }
  }

  stop(): void {
    for (const spy of this.#spies.splice(0)) spy.mockRestore();
  }

  /** Every JSON object written, one per line. */
  records(): Record<string, unknown>[] {
    return this.#chunks
      .join("")
      .split("\n")
      .filter((line) => line.trim().startsWith("{"))
      .map((line) => z.record(z.string(), z.unknown()).parse(JSON.parse(line)));
  }

  /** The log records whose message is `message`. */
  logs(message: string): Record<string, unknown>[] {
    return this.records().filter((record) => record.message === message);
  }
}
