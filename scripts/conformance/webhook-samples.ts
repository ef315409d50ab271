import { createHmac } from "node:crypto";
import path from "node:path";
import { describeAnnouncedImage } from "../../functions/core/webhook/announced-image.js";
import { classifyHarborWebhook } from "../../functions/core/webhook/classify-harbor-webhook.js";
import { classifyWebhook } from "../../functions/core/webhook/classify-webhook.js";
import type { WebhookClassification } from "../../functions/core/webhook/webhook-classification.js";
import { knownGapOf } from "./known-gaps.js";
import { checked, differences, knownGap, mismatch, type Outcome, ok } from "./outcome.js";
import type { SampleStore } from "./sample-store.js";
import { type ExpectedPush, expectedHandling, type Host } from "./webhook-oracle.js";

const SECRET = "conformance-webhook-secret";
const NOW = new Date("2026-03-01T12:00:00Z");

/** Which host sent a sample and under which event header, read from its file name. */
const HOSTS: readonly { readonly prefix: string; readonly host: Host; readonly event: string }[] = [
  { prefix: "github-push.", host: "github", event: "push" },
  { prefix: "github-ping.", host: "github", event: "ping" },
  { prefix: "github-create.", host: "github", event: "create" },
  { prefix: "github-delete.", host: "github", event: "delete" },
  { prefix: "gitlab-push-hook.", host: "gitlab", event: "Push Hook" },
  { prefix: "gitlab-tag-push-hook.", host: "gitlab", event: "Tag Push Hook" },
  { prefix: "bitbucket-cloud-repo-push.", host: "bitbucket-cloud", event: "repo:push" },
  { prefix: "bitbucket-server-refs-changed.", host: "bitbucket-server", event: "repo:refs_changed" },
  { prefix: "gitea-push.", host: "gitea", event: "push" },
  { prefix: "gitea-create.", host: "gitea", event: "create" },
];

/**
 * Classifies every real webhook delivery with Shipline's `classifyWebhook`, signed as its host
 * signs, and compares the outcome with what the host's documentation says the delivery means.
 */
export async function checkWebhookSamples(samples: SampleStore): Promise<Outcome[]> {
  const outcomes: Outcome[] = [];
  for (const { prefix, host, event } of HOSTS) {
    for (const name of samples.named(prefix)) {
      outcomes.push(await checked(name, () => checkDelivery(name, samples.bytes(name), host, event)));
    }
  }
  for (const name of samples.named("harbor-")) {
    outcomes.push(await checked(name, () => checkHarborNotification(name, samples.bytes(name))));
  }
  return outcomes;
}

/** A Harbor notification: a push or a finished scan is published per artifact, any other type ignored. */
function checkHarborNotification(name: string, body: Buffer): Outcome {
  const type = String(JSON.parse(body.toString("utf8")).type);
  const expected = type === "PUSH_ARTIFACT" || type === "SCANNING_COMPLETED" ? "events" : "ignored";
  const actual = classifyHarborWebhook({
    headers: { "content-type": "application/json", authorization: SECRET },
    rawBody: body,
    secrets: [SECRET],
    maxBodyBytes: 10_000_000,
  });
  const said =
    actual.kind === "events"
      ? `${actual.events.length} ${actual.events[0].detailType}`
      : `${actual.kind}: ${actual.reason}`;
  return actual.kind === expected
    ? ok(name, said)
    : mismatch(name, `Harbor ${type} should be ${expected}; Shipline: ${said}`);
}

function checkDelivery(name: string, body: Buffer, host: Host, event: string): Outcome {
  const expected = expectedHandling(host, event, JSON.parse(body.toString("utf8")));
  const actual = classifyWebhook({
    headers: headersOf(host, event, body),
    rawBody: body,
    secret: SECRET,
    now: NOW,
    maxBodyBytes: 10_000_000,
  });
  const problems = problemsOf(expected, actual);
  const gap = knownGapOf(path.basename(name));
  if (problems.length === 0) {
    return ok(name, `${describe(actual)}${gap === undefined ? "" : ` (as expected; though ${gap.area})`}`);
  }
  const what = `${expected.summary}; Shipline: ${describe(actual)} (${problems.join("; ")})`;
  return gap === undefined ? mismatch(name, what) : knownGap(name, gap.area, what);
}

function problemsOf(expected: ReturnType<typeof expectedHandling>, actual: WebhookClassification): string[] {
  if (expected.kind !== actual.kind) return [`expected ${expected.kind}, got ${actual.kind}`];
  if (expected.kind !== "push" || actual.kind !== "push") return [];
  if (actual.details.length !== expected.pushes.length) {
    return [`expected ${expected.pushes.length} Commit Pushed, got ${actual.details.length}`];
  }
  return expected.pushes.flatMap((push: ExpectedPush, index) => {
    const detail = actual.details[index];
    if (detail === undefined) return [`no Commit Pushed #${index + 1}`];
    return differences(push, {
      refType: detail.refType,
      refName: detail.refName,
      commit: detail.commit,
      repository: detail.repository.fullName,
      ...(push.commitsTruncated === undefined ? {} : { commitsTruncated: detail.commitsTruncated }),
    });
  });
}

function describe(result: WebhookClassification): string {
  switch (result.kind) {
    case "push":
      return `push: ${result.details
        .map(
          (detail) =>
            `${detail.refType} ${detail.refName} @ ${detail.commit.slice(0, 7)} of ${detail.repository.fullName}`,
        )
        .join(", ")}${result.skipped.length > 0 ? ` (skipped: ${result.skipped.join("; ")})` : ""}`;
    case "ping":
      return "ping, answered 200";
    case "image":
      return `image: ${describeAnnouncedImage(result.image)} (${result.image.announcedBy})`;
    case "ignored":
      return `ignored: ${result.reason}`;
    case "rejected":
      return `rejected ${result.status}: ${result.reason}`;
  }
}

/** The headers each host sends with a delivery, signed with the conformance secret. */
function headersOf(host: Host, event: string, body: Buffer): Record<string, string> {
  const hex = createHmac("sha256", SECRET).update(body).digest("hex");
  const json = { "content-type": "application/json" };
  switch (host) {
    case "github":
      return {
        ...json,
        "x-github-event": event,
        "x-github-delivery": "5d1d6b1e-0000-4000-8000-000000000001",
        "x-hub-signature-256": `sha256=${hex}`,
      };
    case "gitlab":
      return {
        ...json,
        "x-gitlab-event": event,
        "x-gitlab-token": SECRET,
        "x-gitlab-event-uuid": "conformance-1",
      };
    case "bitbucket-cloud":
      return {
        ...json,
        "x-event-key": event,
        "x-request-uuid": "conformance-1",
        "x-hub-signature": `sha256=${hex}`,
      };
    case "bitbucket-server":
      return {
        ...json,
        "x-event-key": event,
        "x-request-id": "conformance-1",
        "x-hub-signature": `sha256=${hex}`,
      };
    case "gitea":
      return {
        ...json,
        "x-gitea-event": event,
        "x-gitea-delivery": "conformance-1",
        "x-gitea-signature": hex,
      };
  }
}
