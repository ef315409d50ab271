import { GetWebIdentityTokenCommand, type STSClient } from "@aws-sdk/client-sts";
import * as z from "zod";
import { credentialsDenied, credentialsUnavailable } from "./credentials-error.js";

/**
 * Where the `oidc-exchange` provider gets the workload's JWT: STS on AWS, the local issuer in the
 * local runtime.
 */
export interface WebIdentityTokenSource {
  /** A fresh JWT for the audience the broker expects; `repoUrl` only names the repository in errors. */
  token(repoUrl: string): Promise<string>;
}

/** Options of {@link StsWebIdentityToken}. */
export interface StsWebIdentityTokenOptions {
  /** A regional STS client (GetWebIdentityToken is not served by the global endpoint). */
  readonly client: STSClient;
  /** The `aud` the broker expects (config: `credentials.audience`). */
  readonly audience: string;
  /** The JWT's lifetime, 60..3600 (config: `credentials.tokenLifetime`). @default 300 */
  readonly durationSeconds?: number;
}

/** STS errors that mean "not allowed" rather than "try again". */
const DENIED_ERRORS: Readonly<Record<string, string>> = {
  OutboundWebIdentityFederationDisabledException:
    "turn outbound identity federation on once per account (aws iam enable-outbound-web-identity-federation)",
  AccessDenied: "let the function's role call sts:GetWebIdentityToken for this audience",
  AccessDeniedException: "let the function's role call sts:GetWebIdentityToken for this audience",
  SessionDurationEscalationException:
    "lower credentials.tokenLifetime below the role session's remaining time",
  JWTPayloadSizeExceededException: "use fewer or shorter principal tags on the role",
  ValidationError: "check credentials.audience (1..1000 characters) and tokenLifetime (60s..1h)",
};

const awsError = z.object({ name: z.string(), $fault: z.enum(["client", "server"]).optional() });

/**
 * The workload's JWT from AWS STS outbound identity federation (`GetWebIdentityToken`, RS256) for
 * the function's own role. Refusals (federation disabled, no permission, a bad duration) are a
 * permanent `GIT_CREDENTIALS_DENIED` that says how to fix it; throttling and service failures a
 * retryable `GIT_CREDENTIALS_UNAVAILABLE`.
 *
 * @example
 * ```ts
 * const source = new StsWebIdentityToken({ client: new STSClient({}), audience: "https://sts.example.com", durationSeconds: 300 });
 * const jwt = await source.token(repoUrl);
 * ```
 */
export class StsWebIdentityToken implements WebIdentityTokenSource {
  readonly #options: StsWebIdentityTokenOptions;

  constructor(options: StsWebIdentityTokenOptions) {
    this.#options = options;
  }

  async token(repoUrl: string): Promise<string> {
    const failure = { kind: "oidc-exchange", repoUrl, data: { audience: this.#options.audience } };
    let token: string | undefined;
    try {
      const output = await this.#options.client.send(
        new GetWebIdentityTokenCommand({
          Audience: [this.#options.audience],
          DurationSeconds: this.#options.durationSeconds ?? 300,
          SigningAlgorithm: "RS256",
        }),
      );
      token = output.WebIdentityToken;
    } catch (error) {
      const parsed = awsError.safeParse(error);
      const name = parsed.success ? parsed.data.name : "UnknownError";
      const fix = DENIED_ERRORS[name];
      if (fix !== undefined) {
        throw credentialsDenied({
          ...failure,
          detail: `STS GetWebIdentityToken refused (${name})`,
          fix,
          cause: error,
        });
      }
      throw credentialsUnavailable({
        ...failure,
        detail: `STS GetWebIdentityToken failed (${name})`,
        fix: "check the function's region (a regional STS endpoint is needed); it will be retried",
        retryable: !parsed.success || parsed.data.$fault !== "client" || name.includes("Throttl"),
        cause: error,
      });
    }
    if (token === undefined || token === "") {
      throw credentialsUnavailable({
        ...failure,
        detail: "STS GetWebIdentityToken answered without a WebIdentityToken",
        fix: "it will be retried",
        retryable: true,
      });
    }
    return token;
  }
}
