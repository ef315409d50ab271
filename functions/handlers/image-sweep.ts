import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import * as z from "zod";
import type { AppConfig } from "../core/config/app.js";
import { type RepositorySweep, sweepImages } from "../core/images/sweep-images.js";
import type { DocumentStore } from "../core/ports/document-store.js";
import type { ImageRegistry } from "../core/ports/image-registry.js";
import type { SourceBranches } from "../core/ports/source-branches.js";
import { awsInput, createStepHandler, type StepDeps } from "./shared/index.js";
import { ecrRegistryOfFunctionArn } from "./start-build.js";

/** What the sweep needs beyond every step's dependencies. */
export interface ImageSweepDeps extends StepDeps {
  readonly apps: readonly Pick<AppConfig, "name" | "image">[];
  readonly registry: ImageRegistry;
  /** The images table (known images, claims, watermarks). */
  readonly store: DocumentStore;
  /** The registry host for `imageUri`. @default - ECR of the function's account and region */
  readonly registryHost?: string;
  /** @default SWEEP_DEFAULTS.settleSeconds */
  readonly settleSeconds?: number;
  /** @default SWEEP_DEFAULTS.lookbackSeconds */
  readonly lookbackSeconds?: number;
  /**
   * Which branches of an app's repository hold a commit, for apps with `accept.branches`.
   * @default - none: such an app has every image refused (its policy fails closed)
   */
  readonly branches?: SourceBranches;
}

/**
 * What starts a sweep: EventBridge Scheduler's payload on AWS, a timer locally. Its content is not
 * used, so any JSON object (or none) is accepted.
 */
export const imageSweepInput = awsInput(z.unknown(), "image sweep schedule");

/**
 * Builds the handler of `image-pushed`'s scheduled sweep: announces the images whose ECR event was
 * lost (see `sweepImages`) and logs, per repository, what it listed, announced and deferred. Runs as
 * the `image-pushed` step, so its failures are recorded and retried like the step's.
 *
 * @example
 * ```ts
 * export const handler = createImageSweepHandler({ ...createStepDeps({ step: "image-pushed", environment }), apps, registry, store });
 * ```
 */
export function createImageSweepHandler(
  deps: ImageSweepDeps,
): MiddyfiedHandler<unknown, RepositorySweep[] | undefined, Error, Context> {
  return createStepHandler({
    step: "image-pushed",
    input: imageSweepInput,
    deps,
    run: async ({ context }) => {
      const registryHost = deps.registryHost ?? ecrRegistryOfFunctionArn(context.invokedFunctionArn);
      const report = await sweepImages({
        apps: deps.apps,
        registry: deps.registry,
        store: deps.store,
        publisher: deps.publisher,
        clock: deps.clock,
        ...(registryHost === undefined ? {} : { registryHost }),
        ...(deps.settleSeconds === undefined ? {} : { settleSeconds: deps.settleSeconds }),
        ...(deps.lookbackSeconds === undefined ? {} : { lookbackSeconds: deps.lookbackSeconds }),
        ...(deps.branches === undefined ? {} : { branches: deps.branches }),
      });
      for (const sweep of report) {
        const announced = sweep.outcomes.filter(({ outcome }) => outcome.kind === "announced");
        deps.logger.info("Swept repository", {
          repository: sweep.repository,
          listed: sweep.listed,
          announced: announced.map(({ digest }) => digest),
          outcomes: sweep.outcomes.map(({ digest, outcome }) => ({
            digest,
            kind: outcome.kind,
            ...(outcome.kind === "ignored" ? { reason: outcome.reason } : {}),
            ...(outcome.kind === "refused" ? { reason: outcome.detail.reason } : {}),
          })),
          deferred: sweep.deferred,
          watermark: sweep.watermark.toISOString(),
        });
      }
      return report;
    },
  });
}
