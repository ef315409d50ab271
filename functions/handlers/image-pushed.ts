import type { MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import * as z from "zod";
import type { AppConfig } from "../core/config/app.js";
import type { ScanPolicy } from "../core/config/scan-policy.js";
import { type EcrImageActionEvent, ecrImageActionEvent } from "../core/contracts/aws/ecr-image-action.js";
import {
  HARBOR_SOURCE,
  type HarborArtifactPushedEvent,
  harborArtifactPushedEvent,
} from "../core/contracts/harbor/harbor-events.js";
import {
  REGISTRY_SOURCE,
  type RegistryImagePushedEvent,
  registryImagePushedEvent,
} from "../core/contracts/registry/registry-image-pushed.js";
import { ShiplineError } from "../core/errors/shipline-error.js";
import { type AnnounceOutcome, announceImage, type PushedImage } from "../core/images/announce-image.js";
import { knownImageOf } from "../core/images/known-image.js";
import type { DocumentStore } from "../core/ports/document-store.js";
import type { ImageRegistry } from "../core/ports/image-registry.js";
import type { ScanTimeoutScheduler } from "../core/ports/scan-timeout-scheduler.js";
import type { SourceBranches } from "../core/ports/source-branches.js";
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
   * Arms the scan gate's timeout for every announced image (a one-time schedule), so that an image
   * whose scan never comes is judged by the policy's `onTimeout`. @default - no timeout is armed
   */
  readonly scanTimeouts?: {
    readonly scheduler: ScanTimeoutScheduler;
    readonly policy: Pick<ScanPolicy, "timeoutSeconds">;
  };
  /**
   * The registry host of an event's images, for `imageUri`.
   * @default - ECR of the event's account and region
   */
  readonly registryHostOf?: (event: Pick<EcrImageActionEvent, "account" | "region">) => string | undefined;
  /**
   * The Harbor registries of the configuration, by the host their events name (`Harbor Artifact
   * Pushed`): the apps whose images live there and a reader of their labels through Harbor's API.
   * @default - Harbor's pushes are ignored with the reason
   */
  readonly harbor?: (host: string) => HarborSite | undefined;
  /**
   * The registries of kind oci of the configuration, by the host their announcements name
   * (`Registry Image Pushed`): their apps and a reader of labels through the distribution API.
   * @default - announced images are ignored with the reason
   */
  readonly registries?: (host: string) => HarborSite | undefined;
  /**
   * Tells which branches of an app's repository hold a commit, for apps with `accept.branches`.
   * @default - none: such an app has every image refused (its policy fails closed)
   */
  readonly branches?: SourceBranches;
}

/** A registry beyond the deployment's own (Harbor, or of kind oci) as `image-pushed` reads it. */
export interface HarborSite {
  /** The apps whose image repository is in this registry. */
  readonly apps: readonly Pick<AppConfig, "name" | "image">[];
  /** Reads image labels (Harbor's API with the robot account, or the distribution API). */
  readonly registry: ImageRegistry;
}

/** What `image-pushed` is invoked with: ECR's push, or Harbor's as the webhook published it. */
export const imagePushedEvent = z.union([
  ecrImageActionEvent,
  harborArtifactPushedEvent,
  registryImagePushedEvent,
]);

/** An event `image-pushed` handles. */
export type ImagePushedEvent = z.output<typeof imagePushedEvent>;

/** The input of `image-pushed`: ECR's `ECR Image Action` or `Harbor Artifact Pushed`. */
export const imagePushedInput = awsInput(
  imagePushedEvent,
  "'ECR Image Action', 'Harbor Artifact Pushed' or 'Registry Image Pushed'",
);

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
 * `image-pushed`'s work for one `ECR Image Action` or `Harbor Artifact Pushed`: a successful push is announced once as
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
  invocation: StepInvocation<ImagePushedEvent, ImagePushedDeps>,
): Promise<AnnounceOutcome> {
  const { event, deps } = invocation;
  if (event.source === HARBOR_SOURCE) return runHarborPushed({ ...invocation, event });
  if (event.source === REGISTRY_SOURCE) return runRegistryPushed({ ...invocation, event });
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
  return announce(invocation, {
    image: { ...image, tags: detail["image-tag"] === undefined ? [] : [detail["image-tag"]] },
    apps: deps.apps,
    registry: deps.registry,
    registryHost,
  });
}

/** A push Harbor notified: announced like ECR's, with Harbor's apps and Harbor's API. */
async function runHarborPushed(
  invocation: StepInvocation<HarborArtifactPushedEvent, ImagePushedDeps>,
): Promise<AnnounceOutcome> {
  const { event, deps } = invocation;
  const { registry: host, repository, digest, tags } = event.detail;
  const site = deps.harbor?.(host);
  if (site === undefined) {
    const reason = `Harbor at ${host} is not a registry of the configuration (registries: with kind: harbor and its url); its pushes announce nothing`;
    deps.logger.info("Image ignored", { repository, digest, reason });
    return { kind: "ignored", reason };
  }
  return announce(invocation, {
    image: { repository, digest, tags },
    apps: site.apps,
    registry: site.registry,
    registryHost: host,
  });
}

/** An image announced from a registry of kind oci: its labels read through the distribution API. */
async function runRegistryPushed(
  invocation: StepInvocation<RegistryImagePushedEvent, ImagePushedDeps>,
): Promise<AnnounceOutcome> {
  const { event, deps } = invocation;
  const { registry: host, repository, digest, tags } = event.detail;
  const site = deps.registries?.(host);
  if (site === undefined) {
    const reason = `${host} is not a registry of the configuration (registries: with kind: oci and its url); its announcements announce nothing`;
    deps.logger.info("Image ignored", { repository, digest, reason });
    return { kind: "ignored", reason };
  }
  return announce(invocation, {
    image: { repository, digest, tags },
    apps: site.apps,
    registry: site.registry,
    registryHost: host,
  });
}

async function announce(
  invocation: StepInvocation<ImagePushedEvent, ImagePushedDeps>,
  target: {
    readonly image: PushedImage;
    readonly apps: readonly Pick<AppConfig, "name" | "image">[];
    readonly registry: ImageRegistry;
    readonly registryHost: string | undefined;
  },
): Promise<AnnounceOutcome> {
  const { event, deps, correlationId } = invocation;
  const { registryHost } = target;
  const image = { repository: target.image.repository, digest: target.image.digest };
  const outcome = await announceImage({
    image: target.image,
    apps: target.apps,
    registry: target.registry,
    store: deps.store,
    publisher: deps.publisher,
    clock: deps.clock,
    via: "event",
    // EventBridge delivers an event again only once an attempt ended: a claim of this event's id
    // is a crashed attempt's.
    claimant: event.id,
    correlationId,
    ...(registryHost === undefined ? {} : { registryHost }),
    ...(deps.branches === undefined ? {} : { branches: deps.branches }),
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
    case "refused":
      deps.logger.info("Published Image Refused", {
        app: outcome.detail.app,
        commit: outcome.detail.commit,
        ...image,
        tag: outcome.detail.tag,
        rule: outcome.detail.rule,
        reason: outcome.detail.reason,
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
