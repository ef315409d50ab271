import { headerOf, type WebhookHeaders } from "./header-of.js";
import type { WebhookProvider } from "./webhook-classification.js";

/** Who sent a webhook request and which event it reports, as its headers say. */
export interface WebhookSource {
  /** The provider whose payloads and signatures the request follows. */
  readonly provider: WebhookProvider;
  /** The sender's name for messages: `GitHub`, `GitLab`, `Bitbucket`, `Gitea` or `Forgejo`. */
  readonly host: "GitHub" | "GitLab" | "Bitbucket" | "Gitea" | "Forgejo";
  /** The event header's value, e.g. `push`, `Push Hook`, `repo:push`. */
  readonly event: string;
}

/**
 * Tells the sender of a webhook request by its event header. Gitea and Forgejo also send
 * `X-GitHub-Event` (and `X-Gogs-Event`) for compatibility, so their own headers are looked at first;
 * Bitbucket is known by `X-Event-Key`. Returns undefined when no known event header is present.
 *
 * @example
 * ```ts
 * detectWebhookSource({ "x-gitea-event": "push", "x-github-event": "push" }); // { provider: "gitea", host: "Gitea", event: "push" }
 * ```
 */
export function detectWebhookSource(headers: WebhookHeaders): WebhookSource | undefined {
  const forgejo = headerOf(headers, "x-forgejo-event");
  if (forgejo !== undefined) return { provider: "gitea", host: "Forgejo", event: forgejo };
  const gitea = headerOf(headers, "x-gitea-event");
  if (gitea !== undefined) return { provider: "gitea", host: "Gitea", event: gitea };
  const gitlab = headerOf(headers, "x-gitlab-event");
  if (gitlab !== undefined) return { provider: "gitlab", host: "GitLab", event: gitlab };
  const bitbucket = headerOf(headers, "x-event-key");
  if (bitbucket !== undefined) return { provider: "bitbucket", host: "Bitbucket", event: bitbucket };
  const github = headerOf(headers, "x-github-event");
  if (github !== undefined) return { provider: "github", host: "GitHub", event: github };
  return undefined;
}
