import * as z from "zod";
import type { OciCredentials } from "../../adapters/oci/oci-registry-client.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";

const account = z.union([
  z.object({ username: z.string().min(1), password: z.string().min(1) }),
  z.object({ name: z.string().min(1), secret: z.string().min(1) }),
]);

/**
 * The environment variable the local runtime reads a registry account from, in place of the
 * Secrets Manager secret `secretName`: `SHIPLINE_SECRET_` and the name in upper case, every other
 * character than a letter or digit as `_` (`shipline/ghcr-reader` → `SHIPLINE_SECRET_SHIPLINE_GHCR_READER`).
 */
export function localSecretVariable(secretName: string): string {
  return `SHIPLINE_SECRET_${secretName.toUpperCase().replace(/[^A-Z0-9]/g, "_")}`;
}

/**
 * Reads a registry account locally, as JSON `{"username", "password"}` (or Harbor's robot export)
 * in the variable {@link localSecretVariable} names. A missing or malformed one is an error that
 * names the variable, when the registry first asks for credentials.
 *
 * @example
 * ```ts
 * const credentials = localRegistryAccount("shipline/ghcr-reader"); // reads SHIPLINE_SECRET_SHIPLINE_GHCR_READER
 * ```
 */
export function localRegistryAccount(
  secretName: string,
  env: NodeJS.ProcessEnv = process.env,
): () => Promise<OciCredentials> {
  const variable = localSecretVariable(secretName);
  return async () => {
    const text = env[variable];
    let parsed: z.infer<typeof account> | undefined;
    try {
      parsed = text === undefined ? undefined : account.parse(JSON.parse(text));
    } catch {
      parsed = undefined;
    }
    if (parsed === undefined) {
      throw new ShiplineError({
        code: "SECRET_INVALID",
        message: `the local runtime reads the registry account '${secretName}' from ${variable}, which ${text === undefined ? "is not set" : "is not JSON of the form"}: set ${variable}='{"username": "...", "password": "..."}'`,
        data: { secretName, variable },
      });
    }
    return "name" in parsed ? { username: parsed.name, password: parsed.secret } : parsed;
  };
}
