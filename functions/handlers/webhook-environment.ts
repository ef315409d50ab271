import * as z from "zod";
import { ShiplineError } from "../core/errors/shipline-error.js";
import { EnvName } from "../core/topology/env-names.js";
import { type EnvironmentFor, readEnvironment } from "./shared/environment.js";

/** The `webhook` function's environment, parsed. */
export interface WebhookEnvironment {
  readonly step: EnvironmentFor<"idempotencyTable">;
  /** The Secrets Manager secret holding the webhook secret(s) ({@link EnvName.WebhookSecretArn}). */
  readonly secretId: string;
  /**
   * The repositories whose CodeCommit pushes have their changed paths read, by key
   * ({@link EnvName.ChangedPathsRepositories}); empty when it is not set.
   */
  readonly changedPathsRepositories: readonly string[];
  /**
   * The Secrets Manager secret holding the Harbor webhook secret ({@link EnvName.HarborWebhookSecretArn});
   * absent where no Harbor is configured.
   */
  readonly harborSecretId?: string;
  /**
   * The Secrets Manager secret holding the publish secret ({@link EnvName.PublishSecretArn}) the
   * "image published" call is signed with; absent where no registry of kind oci is configured.
   */
  readonly publishSecretId?: string;
}

const repositoryKeys = z.array(z.string().min(1));

/**
 * Reads the webhook's environment once, at cold start: the step's settings (idempotency table
 * required), the webhook secret's ARN and the repositories whose CodeCommit pushes have their
 * changed paths read, and the Harbor webhook secret's ARN when it is set. Every problem of the function's own settings is named in one permanent
 * `CONFIG_INVALID`.
 *
 * @example
 * ```ts
 * const { step, secretId, changedPathsRepositories } = readWebhookEnvironment();
 * ```
 */
export function readWebhookEnvironment(
  options: { readonly env?: Readonly<Record<string, string | undefined>> } = {},
): WebhookEnvironment {
  const env = options.env ?? process.env;
  const step = readEnvironment({ env, needs: ["idempotencyTable"] });
  const problems: string[] = [];
  const secretId = env[EnvName.WebhookSecretArn]?.trim();
  if (!secretId) problems.push(`${EnvName.WebhookSecretArn}: is not set; set it to the webhook secret's ARN`);
  const changedPathsRepositories = parseRepositories(env[EnvName.ChangedPathsRepositories]);
  if (changedPathsRepositories === undefined) {
    problems.push(
      `${EnvName.ChangedPathsRepositories}: is not a JSON array of repository keys; set it to e.g. ["git-codecommit.eu-west-1.amazonaws.com/v1/repos/shop"], or leave it unset`,
    );
  }
  if (!secretId || changedPathsRepositories === undefined) {
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `The function's environment is not usable: ${problems.join("; ")}`,
      data: { problems },
      retryable: false,
    });
  }
  const harborSecretId = env[EnvName.HarborWebhookSecretArn]?.trim();
  const publishSecretId = env[EnvName.PublishSecretArn]?.trim();
  return {
    step,
    secretId,
    changedPathsRepositories,
    ...(harborSecretId ? { harborSecretId } : {}),
    ...(publishSecretId ? { publishSecretId } : {}),
  };
}

/** The keys the variable lists: none when it is unset, undefined when it is not a JSON array of keys. */
function parseRepositories(text: string | undefined): readonly string[] | undefined {
  if (text === undefined || text.trim() === "") return [];
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    return undefined;
  }
  return repositoryKeys.safeParse(json).data;
}
