import type { ServerResponse } from "node:http";

/**
 * Answers with a plain-text body (git shows it to the user on errors).
 *
 * @example
 * ```ts
 * sendText(res, 404, "Repository 'app' not found\n");
 * ```
 */
export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  headers: Readonly<Record<string, string>> = {},
): void {
  const bytes = Buffer.from(text, "utf8");
  res.writeHead(status, {
    "content-type": "text/plain; charset=utf-8",
    "content-length": String(bytes.length),
    ...headers,
  });
  res.end(bytes);
}
