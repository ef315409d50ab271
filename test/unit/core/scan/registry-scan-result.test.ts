import { afterEach, describe, expect, it } from "vitest";
import { registryScanCompletedEvent } from "../../../../functions/core/contracts/registry/registry-scan-completed.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { checkScanTimeout } from "../../../../functions/core/scan/check-scan-timeout.js";
import { handleScanResult } from "../../../../functions/core/scan/handle-scan-result.js";
import { scanResultOf } from "../../../../functions/core/scan/scan-result.js";
import { scanTimeoutFor } from "../../../../functions/core/scan/scan-timeout-check.js";
import { createKit, DIGEST, FixedFindings, IMAGE, type Kit } from "./scan-gate-kit.js";

/** An image of GHCR that image-pushed announced. */
const GHCR_IMAGE = { ...IMAGE, repository: "acme/api", imageUri: `ghcr.io/acme/api:${IMAGE.tag}@${DIGEST}` };

const CRITICAL = {
  id: "CVE-2024-5535",
  severity: "CRITICAL" as const,
  package: "libssl3",
  fixedVersion: "3.0.15",
};

let kit: Kit | undefined;

afterEach(async () => {
  await kit?.cleanup();
  kit = undefined;
});

function registryScan(status: "COMPLETE" | "FAILED") {
  return scanResultOf(
    registryScanCompletedEvent.parse({
      version: "0",
      id: "7f1c2d3e-0a1b-4c5d-8e9f-0a1b2c3d4e5f",
      "detail-type": "Registry Scan Completed",
      source: "shipline.registry",
      account: "123456789012",
      time: "2026-03-15T12:04:00Z",
      region: "eu-west-1",
      resources: [],
      detail: {
        registry: "ghcr.io",
        repository: "acme/api",
        digest: DIGEST,
        status,
        ...(status === "COMPLETE" ? { reportKey: `scans/ghcr.io/acme/api/${DIGEST}.json` } : {}),
        scanner: "trivy",
        occurredAt: "2026-03-15T12:03:58Z",
      },
    }),
  );
}

/** A kit whose scan gate reads the scan job's reports through `registry`. */
async function kitWithRegistry(findings: FixedFindings | undefined): Promise<Kit> {
  const created = await createKit();
  const context = {
    ...created.context,
    sources: { ...created.context.sources, ...(findings === undefined ? {} : { registry: findings }) },
  };
  return { ...created, context };
}

describe("a Registry Scan Completed at the scan gate", () => {
  it("reads the scan job's report of the image and rejects it under the scan policy, naming Trivy", async () => {
    // Arrange
    const reports = new FixedFindings("trivy", [CRITICAL]);
    kit = await kitWithRegistry(reports);
    await kit.remember(GHCR_IMAGE);

    // Act
    const outcome = await handleScanResult({ context: kit.context, scan: registryScan("COMPLETE") });

    // Assert
    expect(outcome.outcome).toBe("published");
    expect(reports.queries).toEqual([
      { repository: "acme/api", digest: DIGEST, registryId: "ghcr.io", scanner: "trivy" },
    ]);
    expect(kit.publisher.published).toEqual([
      {
        detailType: "Image Rejected",
        detail: expect.objectContaining({ repository: "acme/api", scanner: "trivy", blocking: [CRITICAL] }),
      },
    ]);
  });

  it("rejects the image at once when the scan failed, without reading a report", async () => {
    // Arrange
    const reports = new FixedFindings("trivy", []);
    kit = await kitWithRegistry(reports);
    await kit.remember(GHCR_IMAGE);

    // Act
    await handleScanResult({ context: kit.context, scan: registryScan("FAILED") });

    // Assert
    expect(reports.queries).toEqual([]);
    expect(kit.publisher.published).toEqual([
      {
        detailType: "Image Rejected",
        detail: expect.objectContaining({
          scanner: "trivy",
          reason: expect.stringContaining("the scan did not produce findings (scan status FAILED)"),
        }),
      },
    ]);
  });

  it("keeps a scan that finished before the image was announced, and judges it at the timeout", async () => {
    // Arrange
    const reports = new FixedFindings("trivy", []);
    kit = await kitWithRegistry(reports);
    const early = await handleScanResult({ context: kit.context, scan: registryScan("COMPLETE") });
    await kit.remember(GHCR_IMAGE);
    const { check } = scanTimeoutFor({
      image: GHCR_IMAGE,
      policy: { timeoutSeconds: 1800 },
      now: new Date(GHCR_IMAGE.pushedAt),
    });

    // Act
    await checkScanTimeout({ context: kit.context, check });

    // Assert
    expect(early.outcome).toBe("unknown-image");
    expect(reports.queries).toEqual([
      { repository: "acme/api", digest: DIGEST, registryId: "ghcr.io", scanner: "trivy" },
    ]);
    expect(kit.publisher.published).toEqual([
      { detailType: "Image Approved", detail: expect.objectContaining({ scanner: "trivy" }) },
    ]);
  });

  it("stops with the fix when the gate was deployed without the scan job's reports", async () => {
    // Arrange
    kit = await kitWithRegistry(undefined);
    await kit.remember(GHCR_IMAGE);

    // Act
    const thrown = await handleScanResult({ context: kit.context, scan: registryScan("COMPLETE") }).catch(
      (error: unknown) => error,
    );

    // Assert
    expect(thrown).toBeInstanceOf(ShiplineError);
    expect(thrown).toMatchObject({ code: "SCAN_SOURCE_MISSING", retryable: false });
    expect(String(thrown)).toContain("kind: oci");
  });
});
