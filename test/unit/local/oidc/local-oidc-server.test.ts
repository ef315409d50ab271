import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { createRemoteJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify } from "jose";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { LocalOidcServer } from "../../../../functions/local/oidc/local-oidc-server.js";
import { RepositoryTokenVerifier } from "../../../../functions/local/oidc/repository-token.js";
import { TOKEN_EXCHANGE } from "../../../../functions/local/oidc/token-exchange.js";
import { readFixture } from "../../../read-fixture.js";

const WRITER = "arn:aws:iam::123456789012:role/shipline-config-writer";

function record(value: unknown): Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) ? { ...value } : {};
}

function fixture(name: string): Record<string, unknown> {
  return record(readFixture(`aws/${name}`));
}

async function postJson(
  url: string,
  body: unknown,
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return { status: response.status, body: record(await response.json()) };
}

async function postForm(
  url: string,
  form: Record<string, string>,
): Promise<{ status: number; body: Record<string, unknown>; headers: Headers }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(form),
  });
  return { status: response.status, body: record(await response.json()), headers: response.headers };
}

let oidc: LocalOidcServer;
let issuer: string;

beforeEach(async () => {
  oidc = new LocalOidcServer({
    trustPolicy: [
      {
        subject: "arn:aws:iam::*:role/shipline-config-writer",
        repositories: ["config"],
        permissions: ["write"],
      },
    ],
  });
  issuer = await oidc.start();
});

afterEach(async () => {
  await oidc.stop();
});

describe("LocalOidcServer discovery", () => {
  it("serves an OpenID configuration whose JWKS verifies the tokens it issues", async () => {
    // Arrange
    const { token } = await oidc.issueWorkloadToken({ subject: WRITER });

    // Act
    const discovery = record(await (await fetch(`${issuer}/.well-known/openid-configuration`)).json());
    const keys = createRemoteJWKSet(new URL(String(discovery.jwks_uri)));
    const { payload, protectedHeader } = await jwtVerify(token, keys, {
      issuer,
      audience: "shipline-token-exchange",
    });

    // Assert
    expect(discovery).toMatchObject({
      issuer,
      jwks_uri: `${issuer}/.well-known/jwks.json`,
      token_endpoint: `${issuer}/token`,
      id_token_signing_alg_values_supported: ["RS256"],
      grant_types_supported: [TOKEN_EXCHANGE.grantType],
    });
    expect(payload.sub).toBe(WRITER);
    expect(protectedHeader).toMatchObject({ alg: "RS256", typ: "JWT" });
  });

  it("answers 405 to a GET on the token endpoint and 404 elsewhere", async () => {
    // Act
    const wrongMethod = await fetch(`${issuer}/token`);
    const unknown = await fetch(`${issuer}/nothing-here`);

    // Assert
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.get("allow")).toBe("POST");
    expect(unknown.status).toBe(404);
  });
});

describe("LocalOidcServer web identity tokens", () => {
  it("answers a GetWebIdentityToken request with a token shaped like the STS one", async () => {
    // Arrange
    const sts = fixture("sts-get-web-identity-token.json");
    const documented = record(sts.decodedClaims);
    const request = { ...record(sts.request), Subject: WRITER };

    // Act
    const { status, body } = await postJson(`${issuer}/local/sts/web-identity-token`, request);
    const claims = decodeJwt(String(body.WebIdentityToken));

    // Assert
    expect(status).toBe(200);
    expect(Object.keys(body).sort()).toEqual(Object.keys(record(sts.response)).sort());
    expect(String(body.Expiration)).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/);
    expect(Object.keys(claims).sort()).toEqual(Object.keys(documented).sort());
    expect(claims).toMatchObject({
      iss: issuer,
      sub: WRITER,
      aud: "https://git.shipline.test",
      "https://sts.amazonaws.com/": {
        aws_account: "123456789012",
        source_region: "us-east-1",
        request_tags: { "shipline-step": "config-writer" },
      },
    });
    expect(Number(claims.exp) - Number(claims.iat)).toBe(300);
    expect(new Date(String(body.Expiration)).getTime()).toBe(Number(claims.exp) * 1000);
    expect(decodeProtectedHeader(String(body.WebIdentityToken)).kid).toBe(oidc.jwks().keys[0]?.kid);
  });

  it.each([
    [{ Audience: [] }, /Audience/],
    [{ Audience: ["a"], DurationSeconds: 30 }, /DurationSeconds/],
    [{ Audience: ["a"], DurationSeconds: 7200 }, /DurationSeconds/],
    [{ Audience: ["a"], SigningAlgorithm: "ES384" }, /ES384/],
  ])("refuses the invalid request %j, naming the field", async (request, message) => {
    // Act
    const { status, body } = await postJson(`${issuer}/local/sts/web-identity-token`, request);

    // Assert
    expect(status).toBe(400);
    expect(body.reason).toBe("WORKLOAD_TOKEN_REQUEST_INVALID");
    expect(String(body.message)).toMatch(message);
  });
});

describe("LocalOidcServer token exchange", () => {
  it("exchanges a workload token for a repository token that the JWKS verifies", async () => {
    // Arrange
    const exchange = fixture("oauth-token-exchange.json");
    const { token } = await oidc.issueWorkloadToken({ subject: WRITER });

    // Act
    const { status, body, headers } = await postForm(oidc.tokenEndpoint, {
      grant_type: TOKEN_EXCHANGE.grantType,
      subject_token: token,
      subject_token_type: TOKEN_EXCHANGE.jwt,
      audience: "config",
      requested_token_type: TOKEN_EXCHANGE.accessToken,
    });
    const verifier = new RepositoryTokenVerifier({
      issuer,
      audience: "shipline-git",
      keys: createRemoteJWKSet(new URL(oidc.jwksUri)),
    });
    const grant = await verifier.verifyRepositoryToken(String(body.access_token));

    // Assert
    expect(status).toBe(200);
    expect(headers.get("cache-control")).toBe("no-store");
    expect(Object.keys(body).sort()).toEqual([...Object.keys(record(exchange.response200)), "scope"].sort());
    expect(body).toMatchObject({
      issued_token_type: TOKEN_EXCHANGE.accessToken,
      token_type: "Bearer",
      expires_in: 600,
      scope: "read write",
    });
    expect(grant).toMatchObject({ subject: WRITER, repository: "config", permissions: ["read", "write"] });
    expect(grant.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(600_000);
  });

  it("names the repository by its URL in resource and narrows the scope on request", async () => {
    // Arrange
    const { token } = await oidc.issueWorkloadToken({ subject: WRITER });

    // Act
    const { status, body } = await postForm(oidc.tokenEndpoint, {
      grant_type: TOKEN_EXCHANGE.grantType,
      subject_token: token,
      subject_token_type: TOKEN_EXCHANGE.jwt,
      resource: "http://127.0.0.1:9/config.git",
      scope: "read",
    });

    // Assert
    expect(status).toBe(200);
    expect(body.scope).toBe("read");
    expect(await oidc.verifyRepositoryToken(String(body.access_token))).toMatchObject({
      permissions: ["read"],
    });
  });

  it("answers a refused exchange with an RFC 6749 error body that gives the reason", async () => {
    // Arrange
    const exchange = fixture("oauth-token-exchange.json");
    const { token } = await oidc.issueWorkloadToken({
      subject: WRITER,
      audience: ["https://api.example.com"],
    });

    // Act
    const { status, body } = await postForm(oidc.tokenEndpoint, {
      grant_type: TOKEN_EXCHANGE.grantType,
      subject_token: token,
      subject_token_type: TOKEN_EXCHANGE.jwt,
      audience: "config",
    });

    // Assert
    expect(status).toBe(400);
    expect(Object.keys(body)).toEqual(expect.arrayContaining(Object.keys(record(exchange.error400))));
    expect(body).toMatchObject({ error: "invalid_request", reason: "OIDC_AUDIENCE_MISMATCH" });
    expect(String(body.error_description)).toMatch(/audience "https:\/\/api.example.com"/);
  });

  it("refuses a token request that is not form-encoded", async () => {
    // Act
    const response = await fetch(oidc.tokenEndpoint, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ grant_type: TOKEN_EXCHANGE.grantType }),
    });
    const body = record(await response.json());

    // Assert
    expect(response.status).toBe(400);
    expect(body).toMatchObject({ error: "invalid_request" });
    expect(String(body.error_description)).toMatch(/application\/x-www-form-urlencoded/);
  });
});

describe("LocalOidcServer restarts", () => {
  it("keeps verifying tokens issued before a restart when it keeps its data directory and port", async () => {
    // Arrange
    const dataDir = await mkdtemp(path.join(os.tmpdir(), "shipline-oidc-restart-"));
    const trustPolicy = [{ subject: WRITER, repositories: ["config"], permissions: ["write"] }];
    const before = new LocalOidcServer({ trustPolicy, dataDir });
    const port = Number(new URL(await before.start()).port);
    const exchanged = await before.exchangeToken(
      new URLSearchParams({
        grant_type: TOKEN_EXCHANGE.grantType,
        subject_token: (await before.issueWorkloadToken({ subject: WRITER })).token,
        subject_token_type: TOKEN_EXCHANGE.jwt,
        audience: "config",
      }),
    );
    await before.stop();
    const after = new LocalOidcServer({ trustPolicy, dataDir, port });

    // Act
    await after.start();
    const grant = await after.verifyRepositoryToken(exchanged.access_token).finally(async () => {
      await after.stop();
      await rm(dataDir, { recursive: true, force: true });
    });

    // Assert
    expect(grant).toMatchObject({ subject: WRITER, repository: "config" });
  });
});
