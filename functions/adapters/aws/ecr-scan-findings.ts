import { type ECRClient, paginateDescribeImageScanFindings } from "@aws-sdk/client-ecr";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { ScanFindingsQuery, ScanFindingsSource } from "../../core/ports/scan-findings-source.js";
import { mapEcrScanFindings } from "../../core/scan/ecr-scan-findings.js";
import type { Finding } from "../../core/scan/finding.js";

/** Options of {@link EcrScanFindings}. */
export interface EcrScanFindingsOptions {
  readonly client: ECRClient;
  /** Findings per DescribeImageScanFindings page, 1..1000. @default 1000 */
  readonly pageSize?: number;
}

/** ECR errors that mean the findings cannot be had by trying again. */
const PERMANENT = new Set([
  "ImageNotFoundException",
  "RepositoryNotFoundException",
  "AccessDeniedException",
  "InvalidParameterException",
  "ValidationException",
]);

const awsError = z.object({
  name: z.string(),
  message: z.string().optional(),
  $fault: z.string().optional(),
});

/**
 * The {@link ScanFindingsSource} of ECR basic scanning: every page of DescribeImageScanFindings for
 * the image's digest (the SDK's paginator), basic findings and, for a registry with enhanced
 * scanning, the Inspector findings ECR returns with them. `ScanNotFoundException` right after a
 * scan event and throttling are retryable; a missing image or repository, or missing permission,
 * is not.
 *
 * @example
 * ```ts
 * const source = new EcrScanFindings({ client: new ECRClient({}) });
 * const findings = await source.findings({ repository: "demo", digest: "sha256:..." });
 * ```
 */
export class EcrScanFindings implements ScanFindingsSource {
  readonly scanner = "ecr-basic";
  readonly #client: ECRClient;
  readonly #pageSize: number;

  constructor(options: EcrScanFindingsOptions) {
    this.#client = options.client;
    this.#pageSize = options.pageSize ?? 1000;
  }

  /** Reads every page of the image's findings. */
  async findings(query: ScanFindingsQuery): Promise<Finding[]> {
    const findings: Finding[] = [];
    const pages = paginateDescribeImageScanFindings(
      { client: this.#client, pageSize: this.#pageSize },
      {
        repositoryName: query.repository,
        imageId: { imageDigest: query.digest },
        ...(query.registryId === undefined ? {} : { registryId: query.registryId }),
      },
    );
    try {
      for await (const page of pages) findings.push(...mapEcrScanFindings(page));
    } catch (error) {
      throw findingsError(error, query);
    }
    return findings;
  }
}

function findingsError(error: unknown, query: ScanFindingsQuery): ShiplineError {
  const image = `${query.repository}@${query.digest}`;
  if (error instanceof z.ZodError) {
    return new ShiplineError({
      code: "SCAN_FINDINGS_INVALID",
      message: `DescribeImageScanFindings for ${image} returned findings Shipline cannot read: ${error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
      data: { repository: query.repository, digest: query.digest },
      retryable: false,
      cause: error,
    });
  }
  const facts = awsError.safeParse(error);
  const name = facts.success ? facts.data.name : "UnknownError";
  const permanent = PERMANENT.has(name);
  return new ShiplineError({
    code: "SCAN_FINDINGS_UNAVAILABLE",
    message: `DescribeImageScanFindings for ${image} failed with ${name}${facts.success && facts.data.message ? `: ${facts.data.message}` : ""}; ${
      permanent
        ? "check that the image exists and that the function may call ecr:DescribeImageScanFindings on its repository"
        : "the invocation is retried"
    }`,
    data: { repository: query.repository, digest: query.digest, errorName: name },
    retryable: !permanent,
    cause: error,
  });
}
