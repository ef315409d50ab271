import { createHash, createHmac } from "node:crypto";

/** AWS credentials, as an SDK client's `config.credentials()` resolves them. */
export interface AwsCredentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
  readonly sessionToken?: string;
}

/** The SHA-256 of an empty payload: what a GET signs as its body. */
const EMPTY_PAYLOAD_SHA256 = createHash("sha256").update("").digest("hex");

/**
 * Encodes an S3 object key for a request path as S3's Signature Version 4 expects it: every byte but
 * the unreserved characters (`A-Z a-z 0-9 - . _ ~`) percent-encoded once, `/` kept between segments.
 *
 * @example
 * ```ts
 * encodeS3Key("scans/ghcr.io/acme/api/sha256:0a.json"); // "scans/ghcr.io/acme/api/sha256%3A0a.json"
 * ```
 */
export function encodeS3Key(key: string): string {
  return key
    .split("/")
    .map((segment) =>
      encodeURIComponent(segment).replace(
        /[!'()*]/g,
        (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
      ),
    )
    .join("/");
}

/**
 * Signs a GET of an S3 object with AWS Signature Version 4 (the `Authorization` header, signed
 * `host`, `x-amz-content-sha256`, `x-amz-date`, the session token and any extra headers given) and
 * returns the headers to send. The path must already be encoded (see {@link encodeS3Key}); the
 * query string is empty.
 *
 * @example
 * ```ts
 * const headers = signS3Get({ host: "bucket.s3.eu-west-1.amazonaws.com", path: "/scans/a.json", region: "eu-west-1", credentials, now: new Date() });
 * await fetch(`https://${host}${path}`, { headers });
 * ```
 */
export function signS3Get(request: {
  readonly host: string;
  readonly path: string;
  readonly region: string;
  readonly credentials: AwsCredentials;
  readonly now: Date;
  /** More headers to sign and send, e.g. `range`. */
  readonly headers?: Readonly<Record<string, string>>;
}): Record<string, string> {
  const { credentials, region } = request;
  const amzDate = request.now
    .toISOString()
    .replace(/[-:]/g, "")
    .replace(/\.\d{3}/, "");
  const day = amzDate.slice(0, 8);
  const headers: Record<string, string> = {
    host: request.host,
    "x-amz-content-sha256": EMPTY_PAYLOAD_SHA256,
    "x-amz-date": amzDate,
    ...(credentials.sessionToken ? { "x-amz-security-token": credentials.sessionToken } : {}),
  };
  for (const [name, value] of Object.entries(request.headers ?? {})) headers[name.toLowerCase()] = value;
  const names = Object.keys(headers).sort();
  const signedHeaders = names.join(";");
  const canonicalRequest = [
    "GET",
    request.path,
    "",
    ...names.map((name) => `${name}:${(headers[name] ?? "").trim().replace(/\s+/g, " ")}`),
    "",
    signedHeaders,
    EMPTY_PAYLOAD_SHA256,
  ].join("\n");
  const scope = `${day}/${region}/s3/aws4_request`;
  const stringToSign = [
    "AWS4-HMAC-SHA256",
    amzDate,
    scope,
    createHash("sha256").update(canonicalRequest).digest("hex"),
  ].join("\n");
  let key: Buffer = hmac(`AWS4${credentials.secretAccessKey}`, day);
  for (const part of [region, "s3", "aws4_request"]) key = hmac(key, part);
  const signature = createHmac("sha256", key).update(stringToSign).digest("hex");
  return {
    ...headers,
    authorization: `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`,
  };
}

function hmac(key: string | Buffer, data: string): Buffer {
  return createHmac("sha256", key).update(data).digest();
}
