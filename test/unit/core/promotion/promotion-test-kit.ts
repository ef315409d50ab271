import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { stringify } from "yaml";
import { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import { LocalMessageQueue } from "../../../../functions/adapters/local/local-message-queue.js";
import { parseConfig } from "../../../../functions/core/config/parse-config.js";
import type { ShiplineConfig } from "../../../../functions/core/config/shipline-config.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import type { Clock } from "../../../../functions/core/ports/clock.js";
import { COMMIT_NOT_FOUND, type CommitAncestry } from "../../../../functions/core/ports/commit-ancestry.js";
import type { EventPublisher, PublishRequest } from "../../../../functions/core/ports/event-publisher.js";
import type {
  PromotionScheduler,
  ScheduledPromotion,
} from "../../../../functions/core/ports/promotion-scheduler.js";
import { PromotionState } from "../../../../functions/core/promotion/promotion-state.js";
import type { PromotionTrigger } from "../../../../functions/core/promotion/promotion-trigger.js";
import { type PromotionResult, runPromotion } from "../../../../functions/core/promotion/run-promotion.js";
import { type WriteIntent, writeIntent } from "../../../../functions/core/writer/write-intent.js";

/** The app's source repository in the test configuration. */
export const APP_REPO = "https://github.com/acme/shop.git";

/**
 * dev and qa are first environments (auto); staging promotes from dev after 10 minutes through pull
 * requests; production promotes from staging at once, with manual approval.
 */
export function testConfig(): ShiplineConfig {
  const deploy = (env: string) => ({ kind: "helm", file: `envs/${env}/values.yaml`, path: "image.tag" });
  return parseConfig(
    stringify({
      version: 1,
      configRepo: {
        url: "https://github.com/acme/deploy.git",
        credentials: {
          provider: "github-app",
          appId: 1,
          installationId: 2,
          privateKeySecret: "shipline/key",
        },
        pullRequest: { provider: "github" },
      },
      clusters: [{ name: "nonprod" }, { name: "prod" }],
      environments: [
        {
          name: "staging",
          cluster: "nonprod",
          promoteFrom: "dev",
          soakTime: "10m",
          approval: "pull-request",
        },
        { name: "dev", cluster: "nonprod" },
        { name: "production", cluster: "prod", promoteFrom: "staging", approval: "manual" },
        { name: "qa", cluster: "nonprod" },
      ],
      apps: [
        {
          name: "shop",
          source: { repo: APP_REPO },
          image: { repository: "shop" },
          build: {},
          deploy: {
            dev: deploy("dev"),
            qa: deploy("qa"),
            staging: deploy("staging"),
            production: deploy("production"),
          },
        },
      ],
    }),
  );
}

/** A git history held in memory: each commit has a parent and a committer time. */
export class MemoryHistory implements CommitAncestry {
  readonly #commits = new Map<string, { readonly parent?: string; readonly time: Date }>();
  /** Repositories asked about, in order. */
  readonly repos: string[] = [];

  /** Adds a commit. */
  add(commit: string, time: string, parent?: string): this {
    this.#commits.set(commit, { parent, time: new Date(time) });
    return this;
  }

  async isAncestor(repo: string, ancestor: string, descendant: string): Promise<boolean> {
    this.repos.push(repo);
    this.#known(ancestor);
    let current = this.#known(descendant).parent;
    while (current !== undefined) {
      if (current === ancestor) return true;
      current = this.#known(current).parent;
    }
    return false;
  }

  async commitTime(repo: string, commit: string): Promise<Date> {
    this.repos.push(repo);
    return this.#known(commit).time;
  }

  #known(commit: string) {
    const found = this.#commits.get(commit);
    if (found === undefined) {
      throw new ShiplineError({ code: COMMIT_NOT_FOUND, message: `no commit ${commit}`, retryable: false });
    }
    return found;
  }
}

/** A scheduler that keeps what it was asked to schedule. */
export class RecordingScheduler implements PromotionScheduler {
  readonly scheduled: ScheduledPromotion[] = [];
  async schedulePromotion(request: ScheduledPromotion): Promise<void> {
    this.scheduled.push(request);
  }
}

/** A clock the test moves. */
export class TestClock implements Clock {
  #now: Date;
  constructor(iso: string) {
    this.#now = new Date(iso);
  }
  now(): Date {
    return new Date(this.#now);
  }
  set(iso: string): void {
    this.#now = new Date(iso);
  }
}

/** A 40-hex commit made of one repeated character. */
export const sha = (c: string) => c.repeat(40);

/** An image digest made of one repeated hex character. */
export const digest = (c: string) => `sha256:${c.repeat(64)}`;

/** Everything a promotion scenario runs against: a real file store and a real FIFO queue. */
export interface PromotionWorld {
  readonly config: ShiplineConfig;
  readonly history: MemoryHistory;
  readonly scheduler: RecordingScheduler;
  readonly queue: LocalMessageQueue;
  readonly clock: TestClock;
  readonly state: PromotionState;
  /** Every event promote published (`Promotion Waiting`), oldest first. */
  readonly published: PublishRequest[];
  run(trigger: PromotionTrigger): Promise<PromotionResult>;
  /** Receives (and deletes) every write intent on the queue. */
  intents(): Promise<WriteIntent[]>;
  close(): Promise<void>;
}

/** Builds a {@link PromotionWorld} in its own temporary directory. */
export async function createWorld(config: ShiplineConfig = testConfig()): Promise<PromotionWorld> {
  const directory = await mkdtemp(join(tmpdir(), "shipline-promotion-"));
  const clock = new TestClock("2026-03-01T12:00:00Z");
  const store = new FileDocumentStore({ directory, clock });
  const history = new MemoryHistory();
  const scheduler = new RecordingScheduler();
  const queue = new LocalMessageQueue({ name: "writer.fifo", clock });
  const published: PublishRequest[] = [];
  const publisher: EventPublisher = {
    async publish(requests) {
      published.push(...requests);
      return requests.map((_, index) => ({ eventId: `published-${published.length + index}` }));
    },
  };
  return {
    config,
    history,
    scheduler,
    queue,
    clock,
    state: new PromotionState({ store }),
    published,
    run: (trigger) =>
      runPromotion({
        trigger,
        config,
        store,
        ancestry: history,
        scheduler,
        writeQueue: queue,
        clock,
        publisher,
      }),
    async intents() {
      const received = await queue.receive({ maxMessages: 10 });
      for (const message of received) await queue.delete(message.receiptHandle);
      return received.map((message) => writeIntent.parse(JSON.parse(message.body)));
    },
    close: () => rm(directory, { recursive: true, force: true }),
  };
}

const base = (commit: string) => ({
  schemaVersion: 1,
  app: "shop",
  commit,
  correlationId: `push-${commit.slice(0, 4)}`,
});

/** An `Image Approved` trigger for an image of `commit`. */
export function imageApproved(eventId: string, commit: string, image: string, tag: string): PromotionTrigger {
  return {
    kind: "image-approved",
    eventId,
    time: new Date("2026-03-01T12:00:00Z"),
    detail: {
      ...base(commit),
      repository: "shop",
      tag,
      digest: image,
      scanner: "local",
      counts: {},
      allowed: [],
      reason: "no finding at or above HIGH",
    },
  };
}

/** A `Deployment Verified` trigger. */
export function deploymentVerified(
  eventId: string,
  environment: string,
  commit: string,
  image: string | undefined,
  time: string,
): PromotionTrigger {
  return {
    kind: "deployment-verified",
    eventId,
    time: new Date(time),
    detail: {
      ...base(commit),
      environment,
      cluster: "nonprod",
      application: `shop-${environment}`,
      revision: sha("c"),
      syncStatus: "Synced",
      health: "Healthy",
      ...(image === undefined ? {} : { digest: image }),
    },
  };
}

/** A `Promotion Approved` trigger. */
export function promotionApproved(
  eventId: string,
  environment: string,
  commit: string,
  image: string,
): PromotionTrigger {
  return {
    kind: "promotion-approved",
    eventId,
    time: new Date("2026-03-01T12:00:00Z"),
    detail: { ...base(commit), environment, digest: image, approvedBy: "alice" },
  };
}

/** A `Hold Placed` trigger. */
export function holdPlaced(
  eventId: string,
  environment: string,
  options: { readonly expiresAt?: string; readonly digest?: string } = {},
): PromotionTrigger {
  return {
    kind: "hold-placed",
    eventId,
    time: new Date("2026-03-01T12:00:00Z"),
    detail: { ...base(sha("0")), environment, reason: "change freeze", placedBy: "bob", ...options },
  };
}

/** A `Hold Released` trigger. */
export function holdReleased(eventId: string, environment: string): PromotionTrigger {
  return {
    kind: "hold-released",
    eventId,
    time: new Date("2026-03-01T12:00:00Z"),
    detail: { ...base(sha("0")), environment, releasedBy: "bob" },
  };
}

/** The trigger a scheduled check delivers. */
export function due(scheduled: ScheduledPromotion): PromotionTrigger {
  return {
    kind: "promotion-due",
    eventId: scheduled.id,
    time: scheduled.at,
    detail: {
      reason: scheduled.reason,
      app: scheduled.app,
      environment: scheduled.environment,
      ...(scheduled.digest === undefined ? {} : { digest: scheduled.digest }),
      commit: scheduled.commit,
      correlationId: scheduled.correlationId,
    },
  };
}
