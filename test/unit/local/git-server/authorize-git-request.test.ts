import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { authorizeGitRequest } from "../../../../functions/local/git-server/authorize-git-request.js";
import type {
  RepositoryGrant,
  RepositoryTokenCheck,
} from "../../../../functions/local/oidc/repository-token.js";

const grants: Record<string, RepositoryGrant> = {
  "write-app": {
    subject: "writer",
    repository: "app",
    permissions: ["read", "write"],
    expiresAt: new Date(0),
    tokenId: "1",
  },
  "read-app": {
    subject: "reader",
    repository: "app",
    permissions: ["read"],
    expiresAt: new Date(0),
    tokenId: "2",
  },
};

const verifier: RepositoryTokenCheck = {
  verifyRepositoryToken: async (token) => {
    if (token === "unreachable-keys") {
      throw new ShiplineError({
        code: "OIDC_KEYS_UNAVAILABLE",
        message: "keys unavailable",
        retryable: true,
      });
    }
    const grant = grants[token];
    if (!grant)
      throw new ShiplineError({
        code: "OIDC_SIGNATURE_INVALID",
        message: "repository token refused: bad signature",
      });
    return grant;
  },
};

const basic = (user: string, password: string) =>
  `Basic ${Buffer.from(`${user}:${password}`).toString("base64")}`;

describe("authorizeGitRequest", () => {
  it.each([
    ["the Basic auth password", basic("x-access-token", "write-app")],
    ["the Basic auth user name with an empty password", basic("write-app", "")],
    ["a Bearer token", "Bearer write-app"],
  ])("takes the token from %s", async (_, authorization) => {
    // Act
    const decision = await authorizeGitRequest({
      authorization,
      repository: "app",
      access: "write",
      anonymousRead: false,
      verifier,
    });

    // Assert
    expect(decision).toMatchObject({ allowed: true, grant: { subject: "writer" } });
  });

  it("asks for credentials (401) when a push has none, even with anonymous read", async () => {
    // Act
    const decision = await authorizeGitRequest({
      authorization: undefined,
      repository: "app",
      access: "write",
      anonymousRead: true,
      verifier,
    });

    // Assert
    expect(decision).toMatchObject({ allowed: false, status: 401, code: "GIT_AUTH_REQUIRED" });
  });

  it("lets a read through without credentials only when anonymous read is on", async () => {
    // Act
    const open = await authorizeGitRequest({
      authorization: undefined,
      repository: "app",
      access: "read",
      anonymousRead: true,
      verifier,
    });
    const closed = await authorizeGitRequest({
      authorization: undefined,
      repository: "app",
      access: "read",
      anonymousRead: false,
      verifier,
    });

    // Assert
    expect(open).toEqual({ allowed: true });
    expect(closed).toMatchObject({ allowed: false, status: 401 });
  });

  it("answers 401 with the verifier's reason for an invalid token", async () => {
    // Act
    const decision = await authorizeGitRequest({
      authorization: basic("x", "forged"),
      repository: "app",
      access: "read",
      anonymousRead: true,
      verifier,
    });

    // Assert
    expect(decision).toMatchObject({
      allowed: false,
      status: 401,
      code: "OIDC_SIGNATURE_INVALID",
      reason: "repository token refused: bad signature",
    });
  });

  it("answers 403 for a valid token of another repository or without write", async () => {
    // Act
    const otherRepository = await authorizeGitRequest({
      authorization: basic("x", "write-app"),
      repository: "config",
      access: "read",
      anonymousRead: false,
      verifier,
    });
    const readOnly = await authorizeGitRequest({
      authorization: basic("x", "read-app"),
      repository: "app",
      access: "write",
      anonymousRead: false,
      verifier,
    });

    // Assert
    expect(otherRepository).toMatchObject({
      allowed: false,
      status: 403,
      code: "GIT_TOKEN_WRONG_REPOSITORY",
    });
    expect(readOnly).toMatchObject({ allowed: false, status: 403, code: "GIT_TOKEN_PERMISSION_DENIED" });
  });

  it("answers 503 when the token cannot be checked now", async () => {
    // Act
    const decision = await authorizeGitRequest({
      authorization: basic("x", "unreachable-keys"),
      repository: "app",
      access: "write",
      anonymousRead: false,
      verifier,
    });

    // Assert
    expect(decision).toMatchObject({ allowed: false, status: 503, code: "OIDC_KEYS_UNAVAILABLE" });
  });
});
