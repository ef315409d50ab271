import type { EcrImageActionEvent } from "../../core/contracts/aws/ecr-image-action.js";
import type { EcrImageScanEvent } from "../../core/contracts/aws/ecr-image-scan.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { HarborWebhookPayload } from "../../core/webhook/harbor-webhook-payload.js";
import { harborPushPayload, harborScanPayload } from "./harbor-payloads.js";
import { HARBOR_SEVERITY } from "./harbor-severity.js";

/** Options of {@link HarborNotifier}. */
export interface HarborNotifierOptions {
  /** The webhook URL (the local Function URL). */
  readonly url: () => string;
  /** The Auth Header the webhook policy sends. */
  readonly authHeader: string;
  /** The embedded registry's host, for `resource_url`. */
  readonly registryHost: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/**
 * Makes the embedded registry announce like Harbor: its pushes and the local scanner's results,
 * which the runtime gets in ECR's shape, are posted to the webhook URL as Harbor's `PUSH_ARTIFACT` and
 * `SCANNING_COMPLETED` notifications, with the Auth Header, as a Harbor webhook policy sends them. A
 * notification that is not answered 2xx throws a retryable `HARBOR_NOTIFY_FAILED`.
 *
 * @example
 * ```ts
 * const notifier = new HarborNotifier({ url: () => webhookUrl, authHeader: secret, registryHost: registry.host });
 * await notifier.pushed(ecrImageActionEvent);
 * ```
 */
export class HarborNotifier {
  constructor(private readonly options: HarborNotifierOptions) {}

  /** Posts `PUSH_ARTIFACT` for a push of the embedded registry. */
  pushed(event: EcrImageActionEvent): Promise<void> {
    const tag = event.detail["image-tag"];
    return this.#post(
      harborPushPayload({
        host: this.options.registryHost,
        repository: event.detail["repository-name"],
        digest: event.detail["image-digest"],
        ...(tag === undefined ? {} : { tag }),
        at: new Date(event.time),
      }),
    );
  }

  /** Posts `SCANNING_COMPLETED` for a scan of the local scanner. */
  scanned(event: EcrImageScanEvent): Promise<void> {
    const counts = Object.fromEntries(
      Object.entries(event.detail["finding-severity-counts"] ?? {}).map(([severity, count]) => [
        HARBOR_SEVERITY[severity] ?? "Unknown",
        count,
      ]),
    );
    const tag = event.detail["image-tags"][0];
    return this.#post(
      harborScanPayload({
        host: this.options.registryHost,
        repository: event.detail["repository-name"],
        digest: event.detail["image-digest"],
        ...(tag === undefined ? {} : { tag }),
        at: new Date(event.time),
        status: event.detail["scan-status"] === "COMPLETE" ? "Success" : "Error",
        counts,
      }),
    );
  }

  async #post(payload: HarborWebhookPayload): Promise<void> {
    const response = await (this.options.fetch ?? fetch)(this.options.url(), {
      method: "POST",
      headers: {
        "content-type": "application/json",
        "user-agent": "Go-http-client/1.1",
        authorization: this.options.authHeader,
      },
      body: JSON.stringify(payload),
    });
    const text = await response.text();
    if (!response.ok) {
      throw new ShiplineError({
        code: "HARBOR_NOTIFY_FAILED",
        message: `the webhook answered Harbor's ${payload.type} with ${response.status}: ${text.slice(0, 300)}`,
        data: { type: payload.type, status: response.status },
        retryable: true,
      });
    }
  }
}
