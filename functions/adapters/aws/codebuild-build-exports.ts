import { BatchGetBuildsCommand, type CodeBuildClient } from "@aws-sdk/client-codebuild";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { BuildExports } from "../../core/ports/build-exports.js";

/**
 * The {@link BuildExports} of AWS CodeBuild: `BatchGetBuilds` of the one build, its
 * `exportedEnvironmentVariables` (CodeBuild's state change event does not carry them). A build
 * CodeBuild does not know exported nothing; any other failure is a retryable
 * `BUILD_EXPORTS_UNREADABLE`.
 *
 * @example
 * ```ts
 * const exports = new CodeBuildBuildExports({ client: new CodeBuildClient({}) });
 * const exported = await exports.exportedVariables(event.detail["build-id"]);
 * ```
 */
export class CodeBuildBuildExports implements BuildExports {
  readonly #client: CodeBuildClient;

  /** @param options.client The CodeBuild client, created once per cold start. */
  constructor(options: { readonly client: CodeBuildClient }) {
    this.#client = options.client;
  }

  async exportedVariables(buildId: string): Promise<ReadonlyMap<string, string>> {
    // The state change names the build by its ARN; BatchGetBuilds takes its id, project:uuid.
    const id = buildId.includes(":build/")
      ? buildId.slice(buildId.indexOf(":build/") + ":build/".length)
      : buildId;
    try {
      const output = await this.#client.send(new BatchGetBuildsCommand({ ids: [id] }));
      const variables = output.builds?.[0]?.exportedEnvironmentVariables ?? [];
      return new Map(
        variables.flatMap((variable) =>
          variable.name === undefined ? [] : [[variable.name, variable.value ?? ""] as const],
        ),
      );
    } catch (error) {
      throw new ShiplineError({
        code: "BUILD_EXPORTS_UNREADABLE",
        message: `could not read the exported variables of build ${id} (${error instanceof Error ? error.message : String(error)}); it is tried again`,
        data: { buildId: id },
        retryable: true,
        cause: error,
      });
    }
  }
}
