import type { Clock } from "../ports/clock.js";
import type { DocumentStore } from "../ports/document-store.js";
import type { EventPublisher } from "../ports/event-publisher.js";
import type { ImageRegistry } from "../ports/image-registry.js";
import type { SourceBranches } from "../ports/source-branches.js";
import { type AnnouncedApp, type AnnounceOutcome, announceImage } from "./announce-image.js";
import { readKnownImage } from "./known-image.js";
import { planSweep, sweepSince } from "./plan-sweep.js";
import { repositoryName } from "./resolve-image-app.js";
import { readSweepWatermark, writeSweepWatermark } from "./sweep-watermark.js";

/** Defaults of {@link SweepImagesOptions}. */
export const SWEEP_DEFAULTS = {
  /** Two minutes: the registry's own event normally arrives within seconds. */
  settleSeconds: 120,
  /** One hour before the first sweep. */
  lookbackSeconds: 3600,
} as const;

/** Options of {@link sweepImages}. */
export interface SweepImagesOptions {
  /** The configured apps: each one's image repository is swept (their `accept` policies apply). */
  readonly apps: readonly AnnouncedApp[];
  readonly registry: ImageRegistry;
  readonly store: DocumentStore;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
  /** The registry host for `imageUri`. @default - no imageUri */
  readonly registryHost?: string;
  /** @default SWEEP_DEFAULTS.settleSeconds */
  readonly settleSeconds?: number;
  /** @default SWEEP_DEFAULTS.lookbackSeconds */
  readonly lookbackSeconds?: number;
  /** Which branches hold a commit, for `accept.branches` (see `announceImage`). @default - none */
  readonly branches?: SourceBranches;
}

/** What a sweep did in one repository. */
export interface RepositorySweep {
  readonly repository: string;
  /** How many images the registry listed since the watermark. */
  readonly listed: number;
  /** Each image taken, with its outcome. */
  readonly outcomes: readonly { readonly digest: string; readonly outcome: AnnounceOutcome }[];
  /** Images left for the next sweep because they were pushed too recently. */
  readonly deferred: number;
  /** The watermark stored for the next sweep. */
  readonly watermark: Date;
}

/**
 * The backstop of `image-pushed`: lists every app repository's images pushed since its watermark and
 * announces the settled ones never announced, as if their (lost) ECR event had arrived; then moves
 * the watermark. An image that fails to announce stops the sweep of its repository before the
 * watermark moves, and the error is rethrown, so the next run looks at it again.
 *
 * @example
 * ```ts
 * const report = await sweepImages({ apps: config.apps, registry, store, publisher, clock: systemClock });
 * ```
 */
export async function sweepImages(options: SweepImagesOptions): Promise<RepositorySweep[]> {
  const repositories = [...new Set(options.apps.map((app) => repositoryName(app.image.repository)))];
  const report: RepositorySweep[] = [];
  for (const repository of repositories.sort()) report.push(await sweepRepository(options, repository));
  return report;
}

async function sweepRepository(options: SweepImagesOptions, repository: string): Promise<RepositorySweep> {
  const { store, clock } = options;
  const now = clock.now();
  const lookbackSeconds = options.lookbackSeconds ?? SWEEP_DEFAULTS.lookbackSeconds;
  const watermark = await readSweepWatermark({ store, repository });
  const images = await options.registry.listImagesSince(
    repository,
    sweepSince({ watermark, now, lookbackSeconds }),
  );
  const seen = new Set<string>();
  for (const image of images) {
    if (await readKnownImage({ store, repository, digest: image.digest })) seen.add(image.digest);
  }
  const plan = planSweep({
    images,
    watermark,
    seen,
    now,
    settleSeconds: options.settleSeconds ?? SWEEP_DEFAULTS.settleSeconds,
    lookbackSeconds,
  });
  const outcomes: { digest: string; outcome: AnnounceOutcome }[] = [];
  for (const image of plan.toAnnounce) {
    const outcome = await announceImage({
      image: { repository, digest: image.digest, tags: image.tags },
      apps: options.apps,
      registry: options.registry,
      store,
      publisher: options.publisher,
      clock,
      via: "sweep",
      correlationId: `${repository}@${image.digest}`,
      ...(options.registryHost === undefined ? {} : { registryHost: options.registryHost }),
      ...(options.branches === undefined ? {} : { branches: options.branches }),
    });
    outcomes.push({ digest: image.digest, outcome });
  }
  await writeSweepWatermark({ store, repository, watermark: plan.watermark });
  return {
    repository,
    listed: images.length,
    outcomes,
    deferred: plan.deferred.length,
    watermark: plan.watermark,
  };
}
