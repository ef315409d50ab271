import { createLocalJWKSet, UnsecuredJWT } from "jose";
import { beforeAll, describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { issueRepositoryToken } from "../../../../functions/local/oidc/repository-token.js";
import { loadSigningKey, type SigningKey } from "../../../../functions/local/oidc/signing-key.js";
import {
  TOKEN_EXCHANGE,
  TokenExchange,
  toOAuthError,
} from "../../../../functions/local/oidc/token-exchange.js";
import { issueWorkloadToken } from "../../../../functions/local/oidc/workload-token.js";

const ISSUER = "http://127.0.0.1:4100";
const AUDIENCE = "shipline-token-exchange";
const WRITER = "arn:aws:iam::000000000000:role/writer";
const READER = "arn:aws:iam::000000000000:role/reader";
const NOW = new Date("2026-03-01T12:00:00Z");
const clock = { now: () => NOW };

let key: SigningKey;
let otherKey: SigningKey;
let exchange: TokenExchange;

beforeAll(async () => {
  key = await loadSigningKey();
  otherKey = await loadSigningKey();
  exchange = new TokenExchange({
    issuer: ISSUER,
    key,
    keys: createLocalJWKSet({ keys: [key.publicJwk] }),
    acceptedAudiences: [AUDIENCE],
    repositoryTokenAudience: "shipline-git",
    trustPolicy: [
      { subject: WRITER, repositories: ["config"], permissions: ["write"] },
      { subject: READER, repositories: ["config"], permissions: ["read"] },
    ],
    tokenTtlSeconds: 600,
    clock,
  });
});

async function workloadToken(
  overrides: { subject?: string; audience?: string[]; at?: Date; signer?: SigningKey; issuer?: string } = {},
) {
  const { token } = await issueWorkloadToken({
    issuer: overrides.issuer ?? ISSUER,
    key: overrides.signer ?? key,
    subject: overrides.subject ?? WRITER,
    audience: overrides.audience ?? [AUDIENCE],
    durationSeconds: 300,
    region: "us-east-1",
    account: "000000000000",
    clock: { now: () => overrides.at ?? NOW },
  });
  return token;
}

function form(subjectToken: string, extra: Record<string, string> = { audience: "config" }): URLSearchParams {
  return new URLSearchParams({
    grant_type: TOKEN_EXCHANGE.grantType,
    subject_token: subjectToken,
    subject_token_type: TOKEN_EXCHANGE.jwt,
    ...extra,
  });
}

async function refusal(request: URLSearchParams) {
  const error = await exchange.exchange(request).then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(ShiplineError);
  return toOAuthError(error);
}

function swapClaims(token: string, claims: Record<string, unknown>): string {
  const [header, body, signature] = token.split(".");
  const decoded = JSON.parse(Buffer.from(body ?? "", "base64url").toString("utf8"));
  const changed = Buffer.from(JSON.stringify({ ...decoded, ...claims })).toString("base64url");
  return `${header}.${changed}.${signature}`;
}

describe("TokenExchange", () => {
  it("grants write with read to a subject the policy trusts", async () => {
    // Arrange
    const request = form(await workloadToken());

    // Act
    const response = await exchange.exchange(request);

    // Assert
    expect(response).toMatchObject({ token_type: "Bearer", expires_in: 600, scope: "read write" });
  });

  const refusals: {
    name: string;
    request: () => Promise<URLSearchParams>;
    error: string;
    reason: string;
    says: RegExp;
  }[] = [
    {
      name: "an expired subject token",
      request: async () => form(await workloadToken({ at: new Date(NOW.getTime() - 3_600_000) })),
      error: "invalid_request",
      reason: "OIDC_TOKEN_EXPIRED",
      says: /expired at 2026-03-01T11:05:00.000Z/,
    },
    {
      name: "a subject token for another audience",
      request: async () => form(await workloadToken({ audience: ["https://api.example.com"] })),
      error: "invalid_request",
      reason: "OIDC_AUDIENCE_MISMATCH",
      says: /audience "https:\/\/api.example.com" is not one of \["shipline-token-exchange"\]/,
    },
    {
      name: "a repository the policy does not allow",
      request: async () => form(await workloadToken(), { audience: "payments" }),
      error: "invalid_target",
      reason: "TRUST_POLICY_DENIED",
      says: /no trust policy rule lets subject '.*writer' access repository 'payments'/,
    },
    {
      name: "a tampered subject token",
      request: async () => form(swapClaims(await workloadToken({ subject: READER }), { sub: WRITER })),
      error: "invalid_request",
      reason: "OIDC_SIGNATURE_INVALID",
      says: /signature does not match/,
    },
    {
      name: "an unsigned (alg none) subject token",
      request: async () =>
        form(
          new UnsecuredJWT({ sub: WRITER })
            .setIssuer(ISSUER)
            .setAudience(AUDIENCE)
            .setIssuedAt()
            .setExpirationTime("5m")
            .encode(),
        ),
      error: "invalid_request",
      reason: "OIDC_TOKEN_UNSIGNED",
      says: /unsigned \(alg 'none'\)/,
    },
    {
      name: "a subject token signed by an unknown key",
      request: async () => form(await workloadToken({ signer: otherKey })),
      error: "invalid_request",
      reason: "OIDC_SIGNING_KEY_UNKNOWN",
      says: /no key of issuer/,
    },
    {
      name: "a subject token from another issuer",
      request: async () => form(await workloadToken({ issuer: "https://issuer.example.test" })),
      error: "invalid_request",
      reason: "OIDC_ISSUER_MISMATCH",
      says: /issuer "https:\/\/issuer.example.test" is not http:\/\/127.0.0.1:4100/,
    },
    {
      name: "a repository token offered as a subject token",
      request: async () => {
        const { token } = await issueRepositoryToken({
          key,
          issuer: ISSUER,
          audience: AUDIENCE,
          subject: WRITER,
          repository: "config",
          permissions: ["read"],
          ttlSeconds: 60,
          clock,
        });
        return form(token);
      },
      error: "invalid_request",
      reason: "OIDC_TOKEN_TYPE_MISMATCH",
      says: /'typ' header is not 'JWT'/,
    },
    {
      name: "a scope beyond what the policy grants",
      request: async () =>
        form(await workloadToken({ subject: READER }), { audience: "config", scope: "write" }),
      error: "invalid_scope",
      reason: "TRUST_POLICY_SCOPE_DENIED",
      says: /may have only 'read' on repository 'config', not 'write'/,
    },
    {
      name: "an unknown grant type",
      request: async () => {
        const request = form(await workloadToken());
        request.set("grant_type", "client_credentials");
        return request;
      },
      error: "unsupported_grant_type",
      reason: "TOKEN_EXCHANGE_GRANT_TYPE_UNSUPPORTED",
      says: /'client_credentials' is not supported/,
    },
    {
      name: "two repositories at once",
      request: async () =>
        form(await workloadToken(), { audience: "config", resource: "http://127.0.0.1:1/app.git" }),
      error: "invalid_target",
      reason: "TOKEN_EXCHANGE_TARGET_INVALID",
      says: /'config', 'app'/,
    },
    {
      name: "no repository",
      request: async () => form(await workloadToken(), {}),
      error: "invalid_request",
      reason: "TOKEN_EXCHANGE_REQUEST_INVALID",
      says: /no repository named/,
    },
  ];

  it.each(refusals)("refuses $name with the reason", async ({ request, error, reason, says }) => {
    // Arrange
    const input = await request();

    // Act
    const { status, body } = await refusal(input);

    // Assert
    expect(status).toBe(400);
    expect(body).toMatchObject({ error, reason });
    expect(body.error_description).toMatch(says);
    expect(body.error_description).not.toContain(input.get("subject_token"));
  });
});
