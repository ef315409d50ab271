import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { FileDocumentStore } from "../../../functions/adapters/local/file-document-store.js";
import type { Clock } from "../../../functions/core/ports/clock.js";
import type { StepDeps } from "../../../functions/handlers/shared/create-step-deps.js";
import { InMemoryPublisher } from "./shared/step-test-kit.js";

/** The time every handler test runs at. */
export const NOW = new Date("2026-03-01T12:00:00Z");

/** A clock the test can move. */
export class TestClock implements Clock {
  current = NOW;
  now(): Date {
    return this.current;
  }
}

/** Real step dependencies with an in-memory publisher, a file-backed store in a temporary directory and a test clock. */
export async function handlerDeps(service: string): Promise<{
  readonly deps: StepDeps;
  readonly publisher: InMemoryPublisher;
  readonly store: FileDocumentStore;
  readonly clock: TestClock;
  readonly cleanUp: () => Promise<void>;
}> {
  const directory = await mkdtemp(path.join(tmpdir(), "shipline-handler-"));
  const clock = new TestClock();
  const publisher = new InMemoryPublisher();
  const deps: StepDeps = {
    publisher,
    logger: new Logger({ serviceName: service }),
    metrics: new Metrics({ namespace: "ShiplineTest", serviceName: service }),
    tracer: new Tracer({ serviceName: service, enabled: false }),
    clock,
  };
  return {
    deps,
    publisher,
    store: new FileDocumentStore({ directory, clock }),
    clock,
    cleanUp: () => rm(directory, { recursive: true, force: true }),
  };
}
