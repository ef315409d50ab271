import * as z from "zod";
import { IDEMPOTENCY_TABLE } from "../core/build/idempotency-table.js";
import { DetailType } from "../core/contracts/detail-type.js";
import type { CommitPushed } from "../core/contracts/events/commit-pushed.js";
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
 * never taken for a replay; `start-build` drops the rare duplicate this may cause. A ref update
 * already published by another delivery (the same push redelivered under a new id) is not
 * published again; a delivery all of whose updates were published before resolves `replayed`.
 *
 * @example
 * ```ts
 * const outcome = await publishPushOnce({ store, publisher, clock, push: classification });
 * if (outcome === "replayed") logger.info("replayed delivery ignored");
 * ```
 */
export async function publishPushOnce(options: PublishPushOnceOptions): Promise<"published" | "replayed"> {
  const { store, publisher, push } = options;
  const delivery = await claimDelivery({
    ...options,
    deliveryKey: push.deliveryKey,
    refs: push.details.length,
  });
  if (delivery === "replayed") return "replayed";
  const { expiresAt } = delivery;
  // The same ref update sent again under a new delivery id (a redelivery by hand, a second hook on
  // the repository) is the same push: it is published once.
  const updates: CommitPushed[] = [];
  for (const detail of push.details) {
    const update = refUpdateKey(detail);
    const claimed = await store.put(
      IDEMPOTENCY_TABLE,
      update,
      { deliveryKey: push.deliveryKey },
      { ifAbsent: true, expiresAt },
    );
    const owner = refUpdateRecord.safeParse(await store.get(IDEMPOTENCY_TABLE, update)).data?.deliveryKey;
    if (claimed || owner === push.deliveryKey) updates.push(detail);
  }
  if (updates.length > 0) {
    await publisher.publish(updates.map((detail) => ({ detailType: DetailType.CommitPushed, detail })));
  }
  await delivery.markPublished();
  return updates.length > 0 ? "published" : "replayed";
}

/** A delivery claimed by {@link claimDelivery}: when its record expires, and how to mark it published. */
export interface ClaimedDelivery {
  readonly expiresAt: Date;
  /** Records that the delivery's events are on the bus, so that a replay publishes nothing. */
  markPublished(): Promise<void>;
}

/**
 * Claims a delivery before its events are published: its record is put `ifAbsent` with a 24-hour
 * TTL. A delivery already marked published is `replayed`; one whose earlier attempt ended before
 * publishing (a failure, a refusal, a time-out) is claimed again, so that the sender's retry goes
 * through. The caller publishes, then calls `markPublished`.
 *
 * @example
 * ```ts
 * const delivery = await claimDelivery({ store, clock, deliveryKey: "publish:ci-run-42" });
 * if (delivery !== "replayed") { await publish(); await delivery.markPublished(); }
 * ```
 */
export async function claimDelivery(options: {
  readonly store: DocumentStore;
  readonly clock: Clock;
  readonly deliveryKey: string;
  /** More of the record, for whoever reads the table. */
  readonly refs?: number;
}): Promise<ClaimedDelivery | "replayed"> {
  const { store, clock, deliveryKey } = options;
  const key = deliveryRecordKey(deliveryKey);
  const now = clock.now();
  const expiresAt = new Date(now.getTime() + DELIVERY_TTL_SECONDS * 1000);
  const record = {
    deliveryKey,
    receivedAt: now.toISOString(),
    ...(options.refs === undefined ? {} : { refs: options.refs }),
  };
  const fresh = await store.put(IDEMPOTENCY_TABLE, key, record, { ifAbsent: true, expiresAt });
  if (!fresh && deliveryRecord.safeParse(await store.get(IDEMPOTENCY_TABLE, key)).data?.publishedAt) {
    return "replayed";
  }
  return {
    expiresAt,
    markPublished: async () => {
      await store.put(
        IDEMPOTENCY_TABLE,
        key,
        { ...record, publishedAt: clock.now().toISOString() },
        { expiresAt },
      );
    },
  };
}

const refUpdateRecord = z.object({ deliveryKey: z.string() });

/**
 * The key of a ref update's idempotency record: the host, the repository, the ref and the update
 * (before → after), whatever delivery carried it.
 *
 * @example
 * ```ts
 * await store.get(IDEMPOTENCY_TABLE, refUpdateKey(detail));
 * ```
 */
export function refUpdateKey(detail: CommitPushed): StoreKey {
  return {
    pk: `refupdate#${detail.provider}#${detail.repository.fullName}#${detail.ref}`,
    sk: `${detail.before}..${detail.after}`,
  };
}
