import { ShiplineError } from "../core/errors/shipline-error.js";
import { EnvName } from "../core/topology/env-names.js";
import { type EnvironmentFor, readEnvironment } from "./shared/environment.js";

/** The `webhook` function's environment, parsed. */
export interface WebhookEnvironment {
  readonly step: EnvironmentFor<"idempotencyTable">;
  /** The Secrets Manager secret holding the webhook secret(s) ({@link EnvName.WebhookSecretArn}). */
  readonly secretId: string;
}

/**
 * Reads the webhook's environment once, at cold start: the step's settings (idempotency table
 * required) and the webhook secret's ARN. A missing setting is one permanent `CONFIG_INVALID`.
 *
 * @example
 * ```ts
 * const { step, secretId } = readWebhookEnvironment();
 * ```
 */
export function readWebhookEnvironment(
  options: { readonly env?: Readonly<Record<string, string | undefined>> } = {},
): WebhookEnvironment {
  const env = options.env ?? process.env;
  const step = readEnvironment({ env, needs: ["idempotencyTable"] });
  const secretId = env[EnvName.WebhookSecretArn]?.trim();
  if (!secretId) {
    const problem = `${EnvName.WebhookSecretArn}: is not set`;
    throw new ShiplineError({
      code: "CONFIG_INVALID",
      message: `The function's environment is not usable: ${problem}; set it to the webhook secret's ARN`,
      data: { problems: [problem] },
      retryable: false,
    });
  }
  return { step, secretId };
}
