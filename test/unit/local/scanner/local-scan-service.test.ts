import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FileDocumentStore } from "../../../../functions/adapters/local/file-document-store.js";
import { LocalScanFindings } from "../../../../functions/adapters/local/local-scan-findings.js";
import { scanPolicy } from "../../../../functions/core/config/scan-policy.js";
import type { EcrImageScanEvent } from "../../../../functions/core/contracts/aws/ecr-image-scan.js";
import { KNOWN_IMAGES_TABLE, knownImageKey } from "../../../../functions/core/images/known-image.js";
import { handleScanResult } from "../../../../functions/core/scan/handle-scan-result.js";
import { scanResultOf } from "../../../../functions/core/scan/scan-result.js";
import { type LocalRegistry, startLocalRegistry } from "../../../../functions/local/registry/index.js";
import {
  DeclaredFindingsScanner,
  FINDINGS_LABEL,
} from "../../../../functions/local/scanner/declared-findings-scanner.js";
import { LocalScanService } from "../../../../functions/local/scanner/local-scan-service.js";
import {
  descriptorOf,
  pushImage,
  sha256,
  type TestBlob,
  type TestImage,
  tarOf,
} from "../../../integration/local/registry-test-image.js";
import { RecordingPublisher } from "../../core/scan/scan-gate-kit.js";

const XZ = {
  id: "CVE-2024-3094",
  severity: "CRITICAL",
  package: "xz-utils",
  installedVersion: "5.6.0",
  fixedVersion: "5.6.1",
};
const ZLIB = { id: "CVE-2023-45853", severity: "MEDIUM", package: "zlib1g", installedVersion: "1:1.2.13" };

/** An OCI image whose one layer holds `files` and whose config carries `labels`. */
function imageWith(files: Record<string, string>, labels: Record<string, string> = {}): TestImage {
  const tar = tarOf(files);
  const layerContent = gzipSync(tar);
  const layer: TestBlob = {
    content: layerContent,
    digest: sha256(layerContent),
    mediaType: "application/vnd.oci.image.layer.v1.tar+gzip",
  };
  const configContent = Buffer.from(
    JSON.stringify({
      architecture: "amd64",
      os: "linux",
      config: { Labels: labels },
      rootfs: { type: "layers", diff_ids: [sha256(tar)] },
    }),
  );
  const config: TestBlob = {
    content: configContent,
    digest: sha256(configContent),
    mediaType: "application/vnd.oci.image.config.v1+json",
  };
  const manifestContent = Buffer.from(
    JSON.stringify({
      schemaVersion: 2,
      mediaType: "application/vnd.oci.image.manifest.v1+json",
      config: descriptorOf(config),
      layers: [descriptorOf(layer)],
    }),
  );
  const manifest: TestBlob = {
    content: manifestContent,
    digest: sha256(manifestContent),
    mediaType: "application/vnd.oci.image.manifest.v1+json",
  };
  return { layer, config, manifest };
}

let directory: string;
let registry: LocalRegistry;
let store: FileDocumentStore;
let findings: LocalScanFindings;
let emitted: EcrImageScanEvent[];
let failures: unknown[];
let service: LocalScanService;

beforeEach(async () => {
  directory = await mkdtemp(path.join(os.tmpdir(), "shipline-local-scan-"));
  registry = await startLocalRegistry({ dataDir: path.join(directory, "registry") });
  store = new FileDocumentStore({ directory: path.join(directory, "store") });
  findings = new LocalScanFindings({ store });
  emitted = [];
  failures = [];
  service = new LocalScanService({
    registry,
    scanner: new DeclaredFindingsScanner({ registry }),
    findings,
    emit: (event) => {
      emitted.push(event);
    },
    newId: () => "scan-event-1",
    onScanFailed: (error) => failures.push(error),
    clock: { now: () => new Date("2026-03-15T12:01:00.000Z") },
  });
});

afterEach(async () => {
  await registry.close();
  await rm(directory, { recursive: true, force: true });
});

async function push(image: TestImage, tag: string): Promise<void> {
  const response = await pushImage(registry.url, "demo", image, tag);
  expect(response.status).toBe(201);
}

describe("LocalScanService with the declared-findings scanner", () => {
  it("emits an ECR-shaped ECR Image Scan event with the counts of the findings the image's file declares", async () => {
    // Arrange
    const image = imageWith({
      ".shipline/findings.json": JSON.stringify([XZ, ZLIB]),
      "app/server.js": "// app",
    });
    await push(image, "1.0.0");

    // Act
    const event = await service.scan({ repository: "demo", digest: image.manifest.digest });

    // Assert
    expect(emitted).toEqual([event]);
    expect(event).toEqual({
      version: "0",
      id: "scan-event-1",
      "detail-type": "ECR Image Scan",
      source: "aws.ecr",
      account: "000000000000",
      time: "2026-03-15T12:01:00Z",
      region: "local",
      resources: ["arn:aws:ecr:local:000000000000:repository/demo"],
      detail: {
        "scan-status": "COMPLETE",
        "repository-name": "demo",
        "image-digest": image.manifest.digest,
        "image-tags": ["1.0.0"],
        "finding-severity-counts": {
          CRITICAL: 1,
          HIGH: 0,
          MEDIUM: 1,
          LOW: 0,
          INFORMATIONAL: 0,
          UNDEFINED: 0,
        },
      },
    });
    expect(await findings.findings({ repository: "demo", digest: image.manifest.digest })).toEqual([
      XZ,
      ZLIB,
    ]);
  });

  it("reads the findings an image declares in its config label", async () => {
    // Arrange
    const image = imageWith({ "app/server.js": "// app" }, { [FINDINGS_LABEL]: JSON.stringify([ZLIB]) });
    await push(image, "1.0.1");

    // Act
    const event = await service.scan({ repository: "demo", digest: image.manifest.digest });

    // Assert
    expect(event.detail["finding-severity-counts"]).toMatchObject({ MEDIUM: 1, CRITICAL: 0 });
  });

  it("finds nothing in an image that declares nothing", async () => {
    // Arrange
    const image = imageWith({ "app/server.js": "// clean" });
    await push(image, "1.0.2");

    // Act
    const event = await service.scan({ repository: "demo", digest: image.manifest.digest });

    // Assert
    expect(event.detail["scan-status"]).toBe("COMPLETE");
    expect(await findings.findings({ repository: "demo", digest: image.manifest.digest })).toEqual([]);
  });

  it("announces a FAILED scan when the declaration is not a list of findings", async () => {
    // Arrange
    const image = imageWith({ ".shipline/findings.json": "{ not: json" });
    await push(image, "1.0.3");

    // Act
    const event = await service.scan({ repository: "demo", digest: image.manifest.digest });

    // Assert
    expect(event.detail["scan-status"]).toBe("FAILED");
    expect(event.detail["finding-severity-counts"]).toEqual({});
    expect(failures).toEqual([expect.objectContaining({ code: "SCAN_DECLARATION_INVALID" })]);
  });

  it("produces a real rejection: the scan gate reads the local findings and blocks the declared CVE", async () => {
    // Arrange
    const image = imageWith({ ".shipline/findings.json": JSON.stringify([XZ]) });
    await push(image, "1.0.4");
    await store.put(KNOWN_IMAGES_TABLE, knownImageKey("demo", image.manifest.digest), {
      app: "demo",
      commit: "0123456789abcdef0123456789abcdef01234567",
      correlationId: "corr-local",
      repository: "demo",
      tag: "1.0.4",
      digest: image.manifest.digest,
      pushedAt: "2026-03-15T12:00:00.000Z",
    });
    const publisher = new RecordingPublisher();
    const event = await service.scan({ repository: "demo", digest: image.manifest.digest });

    // Act
    await handleScanResult({
      context: {
        store,
        publisher,
        clock: { now: () => new Date("2026-03-15T12:02:00.000Z") },
        policy: scanPolicy.parse({}),
        sources: { ecr: findings, inspector2: findings },
      },
      scan: scanResultOf(event),
    });

    // Assert
    expect(publisher.published).toEqual([
      {
        detailType: "Image Rejected",
        detail: expect.objectContaining({ scanner: "local", tag: "1.0.4", blocking: [XZ] }),
      },
    ]);
  });

  it("refuses to scan an image the registry does not hold", async () => {
    // Act
    const scan = service.scan({ repository: "demo", digest: `sha256:${"00".repeat(32)}` });

    // Assert
    await expect(scan).rejects.toMatchObject({ code: "IMAGE_NOT_FOUND" });
    expect(emitted).toEqual([]);
  });
});
