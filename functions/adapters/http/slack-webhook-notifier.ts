import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { Notification, Notifier } from "../../core/notify/notification.js";
import { slackMessageOf } from "../../core/notify/slack-message.js";
import { retryDelayMs } from "./retry-after.js";

/** Options of {@link SlackWebhookNotifier}. */
export interface SlackWebhookNotifierOptions {
  /**
   * Gives the incoming-webhook URL, e.g. read from Secrets Manager. The URL is a secret: it is
   * never logged nor put in an error.
   */
  readonly webhookUrl: () => Promise<string>;
  /** The channel's name in logs and errors. @default "slack" */
  readonly channel?: string;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** Attempts per notification, the first included. @default 4 */
  readonly maxAttempts?: number;
  /** First back-off when the answer has no Retry-After; doubled per attempt. @default 500 */
  readonly baseDelayMs?: number;
  /** The longest wait between attempts; a longer Retry-After gives up, retryably, at once. @default 30000 */
  readonly maxDelayMs?: number;
  /** How long one request may take. @default 10000 */
  readonly timeoutMs?: number;
  /** Waits between attempts (tests pass one that records). @default - a timer */
  readonly sleep?: (ms: number) => Promise<void>;
  /** Reads the current time, for a Retry-After given as a date. @default Date.now */
  readonly now?: () => number;
}

/**
 * The Slack channel of `notify`, also the local one: POSTs each notification as an
 * incoming-webhook JSON message (`slackMessageOf`) to a URL. A 2xx answer is delivery. A 429 or 5xx
 * answer, or a network failure, is tried again after the answer's `Retry-After` (seconds or an HTTP
 * date) or an exponential back-off, up to `maxAttempts`; then a retryable
 * `NOTIFY_SLACK_UNAVAILABLE` error is thrown so the event is retried later. Any other 4xx (a revoked
 * webhook, a malformed message) is a permanent `NOTIFY_SLACK_REJECTED` error with Slack's answer
 * (e.g. `no_service`, `invalid_blocks`). The URL never appears in an error.
 *
 * @example
 * ```ts
 * const slack = new SlackWebhookNotifier({ webhookUrl: async () => (await secrets.values())[0] ?? "" });
 * await slack.send(notification);
 * ```
 */
export class SlackWebhookNotifier implements Notifier {
  readonly channel: string;
  readonly #webhookUrl: () => Promise<string>;
  readonly #fetch: typeof fetch;
  readonly #maxAttempts: number;
  readonly #baseDelayMs: number;
  readonly #maxDelayMs: number;
  readonly #timeoutMs: number;
  readonly #sleep: (ms: number) => Promise<void>;
  readonly #now: () => number;

  constructor(options: SlackWebhookNotifierOptions) {
    this.channel = options.channel ?? "slack";
    this.#webhookUrl = options.webhookUrl;
    this.#fetch = options.fetch ?? globalThis.fetch;
    this.#maxAttempts = Math.max(1, options.maxAttempts ?? 4);
    this.#baseDelayMs = options.baseDelayMs ?? 500;
    this.#maxDelayMs = options.maxDelayMs ?? 30_000;
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#sleep = options.sleep ?? ((ms) => new Promise((done) => setTimeout(done, ms)));
    this.#now = options.now ?? Date.now;
  }

  /** Posts the notification, trying again on 429, 5xx and network failures. */
  async send(notification: Notification): Promise<void> {
    const url = checkedUrl(await this.#webhookUrl(), this.channel);
    const body = JSON.stringify(slackMessageOf(notification));
    let last = "";
    for (let attempt = 1; attempt <= this.#maxAttempts; attempt++) {
      let response: Response;
      try {
        response = await this.#fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json; charset=utf-8" },
          body,
          signal: AbortSignal.timeout(this.#timeoutMs),
        });
      } catch (error) {
        last = `the request failed (${error instanceof Error ? error.name : "error"})`;
        if (attempt < this.#maxAttempts) await this.#sleep(this.#backoff(attempt));
        continue;
      }
      const answer = (await response.text().catch(() => "")).slice(0, 200);
      if (response.ok) return;
      if (response.status !== 429 && response.status < 500) {
        throw new ShiplineError({
          code: "NOTIFY_SLACK_REJECTED",
          message: `the ${this.channel} webhook refused the ${notification.detailType} notification with HTTP ${response.status} (${answer || "no answer"}); check that the webhook still exists and its URL secret is current`,
          data: { channel: this.channel, status: response.status, answer },
          retryable: false,
        });
      }
      last = `HTTP ${response.status}${answer ? ` (${answer})` : ""}`;
      const delay = retryDelayMs(response.headers.get("retry-after"), this.#now()) ?? this.#backoff(attempt);
      if (delay > this.#maxDelayMs) {
        throw unavailable(
          this.channel,
          notification,
          `${last}, asking to wait ${Math.ceil(delay / 1000)}s`,
          attempt,
        );
      }
      if (attempt < this.#maxAttempts) await this.#sleep(delay);
    }
    throw unavailable(this.channel, notification, last, this.#maxAttempts);
  }

  #backoff(attempt: number): number {
    return Math.min(this.#maxDelayMs, this.#baseDelayMs * 2 ** (attempt - 1));
  }
}

function unavailable(
  channel: string,
  notification: Notification,
  last: string,
  attempts: number,
): ShiplineError {
  return new ShiplineError({
    code: "NOTIFY_SLACK_UNAVAILABLE",
    message: `the ${channel} webhook did not accept the ${notification.detailType} notification after ${attempts} attempt(s): ${last}; the event is retried later`,
    data: { channel, attempts, last },
    retryable: true,
  });
}

/** An http(s) URL, else a permanent error that does not echo the value (it is a secret). */
function checkedUrl(value: string, channel: string): URL {
  let url: URL | undefined;
  try {
    url = new URL(value.trim());
  } catch {
    url = undefined;
  }
  if (url === undefined || (url.protocol !== "https:" && url.protocol !== "http:")) {
    throw new ShiplineError({
      code: "NOTIFY_CONFIG_INVALID",
      message: `the ${channel} webhook URL is not an http(s) URL; store the incoming-webhook URL (https://hooks.slack.com/services/...) as the secret's plain value`,
      data: { channel },
      retryable: false,
    });
  }
  return url;
}
