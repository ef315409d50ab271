import type { DeploymentRecord } from "./deployment-record.js";

/** A time window, `from` inclusive and `to` exclusive. */
export interface DoraWindow {
  readonly from: Date;
  readonly to: Date;
}

/** A verified production deployment of a change. */
export interface DoraDeployment {
  readonly at: string;
  /** Commit (or push) to verified, when known. */
  readonly leadTimeSeconds?: number;
}

/** A failed production deployment. */
export interface DoraFailure {
  readonly at: string;
}

/** A production environment back to verified after failing. */
export interface DoraRestore {
  /** When it was verified again. */
  readonly at: string;
  readonly seconds: number;
}

/** A distribution of durations in seconds. */
export interface DurationSummary {
  readonly count: number;
  readonly medianSeconds?: number;
  readonly p90Seconds?: number;
}

/** The four DORA metrics over a window. */
export interface DoraMetrics {
  readonly window: { readonly from: string; readonly to: string; readonly days: number };
  /** Verified production deployments of changes (rollbacks excluded). */
  readonly deployments: number;
  /** Deployment frequency. */
  readonly deploymentsPerDay: number;
  /** Lead time for changes: source commit to verified in production. */
  readonly leadTime: DurationSummary;
  /** Failed production deployments. */
  readonly failures: number;
  /** Failures / (deployments + failures): the share of production deployment attempts that failed; undefined with none. */
  readonly changeFailureRate?: number;
  /** Time to restore: first failure of an environment to its next verified deployment. */
  readonly timeToRestore: DurationSummary;
}

/** Options of {@link computeDora}. */
export interface ComputeDoraOptions {
  readonly deployments: readonly DoraDeployment[];
  readonly failures: readonly DoraFailure[];
  readonly restores: readonly DoraRestore[];
  readonly window: DoraWindow;
}

/**
 * Computes the DORA metrics from ledger records over a window (records outside it are left out):
 * deployment frequency (production `Deployment Verified` per day), lead time for changes (median and
 * 90th percentile, nearest rank), change-failure rate (failed production deployments over all
 * production deployment attempts; a rollback belongs to the failure it answers and is not counted
 * again) and time to restore (median and 90th percentile).
 *
 * @example
 * ```ts
 * const inputs = doraInputsOf(records);
 * const dora = computeDora({ ...inputs, window: { from: new Date(Date.now() - 30 * 86_400_000), to: new Date() } });
 * ```
 */
export function computeDora(options: ComputeDoraOptions): DoraMetrics {
  const { window } = options;
  const inside = (at: string) => {
    const time = Date.parse(at);
    return time >= window.from.getTime() && time < window.to.getTime();
  };
  const deployments = options.deployments.filter((deployment) => inside(deployment.at));
  const failures = options.failures.filter((failure) => inside(failure.at));
  const restores = options.restores.filter((restore) => inside(restore.at));
  const days = Math.max(0, window.to.getTime() - window.from.getTime()) / 86_400_000;
  const attempts = deployments.length + failures.length;
  return {
    window: { from: window.from.toISOString(), to: window.to.toISOString(), days },
    deployments: deployments.length,
    deploymentsPerDay: days === 0 ? 0 : deployments.length / days,
    leadTime: summarise(deployments.flatMap((deployment) => deployment.leadTimeSeconds ?? [])),
    failures: failures.length,
    ...(attempts === 0 ? {} : { changeFailureRate: failures.length / attempts }),
    timeToRestore: summarise(restores.map((restore) => restore.seconds)),
  };
}

/**
 * Sorts the ledger's deployment outcomes into DORA inputs: production outcomes only; a verified
 * rollback restores but is no deployment of a change.
 *
 * @example
 * ```ts
 * const inputs = doraInputsOf(await reader.deployments("demo"));
 * ```
 */
export function doraInputsOf(records: readonly DeploymentRecord[]): Omit<ComputeDoraOptions, "window"> {
  const production = records.filter((record) => record.production);
  return {
    deployments: production
      .filter((record) => record.outcome === "verified" && record.kind === "update")
      .map((record) => ({
        at: record.at,
        ...(record.leadTimeSeconds === undefined ? {} : { leadTimeSeconds: record.leadTimeSeconds }),
      })),
    failures: production.filter((record) => record.outcome === "failed").map((record) => ({ at: record.at })),
    restores: production.flatMap((record) =>
      record.restoreSeconds === undefined ? [] : [{ at: record.at, seconds: record.restoreSeconds }],
    ),
  };
}

/**
 * The nearest-rank percentile of sorted values: the smallest value with at least `p`% of the
 * values at or below it.
 */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[Math.min(rank, sorted.length) - 1];
}

function summarise(values: readonly number[]): DurationSummary {
  const sorted = [...values].sort((left, right) => left - right);
  const median = percentile(sorted, 50);
  const p90 = percentile(sorted, 90);
  return {
    count: sorted.length,
    ...(median === undefined ? {} : { medianSeconds: median }),
    ...(p90 === undefined ? {} : { p90Seconds: p90 }),
  };
}
