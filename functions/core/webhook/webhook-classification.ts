import type { CommitPushed, GIT_PROVIDERS } from "../contracts/events/commit-pushed.js";
import type { AnnouncedImage } from "./announced-image.js";

/** A git host Shipline understands. */
export type GitProvider = (typeof GIT_PROVIDERS)[number];

/** A git host that sends webhooks (CodeCommit sends EventBridge events instead). Forgejo counts as Gitea. */
export type WebhookProvider = Exclude<GitProvider, "codecommit">;

/** Who sent a delivery and how to recognise it again. */
export interface WebhookDelivery {
  /** The git host. */
  readonly provider: GitProvider;
  /** The host's delivery id (or, when it sends none, a hash of the body). */
  readonly deliveryId: string;
  /** `provider:deliveryId`: the key of the idempotency record that makes a replayed delivery a no-op. */
  readonly deliveryKey: string;
}

/** A push to publish as one `Commit Pushed` per updated ref. */
export interface PushClassification extends WebhookDelivery {
  readonly kind: "push";
  /** One detail per created or updated branch or tag (Bitbucket may report several in one delivery). */
  readonly details: readonly [CommitPushed, ...CommitPushed[]];
  /** Why other refs of the same delivery were left out (deleted refs), for the log. */
  readonly skipped: readonly string[];
}

/** A ping (the host checking the endpoint): answer 200 and publish nothing. */
export interface PingClassification extends WebhookDelivery {
  readonly kind: "ping";
}

/** An authentic delivery that asks for nothing (a deletion, another event): answer 202, log the reason. */
export interface IgnoredClassification extends WebhookDelivery {
  readonly kind: "ignored";
  /** Why nothing is published; safe to log. */
  readonly reason: string;
}

/**
 * An image announced to the webhook (GitHub's package webhook, the signed "image published" call):
 * the webhook resolves it in its registry and publishes `Registry Image Pushed`.
 */
export interface ImageClassification {
  readonly kind: "image";
  /** The delivery id (the git host's, or the call's `X-Shipline-Delivery`). */
  readonly deliveryId: string;
  readonly deliveryKey: string;
  readonly image: AnnouncedImage;
}

/** A request refused before anything is published. */
export interface RejectedClassification {
  readonly kind: "rejected";
  /** 401 bad or missing signature, 400 malformed body, 413 body too large, 415 wrong content type. */
  readonly status: 400 | 401 | 413 | 415;
  /** What was wrong and how to fix it; never contains a secret or a signature. */
  readonly reason: string;
  /** The host the headers named, when they named one. */
  readonly provider?: WebhookProvider;
}

/**
 * What a webhook request amounts to. Every outcome for bad input is a value, never an exception, so
 * that the handler never answers 500 for something the sender did.
 */
export type WebhookClassification =
  | PushClassification
  | PingClassification
  | ImageClassification
  | IgnoredClassification
  | RejectedClassification;

/**
 * The HTTP status to answer a classified request with: 202 for a push (the chain continues
 * asynchronously) and for an ignored delivery, 200 for a ping, the rejection's own status otherwise.
 *
 * @example
 * ```ts
 * return { statusCode: httpStatusOf(result), body: result.kind };
 * ```
 */
export function httpStatusOf(classification: WebhookClassification): number {
  switch (classification.kind) {
    case "push":
    case "image":
    case "ignored":
      return 202;
    case "ping":
      return 200;
    case "rejected":
      return classification.status;
  }
}
