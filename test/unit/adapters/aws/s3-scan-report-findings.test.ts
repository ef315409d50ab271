import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { S3ScanReportFindings } from "../../../../functions/adapters/aws/s3-scan-report-findings.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { fixturePath } from "../../../read-fixture.js";

const DIGEST = `sha256:${"2c".repeat(32)}`;
const HOST = "shipline-reports.s3.eu-west-1.amazonaws.com";
const QUERY = { repository: "acme/api", digest: DIGEST, registryId: "ghcr.io" } as const;

/** A fetch that answers one response and keeps the requests it got. */
function fakeFetch(answer: () => Response) {
  const requests: { url: string; headers: Record<string, string> }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit) => {
    requests.push({ url: String(input), headers: Object.fromEntries(new Headers(init?.headers)) });
    return answer();
  };
  return { requests, fetch: fetch as typeof globalThis.fetch };
}

function sourceWith(answer: () => Response) {
  const fake = fakeFetch(answer);
  const source = new S3ScanReportFindings({
    bucketHost: HOST,
    region: "eu-west-1",
    credentials: async () => ({ accessKeyId: "ASIAEXAMPLE", secretAccessKey: "secret", sessionToken: "t" }),
    fetch: fake.fetch,
    now: () => new Date("2026-12-07T21:40:00Z"),
  });
  return { source, requests: fake.requests };
}

const s3Error = (status: number, code: string) =>
  new Response(
    `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>m</Message></Error>`,
    {
      status,
      headers: { "content-type": "application/xml" },
    },
  );

async function failureOf(promise: Promise<unknown>): Promise<ShiplineError> {
  const error = await promise.then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ShiplineError)) throw new Error(`expected a ShiplineError, got ${String(error)}`);
  return error;
}

describe("S3ScanReportFindings", () => {
  it("reads the image's report with a signed GET and maps its Trivy findings", async () => {
    // Arrange
    const report = readFileSync(fixturePath("scan/trivy-report.json"), "utf8");
    const { source, requests } = sourceWith(() => new Response(report, { status: 200 }));

    // Act
    const findings = await source.findings({ ...QUERY, scanner: "trivy" });

    // Assert
    expect(requests).toEqual([
      {
        url: `https://${HOST}/scans/ghcr.io/acme/api/sha256%3A${"2c".repeat(32)}.json`,
        headers: expect.objectContaining({
          authorization: expect.stringMatching(
            /^AWS4-HMAC-SHA256 Credential=ASIAEXAMPLE\/20261207\/eu-west-1\/s3\//,
          ),
          "x-amz-security-token": "t",
        }),
      },
    ]);
    expect(findings.map((finding) => [finding.id, finding.severity])).toEqual([
      ["CVE-2024-5535", "CRITICAL"],
      ["CVE-2023-45853", "MEDIUM"],
    ]);
  });

  it("maps a Grype report when the scan event says Grype wrote it", async () => {
    // Arrange
    const report = readFileSync(fixturePath("scan/grype-report.json"), "utf8");
    const { source } = sourceWith(() => new Response(report, { status: 200 }));

    // Act
    const findings = await source.findings({ ...QUERY, scanner: "grype" });

    // Assert
    expect(findings.map((finding) => finding.fixAvailable)).toEqual([true, false]);
  });

  it.each([
    [404, "NoSuchKey"],
    [403, "AccessDenied"],
  ])("gives up on a %i %s, so that the image is left to its timeout", async (status, code) => {
    // Arrange
    const { source } = sourceWith(() => s3Error(status, code));

    // Act
    const error = await failureOf(source.findings(QUERY));

    // Assert
    expect(error).toMatchObject({
      code: "SCAN_FINDINGS_UNAVAILABLE",
      retryable: false,
      data: { errorCode: code },
    });
    expect(error.message).toContain("s3:GetObject");
  });

  it.each([
    [503, "SlowDown"],
    [500, "InternalError"],
  ])("retries a %i %s", async (status, code) => {
    // Arrange
    const { source } = sourceWith(() => s3Error(status, code));

    // Act
    const error = await failureOf(source.findings(QUERY));

    // Assert
    expect(error).toMatchObject({ code: "SCAN_FINDINGS_UNAVAILABLE", retryable: true });
  });

  it("retries when S3 cannot be reached", async () => {
    // Arrange
    const { source } = sourceWith(() => {
      throw new TypeError("fetch failed");
    });

    // Act
    const error = await failureOf(source.findings(QUERY));

    // Assert
    expect(error).toMatchObject({ code: "SCAN_FINDINGS_UNAVAILABLE", retryable: true });
  });

  it.each([
    ["text that is not JSON", "<html>"],
    ["another tool's report", readFileSync(fixturePath("scan/grype-report.json"), "utf8")],
  ])("refuses %s for good", async (_, body) => {
    // Arrange
    const { source } = sourceWith(() => new Response(body, { status: 200 }));

    // Act
    const error = await failureOf(source.findings({ ...QUERY, scanner: "trivy" }));

    // Assert
    expect(error).toMatchObject({ code: "SCAN_FINDINGS_INVALID", retryable: false });
  });

  it("refuses a query that names no registry, whose report has no key", async () => {
    // Arrange
    const { source, requests } = sourceWith(() => new Response("{}", { status: 200 }));

    // Act
    const error = await failureOf(source.findings({ repository: "acme/api", digest: DIGEST }));

    // Assert
    expect(error).toMatchObject({ code: "SCAN_FINDINGS_UNAVAILABLE", retryable: false });
    expect(requests).toEqual([]);
  });
});
