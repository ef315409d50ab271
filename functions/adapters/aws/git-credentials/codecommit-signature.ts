import { createHash, createHmac } from "node:crypto";

/** Inputs of {@link signCodeCommitGitRequest}. */
export interface CodeCommitSigningInput {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  /** The session token of temporary credentials (a Lambda role's). */
  readonly sessionToken?: string;
  /** The repository's region. */
  readonly region: string;
  /** The git endpoint's host, e.g. `git-codecommit.eu-west-1.amazonaws.com`. */
  readonly host: string;
  /** The repository's path, `/v1/repos/<name>`. */
  readonly path: string;
  /** The signing time. */
  readonly time: Date;
}

/** The signed request and the git credentials derived from it. */
export interface CodeCommitSignature {
  readonly canonicalRequest: string;
  readonly stringToSign: string;
  /** Hex SigV4 signature. */
  readonly signature: string;
  /** `urlencode(accessKeyId%sessionToken)` (only the key id without a session token). */
  readonly username: string;
  /** `<YYYYMMDDTHHMMSS>Z<signature>`. */
  readonly password: string;
}

/**
 * CodeCommit's SigV4-derived git credentials, as git-remote-codecommit computes them: the
 * canonical request of method `GIT` on the repository path with the `host` header only and an
 * empty payload-hash line, signed for service `codecommit`; the time stamp of the string to sign
 * has no `Z`, the password adds one before the signature.
 *
 * @example
 * ```ts
 * const { username, password } = signCodeCommitGitRequest({ ...awsCredentials, region: "eu-west-1", host: "git-codecommit.eu-west-1.amazonaws.com", path: "/v1/repos/deploy", time: new Date() });
 * ```
 */
export function signCodeCommitGitRequest(input: CodeCommitSigningInput): CodeCommitSignature {
  const timestamp = input.time
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}Z$/, "");
  const date = timestamp.slice(0, 8);
  const scope = `${date}/${input.region}/codecommit/aws4_request`;
  const canonicalRequest = `GIT\n${input.path}\n\nhost:${input.host}\n\nhost\n`;
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    timestamp,
    scope,
    createHash("sha256").update(canonicalRequest, "utf8").digest("hex"),
  ].join("\n");
  let key = hmac(`AWS4${input.secretAccessKey}`, date);
  for (const part of [input.region, "codecommit", "aws4_request"]) key = hmac(key, part);
  const signature = createHmac("sha256", key).update(stringToSign, "utf8").digest("hex");
  const user = input.sessionToken ? `${input.accessKeyId}%${input.sessionToken}` : input.accessKeyId;
  return {
    canonicalRequest,
    stringToSign,
    signature,
    username: encodeURIComponent(user),
    password: `${timestamp}Z${signature}`,
  };
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data, "utf8").digest();
}
