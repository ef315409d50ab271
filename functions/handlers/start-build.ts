import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import { type StartBuildsResult, startBuilds } from "../core/build/start-builds.js";
import type { ShiplineConfig } from "../core/config/shipline-config.js";
import { DetailType } from "../core/contracts/detail-type.js";
import type { BuildRunner } from "../core/ports/build-runner.js";
import type { ChangedPathsSource } from "../core/ports/changed-paths-source.js";
import type { DocumentStore } from "../core/ports/document-store.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { createStepHandler } from "./shared/create-step-handler.js";
import { shiplineInput } from "./shared/step-input.js";

/** What `start-build` needs beyond every step's dependencies. */
export interface StartBuildDeps extends StepDeps {
  /** The parsed configuration (its apps). */
  readonly config: Pick<ShiplineConfig, "apps">;
  /** Remembers the builds started (table `idempotency`). */
  readonly store: DocumentStore;
  /** Starts builds: CodeBuild, or the local builder. */
  readonly runner: BuildRunner;
  /** The build project of an app, or undefined when it has none. */
  readonly projectNameOf: (app: string) => string | undefined;
  /**
   * The registry host of Shipline-managed (bare) image repositories.
   * @default - ECR of the function's own account and region, read from its ARN
   */
  readonly imageRegistry?: string;
  /**
   * Reads the changed paths of a push that lists none, and carries none the webhook read
   * (`repositoryPaths`), from its repository (a shallow git fetch).
   * @default - none: such a push counts every path as changed
   */
  readonly changedPaths?: ChangedPathsSource;
}

/**
 * The ECR registry host of the account and region a Lambda function runs in, from its ARN.
 *
 * @example
 * ```ts
 * ecrRegistryOfFunctionArn("arn:aws:lambda:eu-west-1:123456789012:function:start-build");
 * // "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
 * ```
 */
export function ecrRegistryOfFunctionArn(arn: string): string | undefined {
  const match = /^arn:(aws[a-z-]*):lambda:([a-z0-9-]+):(\d{12}):function:/.exec(arn);
  if (!match) return undefined;
  const [, partition, region, account] = match;
  return `${account}.dkr.ecr.${region}.amazonaws.com${partition === "aws-cn" ? ".cn" : ""}`;
}

/**
 * The `start-build` step (2): for a `Commit Pushed`, starts a build of every app the push touches and
 * publishes `Build Started` for each (see `startBuilds`); a duplicated event starts nothing twice.
 * A push that lists no changed paths has them read from its repository, and the log says where
 * they came from or why every app of the branch builds. A push that builds no app logs why for every
 * app. A bad tag template or a missing project is
 * recorded as `Step Failed`; a CodeBuild, store or bus fault is retried.
 *
 * @example
 * ```ts
 * export const handler = makeStartBuildHandler({ ...createStepDeps({ step: "start-build", environment }), config, store, runner, projectNameOf });
 * ```
 */
export function makeStartBuildHandler(
  deps: StartBuildDeps,
): MiddyfiedHandler<unknown, StartBuildsResult | undefined, Error, Context> {
  return createStepHandler({
    step: "start-build",
    input: shiplineInput(DetailType.CommitPushed),
    deps,
    run: async ({ event, context }) => {
      const { logger } = deps;
      const push = event.detail;
      const imageRegistry = deps.imageRegistry ?? ecrRegistryOfFunctionArn(context.invokedFunctionArn);
      const result = await startBuilds({
        ...deps,
        push,
        ...(imageRegistry === undefined ? {} : { imageRegistry }),
      });
      const where = `${push.repository.url} ${push.refType} ${push.refName} at ${push.commit}`;
      const { changed } = result;
      if (changed.known && changed.origin === "repository") {
        logger.info("Changed paths read from the repository", { push: where, count: changed.paths.length });
      } else if (!changed.known) {
        logger.info("Changed paths unknown; every path counts as changed", { push: where, why: changed.why });
      }
      if (result.builds.length === 0) {
        logger.info("Push builds no app", { push: where, skipped: result.skipped });
        return result;
      }
      for (const build of result.builds) {
        if (build.outcome === "started") {
          logger.info("Build started", {
            app: build.app,
            reason: build.reason,
            buildId: build.detail.buildId,
            logsUrl: build.detail.logsUrl,
          });
        } else {
          logger.info("Build already started for this push; nothing started", {
            app: build.app,
            buildId: build.buildId,
          });
        }
      }
      logger.debug("Apps the push does not build", { push: where, skipped: result.skipped });
      return result;
    },
  });
}
