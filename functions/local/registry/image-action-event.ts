import { type EcrImageActionEvent, ecrImageActionEvent } from "../../core/contracts/aws/ecr-image-action.js";

/** What {@link imageActionEvent} needs. */
export interface ImageActionEventOptions {
  /** The event id. */
  readonly id: string;
  /** When the push completed. */
  readonly time: Date;
  readonly account: string;
  readonly region: string;
  readonly repository: string;
  readonly digest: string;
  /** The tag pushed; left out for a push by digest, as ECR does. */
  readonly tag?: string;
}

/**
 * Builds the `aws.ecr` / `ECR Image Action` event (PUSH, SUCCESS) ECR publishes after a push, in
 * the EventBridge envelope, and validates it against the contract every consumer parses it with.
 *
 * @example
 * ```ts
 * const event = imageActionEvent({ id, time, account: "000000000000", region: "local", repository: "demo/app", digest, tag: "1.0" });
 * ```
 */
export function imageActionEvent(options: ImageActionEventOptions): EcrImageActionEvent {
  return ecrImageActionEvent.parse({
    version: "0",
    id: options.id,
    "detail-type": "ECR Image Action",
    source: "aws.ecr",
    account: options.account,
    // ECR's own events carry whole seconds.
    time: `${options.time.toISOString().slice(0, 19)}Z`,
    region: options.region,
    resources: [],
    detail: {
      result: "SUCCESS",
      "repository-name": options.repository,
      "image-digest": options.digest,
      "action-type": "PUSH",
      ...(options.tag === undefined ? {} : { "image-tag": options.tag }),
    },
  });
}
