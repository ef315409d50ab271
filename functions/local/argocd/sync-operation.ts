import { mkdtemp, rm } from "node:fs/promises";
import path from "node:path";
import type { Clock } from "../../core/ports/clock.js";
import type { ApplicationState } from "./application-state.js";
import { CanaryRollout, runCanary } from "./canary-rollout.js";
import type { ConfigTree } from "./config-tree.js";
import { ImagePullError, type ImageSource, pullImage } from "./image-files.js";
import type { ChartSource } from "./oci-chart-source.js";
import { readRolloutManifest } from "./rollout-manifest.js";
import { resolveWorkload } from "./workload-image.js";
import {
  probeReadiness,
  startWorkload,
  type WorkloadProcess,
  WorkloadStartError,
} from "./workload-process.js";

/** What a sync needs from the stand-in. */
export interface SyncContext {
  readonly tree: ConfigTree;
  readonly images: ImageSource;
  /** Where the OCI charts an umbrella chart depends on are pulled from. @default - none: such a source fails to render */
  readonly charts?: ChartSource;
  /** Where workloads are unpacked (one temporary directory each). */
  readonly workloadsDir: string;
  readonly readinessTimeoutMs: number;
  readonly healthPath: string;
  readonly clock: Clock;
  /** Tracks a started process until it is stopped (all are stopped on close). */
  readonly track: (process: WorkloadProcess) => void;
  /** How long a canary's `setWeight` step holds (a timed pause waits at most ten of these). @default 1000 */
  readonly canaryStepMs?: number;
}

/**
 * Runs one sync of an application to `revision`, as Argo CD and the kubelet would: the operation
 * is `Running`, then the revision is read from the config repository and its workload image
 * resolved (a revision or manifest that cannot be read fails the operation). Once applied, the
 * operation has `Succeeded`, `sync.revision` is the revision and health is `Progressing` while the
 * image is pulled from the local registry (missing: `Degraded`, ImagePullBackOff), started as a
 * local process and its readiness endpoint probed (no 2xx within the time-out, or an exit:
 * `Degraded`). Only a ready new version replaces (and stops) the one serving; until then, and when
 * it fails, the previous one keeps serving.
 *
 * When the revision renders an Argo Rollouts `Rollout` with canary steps and a version serves
 * already, the new version is rolled out as a canary ({@link runCanary}): the application is
 * Progressing while steps run, Suspended while a pause waits, Degraded when the new version's
 * health endpoint fails (the Rollout is aborted with that reason, the previous version keeps
 * serving), and Healthy once every step ran. A first rollout skips the steps, as Argo Rollouts does.
 *
 * @example
 * ```ts
 * void runSync({ state, revision, context });
 * ```
 */
export async function runSync(options: {
  readonly state: ApplicationState;
  readonly revision: string;
  readonly context: SyncContext;
}): Promise<void> {
  const { state, revision, context } = options;
  const now = () => context.clock.now().toISOString();
  const operation = {
    phase: "Running" as const,
    message: "waiting for completion of hook and healthy resources",
    revision,
    startedAt: now(),
  };
  state.operation = { ...operation };
  const record = state.operation;
  const finish = (
    phase: "Succeeded" | "Failed",
    message: string,
    resourceStatus?: "Synced" | "SyncFailed",
  ) => {
    record.phase = phase;
    record.message = message;
    record.finishedAt = now();
    if (resourceStatus !== undefined) record.resourceStatus = resourceStatus;
  };
  if ((await context.tree.commit(revision)) === undefined) {
    finish("Failed", `ComparisonError: unable to resolve '${revision}' to a commit SHA`);
    return;
  }
  let workload: Awaited<ReturnType<typeof resolveWorkload>>;
  try {
    workload = await resolveWorkload({
      tree: context.tree,
      commit: revision,
      application: state.manifest,
      ...(context.charts === undefined ? {} : { charts: context.charts }),
    });
  } catch (error) {
    finish("Failed", error instanceof Error ? error.message : String(error), "SyncFailed");
    return;
  }
  const rollout = await readRolloutManifest({
    tree: context.tree,
    commit: revision,
    application: state.manifest,
  });
  if (rollout === undefined) delete state.rollout;
  else
    state.rollout = new CanaryRollout({
      manifest: rollout,
      revision: state.history.length + 1,
      clock: context.clock,
    });
  state.syncRevision = revision;
  state.comparedImage = workload.reference;
  state.deployedRevision = revision;
  state.image = workload.reference;
  state.sourceType = workload.sourceType;
  state.reconciledAt = now();
  state.history.push({
    id: state.history.length,
    revision,
    deployStartedAt: operation.startedAt,
    deployedAt: now(),
  });
  state.health = { status: "Progressing", message: `Waiting for rollout to finish: ${workload.reference}` };
  finish("Succeeded", "successfully synced (all tasks run)", "Synced");
  await rollOut({
    state,
    revision,
    reference: workload.reference,
    image: workload.image,
    context,
    attempt: record,
  });
}

async function rollOut(options: {
  readonly state: ApplicationState;
  readonly revision: string;
  readonly reference: string;
  readonly image: Parameters<typeof pullImage>[0]["image"];
  readonly context: SyncContext;
  readonly attempt: object;
}): Promise<void> {
  const { state, context } = options;
  const current = () => state.operation === options.attempt;
  const degrade = (message: string) => {
    if (current()) state.health = { status: "Degraded", message };
  };
  const dir = await mkdtemp(path.join(context.workloadsDir, `${state.manifest.metadata.name}-`));
  let process: WorkloadProcess | undefined;
  try {
    const config = await pullImage({
      source: context.images,
      image: options.image,
      root: path.join(dir, "rootfs"),
    });
    process = await startWorkload({ config, root: path.join(dir, "rootfs") });
    context.track(process);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    if (error instanceof ImagePullError) return degrade(`${error.message}: ImagePullBackOff`);
    if (error instanceof WorkloadStartError) return degrade(`CreateContainerError: ${error.message}`);
    return degrade(`the workload could not start: ${error instanceof Error ? error.message : String(error)}`);
  }
  const ready = await probeReadiness({
    workload: process,
    path: context.healthPath,
    timeoutMs: context.readinessTimeoutMs,
  });
  const rollout = state.rollout;
  const canary = rollout !== undefined && rollout.steps.length > 0 && state.serving !== undefined;
  if (!ready && canary && current()) {
    rollout.abortWith(
      `the canary did not answer ${context.healthPath} with 2xx within ${Math.round(context.readinessTimeoutMs / 1000)}s`,
    );
  }
  if (!ready || !current()) {
    const exitCode = await Promise.race([process.exited, Promise.resolve("running" as const)]);
    const output = process.output();
    await process.stop();
    await rm(dir, { recursive: true, force: true });
    if (!ready && canary && rollout.abort) {
      degrade(rollout.message ?? "RolloutAborted");
    } else if (!ready) {
      degrade(
        exitCode === "running"
          ? `Readiness probe failed: GET ${context.healthPath} did not answer 2xx within ${Math.round(context.readinessTimeoutMs / 1000)}s${output ? ` (${output.split("\n").at(-1)})` : ""}`
          : `CrashLoopBackOff: back-off restarting failed container (exit code ${exitCode})${output ? `: ${output.split("\n").at(-1)}` : ""}`,
      );
    }
    return;
  }
  if (canary) {
    const started = process;
    const outcome = await runCanary({
      rollout,
      stepMs: context.canaryStepMs ?? 1000,
      healthy: () => answersHealth(started.port, context.healthPath),
      stale: () => !current(),
      onChange: () => {
        if (current()) state.health = { ...rollout.health() };
      },
    });
    if (outcome !== "completed") {
      await started.stop();
      await rm(dir, { recursive: true, force: true });
      return;
    }
  } else {
    rollout?.complete();
  }
  const previous = state.serving;
  state.serving = { revision: options.revision, reference: options.reference, process, dir };
  state.health = { status: "Healthy" };
  if (previous !== undefined) {
    await previous.process.stop();
    await rm(previous.dir, { recursive: true, force: true });
  }
}

/** Undefined when the workload answers its health endpoint with 2xx; otherwise why not. */
async function answersHealth(port: number, healthPath: string): Promise<string | undefined> {
  try {
    const response = await fetch(`http://127.0.0.1:${port}${healthPath}`, {
      signal: AbortSignal.timeout(2000),
    });
    await response.arrayBuffer();
    return response.ok ? undefined : `the canary answered ${healthPath} with ${response.status}`;
  } catch (error) {
    return `the canary did not answer ${healthPath}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
