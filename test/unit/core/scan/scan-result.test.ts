import { describe, expect, it } from "vitest";
import { ecrImageScanEvent } from "../../../../functions/core/contracts/aws/ecr-image-scan.js";
import { inspector2ScanEvent } from "../../../../functions/core/contracts/aws/inspector2-scan.js";
import { scanResultOf } from "../../../../functions/core/scan/scan-result.js";
import { readFixture } from "../../../read-fixture.js";
import { withChange } from "../contracts/samples.js";

describe("scanResultOf", () => {
  it("reads an ECR Image Scan", () => {
    // Arrange
    const event = ecrImageScanEvent.parse(readFixture("aws/ecr-image-scan.complete.json"));

    // Act
    const scan = scanResultOf(event);

    // Assert
    expect(scan).toEqual({
      origin: "ecr",
      repository: "shipline-demo/app",
      digest: "sha256:ac77fdafc6f72fb6541e841098e185dd63368392b6c959a5998f9cdd6965d19e",
      tags: ["1.2.0-2b54c81"],
      status: "COMPLETE",
      registryId: "123456789012",
      time: "2026-02-20T09:15:41Z",
    });
  });

  it("takes the repository name and account from the ARN of an Inspector2 Scan", () => {
    // Arrange
    const event = inspector2ScanEvent.parse(
      withChange(readFixture("aws/inspector2-scan.ecr-initial-scan.json"), ["account"], {
        set: "555555555555",
      }),
    );

    // Act
    const scan = scanResultOf(event);

    // Assert
    expect(scan).toMatchObject({
      origin: "inspector2",
      repository: "shipline-demo/api",
      registryId: "123456789012",
      status: "INITIAL_SCAN_COMPLETE",
      tags: ["0.9.3-ef288c6"],
    });
  });

  it("refuses an Inspector repository ARN that names no ECR repository", () => {
    // Arrange
    const event = inspector2ScanEvent.parse(readFixture("aws/inspector2-scan.ecr-initial-scan.json"));
    const broken = { ...event, detail: { ...event.detail, "repository-name": "arn:aws:s3:::bucket" } };

    // Act
    const read = () => scanResultOf(broken);

    // Assert
    expect(read).toThrow(expect.objectContaining({ code: "EVENT_INVALID", retryable: false }));
  });
});
