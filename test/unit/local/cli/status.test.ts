import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { recordHop } from "../../../../functions/core/ledger/record-hop.js";
import { main } from "../../../../functions/local/cli/main.js";
import { shiplineAt } from "../../core/ledger/ledger-test-kit.js";
import { captureIo } from "../bus/capture-io.js";

const repoRoot = resolve(fileURLToPath(import.meta.url), "../../../../..");

describe("shipline status", () => {
  let dir: string;
  let store: FileDocumentStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), "shipline-status-"));
    store = new FileDocumentStore({ directory: join(dir, "ledger-store") });
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function record(...events: EventEnvelope[]): Promise<void> {
    for (const event of events)
      await recordHop({ store, event, productionEnvironments: new Set(["production"]) });
  }

  it("shows which image runs in each environment and the latest change there", async () => {
    // Arrange
    await record(
      shiplineAt("Config Committed", 10),
      shiplineAt("Deployment Verified", 60),
      shiplineAt("Config Committed", 100, { environment: "production" }),
      shiplineAt("Deployment Failed", 200, { environment: "production" }),
    );
    const capture = captureIo(dir);

    // Act
    const code = await main(["status", "--store-dir", "ledger-store"], capture.io);

    // Assert
    expect(code).toBe(0);
    const lines = capture.stdout().split("\n");
    expect(lines[0]).toMatch(
      /^APP\s+ENV\s+RUNNING\s+DIGEST\s+COMMIT\s+CONFIG\s+HEALTH\s+SINCE\s+DESIRED\s+LATEST$/,
    );
    expect(lines.slice(1, 3).map((line) => line.split(/\s{2,}/))).toEqual([
      [
        "web",
        "production",
        "-",
        "-",
        "-",
        "-",
        "-",
        "-",
        "1.4.0-f485fcc",
        "failed f485fcc — Deployment web is Degraded: readiness probe failed",
      ],
      [
        "web",
        "staging",
        "1.4.0-f485fcc",
        "sha256:d4a96ee9443e",
        "f485fcc",
        "3b18e51",
        "Healthy",
        expect.stringMatching(/ago$/),
        "= running",
        "verified",
      ],
    ]);
    expect(capture.stdout()).toContain("DORA metrics, last 30d00h");
  });

  it("counts production as the configuration says when computing DORA", async () => {
    // Arrange
    const config = await readFile(join(repoRoot, "shipline.config.yaml"), "utf8");
    await writeFile(join(dir, "shipline.config.yaml"), config);
    const recent = (Date.now() - Date.parse("2026-03-01T12:00:00Z")) / 1000 - 3600;
    await record(
      shiplineAt("Deployment Verified", recent),
      shiplineAt("Deployment Verified", recent + 60, { environment: "production" }),
      shiplineAt("Deployment Failed", recent + 120, { environment: "production" }),
    );
    const capture = captureIo(dir);

    // Act
    const code = await main(
      ["status", "--store-dir", "ledger-store", "--json", "--window", "7d"],
      capture.io,
    );

    // Assert
    expect(code).toBe(0);
    const status = JSON.parse(capture.stdout());
    expect(status.environments.map((state: { environment: string }) => state.environment)).toEqual(
      ["staging", "production"].sort(),
    );
    expect(status.production).toEqual(["production"]);
    expect(status.dora).toMatchObject({ deployments: 1, failures: 1, changeFailureRate: 0.5 });
  });

  it("exits 3 for an app the ledger never saw and 2 for a bad window", async () => {
    // Arrange
    await record(shiplineAt("Deployment Verified", 60));
    const unknown = captureIo(dir);
    const badWindow = captureIo(dir);

    // Act
    const unknownCode = await main(["status", "--store-dir", "ledger-store", "--app", "billing"], unknown.io);
    const badWindowCode = await main(
      ["status", "--store-dir", "ledger-store", "--window", "soon"],
      badWindow.io,
    );

    // Assert
    expect([unknownCode, badWindowCode]).toEqual([3, 2]);
    expect(unknown.stderr()).toContain("app 'billing' is not recorded");
  });

  it("says nothing is deployed yet on an empty ledger", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["status"], capture.io);

    // Assert
    expect(code).toBe(0);
    expect(capture.stdout()).toContain("Nothing is deployed yet");
  });

  it("asks for the table when --aws has none", async () => {
    // Arrange
    const capture = captureIo(dir);

    // Act
    const code = await main(["status", "--aws"], capture.io);

    // Assert
    expect(code).toBe(2);
    expect(capture.stderr()).toContain("--table <name> or set SHIPLINE_LEDGER_TABLE");
  });
});
