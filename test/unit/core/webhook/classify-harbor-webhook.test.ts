import { describe, expect, it } from "vitest";
import { classifyHarborWebhook } from "../../../../functions/core/webhook/classify-harbor-webhook.js";
import { isHarborWebhook } from "../../../../functions/core/webhook/is-harbor-webhook.js";
import { edited, MAX_BODY_BYTES, webhookFixture } from "./webhook-test-kit.js";

const SECRET = "harbor-test-auth-header-91c2";
const PUSH = webhookFixture("harbor-push-artifact.json");
const SCAN = webhookFixture("harbor-scanning-completed.json");
const DIGEST = "sha256:3c8e1f0a5b7d92e4f6a1c0b8d7e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e7";

function classify(body: Buffer, headers: Record<string, string> = {}) {
  return classifyHarborWebhook({
    headers: { "content-type": "application/json", authorization: SECRET, ...headers },
    rawBody: body,
    secrets: [SECRET],
    maxBodyBytes: MAX_BODY_BYTES,
  });
}

describe("classifyHarborWebhook", () => {
  it("turns PUSH_ARTIFACT into one Harbor Artifact Pushed with the host, repository, digest and tag", () => {
    // Act
    const result = classify(PUSH);

    // Assert
    expect(result).toEqual({
      kind: "events",
      type: "PUSH_ARTIFACT",
      repository: "shop/api",
      events: [
        {
          detailType: "Harbor Artifact Pushed",
          detail: {
            registry: "harbor.example.com",
            repository: "shop/api",
            digest: DIGEST,
            tags: ["1.4.0-2b54c81"],
            occurredAt: "2026-03-01T12:00:00.000Z",
            operator: "robot$shop+ci",
          },
        },
      ],
    });
  });

  it("turns SCANNING_COMPLETED into Harbor Scan Completed with the vulnerability report's status and scanner", () => {
    // Act
    const result = classify(SCAN);

    // Assert
    expect(result.kind).toBe("events");
    if (result.kind !== "events") return;
    expect(result.events[0].detail).toMatchObject({
      registry: "harbor.example.com",
      repository: "shop/api",
      digest: DIGEST,
      scanStatus: "Success",
      scanner: "Trivy",
    });
  });

  it("accepts the secret sent as Bearer <secret>", () => {
    // Act
    const result = classify(PUSH, { authorization: `Bearer ${SECRET}` });

    // Assert
    expect(result.kind).toBe("events");
  });

  it("refuses a wrong auth header with 401 and a reason that does not show the secret", () => {
    // Act
    const result = classify(PUSH, { authorization: "not-the-secret" });

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
    expect(JSON.stringify(result)).not.toContain(SECRET);
  });

  it("refuses every request with 401 while no Harbor secret is configured", () => {
    // Act
    const result = classifyHarborWebhook({
      headers: { "content-type": "application/json", authorization: SECRET },
      rawBody: PUSH,
      secrets: [],
      maxBodyBytes: MAX_BODY_BYTES,
    });

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 401 });
    expect(result.kind === "rejected" && result.reason).toContain("no Harbor webhook secret");
  });

  it("answers a body that is not JSON with 400 and the reason", () => {
    // Act
    const result = classify(Buffer.from("{not json"));

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 400 });
    expect(result.kind === "rejected" && result.reason).toContain("Harbor body is not JSON");
  });

  it("answers a payload without its repository with 400 naming the field", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      payload.event_data = { resources: [] };
    });

    // Act
    const result = classify(body);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 400 });
    expect(result.kind === "rejected" && result.reason).toMatch(/event_data\.(resources|repository)/);
  });

  it("answers a scan without its scan overview with 400", () => {
    // Arrange
    const body = edited(SCAN, (payload) => {
      payload.type = "SCANNING_COMPLETED";
      payload.event_data = JSON.parse(PUSH.toString("utf8")).event_data;
    });

    // Act
    const result = classify(body);

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 400 });
    expect(result.kind === "rejected" && result.reason).toContain("scan_overview");
  });

  it("ignores another event type with the reason", () => {
    // Arrange
    const body = edited(PUSH, (payload) => {
      payload.type = "PULL_ARTIFACT";
    });

    // Act
    const result = classify(body);

    // Assert
    expect(result).toEqual({
      kind: "ignored",
      reason:
        'Harbor event "PULL_ARTIFACT" is neither PUSH_ARTIFACT nor SCANNING_COMPLETED; nothing to publish',
    });
  });

  it("answers another content type with 415", () => {
    // Act
    const result = classify(PUSH, { "content-type": "text/plain" });

    // Assert
    expect(result).toMatchObject({ kind: "rejected", status: 415 });
  });
});

describe("isHarborWebhook", () => {
  it("takes a request with an Authorization header and no git host's event header for Harbor's", () => {
    // Act
    const harbor = isHarborWebhook({ authorization: SECRET, "content-type": "application/json" });
    const github = isHarborWebhook({ authorization: SECRET, "x-github-event": "push" });
    const anonymous = isHarborWebhook({ "content-type": "application/json" });

    // Assert
    expect([harbor, github, anonymous]).toEqual([true, false, false]);
  });
});
