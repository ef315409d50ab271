import { describe, expect, it } from "vitest";
import { HarborApiClient } from "../../../../functions/adapters/harbor/harbor-api-client.js";
import { HarborScanFindings } from "../../../../functions/adapters/harbor/harbor-scan-findings.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { readFixture } from "../../../read-fixture.js";

const DIGEST = "sha256:3c8e1f0a5b7d92e4f6a1c0b8d7e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7";
const ROBOT = { username: "robot$shop+shipline", password: "robot-secret-0c4f" };

/** A fetch that answers from a table of paths and records what it was asked. */
function fakeFetch(answers: Record<string, { status: number; body?: unknown }>) {
  const asked: { url: string; authorization: string | null }[] = [];
  const fetcher: typeof fetch = async (input, init) => {
    const url = String(input);
    asked.push({ url, authorization: new Headers(init?.headers).get("authorization") });
    const path = new URL(url).pathname + new URL(url).search;
    const answer = answers[path] ?? { status: 404, body: { errors: [] } };
    return new Response(JSON.stringify(answer.body ?? {}), { status: answer.status });
  };
  return { fetcher, asked };
}

function client(answers: Record<string, { status: number; body?: unknown }>) {
  const fake = fakeFetch(answers);
  return {
    ...fake,
    harbor: new HarborApiClient({
      baseUrl: "https://harbor.example.com/",
      credentials: async () => ROBOT,
      fetch: fake.fetcher,
    }),
  };
}

const ARTIFACT_PATH = `/api/v2.0/projects/shop/repositories/team%252Fapi/artifacts/${encodeURIComponent(DIGEST)}`;

describe("HarborApiClient", () => {
  it("reads an artifact's labels with the robot account, the repository encoded twice", async () => {
    // Arrange
    const { harbor, asked } = client({
      [ARTIFACT_PATH]: {
        status: 200,
        body: {
          digest: DIGEST,
          extra_attrs: { config: { Labels: { "org.opencontainers.image.revision": "2b54c81" } } },
        },
      },
    });

    // Act
    const labels = await harbor.artifactLabels("shop/team/api", DIGEST);

    // Assert
    expect(labels).toEqual({ "org.opencontainers.image.revision": "2b54c81" });
    expect(asked[0]?.authorization).toBe(
      `Basic ${Buffer.from(`${ROBOT.username}:${ROBOT.password}`).toString("base64")}`,
    );
  });

  it("answers undefined for an artifact Harbor does not have", async () => {
    // Arrange
    const { harbor } = client({});

    // Act
    const labels = await harbor.artifactLabels("shop/api", DIGEST);

    // Assert
    expect(labels).toBeUndefined();
  });

  it("throws a permanent HARBOR_API_DENIED naming the robot account when Harbor refuses it", async () => {
    // Arrange
    const { harbor } = client({ [ARTIFACT_PATH]: { status: 403 } });

    // Act
    const error = await harbor.artifactLabels("shop/team/api", DIGEST).catch((thrown: unknown) => thrown);

    // Assert
    expect(error).toBeInstanceOf(ShiplineError);
    expect(error).toMatchObject({ code: "HARBOR_API_DENIED", retryable: false });
    expect(String(error)).not.toContain(ROBOT.password);
  });

  it("throws a retryable HARBOR_API_UNAVAILABLE when Harbor answers 503", async () => {
    // Arrange
    const { harbor } = client({ [ARTIFACT_PATH]: { status: 503 } });

    // Act
    const error = await harbor.artifactLabels("shop/team/api", DIGEST).catch((thrown: unknown) => thrown);

    // Assert
    expect(error).toMatchObject({ code: "HARBOR_API_UNAVAILABLE", retryable: true });
  });
});

describe("HarborScanFindings", () => {
  it("reads the vulnerability report of the Harbor the scan names and maps its findings", async () => {
    // Arrange
    const { harbor, asked } = client({
      [`/api/v2.0/projects/shop/repositories/api/artifacts/${encodeURIComponent(DIGEST)}/additions/vulnerabilities`]:
        {
          status: 200,
          body: readFixture("harbor/artifact-vulnerabilities.json"),
        },
    });
    const source = new HarborScanFindings({
      clientFor: (host) => (host === "harbor.example.com" ? harbor : undefined),
    });

    // Act
    const findings = await source.findings({
      repository: "shop/api",
      digest: DIGEST,
      registryId: "harbor.example.com",
    });

    // Assert
    expect(findings.map((finding) => [finding.id, finding.severity])).toEqual([
      ["CVE-2024-5535", "HIGH"],
      ["CVE-2023-45853", "MEDIUM"],
      ["CVE-2024-2511", "LOW"],
    ]);
    expect(asked).toHaveLength(1);
    expect(source.scanner).toBe("harbor");
  });

  it("fails permanently for an artifact without a report, so the gate fails closed", async () => {
    // Arrange
    const { harbor } = client({});
    const source = new HarborScanFindings({ clientFor: () => harbor });

    // Act
    const error = await source
      .findings({ repository: "shop/api", digest: DIGEST, registryId: "harbor.example.com" })
      .catch((thrown: unknown) => thrown);

    // Assert
    expect(error).toMatchObject({ code: "SCAN_FINDINGS_UNAVAILABLE", retryable: false });
  });

  it("fails permanently for a Harbor no registries: entry names", async () => {
    // Arrange
    const source = new HarborScanFindings({ clientFor: () => undefined });

    // Act
    const error = await source
      .findings({ repository: "shop/api", digest: DIGEST, registryId: "other.example.com" })
      .catch((thrown: unknown) => thrown);

    // Assert
    expect(error).toMatchObject({ code: "SCAN_FINDINGS_UNAVAILABLE", retryable: false });
    expect(String(error)).toContain("other.example.com");
  });
});
