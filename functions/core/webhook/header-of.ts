/**
 * Request headers as a Function URL (payload 2.0) or Node's `http` module hands them over. Names may
 * come in any case; a Function URL lower-cases them and joins repeated headers with commas.
 */
export type WebhookHeaders = Readonly<Record<string, string | undefined>>;

/**
 * Reads one header by name, ignoring case, as HTTP requires. Returns undefined when the header is
 * missing or blank.
 *
 * @example
 * ```ts
 * headerOf({ "x-github-event": "push" }, "X-GitHub-Event"); // "push"
 * ```
 */
export function headerOf(headers: WebhookHeaders, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) {
    if (key.toLowerCase() !== wanted || value === undefined) continue;
    const trimmed = value.trim();
    if (trimmed !== "") return trimmed;
  }
  return undefined;
}
