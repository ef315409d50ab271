import * as z from "zod";
import { DetailType } from "../contracts/detail-type.js";
import { imageApprovedDetail } from "../contracts/events/image-approved.js";
import { imageRejectedDetail } from "../contracts/events/image-rejected.js";
import { isoTime } from "../contracts/primitives.js";
import { imagePartition, KNOWN_IMAGES_TABLE } from "../images/known-image.js";
import type { Clock } from "../ports/clock.js";
import type { DocumentStore, StoreKey } from "../ports/document-store.js";
import type { EventPublisher } from "../ports/event-publisher.js";
import type { VerdictRequest } from "./verdict-request.js";

/** How a verdict was reached. */
export type VerdictCause = "scan" | "scan-failure" | "timeout";

const storedVerdict = z.discriminatedUnion("detailType", [
  z.object({
    detailType: z.literal(DetailType.ImageApproved),
    detail: imageApprovedDetail,
    cause: z.enum(["scan", "scan-failure", "timeout"]),
    decidedAt: isoTime,
    publishedAt: isoTime.optional(),
  }),
  z.object({
    detailType: z.literal(DetailType.ImageRejected),
    detail: imageRejectedDetail,
    cause: z.enum(["scan", "scan-failure", "timeout"]),
    decidedAt: isoTime,
    publishedAt: isoTime.optional(),
  }),
]);

/** The scan gate's verdict on an image, as recorded in {@link KNOWN_IMAGES_TABLE}. */
export type StoredVerdict = z.infer<typeof storedVerdict>;

/**
 * The key of an image's verdict: the image's partition, sort key `verdict`.
 *
 * @example
 * ```ts
 * await store.get(KNOWN_IMAGES_TABLE, verdictKey("demo", digest));
 * ```
 */
export function verdictKey(repository: string, digest: string): StoreKey {
  return { pk: imagePartition(repository, digest), sk: "verdict" };
}

/**
 * Reads an image's recorded verdict, or undefined when it has none (a record that breaks the
 * schema counts as none, and is replaced by the next verdict).
 *
 * @example
 * ```ts
 * const verdict = await readVerdict({ store, repository: "demo", digest });
 * ```
 */
export async function readVerdict(options: {
  readonly store: DocumentStore;
  readonly repository: string;
  readonly digest: string;
}): Promise<StoredVerdict | undefined> {
  const raw = await options.store.get(KNOWN_IMAGES_TABLE, verdictKey(options.repository, options.digest));
  const parsed = storedVerdict.safeParse(raw);
  return parsed.success ? parsed.data : undefined;
}

/** What {@link publishVerdictOnce} did. */
export interface VerdictOutcome {
  /** `published`: this call announced the verdict standing; `already-decided`: an earlier call had. */
  readonly outcome: "published" | "already-decided";
  /** The verdict that stands (the earlier one when the image was already decided). */
  readonly verdict: StoredVerdict;
}

/**
 * Records an image's verdict and publishes it, once. The first verdict recorded for an image is
 * final: a duplicate scan event, a second scanner's result, a late scan after a timeout verdict or
 * a rescan do not flip it (a new push, i.e. a new digest, is judged afresh). When an earlier
 * invocation recorded a verdict but failed before publishing it, that recorded verdict is published
 * now, so a retry completes the first decision instead of making another. Delivery is at least once:
 * a crash between publishing and marking it published publishes it again on the retry.
 *
 * @example
 * ```ts
 * const { outcome, verdict } = await publishVerdictOnce({ store, publisher, clock, request, cause: "scan" });
 * ```
 */
export async function publishVerdictOnce(options: {
  readonly store: DocumentStore;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
  readonly request: VerdictRequest;
  readonly cause: VerdictCause;
}): Promise<VerdictOutcome> {
  const { store, publisher, clock, request, cause } = options;
  const { repository, digest } = request.detail;
  const key = verdictKey(repository, digest);
  const fresh = storedVerdict.parse({ ...request, cause, decidedAt: clock.now().toISOString() });
  const created = await store.put(KNOWN_IMAGES_TABLE, key, fresh, { ifAbsent: true });
  const standing = created ? fresh : await readVerdict({ store, repository, digest });
  if (standing === undefined) {
    // A record exists but is unreadable: replace it with this decision.
    await store.put(KNOWN_IMAGES_TABLE, key, fresh);
    return publishStored({ store, publisher, clock, key, verdict: fresh, outcome: "published" });
  }
  if (standing.publishedAt !== undefined) return { outcome: "already-decided", verdict: standing };
  return publishStored({ store, publisher, clock, key, verdict: standing, outcome: "published" });
}

async function publishStored(options: {
  readonly store: DocumentStore;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
  readonly key: StoreKey;
  readonly verdict: StoredVerdict;
  readonly outcome: VerdictOutcome["outcome"];
}): Promise<VerdictOutcome> {
  const { store, publisher, clock, key, verdict, outcome } = options;
  await publisher.publish([verdictRequestOf(verdict)]);
  const published: StoredVerdict = { ...verdict, publishedAt: clock.now().toISOString() };
  await store.put(KNOWN_IMAGES_TABLE, key, published);
  return { outcome, verdict: published };
}

/**
 * The event of a recorded verdict, to publish it again exactly as decided.
 *
 * @example
 * ```ts
 * await publisher.publish([verdictRequestOf(verdict)]);
 * ```
 */
export function verdictRequestOf(verdict: StoredVerdict): VerdictRequest {
  return verdict.detailType === DetailType.ImageApproved
    ? { detailType: verdict.detailType, detail: verdict.detail }
    : { detailType: verdict.detailType, detail: verdict.detail };
}
