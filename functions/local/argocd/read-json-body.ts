import type { IncomingMessage } from "node:http";

/**
 * A request's body parsed as JSON, for the Argo CD stand-in's routes: `whenEmpty` for an empty
 * body, `undefined` for one that is not JSON (each route answers that as its API does).
 *
 * @example
 * ```ts
 * const patch = mergePatch.safeParse(await readJsonBody(request, {}));
 * ```
 */
export async function readJsonBody(request: IncomingMessage, whenEmpty?: unknown): Promise<unknown> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  const text = Buffer.concat(chunks).toString("utf8");
  if (text === "") return whenEmpty;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
