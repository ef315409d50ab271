import { DescribeImageScanFindingsCommand, ECRClient } from "@aws-sdk/client-ecr";
import { Inspector2Client, ListFindingsCommand } from "@aws-sdk/client-inspector2";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { EcrScanFindings } from "../../../../functions/adapters/aws/ecr-scan-findings.js";
import { Inspector2Findings } from "../../../../functions/adapters/aws/inspector2-findings.js";
import { ecrBasicPage, inspectorFinding } from "../../core/scan/scan-responses.js";

const DIGEST = "sha256:d4a96ee9443e641fc100e763a0c10928720b50c6e3ea3342d05d7c3435fc5355";
const ecr = mockClient(ECRClient);
const inspector = mockClient(Inspector2Client);

afterEach(() => {
  ecr.reset();
  inspector.reset();
});

function awsError(name: string): Error {
  return Object.assign(new Error(`${name} happened`), { name, $fault: "client" });
}

describe("EcrScanFindings", () => {
  it("reads every page of DescribeImageScanFindings for the image's digest", async () => {
    // Arrange
    ecr
      .on(DescribeImageScanFindingsCommand)
      .resolvesOnce(ecrBasicPage({ nextToken: "page-2", names: ["CVE-2019-5188"] }))
      .resolvesOnce(ecrBasicPage({ names: ["CVE-2019-5094"] }));
    const source = new EcrScanFindings({ client: new ECRClient({ region: "eu-west-1" }) });

    // Act
    const findings = await source.findings({
      repository: "demo",
      digest: DIGEST,
      registryId: "123456789012",
    });

    // Assert
    expect(findings.map((finding) => finding.id)).toEqual(["CVE-2019-5188", "CVE-2019-5094"]);
    const calls = ecr.commandCalls(DescribeImageScanFindingsCommand).map((call) => call.args[0].input);
    // The SDK's paginator reuses one input object, so the first call shows the last page's token.
    expect(calls).toHaveLength(2);
    expect(calls[1]).toEqual({
      repositoryName: "demo",
      imageId: { imageDigest: DIGEST },
      registryId: "123456789012",
      maxResults: 1000,
      nextToken: "page-2",
    });
    expect(source.scanner).toBe("ecr-basic");
  });

  it("fails permanently when the image is gone", async () => {
    // Arrange
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError("ImageNotFoundException"));
    const source = new EcrScanFindings({ client: new ECRClient({ region: "eu-west-1" }) });

    // Act
    const read = source.findings({ repository: "demo", digest: DIGEST });

    // Assert
    await expect(read).rejects.toMatchObject({
      code: "SCAN_FINDINGS_UNAVAILABLE",
      retryable: false,
      message: expect.stringMatching(/demo@sha256:.*ImageNotFoundException/),
    });
  });

  it("asks for a retry when the findings are not there yet or ECR throttles", async () => {
    // Arrange
    ecr.on(DescribeImageScanFindingsCommand).rejects(awsError("ScanNotFoundException"));
    const source = new EcrScanFindings({ client: new ECRClient({ region: "eu-west-1" }) });

    // Act
    const read = source.findings({ repository: "demo", digest: DIGEST });

    // Assert
    await expect(read).rejects.toMatchObject({ code: "SCAN_FINDINGS_UNAVAILABLE", retryable: true });
  });
});

describe("Inspector2Findings", () => {
  it("lists the image's active findings by digest and repository, page by page", async () => {
    // Arrange
    inspector
      .on(ListFindingsCommand)
      .resolvesOnce({ findings: [inspectorFinding({ id: "CVE-2019-17498" })], nextToken: "next" })
      .resolvesOnce({
        findings: [inspectorFinding({ id: "CVE-2020-1", severity: "HIGH", fixedInVersion: "1.9.0" })],
      });
    const source = new Inspector2Findings({ client: new Inspector2Client({ region: "us-east-2" }) });

    // Act
    const findings = await source.findings({
      repository: "amazon/amazon-ecs-sample",
      digest: DIGEST,
      registryId: "123456789012",
    });

    // Assert
    expect(findings.map((finding) => [finding.id, finding.severity, finding.fixedVersion])).toEqual([
      ["CVE-2019-17498", "MEDIUM", undefined],
      ["CVE-2020-1", "HIGH", "1.9.0"],
    ]);
    const inputs = inspector.commandCalls(ListFindingsCommand).map((call) => call.args[0].input);
    expect(inputs).toHaveLength(2);
    expect(inputs[1]).toEqual({
      maxResults: 100,
      nextToken: "next",
      filterCriteria: {
        ecrImageHash: [{ comparison: "EQUALS", value: DIGEST }],
        ecrImageRepositoryName: [{ comparison: "EQUALS", value: "amazon/amazon-ecs-sample" }],
        findingStatus: [{ comparison: "EQUALS", value: "ACTIVE" }],
        awsAccountId: [{ comparison: "EQUALS", value: "123456789012" }],
      },
    });
  });

  it("fails permanently without permission to list findings", async () => {
    // Arrange
    inspector.on(ListFindingsCommand).rejects(awsError("AccessDeniedException"));
    const source = new Inspector2Findings({ client: new Inspector2Client({ region: "us-east-2" }) });

    // Act
    const read = source.findings({ repository: "demo", digest: DIGEST });

    // Assert
    await expect(read).rejects.toMatchObject({
      code: "SCAN_FINDINGS_UNAVAILABLE",
      retryable: false,
      message: expect.stringMatching(/inspector2:ListFindings/),
    });
  });
});
