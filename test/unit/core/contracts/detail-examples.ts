import type { DetailTypeName } from "../../../../functions/core/contracts/detail-type.js";
import type { DetailInput } from "../../../../functions/core/contracts/event-catalog.js";

/** A source commit (the head of the CodeCommit sample push). */
export const SOURCE_COMMIT = "f485fcc95a795517f279d0a877227e51208b0dfc";

/** The commit before it. */
export const PREVIOUS_COMMIT = "a399698fbd740af9c78fb2dd7f667656b70646b6";

/** A config-repo commit. */
export const CONFIG_COMMIT = "3b18e512dba79e4c8300dd08aeb37f8e728b8dad";

/** An image digest (from the ECR scan sample). */
export const IMAGE_DIGEST = "sha256:d4a96ee9443e641fc100e763a0c10928720b50c6e3ea3342d05d7c3435fc5355";

const base = { app: "web", commit: SOURCE_COMMIT, correlationId: "push-7a1c2f" } as const;
const image = {
  repository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web",
  tag: "1.4.0-f485fcc",
  digest: IMAGE_DIGEST,
};

/**
 * One valid detail of every Shipline detail type, without `schemaVersion` (the contract defaults
 * it). The mapped type makes the compiler insist on all of them.
 */
export const DETAIL_EXAMPLES: { readonly [K in DetailTypeName]: DetailInput<K> } = {
  "Commit Pushed": {
    app: null,
    commit: SOURCE_COMMIT,
    correlationId: "push-7a1c2f",
    provider: "github",
    repository: { name: "web", fullName: "acme/web", url: "https://github.com/acme/web.git" },
    ref: "refs/heads/main",
    refType: "branch",
    refName: "main",
    before: PREVIOUS_COMMIT,
    after: SOURCE_COMMIT,
    commits: [
      { id: SOURCE_COMMIT, message: "Serve /healthz", added: ["src/health.ts"], modified: ["src/app.ts"] },
    ],
    pusher: { name: "octocat", email: "octocat@example.com" },
    deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
  },
  "Build Started": {
    ...base,
    buildId: "web-build:8745a7a9-c340-456a-9166-edf953571bef",
    projectName: "web-build",
    imageRepository: image.repository,
    imageTag: image.tag,
    deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
  },
  "Build Succeeded": {
    ...base,
    buildId: "web-build:8745a7a9-c340-456a-9166-edf953571bef",
    projectName: "web-build",
    imageTag: image.tag,
    durationSeconds: 117,
  },
  "Build Failed": {
    ...base,
    buildId: "web-build:8745a7a9-c340-456a-9166-edf953571bef",
    projectName: "web-build",
    status: "FAILED",
    failedPhase: "BUILD",
    reason: "npm test exited with code 1",
  },
  "Chart Pushed": {
    ...base,
    repository: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web-chart",
    name: "web-chart",
    version: image.tag,
    digest: `sha256:${"c".repeat(64)}`,
    buildId: "web-build:8745a7a9-c340-456a-9166-edf953571bef",
  },
  "Image Pushed": { ...base, ...image, commitFrom: "tag-template" },
  "Image Refused": {
    ...base,
    ...image,
    commitFrom: "revision-label",
    rule: "branches",
    reason:
      "commit 3f2a1b9 is on branch feature/login only, which accept.branches (main, release/*) does not allow",
  },
  "Image Approved": {
    ...base,
    ...image,
    scanner: "ecr-basic",
    counts: { MEDIUM: 3, LOW: 1 },
    reason: "no finding at or above HIGH",
  },
  "Image Rejected": {
    ...base,
    ...image,
    scanner: "inspector2",
    counts: { CRITICAL: 1 },
    blocking: [{ id: "CVE-2024-3094", severity: "CRITICAL", package: "xz-utils", installedVersion: "5.6.0" }],
    reason: "1 CRITICAL finding at or above HIGH",
  },
  "Promotion Approved": {
    ...base,
    environment: "production",
    digest: IMAGE_DIGEST,
    approvedBy: "release-manager",
  },
  "Config Committed": {
    ...base,
    environment: "staging",
    configRepo: "acme/deploy",
    branch: "main",
    configCommit: CONFIG_COMMIT,
    files: ["apps/web/staging/values.yaml"],
    tag: image.tag,
    digest: IMAGE_DIGEST,
    intentId: "web-staging-f485fcc",
  },
  "Pull Request Opened": {
    ...base,
    environment: "production",
    configRepo: "acme/deploy",
    url: "https://github.com/acme/deploy/pull/42",
    number: 42,
    branch: "shipline/web-production-f485fcc",
    headCommit: CONFIG_COMMIT,
    digest: IMAGE_DIGEST,
    intentId: "web-production-f485fcc",
  },
  "Sync Requested": {
    ...base,
    environment: "staging",
    cluster: "eu-staging",
    application: "web-staging",
    revision: CONFIG_COMMIT,
    deadline: "2026-03-01T12:10:00.000Z",
  },
  "Deployment Verified": {
    ...base,
    environment: "staging",
    cluster: "eu-staging",
    application: "web-staging",
    revision: CONFIG_COMMIT,
    syncStatus: "Synced",
    health: "Healthy",
  },
  "Deployment Failed": {
    ...base,
    environment: "staging",
    cluster: "eu-staging",
    application: "web-staging",
    revision: CONFIG_COMMIT,
    reason: "Deployment web is Degraded: readiness probe failed",
    health: "Degraded",
    resources: [{ kind: "Deployment", name: "web", namespace: "web", health: "Degraded" }],
  },
  "Rollback Committed": {
    ...base,
    environment: "staging",
    configRepo: "acme/deploy",
    revertedCommit: CONFIG_COMMIT,
    configCommit: "9fceb02d0ae598e95dc970b74767f19372d61af8",
    reason: "Deployment Failed: readiness probe failed",
  },
  "Hold Placed": {
    ...base,
    environment: "staging",
    reason: "rolled back after Deployment Failed",
    placedBy: "rollback",
    digest: IMAGE_DIGEST,
  },
  "Hold Released": { ...base, environment: "staging", releasedBy: "ops@example.com" },
  "Promotion Waiting": {
    ...base,
    environment: "production",
    digest: `sha256:${"d".repeat(64)}`,
    tag: "1.4.0-f485fcc",
    waitingFor: "approval",
    reason: "production asks for manual approval",
    command: "shipline approve web production sha256:dddddddddddd",
  },
  "Promotion Refused": {
    ...base,
    environment: "production",
    digest: `sha256:${"d".repeat(64)}`,
    tag: "1.4.0-f485fcc",
    refusal: "would-downgrade",
    reason: "1.4.0-f485fcc would downgrade production: production runs a newer commit",
  },
  "Step Failed": {
    ...base,
    step: "start-build",
    code: "CONFIG_INVALID",
    reason: "apps[0].tag: '{latest}' is not a known placeholder",
    failedEventId: "e0e9c40b-5720-143c-4667-fb67ef65a366",
    failedDetailType: "Commit Pushed",
  },
};
