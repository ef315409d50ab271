import http from "node:http";
import https from "node:https";

/** What a server answered: its status and body text. */
export interface HttpAnswer {
  readonly status: number;
  readonly body: string;
}

/** Options of {@link sendRequest}. */
export interface SendRequestOptions {
  readonly method: string;
  readonly headers: Record<string, string>;
  readonly body: string | undefined;
  /** Time after which the request is abandoned (an error). */
  readonly timeoutMs: number;
  /** Skip TLS verification of this request only. @default false */
  readonly insecure?: boolean;
  /** Certificate authorities to trust instead of Node's defaults (PEM), e.g. a cluster's `ca.crt`. */
  readonly ca?: string | Buffer;
}

/**
 * One HTTP(S) request with node:http(s) rather than fetch, so that TLS verification can be skipped
 * or a cluster's CA trusted for this request alone. Any status resolves; network errors and
 * time-outs reject.
 *
 * @example
 * ```ts
 * const { status, body } = await sendRequest(url, { method: "GET", headers: {}, body: undefined, timeoutMs: 10_000 });
 * ```
 */
export function sendRequest(url: URL, options: SendRequestOptions): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const secure = url.protocol === "https:";
    const transport = secure ? https : http;
    const request = transport.request(
      url,
      {
        method: options.method,
        headers: options.headers,
        timeout: options.timeoutMs,
        ...(secure ? { rejectUnauthorized: !(options.insecure ?? false) } : {}),
        ...(secure && options.ca !== undefined ? { ca: options.ca } : {}),
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on("data", (chunk: Buffer) => chunks.push(chunk));
        response.on("end", () =>
          resolve({ status: response.statusCode ?? 0, body: Buffer.concat(chunks).toString("utf8") }),
        );
        response.on("error", reject);
      },
    );
    request.on("timeout", () => request.destroy(new Error(`no answer within ${options.timeoutMs} ms`)));
    request.on("error", reject);
    request.end(options.body);
  });
}
