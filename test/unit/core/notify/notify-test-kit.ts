import { parseDetail } from "../../../../functions/core/contracts/parse-detail.js";
import type { CommitInfo, ProposalRecord } from "../../../../functions/core/notify/journey-lookup.js";
import type { NotifiedDetailType, TerminalEvent } from "../../../../functions/core/notify/terminal-event.js";
import { DETAIL_EXAMPLES, IMAGE_DIGEST } from "../contracts/detail-examples.js";

export { CONFIG_COMMIT, SOURCE_COMMIT } from "../contracts/detail-examples.js";

/** A terminal event from the contract examples, its detail parsed by the contract (with overrides). */
export function terminalEvent<T extends NotifiedDetailType>(
  detailType: T,
  overrides: Readonly<Record<string, unknown>> = {},
): TerminalEvent {
  const detail = parseDetail(detailType, { ...DETAIL_EXAMPLES[detailType], ...overrides });
  // The detail was parsed by the contract of `detailType`; the union cannot correlate the two on its own.
  return { detailType, detail } as TerminalEvent;
}

/** What the journey of the example commit knows. */
export const COMMIT_INFO: CommitInfo = {
  message: "Serve /healthz\n\nAdds a health endpoint for the readiness probe.",
  author: { name: "Ada Lovelace", email: "ada@example.com" },
  repositoryUrl: "https://github.com/acme/web.git",
  tag: "1.4.0-f485fcc",
  previousTag: "1.3.2-a399698",
  buildLogUrl: "https://console.aws.amazon.com/codesuite/codebuild/projects/web-build/build/1",
};

/** The links every test gives. */
export const LINKS = {
  configRepoUrl: "https://github.com/acme/deploy.git",
  argoCdUrl: "https://argocd.example.com/",
  timelineUrl: "http://127.0.0.1:4000",
} as const;

/** The pull request of the `Pull Request Opened` example. */
export const PULL_REQUEST_URL = "https://github.com/acme/deploy/pull/42";

/** A proposal of the example's image in the example's pull request, as the journey records it. */
export function proposal(overrides: Partial<ProposalRecord> = {}): ProposalRecord {
  return {
    environment: "production",
    url: PULL_REQUEST_URL,
    digest: IMAGE_DIGEST,
    eventId: "opened-1",
    at: "2026-03-01T11:00:00Z",
    ...overrides,
  };
}
