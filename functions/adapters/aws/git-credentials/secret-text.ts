import { GetSecretValueCommand, type SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import * as z from "zod";
import { ShiplineError } from "../../../core/errors/shipline-error.js";
import { type Clock, systemClock } from "../../../core/ports/clock.js";

/** A secret's text, read when needed (a GitHub App key, a git token). */
export interface SecretTextSource {
  /** The secret's name or ARN, for errors and logs. */
  readonly secretId: string;
  /** The secret's text. */
  value(): Promise<string>;
}

/** Options of {@link SecretsManagerSecretText}. */
export interface SecretsManagerSecretTextOptions {
  /** The Secrets Manager client, created once per cold start. */
  readonly client: SecretsManagerClient;
  /** The secret's name or ARN (config: `privateKeySecret` or `secretName`). */
  readonly secretId: string;
  /** How long a read value is reused, so a rotated secret is picked up. @default 300 */
  readonly ttlSeconds?: number;
  /** @default - the system clock */
  readonly clock?: Clock;
}

/** Errors Secrets Manager gives again for the same request: retrying cannot help. */
const PERMANENT_ERRORS: ReadonlySet<string> = new Set([
  "ResourceNotFoundException",
  "AccessDeniedException",
  "DecryptionFailure",
  "InvalidParameterException",
  "InvalidRequestException",
]);

const awsError = z.object({ name: z.string() });

/**
 * One Secrets Manager secret as text (`SecretString`, or `SecretBinary` as UTF-8), kept in memory
 * for `ttlSeconds`; concurrent reads share one call. The value never appears in an error: a failed
 * read is `SECRET_UNAVAILABLE` (retryable unless the secret is missing or not readable), an empty
 * secret a permanent `SECRET_INVALID`.
 *
 * @example
 * ```ts
 * const key = new SecretsManagerSecretText({ client: new SecretsManagerClient({}), secretId: "shipline/github-app-key" });
 * const pem = await key.value();
 * ```
 */
export class SecretsManagerSecretText implements SecretTextSource {
  readonly secretId: string;
  readonly #client: SecretsManagerClient;
  readonly #ttlMs: number;
  readonly #clock: Clock;
  #cached: { readonly text: string; readonly until: number } | undefined;
  #reading: Promise<string> | undefined;

  constructor(options: SecretsManagerSecretTextOptions) {
    this.secretId = options.secretId;
    this.#client = options.client;
    this.#ttlMs = (options.ttlSeconds ?? 300) * 1000;
    this.#clock = options.clock ?? systemClock;
  }

  async value(): Promise<string> {
    if (this.#cached !== undefined && this.#clock.now().getTime() < this.#cached.until)
      return this.#cached.text;
    this.#reading ??= this.#read().finally(() => {
      this.#reading = undefined;
    });
    return this.#reading;
  }

  async #read(): Promise<string> {
    let text: string | undefined;
    try {
      const output = await this.#client.send(new GetSecretValueCommand({ SecretId: this.secretId }));
      text =
        output.SecretString ??
        (output.SecretBinary === undefined ? undefined : Buffer.from(output.SecretBinary).toString("utf8"));
    } catch (error) {
      const parsed = awsError.safeParse(error);
      const name = parsed.success ? parsed.data.name : "UnknownError";
      throw new ShiplineError({
        code: "SECRET_UNAVAILABLE",
        message: `could not read secret '${this.secretId}' from Secrets Manager (${name}); check that it exists and that the function may read it`,
        data: { secretId: this.secretId, errorName: name },
        retryable: !PERMANENT_ERRORS.has(name),
        cause: error,
      });
    }
    if (text === undefined || text.trim() === "") {
      throw new ShiplineError({
        code: "SECRET_INVALID",
        message: `secret '${this.secretId}' is empty; store the value as the secret's string`,
        data: { secretId: this.secretId },
      });
    }
    this.#cached = { text, until: this.#clock.now().getTime() + this.#ttlMs };
    return text;
  }
}
