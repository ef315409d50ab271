import { type Inspector2Client, paginateListFindings } from "@aws-sdk/client-inspector2";
import * as z from "zod";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { ScanFindingsQuery, ScanFindingsSource } from "../../core/ports/scan-findings-source.js";
import type { Finding } from "../../core/scan/finding.js";
import { mapInspectorFindings } from "../../core/scan/inspector-findings.js";

/** Options of {@link Inspector2Findings}. */
export interface Inspector2FindingsOptions {
  readonly client: Inspector2Client;
  /** Findings per ListFindings page, 1..100. @default 100 */
  readonly pageSize?: number;
}

/** Inspector errors that mean the findings cannot be had by trying again. */
const PERMANENT = new Set(["AccessDeniedException", "ValidationException", "BadRequestException"]);

const awsError = z.object({ name: z.string(), message: z.string().optional() });

/**
 * The {@link ScanFindingsSource} of Inspector's enhanced scanning: every page of ListFindings
 * filtered to the image (`ecrImageHash` equals the digest, `ecrImageRepositoryName` the
 * repository, the registry's account when known) and to active findings.
 *
 * @example
 * ```ts
 * const source = new Inspector2Findings({ client: new Inspector2Client({}) });
 * const findings = await source.findings({ repository: "demo", digest: "sha256:...", registryId: "123456789012" });
 * ```
 */
export class Inspector2Findings implements ScanFindingsSource {
  readonly scanner = "inspector2";
  readonly #client: Inspector2Client;
  readonly #pageSize: number;

  constructor(options: Inspector2FindingsOptions) {
    this.#client = options.client;
    this.#pageSize = options.pageSize ?? 100;
  }

  /** Reads every page of the image's active findings. */
  async findings(query: ScanFindingsQuery): Promise<Finding[]> {
    const equals = (value: string) => [{ comparison: "EQUALS" as const, value }];
    const pages = paginateListFindings(
      { client: this.#client, pageSize: this.#pageSize },
      {
        filterCriteria: {
          ecrImageHash: equals(query.digest),
          ecrImageRepositoryName: equals(query.repository),
          findingStatus: equals("ACTIVE"),
          ...(query.registryId === undefined ? {} : { awsAccountId: equals(query.registryId) }),
        },
      },
    );
    const findings: Finding[] = [];
    try {
      for await (const page of pages) findings.push(...mapInspectorFindings(page.findings ?? []));
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
      message: `Inspector2 ListFindings for ${image} returned findings Shipline cannot read: ${error.issues.map((issue) => `${issue.path.join(".")}: ${issue.message}`).join("; ")}`,
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
    message: `Inspector2 ListFindings for ${image} failed with ${name}${facts.success && facts.data.message ? `: ${facts.data.message}` : ""}; ${
      permanent ? "check that the function may call inspector2:ListFindings" : "the invocation is retried"
    }`,
    data: { repository: query.repository, digest: query.digest, errorName: name },
    retryable: !permanent,
    cause: error,
  });
}
