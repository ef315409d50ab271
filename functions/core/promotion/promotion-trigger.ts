import type { DeploymentFailed } from "../contracts/events/deployment-failed.js";
import type { DeploymentVerified } from "../contracts/events/deployment-verified.js";
import type { HoldPlaced } from "../contracts/events/hold-placed.js";
import type { HoldReleased } from "../contracts/events/hold-released.js";
import type { ImageApproved } from "../contracts/events/image-approved.js";
import type { PromotionApproved } from "../contracts/events/promotion-approved.js";
import type { PromotionDue } from "./promotion-due.js";

interface TriggerBase {
  /** The event's id (or the schedule's id): a redelivery has the same one. */
  readonly eventId: string;
  /** When the event happened (a verification's time starts the soak time). */
  readonly time: Date;
}

/**
 * Something that makes the promote step reconsider where an image goes: an event from the bus,
 * parsed by its contract, or a scheduled check.
 *
 * @example
 * ```ts
 * const trigger: PromotionTrigger = { kind: "image-approved", eventId: event.id, time: new Date(event.time), detail: event.detail };
 * ```
 */
export type PromotionTrigger =
  | (TriggerBase & { readonly kind: "image-approved"; readonly detail: ImageApproved })
  | (TriggerBase & { readonly kind: "deployment-verified"; readonly detail: DeploymentVerified })
  | (TriggerBase & { readonly kind: "deployment-failed"; readonly detail: DeploymentFailed })
  | (TriggerBase & { readonly kind: "promotion-approved"; readonly detail: PromotionApproved })
  | (TriggerBase & { readonly kind: "hold-placed"; readonly detail: HoldPlaced })
  | (TriggerBase & { readonly kind: "hold-released"; readonly detail: HoldReleased })
  | (TriggerBase & { readonly kind: "promotion-due"; readonly detail: PromotionDue["detail"] });
