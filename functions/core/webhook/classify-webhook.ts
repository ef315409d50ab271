import type { CommitPushed } from "../contracts/events/commit-pushed.js";
import { ShiplineError } from "../errors/shipline-error.js";
import { bitbucketPushPayload, refPushesOfBitbucket } from "./bitbucket-push-payload.js";
import { bitbucketServerPushPayload, refPushesOfBitbucketServer } from "./bitbucket-server-push-payload.js";
import { decodeWebhookBody } from "./decode-webhook-body.js";
import { deliveryIdOf } from "./delivery-id-of.js";
import { detectWebhookSource, type WebhookSource } from "./detect-webhook-source.js";
import { giteaPushPayload, refPushOfGitea } from "./gitea-push-payload.js";
import { githubPackagePayload, imageOfGithubPackage } from "./github-package-payload.js";
import { githubPingPayload } from "./github-ping-payload.js";
import { githubPushPayload, refPushOfGithub } from "./github-push-payload.js";
import { gitlabPushPayload, refPushOfGitlab } from "./gitlab-push-payload.js";
import type { WebhookHeaders } from "./header-of.js";
import { parseWebhookPayload, WEBHOOK_PAYLOAD_INVALID } from "./parse-webhook-payload.js";
import { redactSecrets, sensitiveValuesOf } from "./redact-secrets.js";
import { commitPushedOf, type RefPush } from "./ref-push.js";
import { verifyWebhookSignature } from "./verify-webhook-signature.js";
import type { WebhookClassification, WebhookDelivery } from "./webhook-classification.js";

/** Options for {@link classifyWebhook}. */
export interface ClassifyWebhookOptions {
  /** The request headers, any case. */
  readonly headers: WebhookHeaders;
  /** The request body exactly as received (see `rawBodyOf`). */
  readonly rawBody: Uint8Array;
  /** The webhook secret, or several while one is being rotated (any of them is accepted). */
  readonly secret: string | readonly string[];
  /** The current time, from the injected clock. */
  readonly now: Date;
  /** The largest body accepted; a larger one is answered 413 before anything else is read. */
  readonly maxBodyBytes: number;
  /** How far GitLab's `webhook-timestamp` may be from `now`. @default - 300 seconds */
  readonly toleranceSeconds?: number;
}

/**
 * Decides what a webhook request amounts to, without any I/O: checks the size, tells the sender by
 * its headers, verifies the signature over the raw body, decodes the body and normalises a push into
 * `Commit Pushed` details. Bad input never throws: it is a `rejected` result with a status and a
 * reason that names the fix and contains no secret or signature.
 *
 * Checks run in this order: 413 (too large), 401 (unknown sender, bad or missing signature), 415
 * (content type), 400 (malformed JSON or payload). Only then is the event looked at: GitHub's `ping`
 * and Bitbucket Server's `diagnostics:ping` are `ping`; GitHub's `package` of a container image is
 * `image`; pushes (Bitbucket Server's `repo:refs_changed`
 * among them) are `push`; deletions and every other event are `ignored` with a reason.
 *
 * Replays are not decided here: the handler records `deliveryKey` with a TTL and drops a delivery
 * whose key it has already seen.
 *
 * @example
 * ```ts
 * const result = classifyWebhook({ headers: request.headers, rawBody: rawBodyOf(request), secret, now: clock.now(), maxBodyBytes: 1_048_576 });
 * if (result.kind === "push") await publisher.publish(result.details.map((detail) => ({ detailType: DetailType.CommitPushed, detail })));
 * return { statusCode: httpStatusOf(result) };
 * ```
 */
export function classifyWebhook(options: ClassifyWebhookOptions): WebhookClassification {
  const secrets = (typeof options.secret === "string" ? [options.secret] : options.secret).filter(
    (secret) => secret.length > 0,
  );
  const result = classify(options, secrets);
  const sensitive = sensitiveValuesOf(options.headers, secrets);
  switch (result.kind) {
    case "rejected":
    case "ignored":
      return { ...result, reason: redactSecrets(result.reason, sensitive) };
    case "push":
      return { ...result, skipped: result.skipped.map((reason) => redactSecrets(reason, sensitive)) };
    case "image":
    case "ping":
      return result;
  }
}

function classify(options: ClassifyWebhookOptions, secrets: readonly string[]): WebhookClassification {
  const { headers, rawBody, maxBodyBytes } = options;
  if (rawBody.length > maxBodyBytes) {
    return {
      kind: "rejected",
      status: 413,
      reason: `request body is ${rawBody.length} bytes, over the limit of ${maxBodyBytes} bytes; raise the webhook body limit if such pushes are expected`,
    };
  }
  const source = detectWebhookSource(headers);
  if (source === undefined) {
    return {
      kind: "rejected",
      status: 401,
      reason:
        "request names no known git host: expected an X-GitHub-Event, X-Gitlab-Event, X-Gitea-Event, X-Forgejo-Event or X-Event-Key (Bitbucket Cloud, Server and Data Center) header; point only git host webhooks at this URL",
    };
  }
  const { provider } = source;
  const verdict = verifyWebhookSignature({
    source,
    headers,
    rawBody,
    secrets,
    now: options.now,
    ...(options.toleranceSeconds === undefined ? {} : { toleranceSeconds: options.toleranceSeconds }),
  });
  if (!verdict.valid) return { kind: "rejected", status: 401, reason: verdict.reason, provider };
  const decoded = decodeWebhookBody({ source, headers, rawBody });
  if (!decoded.ok) return { kind: "rejected", status: decoded.status, reason: decoded.reason, provider };
  const deliveryId = deliveryIdOf({ provider, headers, rawBody });
  const delivery: WebhookDelivery = { provider, deliveryId, deliveryKey: `${provider}:${deliveryId}` };
  try {
    return classifyEvent(source, decoded.payload, delivery);
  } catch (error) {
    if (error instanceof ShiplineError && error.code === WEBHOOK_PAYLOAD_INVALID) {
      return { kind: "rejected", status: 400, reason: error.message, provider };
    }
    throw error;
  }
}

function classifyEvent(
  source: WebhookSource,
  payload: unknown,
  delivery: WebhookDelivery,
): WebhookClassification {
  const { host, event } = source;
  switch (`${host} ${event}`) {
    case "GitHub ping":
      parseWebhookPayload(githubPingPayload, payload, "GitHub ping payload");
      return { kind: "ping", ...delivery };
    case "GitHub push":
      return pushOf(
        [refPushOfGithub(parseWebhookPayload(githubPushPayload, payload, "GitHub push payload"))],
        delivery,
      );
    case "GitHub package": {
      const outcome = imageOfGithubPackage(
        parseWebhookPayload(githubPackagePayload, payload, "GitHub package payload"),
      );
      return "image" in outcome
        ? {
            kind: "image",
            deliveryId: delivery.deliveryId,
            deliveryKey: delivery.deliveryKey,
            image: outcome.image,
          }
        : { kind: "ignored", ...delivery, reason: outcome.ignored };
    }
    case "Gitea push":
    case "Forgejo push": {
      const parsed = parseWebhookPayload(giteaPushPayload, payload, `${host} push payload`);
      return pushOf([refPushOfGitea(parsed, host === "Forgejo" ? "Forgejo" : "Gitea")], delivery);
    }
    case "GitLab Push Hook":
    case "GitLab Tag Push Hook":
      return pushOf(
        [refPushOfGitlab(parseWebhookPayload(gitlabPushPayload, payload, "GitLab push payload"))],
        delivery,
      );
    case "Bitbucket repo:push":
      return pushOf(
        refPushesOfBitbucket(parseWebhookPayload(bitbucketPushPayload, payload, "Bitbucket push payload")),
        delivery,
      );
    case "Bitbucket Server diagnostics:ping":
      return { kind: "ping", ...delivery };
    case "Bitbucket Server repo:refs_changed":
      return pushOf(
        refPushesOfBitbucketServer(
          parseWebhookPayload(bitbucketServerPushPayload, payload, "Bitbucket Server push payload"),
        ),
        delivery,
      );
    default:
      return {
        kind: "ignored",
        ...delivery,
        reason: `${host} event ${JSON.stringify(event.slice(0, 64))} is not a push; nothing to publish`,
      };
  }
}

function pushOf(refPushes: readonly RefPush[], delivery: WebhookDelivery): WebhookClassification {
  const details: CommitPushed[] = [];
  const skipped: string[] = [];
  const base = delivery.deliveryKey;
  const invalid: string[] = [];
  refPushes.forEach((refPush, index) => {
    const correlationId = refPushes.length === 1 ? base : `${base}#${index + 1}`;
    const outcome = commitPushedOf(refPush, { deliveryId: delivery.deliveryId, correlationId });
    if ("detail" in outcome) details.push(outcome.detail);
    else if ("invalid" in outcome) invalid.push(outcome.invalid);
    else skipped.push(outcome.skipped);
  });
  if (invalid.length > 0) {
    return {
      kind: "rejected",
      status: 400,
      reason: invalid.join("; "),
      ...(delivery.provider === "codecommit" ? {} : { provider: delivery.provider }),
    };
  }
  const [first, ...rest] = details;
  if (first === undefined) {
    return {
      kind: "ignored",
      ...delivery,
      reason: skipped.join("; ") || "push changed no ref; nothing to publish",
    };
  }
  return { kind: "push", ...delivery, details: [first, ...rest], skipped };
}
