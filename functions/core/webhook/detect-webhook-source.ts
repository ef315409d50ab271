import { headerOf, type WebhookHeaders } from "./header-of.js";
import type { WebhookProvider } from "./webhook-classification.js";

/** Who sent a webhook request and which event it reports, as its headers say. */
export interface WebhookSource {
  /** The provider whose payloads and signatures the request follows. */
  readonly provider: WebhookProvider;
  /**
   * The sender's name for messages: `GitHub`, `GitLab`, `Bitbucket` (Cloud), `Bitbucket Server`
   * (Server and Data Center), `Gitea` or `Forgejo`.
   */
  readonly host: "GitHub" | "GitLab" | "Bitbucket" | "Bitbucket Server" | "Gitea" | "Forgejo";
  /** The event header's value, e.g. `push`, `Push Hook`, `repo:push`, `repo:refs_changed`. */
  readonly event: string;
}

/**
 * Tells the sender of a webhook request by its event header. Gitea and Forgejo also send
 * `X-GitHub-Event` (and `X-Gogs-Event`) for compatibility, so their own headers are looked at first.
 * Bitbucket Cloud and Bitbucket Server / Data Center both send `X-Event-Key`: Server is told by its
 * own event keys (`repo:refs_changed`, `diagnostics:ping`, `pr:*`, `mirror:*`) or, for others, by its
 * `X-Request-Id` header where Cloud sends `X-Request-UUID` and `X-Hook-UUID`. Both are provider
 * `bitbucket` (they sign alike). Returns undefined when no known event header is present.
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
  if (bitbucket !== undefined) {
    return {
      provider: "bitbucket",
      host: isBitbucketServer(headers, bitbucket) ? "Bitbucket Server" : "Bitbucket",
      event: bitbucket,
    };
  }
  const github = headerOf(headers, "x-github-event");
  if (github !== undefined) return { provider: "github", host: "GitHub", event: github };
  return undefined;
}

const SERVER_EVENT = /^(?:repo:refs_changed|diagnostics:ping|pr:.*|mirror:.*)$/;

function isBitbucketServer(headers: WebhookHeaders, event: string): boolean {
  if (SERVER_EVENT.test(event)) return true;
  const cloud = headerOf(headers, "x-request-uuid") ?? headerOf(headers, "x-hook-uuid");
  return cloud === undefined && headerOf(headers, "x-request-id") !== undefined;
}
