import {
  type CodeBuildClient,
  StartBuildCommand,
  type StartBuildCommandOutput,
} from "@aws-sdk/client-codebuild";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { BuildRunner, StartBuildInput, StartedBuild } from "../../core/ports/build-runner.js";

/** CodeBuild errors that the same request will always get again. */
const PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  "InvalidInputException",
  "ResourceNotFoundException",
  "OAuthProviderException",
]);

/** Options of {@link CodeBuildBuildRunner}. */
export interface CodeBuildBuildRunnerOptions {
  /** The CodeBuild client, created once per cold start. */
  readonly client: CodeBuildClient;
}

/**
 * The {@link BuildRunner} on AWS CodeBuild: `StartBuild` on the app's project at the commit (no
 * source version for a project whose build fetches the commit itself), with the
 * build's variables as plain-text environment overrides and the idempotency token (CodeBuild returns
 * the same build for the same token within five minutes). The logs link is the build's page in the
 * CodeBuild console, derived from its ARN (CloudWatch's deep link is not known until the build runs).
 *
 * Errors are `BUILD_START_FAILED` ShiplineErrors; retryable except when CodeBuild refuses the request
 * itself (unknown project, invalid input), which retrying cannot fix.
 *
 * @example
 * ```ts
 * const runner = new CodeBuildBuildRunner({ client: new CodeBuildClient({}) });
 * const { buildId } = await runner.startBuild({ projectName: "shop-build", sourceVersion: sha, environment, idempotencyToken });
 * ```
 */
export class CodeBuildBuildRunner implements BuildRunner {
  readonly #client: CodeBuildClient;

  constructor(options: CodeBuildBuildRunnerOptions) {
    this.#client = options.client;
  }

  /** Starts the build; resolves with its id, console link and number. */
  async startBuild(input: StartBuildInput): Promise<StartedBuild> {
    const command = new StartBuildCommand({
      projectName: input.projectName,
      ...(input.sourceFetchedByBuild === true ? {} : { sourceVersion: input.sourceVersion }),
      idempotencyToken: input.idempotencyToken,
      environmentVariablesOverride: Object.entries(input.environment).map(([name, value]) => ({
        name,
        value,
        type: "PLAINTEXT",
      })),
    });
    let output: StartBuildCommandOutput;
    try {
      output = await this.#client.send(command);
    } catch (error) {
      const name = error instanceof Error ? error.name : "UnknownError";
      const retryable = !PERMANENT_ERRORS.has(name);
      throw new ShiplineError({
        code: "BUILD_START_FAILED",
        message: `StartBuild of project '${input.projectName}' at ${input.sourceVersion} failed with ${name}: ${error instanceof Error ? error.message : String(error)}${retryable ? "; the event is retried" : "; check that the project exists and the function may start it"}`,
        data: { projectName: input.projectName, sourceVersion: input.sourceVersion, errorName: name },
        retryable,
        cause: error,
      });
    }
    const started = output.build;
    if (started?.id === undefined) {
      throw new ShiplineError({
        code: "BUILD_START_FAILED",
        message: `StartBuild of project '${input.projectName}' returned no build id; the event is retried`,
        data: { projectName: input.projectName },
        retryable: true,
      });
    }
    const logsUrl = consoleUrlOf(started.arn, input.projectName, started.id);
    return {
      buildId: started.id,
      ...(logsUrl === undefined ? {} : { logsUrl }),
      ...(started.buildNumber === undefined ? {} : { buildNumber: started.buildNumber }),
    };
  }
}

/** The CodeBuild console page of a build, from its ARN (`arn:aws:codebuild:region:account:build/project:uuid`). */
function consoleUrlOf(arn: string | undefined, projectName: string, buildId: string): string | undefined {
  const match = /^arn:aws[a-z-]*:codebuild:([a-z0-9-]+):(\d{12}):build\//.exec(arn ?? "");
  if (!match) return undefined;
  const [, region, account] = match;
  return `https://${region}.console.aws.amazon.com/codesuite/codebuild/${account}/projects/${encodeURIComponent(projectName)}/build/${encodeURIComponent(buildId)}/log?region=${region}`;
}
