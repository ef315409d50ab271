import { Stack } from "aws-cdk-lib";
import * as codebuild from "aws-cdk-lib/aws-codebuild";
import * as codecommit from "aws-cdk-lib/aws-codecommit";
import type { Construct } from "constructs";
import { parseRepoRef } from "../../functions/core/config/repo-ref.js";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";

/** Where an app's CodeBuild project checks its source out from. */
export type AppBuildSource =
  /** A source CodeBuild clones natively. */
  | { readonly kind: "codebuild"; readonly source: codebuild.ISource; readonly host: string }
  /** A `local:` repository: it exists only in the local runtime, so no project can build it. */
  | { readonly kind: "local"; readonly name: string };

const CODECOMMIT_HOST = /^git-codecommit\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?$/;

/**
 * Maps an app's `source.repo` to a source CodeBuild clones natively: GitHub (`github.com`),
 * Bitbucket (`bitbucket.org`) and CodeCommit (`git-codecommit.<region>.amazonaws.com/v1/repos/<name>`).
 * GitHub and Bitbucket use the account's CodeBuild source credentials (a CodeConnections connection
 * or an imported token), set up once outside Shipline; none is kept in this stack. A `local:`
 * repository answers `local`. Any other host throws `APP_SOURCE_UNSUPPORTED`: CodeBuild has no
 * source type for an arbitrary git URL, and a clone step inside the build would need a long-lived
 * git credential, which Shipline does not keep.
 *
 * @example
 * ```ts
 * const found = appBuildSourceOf(this, { app: "shop", repo: "https://github.com/acme/shop.git" });
 * if (found.kind === "codebuild") new codebuild.Project(this, "Project", { source: found.source });
 * ```
 */
export function appBuildSourceOf(
  scope: Construct,
  options: { readonly app: string; readonly repo: string },
): AppBuildSource {
  const ref = parseRepoRef(options.repo);
  if ("problem" in ref) throw unsupported(options, `${ref.problem}; ${ref.fix}`);
  if (ref.kind === "local") return { kind: "local", name: ref.name };
  const url = new URL(ref.url);
  const parts = url.pathname
    .replace(/\.git$/, "")
    .split("/")
    .filter((part) => part !== "");
  const host = url.hostname.toLowerCase();
  const [owner, repo] = parts;
  if ((host === "github.com" || host === "bitbucket.org") && parts.length === 2 && owner && repo) {
    const source =
      host === "github.com"
        ? codebuild.Source.gitHub({ owner, repo, reportBuildStatus: false })
        : codebuild.Source.bitBucket({ owner, repo, reportBuildStatus: false });
    return { kind: "codebuild", source, host };
  }
  const codeCommit = CODECOMMIT_HOST.exec(host);
  const name = parts[2];
  if (codeCommit?.[1] && parts.length === 3 && parts[0] === "v1" && parts[1] === "repos" && name) {
    const stack = Stack.of(scope);
    const repository = codecommit.Repository.fromRepositoryArn(
      scope,
      "SourceRepository",
      `arn:${stack.partition}:codecommit:${codeCommit[1]}:${stack.account}:${name}`,
    );
    return { kind: "codebuild", source: codebuild.Source.codeCommit({ repository }), host };
  }
  throw unsupported(
    options,
    `CodeBuild cannot clone '${options.repo}' natively; use a github.com, bitbucket.org or CodeCommit (https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>) repository`,
  );
}

function unsupported(options: { readonly app: string; readonly repo: string }, why: string): ShiplineError {
  return new ShiplineError({
    code: "APP_SOURCE_UNSUPPORTED",
    message: `app '${options.app}': source.repo ${why}`,
    data: { app: options.app, repo: options.repo },
    retryable: false,
  });
}
