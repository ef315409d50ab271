import type { AppSourceConfig, SourceHost } from "../config/app-source.js";
import { parseRepoRef } from "../config/repo-ref.js";

/** CodeBuild's source types for a repository it clones itself. */
export type CodeBuildSourceType =
  | "GITHUB"
  | "GITHUB_ENTERPRISE"
  | "GITLAB"
  | "GITLAB_SELF_MANAGED"
  | "BITBUCKET"
  | "CODECOMMIT";

/**
 * How the managed build (one CodeBuild project per app) gets an app's source:
 * - `local`: a repository of the local runtime; AWS cannot build it;
 * - `codecommit`: CodeBuild clones the CodeCommit repository with the project's role;
 * - `account-credential`: CodeBuild clones GitHub or Bitbucket Cloud with the account's default
 *   CodeBuild source credential for that host (set up once, outside Shipline);
 * - `connection`: CodeBuild clones through the app's AWS CodeConnections connection (GitHub,
 *   GitHub Enterprise Server, GitLab, self-managed GitLab, Bitbucket Cloud);
 * - `fetch`: CodeBuild has no source type for the host (Gitea, Forgejo, Bitbucket Server, any git
 *   host): the project has no source and its buildspec fetches the exact commit, with the token the
 *   app's `source.credentials` keeps in Secrets Manager when the repository is private;
 * - `unsupported`: the configuration does not say enough; `key` and `fix` say what to add.
 */
export type ManagedBuildSource =
  | { readonly kind: "local"; readonly name: string }
  | {
      readonly kind: "codecommit";
      readonly url: string;
      readonly region: string;
      readonly repositoryName: string;
    }
  | {
      readonly kind: "account-credential";
      readonly type: "GITHUB" | "BITBUCKET";
      readonly url: string;
      readonly owner: string;
      readonly repo: string;
    }
  | {
      readonly kind: "connection";
      readonly type: Exclude<CodeBuildSourceType, "CODECOMMIT">;
      readonly url: string;
      readonly connectionArn: string;
    }
  | {
      readonly kind: "fetch";
      readonly host: SourceHost;
      readonly url: string;
      /** The Secrets Manager secret (name or ARN) holding the token, and the user name sent with it. */
      readonly token?: { readonly secret: string; readonly username: string };
    }
  | { readonly kind: "unsupported"; readonly key: string; readonly problem: string; readonly fix: string };

const CODECOMMIT_HOST = /^git-codecommit(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/**
 * The kind of host an app's repository lives on: `source.host` when set, else what its address
 * tells (github.com, gitlab.com, bitbucket.org, CodeCommit), else plain `git`.
 *
 * @example
 * ```ts
 * sourceHostOf({ repo: "https://gitlab.com/acme/shop.git" }); // "gitlab"
 * ```
 */
export function sourceHostOf(source: Pick<AppSourceConfig, "repo" | "host">): SourceHost {
  if (source.host !== undefined) return source.host;
  const ref = parseRepoRef(source.repo);
  if ("problem" in ref || ref.kind === "local") return "git";
  const host = new URL(ref.url).hostname.toLowerCase();
  if (host === "github.com") return "github";
  if (host === "gitlab.com") return "gitlab";
  if (host === "bitbucket.org") return "bitbucket";
  if (CODECOMMIT_HOST.test(host)) return "codecommit";
  return "git";
}

/**
 * Decides how the managed build gets an app's source (see {@link ManagedBuildSource}); the CDK app
 * builds the project from it, `start-build` starts a `fetch` project without a source version, and
 * the README's table of hosts describes the same rules.
 *
 * @example
 * ```ts
 * const found = managedBuildSourceOf(app.source);
 * if (found.kind === "unsupported") throw new Error(`source.${found.key}: ${found.problem}; ${found.fix}`);
 * ```
 */
export function managedBuildSourceOf(source: AppSourceConfig): ManagedBuildSource {
  const ref = parseRepoRef(source.repo);
  if ("problem" in ref) return { kind: "unsupported", key: "repo", problem: ref.problem, fix: ref.fix };
  if (ref.kind === "local") return { kind: "local", name: ref.name };
  const url = new URL(ref.url);
  const hostname = url.hostname.toLowerCase();
  const parts = url.pathname
    .replace(/\.git$/, "")
    .split("/")
    .filter((part) => part !== "");
  const host = sourceHostOf(source);
  const connection = source.connectionArn;
  switch (host) {
    case "codecommit":
      return codeCommitSource(ref.url, hostname, parts);
    case "github":
    case "bitbucket": {
      const cloud = host === "github" ? hostname === "github.com" : hostname === "bitbucket.org";
      const type = host === "github" ? (cloud ? "GITHUB" : "GITHUB_ENTERPRISE") : "BITBUCKET";
      if (connection !== undefined && (cloud || type === "GITHUB_ENTERPRISE")) {
        return { kind: "connection", type, url: ref.url, connectionArn: connection };
      }
      const [owner, repo] = parts;
      if (cloud && parts.length === 2 && owner && repo) {
        return {
          kind: "account-credential",
          type: host === "github" ? "GITHUB" : "BITBUCKET",
          url: ref.url,
          owner,
          repo,
        };
      }
      if (host === "bitbucket") return fetchSource(source, "bitbucket", ref.url);
      return needsConnection("GitHub Enterprise Server", source.repo);
    }
    case "gitlab": {
      if (connection === undefined) return needsConnection("GitLab", source.repo);
      const type = hostname === "gitlab.com" ? "GITLAB" : "GITLAB_SELF_MANAGED";
      return { kind: "connection", type, url: ref.url, connectionArn: connection };
    }
    case "bitbucket-server":
    case "gitea":
    case "forgejo":
    case "git":
      return fetchSource(source, host, ref.url);
  }
}

function codeCommitSource(url: string, hostname: string, parts: readonly string[]): ManagedBuildSource {
  const region = CODECOMMIT_HOST.exec(hostname)?.[1];
  const name = parts[2];
  if (region === undefined || parts.length !== 3 || parts[0] !== "v1" || parts[1] !== "repos" || !name) {
    return {
      kind: "unsupported",
      key: "repo",
      problem: `'${url}' is not a CodeCommit repository URL`,
      fix: "write https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>",
    };
  }
  return { kind: "codecommit", url, region, repositoryName: name };
}

function needsConnection(host: string, repo: string): ManagedBuildSource {
  return {
    kind: "unsupported",
    key: "connectionArn",
    problem: `is missing: CodeBuild clones ${host} (${repo}) only through an AWS CodeConnections connection`,
    fix: `create a connection to ${host} in the Developer Tools console (for a self-hosted server, with its host) and set source.connectionArn to its ARN`,
  };
}

function fetchSource(source: AppSourceConfig, host: SourceHost, url: string): ManagedBuildSource {
  if (source.connectionArn !== undefined) {
    return {
      kind: "unsupported",
      key: "connectionArn",
      problem: `is set, but CodeBuild connects only to GitHub, GitHub Enterprise Server, GitLab and Bitbucket Cloud, and ${url} is a ${host} repository`,
      fix: "remove source.connectionArn (the build fetches the commit itself), or set source.host if the repository is on one of those hosts",
    };
  }
  const credentials = source.credentials;
  if (credentials === undefined) return { kind: "fetch", host, url };
  if (credentials.provider !== "token") {
    return {
      kind: "unsupported",
      key: "credentials.provider",
      problem: `is '${credentials.provider}', but the build fetches ${url} itself and can only read a token kept in Secrets Manager`,
      fix: "use credentials: { provider: token, secretName: <secret>, username: <user> }, or remove source.credentials for a public repository",
    };
  }
  return {
    kind: "fetch",
    host,
    url,
    token: { secret: credentials.secretName, username: credentials.username },
  };
}
