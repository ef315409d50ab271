/**
 * The GitHub-style login standing for a token subject: its last `/` or `:` separated part, with
 * anything but letters, digits and `-` replaced by `-` (the rule push webhooks use for `sender`).
 *
 * @example
 * ```ts
 * githubLoginOf("arn:aws:iam::000000000000:role/shipline-config-writer"); // "shipline-config-writer"
 * ```
 */
export function githubLoginOf(subject: string): string {
  const last = subject
    .split(/[/:]/)
    .filter((part) => part.length > 0)
    .at(-1)
    ?.replace(/[^A-Za-z0-9-]/g, "-");
  return last || "anonymous";
}
