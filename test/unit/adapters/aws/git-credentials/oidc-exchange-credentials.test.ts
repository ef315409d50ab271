import { GetWebIdentityTokenCommand, STSClient } from "@aws-sdk/client-sts";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { OidcExchangeCredentials } from "../../../../../functions/adapters/aws/git-credentials/oidc-exchange-credentials.js";
import { StsWebIdentityToken } from "../../../../../functions/adapters/aws/git-credentials/sts-web-identity-token.js";
import { type CannedAnswer, type RecordingServer, startRecordingServer } from "./recording-server.js";

const REPO = "https://github.com/acme/deploy.git";
const NOW = new Date("2026-03-01T12:00:00Z");
const WORKLOAD_JWT = "eyJhbGciOiJSUzI1NiJ9.workload-claims.workload-signature";
const ISSUED = "ghs_exchangedRepositoryToken0123456789";

const sts = mockClient(STSClient);
let server: RecordingServer | undefined;
let answer: CannedAnswer;

function provider(scope?: string): OidcExchangeCredentials {
  if (server === undefined) throw new Error("server not started");
  return new OidcExchangeCredentials({
    webIdentityToken: new StsWebIdentityToken({
      client: new STSClient({ region: "eu-west-1" }),
      audience: "https://octo-sts.example.com",
      durationSeconds: 600,
    }),
    exchangeUrl: `${server.url}/token`,
    ...(scope === undefined ? {} : { scope }),
    clock: { now: () => NOW },
  });
}

beforeEach(async () => {
  sts.reset();
  sts.on(GetWebIdentityTokenCommand).resolves({
    WebIdentityToken: WORKLOAD_JWT,
    Expiration: new Date(NOW.getTime() + 600_000),
  });
  answer = {
    status: 200,
    body: {
      access_token: ISSUED,
      issued_token_type: "urn:ietf:params:oauth:token-type:access_token",
      token_type: "Bearer",
      expires_in: 3600,
    },
  };
  server = await startRecordingServer(() => answer);
});

afterEach(async () => {
  sts.reset();
  await server?.close();
  server = undefined;
});

describe("OidcExchangeCredentials", () => {
  it("asks STS for an RS256 token for the broker's audience and lifetime", async () => {
    // Act
    await provider().credentials(REPO);

    // Assert
    const calls = sts.commandCalls(GetWebIdentityTokenCommand);
    expect(calls).toHaveLength(1);
    expect(calls[0]?.args[0].input).toEqual({
      Audience: ["https://octo-sts.example.com"],
      DurationSeconds: 600,
      SigningAlgorithm: "RS256",
    });
  });

  it("exchanges the STS token per RFC 8693 for a token scoped to the repository", async () => {
    // Act
    const credential = await provider("contents:write").credentials(REPO);

    // Assert
    const [request] = server?.requests ?? [];
    expect(request?.method).toBe("POST");
    expect(request?.url).toBe("/token");
    expect(request?.headers["content-type"]).toBe("application/x-www-form-urlencoded");
    expect(Object.fromEntries(new URLSearchParams(request?.body))).toEqual({
      grant_type: "urn:ietf:params:oauth:grant-type:token-exchange",
      subject_token: WORKLOAD_JWT,
      subject_token_type: "urn:ietf:params:oauth:token-type:jwt",
      requested_token_type: "urn:ietf:params:oauth:token-type:access_token",
      audience: "acme/deploy",
      resource: REPO,
      scope: "contents:write",
    });
    expect(credential).toEqual({
      username: "x-access-token",
      password: ISSUED,
      expiresAt: new Date(NOW.getTime() + 3_600_000),
    });
  });

  it("turns an RFC 6749 error answer into GIT_CREDENTIALS_DENIED naming error and description", async () => {
    // Arrange
    answer = {
      status: 400,
      body: { error: "invalid_target", error_description: "no trust policy for acme/deploy" },
    };

    // Act
    const error = await provider()
      .credentials(REPO)
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({
      code: "GIT_CREDENTIALS_DENIED",
      retryable: false,
      data: { provider: "oidc-exchange", status: 400, error: "invalid_target" },
    });
    expect(error instanceof Error ? error.message : "").toContain(
      "invalid_target: no trust policy for acme/deploy",
    );
  });

  it("reports a failing broker as retryable GIT_CREDENTIALS_UNAVAILABLE", async () => {
    // Arrange
    answer = { status: 503, body: { message: "unavailable" } };

    // Act
    const error = await provider()
      .credentials(REPO)
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({
      code: "GIT_CREDENTIALS_UNAVAILABLE",
      retryable: true,
      data: { status: 503 },
    });
  });

  it("refuses an answer without an access token", async () => {
    // Arrange
    answer = { status: 200, body: { token_type: "Bearer" } };

    // Act
    const error = await provider()
      .credentials(REPO)
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "GIT_CREDENTIALS_UNAVAILABLE", retryable: false });
  });

  it("says how to turn outbound federation on when STS has it disabled", async () => {
    // Arrange
    sts.on(GetWebIdentityTokenCommand).rejects(
      Object.assign(new Error("Outbound web identity federation is disabled"), {
        name: "OutboundWebIdentityFederationDisabledException",
        $fault: "client",
      }),
    );

    // Act
    const error = await provider()
      .credentials(REPO)
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "GIT_CREDENTIALS_DENIED", retryable: false });
    expect(error instanceof Error ? error.message : "").toContain("enable-outbound-web-identity-federation");
    expect(server?.requests).toHaveLength(0);
  });

  it("retries STS throttling", async () => {
    // Arrange
    sts
      .on(GetWebIdentityTokenCommand)
      .rejects(Object.assign(new Error("Rate exceeded"), { name: "Throttling", $fault: "client" }));

    // Act
    const error = await provider()
      .credentials(REPO)
      .catch((caught: unknown) => caught);

    // Assert
    expect(error).toMatchObject({ code: "GIT_CREDENTIALS_UNAVAILABLE", retryable: true });
  });
});
