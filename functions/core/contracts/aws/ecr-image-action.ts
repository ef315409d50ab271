import * as z from "zod";
import { envelopeOf } from "../event-envelope.js";

/** Detail of ECR's `ECR Image Action` event (push, delete). */
export const ecrImageActionDetail = z.object({
  result: z.enum(["SUCCESS", "FAILURE"]),
  "repository-name": z.string().min(1),
  "image-digest": z.string().min(1),
  "action-type": z.enum(["PUSH", "DELETE"]),
  "image-tag": z.string().optional(),
});

/** `aws.ecr` / `ECR Image Action`. */
export const ecrImageActionEvent = envelopeOf(ecrImageActionDetail).extend({
  source: z.literal("aws.ecr"),
  "detail-type": z.literal("ECR Image Action"),
});

/** An `ECR Image Action` event. */
export type EcrImageActionEvent = z.infer<typeof ecrImageActionEvent>;
