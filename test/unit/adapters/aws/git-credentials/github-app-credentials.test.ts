import { createPublicKey, generateKeyPairSync, type KeyObject } from "node:crypto";
import { GetSecretValueCommand, SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { mockClient } from "aws-sdk-client-mock";
import { jwtVerify } from "jose";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as z from "zod";
import { GitHubAppCredentials } from "../../../../../functions/adapters/aws/git-credentials/github-app-credentials.js";
import { SecretsManagerSecretText } from "../../../../../functions/adapters/aws/git-credentials/secret-text.js";
import { readFixture } from "../../../../read-fixture.js";
import { type CannedAnswer, type RecordingServer, startRecordingServer } from "./recording-server.js";

const REPO = "https://github.com/shipline-demo/shipline-config.git";
const NOW = new Date("2026-03-01T12:00:00Z");
const SECRET_ID = "shipline/github-app-key";

const flowFile = z.object({
  request: z.object({ headers: z.record(z.string(), z.string()), body: z.unknown() }),
  response201: z.object({ token: z.string(), expires_at: z.string() }).passthrough(),
  error422: z.object({ message: z.string() }).passthrough(),
});

const secrets = mockClient(SecretsManagerClient);
let flow: z.infer<typeof flowFile>;
let pkcs1Pem: string;
let publicKey: KeyObject;
let server: RecordingServer | undefined;
let answer: CannedAnswer;

function provider(pullRequests = false): GitHubAppCredentials {
  if (server === undefined) throw new Error("server not started");
  return new GitHubAppCredentials({
    appId: "123456",
    installationId: "7654321",
    privateKey: new SecretsManagerSecretText({
      client: new SecretsManagerClient({ region: "eu-west-1" }),
      secretId: SECRET_ID,
      clock: { now: () => NOW },
    }),
    apiUrl: `${server.url}/`,
    pullRequests,
    clock: { now: () => NOW },
  });
}

beforeAll(async () => {
  flow = flowFile.parse(readFixture("aws/github-app-installation-token.json"));
  const pair = generateKeyPairSync("rsa", {
    modulusLength: 2048,
    privateKeyEncoding: { type: "pkcs1", format: "pem" },
    publicKeyEncoding: { type: "spki", format: "pem" },
  });
  pkcs1Pem = pair.privateKey;
  publicKey = createPublicKey(pair.publicKey);
});

beforeEach(async () => {
  secrets.reset();
  secrets.on(GetSecretValueCommand).resolves({ SecretString: pkcs1Pem });
  answer = { status: 201, body: flow.response201 };
  server = await startRecordingServer(() => answer);
});

afterEach(async () => {
  secrets.reset();
  await server?.close();
  server = undefined;
});

describe("GitHubAppCredentials", () => {
  it("reads a PKCS#1 key and signs the App JWT with RS256, iat a minute back and exp nine minutes ahead", async () => {
    // Act
    await provider().credentials(REPO);

    // Assert
    const [request] = server?.requests ?? [];
    const jwt = String(request?.headers.authorization).replace(/^Bearer /, "");
    const { payload, protectedHeader } = await jwtVerify(jwt, publicKey, { currentDate: NOW });
    const now = NOW.getTime() / 1000;
    expect(protectedHeader).toEqual({ alg: "RS256", typ: "JWT" });
    expect(payload).toEqual({ iss: "123456", iat: now - 60, exp: now + 540 });
    expect(secrets.commandCalls(GetSecretValueCommand)[0]?.args[0].input).toEqual({ SecretId: SECRET_ID });
  });

  it("asks for an installation token scoped to the repository with contents: write, as the API expects it", async () => {
    // Act
    const credential = await provider().credentials(REPO);

    // Assert
    const [request] = server?.requests ?? [];
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/app/installations/7654321/access_tokens");
    expect(request?.headers.accept).toBe(flow.request.headers.Accept);
    expect(request?.headers["x-github-api-version"]).toBe(flow.request.headers["X-GitHub-Api-Version"]);
    expect(request?.headers["user-agent"]).toBe("shipline");
    expect(JSON.parse(request?.body ?? "{}")).toEqual(flow.request.body);
    expect(credential).toEqual({
      username: "x-access-token",
      password: flow.response201.token,
      expiresAt: new Date(flow.response201.expires_at),
    });
  });

  it("adds pull_requests: write in pull-request mode", async () => {
    // Act
    await provider(true).credentials(REPO);

    // Assert
    const body = JSON.parse(server?.requests[0]?.body ?? "{}");
    expect(body.permissions).toEqual({ contents: "write", pull_requests: "write" });
  });

  it("reuses the parsed key for the next token", async () => {
    // Arrange
    const credentials = provider();

    // Act
    await credentials.credentials(REPO);
    await credentials.credentials(REPO);

    // Assert
    expect(server?.requests).toHaveLength(2);
    expect(secrets.commandCalls(GetSecretValueCommand)).toHaveLength(1);
  });

  it("passes GitHub's message on when the repository is not reachable to the installation", async () => {
    // Arrange
    answer = { status: 422, body: flow.error422 };

    // Act
    const error = await provider()
      .credentials(REPO)
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({
      code: "GIT_CREDENTIALS_DENIED",
      retryable: false,
      data: { status: 422, appId: "123456", installationId: "7654321" },
    });
    expect(error instanceof Error ? error.message : "").toContain(flow.error422.message);
  });

  it("retries when GitHub's rate limit is used up", async () => {
    // Arrange
    answer = {
      status: 403,
      body: { message: "API rate limit exceeded" },
      headers: { "x-ratelimit-remaining": "0" },
    };

    // Act
    const error = await provider()
      .credentials(REPO)
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "GIT_CREDENTIALS_UNAVAILABLE", retryable: true });
  });

  it("refuses a secret that holds no RSA private key, without calling GitHub", async () => {
    // Arrange
    secrets.on(GetSecretValueCommand).resolves({ SecretString: "not a key at all" });

    // Act
    const error = await provider()
      .credentials(REPO)
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "GIT_CREDENTIALS_DENIED", data: { secretId: SECRET_ID } });
    expect(server?.requests).toHaveLength(0);
  });
});
