import { describe, expect, it } from "vitest";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { normaliseCodeCommitEvent } from "../../../../functions/core/webhook/normalise-code-commit-event.js";
import type { WebhookClassification } from "../../../../functions/core/webhook/webhook-classification.js";
import {
  bitbucketHeaders,
  classify,
  edited,
  giteaHeaders,
  githubHeaders,
  gitlabSigningHeaders,
  gitlabTokenHeaders,
  hexHmac,
  SECRET,
  SIGNING_SECRET,
  webhookFixture,
} from "./webhook-test-kit.js";

const GITHUB = webhookFixture("github-push.branch-update.json");
const PING = webhookFixture("github-ping.json");
const GITLAB = webhookFixture("gitlab-push-hook.branch-push.json");
const BITBUCKET = webhookFixture("bitbucket-repo-push.two-changes.json");
const GITEA = webhookFixture("gitea-push.branch-update.json");

function scenarios(): Array<[string, () => WebhookClassification]> {
  const malformedWithSecret = Buffer.from(`{"note": ${SECRET}}`);
  const withSecretEvent = Buffer.from("{}");
  const deletion = edited(GITHUB, (payload) => {
    payload.after = "0".repeat(40);
  });
  return [
    ["a GitHub push", () => classify(githubHeaders(GITHUB), GITHUB)],
    ["a GitHub ping", () => classify(githubHeaders(PING, "ping"), PING)],
    ["a GitHub branch deletion", () => classify(githubHeaders(deletion), deletion)],
    ["a bad GitHub signature", () => classify(githubHeaders(GITHUB, "push", "wrong"), GITHUB)],
    [
      "a GitHub signature of the wrong form",
      () => classify({ ...githubHeaders(GITHUB), "X-Hub-Signature-256": `sha1=${hexHmac(GITHUB)}` }, GITHUB),
    ],
    ["a GitLab push", () => classify(gitlabTokenHeaders(), GITLAB)],
    ["a wrong GitLab token", () => classify(gitlabTokenHeaders("Push Hook", `${SECRET}x`), GITLAB)],
    [
      "a GitLab token that is a prefix of the secret",
      () => classify(gitlabTokenHeaders("Push Hook", SECRET.slice(0, 12)), GITLAB),
    ],
    [
      "a GitLab signed push",
      () => classify(gitlabSigningHeaders(GITLAB), GITLAB, { secret: SIGNING_SECRET }),
    ],
    [
      "a stale GitLab signature",
      () => classify(gitlabSigningHeaders(GITLAB, { timestamp: 1 }), GITLAB, { secret: SIGNING_SECRET }),
    ],
    ["a Bitbucket push", () => classify(bitbucketHeaders(BITBUCKET), BITBUCKET)],
    [
      "a bad Bitbucket signature",
      () => classify(bitbucketHeaders(BITBUCKET, "repo:push", "wrong"), BITBUCKET),
    ],
    ["a Gitea push", () => classify(giteaHeaders(GITEA), GITEA)],
    ["a bad Gitea signature", () => classify(giteaHeaders(GITEA, { secret: "wrong" }), GITEA)],
    [
      "malformed JSON that quotes the secret",
      () => classify(githubHeaders(malformedWithSecret), malformedWithSecret),
    ],
    [
      "an event named after the secret",
      () => classify(githubHeaders(withSecretEvent, SECRET), withSecretEvent),
    ],
    [
      "a wrong content type",
      () => classify({ ...githubHeaders(GITHUB), "Content-Type": "text/plain" }, GITHUB),
    ],
  ];
}

function signaturesOf(): string[] {
  return [
    hexHmac(GITHUB),
    hexHmac(PING),
    hexHmac(BITBUCKET),
    hexHmac(GITEA),
    hexHmac(Buffer.from(`{"note": ${SECRET}}`)),
    gitlabSigningHeaders(GITLAB)["webhook-signature"] ?? "",
    SIGNING_SECRET.slice("whsec_".length),
  ];
}

describe("classifyWebhook's secrecy", () => {
  it.each(scenarios())("keeps the secret and the signature out of the result for %s", (_label, run) => {
    // Arrange
    const forbidden = [SECRET, SECRET.slice(0, 10), SIGNING_SECRET, ...signaturesOf()];

    // Act
    const text = JSON.stringify(run());

    // Assert
    for (const value of forbidden) expect(text).not.toContain(value);
  });

  it("redacts a secret that a message would otherwise quote", () => {
    // Arrange
    const body = Buffer.from("{}");

    // Act
    const result = classify(githubHeaders(body, SECRET), body);

    // Assert
    expect(result).toMatchObject({
      kind: "ignored",
      reason: 'GitHub event "[redacted]" is not a push; nothing to publish',
    });
  });

  it("keeps the secret out of the error a malformed CodeCommit event raises", () => {
    // Arrange
    const event = { source: "aws.codecommit", detail: { repositoryName: SECRET } };

    // Act
    let caught: unknown;
    try {
      normaliseCodeCommitEvent(event);
    } catch (error) {
      caught = error;
    }

    // Assert
    expect(caught).toBeInstanceOf(ShiplineError);
    expect(`${String(caught)} ${JSON.stringify(caught)}`).not.toContain(SECRET);
  });
});
