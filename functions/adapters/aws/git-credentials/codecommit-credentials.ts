import type { Clock } from "../../../core/ports/clock.js";
import type { GitCredential, GitCredentialsProvider } from "../../../core/ports/git-credentials.js";
import { signCodeCommitGitRequest } from "./codecommit-signature.js";
import { credentialsDenied, credentialsUnavailable } from "./credentials-error.js";

/** AWS credentials as the SDK's credential providers resolve them. */
export interface AwsCredentialIdentity {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
  readonly expiration?: Date;
}

/** Options of {@link CodeCommitCredentials}. */
export interface CodeCommitCredentialsOptions {
  /**
   * The function's own AWS credentials: the default provider chain, e.g. the `credentials` of an
   * SDK client's resolved config (`() => new STSClient({}).config.credentials()`).
   */
  readonly awsCredentials: () => Promise<AwsCredentialIdentity>;
  /** The repository's region when its URL does not name one (config: `region`, else the function's). */
  readonly region?: string;
  readonly clock: Clock;
  /** How long a signed password is used (a signature is only accepted for minutes). @default 300 */
  readonly lifetimeSeconds?: number;
}

const CODECOMMIT_HOST = /^git-codecommit(?:-fips)?\.([a-z]{2}(?:-[a-z]+)+-\d+)\.amazonaws\.com(?:\.cn)?$/;

/**
 * The `codecommit` provider (DESIGN §3): git credentials signed (SigV4) with the function's own
 * temporary AWS credentials, so IAM (`codecommit:GitPull`, `codecommit:GitPush` on the repository)
 * is the only access control and nothing is stored. The region comes from the URL's host
 * (`git-codecommit.<region>.amazonaws.com`) or, for a VPC endpoint host, from `region`.
 *
 * @example
 * ```ts
 * const provider = new CodeCommitCredentials({ awsCredentials: () => sts.config.credentials(), region: "eu-west-1", clock: systemClock });
 * await provider.credentials("https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/deploy");
 * ```
 */
export class CodeCommitCredentials implements GitCredentialsProvider {
  readonly kind = "codecommit";
  readonly #options: CodeCommitCredentialsOptions;

  constructor(options: CodeCommitCredentialsOptions) {
    this.#options = options;
  }

  async credentials(repoUrl: string): Promise<GitCredential> {
    const url = parseUrl(repoUrl);
    const region =
      (url === undefined ? undefined : CODECOMMIT_HOST.exec(url.host)?.[1]) ?? this.#options.region;
    if (url === undefined || !/^\/v1\/repos\/[^/]+$/.test(url.pathname) || region === undefined) {
      throw credentialsDenied({
        kind: this.kind,
        repoUrl,
        detail: "the URL is not a CodeCommit repository URL with a known region",
        fix: "write https://git-codecommit.<region>.amazonaws.com/v1/repos/<name>, or set credentials.region for an endpoint host",
      });
    }
    let identity: AwsCredentialIdentity;
    try {
      identity = await this.#options.awsCredentials();
    } catch (error) {
      throw credentialsUnavailable({
        kind: this.kind,
        repoUrl,
        detail: `the function's AWS credentials could not be resolved (${error instanceof Error ? error.name : "error"})`,
        fix: "it will be retried",
        retryable: true,
        cause: error,
      });
    }
    const time = this.#options.clock.now();
    const signed = signCodeCommitGitRequest({
      accessKeyId: identity.accessKeyId,
      secretAccessKey: identity.secretAccessKey,
      ...(identity.sessionToken === undefined ? {} : { sessionToken: identity.sessionToken }),
      region,
      host: url.host,
      path: url.pathname,
      time,
    });
    const signedUntil = time.getTime() + (this.#options.lifetimeSeconds ?? 300) * 1000;
    const until = Math.min(signedUntil, identity.expiration?.getTime() ?? signedUntil);
    return { username: signed.username, password: signed.password, expiresAt: new Date(until) };
  }
}

function parseUrl(value: string): URL | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "https:" && url.username === "" && url.password === "" ? url : undefined;
  } catch {
    return undefined;
  }
}
