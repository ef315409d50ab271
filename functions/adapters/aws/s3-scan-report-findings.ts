import * as z from "zod";
import { formatIssues } from "../../core/contracts/format-issues.js";
import { registryScanReportKey } from "../../core/contracts/registry/registry-scan-report-key.js";
import { ShiplineError } from "../../core/errors/shipline-error.js";
import type { ScanFindingsQuery, ScanFindingsSource } from "../../core/ports/scan-findings-source.js";
import type { Finding } from "../../core/scan/finding.js";
import { mapScannerReport } from "../../core/scan/scanner-report.js";
import { type AwsCredentials, encodeS3Key, signS3Get } from "./sign-s3-get.js";

/** Options of {@link S3ScanReportFindings}. */
export interface S3ScanReportFindingsOptions {
  /** The scan reports' bucket as its regional endpoint, e.g. `reports.s3.eu-west-1.amazonaws.com`. */
  readonly bucketHost: string;
  /** The bucket's region. */
  readonly region: string;
  /** The function's credentials (an SDK client's `config.credentials`). */
  readonly credentials: () => Promise<AwsCredentials>;
  /** @default globalThis.fetch */
  readonly fetch?: typeof fetch;
  /** @default () => new Date() */
  readonly now?: () => Date;
  /** How long the read may take. @default 10000 */
  readonly timeoutMs?: number;
}

/** S3's error codes that mean the report cannot be had by trying again. */
const PERMANENT = new Set(["NoSuchKey", "NoSuchBucket", "AccessDenied", "InvalidObjectState"]);

/**
 * The {@link ScanFindingsSource} of the scan job of registries of kind oci: the JSON report it
 * stored for the image (`scans/<registry>/<repository>/<digest>.json`, see
 * `registryScanReportKey`), read with one signed S3 GetObject and mapped with the same Trivy and
 * Grype mapping the local scanner uses. The S3 client of the AWS SDK would add about 150 KB to the
 * scan gate's bundle for this one call,, so the one request is signed with the SDK's signer (`signS3Get`).
 * A missing report or bucket, a denied read and a report that does not parse are permanent
 * (`SCAN_FINDINGS_UNAVAILABLE`, `SCAN_FINDINGS_INVALID`): the image is left to its scan timeout;
 * throttling, S3's own faults and network failures are retried.
 *
 * @example
 * ```ts
 * const source = new S3ScanReportFindings({ bucketHost, region: "eu-west-1", credentials: client.config.credentials });
 * const findings = await source.findings({ repository: "acme/api", digest, registryId: "ghcr.io", scanner: "trivy" });
 * ```
 */
export class S3ScanReportFindings implements ScanFindingsSource {
  readonly scanner = "trivy";
  readonly #options: S3ScanReportFindingsOptions;

  constructor(options: S3ScanReportFindingsOptions) {
    this.#options = options;
  }

  /** Reads the image's report and maps its findings. */
  async findings(query: ScanFindingsQuery): Promise<Finding[]> {
    const scanner = query.scanner ?? this.scanner;
    const image = `${query.repository}@${query.digest}`;
    if (query.registryId === undefined || query.registryId === "") {
      throw new ShiplineError({
        code: "SCAN_FINDINGS_UNAVAILABLE",
        message: `the scan of ${image} names no registry, so its report cannot be found; the scan job names the registry's host in Registry Scan Completed`,
        data: { repository: query.repository, digest: query.digest },
        retryable: false,
      });
    }
    const key = registryScanReportKey({ ...query, registry: query.registryId });
    const body = await this.#read(key, query);
    try {
      return mapScannerReport(scanner, JSON.parse(body));
    } catch (error) {
      const problems =
        error instanceof z.ZodError
          ? formatIssues(error.issues).join("; ")
          : error instanceof Error
            ? error.message
            : String(error);
      throw new ShiplineError({
        code: "SCAN_FINDINGS_INVALID",
        message: `the report of ${image} (${key}) is not a ${scanner} JSON report: ${problems}; the scan job must upload '${scanner === "trivy" ? "trivy image --format json" : "grype -o json"}' output`,
        data: { repository: query.repository, digest: query.digest, key, scanner },
        retryable: false,
        cause: error,
      });
    }
  }

  async #read(key: string, query: ScanFindingsQuery): Promise<string> {
    const { bucketHost, region } = this.#options;
    const path = `/${encodeS3Key(key)}`;
    const where = { repository: query.repository, digest: query.digest, bucket: bucketHost, key };
    let response: Response;
    try {
      const headers = await signS3Get({
        host: bucketHost,
        path,
        region,
        credentials: await this.#options.credentials(),
        now: (this.#options.now ?? (() => new Date()))(),
      });
      response = await (this.#options.fetch ?? fetch)(`https://${bucketHost}${path}`, {
        headers,
        signal: AbortSignal.timeout(this.#options.timeoutMs ?? 10_000),
      });
    } catch (error) {
      throw new ShiplineError({
        code: "SCAN_FINDINGS_UNAVAILABLE",
        message: `reading the scan report ${key} of ${query.repository}@${query.digest} from ${bucketHost} failed (${error instanceof Error ? error.message : String(error)}); the invocation is retried`,
        data: where,
        retryable: true,
        cause: error,
      });
    }
    const text = await response.text();
    if (response.ok) return text;
    const code = /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ?? `HTTP ${response.status}`;
    const permanent = PERMANENT.has(code) || response.status === 403 || response.status === 404;
    throw new ShiplineError({
      code: "SCAN_FINDINGS_UNAVAILABLE",
      message: `reading the scan report ${key} of ${query.repository}@${query.digest} from ${bucketHost} failed with ${code} (${response.status}); ${
        permanent
          ? "check that the scan job uploaded it and that the scan gate may s3:GetObject in the scan reports' bucket"
          : "the invocation is retried"
      }`,
      data: { ...where, status: response.status, errorCode: code },
      retryable: !permanent,
    });
  }
}
