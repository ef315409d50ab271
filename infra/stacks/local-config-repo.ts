import type { StepFunctionConfig } from "../constructs/step-function-config.js";

/**
 * Why the configuration's config repository is one only the local runtime can write to, or
 * `undefined` when AWS can reach it: the stack then leaves out the config writer, promote and
 * rollback, with a warning.
 *
 * @example
 * ```ts
 * localConfigRepoOf(await readStepFunctionConfig("shipline.config.yaml"));
 * // "configRepo.url is 'local:demo-config', a repository of the local runtime"
 * ```
 */
export function localConfigRepoOf(config: StepFunctionConfig): string | undefined {
  const { url, credentials } = config.config.configRepo;
  if (url.startsWith("local:")) return `configRepo.url is '${url}', a repository of the local runtime`;
  if (credentials.provider === "oidc-exchange" && credentials.exchangeUrl.startsWith("local:")) {
    return `configRepo.credentials.exchangeUrl is '${credentials.exchangeUrl}', the local runtime's token exchange`;
  }
  return undefined;
}
