import type { DeployTarget } from "../config/deploy-target.js";
import { type WriteIntent, writeIntent } from "../writer/write-intent.js";
import type { WriteMode } from "./promotion-decision.js";
import type { ImageRecord } from "./promotion-records.js";

/** Options of {@link toWriteIntent}. */
export interface ToWriteIntentOptions {
  /** The intent's id: `<trigger event id>/<environment>`, see {@link promotionIntentId}. */
  readonly intentId: string;
  readonly environment: string;
  /** The app's deploy target in that environment. */
  readonly target: DeployTarget;
  /** The approved image to write. */
  readonly image: ImageRecord;
  /** `pull-request` for environments with `approval: pull-request`. @default "commit" */
  readonly mode?: WriteMode;
}

/**
 * Builds the config writer's request for promoting an image into an environment, checked against
 * the writer's contract (`writeIntent`), so that a message the writer would refuse is never sent.
 *
 * @example
 * ```ts
 * const intent = toWriteIntent({ intentId: promotionIntentId(eventId, "staging"), environment: "staging", target, image });
 * ```
 */
export function toWriteIntent(options: ToWriteIntentOptions): WriteIntent {
  const { image, target } = options;
  return writeIntent.parse({
    intentId: options.intentId,
    kind: "update",
    mode: options.mode ?? "commit",
    app: image.app,
    environment: options.environment,
    commit: image.commit,
    correlationId: image.correlationId,
    target: targetInput(target),
    image: { repository: image.repository, tag: image.tag, digest: image.digest },
    scanVerdict: "approved",
  });
}

/**
 * The id of the write intent a trigger sends for one environment: unique per (trigger, environment)
 * and the same on every redelivery of the trigger, so that the queue and the writer drop repeats.
 *
 * @example
 * ```ts
 * promotionIntentId("6f1c0d2e-...", "staging"); // "6f1c0d2e-.../staging"
 * ```
 */
export function promotionIntentId(eventId: string, environment: string): string {
  return `${eventId}/${environment}`;
}

/** The target's `chartVersion`, when it has one: written with the image. */
function chartVersionOf(target: DeployTarget) {
  return target.chartVersion === undefined ? {} : { chartVersion: target.chartVersion };
}

/** The target as the writer's contract takes it (the input form, whose defaults are already filled). */
function targetInput(target: DeployTarget) {
  switch (target.kind) {
    case "helm":
      return {
        kind: target.kind,
        file: target.file,
        path: target.path,
        field: target.field,
        application: target.application,
        ...chartVersionOf(target),
      };
    case "kustomize":
      return {
        kind: target.kind,
        file: target.file,
        image: target.image,
        field: target.field,
        application: target.application,
        ...chartVersionOf(target),
      };
    case "marker":
      return {
        kind: target.kind,
        file: target.file,
        marker: target.marker,
        field: target.field,
        application: target.application,
        ...chartVersionOf(target),
      };
  }
}
