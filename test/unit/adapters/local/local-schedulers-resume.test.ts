import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import {
  LOCAL_SCHEDULES_TABLE,
  LocalPromotionScheduler,
} from "../../../../functions/adapters/local/local-promotion-scheduler.js";
import { LocalScanTimeoutScheduler } from "../../../../functions/adapters/local/local-scan-timeout-scheduler.js";
import type { PromotionDue } from "../../../../functions/core/promotion/promotion-due.js";
import type { ScanTimeoutCheck } from "../../../../functions/core/scan/scan-timeout-check.js";

const DIGEST = `sha256:${"a".repeat(64)}`;

describe("local schedulers across a restart", () => {
  let dir: string;
  let store: FileDocumentStore;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(tmpdir(), "shipline-schedules-"));
    store = new FileDocumentStore({ directory: dir });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("runs a soak check scheduled before the restart once its time has come, and forgets it then", async () => {
    // Arrange: the first run schedules a check due in the past by the time the second run starts.
    const before = new LocalPromotionScheduler({ store, deliver: async () => {} });
    await before.schedulePromotion({
      id: "soak-elapsed.shop.production.aaa",
      at: new Date(Date.now() - 1000),
      reason: "soak-elapsed",
      app: "shop",
      environment: "production",
      digest: DIGEST,
      commit: "1".repeat(40),
      correlationId: "push-1",
    });
    before.close();
    const delivered: PromotionDue[] = [];
    const after = new LocalPromotionScheduler({
      store,
      deliver: async (payload) => {
        delivered.push(payload);
      },
    });

    // Act
    const armed = await after.resume();
    await new Promise((resolve) => setTimeout(resolve, 50));

    // Assert
    expect(armed).toBe(1);
    expect(delivered.map((payload) => payload.detail)).toEqual([
      expect.objectContaining({ reason: "soak-elapsed", environment: "production", digest: DIGEST }),
    ]);
    expect(await store.query(LOCAL_SCHEDULES_TABLE, "promotion")).toEqual([]);
    after.close();
  });

  it("runs a scan timeout armed before the restart", async () => {
    // Arrange
    const check: ScanTimeoutCheck = {
      source: "shipline.scan-gate",
      "detail-type": "Scan Timeout Check",
      detail: {
        app: "shop",
        commit: "1".repeat(40),
        correlationId: "push-1",
        repository: "shop",
        digest: DIGEST,
      },
    };
    const before = new LocalScanTimeoutScheduler({ store, run: async () => {} });
    await before.schedule({ check, at: new Date(Date.now() + 60_000) });
    before.close();
    const ran: ScanTimeoutCheck[] = [];
    const after = new LocalScanTimeoutScheduler({
      store,
      clock: { now: () => new Date(Date.now() + 120_000) },
      run: async (due) => {
        ran.push(due);
      },
    });

    // Act
    const armed = await after.resume();
    await new Promise((resolve) => setTimeout(resolve, 50));
    await after.idle();

    // Assert
    expect(armed).toBe(1);
    expect(ran.map((due) => due.detail.digest)).toEqual([DIGEST]);
    expect(await store.query(LOCAL_SCHEDULES_TABLE, "scan-timeout")).toEqual([]);
    after.close();
  });
});
