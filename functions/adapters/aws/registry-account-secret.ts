import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";
import type { HarborCredentials } from "../harbor/harbor-api-client.js";

/** Harbor's own export of a robot account, or a plain user name and password. */
const robotSecret = z.union([
  z.object({ name: z.string().min(1), secret: z.string().min(1) }),
  z.object({ username: z.string().min(1), password: z.string().min(1) }),
]);

/**
 * A registry account kept in Secrets Manager (a Harbor robot account, or the account a registry of
 * kind oci is read with), as JSON: Harbor's export (`{"name":
 * "robot$shipline", "secret": "..."}`) or `{"username": ..., "password": ...}`. It is read when first
 * needed and kept for `ttlSeconds`. An unreadable secret is a retryable `SECRET_UNAVAILABLE`; one of
 * another shape a permanent `SECRET_INVALID` that never shows the value.
 *
 * @example
 * ```ts
 * const robot = new RegistryAccountSecret({ client: new SecretsManagerClient({}), secretId: "shipline/harbor-robot" });
 * const harbor = new HarborApiClient({ baseUrl, credentials: () => robot.read() });
 * ```
 */
export class RegistryAccountSecret {
  readonly #client: SecretsManagerClient;
  readonly #secretId: string;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  #cached: { readonly value: HarborCredentials; readonly until: number } | undefined;

  constructor(options: {
    readonly client: SecretsManagerClient;
    /** The secret's name or ARN. */
    readonly secretId: string;
    /** @default 300 */
    readonly ttlSeconds?: number;
    /** @default - the system clock */
    readonly clock?: Clock;
  }) {
    this.#client = options.client;
    this.#secretId = options.secretId;
    this.#ttlMs = (options.ttlSeconds ?? 300) * 1000;
    this.#clock = options.clock ?? systemClock;
  }

  /** The account, from the cache while it is fresh. */
  async read(): Promise<HarborCredentials> {
    const now = this.#clock.now().getTime();
    if (this.#cached !== undefined && now < this.#cached.until) return this.#cached.value;
    let text: string | undefined;
    try {
      const output = await this.#client.send(new GetSecretValueCommand({ SecretId: this.#secretId }));
      text = output.SecretString;
    } catch (error) {
      const name = error instanceof Error ? error.name : "UnknownError";
      throw new ShiplineError({
        code: "SECRET_UNAVAILABLE",
        message: `could not read the registry account '${this.#secretId}' from Secrets Manager (${name}); check that it exists and the function may read it`,
        data: { secretId: this.#secretId, errorName: name },
        retryable: true,
        cause: error,
      });
    }
    const parsed = robotSecret.safeParse(parseJson(text));
    if (!parsed.success) {
      throw new ShiplineError({
        code: "SECRET_INVALID",
        message: `secret '${this.#secretId}' is not a registry account; store it as JSON: {"name": "robot$shipline", "secret": "..."} (Harbor's export) or {"username": "...", "password": "..."}`,
        data: { secretId: this.#secretId },
        retryable: false,
      });
    }
    const value =
      "name" in parsed.data
        ? { username: parsed.data.name, password: parsed.data.secret }
        : { username: parsed.data.username, password: parsed.data.password };
    this.#cached = { value, until: now + this.#ttlMs };
    return value;
  }
}

function parseJson(text: string | undefined): unknown {
  try {
    return JSON.parse(text ?? "");
  } catch {
    return undefined;
  }
}
