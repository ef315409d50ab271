import { describe, expect, it } from "vitest";
import { registryScanCompletedEvent } from "../../../../../functions/core/contracts/registry/registry-scan-completed.js";
import { registryScanReportKey } from "../../../../../functions/core/contracts/registry/registry-scan-report-key.js";

const DIGEST = `sha256:${"2c".repeat(32)}`;

/** A Registry Scan Completed as EventBridge delivers it, with `detail` changed as given. */
function delivered(detail: Record<string, unknown>) {
  return {
    version: "0",
    id: "7f1c2d3e-0a1b-4c5d-8e9f-0a1b2c3d4e5f",
    "detail-type": "Registry Scan Completed",
    source: "shipline.registry",
    account: "123456789012",
    time: "2026-12-07T21:40:30Z",
    region: "eu-west-1",
    resources: [],
    detail: {
      registry: "ghcr.io",
      repository: "acme/api",
      digest: DIGEST,
      status: "COMPLETE",
      reportKey: `scans/ghcr.io/acme/api/${DIGEST}.json`,
      scanner: "trivy",
      occurredAt: "2026-12-07T21:40:29.512Z",
      ...detail,
    },
  };
}

describe("registryScanReportKey", () => {
  it("keys a report by registry host, repository and digest", () => {
    // Act
    const key = registryScanReportKey({
      registry: "registry.example.com:5000",
      repository: "a/b",
      digest: DIGEST,
    });

    // Assert
    expect(key).toBe(`scans/registry.example.com:5000/a/b/${DIGEST}.json`);
  });
});

describe("registryScanCompletedEvent", () => {
  it("reads a complete scan that names its image's report", () => {
    // Act
    const event = registryScanCompletedEvent.parse(delivered({}));

    // Assert
    expect(event.detail).toMatchObject({ status: "COMPLETE", scanner: "trivy", repository: "acme/api" });
  });

  it("reads a failed scan without a report", () => {
    // Act
    const result = registryScanCompletedEvent.safeParse(
      delivered({ status: "FAILED", reportKey: undefined }),
    );

    // Assert
    expect(result.success).toBe(true);
  });

  it.each([
    ["another image's report", { reportKey: `scans/ghcr.io/acme/web/${DIGEST}.json` }],
    ["no report at all", { reportKey: undefined }],
  ])("refuses a complete scan that names %s", (_, detail) => {
    // Act
    const result = registryScanCompletedEvent.safeParse(delivered(detail));

    // Assert
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.path).toEqual(["detail", "reportKey"]);
  });

  it.each([
    ["a status the job never writes", { status: "SUCCESS" }],
    ["a scanner the gate cannot read", { scanner: "clair" }],
    ["a tag instead of a digest", { digest: "1.4.0" }],
  ])("refuses %s", (_, detail) => {
    // Act
    const result = registryScanCompletedEvent.safeParse(delivered(detail));

    // Assert
    expect(result.success).toBe(false);
  });
});
