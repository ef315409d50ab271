import { DetailType } from "../contracts/detail-type.js";
import type { PublishRequest } from "./event-publisher.js";

/** What {@link PullRequestHost.openOrUpdatePullRequest} opens or updates. */
export interface PullRequestRequest {
  /** The config repository's URL (`configRepo.url`), e.g. `https://github.com/acme/deploy.git`. */
  readonly repo: string;
  /** The source branch, already pushed (see {@link pullRequestBranch}). */
  readonly branch: string;
  /** The branch the pull request merges into (`configRepo.branch`). */
  readonly base: string;
  readonly title: string;
  /** Markdown description. */
  readonly body: string;
}

/** The pull request (GitHub) or merge request (GitLab) as it now stands. */
export interface PullRequestResult {
  /** Its web page. */
  readonly url: string;
  /** Its number (GitHub `number`, GitLab `iid`). */
  readonly number: number;
  /** True when an open one already existed and was updated; false when it was opened now. */
  readonly updated: boolean;
}

/**
 * Port for the git host's review API, used by the config writer for environments with
 * `approval: pull-request`. There is at most one open pull request per source branch: a second
 * call for the same branch updates the open one (title, description, base) instead of opening
 * another. Failures are `PULL_REQUEST_FAILED` ShiplineErrors, retryable when the host may accept
 * the call later, and never carry a token.
 *
 * @example
 * ```ts
 * const branch = pullRequestBranch(intent.environment, intent.app);
 * // ... commit on top of the base head and force-push `branch` ...
 * const result = await host.openOrUpdatePullRequest({ repo: repo.name, branch, base: repo.branch, title, body });
 * ```
 */
export interface PullRequestHost {
  /** Opens a pull request from `branch` into `base`, or updates the open one. */
  openOrUpdatePullRequest(request: PullRequestRequest): Promise<PullRequestResult>;
}

/**
 * The source branch of an app's pull request in one environment, `shipline/<environment>/<app>`:
 * one branch, hence one open pull request, per app and environment. The writer force-pushes it
 * with each new image, so the pull request always shows the latest change only.
 *
 * @example
 * ```ts
 * pullRequestBranch("production", "demo"); // "shipline/production/demo"
 * ```
 */
export function pullRequestBranch(environment: string, app: string): string {
  return `shipline/${environment}/${app}`;
}

/** What {@link pullRequestOpenedEvent} needs of the write intent the pull request carries. */
export interface PullRequestIntent {
  readonly app: string;
  readonly commit: string;
  readonly correlationId: string;
  readonly environment: string;
  readonly intentId: string;
  readonly image: { readonly digest: string };
}

/** Options of {@link pullRequestOpenedEvent}. */
export interface PullRequestOpenedEventOptions {
  readonly intent: PullRequestIntent;
  /** The config repository as events name it (`ConfigRepository.name`). */
  readonly configRepo: string;
  /** The pull request's source branch. */
  readonly branch: string;
  /** The commit pushed to `branch`. */
  readonly headCommit: string;
  /** What {@link PullRequestHost.openOrUpdatePullRequest} answered. */
  readonly result: PullRequestResult;
  readonly time: Date;
}

/**
 * The `Pull Request Opened` event of one intent, for the writer to publish once the pull request
 * is open (or updated: `updated: true`).
 *
 * @example
 * ```ts
 * await publisher.publish([pullRequestOpenedEvent({ intent, configRepo: repo.name, branch, headCommit, result, time: clock.now() })]);
 * ```
 */
export function pullRequestOpenedEvent(
  options: PullRequestOpenedEventOptions,
): PublishRequest<typeof DetailType.PullRequestOpened> {
  const { intent, result } = options;
  return {
    detailType: DetailType.PullRequestOpened,
    detail: {
      app: intent.app,
      commit: intent.commit,
      correlationId: intent.correlationId,
      environment: intent.environment,
      configRepo: options.configRepo,
      url: result.url,
      number: result.number,
      branch: options.branch,
      headCommit: options.headCommit,
      digest: intent.image.digest,
      intentId: intent.intentId,
      updated: result.updated,
    },
    time: options.time,
  };
}
