import { mkdtemp, readFile, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileDocumentStore } from "../../../functions/adapters/local/file-document-store.js";
import { scanPolicy } from "../../../functions/core/config/scan-policy.js";
import { KNOWN_IMAGES_TABLE, knownImageKey } from "../../../functions/core/images/known-image.js";
import { scanTimeoutFor } from "../../../functions/core/scan/scan-timeout-check.js";
import { createScanGateHandler } from "../../../functions/handlers/scan-gate.js";
import { FixedFindings, IMAGE } from "../core/scan/scan-gate-kit.js";
import { InMemoryPublisher, lambdaContext, OutputCapture } from "./shared/step-test-kit.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../..");
const fixtures = path.resolve(repoRoot, "../shared/fixtures/aws");

let directory: string;
let store: FileDocumentStore;
let publisher: InMemoryPublisher;
const output = new OutputCapture();

beforeEach(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), "shipline-scan-handler-"));
  store = new FileDocumentStore({ directory });
  publisher = new InMemoryPublisher();
  output.start();
});

afterEach(async () => {
  output.stop();
  await rm(directory, { recursive: true, force: true });
});

function handlerWith(findings: FixedFindings) {
  return createScanGateHandler({
    publisher,
    logger: new Logger({ serviceName: "scan-gate" }),
    metrics: new Metrics({ namespace: "ShiplineTest", serviceName: "scan-gate" }),
    tracer: new Tracer({ serviceName: "scan-gate", enabled: false }),
    clock: { now: () => new Date("2026-03-15T12:30:00Z") },
    store,
    policy: scanPolicy.parse({}),
    sources: { ecr: findings, inspector2: new FixedFindings("inspector2", []) },
  });
}

async function ecrScanSample(): Promise<{ detail: Record<string, unknown> } & Record<string, unknown>> {
  return JSON.parse(
    await readFile(path.join(fixtures, "ecr-image-scan.complete.aws-lambda-go.json"), "utf8"),
  );
}

describe("scan-gate handler", () => {
  it("turns the real ECR Image Scan sample of a known image into Image Rejected", async () => {
    // Arrange
    const sample = await ecrScanSample();
    const digest = String(sample.detail["image-digest"]);
    await store.put(KNOWN_IMAGES_TABLE, knownImageKey("tribble-image-scan-test", digest), {
      ...IMAGE,
      repository: "tribble-image-scan-test",
      digest,
    });
    const handler = handlerWith(
      new FixedFindings("ecr-basic", [{ id: "CVE-2019-5188", severity: "CRITICAL" }]),
    );

    // Act
    await handler(sample, lambdaContext());

    // Assert
    expect(publisher.details("Image Rejected")).toEqual([
      expect.objectContaining({
        app: "demo",
        repository: "tribble-image-scan-test",
        digest,
        scanner: "ecr-basic",
        blocking: [{ id: "CVE-2019-5188", severity: "CRITICAL" }],
      }),
    ]);
    expect(output.logs("Published the image's verdict")).toHaveLength(1);
  });

  it("runs a scan-timeout check and rejects the image that got no scan", async () => {
    // Arrange
    await store.put(KNOWN_IMAGES_TABLE, knownImageKey(IMAGE.repository, IMAGE.digest), IMAGE);
    const { check } = scanTimeoutFor({
      image: IMAGE,
      policy: { timeoutSeconds: 1800 },
      now: new Date(IMAGE.pushedAt),
    });
    const handler = handlerWith(new FixedFindings("ecr-basic", []));

    // Act
    await handler(JSON.parse(JSON.stringify(check)), lambdaContext());

    // Assert
    expect(publisher.details("Image Rejected")).toEqual([
      expect.objectContaining({
        digest: IMAGE.digest,
        reason: expect.stringMatching(/^no scan result within 30m/),
      }),
    ]);
  });

  it("records an event that is neither a scan nor a timeout check as Step Failed", async () => {
    // Arrange
    const handler = handlerWith(new FixedFindings("ecr-basic", []));

    // Act
    await handler({ source: "aws.ecr", "detail-type": "ECR Image Scan", detail: {} }, lambdaContext());

    // Assert
    expect(publisher.details("Step Failed")).toEqual([
      expect.objectContaining({ step: "scan-gate", code: "EVENT_INVALID" }),
    ]);
  });
});
