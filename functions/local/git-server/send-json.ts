import type { ServerResponse } from "node:http";

/**
 * Answers with a JSON body, as GitHub's REST API does.
 *
 * @example
 * ```ts
 * sendJson(res, 404, { message: "Not Found" });
 * ```
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Readonly<Record<string, string>> = {},
): void {
  const bytes = Buffer.from(`${JSON.stringify(body, null, 2)}\n`, "utf8");
  res.writeHead(status, {
    "content-type": "application/json; charset=utf-8",
    "content-length": String(bytes.length),
    ...headers,
  });
  res.end(bytes);
}
