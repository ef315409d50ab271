import { generateKeyPairSync } from "node:crypto";
import { Logger } from "@aws-lambda-powertools/logger";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { GetWebIdentityTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createGitCredentialsProvider } from "../../../../../functions/adapters/aws/git-credentials/create-git-credentials-provider.js";
import { credentials } from "../../../../../functions/core/config/credentials.js";
import type { GitCredentialsProvider } from "../../../../../functions/core/ports/git-credentials.js";
import { type CannedAnswer, type RecordingServer, startRecordingServer } from "./recording-server.js";

const NOW = new Date("2026-03-01T12:00:00Z");
const WORKLOAD_JWT = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXdvcmtsb2Fk.c2lnbmF0dXJlLXdvcmtsb2Fk";
const EXCHANGED = "ghs_exchangedSecretToken5d41402abc4b2a76";
const INSTALLATION = "ghs_16C7e42F292c6912E7710c838347Ae178B4a";
const STORED = "glpat-storedSecretToken7f9c2ba4e88f827d";
const AWS_SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYSECRETKEY";
const SESSION = "FwoGZXIvYXdzSECRETSESSIONTOKEN/+=";
const { privateKey: PEM } = generateKeyPairSync("rsa", {
  modulusLength: 2048,
  privateKeyEncoding: { type: "pkcs1", format: "pem" },
  publicKeyEncoding: { type: "spki", format: "pem" },
});

/** Every value that must never reach a log line or an error: tokens, keys and the key's base64 lines. */
const SECRETS = [
  WORKLOAD_JWT,
  EXCHANGED,
  INSTALLATION,
  STORED,
  AWS_SECRET,
  SESSION,
  encodeURIComponent(SESSION),
  ...PEM.split("\n").filter((line) => line.length > 20 && !line.startsWith("-----")),
];

const sts = mockClient(STSClient);
const secretsManager = mockClient(SecretsManagerClient);
let server: RecordingServer | undefined;
let answers: CannedAnswer[];
let output: string[];

/** Everything an error says: message, data, stack and its causes', as text. */
function textOf(error: unknown): string {
  const parts: string[] = [];
  let current: unknown = error;
  for (let depth = 0; current !== undefined && depth < 5; depth += 1) {
    if (current instanceof Error) {
      parts.push(current.message, current.stack ?? "", JSON.stringify(Reflect.get(current, "data") ?? {}));
      current = current.cause;
    } else {
      parts.push(String(current));
      current = undefined;
    }
  }
  return parts.join("\n");
}

function providerFor(input: Record<string, unknown>, logger: Logger): GitCredentialsProvider {
  return createGitCredentialsProvider({
    config: credentials.parse(input),
    logger: { warn: (message, fields) => logger.warn(message, { ...fields }) },
    clock: { now: () => NOW },
    sts: new STSClient({ region: "eu-west-1" }),
    secretsManager: new SecretsManagerClient({ region: "eu-west-1" }),
    awsCredentials: async () => ({
      accessKeyId: "AKIDEXAMPLE",
      secretAccessKey: AWS_SECRET,
      sessionToken: SESSION,
    }),
  });
}

beforeEach(async () => {
  sts.reset();
  secretsManager.reset();
  output = [];
  for (const stream of [process.stdout, process.stderr]) {
    vi.spyOn(stream, "write").mockImplementation((chunk: string | Uint8Array) => {
      output.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
      return true;
    });
  }
  answers = [];
  server = await startRecordingServer(() => answers.shift() ?? { status: 500 });
});

afterEach(async () => {
  vi.restoreAllMocks();
  sts.reset();
  secretsManager.reset();
  await server?.close();
  server = undefined;
});

describe("git credentials secrecy", () => {
  it("never puts a token, secret or private key in a log line or an error, whatever fails", async () => {
    // Arrange
    const url = server?.url ?? "";
    const logger = new Logger({ serviceName: "config-writer", logLevel: "DEBUG" });
    const errors: unknown[] = [];
    const attempt = async (provider: GitCredentialsProvider, repo: string) => {
      try {
        const credential = await provider.credentials(repo);
        // The user name is not logged either: CodeCommit's carries the session token.
        logger.info("credentials obtained", { provider: provider.kind, expiresAt: credential.expiresAt });
      } catch (error) {
        errors.push(error);
        logger.error("credentials failed", { error });
      }
    };
    sts.on(GetWebIdentityTokenCommand).resolves({ WebIdentityToken: WORKLOAD_JWT, Expiration: NOW });
    secretsManager.on(GetSecretValueCommand, { SecretId: "key" }).resolves({ SecretString: PEM });
    secretsManager
      .on(GetSecretValueCommand, { SecretId: "bad-key" })
      .resolves({ SecretString: `${STORED}\n` });
    secretsManager.on(GetSecretValueCommand, { SecretId: "token" }).resolves({ SecretString: STORED });
    const oidc = { provider: "oidc-exchange", exchangeUrl: `${url}/token`, audience: "broker" };
    const app = { provider: "github-app", appId: 1, installationId: 2, apiUrl: url };

    // Act
    answers.push(
      {
        status: 400,
        body: { error: "invalid_grant", error_description: `subject_token ${WORKLOAD_JWT} expired` },
      },
      { status: 502, body: { access_token: EXCHANGED } },
      { status: 200, body: { access_token: EXCHANGED, expires_in: "soon" } },
      { status: 200, body: { access_token: EXCHANGED, token_type: "Bearer", expires_in: 600 } },
    );
    for (let round = 0; round < 4; round += 1) {
      await attempt(providerFor(oidc, logger), "https://github.com/acme/deploy.git");
    }
    answers.push(
      { status: 401, body: { message: "A JSON web token could not be decoded" } },
      { status: 500, body: { token: INSTALLATION } },
      { status: 201, body: { token: INSTALLATION } },
      { status: 201, body: { token: INSTALLATION, expires_at: "2026-03-01T13:00:00Z" } },
    );
    for (let round = 0; round < 4; round += 1) {
      await attempt(
        providerFor({ ...app, privateKeySecret: "key" }, logger),
        "https://github.com/acme/deploy.git",
      );
    }
    await attempt(
      providerFor({ ...app, privateKeySecret: "bad-key" }, logger),
      "https://github.com/acme/deploy.git",
    );
    await attempt(
      providerFor({ provider: "token", secretName: "token" }, logger),
      "https://gitlab.com/acme/deploy.git",
    );
    await attempt(
      providerFor({ provider: "token", secretName: "missing" }, logger),
      "https://gitlab.com/acme/deploy.git",
    );
    await attempt(providerFor({ provider: "codecommit" }, logger), "https://github.com/acme/deploy.git");
    await attempt(
      providerFor({ provider: "codecommit" }, logger),
      "https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/deploy",
    );

    // Assert
    const written = [...output, ...errors.map(textOf)].join("\n");
    expect(errors.length).toBeGreaterThanOrEqual(8);
    expect(output.some((line) => line.includes("long-lived token is discouraged"))).toBe(true);
    expect(output.some((line) => line.includes("credentials obtained"))).toBe(true);
    for (const secret of SECRETS) expect(written).not.toContain(secret);
  });
});
