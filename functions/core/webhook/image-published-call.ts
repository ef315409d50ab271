import * as z from "zod";
import { formatIssues } from "../contracts/format-issues.js";
import { imageDigest, imageTag } from "../contracts/primitives.js";
import { parseImageReference } from "../manifest/image-reference.js";
import type { AnnouncedImage } from "./announced-image.js";
import { SAFE_DELIVERY_ID } from "./delivery-id-of.js";
import { headerOf, type WebhookHeaders } from "./header-of.js";
import { signHmacSha256Hex, verifyHmacHexSignature } from "./hmac-hex-signature.js";

/** The `X-Shipline-Event` of the signed call that announces an image (`shipline publish`). */
export const IMAGE_PUBLISHED_EVENT = "image-published";

/** The headers of the "image published" call. */
export const ImagePublishedHeader = {
  Event: "x-shipline-event",
  Delivery: "x-shipline-delivery",
  Timestamp: "x-shipline-timestamp",
  Signature: "x-shipline-signature-256",
} as const;

/** How far the call's timestamp may be from now: five minutes either way, against replays. */
export const IMAGE_PUBLISHED_TOLERANCE_SECONDS = 300;

const SECONDS = /^\d{1,12}$/;
const REFERENCE = /^[^\s@:/]+(?::\d+)?\/[^\s@]+(?:@sha256:[0-9a-f]{64})?$/;

/**
 * The body of the "image published" call: the image reference the CI pushed, with the registry
 * host (`ghcr.io/acme/api:1.4.2`, `…@sha256:<digest>`, or both), and optionally the digest it
 * pushed, which the tag must point at.
 */
export const imagePublishedBody = z.strictObject({
  image: z
    .string()
    .max(512)
    .regex(REFERENCE, "is not an image reference with its registry host, e.g. ghcr.io/acme/api:1.4.2"),
  digest: imageDigest.optional(),
});

/** What an "image published" call amounts to: the image and its delivery, or why it is refused. */
export type ImagePublishedCall =
  | {
      readonly kind: "image";
      readonly deliveryId: string;
      readonly deliveryKey: string;
      readonly image: AnnouncedImage;
    }
  | { readonly kind: "rejected"; readonly status: 400 | 401 | 413 | 415; readonly reason: string };

/**
 * Whether a request is the "image published" call (`X-Shipline-Event: image-published`).
 *
 * @example
 * ```ts
 * if (isImagePublishedCall(request.headers)) return respondToImage(classifyImagePublished({ ... }), deps);
 * ```
 */
export function isImagePublishedCall(headers: WebhookHeaders): boolean {
  return headerOf(headers, ImagePublishedHeader.Event) === IMAGE_PUBLISHED_EVENT;
}

/**
 * The signature of an "image published" call: `sha256=` and the hex HMAC-SHA256, under the
 * publish secret, of the timestamp, a dot and the body, so that neither can be replayed apart.
 *
 * @example
 * ```ts
 * const signature = signImagePublished({ secret, timestamp: 1_765_000_000, rawBody });
 * ```
 */
export function signImagePublished(options: {
  readonly secret: string;
  readonly timestamp: number;
  readonly rawBody: Uint8Array;
}): string {
  return `sha256=${signHmacSha256Hex(options.secret, signedContent(String(options.timestamp), options.rawBody))}`;
}

/**
 * Checks and reads an "image published" call without I/O, in this order: 413 (too large), 401 (no
 * delivery id, no or stale timestamp, bad signature), 415 (not JSON), 400 (a body that is not
 * `{ image, digest? }`). Reasons name the fix and never hold a secret or signature.
 *
 * @example
 * ```ts
 * const call = classifyImagePublished({ headers, rawBody, secrets, now: clock.now(), maxBodyBytes });
 * ```
 */
export function classifyImagePublished(options: {
  readonly headers: WebhookHeaders;
  readonly rawBody: Uint8Array;
  readonly secrets: readonly string[];
  readonly now: Date;
  readonly maxBodyBytes: number;
}): ImagePublishedCall {
  const { headers, rawBody } = options;
  if (rawBody.length > options.maxBodyBytes) {
    return {
      kind: "rejected",
      status: 413,
      reason: `request body is ${rawBody.length} bytes, over the limit`,
    };
  }
  const deliveryId = headerOf(headers, ImagePublishedHeader.Delivery);
  if (deliveryId === undefined || !SAFE_DELIVERY_ID.test(deliveryId)) {
    return unauthorized("X-Shipline-Delivery is missing or not an id of [A-Za-z0-9._:-]");
  }
  const timestamp = headerOf(headers, ImagePublishedHeader.Timestamp);
  if (timestamp === undefined || !SECONDS.test(timestamp)) {
    return unauthorized("X-Shipline-Timestamp is missing or not Unix seconds");
  }
  const skew = Math.abs(options.now.getTime() / 1000 - Number(timestamp));
  if (skew > IMAGE_PUBLISHED_TOLERANCE_SECONDS) {
    return unauthorized(
      `X-Shipline-Timestamp is ${Math.round(skew)} s from now, more than ${IMAGE_PUBLISHED_TOLERANCE_SECONDS} s; sign the call when it is sent and check the sender's clock`,
    );
  }
  const check = verifyHmacHexSignature({
    signature: headerOf(headers, ImagePublishedHeader.Signature),
    prefix: "sha256=",
    rawBody: signedContent(timestamp, rawBody),
    secrets: options.secrets.filter((secret) => secret.length > 0),
  });
  if (!check.valid) {
    if (check.problem === "no-secret") {
      return unauthorized(
        "no publish secret is configured: declare the image's registry in registries: with kind: oci, which gives the stack its publish secret",
      );
    }
    return unauthorized(
      check.problem === "missing"
        ? "X-Shipline-Signature-256 is missing"
        : "X-Shipline-Signature-256 does not match; sign with the publish secret (shipline publish does, with SHIPLINE_PUBLISH_SECRET)",
    );
  }
  const mediaType = headerOf(headers, "content-type")?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") {
    return { kind: "rejected", status: 415, reason: "the image published call is sent as application/json" };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(rawBody).toString("utf8"));
  } catch {
    return { kind: "rejected", status: 400, reason: "the body is not JSON" };
  }
  const parsed = imagePublishedBody.safeParse(json);
  if (!parsed.success) {
    return {
      kind: "rejected",
      status: 400,
      reason: `the body is not { image, digest? }: ${formatIssues(parsed.error.issues).join("; ")}`,
    };
  }
  const reference = parseImageReference(parsed.data.image);
  const slash = reference.repository.indexOf("/");
  const named = reference.digest;
  const given = parsed.data.digest;
  if (named !== undefined && given !== undefined && named !== given) {
    return {
      kind: "rejected",
      status: 400,
      reason: `image names ${named} but digest says ${given}; give one digest`,
    };
  }
  const digest = named ?? given;
  if (reference.tag === undefined && digest === undefined) {
    return {
      kind: "rejected",
      status: 400,
      reason: `image ${parsed.data.image} names no tag or digest; announce ${parsed.data.image}:<tag>`,
    };
  }
  if (reference.tag !== undefined && !imageTag.safeParse(reference.tag).success) {
    return {
      kind: "rejected",
      status: 400,
      reason: `image ${parsed.data.image} has a tag no registry accepts`,
    };
  }
  return {
    kind: "image",
    deliveryId,
    deliveryKey: `publish:${deliveryId}`,
    image: {
      host: reference.repository.slice(0, slash).toLowerCase(),
      repository: reference.repository.slice(slash + 1),
      ...(reference.tag === undefined ? {} : { tag: reference.tag }),
      ...(digest === undefined ? {} : { digest }),
      announcedBy: "publish",
    },
  };
}

function signedContent(timestamp: string, rawBody: Uint8Array): Uint8Array {
  return Buffer.concat([Buffer.from(`${timestamp}.`), rawBody]);
}

function unauthorized(reason: string): ImagePublishedCall {
  return { kind: "rejected", status: 401, reason };
}
