import {
  CodeCommitClient,
  GetDifferencesCommand,
  type GetDifferencesCommandOutput,
} from "@aws-sdk/client-codecommit";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import {
  CHANGED_PATHS_UNAVAILABLE,
  type ChangedPathsRequest,
  type ChangedPathsSource,
} from "../../core/ports/changed-paths-source.js";

/** Options of {@link CodeCommitChangedPaths}. */
export interface CodeCommitChangedPathsOptions {
  /**
   * The CodeCommit client of a region (the repository's, read from its URL).
   * @default - one client per region, created when first needed and kept
   */
  readonly clientFor?: (region: string) => CodeCommitClient;
  /** Wraps each client this source creates (the tracer's `captureAWSv3Client`). @default - as it is */
  readonly capture?: (client: CodeCommitClient) => CodeCommitClient;
  /** The region of a repository whose URL names none: the function's own. */
  readonly defaultRegion?: string;
  /** The most pages of differences read (400 each) before giving up. @default 25 */
  readonly maxPages?: number;
}

const CODECOMMIT_HOST = /^git-codecommit(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/** CodeCommit errors that asking again later may cure. */
const TRANSIENT = new Set([
  "ThrottlingException",
  "EncryptionKeyUnavailableException",
  "ServiceUnavailableException",
  "InternalFailure",
]);

/**
 * The {@link ChangedPathsSource} of CodeCommit, whose push events list no paths: `GetDifferences`
 * between the two commits, page after page, each path once (a renamed file under both names). The
 * repository is the push's `repository.name` in the region its URL names. Errors are
 * `CHANGED_PATHS_UNAVAILABLE`, naming the repository and CodeCommit's error, retryable for throttling
 * and outages.
 *
 * @example
 * ```ts
 * const source = new CodeCommitChangedPaths({ capture: (client) => tracer.captureAWSv3Client(client) });
 * await source.changedPaths({ provider: "codecommit", repository, ref, base, head }); // ["services/api/main.ts"]
 * ```
 */
export class CodeCommitChangedPaths implements ChangedPathsSource {
  readonly #options: CodeCommitChangedPathsOptions;
  readonly #clients = new Map<string, CodeCommitClient>();

  constructor(options: CodeCommitChangedPathsOptions = {}) {
    this.#options = options;
  }

  #clientFor(region: string): CodeCommitClient {
    if (this.#options.clientFor !== undefined) return this.#options.clientFor(region);
    const known = this.#clients.get(region);
    if (known !== undefined) return known;
    const created = new CodeCommitClient({ region });
    const client = this.#options.capture?.(created) ?? created;
    this.#clients.set(region, client);
    return client;
  }

  /** The paths that differ between `base` and `head`. */
  async changedPaths(request: ChangedPathsRequest): Promise<readonly string[]> {
    const repositoryName = request.repository.name;
    const region = regionOf(request.repository.url) ?? this.#options.defaultRegion;
    if (region === undefined) {
      throw unavailable(repositoryName, `its URL ${request.repository.url} names no region`, false);
    }
    const client = this.#clientFor(region);
    const paths = new Set<string>();
    const maxPages = this.#options.maxPages ?? 25;
    let nextToken: string | undefined;
    for (let page = 0; page < maxPages; page += 1) {
      let output: GetDifferencesCommandOutput;
      try {
        output = await client.send(
          new GetDifferencesCommand({
            repositoryName,
            beforeCommitSpecifier: request.base,
            afterCommitSpecifier: request.head,
            ...(nextToken === undefined ? {} : { NextToken: nextToken }),
          }),
        );
      } catch (error) {
        const name = error instanceof Error ? error.name : "UnknownError";
        throw unavailable(repositoryName, `GetDifferences failed with ${name}`, TRANSIENT.has(name), error);
      }
      for (const difference of output.differences ?? []) {
        for (const path of [difference.beforeBlob?.path, difference.afterBlob?.path]) {
          if (path !== undefined && path !== "") paths.add(path);
        }
      }
      nextToken = output.NextToken;
      if (nextToken === undefined) return [...paths];
    }
    throw unavailable(repositoryName, `the differences run past ${maxPages} pages`, false);
  }
}

function regionOf(url: string): string | undefined {
  try {
    return CODECOMMIT_HOST.exec(new URL(url).hostname)?.[1];
  } catch {
    return undefined;
  }
}

function unavailable(repository: string, why: string, retryable: boolean, cause?: unknown): ShiplineError {
  return new ShiplineError({
    code: CHANGED_PATHS_UNAVAILABLE,
    message: `The changed paths of CodeCommit repository ${repository} could not be read: ${why}`,
    data: { repository },
    retryable,
    ...(cause === undefined ? {} : { cause }),
  });
}
