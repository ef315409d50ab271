// Bundled in place of `@aws-sdk/credential-provider-node` in every step function (see
// infra/constructs/lambda-bundling.ts). Lambda always hands a function its role's credentials in
// the environment, which is the first place the SDK's default chain looks; the rest of the chain
// (SSO, profiles, web identity, the instance metadata service: about 90 KB with their nested STS,
// SSO and sign-in clients) is never reached there.

/** AWS credentials as the SDK's providers resolve them. */
export interface EnvCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
  readonly accountId?: string;
}

/**
 * The SDK's default credential provider, reduced to the environment: `AWS_ACCESS_KEY_ID`,
 * `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, `AWS_CREDENTIAL_EXPIRATION` and
 * `AWS_ACCOUNT_ID`, as `fromEnv` reads them. Throws, naming the variables, when the key is missing.
 *
 * @example
 * ```ts
 * const credentials = await defaultProvider()();
 * ```
 */
export function defaultProvider(
  _init?: unknown,
  env: Readonly<Record<string, string | undefined>> = process.env,
): () => Promise<EnvCredentials> {
  return async () => {
    const accessKeyId = env.AWS_ACCESS_KEY_ID;
    const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
    if (!accessKeyId || !secretAccessKey) {
      const error = new Error(
        "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set: Lambda sets them from the function's role; outside Lambda, run the handlers through the local runtime instead",
      );
      error.name = "CredentialsProviderError";
      throw error;
    }
    const expiration = env.AWS_CREDENTIAL_EXPIRATION;
    return {
      accessKeyId,
      secretAccessKey,
      ...(env.AWS_SESSION_TOKEN ? { sessionToken: env.AWS_SESSION_TOKEN } : {}),
      ...(expiration ? { expiration: new Date(expiration) } : {}),
      ...(env.AWS_ACCOUNT_ID ? { accountId: env.AWS_ACCOUNT_ID } : {}),
    };
  };
}
