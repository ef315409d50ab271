import type { HarborWebhookPayload } from "../../core/webhook/harbor-webhook-payload.js";

/** The report type Harbor's scan overview and vulnerability report are keyed by. */
export const HARBOR_VULNERABILITY_REPORT = "application/vnd.security.vulnerability.report; version=1.1";

/** An artifact of the embedded registry, as a Harbor notification names it. */
export interface HarborArtifactNotice {
  /** The registry's host (`127.0.0.1:<port>`), the host of every `resource_url`. */
  readonly host: string;
  /** The repository's name in the registry: `<project>/<repository>` (a bare name is in project `library`). */
  readonly repository: string;
  readonly digest: string;
  readonly tag?: string;
  /** When it happened. */
  readonly at: Date;
  /** Who did it. @default "shipline-local" */
  readonly operator?: string;
}

/**
 * Harbor's `PUSH_ARTIFACT` notification (Default payload format) of an artifact of the embedded
 * registry, as Harbor's documentation shapes it.
 *
 * @example
 * ```ts
 * const payload = harborPushPayload({ host: registry.host, repository: "library/demo", digest, tag: "1.0.0-0123456", at: new Date() });
 * ```
 */
export function harborPushPayload(notice: HarborArtifactNotice): HarborWebhookPayload {
  return {
    type: "PUSH_ARTIFACT",
    occur_at: Math.floor(notice.at.getTime() / 1000),
    operator: notice.operator ?? "shipline-local",
    event_data: {
      resources: [resourceOf(notice)],
      repository: repositoryOf(notice),
    },
  };
}

/**
 * Harbor's `SCANNING_COMPLETED` notification of an artifact of the embedded registry: its scan
 * overview says how the scan ended (`Success` or `Error`) and counts the findings per severity.
 *
 * @example
 * ```ts
 * const payload = harborScanPayload({ ...notice, status: "Success", counts: { High: 1 } });
 * ```
 */
export function harborScanPayload(
  notice: HarborArtifactNotice & {
    readonly status: "Success" | "Error";
    /** Findings per Harbor severity (`Critical`, `High`, ...). */
    readonly counts: Readonly<Record<string, number>>;
  },
): HarborWebhookPayload {
  const total = Object.values(notice.counts).reduce((sum, count) => sum + count, 0);
  return {
    type: "SCANNING_COMPLETED",
    occur_at: Math.floor(notice.at.getTime() / 1000),
    operator: notice.operator ?? "auto",
    event_data: {
      resources: [
        {
          ...resourceOf(notice),
          scan_overview: {
            [HARBOR_VULNERABILITY_REPORT]: {
              scan_status: notice.status,
              severity: severestOf(notice.counts),
              scanner: { name: "shipline-local", vendor: "Shipline" },
              summary: { total, summary: { ...notice.counts } },
            },
          },
        },
      ],
      repository: repositoryOf(notice),
    },
  };
}

function resourceOf(notice: HarborArtifactNotice) {
  const reference = notice.tag ? `:${notice.tag}` : `@${notice.digest}`;
  return {
    digest: notice.digest,
    ...(notice.tag ? { tag: notice.tag } : {}),
    resource_url: `${notice.host}/${notice.repository}${reference}`,
  };
}

function repositoryOf(notice: HarborArtifactNotice) {
  const slash = notice.repository.indexOf("/");
  return {
    date_created: Math.floor(notice.at.getTime() / 1000),
    namespace: slash < 0 ? "library" : notice.repository.slice(0, slash),
    name: slash < 0 ? notice.repository : notice.repository.slice(slash + 1),
    repo_full_name: notice.repository,
    repo_type: "private",
  };
}

const ORDER = ["Critical", "High", "Medium", "Low", "Negligible", "Unknown"];

function severestOf(counts: Readonly<Record<string, number>>): string {
  return ORDER.find((severity) => (counts[severity] ?? 0) > 0) ?? "None";
}
