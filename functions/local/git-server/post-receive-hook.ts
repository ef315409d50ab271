import { readFile, rm } from "node:fs/promises";
import * as z from "zod";
import { gitSha } from "../../core/contracts/primitives.js";

/** Environment variable through which the server tells the hook where to write this push's ref updates. */
export const PUSH_SPOOL_ENV = "SHIPLINE_PUSH_SPOOL";

/**
 * The post-receive hook installed in every repository. Git runs it after the refs are updated and
 * before `git receive-pack` (and so the CGI request) ends; it copies the `<old> <new> <ref>` lines
 * to the per-request spool file the server named. It needs nothing but `sh` and `cat`, and does
 * nothing for a push that did not come through the server.
 */
export const POST_RECEIVE_HOOK = `#!/bin/sh
# Installed by the Shipline local git server: hands this push's ref updates to the server,
# which sends the push webhooks.
if [ -n "$${PUSH_SPOOL_ENV}" ]; then
  cat > "$${PUSH_SPOOL_ENV}"
else
  cat > /dev/null
fi
`;

/** One ref update of a push, as git gives it to post-receive. */
export const refUpdate = z.object({
  before: gitSha,
  after: gitSha,
  ref: z.string().startsWith("refs/"),
});

/** A parsed {@link refUpdate}. */
export type RefUpdate = z.infer<typeof refUpdate>;

/**
 * Parses post-receive input: one `<old> <new> <ref>` line per updated ref; other lines are ignored.
 *
 * @example
 * ```ts
 * parseRefUpdates(`${"0".repeat(40)} ${sha} refs/heads/main\n`); // [{ before: "000…", after: sha, ref: "refs/heads/main" }]
 * ```
 */
export function parseRefUpdates(text: string): RefUpdate[] {
  const updates: RefUpdate[] = [];
  for (const line of text.split("\n")) {
    const [before, after, ref] = line.trim().split(" ");
    const parsed = refUpdate.safeParse({ before, after, ref });
    if (parsed.success) updates.push(parsed.data);
  }
  return updates;
}

/**
 * Reads and removes a spool file the hook wrote; no file means the push updated no ref.
 *
 * @example
 * ```ts
 * const updates = await takeSpooledRefUpdates(spoolFile);
 * ```
 */
export async function takeSpooledRefUpdates(file: string): Promise<RefUpdate[]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if (error instanceof Error && "code" in error && error.code === "ENOENT") return [];
    throw error;
  }
  await rm(file, { force: true });
  return parseRefUpdates(text);
}
