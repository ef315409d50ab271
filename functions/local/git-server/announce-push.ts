import type { RefUpdate } from "./post-receive-hook.js";
import { buildPushPayload, repositoryIdOf } from "./push-payload.js";
import type { LocalRepository, RepositoryStore } from "./repository-store.js";
import type { WebhookDispatcher, WebhookTarget } from "./webhook-dispatcher.js";

/** Options for {@link announcePush}. */
export interface AnnouncePushOptions {
  readonly store: RepositoryStore;
  readonly repository: LocalRepository;
  /** The ref updates of the push, as the post-receive hook reported them. */
  readonly updates: readonly RefUpdate[];
  /** Subject of the token that pushed. */
  readonly pusher: string;
  /** Base URL of the git server, without a trailing `/`. */
  readonly baseUrl: string;
  /** True when the repository can be cloned anonymously. */
  readonly public: boolean;
  readonly maxCommits: number;
  readonly pushedAt: Date;
  readonly webhooks: readonly WebhookTarget[];
  readonly dispatcher: WebhookDispatcher;
}

/**
 * Turns one push into GitHub `push` webhooks: one payload per updated ref, as GitHub sends them,
 * each delivered to every receiver (hook ids are 1-based positions in `webhooks`). Resolves once the
 * deliveries are started; the dispatcher retries and records them.
 *
 * @example
 * ```ts
 * await announcePush({ store, repository, updates, pusher: grant.subject, baseUrl, public: false, maxCommits: 2048, pushedAt: new Date(), webhooks, dispatcher });
 * ```
 */
export async function announcePush(options: AnnouncePushOptions): Promise<void> {
  if (options.webhooks.length === 0 || options.updates.length === 0) return;
  // The default branch may have been created by this very push: describe the repository as it is now.
  const repository = (await options.store.get(options.repository.fullName)) ?? options.repository;
  const targetId = repositoryIdOf(repository.fullName);
  for (const update of options.updates) {
    const payload = await buildPushPayload({
      repository,
      update,
      pusher: { subject: options.pusher },
      baseUrl: options.baseUrl,
      public: options.public,
      maxCommits: options.maxCommits,
      pushedAt: options.pushedAt,
    });
    const body = JSON.stringify(payload);
    options.webhooks.forEach((target, index) => {
      void options.dispatcher.deliver({ target, hookId: index + 1, event: "push", body, targetId });
    });
  }
}
