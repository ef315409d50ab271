import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { localOidcCredentials } from "../../../../functions/adapters/local/local-oidc-credentials.js";
import { CachedGitCredentials } from "../../../../functions/core/credentials/cached-git-credentials.js";
import { LocalOidcServer } from "../../../../functions/local/oidc/local-oidc-server.js";

const WRITER = "arn:aws:iam::000000000000:role/shipline-config-writer";
const REPO = "http://127.0.0.1:9/demo-config.git";
const clock = { now: () => new Date("2026-03-01T12:00:00Z") };

let oidc: LocalOidcServer;

function credentialsFor(options: { subject?: string; audience?: string; scope?: string } = {}) {
  return localOidcCredentials({
    endpoint: oidc.webIdentityTokenEndpoint,
    exchangeUrl: oidc.tokenEndpoint,
    audience: options.audience ?? oidc.exchangeAudience,
    subject: options.subject ?? WRITER,
    ...(options.scope === undefined ? {} : { scope: options.scope }),
    clock,
  });
}

beforeEach(async () => {
  oidc = new LocalOidcServer({
    trustPolicy: [{ subject: WRITER, repositories: ["demo-config"], permissions: ["write"] }],
    clock,
  });
  await oidc.start();
});

afterEach(async () => {
  await oidc.stop();
});

describe("localOidcCredentials", () => {
  it("gets a workload token from the local STS stand-in and exchanges it for a token the git server accepts", async () => {
    // Act
    const credential = await credentialsFor().credentials(REPO);

    // Assert
    const grant = await oidc.verifyRepositoryToken(credential.password);
    expect(grant).toMatchObject({
      subject: WRITER,
      repository: "demo-config",
      permissions: ["read", "write"],
    });
    expect(credential.username).toBe("x-access-token");
    expect(credential.expiresAt?.getTime()).toBe(grant.expiresAt.getTime());
  });

  it("is cached by CachedGitCredentials like the AWS providers", async () => {
    // Arrange
    const cached = new CachedGitCredentials({ provider: credentialsFor(), clock });

    // Act
    const first = await cached.credentials(REPO);
    const second = await cached.credentials(REPO);

    // Assert
    expect(second.password).toBe(first.password);
  });

  it("reports the exchange's refusal with its RFC 6749 error when the trust policy does not cover the workload", async () => {
    // Act
    const error = await credentialsFor({ subject: "arn:aws:iam::000000000000:role/intruder" })
      .credentials(REPO)
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({
      code: "GIT_CREDENTIALS_DENIED",
      retryable: false,
      data: { error: "invalid_target" },
    });
    expect(error instanceof Error ? error.message : "").toContain("intruder");
  });

  it("reports a workload token the local issuer refuses", async () => {
    // Act
    const error = await credentialsFor({ scope: "admin" })
      .credentials(REPO)
      .catch((caught: unknown) => caught);
    const stsRefused = await localOidcCredentials({
      endpoint: oidc.webIdentityTokenEndpoint,
      exchangeUrl: oidc.tokenEndpoint,
      audience: oidc.exchangeAudience,
      durationSeconds: 5,
      clock,
    })
      .credentials(REPO)
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "GIT_CREDENTIALS_DENIED", data: { error: "invalid_scope" } });
    expect(stsRefused).toMatchObject({ code: "GIT_CREDENTIALS_DENIED", data: { status: 400 } });
  });
});
