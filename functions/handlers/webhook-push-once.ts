import { z } from "zod";
import { IDEMPOTENCY_TABLE } from "../core/build/idempotency-table.js";
import { DetailType } from "../core/contracts/detail-type.js";
import type { Clock } from "../core/ports/clock.js";
import type { DocumentStore, StoreKey } from "../core/ports/document-store.js";
import type { EventPublisher } from "../core/ports/event-publisher.js";
import type { PushClassification } from "../core/webhook/webhook-classification.js";

/** How long a delivery id is remembered: hosts redeliver within hours, people within a day. */
export const DELIVERY_TTL_SECONDS = 24 * 60 * 60;

const deliveryRecord = z.object({ publishedAt: z.string().optional() });

/** Options of {@link publishPushOnce}. */
export interface PublishPushOnceOptions {
  readonly store: DocumentStore;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
  /** The classified push (a webhook's, or CodeCommit's normalised event). */
  readonly push: PushClassification;
}

/**
 * The key of a delivery's idempotency record.
 *
 * @example
 * ```ts
 * await store.get(IDEMPOTENCY_TABLE, deliveryRecordKey("github:72d3162e"));
 * ```
 */
export function deliveryRecordKey(deliveryKey: string): StoreKey {
  return { pk: `delivery#${deliveryKey}`, sk: "delivery" };
}

/**
 * Publishes a push's `Commit Pushed` details once per delivery: the delivery key is recorded first
 * (`ifAbsent`, with a 24-hour TTL) and marked published afterwards. A replayed or redelivered
 * delivery whose details were published resolves `replayed` and publishes nothing. One whose earlier
 * attempt failed (or timed out) before publishing is published now, so that the sender's retry is
 * never taken for a replay; `start-build` drops the rare duplicate this may cause.
 *
 * @example
 * ```ts
 * const outcome = await publishPushOnce({ store, publisher, clock, push: classification });
 * if (outcome === "replayed") logger.info("replayed delivery ignored");
 * ```
 */
export async function publishPushOnce(options: PublishPushOnceOptions): Promise<"published" | "replayed"> {
  const { store, publisher, clock, push } = options;
  const key = deliveryRecordKey(push.deliveryKey);
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + DELIVERY_TTL_SECONDS * 1000);
  const record = { deliveryKey: push.deliveryKey, receivedAt: now.toISOString(), refs: push.details.length };
  const fresh = await store.put(IDEMPOTENCY_TABLE, key, record, { ifAbsent: true, expiresAt });
  if (!fresh && deliveryRecord.safeParse(await store.get(IDEMPOTENCY_TABLE, key)).data?.publishedAt) {
    return "replayed";
  }
  await publisher.publish(push.details.map((detail) => ({ detailType: DetailType.CommitPushed, detail })));
  await store.put(
    IDEMPOTENCY_TABLE,
    key,
    { ...record, publishedAt: clock.now().toISOString() },
    { expiresAt },
  );
  return "published";
}
