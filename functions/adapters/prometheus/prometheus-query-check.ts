import * as z from "zod";
import type { MetricReading } from "../../core/agent/metric-checks.js";
import { formatIssues } from "../../core/contracts/format-issues.js";

/** Options of {@link PrometheusQueryCheck}. */
export interface PrometheusQueryCheckOptions {
  /** Time-out of one query. @default 10000 */
  readonly timeoutMs?: number;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
}

/** One sample of an instant vector. */
const vectorSample = z.object({
  metric: z.record(z.string(), z.string()),
  value: z.tuple([z.number(), z.string()]).optional(),
});

/** Prometheus' answer to `/api/v1/query` (success or error envelope). */
const queryResponse = z.discriminatedUnion("status", [
  z.object({
    status: z.literal("success"),
    data: z.object({ resultType: z.string(), result: z.unknown() }),
  }),
  z.object({ status: z.literal("error"), errorType: z.string().optional(), error: z.string().optional() }),
]);

const SHOWN_SERIES = 3;

/**
 * A metric gate's Prometheus check over Prometheus' HTTP API: `GET <url>/api/v1/query?query=...`,
 * the JSON answer parsed with a schema. The query is read as an alerting rule's expression: an
 * empty instant vector is healthy, any series is a breach (each shown with its labels and value,
 * the first three). Everything else is an `unknown` reading with the reason: Prometheus
 * unreachable or slower than the time-out, an HTTP error, an `error` answer (a query that does not
 * parse: `bad_data`), an answer that is not an instant vector. Never throws.
 *
 * @example
 * ```ts
 * const check = new PrometheusQueryCheck({ timeoutMs: 5000 });
 * await check.read({ url: "http://prometheus.monitoring:9090", query: "up{job='shop'} == 0" });
 * ```
 */
export class PrometheusQueryCheck {
  readonly #timeoutMs: number;
  readonly #fetch: typeof fetch;

  constructor(options: PrometheusQueryCheckOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? 10_000;
    this.#fetch = options.fetch ?? globalThis.fetch;
  }

  /** Runs the query once and judges its answer. */
  async read(
    prometheus: { readonly url: string; readonly query: string },
    options: { readonly signal?: AbortSignal } = {},
  ): Promise<MetricReading> {
    let endpoint: URL;
    try {
      endpoint = new URL(
        "api/v1/query",
        prometheus.url.endsWith("/") ? prometheus.url : `${prometheus.url}/`,
      );
    } catch {
      return unknown(`'${prometheus.url}' is not a URL; give Prometheus' base URL`);
    }
    endpoint.searchParams.set("query", prometheus.query);
    const where = `Prometheus at ${endpoint.origin}${endpoint.pathname}`;
    const timeout = AbortSignal.timeout(this.#timeoutMs);
    const signal = options.signal === undefined ? timeout : AbortSignal.any([timeout, options.signal]);
    let status: number;
    let body: string;
    try {
      const response = await this.#fetch(endpoint, { headers: { accept: "application/json" }, signal });
      status = response.status;
      body = await response.text();
    } catch (error) {
      if (timeout.aborted) return unknown(`${where} did not answer within ${this.#timeoutMs} ms`);
      return unknown(`${where} could not be reached: ${causeOf(error)}`);
    }
    let json: unknown;
    try {
      json = JSON.parse(body);
    } catch {
      return unknown(`${where} answered HTTP ${status} with a body that is not JSON: ${body.slice(0, 120)}`);
    }
    const parsed = queryResponse.safeParse(json);
    if (!parsed.success) {
      return unknown(
        `${where} answered HTTP ${status} with an unexpected body (${formatIssues(parsed.error.issues).join("; ")})`,
      );
    }
    const answer = parsed.data;
    if (answer.status === "error") {
      return unknown(
        `${where} refused the query (HTTP ${status}, ${answer.errorType ?? "error"}: ${answer.error ?? "no message"})`,
      );
    }
    if (answer.data.resultType !== "vector") {
      return unknown(
        `the query returns a ${answer.data.resultType}, not an instant vector; write it as an alert expression that returns series only when unhealthy`,
      );
    }
    const samples = z.array(vectorSample).safeParse(answer.data.result);
    if (!samples.success) {
      return unknown(
        `${where} answered a vector that does not parse (${formatIssues(samples.error.issues).join("; ")})`,
      );
    }
    if (samples.data.length === 0) return { state: "healthy", says: "returned no series" };
    const shown = samples.data.slice(0, SHOWN_SERIES).map(describeSample).join(", ");
    const more = samples.data.length > SHOWN_SERIES ? `, and ${samples.data.length - SHOWN_SERIES} more` : "";
    const count = samples.data.length === 1 ? "1 series" : `${samples.data.length} series`;
    return { state: "breached", says: `returned ${count}: ${shown}${more}` };
  }
}

function describeSample(sample: z.infer<typeof vectorSample>): string {
  const labels = Object.entries(sample.metric)
    .map(([name, value]) => `${name}="${value}"`)
    .join(", ");
  return `{${labels}}${sample.value === undefined ? "" : ` ${sample.value[1]}`}`;
}

function unknown(says: string): MetricReading {
  return { state: "unknown", says };
}

function causeOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const cause = error.cause instanceof Error ? error.cause.message : undefined;
  return cause === undefined ? error.message : `${error.message} (${cause})`;
}
