import * as z from "zod";
import type { AcceptPolicy } from "../config/accept-policy.js";
import type { AppConfig } from "../config/app.js";
import { DetailType } from "../contracts/detail-type.js";
import { type ImagePushed, imagePushedDetail } from "../contracts/events/image-pushed.js";
import { type ImageRefused, imageRefusedDetail } from "../contracts/events/image-refused.js";
import type { Clock } from "../ports/clock.js";
import type { DocumentStore, StoreKey } from "../ports/document-store.js";
import type { EventPublisher } from "../ports/event-publisher.js";
import type { ImageRegistry } from "../ports/image-registry.js";
import type { SourceBranches } from "../ports/source-branches.js";
import { checkAcceptance } from "./check-acceptance.js";
import { CORRELATION_LABEL } from "./image-labels.js";
import {
  imagePartition,
  KNOWN_IMAGES_TABLE,
  knownImageKey,
  knownImageOf,
  readKnownImage,
} from "./known-image.js";
import { refusedImageKey, wasRefused } from "./refused-image.js";
import { repositoryName, resolveImageApp } from "./resolve-image-app.js";
import { resolveImageCommit } from "./resolve-image-commit.js";

/** The sort key of the short-lived claim that makes one announcer publish an image. */
export const ANNOUNCE_CLAIM_SK = "announce-claim";

/** How long a claim keeps other announcers off, so that a crashed announcer blocks nobody for long. */
export const DEFAULT_CLAIM_SECONDS = 300;

/** A pushed image to announce. */
export interface PushedImage {
  /** The repository name inside the registry (ECR's `repository-name`). */
  readonly repository: string;
  readonly digest: string;
  /** The pushed tag first, then any other tags the image has; empty for a push by digest. */
  readonly tags: readonly string[];
}

/**
 * An app as {@link announceImage} needs it: its name and image, and, when it has one, its
 * acceptance policy with the repository whose branches the policy names.
 */
export type AnnouncedApp = Pick<AppConfig, "name" | "image"> & {
  readonly accept?: AcceptPolicy | undefined;
  readonly source?: Pick<AppConfig["source"], "repo">;
};

/** Options of {@link announceImage}. */
export interface AnnounceImageOptions {
  readonly image: PushedImage;
  /** The configured apps; the one whose image repository is the image's announces it. */
  readonly apps: readonly AnnouncedApp[];
  readonly registry: ImageRegistry;
  readonly store: DocumentStore;
  readonly publisher: EventPublisher;
  readonly clock: Clock;
  /** How the push was noticed. */
  readonly via: ImagePushed["via"];
  /** The correlation id when the image carries none in its {@link CORRELATION_LABEL} label. */
  readonly correlationId: string;
  /** The registry host, to give `imageUri` (`<host>/<repository>:<tag>@<digest>`). @default - no imageUri */
  readonly registryHost?: string;
  /** @default DEFAULT_CLAIM_SECONDS */
  readonly claimSeconds?: number;
  /**
   * Who claims: the id of the event being handled. A claim held under the same id was left by an
   * earlier attempt at this very event, which ended without finishing (a crash, a time-out; the
   * event is delivered again only after an attempt ended), so it is taken over instead of waited
   * out. @default - a claim is only ever waited out
   */
  readonly claimant?: string;
  /**
   * Tells which branches of an app's repository hold a commit, for `accept.branches`. Without it an
   * app with `accept.branches` has every image refused (the policy fails closed). @default - none
   */
  readonly branches?: SourceBranches;
}

/** What became of an image. */
export type AnnounceOutcome =
  /** `Image Pushed` was published and the image is known. */
  | { readonly kind: "announced"; readonly detail: ImagePushed }
  /**
   * The app's acceptance policy refused it: `Image Refused` was published with the reason, and the
   * image stays unknown, so nothing scans, approves or deploys it.
   */
  | { readonly kind: "refused"; readonly detail: ImageRefused }
  /** Already announced or refused (by the event or by a sweep): nothing was published. */
  | { readonly kind: "duplicate" }
  /** Another announcer holds the claim and has not finished: try again later. */
  | { readonly kind: "in-progress" }
  /** Not an image Shipline delivers, or one whose commit cannot be told; not an error. */
  | { readonly kind: "ignored"; readonly reason: string; readonly app?: string };

/**
 * Announces a pushed image once: finds its app by repository and its source commit (revision label,
 * else the tag template) and applies the app's acceptance policy (`accept`, see `checkAcceptance`);
 * then publishes `Image Pushed` and records the image as known (the record the scan gate requires),
 * or, for an image the policy refuses, publishes `Image Refused` with the reason and records the
 * refusal instead, so it never enters the chain. A claim with an expiry in the images table makes the registry's event and
 * the sweep publish it once; a failed publish releases the claim and is rethrown, so it is retried,
 * and a claim left by a crash expires, or is taken over by the same event delivered again. An unknown repository or commit is `ignored` with a reason.
 *
 * @example
 * ```ts
 * const outcome = await announceImage({
 *   image: { repository: "demo", digest, tags: ["1.4.0-0123456"] },
 *   apps: config.apps, registry, store, publisher, clock, via: "event", correlationId: event.id,
 * });
 * if (outcome.kind === "ignored") logger.info("Image ignored", { reason: outcome.reason });
 * ```
 */
export async function announceImage(options: AnnounceImageOptions): Promise<AnnounceOutcome> {
  const { store, clock } = options;
  const repository = repositoryName(options.image.repository);
  const { digest, tags } = options.image;
  const app = resolveImageApp({ apps: options.apps, repository });
  if (!app) {
    return {
      kind: "ignored",
      reason: `no app's image.repository is '${repository}'; images of other repositories are not Shipline's to deliver`,
    };
  }
  if (
    (await readKnownImage({ store, repository, digest })) ||
    (await wasRefused({ store, repository, digest }))
  ) {
    return { kind: "duplicate" };
  }
  const labels = await options.registry.getImageLabels(repository, digest);
  if (labels === undefined) {
    return { kind: "ignored", app: app.name, reason: `${repository}@${digest} is no longer in the registry` };
  }
  const commit = resolveImageCommit({ labels, tags, tagTemplate: app.image.tag });
  if (commit.kind === "unknown") return { kind: "ignored", app: app.name, reason: commit.reason };
  const acceptance = await checkAcceptance({
    policy: app.accept,
    ...(app.source === undefined ? {} : { repo: app.source.repo }),
    tagTemplate: app.image.tag,
    commit: commit.commit,
    tag: commit.tag,
    ...(options.branches === undefined ? {} : { branches: options.branches }),
  });

  const now = clock.now();
  const claimed = await store.put(
    KNOWN_IMAGES_TABLE,
    claimKey(repository, digest),
    {
      via: options.via,
      claimedAt: now.toISOString(),
      ...(options.claimant === undefined ? {} : { claimant: options.claimant }),
    },
    {
      ifAbsent: true,
      expiresAt: new Date(now.getTime() + (options.claimSeconds ?? DEFAULT_CLAIM_SECONDS) * 1000),
    },
  );
  if (!claimed && !(await heldBy(store, claimKey(repository, digest), options.claimant))) {
    return (await readKnownImage({ store, repository, digest })) ||
      (await wasRefused({ store, repository, digest }))
      ? { kind: "duplicate" }
      : { kind: "in-progress" };
  }
  const announced = {
    app: app.name,
    commit: commit.commit,
    correlationId: correlationOf(labels, options.correlationId),
    repository,
    tag: commit.tag,
    digest,
    ...(options.registryHost === undefined
      ? {}
      : { imageUri: `${options.registryHost}/${repository}:${commit.tag}@${digest}` }),
    via: options.via,
    commitFrom: commit.from,
  };
  if (!acceptance.accepted) {
    const refused = imageRefusedDetail.parse({
      ...announced,
      rule: acceptance.rule,
      reason: acceptance.reason,
    });
    try {
      await options.publisher.publish([{ detailType: DetailType.ImageRefused, detail: refused }]);
      await store.put(KNOWN_IMAGES_TABLE, refusedImageKey(repository, digest), refused);
    } catch (error) {
      await store.delete(KNOWN_IMAGES_TABLE, claimKey(repository, digest));
      throw error;
    }
    return { kind: "refused", detail: refused };
  }
  const detail = imagePushedDetail.parse(announced);
  try {
    await options.publisher.publish([{ detailType: DetailType.ImagePushed, detail }]);
    await store.put(KNOWN_IMAGES_TABLE, knownImageKey(repository, digest), knownImageOf(detail, now));
  } catch (error) {
    // Without the claim, the retry (or the next sweep) announces the image again: a possible
    // duplicate `Image Pushed` is better than a lost one.
    await store.delete(KNOWN_IMAGES_TABLE, claimKey(repository, digest));
    throw error;
  }
  return { kind: "announced", detail };
}

/** Whether the live claim at `key` was made by `claimant`. */
async function heldBy(store: DocumentStore, key: StoreKey, claimant: string | undefined): Promise<boolean> {
  if (claimant === undefined) return false;
  const claim = announceClaim.safeParse(await store.get(KNOWN_IMAGES_TABLE, key));
  return claim.success && claim.data.claimant === claimant;
}

const announceClaim = z.object({ claimant: z.string().optional() });

function claimKey(repository: string, digest: string): StoreKey {
  return { pk: imagePartition(repository, digest), sk: ANNOUNCE_CLAIM_SK };
}

function correlationOf(labels: Readonly<Record<string, string>>, fallback: string): string {
  const label = labels[CORRELATION_LABEL]?.trim();
  return label !== undefined && label.length > 0 && label.length <= 256 ? label : fallback;
}
