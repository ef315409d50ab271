import type { GitCredentialsProvider } from "../ports/git-credentials.js";

/**
 * Binds a provider to one repository as the credentials function the git adapter calls from
 * isomorphic-git's `onAuth`: the only way a token reaches git (never in a URL). The expiry is left
 * out, since git needs only the user name and the password.
 *
 * @example
 * ```ts
 * new IsomorphicConfigRepository({ url, branch, dir, credentials: gitAuthCallback(provider, url) });
 * ```
 */
export function gitAuthCallback(
  provider: GitCredentialsProvider,
  repoUrl: string,
): () => Promise<{ readonly username: string; readonly password: string }> {
  return async () => {
    const { username, password } = await provider.credentials(repoUrl);
    return { username, password };
  };
}
