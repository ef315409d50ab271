import type * as z from "zod";
import { formatIssues } from "../contracts/format-issues.js";
import { ShiplineError } from "../errors/shipline-error.js";
import type { DocumentStore, StoreKey } from "../ports/document-store.js";
import { type PromotionDecision, promotionDecision } from "./promotion-decision.js";
import {
  PROCESSED_EVENT_TTL_SECONDS,
  PROMOTION_TABLE,
  pendingPrefix,
  promotionKeys,
} from "./promotion-keys.js";
import {
  type EnvironmentState,
  environmentState,
  type FailedRecord,
  failedRecord,
  type HoldRecord,
  holdRecord,
  type ImageRecord,
  imageRecord,
  type PendingPromotion,
  type PromotionClaim,
  pendingPromotion,
  promotionClaim,
  verifiedRecord,
} from "./promotion-records.js";

/**
 * Typed access to the promotion records in a {@link DocumentStore} (table {@link PROMOTION_TABLE},
 * keys {@link promotionKeys}). Every record read is parsed; a record that does not parse is a
 * permanent `PROMOTION_STATE_CORRUPT` error naming its key.
 *
 * @example
 * ```ts
 * const state = new PromotionState({ store });
 * const hold = await state.activeHold("demo", "production", clock.now());
 * ```
 */
export class PromotionState {
  readonly #store: DocumentStore;
  readonly #table: string;

  constructor(options: { readonly store: DocumentStore; readonly table?: string }) {
    this.#store = options.store;
    this.#table = options.table ?? PROMOTION_TABLE;
  }

  /** The approved image with this digest, if the scan gate approved one. */
  image(app: string, digest: string): Promise<ImageRecord | undefined> {
    return this.#read(promotionKeys.image(app, digest), imageRecord);
  }

  /** Every approved image of the app (to resolve a digest prefix or a tag a person typed). */
  async images(app: string): Promise<ImageRecord[]> {
    const { pk } = promotionKeys.image(app, "");
    const items = await this.#store.query(this.#table, pk, { skPrefix: "image#" });
    return items.map((item) => parseRecord(imageRecord, item.value, item));
  }

  /** Records an approved image. */
  async putImage(image: ImageRecord): Promise<void> {
    await this.#store.put(this.#table, promotionKeys.image(image.app, image.digest), image);
  }

  /** What the app has in the environment (empty when nothing was deployed or promoted there). */
  async environment(app: string, environment: string): Promise<EnvironmentState> {
    return (await this.#read(promotionKeys.environment(app, environment), environmentState)) ?? {};
  }

  /** Replaces what the app has in the environment. */
  async putEnvironment(app: string, environment: string, value: EnvironmentState): Promise<void> {
    await this.#store.put(this.#table, promotionKeys.environment(app, environment), value);
  }

  /** Whether the image was verified in the environment at some point. */
  async wasVerified(app: string, environment: string, digest: string): Promise<boolean> {
    return (await this.#read(promotionKeys.verified(app, environment, digest), verifiedRecord)) !== undefined;
  }

  /** Records that the image was verified in the environment. */
  async putVerified(
    app: string,
    environment: string,
    digest: string,
    commit: string,
    at: Date,
  ): Promise<void> {
    const value = { commit, verifiedAt: at.toISOString() };
    await this.#store.put(this.#table, promotionKeys.verified(app, environment, digest), value);
  }

  /** The failure of this image in the environment, if its deployment failed there. */
  failure(app: string, environment: string, digest: string): Promise<FailedRecord | undefined> {
    return this.#read(promotionKeys.failed(app, environment, digest), failedRecord);
  }

  /** Records that an image's deployment failed in an environment (the first failure is kept). */
  async putFailure(record: FailedRecord): Promise<void> {
    const key = promotionKeys.failed(record.app, record.environment, record.digest);
    await this.#store.put(this.#table, key, record, { ifAbsent: true });
  }

  /** Forgets a failure: the image was verified there again after an explicit redeploy. */
  async deleteFailure(app: string, environment: string, digest: string): Promise<void> {
    await this.#store.delete(this.#table, promotionKeys.failed(app, environment, digest));
  }

  /** Lets a failed image into the environment again (an explicit redeploy claims it anew). */
  async deleteClaim(app: string, environment: string, digest: string): Promise<void> {
    await this.#store.delete(this.#table, promotionKeys.claim(app, environment, digest));
  }

  /** The hold on (environment, app) that is in force at `now`, if any (an expired hold is none). */
  async activeHold(app: string, environment: string, now: Date): Promise<HoldRecord | undefined> {
    const hold = await this.#read(promotionKeys.hold(app, environment), holdRecord);
    if (hold?.expiresAt !== undefined && Date.parse(hold.expiresAt) <= now.getTime()) return undefined;
    return hold;
  }

  /** Places (or replaces) the hold on (environment, app); the store drops it once it expires. */
  async putHold(hold: HoldRecord): Promise<void> {
    const expiresAt = hold.expiresAt === undefined ? undefined : new Date(hold.expiresAt);
    await this.#store.put(this.#table, promotionKeys.hold(hold.app, hold.environment), hold, { expiresAt });
  }

  /** Releases the hold on (environment, app). */
  async deleteHold(app: string, environment: string): Promise<void> {
    await this.#store.delete(this.#table, promotionKeys.hold(app, environment));
  }

  /** The images waiting to enter the environment. */
  async pending(app: string, environment: string): Promise<PendingPromotion[]> {
    const { pk } = promotionKeys.pending(app, environment, "");
    const items = await this.#store.query(this.#table, pk, { skPrefix: pendingPrefix(environment) });
    return items.map((item) => parseRecord(pendingPromotion, item.value, item));
  }

  /** Records an image waiting to enter an environment (replacing its earlier wait). */
  async putPending(pending: PendingPromotion): Promise<void> {
    const key = promotionKeys.pending(pending.app, pending.environment, pending.digest);
    await this.#store.put(this.#table, key, pending);
  }

  /** Forgets that an image waits to enter an environment. */
  async deletePending(app: string, environment: string, digest: string): Promise<void> {
    await this.#store.delete(this.#table, promotionKeys.pending(app, environment, digest));
  }

  /** The claim of an image's promotion into an environment, if it was promoted there. */
  claim(app: string, environment: string, digest: string): Promise<PromotionClaim | undefined> {
    return this.#read(promotionKeys.claim(app, environment, digest), promotionClaim);
  }

  /**
   * Claims the promotion of an image into an environment for one write intent. Resolves true when
   * this intent holds the claim (new, or claimed by the same intent before: a retry), false when
   * another intent promoted it.
   */
  async claimPromotion(
    app: string,
    environment: string,
    digest: string,
    claim: PromotionClaim,
  ): Promise<boolean> {
    const key = promotionKeys.claim(app, environment, digest);
    if (await this.#store.put(this.#table, key, claim, { ifAbsent: true })) return true;
    return (await this.#read(key, promotionClaim))?.intentId === claim.intentId;
  }

  /** Whether the event was handled completely before. */
  async wasProcessed(eventId: string): Promise<boolean> {
    return (await this.#store.get(this.#table, promotionKeys.processed(eventId))) !== undefined;
  }

  /** Remembers that the event was handled, for {@link PROCESSED_EVENT_TTL_SECONDS}. */
  async markProcessed(eventId: string, now: Date): Promise<void> {
    const expiresAt = new Date(now.getTime() + PROCESSED_EVENT_TTL_SECONDS * 1000);
    await this.#store.put(
      this.#table,
      promotionKeys.processed(eventId),
      { at: now.toISOString() },
      { expiresAt },
    );
  }

  /** Records a decision for the ledger. */
  async recordDecision(decision: PromotionDecision): Promise<void> {
    const key = promotionKeys.decision({
      app: decision.app,
      commit: decision.commit,
      decidedAt: decision.decidedAt,
      environment: decision.environment,
      eventId: decision.trigger.eventId,
    });
    await this.#store.put(this.#table, key, decision);
  }

  /** The decisions recorded about one app and source commit, in time order. */
  async decisions(app: string, commit: string): Promise<PromotionDecision[]> {
    const { pk } = promotionKeys.decision({ app, commit, decidedAt: "", environment: "", eventId: "" });
    const items = await this.#store.query(this.#table, pk);
    return items.map((item) => parseRecord(promotionDecision, item.value, item));
  }

  async #read<S extends z.ZodType>(key: StoreKey, schema: S): Promise<z.output<S> | undefined> {
    const value = await this.#store.get(this.#table, key);
    return value === undefined ? undefined : parseRecord(schema, value, key);
  }
}

function parseRecord<S extends z.ZodType>(schema: S, value: unknown, key: StoreKey): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems = formatIssues(result.error.issues, "record");
  throw new ShiplineError({
    code: "PROMOTION_STATE_CORRUPT",
    message: `The promotion record ${key.pk} / ${key.sk} does not parse (${problems.join("; ")}); delete it so that promotion rebuilds it from the next events`,
    data: { pk: key.pk, sk: key.sk, problems },
    retryable: false,
  });
}
