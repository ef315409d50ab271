import * as z from "zod";
import { gitSha, imageDigest, isoTime, resourceName } from "../contracts/primitives.js";

/**
 * An image the scan gate approved, as promotion needs it later: a `Deployment Verified` or a
 * `Promotion Approved` names only the digest. Key: {@link promotionKeys}.image.
 */
export const imageRecord = z.object({
  app: resourceName,
  repository: z.string().min(1),
  tag: z.string().min(1),
  digest: imageDigest,
  /** The source commit. */
  commit: gitSha,
  /** The source commit's committer time, when the repository could tell. */
  commitTime: isoTime.optional(),
  /** The journey's correlation id (the push that built the image). */
  correlationId: z.string().min(1),
  approvedAt: isoTime,
});

/** An {@link imageRecord}. */
export type ImageRecord = z.output<typeof imageRecord>;

/** An image in an environment: the digest with its source commit and commit time. */
export const environmentImage = z.object({
  digest: imageDigest,
  commit: gitSha,
  commitTime: isoTime.optional(),
  tag: z.string().min(1).optional(),
  /** When it was verified (deployed) or promoted (asked for). */
  at: isoTime,
});

/** An {@link environmentImage}. */
export type EnvironmentImage = z.output<typeof environmentImage>;

/**
 * What one app has in one environment: the image last verified there (`deployed`) and the image
 * promotion last asked the config writer for (`promoted`). Key: {@link promotionKeys}.environment.
 */
export const environmentState = z.object({
  deployed: environmentImage.optional(),
  promoted: environmentImage.optional(),
});

/** An {@link environmentState}. */
export type EnvironmentState = z.output<typeof environmentState>;

/** That an image was verified in an environment. Key: {@link promotionKeys}.verified. */
export const verifiedRecord = z.object({ commit: gitSha, verifiedAt: isoTime });

/** A {@link verifiedRecord}. */
export type VerifiedRecord = z.output<typeof verifiedRecord>;

/**
 * A hold on (environment, app): automatic promotion there stops until it is released or expires.
 * Key: {@link promotionKeys}.hold.
 */
export const holdRecord = z.object({
  app: resourceName,
  environment: resourceName,
  reason: z.string().min(1),
  placedBy: z.string().min(1),
  placedAt: isoTime,
  expiresAt: isoTime.optional(),
  /** The image the hold is about (a rollback names the image it took out). */
  digest: z.string().optional(),
});

/** A {@link holdRecord}. */
export type HoldRecord = z.output<typeof holdRecord>;

/**
 * That an image's deployment failed in an environment (DESIGN §7): automation never brings it back
 * there nor promotes it onward from there; only `shipline approve --redeploy` does. Key:
 * {@link promotionKeys}.failed.
 */
export const failedRecord = z.object({
  app: resourceName,
  environment: resourceName,
  digest: imageDigest,
  tag: z.string().min(1).optional(),
  commit: gitSha,
  /** The config commit whose deployment failed. */
  configCommit: gitSha,
  reason: z.string().min(1),
  failedAt: isoTime,
});

/** A {@link failedRecord}. */
export type FailedRecord = z.output<typeof failedRecord>;

/** Why a promotion waits. */
export const PENDING_STATUSES = ["soaking", "awaiting-approval", "held"] as const;

/**
 * An image waiting to enter an environment: soaking upstream, awaiting a manual approval, or held.
 * Key: {@link promotionKeys}.pending.
 */
export const pendingPromotion = z.object({
  app: resourceName,
  environment: resourceName,
  digest: imageDigest,
  commit: gitSha,
  correlationId: z.string().min(1),
  status: z.enum(PENDING_STATUSES),
  since: isoTime,
  /** Soaking: when the soak time ends. */
  dueAt: isoTime.optional(),
});

/** A {@link pendingPromotion}. */
export type PendingPromotion = z.output<typeof pendingPromotion>;

/**
 * That an image was promoted into an environment by one write intent: written only when absent,
 * so that each image enters each environment at most once. Key: {@link promotionKeys}.claim.
 */
export const promotionClaim = z.object({ intentId: z.string().min(1), claimedAt: isoTime });

/** A {@link promotionClaim}. */
export type PromotionClaim = z.output<typeof promotionClaim>;
