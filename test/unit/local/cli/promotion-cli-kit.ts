import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import { LocalEventBus } from "../../../../functions/adapters/local/local-event-bus.js";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { PromotionState } from "../../../../functions/core/promotion/promotion-state.js";
import { recordBusEndpoint } from "../../../../functions/local/bus/bus-endpoint.js";
import { busLayout } from "../../../../functions/local/bus/bus-layout.js";
import { BusServer } from "../../../../functions/local/bus/bus-server.js";

/** A running local bus recorded in a temporary data dir, with every Shipline event it routes. */
export interface CliBus {
  readonly dir: string;
  /** The promotion state the commands read (`<dir>/.shipline/store`). */
  readonly state: PromotionState;
  readonly seen: EventEnvelope[];
  drain(): Promise<void>;
  close(): Promise<void>;
}

/** Options of {@link startCliBus}. */
export interface CliBusOptions {
  /** Archive every event in `<dir>/.shipline/bus/archive.jsonl`, as the runtime's bus does. @default false */
  readonly archive?: boolean;
  /** Answers a Shipline event, as the chain's steps would: the events to put on the bus next. */
  readonly respond?: (
    event: EventEnvelope,
  ) => readonly { readonly detailType: string; readonly detail: object }[];
}

/** Starts a local bus on a free port and records its URL in `<dir>/.shipline/endpoints.json`. */
export async function startCliBus(options: CliBusOptions = {}): Promise<CliBus> {
  const dir = await mkdtemp(join(tmpdir(), "shipline-promotion-cli-"));
  const seen: EventEnvelope[] = [];
  const bus = new LocalEventBus(
    options.archive ? { archivePath: busLayout(join(dir, ".shipline")).archive } : {},
  );
  bus.addRule(
    {
      name: "capture-shipline-events",
      description: "test",
      bus: "shipline",
      eventPattern: { source: ["shipline"] },
      target: { kind: "step", step: "promote" },
      retry: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 60 },
    },
    async (event) => {
      seen.push(event);
      const next = options.respond?.(event) ?? [];
      if (next.length > 0) {
        await bus.putEvents(
          next.map((entry) => ({
            Source: "shipline",
            DetailType: entry.detailType,
            Detail: JSON.stringify(entry.detail),
          })),
        );
      }
    },
  );
  const server = new BusServer({ bus });
  const url = await server.start();
  await recordBusEndpoint(join(dir, ".shipline"), url);
  return {
    dir,
    state: new PromotionState({
      store: new FileDocumentStore({ directory: join(dir, ".shipline", "store") }),
    }),
    seen,
    drain: () => bus.drain(),
    async close() {
      await server.stop();
      await bus.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** A digest of one repeated hex character. */
export const digest = (c: string) => `sha256:${c.repeat(64)}`;

/** Records an approved image of `shop` built from commit `1111...`. */
export async function seedImage(state: PromotionState, image = digest("a")): Promise<void> {
  await state.putImage({
    app: "shop",
    repository: "shop",
    tag: "1.0.0-1111111",
    digest: image,
    commit: "1".repeat(40),
    correlationId: "push-1",
    approvedAt: "2026-03-01T12:00:00.000Z",
  });
}
