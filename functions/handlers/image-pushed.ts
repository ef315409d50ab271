import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import type { AppConfig } from "../core/config/app.js";
import type { ScanPolicy } from "../core/config/scan-policy.js";
import { type EcrImageActionEvent, ecrImageActionEvent } from "../core/contracts/aws/ecr-image-action.js";
import { ShiplineError } from "../core/errors/shipline-error.js";
import { type AnnounceOutcome, announceImage } from "../core/images/announce-image.js";
import { knownImageOf } from "../core/images/known-image.js";
import type { DocumentStore } from "../core/ports/document-store.js";
import type { ImageRegistry } from "../core/ports/image-registry.js";
import type { ScanTimeoutScheduler } from "../core/ports/scan-timeout-scheduler.js";
import { scanTimeoutFor } from "../core/scan/scan-timeout-check.js";
import { awsInput, createStepHandler, type StepDeps, type StepInvocation } from "./shared/index.js";

/** What `image-pushed` needs beyond every step's dependencies. */
export interface ImagePushedDeps extends StepDeps {
  /** The configured apps (their image repositories and tag templates). */
  readonly apps: readonly Pick<AppConfig, "name" | "image">[];
  /** Labels and listings of the registry (ECR, or the local registry). */
  readonly registry: ImageRegistry;
  /** The images table: known images, announce claims, sweep watermarks. */
  readonly store: DocumentStore;
  /**
   * The registry host of an event's images, for `imageUri`.
   * @default - ECR of the event's account and region
   */
  /**
   * Arms the scan gate's timeout for every announced image (a one-time schedule), so that an image
   * whose scan never comes is judged by the policy's `onTimeout`. @default - no timeout is armed
   */
  readonly scanTimeouts?: {
    readonly scheduler: ScanTimeoutScheduler;
    readonly policy: Pick<ScanPolicy, "timeoutSeconds">;
  };
  readonly registryHostOf?: (event: Pick<EcrImageActionEvent, "account" | "region">) => string | undefined;
}

/** The input of `image-pushed`: ECR's `ECR Image Action`. */
export const imagePushedInput = awsInput(ecrImageActionEvent, "'ECR Image Action'");

/**
 * The ECR registry host of an account and region: `<account>.dkr.ecr.<region>.amazonaws.com`
 * (`.com.cn` in the China regions).
 *
 * @example
 * ```ts
 * ecrRegistryHost("123456789012", "eu-west-1"); // "123456789012.dkr.ecr.eu-west-1.amazonaws.com"
 * ```
 */
export function ecrRegistryHost(account: string, region: string): string {
  return `${account}.dkr.ecr.${region}.amazonaws.com${region.startsWith("cn-") ? ".cn" : ""}`;
}

/**
 * `image-pushed`'s work for one `ECR Image Action`: a successful push is announced once as
 * `Image Pushed` (see `announceImage`); deletes, failed pushes, images of no app and images whose
 * commit cannot be told are logged and left alone. When another announcer holds the image's claim,
 * a retryable `IMAGE_ANNOUNCE_IN_PROGRESS` is thrown so that the event comes back once it finished.
 *
 * @example
 * ```ts
 * const outcome = await runImagePushed({ event, deps, context, correlationId });
 * ```
 */
export async function runImagePushed(
  invocation: StepInvocation<EcrImageActionEvent, ImagePushedDeps>,
): Promise<AnnounceOutcome> {
  const { event, deps, correlationId } = invocation;
  const detail = event.detail;
  const image = { repository: detail["repository-name"], digest: detail["image-digest"] };
  if (detail["action-type"] !== "PUSH" || detail.result !== "SUCCESS") {
    const reason = `a ${detail["action-type"]} with result ${detail.result} announces nothing`;
    deps.logger.info("Image action ignored", { ...image, reason });
    return { kind: "ignored", reason };
  }
  const registryHost = (deps.registryHostOf ?? ((source) => ecrRegistryHost(source.account, source.region)))(
    event,
  );
  const outcome = await announceImage({
    image: { ...image, tags: detail["image-tag"] === undefined ? [] : [detail["image-tag"]] },
    apps: deps.apps,
    registry: deps.registry,
    store: deps.store,
    publisher: deps.publisher,
    clock: deps.clock,
    via: "event",
    // EventBridge delivers an event again only once an attempt ended: a claim of this event's id
    // is a crashed attempt's.
    claimant: event.id,
    correlationId,
    ...(registryHost === undefined ? {} : { registryHost }),
  });
  switch (outcome.kind) {
    case "announced":
      if (deps.scanTimeouts) {
        const now = deps.clock.now();
        await deps.scanTimeouts.scheduler.schedule(
          scanTimeoutFor({ image: knownImageOf(outcome.detail, now), policy: deps.scanTimeouts.policy, now }),
        );
      }
      deps.logger.info("Published Image Pushed", {
        app: outcome.detail.app,
        commit: outcome.detail.commit,
        commitFrom: outcome.detail.commitFrom,
        ...image,
        tag: outcome.detail.tag,
      });
      return outcome;
    case "duplicate":
      deps.logger.info("Image already announced", image);
      return outcome;
    case "ignored":
      deps.logger.info("Image ignored", { ...image, app: outcome.app, reason: outcome.reason });
      return outcome;
    case "in-progress":
      throw new ShiplineError({
        code: "IMAGE_ANNOUNCE_IN_PROGRESS",
        message: `${image.repository}@${image.digest} is being announced by another invocation; retried until it is known`,
        data: image,
        retryable: true,
      });
  }
}

/**
 * Builds the `image-pushed` Lambda handler (step 4) from its dependencies.
 *
 * @example
 * ```ts
 * export const handler = createImagePushedHandler({ ...createStepDeps({ step: "image-pushed", environment }), apps: config.apps, registry, store });
 * ```
 */
export function createImagePushedHandler(
  deps: ImagePushedDeps,
): MiddyfiedHandler<unknown, AnnounceOutcome | undefined, Error, Context> {
  return createStepHandler({ step: "image-pushed", input: imagePushedInput, deps, run: runImagePushed });
}
