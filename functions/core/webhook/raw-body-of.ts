import type { FunctionUrlRequest } from "../contracts/aws/function-url-request.js";

/**
 * The exact bytes a Function URL request carried. Lambda hands text bodies over as they are and
 * binary (or, for some clients, any) bodies base64-encoded with `isBase64Encoded` set; signatures are
 * computed over the bytes the sender sent, so they must be checked against this buffer, never against
 * a re-serialised payload. A request without a body gives an empty buffer.
 *
 * @example
 * ```ts
 * const rawBody = rawBodyOf(request);
 * const result = classifyWebhook({ headers: request.headers, rawBody, secret, now: clock.now(), maxBodyBytes });
 * ```
 */
export function rawBodyOf(request: Pick<FunctionUrlRequest, "body" | "isBase64Encoded">): Buffer {
  if (request.body === undefined) return Buffer.alloc(0);
  return request.isBase64Encoded ? Buffer.from(request.body, "base64") : Buffer.from(request.body, "utf8");
}
