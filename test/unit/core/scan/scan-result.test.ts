import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ecrImageScanEvent } from "../../../../functions/core/contracts/aws/ecr-image-scan.js";
import { inspector2ScanEvent } from "../../../../functions/core/contracts/aws/inspector2-scan.js";
import { scanResultOf } from "../../../../functions/core/scan/scan-result.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");
const fixtures = path.resolve(repoRoot, "../shared/fixtures/aws");

async function fixture(name: string): Promise<unknown> {
  return JSON.parse(await readFile(path.join(fixtures, name), "utf8"));
}

describe("scanResultOf", () => {
  it("reads the real ECR Image Scan sample", async () => {
    // Arrange
    const event = ecrImageScanEvent.parse(await fixture("ecr-image-scan.complete.aws-lambda-go.json"));

    // Act
    const scan = scanResultOf(event);

    // Assert
    expect(scan).toEqual({
      origin: "ecr",
      repository: "tribble-image-scan-test",
      digest: "sha256:d4a96ee9443e641fc100e763a0c10928720b50c6e3ea3342d05d7c3435fc5355",
      tags: ["1572471135"],
      status: "COMPLETE",
      registryId: "123456789012",
      time: "2019-10-30T21:32:27Z",
    });
  });

  it("takes the repository name and account from the ARN of the real Inspector2 Scan sample", async () => {
    // Arrange
    const event = inspector2ScanEvent.parse(
      await fixture("inspector2-scan.initial-scan-complete.awsdocs-ecr.json"),
    );

    // Act
    const scan = scanResultOf(event);

    // Assert
    expect(scan).toMatchObject({
      origin: "inspector2",
      repository: "amazon/amazon-ecs-sample",
      registryId: "123456789012",
      status: "INITIAL_SCAN_COMPLETE",
      tags: ["latest"],
    });
  });

  it("refuses an Inspector repository ARN that names no ECR repository", async () => {
    // Arrange
    const event = inspector2ScanEvent.parse(
      await fixture("inspector2-scan.initial-scan-complete.awsdocs-ecr.json"),
    );
    const broken = { ...event, detail: { ...event.detail, "repository-name": "arn:aws:s3:::bucket" } };

    // Act
    const read = () => scanResultOf(broken);

    // Assert
    expect(read).toThrow(expect.objectContaining({ code: "EVENT_INVALID", retryable: false }));
  });
});
