import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import { LocalScanFindings } from "../../../../functions/adapters/local/local-scan-findings.js";
import { LocalScanTimeoutScheduler } from "../../../../functions/adapters/local/local-scan-timeout-scheduler.js";
import { type ScanTimeoutCheck, scanTimeoutFor } from "../../../../functions/core/scan/scan-timeout-check.js";
import { DIGEST, IMAGE } from "../../core/scan/scan-gate-kit.js";

let directory: string;
let scheduler: LocalScanTimeoutScheduler | undefined;

beforeEach(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), "shipline-scan-local-"));
});

afterEach(async () => {
  scheduler?.close();
  scheduler = undefined;
  await rm(directory, { recursive: true, force: true });
});

describe("LocalScanFindings", () => {
  it("returns the findings recorded for an image, also from a new instance on the same directory", async () => {
    // Arrange
    const findings = [{ id: "CVE-2024-3094", severity: "CRITICAL" as const, package: "xz-utils" }];
    await new LocalScanFindings({ store: new FileDocumentStore({ directory }) }).record({
      repository: "demo",
      digest: DIGEST,
      findings,
      scannedAt: new Date("2026-03-15T12:00:00Z"),
    });

    // Act
    const read = await new LocalScanFindings({ store: new FileDocumentStore({ directory }) }).findings({
      repository: "demo",
      digest: DIGEST,
    });

    // Assert
    expect(read).toEqual(findings);
  });

  it("says when an image was never scanned locally", async () => {
    // Arrange
    const source = new LocalScanFindings({ store: new FileDocumentStore({ directory }) });

    // Act
    const read = source.findings({ repository: "demo", digest: DIGEST });

    // Assert
    await expect(read).rejects.toMatchObject({ code: "SCAN_FINDINGS_UNAVAILABLE", retryable: false });
  });
});

describe("LocalScanTimeoutScheduler", () => {
  it("runs a due check once, however often the image is scheduled", async () => {
    // Arrange
    const ran: ScanTimeoutCheck[] = [];
    const now = new Date("2026-03-15T13:00:00Z");
    scheduler = new LocalScanTimeoutScheduler({
      run: async (check) => ran.push(check),
      clock: { now: () => now },
    });
    const timeout = scanTimeoutFor({ image: IMAGE, policy: { timeoutSeconds: 60 }, now });

    // Act
    await scheduler.schedule(timeout);
    await scheduler.schedule(timeout);
    await new Promise((resolve) => setImmediate(resolve));
    await new Promise((resolve) => setTimeout(resolve, 0));
    await scheduler.idle();

    // Assert
    expect(ran).toEqual([timeout.check]);
    expect(scheduler.pending).toEqual([]);
  });

  it("keeps a check that is not due yet pending, and disarms it on close", async () => {
    // Arrange
    const ran: ScanTimeoutCheck[] = [];
    scheduler = new LocalScanTimeoutScheduler({ run: async (check) => ran.push(check) });
    const timeout = scanTimeoutFor({ image: IMAGE, policy: { timeoutSeconds: 1800 }, now: new Date() });

    // Act
    await scheduler.schedule({ ...timeout, at: new Date(Date.now() + 3_600_000) });
    const pending = scheduler.pending;
    scheduler.close();

    // Assert
    expect(pending).toEqual([`demo@${DIGEST}`]);
    expect(scheduler.pending).toEqual([]);
    expect(ran).toEqual([]);
  });

  it("hands a failing check to onError", async () => {
    // Arrange
    const errors: unknown[] = [];
    const now = new Date();
    scheduler = new LocalScanTimeoutScheduler({
      run: () => Promise.reject(new Error("handler down")),
      onError: (error) => errors.push(error),
      clock: { now: () => now },
    });

    // Act
    await scheduler.schedule({
      ...scanTimeoutFor({ image: IMAGE, policy: { timeoutSeconds: 60 }, now }),
      at: now,
    });
    await new Promise((resolve) => setTimeout(resolve, 0));
    await scheduler.idle();

    // Assert
    expect(errors).toEqual([expect.objectContaining({ message: "handler down" })]);
  });
});
