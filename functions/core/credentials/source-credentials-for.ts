import type { AppConfig } from "../config/app.js";
import type { GitCredentialsConfig } from "../config/credentials.js";
import { parseRepoRef } from "../config/repo-ref.js";
import type { GitCredentialsProvider } from "../ports/git-credentials.js";

/** Options of {@link sourceCredentialsFor}. */
export interface SourceCredentialsForOptions {
  /** The configuration's apps; those with `source.credentials` can be read when private. */
  readonly apps: readonly AppConfig[];
  /** Makes the provider one app's `source.credentials` names (created once per app, when first needed). */
  readonly providerOf: (credentials: GitCredentialsConfig) => GitCredentialsProvider;
}

/**
 * The git credentials of app repositories, by URL: the provider of the app whose `source.repo` is
 * that repository (compared by canonical key, so `.git`, case and a trailing slash do not matter) and
 * which names `source.credentials`; undefined for any other repository, which is then read without
 * credentials. Providers are created lazily and kept.
 *
 * @example
 * ```ts
 * const credentialsOf = sourceCredentialsFor({ apps: config.apps, providerOf: (credentials) => createGitCredentialsProvider({ config: credentials, logger, clock }) });
 * const provider = credentialsOf("https://gitea.example.org/acme/shop.git");
 * ```
 */
export function sourceCredentialsFor(
  options: SourceCredentialsForOptions,
): (url: string) => GitCredentialsProvider | undefined {
  const byKey = new Map<string, { readonly app: string; readonly credentials: GitCredentialsConfig }>();
  for (const app of options.apps) {
    const ref = parseRepoRef(app.source.repo);
    const credentials = app.source.credentials;
    if (credentials !== undefined && !("problem" in ref) && !byKey.has(ref.key)) {
      byKey.set(ref.key, { app: app.name, credentials });
    }
  }
  const providers = new Map<string, GitCredentialsProvider>();
  return (url) => {
    const ref = parseRepoRef(url);
    const found = "problem" in ref ? undefined : byKey.get(ref.key);
    if (found === undefined) return undefined;
    const known = providers.get(found.app);
    if (known !== undefined) return known;
    const provider = options.providerOf(found.credentials);
    providers.set(found.app, provider);
    return provider;
  };
}
