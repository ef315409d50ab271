import {
  type HarborArtifactPushed,
  HarborDetailType,
  type HarborEventRequest,
} from "../contracts/harbor/harbor-events.js";
import { ShiplineError } from "../errors/shipline-error.js";
import {
  type HarborResource,
  type HarborWebhookPayload,
  harborWebhookPayload,
} from "./harbor-webhook-payload.js";
import { headerOf, type WebhookHeaders } from "./header-of.js";
import { parseWebhookPayload, WEBHOOK_PAYLOAD_INVALID } from "./parse-webhook-payload.js";
import { verifyHarborAuthHeader } from "./verify-harbor-auth-header.js";

/** Options for {@link classifyHarborWebhook}. */
export interface ClassifyHarborWebhookOptions {
  /** The request headers, any case. */
  readonly headers: WebhookHeaders;
  /** The request body exactly as received. */
  readonly rawBody: Uint8Array;
  /** The Harbor webhook secrets (the webhook policy's Auth Header); any of them is accepted. */
  readonly secrets: readonly string[];
  /** The largest body accepted; a larger one is answered 413 before anything else is read. */
  readonly maxBodyBytes: number;
}

/** What a Harbor notification amounts to. Bad input is a value, never an exception. */
export type HarborClassification =
  /** Refused: 413 too large, 401 bad or missing auth header, 415 not JSON, 400 not Harbor's shape. */
  | { readonly kind: "rejected"; readonly status: 400 | 401 | 413 | 415; readonly reason: string }
  /** Authentic, but asks for nothing (another event type): answered 202 with the reason. */
  | { readonly kind: "ignored"; readonly reason: string }
  /** A push or a finished scan: one event per artifact, all of one repository. */
  | {
      readonly kind: "events";
      /** Harbor's event type. */
      readonly type: "PUSH_ARTIFACT" | "SCANNING_COMPLETED";
      /** `<project>/<repository>`. */
      readonly repository: string;
      readonly events: readonly [HarborEventRequest, ...HarborEventRequest[]];
    };

/** The report type whose summary says how a vulnerability scan ended. */
const VULNERABILITY_REPORT = "application/vnd.security.vulnerability.report";

/**
 * Decides what a Harbor webhook request amounts to, without any I/O: checks the size, the auth
 * header (constant time), the content type and the payload (Harbor's `Default` format), then turns
 * `PUSH_ARTIFACT` into one `Harbor Artifact Pushed` and `SCANNING_COMPLETED` into one `Harbor Scan
 * Completed` per artifact. Other event types are `ignored`. Reasons never contain the secret.
 *
 * @example
 * ```ts
 * const result = classifyHarborWebhook({ headers, rawBody, secrets: await harborSecrets.values(), maxBodyBytes });
 * if (result.kind === "events") await registryEvents.publish(result.events);
 * ```
 */
export function classifyHarborWebhook(options: ClassifyHarborWebhookOptions): HarborClassification {
  const { headers, rawBody, maxBodyBytes } = options;
  if (rawBody.length > maxBodyBytes) {
    return {
      kind: "rejected",
      status: 413,
      reason: `request body is ${rawBody.length} bytes, over the limit of ${maxBodyBytes} bytes`,
    };
  }
  const auth = verifyHarborAuthHeader({
    header: headerOf(headers, "authorization"),
    secrets: options.secrets,
  });
  if (!auth.valid) {
    return {
      kind: "rejected",
      status: 401,
      reason:
        auth.problem === "no-secret"
          ? "no Harbor webhook secret is configured here; add a registry of kind harbor to the configuration and store its webhook secret"
          : "the Authorization header is not the Harbor webhook secret; set the Harbor webhook policy's Auth Header to the secret (or Bearer <secret>)",
    };
  }
  const mediaType = headerOf(headers, "content-type")?.split(";")[0]?.trim().toLowerCase();
  if (mediaType !== "application/json") {
    return {
      kind: "rejected",
      status: 415,
      reason: `Harbor request has content type ${mediaType === undefined ? "(none)" : `'${mediaType.slice(0, 100)}'`}; Shipline reads application/json (the Default payload format)`,
    };
  }
  let json: unknown;
  try {
    json = JSON.parse(Buffer.from(rawBody).toString("utf8"));
  } catch (error) {
    return {
      kind: "rejected",
      status: 400,
      reason: `Harbor body is not JSON (${error instanceof Error ? error.message : String(error)}); choose the Default payload format`,
    };
  }
  try {
    return classifyPayload(parseWebhookPayload(harborWebhookPayload, json, "Harbor payload"));
  } catch (error) {
    if (error instanceof ShiplineError && error.code === WEBHOOK_PAYLOAD_INVALID) {
      return { kind: "rejected", status: 400, reason: error.message };
    }
    throw error;
  }
}

function classifyPayload(payload: HarborWebhookPayload): HarborClassification {
  const repository = payload.event_data.repository.repo_full_name;
  const occurredAt = new Date(payload.occur_at * 1000).toISOString();
  const [first, ...rest] = payload.event_data.resources;
  if (first === undefined) return { kind: "ignored", reason: "the Harbor event names no artifact" };
  const artifactOf = (resource: HarborResource): HarborArtifactPushed => ({
    registry: registryHostOf(resource.resource_url),
    repository,
    digest: resource.digest,
    tags: resource.tag ? [resource.tag] : [],
    occurredAt,
  });
  switch (payload.type) {
    case "PUSH_ARTIFACT": {
      const pushed = (resource: HarborResource): HarborEventRequest => ({
        detailType: HarborDetailType.ArtifactPushed,
        detail: { ...artifactOf(resource), ...(payload.operator ? { operator: payload.operator } : {}) },
      });
      return { kind: "events", type: payload.type, repository, events: [pushed(first), ...rest.map(pushed)] };
    }
    case "SCANNING_COMPLETED": {
      const scanned = (resource: HarborResource, index: number): HarborEventRequest => {
        const summary = summaryOf(resource, index);
        return {
          detailType: HarborDetailType.ScanCompleted,
          detail: {
            ...artifactOf(resource),
            scanStatus: summary.scan_status,
            ...(summary.scanner?.name ? { scanner: summary.scanner.name } : {}),
          },
        };
      };
      return {
        kind: "events",
        type: payload.type,
        repository,
        events: [scanned(first, 0), ...rest.map((resource, index) => scanned(resource, index + 1))],
      };
    }
    default:
      return {
        kind: "ignored",
        reason: `Harbor event ${JSON.stringify(payload.type.slice(0, 64))} is neither PUSH_ARTIFACT nor SCANNING_COMPLETED; nothing to publish`,
      };
  }
}

/** The vulnerability report's summary of a scanned artifact (the first summary when none is named so). */
function summaryOf(resource: HarborResource, index: number) {
  const summaries = Object.entries(resource.scan_overview ?? {});
  const found = summaries.find(([type]) => type.startsWith(VULNERABILITY_REPORT))?.[1] ?? summaries[0]?.[1];
  if (found === undefined) {
    throw new ShiplineError({
      code: WEBHOOK_PAYLOAD_INVALID,
      message: `Harbor payload is not of the expected shape: event_data.resources.${index}.scan_overview: a SCANNING_COMPLETED artifact needs its scan overview`,
      data: { index },
      retryable: false,
    });
  }
  return found;
}

/** Harbor's host in a `resource_url` (`harbor.example.com/library/demo:1.0`). */
function registryHostOf(resourceUrl: string): string {
  const slash = resourceUrl.indexOf("/");
  return (slash < 0 ? resourceUrl : resourceUrl.slice(0, slash)).toLowerCase();
}
