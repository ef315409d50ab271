import { afterEach, describe, expect, it } from "vitest";
import { checkScanTimeout } from "../../../../functions/core/scan/check-scan-timeout.js";
import { handleScanResult } from "../../../../functions/core/scan/handle-scan-result.js";
import { readVerdict } from "../../../../functions/core/scan/publish-verdict-once.js";
import { scanTimeoutFor } from "../../../../functions/core/scan/scan-timeout-check.js";
import { MAX_LISTED_FINDINGS } from "../../../../functions/core/scan/verdict-request.js";
import { COMPLETE_SCAN, createKit, DIGEST, IMAGE, type Kit } from "./scan-gate-kit.js";

const CRITICAL = {
  id: "CVE-2024-3094",
  severity: "CRITICAL" as const,
  package: "xz-utils",
  installedVersion: "5.6.0",
  fixedVersion: "5.6.1",
};

let kit: Kit | undefined;

afterEach(async () => {
  await kit?.cleanup();
  kit = undefined;
});

function timeoutCheck() {
  return scanTimeoutFor({ image: IMAGE, policy: { timeoutSeconds: 1800 }, now: new Date(IMAGE.pushedAt) })
    .check;
}

describe("handleScanResult", () => {
  it("rejects a known image with a blocking finding and publishes Image Rejected with it", async () => {
    // Arrange
    kit = await createKit({ findings: [CRITICAL] });
    await kit.remember();

    // Act
    const outcome = await handleScanResult({ context: kit.context, scan: COMPLETE_SCAN });

    // Assert
    expect(outcome.outcome).toBe("published");
    expect(kit.publisher.published).toEqual([
      {
        detailType: "Image Rejected",
        detail: expect.objectContaining({
          app: "demo",
          commit: IMAGE.commit,
          correlationId: "corr-1",
          repository: "demo",
          tag: IMAGE.tag,
          digest: DIGEST,
          scanner: "ecr-basic",
          counts: expect.objectContaining({ CRITICAL: 1 }),
          blocking: [CRITICAL],
          reason: expect.stringMatching(/^1 finding at or above HIGH block the image/),
        }),
      },
    ]);
    expect(kit.ecr.queries).toEqual([{ repository: "demo", digest: DIGEST, registryId: "123456789012" }]);
  });

  it("approves a known image whose findings pass, reading Inspector's findings for an Inspector scan", async () => {
    // Arrange
    kit = await createKit({ findings: [{ id: "CVE-2023-1", severity: "MEDIUM" }] });
    await kit.remember();

    // Act
    await handleScanResult({
      context: kit.context,
      scan: { ...COMPLETE_SCAN, origin: "inspector2", status: "INITIAL_SCAN_COMPLETE" },
    });

    // Assert
    expect(kit.inspector.queries).toHaveLength(1);
    expect(kit.ecr.queries).toHaveLength(0);
    expect(kit.publisher.published).toEqual([
      {
        detailType: "Image Approved",
        detail: expect.objectContaining({
          scanner: "inspector2",
          allowed: [],
          reason: "no finding at or above HIGH",
        }),
      },
    ]);
  });

  it("publishes once when the same scan event arrives twice", async () => {
    // Arrange
    kit = await createKit({ findings: [CRITICAL] });
    await kit.remember();

    // Act
    await handleScanResult({ context: kit.context, scan: COMPLETE_SCAN });
    const second = await handleScanResult({ context: kit.context, scan: COMPLETE_SCAN });

    // Assert
    expect(second.outcome).toBe("already-decided");
    expect(kit.publisher.published).toHaveLength(1);
    expect(kit.ecr.queries).toHaveLength(1);
  });

  it("publishes the recorded verdict on the retry when publishing failed the first time", async () => {
    // Arrange
    kit = await createKit({ findings: [CRITICAL] });
    await kit.remember();
    kit.publisher.failures = 1;

    // Act
    const first = handleScanResult({ context: kit.context, scan: COMPLETE_SCAN });
    await expect(first).rejects.toThrow(/the bus is down/);
    const retry = await handleScanResult({ context: kit.context, scan: COMPLETE_SCAN });

    // Assert
    expect(retry.outcome).toBe("published");
    expect(kit.publisher.published.map((request) => request.detailType)).toEqual(["Image Rejected"]);
    expect(
      (await readVerdict({ store: kit.store, repository: "demo", digest: DIGEST }))?.publishedAt,
    ).toBeDefined();
  });

  it("rejects a known image whose scan failed, with the status in the reason", async () => {
    // Arrange
    kit = await createKit();
    await kit.remember();

    // Act
    await handleScanResult({ context: kit.context, scan: { ...COMPLETE_SCAN, status: "UNSUPPORTED_IMAGE" } });

    // Assert
    expect(kit.ecr.queries).toHaveLength(0);
    expect(kit.publisher.published[0]).toMatchObject({
      detailType: "Image Rejected",
      detail: { reason: expect.stringMatching(/scan status UNSUPPORTED_IMAGE.*fails closed/) },
    });
  });

  it("decides nothing while the scan is in progress", async () => {
    // Arrange
    kit = await createKit();
    await kit.remember();

    // Act
    const outcome = await handleScanResult({
      context: kit.context,
      scan: { ...COMPLETE_SCAN, status: "IN_PROGRESS" },
    });

    // Assert
    expect(outcome).toEqual({ outcome: "pending" });
    expect(kit.publisher.published).toEqual([]);
  });

  it("keeps the scan of an image it does not know and publishes nothing", async () => {
    // Arrange
    kit = await createKit({ findings: [CRITICAL] });

    // Act
    const outcome = await handleScanResult({ context: kit.context, scan: COMPLETE_SCAN });

    // Assert
    expect(outcome).toEqual({ outcome: "unknown-image" });
    expect(kit.publisher.published).toEqual([]);
    expect(kit.ecr.queries).toEqual([]);
  });

  it("lists at most the first blocking findings in the event and says how many more there are", async () => {
    // Arrange
    const many = Array.from({ length: MAX_LISTED_FINDINGS + 3 }, (_, index) => ({
      id: `CVE-2024-${String(index).padStart(5, "0")}`,
      severity: "HIGH" as const,
    }));
    kit = await createKit({ findings: many });
    await kit.remember();

    // Act
    await handleScanResult({ context: kit.context, scan: COMPLETE_SCAN });

    // Assert
    const detail = kit.publisher.published[0]?.detail;
    expect(detail && "blocking" in detail ? detail.blocking : []).toHaveLength(MAX_LISTED_FINDINGS);
    expect(detail && "reason" in detail ? detail.reason : "").toMatch(
      /^103 findings .*\(3 more blocking findings not listed\)$/,
    );
  });
});

describe("checkScanTimeout", () => {
  it("rejects an image that got no scan result in time (fail closed)", async () => {
    // Arrange
    kit = await createKit({ policy: { timeout: "30m" } });
    await kit.remember();

    // Act
    const outcome = await checkScanTimeout({ context: kit.context, check: timeoutCheck() });

    // Assert
    expect(outcome.outcome).toBe("published");
    expect(kit.publisher.published).toEqual([
      {
        detailType: "Image Rejected",
        detail: expect.objectContaining({
          digest: DIGEST,
          blocking: [],
          reason: expect.stringMatching(/^no scan result within 30m of the push; rejected/),
        }),
      },
    ]);
  });

  it("approves an image without a scan result when the policy allows it", async () => {
    // Arrange
    kit = await createKit({ policy: { onTimeout: "approve" } });
    await kit.remember();

    // Act
    await checkScanTimeout({ context: kit.context, check: timeoutCheck() });

    // Assert
    expect(kit.publisher.published[0]).toMatchObject({
      detailType: "Image Approved",
      detail: { scanner: "ecr-basic", reason: expect.stringMatching(/approved unscanned/) },
    });
  });

  it("leaves a scanned image's verdict alone", async () => {
    // Arrange
    kit = await createKit();
    await kit.remember();
    await handleScanResult({ context: kit.context, scan: COMPLETE_SCAN });

    // Act
    const outcome = await checkScanTimeout({ context: kit.context, check: timeoutCheck() });

    // Assert
    expect(outcome.outcome).toBe("already-decided");
    expect(kit.publisher.published.map((request) => request.detailType)).toEqual(["Image Approved"]);
  });

  it("keeps a timeout verdict when the scan result arrives late", async () => {
    // Arrange
    kit = await createKit({ findings: [] });
    await kit.remember();
    await checkScanTimeout({ context: kit.context, check: timeoutCheck() });

    // Act
    const late = await handleScanResult({ context: kit.context, scan: COMPLETE_SCAN });

    // Assert
    expect(late).toMatchObject({
      outcome: "already-decided",
      verdict: { detailType: "Image Rejected", cause: "timeout" },
    });
    expect(kit.publisher.published.map((request) => request.detailType)).toEqual(["Image Rejected"]);
  });

  it("judges a scan result that arrived before the image was known instead of timing it out", async () => {
    // Arrange
    kit = await createKit({ findings: [CRITICAL] });
    await handleScanResult({ context: kit.context, scan: COMPLETE_SCAN });
    await kit.remember();

    // Act
    await checkScanTimeout({ context: kit.context, check: timeoutCheck() });

    // Assert
    expect(kit.publisher.published).toEqual([
      {
        detailType: "Image Rejected",
        detail: expect.objectContaining({
          blocking: [CRITICAL],
          reason: expect.stringMatching(/CVE-2024-3094/),
        }),
      },
    ]);
  });

  it("does nothing for an image Shipline does not know", async () => {
    // Arrange
    kit = await createKit();

    // Act
    const outcome = await checkScanTimeout({ context: kit.context, check: timeoutCheck() });

    // Assert
    expect(outcome).toEqual({ outcome: "unknown-image" });
    expect(kit.publisher.published).toEqual([]);
  });
});

describe("scanTimeoutFor", () => {
  it("is due the policy's timeout after the push", () => {
    // Act
    const { at, check } = scanTimeoutFor({
      image: IMAGE,
      policy: { timeoutSeconds: 1800 },
      now: new Date(IMAGE.pushedAt),
    });

    // Assert
    expect(at.toISOString()).toBe("2026-03-15T12:30:00.000Z");
    expect(check).toEqual({
      source: "shipline.scan-gate",
      "detail-type": "Scan Timeout Check",
      detail: {
        app: "demo",
        commit: IMAGE.commit,
        correlationId: "corr-1",
        repository: "demo",
        digest: DIGEST,
      },
    });
  });

  it("is due now for an image found after its timeout had passed", () => {
    // Arrange
    const now = new Date("2026-03-16T00:00:00Z");

    // Act
    const { at } = scanTimeoutFor({ image: IMAGE, policy: { timeoutSeconds: 1800 }, now });

    // Assert
    expect(at).toEqual(now);
  });
});
