import type { FunctionUrlResponse } from "../../core/contracts/aws/function-url-request.js";

/**
 * A Function URL answer with a JSON body: `{ message, ...extra }`, the shape every answer of the
 * webhook has (git hosts and Harbor show it in their delivery logs).
 *
 * @example
 * ```ts
 * return jsonAnswer(202, "push accepted", { published: 1 });
 * ```
 */
export function jsonAnswer(
  statusCode: number,
  message: string,
  extra: Record<string, unknown> = {},
): FunctionUrlResponse {
  return {
    statusCode,
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ message, ...extra }),
  };
}
