import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../core/ports/clock.js";

/** Options of {@link SecretsManagerSecretSource}. */
export interface SecretsManagerSecretSourceOptions {
  /** The Secrets Manager client, created once per cold start. */
  readonly client: SecretsManagerClient;
  /** The secret's name or ARN. */
  readonly secretId: string;
  /** How long a read value is reused before it is read again. @default 300 */
  readonly ttlSeconds?: number;
  /** Decides when the cached value is stale. @default - the system clock */
  readonly clock?: Clock;
}

/**
 * Reads a secret (the webhook secret) from Secrets Manager and keeps it in memory for `ttlSeconds`,
 * so that a warm function calls Secrets Manager at most once per period and a rotated value is
 * picked up within it. Concurrent reads share one call.
 *
 * The secret is a plain string (one value), or, to rotate without downtime, a JSON object or array
 * of strings (every non-empty one is accepted, e.g. `{"current": "...", "previous": "..."}`).
 * Values never appear in errors. A failed read is a retryable `SECRET_UNAVAILABLE`; a secret with
 * no usable value is a permanent `SECRET_INVALID`.
 *
 * @example
 * ```ts
 * const secrets = new SecretsManagerSecretSource({ client: new SecretsManagerClient({}), secretId: "shipline/webhook" });
 * const values = await secrets.values(); // ["s3cr3t", ...]
 * ```
 */
export class SecretsManagerSecretSource {
  readonly #client: SecretsManagerClient;
  readonly #secretId: string;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  #cached: { readonly values: readonly string[]; readonly until: number } | undefined;
  #reading: Promise<readonly string[]> | undefined;

  constructor(options: SecretsManagerSecretSourceOptions) {
    this.#client = options.client;
    this.#secretId = options.secretId;
    this.#ttlMs = (options.ttlSeconds ?? 300) * 1000;
    this.#clock = options.clock ?? systemClock;
  }

  /** The secret's values, from the cache while it is fresh. */
  async values(): Promise<readonly string[]> {
    const now = this.#clock.now().getTime();
    if (this.#cached !== undefined && now < this.#cached.until) return this.#cached.values;
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #read(): Promise<readonly string[]> {
    let text: string | undefined;
    try {
      const output = await this.#client.send(new GetSecretValueCommand({ SecretId: this.#secretId }));
      text =
        output.SecretString ??
        (output.SecretBinary === undefined ? undefined : Buffer.from(output.SecretBinary).toString("utf8"));
    } catch (error) {
      const name = error instanceof Error ? error.name : "UnknownError";
      throw new ShiplineError({
        code: "SECRET_UNAVAILABLE",
        message: `could not read secret '${this.#secretId}' from Secrets Manager (${name}); check that it exists and the function may read it`,
        data: { secretId: this.#secretId, errorName: name },
        retryable: true,
        cause: error,
      });
    }
    const values = valuesOf(text ?? "");
    if (values.length === 0) {
      throw new ShiplineError({
        code: "SECRET_INVALID",
        message: `secret '${this.#secretId}' holds no usable value; store the webhook secret as a plain string, or a JSON object or array of strings while rotating`,
        data: { secretId: this.#secretId },
        retryable: false,
      });
    }
    this.#cached = { values, until: this.#clock.now().getTime() + this.#ttlMs };
    return values;
  }
}

/** A plain string is one value; a JSON object or array gives each of its non-empty string members. */
function valuesOf(text: string): string[] {
  const trimmed = text.trim();
  if (trimmed.startsWith("{") || trimmed.startsWith("[")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(trimmed);
    } catch {
      parsed = undefined;
    }
    if (typeof parsed === "object" && parsed !== null) {
      return Object.values(parsed).filter(
        (value): value is string => typeof value === "string" && value !== "",
      );
    }
  }
  return text === "" ? [] : [text];
}
