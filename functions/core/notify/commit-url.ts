/**
 * The web page of a commit on the git host of `repositoryUrl`, or `undefined` when the host has
 * none Shipline can name (a `local:` repository, an unknown scheme). GitHub, Gitea, Forgejo and
 * GitHub Enterprise use `/commit/<sha>`, GitLab `/-/commit/<sha>`, Bitbucket `/commits/<sha>`, and
 * CodeCommit its console page. Credentials in the URL are dropped.
 *
 * @example
 * ```ts
 * commitUrlOf("https://github.com/acme/deploy.git", sha); // "https://github.com/acme/deploy/commit/<sha>"
 * commitUrlOf("local:demo-config", sha); // undefined
 * ```
 */
export function commitUrlOf(repositoryUrl: string, sha: string): string | undefined {
  let url: URL;
  try {
    url = new URL(repositoryUrl);
  } catch {
    return undefined;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return undefined;
  const repoPath = url.pathname.replace(/\/+$/, "").replace(/\.git$/, "");
  if (repoPath === "" || repoPath === "/") return undefined;
  const codeCommit = /^git-codecommit\.([a-z0-9-]+)\.amazonaws\.com$/.exec(url.hostname);
  if (codeCommit) {
    const name = /^\/v1\/repos\/([^/]+)$/.exec(repoPath)?.[1];
    if (name === undefined) return undefined;
    const region = codeCommit[1] ?? "";
    return `https://${region}.console.aws.amazon.com/codesuite/codecommit/repositories/${name}/commit/${sha}?region=${region}`;
  }
  const base = `${url.protocol}//${url.host}${repoPath}`;
  if (url.hostname === "bitbucket.org") return `${base}/commits/${sha}`;
  if (url.hostname === "gitlab.com" || url.hostname.startsWith("gitlab.")) return `${base}/-/commit/${sha}`;
  return `${base}/commit/${sha}`;
}
