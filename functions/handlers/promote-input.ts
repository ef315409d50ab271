import { DetailType } from "../core/contracts/detail-type.js";
import {
  PROMOTION_DUE_SOURCE,
  type PromotionDue,
  promotionDuePayload,
} from "../core/promotion/promotion-due.js";
import type { PromotionTrigger } from "../core/promotion/promotion-trigger.js";
import { awsInput, type ShiplineEvent, type StepInput, shiplineInput } from "./shared/index.js";

/** The bus events that make the promote step reconsider where an image goes. */
const busInput = shiplineInput(
  DetailType.ImageApproved,
  DetailType.DeploymentVerified,
  DetailType.DeploymentFailed,
  DetailType.PromotionApproved,
  DetailType.HoldPlaced,
  DetailType.HoldReleased,
);

const dueInput = awsInput(promotionDuePayload, "'Promotion Due'");

/** What the promote step is invoked with: a bus event, or a scheduled check. */
export type PromoteEvent =
  | ShiplineEvent<
      | "Image Approved"
      | "Deployment Verified"
      | "Deployment Failed"
      | "Promotion Approved"
      | "Hold Placed"
      | "Hold Released"
    >
  | PromotionDue;

/**
 * The promote step's input: `Image Approved`, `Deployment Verified`, `Deployment Failed`, `Promotion Approved`,
 * `Hold Placed` and `Hold Released` from the bus, each parsed by its contract, and the
 * `Promotion Due` payload of a one-time schedule.
 *
 * @example
 * ```ts
 * const event = promoteInput.parse(raw);
 * ```
 */
export const promoteInput: StepInput<PromoteEvent> = {
  kind: "shipline",
  accepts: `${busInput.accepts} or ${dueInput.accepts}`,
  parse(raw) {
    if (isDuePayload(raw)) return dueInput.parse(raw);
    return busInput.parse(raw);
  },
};

/**
 * The promotion trigger of a parsed event.
 *
 * @example
 * ```ts
 * const trigger = promotionTriggerOf(event);
 * ```
 */
export function promotionTriggerOf(event: PromoteEvent): PromotionTrigger {
  const base = { eventId: event.id, time: new Date(event.time) };
  switch (event["detail-type"]) {
    case "Promotion Due":
      return { ...base, kind: "promotion-due", detail: event.detail };
    case "Image Approved":
      return { ...base, kind: "image-approved", detail: event.detail };
    case "Deployment Verified":
      return { ...base, kind: "deployment-verified", detail: event.detail };
    case "Deployment Failed":
      return { ...base, kind: "deployment-failed", detail: event.detail };
    case "Promotion Approved":
      return { ...base, kind: "promotion-approved", detail: event.detail };
    case "Hold Placed":
      return { ...base, kind: "hold-placed", detail: event.detail };
    case "Hold Released":
      return { ...base, kind: "hold-released", detail: event.detail };
  }
}

function isDuePayload(raw: unknown): boolean {
  return typeof raw === "object" && raw !== null && "source" in raw && raw.source === PROMOTION_DUE_SOURCE;
}
