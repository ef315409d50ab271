import * as z from "zod";
import type { Finding } from "./finding.js";
import { mapInspectorFindings } from "./inspector-findings.js";
import { normaliseSeverity } from "./severity-rank.js";

/** A finding of ECR basic scanning (`imageScanFindings.findings[]`). */
const basicFinding = z.looseObject({
  name: z.string(),
  severity: z.string().optional(),
  description: z.string().optional(),
  attributes: z.array(z.looseObject({ key: z.string(), value: z.string().optional() })).optional(),
});

/**
 * One page of ECR's DescribeImageScanFindings: `imageScanFindings` with the basic `findings` and,
 * for a registry with enhanced scanning, the Inspector `enhancedFindings`.
 */
export const ecrScanFindingsPage = z.looseObject({
  imageScanStatus: z
    .looseObject({ status: z.string().optional(), description: z.string().optional() })
    .optional(),
  imageScanFindings: z
    .looseObject({
      findings: z.array(basicFinding).optional(),
      enhancedFindings: z.array(z.unknown()).optional(),
    })
    .optional(),
});

/** One page of DescribeImageScanFindings (see {@link ecrScanFindingsPage}). */
export type EcrScanFindingsPage = z.infer<typeof ecrScanFindingsPage>;

/**
 * Maps one page of ECR's DescribeImageScanFindings to Shipline's findings. A basic finding's package
 * and version come from its `package_name` and `package_version` attributes (basic scanning names no
 * fixed version); enhanced findings are mapped as Inspector's. Throws zod's error for data that is
 * not such a page.
 *
 * @example
 * ```ts
 * for await (const page of paginateDescribeImageScanFindings({ client }, input)) findings.push(...mapEcrScanFindings(page));
 * ```
 */
export function mapEcrScanFindings(raw: unknown): Finding[] {
  const page = ecrScanFindingsPage.parse(raw);
  const basic = (page.imageScanFindings?.findings ?? []).map((finding): Finding => {
    const attribute = (key: string) => finding.attributes?.find((candidate) => candidate.key === key)?.value;
    const pkg = attribute("package_name");
    const version = attribute("package_version");
    return {
      id: finding.name,
      severity: normaliseSeverity(finding.severity),
      ...(pkg === undefined ? {} : { package: pkg }),
      ...(version === undefined ? {} : { installedVersion: version }),
      ...(finding.description === undefined ? {} : { title: firstLine(finding.description) }),
    };
  });
  return [...basic, ...mapInspectorFindings(page.imageScanFindings?.enhancedFindings ?? [])];
}

function firstLine(text: string): string {
  const line = text.split("\n")[0] ?? "";
  return line.length > 200 ? `${line.slice(0, 199)}…` : line;
}
