import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import { type ScanPolicy, scanPolicy } from "../../../../functions/core/config/scan-policy.js";
import {
  KNOWN_IMAGES_TABLE,
  type KnownImage,
  knownImageKey,
} from "../../../../functions/core/images/known-image.js";
import type { Clock } from "../../../../functions/core/ports/clock.js";
import type { EventPublisher, PublishRequest } from "../../../../functions/core/ports/event-publisher.js";
import type {
  ScanFindingsQuery,
  ScanFindingsSource,
  ScannerName,
} from "../../../../functions/core/ports/scan-findings-source.js";
import type { Finding } from "../../../../functions/core/scan/finding.js";
import type { ScanGateContext } from "../../../../functions/core/scan/scan-gate-context.js";
import type { ScanResult } from "../../../../functions/core/scan/scan-result.js";

export const DIGEST = `sha256:${"ab".repeat(32)}`;

/** A known image of the app `demo`, pushed at 12:00 UTC. */
export const IMAGE: KnownImage = {
  app: "demo",
  commit: "0123456789abcdef0123456789abcdef01234567",
  correlationId: "corr-1",
  repository: "demo",
  tag: "1.0.0-0123456",
  digest: DIGEST,
  pushedAt: "2026-03-15T12:00:00.000Z",
};

/** A complete ECR basic scan of {@link IMAGE}. */
export const COMPLETE_SCAN: ScanResult = {
  origin: "ecr",
  repository: "demo",
  digest: DIGEST,
  tags: ["1.0.0-0123456"],
  status: "COMPLETE",
  registryId: "123456789012",
  time: "2026-03-15T12:01:00Z",
};

/** A publisher that keeps what it is given, and can be told to fail. */
export class RecordingPublisher implements EventPublisher {
  readonly published: PublishRequest[] = [];
  failures = 0;

  async publish(requests: readonly PublishRequest[]) {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error("the bus is down");
    }
    this.published.push(...requests);
    return requests.map((_, index) => ({ eventId: `event-${this.published.length + index}` }));
  }
}

/** A findings source that answers with fixed findings and counts its calls. */
export class FixedFindings implements ScanFindingsSource {
  readonly queries: ScanFindingsQuery[] = [];
  constructor(
    readonly scanner: ScannerName,
    private readonly result: readonly Finding[],
  ) {}

  async findings(query: ScanFindingsQuery): Promise<Finding[]> {
    this.queries.push(query);
    return [...this.result];
  }
}

/** A temporary store, a publisher, a clock and sources, with a policy. */
export interface Kit {
  readonly context: ScanGateContext;
  readonly store: FileDocumentStore;
  readonly publisher: RecordingPublisher;
  readonly ecr: FixedFindings;
  readonly inspector: FixedFindings;
  remember(image?: KnownImage): Promise<void>;
  cleanup(): Promise<void>;
}

export async function createKit(
  options: {
    policy?: Partial<Record<keyof ScanPolicy | "timeout", unknown>>;
    findings?: readonly Finding[];
  } = {},
): Promise<Kit> {
  const directory = await mkdtemp(path.join(os.tmpdir(), "shipline-scan-gate-"));
  const clock: Clock = { now: () => new Date("2026-03-15T12:30:00Z") };
  const store = new FileDocumentStore({ directory, clock });
  const publisher = new RecordingPublisher();
  const ecr = new FixedFindings("ecr-basic", options.findings ?? []);
  const inspector = new FixedFindings("inspector2", options.findings ?? []);
  const policy = scanPolicy.parse(options.policy ?? {});
  return {
    context: { store, publisher, clock, policy, sources: { ecr, inspector2: inspector } },
    store,
    publisher,
    ecr,
    inspector,
    remember: async (image = IMAGE) => {
      await store.put(KNOWN_IMAGES_TABLE, knownImageKey(image.repository, image.digest), image);
    },
    cleanup: () => rm(directory, { recursive: true, force: true }),
  };
}
