import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { Logger } from "@aws-lambda-powertools/logger";
import { Metrics } from "@aws-lambda-powertools/metrics";
import { Tracer } from "@aws-lambda-powertools/tracer";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileDocumentStore } from "../../../functions/adapters/local/file-document-store.js";
import { scanPolicy } from "../../../functions/core/config/scan-policy.js";
import { ecrImageScanEvent } from "../../../functions/core/contracts/aws/ecr-image-scan.js";
import { KNOWN_IMAGES_TABLE, knownImageKey } from "../../../functions/core/images/known-image.js";
import { scanTimeoutFor } from "../../../functions/core/scan/scan-timeout-check.js";
import { createScanGateHandler } from "../../../functions/handlers/scan-gate.js";
import { readFixture } from "../../read-fixture.js";
import { FixedFindings, IMAGE } from "../core/scan/scan-gate-kit.js";
import { InMemoryPublisher, lambdaContext, OutputCapture } from "./shared/step-test-kit.js";

let directory: string;
let store: FileDocumentStore;
let publisher: InMemoryPublisher;
/** A capture of its own per test, so that one test's log lines never count in the next. */
let output: OutputCapture;

beforeEach(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), "shipline-scan-handler-"));
  store = new FileDocumentStore({ directory });
  publisher = new InMemoryPublisher();
  output = new OutputCapture();
  output.start();
});

afterEach(async () => {
  output.stop();
  await rm(directory, { recursive: true, force: true });
});

function handlerWith(findings: FixedFindings, registry?: FixedFindings) {
  return createScanGateHandler({
    publisher,
    logger: new Logger({ serviceName: "scan-gate" }),
    metrics: new Metrics({ namespace: "ShiplineTest", serviceName: "scan-gate" }),
    tracer: new Tracer({ serviceName: "scan-gate", enabled: false }),
    clock: { now: () => new Date("2026-03-15T12:30:00Z") },
    store,
    policy: scanPolicy.parse({}),
    sources: {
      ecr: findings,
      inspector2: new FixedFindings("inspector2", []),
      ...(registry === undefined ? {} : { registry }),
    },
  });
}

/** The ECR Image Scan fixture as EventBridge delivers it, and its digest. */
function ecrScanSample(): { readonly event: unknown; readonly digest: string } {
  const event = readFixture("aws/ecr-image-scan.complete.json");
  return { event, digest: ecrImageScanEvent.parse(event).detail["image-digest"] };
}

describe("scan-gate handler", () => {
  it("turns the ECR Image Scan of a known image into Image Rejected", async () => {
    // Arrange
    const { event, digest } = ecrScanSample();
    await store.put(KNOWN_IMAGES_TABLE, knownImageKey("shipline-demo/app", digest), {
      ...IMAGE,
      repository: "shipline-demo/app",
      digest,
    });
    const handler = handlerWith(
      new FixedFindings("ecr-basic", [{ id: "CVE-2019-5188", severity: "CRITICAL" }]),
    );

    // Act
    await handler(event, lambdaContext());

    // Assert
    expect(publisher.details("Image Rejected")).toEqual([
      expect.objectContaining({
        app: "demo",
        repository: "shipline-demo/app",
        digest,
        scanner: "ecr-basic",
        blocking: [{ id: "CVE-2019-5188", severity: "CRITICAL" }],
      }),
    ]);
    expect(output.logs("Published the image's verdict")).toHaveLength(1);
  });

  it("turns the scan job's Registry Scan Completed of a GHCR image into Image Approved, naming Trivy", async () => {
    // Arrange
    await store.put(KNOWN_IMAGES_TABLE, knownImageKey("acme/api", IMAGE.digest), {
      ...IMAGE,
      repository: "acme/api",
    });
    const reports = new FixedFindings("trivy", [{ id: "CVE-2023-45853", severity: "MEDIUM" }]);
    const handler = handlerWith(new FixedFindings("ecr-basic", []), reports);
    const event = {
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
        digest: IMAGE.digest,
        status: "COMPLETE",
        reportKey: `scans/ghcr.io/acme/api/${IMAGE.digest}.json`,
        scanner: "trivy",
        occurredAt: "2026-03-15T12:03:58Z",
      },
    };

    // Act
    await handler(event, lambdaContext());

    // Assert
    expect(reports.queries).toEqual([
      { repository: "acme/api", digest: IMAGE.digest, registryId: "ghcr.io", scanner: "trivy" },
    ]);
    expect(publisher.details("Image Approved")).toEqual([
      expect.objectContaining({
        repository: "acme/api",
        scanner: "trivy",
        counts: expect.objectContaining({ MEDIUM: 1 }),
      }),
    ]);
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

  it.each(["aws/inspector2-scan.ec2-instance.json", "aws/inspector2-scan.lambda-function.json"])(
    "leaves alone %s, an Inspector scan that is not of an image, with the reason",
    async (name) => {
      // Arrange
      const handler = handlerWith(new FixedFindings("ecr-basic", []));

      // Act
      await handler(readFixture(name), lambdaContext());

      // Assert
      expect(publisher.published).toEqual([]);
      expect(output.logs("Event does not concern Shipline; ignored")).toEqual([
        expect.objectContaining({
          reason: expect.stringMatching(
            /^Inspector2 Scan of (EC2 instance|Lambda function) .* is not a scan of an ECR container image/,
          ),
        }),
      ]);
    },
  );

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
