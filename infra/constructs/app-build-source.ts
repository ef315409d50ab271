import { Stack } from "aws-cdk-lib";
import * as codebuild from "aws-cdk-lib/aws-codebuild";
import * as codecommit from "aws-cdk-lib/aws-codecommit";
import * as iam from "aws-cdk-lib/aws-iam";
import type { Construct } from "constructs";
import {
  type ManagedBuildSource,
  managedBuildSourceOf,
} from "../../functions/core/build/managed-build-source.js";
import type { AppSourceConfig } from "../../functions/core/config/app-source.js";
import { ShiplineError } from "../../functions/core/errors/shipline-error.js";

/** Where an app's CodeBuild project gets its source from. */
export type AppBuildSource =
  /** A source CodeBuild clones itself (natively, or through a CodeConnections connection). */
  | {
      readonly kind: "codebuild";
      readonly source: codebuild.ISource;
      readonly host: string;
      /** The CodeCommit repository, when the source is one (the webhook reads its differences). */
      readonly repository?: codecommit.IRepository;
    }
  /**
   * No source of the project's own: the buildspec fetches the exact commit from `url`, with the
   * token of `token.secret` when the repository is private.
   */
  | {
      readonly kind: "fetch";
      readonly url: string;
      readonly host: string;
      readonly token?: { readonly secret: string; readonly username: string };
    }
  /** A `local:` repository: it exists only in the local runtime, so no project can build it. */
  | { readonly kind: "local"; readonly name: string };

/**
 * Maps an app's `source` to the way its CodeBuild project gets the source (see
 * `managedBuildSourceOf`): CodeCommit natively; github.com and bitbucket.org with the account's
 * CodeBuild source credential, set up once outside Shipline, or through the app's CodeConnections
 * connection (`source.connectionArn`); GitHub Enterprise Server, gitlab.com and self-managed GitLab
 * through that connection only; any other host (Gitea, Forgejo, Bitbucket Server, plain git) by the
 * buildspec fetching the commit, with a token kept in Secrets Manager for a private repository. A
 * `local:` repository answers `local`. What the configuration leaves unsaid (GitLab without a
 * connection, say) throws `APP_SOURCE_UNSUPPORTED` naming the app, the key and the fix.
 *
 * @example
 * ```ts
 * const found = appBuildSourceOf(this, { app: "shop", source: app.source });
 * if (found.kind === "codebuild") new codebuild.Project(this, "Project", { source: found.source });
 * ```
 */
export function appBuildSourceOf(
  scope: Construct,
  options: { readonly app: string; readonly source: AppSourceConfig },
): AppBuildSource {
  const found = managedBuildSourceOf(options.source);
  switch (found.kind) {
    case "local":
      return found;
    case "unsupported":
      throw new ShiplineError({
        code: "APP_SOURCE_UNSUPPORTED",
        message: `app '${options.app}': source.${found.key} ${found.problem}; ${found.fix}`,
        data: { app: options.app, repo: options.source.repo, key: `source.${found.key}` },
        retryable: false,
      });
    case "codecommit": {
      const stack = Stack.of(scope);
      const repository = codecommit.Repository.fromRepositoryArn(
        scope,
        "SourceRepository",
        `arn:${stack.partition}:codecommit:${found.region}:${stack.account}:${found.repositoryName}`,
      );
      return {
        kind: "codebuild",
        source: codebuild.Source.codeCommit({ repository }),
        host: hostOf(found.url),
        repository,
      };
    }
    case "account-credential": {
      const props = { owner: found.owner, repo: found.repo, reportBuildStatus: false };
      const source =
        found.type === "GITHUB" ? codebuild.Source.gitHub(props) : codebuild.Source.bitBucket(props);
      return { kind: "codebuild", source, host: hostOf(found.url) };
    }
    case "connection":
      return { kind: "codebuild", source: new ConnectionSource(found), host: hostOf(found.url) };
    case "fetch":
      return {
        kind: "fetch",
        url: found.url,
        host: hostOf(found.url),
        ...(found.token === undefined ? {} : { token: found.token }),
      };
  }
}

function hostOf(url: string): string {
  return new URL(url).hostname.toLowerCase();
}

/**
 * A CodeBuild source cloned through an AWS CodeConnections connection (`Source.Auth` of type
 * `CODECONNECTIONS`): aws-cdk-lib's `Source` factories take no connection, and have none for GitLab.
 * Binding it lets the project's role get the connection's token (`GetConnection`,
 * `GetConnectionToken`), under the ARN's own service prefix.
 */
class ConnectionSource implements codebuild.ISource {
  readonly type: string;
  readonly badgeSupported = false;
  readonly #found: Extract<ManagedBuildSource, { kind: "connection" }>;

  constructor(found: Extract<ManagedBuildSource, { kind: "connection" }>) {
    this.type = found.type;
    this.#found = found;
  }

  bind(_scope: Construct, project: codebuild.IProject): codebuild.SourceConfig {
    const { connectionArn, url, type } = this.#found;
    // codeconnections or codestar-connections: IAM wants the ARN's own prefix.
    const service = connectionArn.split(":")[2] ?? "codeconnections";
    project.addToRolePolicy(
      new iam.PolicyStatement({
        actions: [`${service}:GetConnection`, `${service}:GetConnectionToken`],
        resources: [connectionArn],
      }),
    );
    return {
      sourceProperty: {
        type,
        location: url,
        reportBuildStatus: false,
        auth: { type: "CODECONNECTIONS", resource: connectionArn },
      },
    };
  }
}
