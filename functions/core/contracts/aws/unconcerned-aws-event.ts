import * as z from "zod";
import { inspector2ScanEvent } from "./inspector2-scan.js";

const inspectorScanFacts = z.looseObject({
  source: z.literal(inspector2ScanEvent.shape.source.value),
  "detail-type": z.literal(inspector2ScanEvent.shape["detail-type"].value),
  resources: z.array(z.unknown()).optional(),
  detail: z
    .looseObject({
      "repository-name": z.unknown().optional(),
      "image-digest": z.unknown().optional(),
      "instance-id": z.unknown().optional(),
    })
    .optional(),
});

/**
 * Why an AWS service event that reached a step does not concern Shipline, or undefined when it may:
 * today, an `Inspector2 Scan` of anything but an ECR container image (Inspector scans EC2 instances
 * and Lambda functions under the same detail type, without `repository-name` and `image-digest`).
 * Such an event is left alone with this reason in the log; it is never a `Step Failed`, since nothing
 * is wrong with it. The rules already keep it out (see `AWS_EVENT_PATTERNS.inspector2Scanned`); this
 * covers events that reach a step another way (an archive replay, a rule deployed before the filter).
 *
 * @example
 * ```ts
 * const reason = unconcernedAwsEventReason(rawEvent);
 * if (reason !== undefined) logger.info("Event ignored", { reason });
 * ```
 */
export function unconcernedAwsEventReason(event: unknown): string | undefined {
  const scan = inspectorScanFacts.safeParse(event);
  if (!scan.success) return undefined;
  const detail = scan.data.detail;
  const repository = detail?.["repository-name"];
  if (
    typeof repository === "string" &&
    repository.includes(":ecr:") &&
    detail?.["image-digest"] !== undefined
  ) {
    return undefined;
  }
  return `Inspector2 Scan of ${subjectOf(scan.data)} is not a scan of an ECR container image; only image scans concern Shipline`;
}

function subjectOf(event: z.infer<typeof inspectorScanFacts>): string {
  const instance = event.detail?.["instance-id"];
  if (typeof instance === "string") return `EC2 instance ${instance.slice(0, 64)}`;
  const [resource] = event.resources ?? [];
  if (typeof resource !== "string") return "a resource it does not name";
  const shown = resource.slice(0, 256);
  if (/^arn:[^:]+:lambda:/.test(resource)) return `Lambda function ${shown}`;
  if (/^i-[0-9a-f]+$/.test(resource)) return `EC2 instance ${shown}`;
  return shown;
}
