import type { RegistryImage } from "../ports/image-registry.js";

/** Options of {@link planSweep}. */
export interface PlanSweepOptions {
  /** The images the registry listed since {@link sweepSince}, any order. */
  readonly images: readonly RegistryImage[];
  /** The watermark of the previous sweep, or undefined before the first one. */
  readonly watermark: Date | undefined;
  /** Digests already announced (by the registry's event or an earlier sweep). */
  readonly seen: ReadonlySet<string>;
  /** The current time. */
  readonly now: Date;
  /**
   * How long an image is left to its own push event before the sweep takes it: images pushed later
   * than `now - settleSeconds` wait for the next sweep, which also covers a registry whose listing
   * lags its pushes.
   */
  readonly settleSeconds: number;
  /** How far back the first sweep (no watermark) looks. */
  readonly lookbackSeconds: number;
}

/** What one sweep of a repository does. */
export interface SweepPlan {
  /** The images to announce, oldest first: settled, not before the watermark, never seen. */
  readonly toAnnounce: readonly RegistryImage[];
  /** Listed images too recent to take now; the new watermark keeps them for the next sweep. */
  readonly deferred: readonly RegistryImage[];
  /** The watermark to store once the announcements succeeded: never earlier than the previous one. */
  readonly watermark: Date;
}

/**
 * Plans the backstop sweep of one repository: which listed images were never announced (their ECR
 * event was lost) and where the next sweep starts. The watermark moves to `now - settleSeconds`, so
 * an image is considered by at least one sweep once it has settled, and a lost event costs at most
 * one sweep interval plus the settle time. Images at the watermark itself are listed again next time
 * and dropped through `seen`.
 *
 * @example
 * ```ts
 * const since = sweepSince({ watermark, now, lookbackSeconds: 3600 });
 * const images = await registry.listImagesSince("demo", since);
 * const plan = planSweep({ images, watermark, seen, now, settleSeconds: 120, lookbackSeconds: 3600 });
 * ```
 */
export function planSweep(options: PlanSweepOptions): SweepPlan {
  const { images, seen, now } = options;
  const cutoff = now.getTime() - options.settleSeconds * 1000;
  const start = sweepSince(options).getTime();
  const ordered = [...images].sort(
    (a, b) => a.pushedAt.getTime() - b.pushedAt.getTime() || (a.digest < b.digest ? -1 : 1),
  );
  const settled = ordered.filter((image) => image.pushedAt.getTime() <= cutoff);
  const toAnnounce = settled.filter((image) => image.pushedAt.getTime() >= start && !seen.has(image.digest));
  const deferred = ordered.filter((image) => image.pushedAt.getTime() > cutoff);
  const previous = options.watermark?.getTime() ?? start;
  return { toAnnounce, deferred, watermark: new Date(Math.max(previous, cutoff)) };
}

/**
 * Where a sweep starts listing: the stored watermark, or `now - lookbackSeconds` for the first sweep,
 * so that installing Shipline on a registry full of old images does not announce all of them.
 *
 * @example
 * ```ts
 * sweepSince({ watermark: undefined, now: new Date("2026-03-01T12:00:00Z"), lookbackSeconds: 3600 });
 * // 2026-03-01T11:00:00.000Z
 * ```
 */
export function sweepSince(options: {
  readonly watermark: Date | undefined;
  readonly now: Date;
  readonly lookbackSeconds: number;
}): Date {
  return options.watermark ?? new Date(options.now.getTime() - options.lookbackSeconds * 1000);
}
