import { injectLambdaContext } from "@aws-lambda-powertools/logger/middleware";
import { MetricUnit } from "@aws-lambda-powertools/metrics";
import { logMetrics } from "@aws-lambda-powertools/metrics/middleware";
import { captureLambdaHandler } from "@aws-lambda-powertools/tracer/middleware";
import middy, { type MiddyfiedHandler } from "@middy/core";
import type { Context } from "aws-lambda";
import { type FunctionUrlResponse, functionUrlRequest } from "../core/contracts/aws/function-url-request.js";
import type { CommitPushed } from "../core/contracts/events/commit-pushed.js";
import type { DocumentStore } from "../core/ports/document-store.js";
import { classifyWebhook } from "../core/webhook/classify-webhook.js";
import { classifyImagePublished, isImagePublishedCall } from "../core/webhook/image-published-call.js";
import { isHarborWebhook } from "../core/webhook/is-harbor-webhook.js";
import { rawBodyOf } from "../core/webhook/raw-body-of.js";
import { httpStatusOf, type WebhookClassification } from "../core/webhook/webhook-classification.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { jsonAnswer } from "./shared/json-answer.js";
import { type HarborWebhookDeps, respondToHarbor } from "./webhook-harbor.js";
import { type ImageAnnouncementDeps, respondToImage } from "./webhook-image.js";
import { publishPushOnce } from "./webhook-push-once.js";

/** The largest webhook body accepted, under Lambda's 6 MB request limit. */
export const DEFAULT_WEBHOOK_MAX_BODY_BYTES = 5 * 1024 * 1024;

/**
 * Where the webhook secret comes from: Secrets Manager (cached) on AWS, a fixed value locally. Several
 * values are accepted while a secret is rotated.
 */
export interface SecretSource {
  /** The accepted secrets. */
  values(): Promise<readonly string[]>;
}

/** What the webhook needs beyond every step's dependencies. */
export interface WebhookDeps extends StepDeps {
  /** Holds the delivery ids already published (table `idempotency`). */
  readonly store: DocumentStore;
  /** The webhook secret. */
  readonly secrets: SecretSource;
  /** Larger bodies are answered 413. @default DEFAULT_WEBHOOK_MAX_BODY_BYTES */
  readonly maxBodyBytes?: number;
  /**
   * The repositories the configuration names (see `configuredRepositories`): a push of any other
   * is answered 202 with the reason and publishes nothing.
   * @default - every repository
   */
  readonly repositories?: (push: CommitPushed) => boolean;
  /**
   * Harbor's notifications (a request that names no git host and carries an Authorization header).
   * @default - Harbor's notifications are answered 401
   */
  readonly harbor?: HarborWebhookDeps;
  /**
   * Images announced from registries of kind oci: the signed "image published" call (`shipline
   * publish`) and GitHub's package webhook. @default - such announcements are answered 422
   */
  readonly images?: ImageAnnouncementDeps;
}

/** Metric names the webhook emits, one per request. */
export const WebhookMetric = {
  Published: "WebhookPublished",
  Replayed: "WebhookReplayed",
  Ignored: "WebhookIgnored",
  Rejected: "WebhookRejected",
  Faulted: "WebhookFaulted",
} as const;

/** A Function URL request handler without Lambda's context, as the local runtime calls it. */
export type WebhookResponder = (request: unknown) => Promise<FunctionUrlResponse>;

/**
 * Builds the webhook's request handling (step 1): verify, classify, drop replays, publish one
 * `Commit Pushed` per pushed ref. Every answer is a response, never an exception:
 * 200 ping; 202 push published, replayed delivery, or ignored event (deletions, other events: the
 * reason is logged); 400 malformed JSON or payload (with the reason); 401 bad or missing signature;
 * 405 not a POST; 413 body over the limit; 415 wrong content type. Harbor's push and scan
 * notifications are answered by `respondToHarbor`; an announced image (the signed "image
 * published" call, GitHub's package webhook) by `respondToImage`. Only a fault of the
 * infrastructure (secret, store or bus unavailable) is a 500, which the git host retries.
 * Headers, secrets and signatures are never logged.
 *
 * @example
 * ```ts
 * const respond = createWebhookResponder({ ...stepDeps, store, secrets: { values: async () => ["s3cr3t"] } });
 * const server = new FunctionUrlServer({ handler: respond });
 * ```
 */
export function createWebhookResponder(deps: WebhookDeps): WebhookResponder {
  const { logger, metrics } = deps;
  return async (raw) => {
    const parsed = functionUrlRequest.safeParse(raw);
    if (!parsed.success) {
      metrics.addMetric(WebhookMetric.Rejected, MetricUnit.Count, 1);
      logger.warn("Webhook request is not a Function URL request", { status: 400 });
      return jsonAnswer(400, "the request is not a Lambda Function URL request (payload format 2.0)");
    }
    const request = parsed.data;
    if (request.requestContext.http.method.toUpperCase() !== "POST") {
      metrics.addMetric(WebhookMetric.Rejected, MetricUnit.Count, 1);
      logger.warn("Webhook request rejected", { status: 405, method: request.requestContext.http.method });
      return jsonAnswer(405, "webhooks are delivered with POST; configure the git host to POST to this URL");
    }
    try {
      if (isHarborWebhook(request.headers)) {
        return await respondToHarbor({
          deps,
          harbor: deps.harbor,
          headers: request.headers,
          rawBody: rawBodyOf(request),
          maxBodyBytes: deps.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES,
        });
      }
      if (isImagePublishedCall(request.headers)) {
        const call = classifyImagePublished({
          headers: request.headers,
          rawBody: rawBodyOf(request),
          secrets: deps.images === undefined ? [] : await deps.images.secrets.values(),
          now: deps.clock.now(),
          maxBodyBytes: deps.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES,
        });
        return await respondTo(call, deps);
      }
      const result = classifyWebhook({
        headers: request.headers,
        rawBody: rawBodyOf(request),
        secret: await deps.secrets.values(),
        now: deps.clock.now(),
        maxBodyBytes: deps.maxBodyBytes ?? DEFAULT_WEBHOOK_MAX_BODY_BYTES,
      });
      return await respondTo(result, deps);
    } catch (error) {
      metrics.addMetric(WebhookMetric.Faulted, MetricUnit.Count, 1);
      logger.error("Webhook delivery could not be handled; answering 500 so that the host retries", {
        error,
      });
      return jsonAnswer(500, "the delivery could not be recorded or published; it is safe to redeliver it");
    }
  };
}

async function respondTo(result: WebhookClassification, deps: WebhookDeps): Promise<FunctionUrlResponse> {
  const { logger, metrics } = deps;
  const status = httpStatusOf(result);
  switch (result.kind) {
    case "rejected":
      metrics.addMetric(WebhookMetric.Rejected, MetricUnit.Count, 1);
      logger.warn("Webhook request rejected", { status, reason: result.reason, provider: result.provider });
      return jsonAnswer(status, result.reason);
    case "ping":
      logger.setCorrelationId(result.deliveryKey);
      logger.info("Webhook ping answered", { provider: result.provider, deliveryId: result.deliveryId });
      return jsonAnswer(status, "pong", { deliveryId: result.deliveryId });
    case "ignored":
      logger.setCorrelationId(result.deliveryKey);
      metrics.addMetric(WebhookMetric.Ignored, MetricUnit.Count, 1);
      logger.info("Webhook delivery ignored", {
        reason: result.reason,
        provider: result.provider,
        deliveryId: result.deliveryId,
      });
      return jsonAnswer(status, result.reason, { deliveryId: result.deliveryId });
    case "image":
      logger.setCorrelationId(result.deliveryKey);
      return respondToImage({ deps, store: deps.store, images: deps.images, classification: result });
    case "push": {
      logger.setCorrelationId(result.deliveryKey);
      const named = deps.repositories;
      const [first, ...rest] = named === undefined ? result.details : result.details.filter(named);
      if (first === undefined) {
        const reason = `${result.details[0]?.repository.fullName ?? "the repository"} is not a repository the configuration names (no app builds from it and it is not the config repository); nothing was published`;
        metrics.addMetric(WebhookMetric.Ignored, MetricUnit.Count, 1);
        logger.info("Webhook push of a repository the configuration does not name", {
          reason,
          provider: result.provider,
          deliveryId: result.deliveryId,
        });
        return jsonAnswer(202, reason, { deliveryId: result.deliveryId });
      }
      const outcome = await publishPushOnce({ ...deps, push: { ...result, details: [first, ...rest] } });
      if (outcome === "replayed") {
        metrics.addMetric(WebhookMetric.Replayed, MetricUnit.Count, 1);
        logger.info("Webhook delivery replayed; it was published before, so nothing is published", {
          provider: result.provider,
          deliveryId: result.deliveryId,
        });
        return jsonAnswer(status, "delivery already published", { deliveryId: result.deliveryId });
      }
      metrics.addMetric(WebhookMetric.Published, MetricUnit.Count, 1);
      logger.info("Webhook push published", {
        provider: result.provider,
        deliveryId: result.deliveryId,
        refs: result.details.map((detail) => `${detail.refType} ${detail.refName} at ${detail.commit}`),
        skipped: result.skipped,
      });
      return jsonAnswer(status, "push accepted", {
        deliveryId: result.deliveryId,
        published: result.details.length,
      });
    }
  }
}

/**
 * The webhook's Lambda handler for its Function URL: {@link createWebhookResponder} behind
 * Powertools' tracer, logger (Lambda context on every line) and metrics.
 *
 * @example
 * ```ts
 * export const handler = makeWebhookHandler({ ...createStepDeps({ step: "webhook", environment }), store, secrets });
 * ```
 */
export function makeWebhookHandler(
  deps: WebhookDeps,
): MiddyfiedHandler<unknown, FunctionUrlResponse, Error, Context> {
  const respond = createWebhookResponder(deps);
  return middy<unknown, FunctionUrlResponse, Error, Context>()
    .use(captureLambdaHandler(deps.tracer))
    .use(injectLambdaContext(deps.logger, { resetKeys: true }))
    .use(logMetrics(deps.metrics, { captureColdStartMetric: true }))
    .handler((request) => respond(request));
}
