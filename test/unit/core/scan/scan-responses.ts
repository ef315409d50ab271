import type { DescribeImageScanFindingsCommandOutput } from "@aws-sdk/client-ecr";
import type {
  FindingStatus,
  FixAvailable,
  Finding as InspectorFinding,
  Severity,
} from "@aws-sdk/client-inspector2";

/**
 * Response shapes of the AWS APIs the scan gate reads, as the SDK returns them (field names and
 * value styles follow the API reference and real responses).
 */

/** A page of ECR's DescribeImageScanFindings for a basic scan. */
export function ecrBasicPage(
  options: { nextToken?: string; names?: readonly string[] } = {},
): DescribeImageScanFindingsCommandOutput {
  const names = options.names ?? ["CVE-2019-5188", "CVE-2019-5094"];
  return {
    registryId: "123456789012",
    repositoryName: "demo",
    imageId: {
      imageDigest: "sha256:d4a96ee9443e641fc100e763a0c10928720b50c6e3ea3342d05d7c3435fc5355",
      imageTag: "1.0.0-abc1234",
    },
    imageScanStatus: { status: "COMPLETE", description: "The scan was completed successfully." },
    imageScanFindings: {
      imageScanCompletedAt: new Date("2026-03-15T12:00:00Z"),
      vulnerabilitySourceUpdatedAt: new Date("2026-03-15T00:00:00Z"),
      findingSeverityCounts: { HIGH: 1, MEDIUM: 1 },
      findings: names.map((name, index) => ({
        name,
        description:
          index === 0
            ? "A code execution vulnerability exists in the directory rehashing functionality of E2fsprogs e2fsck 1.45.4.\nMore text."
            : "An exploitable code execution vulnerability exists in the quota file functionality.",
        uri: `https://security-tracker.debian.org/tracker/${name}`,
        severity: index === 0 ? "HIGH" : "MEDIUM",
        attributes: [
          { key: "package_version", value: "1.44.5-1+deb10u2" },
          { key: "package_name", value: "e2fsprogs" },
          { key: "CVSS2_VECTOR", value: "AV:L/AC:L/Au:N/C:P/I:P/A:P" },
          { key: "CVSS2_SCORE", value: "4.6" },
        ],
      })),
    },
    ...(options.nextToken === undefined ? {} : { nextToken: options.nextToken }),
    $metadata: { httpStatusCode: 200 },
  };
}

/** An Inspector finding as ListFindings (and ECR's `enhancedFindings`) returns it. */
export function inspectorFinding(
  options: {
    id?: string;
    severity?: Severity;
    fixedInVersion?: string;
    fixAvailable?: FixAvailable;
    status?: FindingStatus;
  } = {},
): InspectorFinding & {
  packageVulnerabilityDetails: NonNullable<InspectorFinding["packageVulnerabilityDetails"]> & {
    vulnerablePackages: NonNullable<
      NonNullable<InspectorFinding["packageVulnerabilityDetails"]>["vulnerablePackages"]
    >;
  };
} {
  const id = options.id ?? "CVE-2019-17498";
  return {
    awsAccountId: "123456789012",
    description:
      "In libssh2 v1.9.0 and earlier versions, the SSH_MSG_DISCONNECT logic in packet.c has an integer overflow.",
    findingArn: `arn:aws:inspector2:us-east-2:123456789012:finding/${id.toLowerCase()}`,
    firstObservedAt: new Date("2021-12-03T18:02:30Z"),
    lastObservedAt: new Date("2021-12-03T18:02:30Z"),
    updatedAt: new Date("2021-12-03T18:02:30Z"),
    inspectorScore: 6.5,
    packageVulnerabilityDetails: {
      cvss: [
        {
          baseScore: 6.5,
          scoringVector: "CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:N/A:N",
          source: "REDHAT_CVE",
          version: "3.0",
        },
      ],
      referenceUrls: ["https://access.redhat.com/errata/RHSA-2020:3915"],
      source: "REDHAT_CVE",
      sourceUrl: `https://access.redhat.com/security/cve/${id}`,
      vendorSeverity: "Moderate",
      vulnerabilityId: id,
      vulnerablePackages: [
        {
          arch: "X86_64",
          epoch: 0,
          name: "libssh2",
          packageManager: "OS",
          release: "12.amzn2.2",
          sourceLayerHash: "sha256:72d97abdfae3b3c933ff41e39779cc72853d7bd9dc1e4800c5294d0000000000",
          version: "1.4.3",
          ...(options.fixedInVersion === undefined ? {} : { fixedInVersion: options.fixedInVersion }),
        },
      ],
    },
    remediation: {
      recommendation: {
        text: "Update all packages in the vulnerable packages section to their latest versions.",
      },
    },
    resources: [
      {
        details: {
          awsEcrContainerImage: {
            architecture: "amd64",
            imageHash: "sha256:36c7b282abd0186e01419f2e58743e1bf635808231049bbc9d77e5000000000a",
            imageTags: ["latest"],
            platform: "AMAZON_LINUX_2",
            registry: "123456789012",
            repositoryName: "amazon/amazon-ecs-sample",
          },
        },
        id: "arn:aws:ecr:us-east-2:123456789012:repository/amazon/amazon-ecs-sample/sha256:36c7b282",
        partition: "aws",
        region: "us-east-2",
        type: "AWS_ECR_CONTAINER_IMAGE",
      },
    ],
    severity: options.severity ?? "MEDIUM",
    status: options.status ?? "ACTIVE",
    title: `${id} - libssh2`,
    type: "PACKAGE_VULNERABILITY",
    ...(options.fixAvailable === undefined ? {} : { fixAvailable: options.fixAvailable }),
    exploitAvailable: "NO",
  };
}
