import * as z from "zod";
import type { ScanPolicy } from "../config/scan-policy.js";
import { gitSha, imageDigest, resourceName } from "../contracts/primitives.js";
import type { KnownImage } from "../images/known-image.js";

/** The `source` of a scan-timeout check (never published on a bus: a schedule or timer sends it). */
export const SCAN_TIMEOUT_SOURCE = "shipline.scan-gate";

/** The `detail-type` of a scan-timeout check. */
export const SCAN_TIMEOUT_DETAIL_TYPE = "Scan Timeout Check";

/**
 * What the scan gate is invoked with when an image's scan timeout is up. It is shaped like an
 * event (source, detail-type, detail with app, commit and correlation id) so that logs and
 * `Step Failed` records tie it to the image's journey.
 */
export const scanTimeoutCheck = z.object({
  source: z.literal(SCAN_TIMEOUT_SOURCE),
  "detail-type": z.literal(SCAN_TIMEOUT_DETAIL_TYPE),
  detail: z.object({
    app: resourceName,
    commit: gitSha,
    correlationId: z.string().min(1).max(256),
    repository: z.string().min(1),
    digest: imageDigest,
  }),
});

/** A scan-timeout check (see {@link scanTimeoutCheck}). */
export type ScanTimeoutCheck = z.infer<typeof scanTimeoutCheck>;

/**
 * The timeout check of a pushed image and when it is due: the push time plus the policy's timeout,
 * or `now` when that moment has already passed (an image found late, by the sweep).
 *
 * @example
 * ```ts
 * const { check, at } = scanTimeoutFor({ image, policy: config.scanPolicy, now: clock.now() });
 * await scheduler.schedule({ check, at });
 * ```
 */
export function scanTimeoutFor(options: {
  readonly image: KnownImage;
  readonly policy: Pick<ScanPolicy, "timeoutSeconds">;
  readonly now: Date;
}): { readonly check: ScanTimeoutCheck; readonly at: Date } {
  const { image, policy, now } = options;
  const due = new Date(Date.parse(image.pushedAt) + policy.timeoutSeconds * 1000);
  return {
    check: {
      source: SCAN_TIMEOUT_SOURCE,
      "detail-type": SCAN_TIMEOUT_DETAIL_TYPE,
      detail: {
        app: image.app,
        commit: image.commit,
        correlationId: image.correlationId,
        repository: image.repository,
        digest: image.digest,
      },
    },
    at: due.getTime() > now.getTime() ? due : now,
  };
}
