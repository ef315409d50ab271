import * as z from "zod";

/**
 * GitHub's `ping` payload (`X-GitHub-Event: ping`), sent when a webhook is created or pinged: only
 * proof that the endpoint and the secret work. Shipline answers 200 and publishes nothing.
 */
export const githubPingPayload = z.object({
  zen: z.string().optional(),
  hook_id: z.number().int(),
});

/** A parsed GitHub ping payload. */
export type GithubPingPayload = z.infer<typeof githubPingPayload>;
