import { MetricUnit } from "@aws-lambda-powertools/metrics";
import type { FunctionUrlResponse } from "../core/contracts/aws/function-url-request.js";
import type { RegistryEventPublisher } from "../core/ports/registry-event-publisher.js";
import { classifyHarborWebhook } from "../core/webhook/classify-harbor-webhook.js";
import type { WebhookHeaders } from "../core/webhook/header-of.js";
import type { StepDeps } from "./shared/create-step-deps.js";
import { jsonAnswer } from "./shared/json-answer.js";

/** What the webhook needs to take Harbor's notifications. */
export interface HarborWebhookDeps {
  /** The Harbor webhook secret(s): the webhook policy's Auth Header. */
  readonly secrets: { values(): Promise<readonly string[]> };
  /** Puts `Harbor Artifact Pushed` / `Harbor Scan Completed` on the bus. */
  readonly events: RegistryEventPublisher;
  /**
   * Whether a Harbor repository (`<project>/<repository>`) is one an app's image lives in: a
   * notification of any other is answered 202 with the reason and publishes nothing.
   */
  readonly repositories: (repository: string) => boolean;
}

/** Metric names of the Harbor path, one per request (beside the webhook's own). */
const Metric = {
  Published: "WebhookPublished",
  Ignored: "WebhookIgnored",
  Rejected: "WebhookRejected",
} as const;

/**
 * Answers one Harbor notification (see `classifyHarborWebhook`): 401 bad or missing auth header,
 * 400 a payload that does not parse (with the reason), 413 / 415 as for git hosts; 202 with the
 * reason and nothing published for another event type or a repository no app's image lives in;
 * 202 once its events are on the bus. A bus fault is thrown, for the caller's 500.
 *
 * @example
 * ```ts
 * if (isHarborWebhook(request.headers)) return respondToHarbor({ deps, harbor, headers: request.headers, rawBody, maxBodyBytes });
 * ```
 */
export async function respondToHarbor(options: {
  readonly deps: StepDeps;
  readonly harbor: HarborWebhookDeps | undefined;
  readonly headers: WebhookHeaders;
  readonly rawBody: Uint8Array;
  readonly maxBodyBytes: number;
}): Promise<FunctionUrlResponse> {
  const { deps, harbor } = options;
  const { logger, metrics } = deps;
  const result = classifyHarborWebhook({
    headers: options.headers,
    rawBody: options.rawBody,
    secrets: harbor === undefined ? [] : await harbor.secrets.values(),
    maxBodyBytes: options.maxBodyBytes,
  });
  switch (result.kind) {
    case "rejected":
      metrics.addMetric(Metric.Rejected, MetricUnit.Count, 1);
      logger.warn("Harbor webhook request rejected", { status: result.status, reason: result.reason });
      return jsonAnswer(result.status, result.reason);
    case "ignored":
      metrics.addMetric(Metric.Ignored, MetricUnit.Count, 1);
      logger.info("Harbor webhook delivery ignored", { reason: result.reason });
      return jsonAnswer(202, result.reason);
    case "events": {
      if (harbor === undefined || !harbor.repositories(result.repository)) {
        const reason = `${result.repository} is not a Harbor repository an app's image lives in (no app's image.repository names it in a registry of kind harbor); nothing was published`;
        metrics.addMetric(Metric.Ignored, MetricUnit.Count, 1);
        logger.info("Harbor notification of a repository the configuration does not name", { reason });
        return jsonAnswer(202, reason);
      }
      await harbor.events.publish(result.events);
      metrics.addMetric(Metric.Published, MetricUnit.Count, 1);
      logger.info("Harbor notification published", {
        type: result.type,
        repository: result.repository,
        digests: result.events.map((event) => event.detail.digest),
      });
      return jsonAnswer(202, `${result.type} accepted`, { published: result.events.length });
    }
  }
}
