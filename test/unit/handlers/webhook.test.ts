import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileDocumentStore } from "../../../functions/adapters/local/file-document-store.js";
import { functionUrlRequest } from "../../../functions/core/contracts/aws/function-url-request.js";
import { ShiplineError } from "../../../functions/core/errors/shipline-error.js";
import type { StepDeps } from "../../../functions/handlers/shared/index.js";
import { createWebhookResponder, type WebhookResponder } from "../../../functions/handlers/webhook.js";
import { readFixture, readFixtureBytes } from "../../read-fixture.js";
import { handlerDeps, type TestClock } from "./handler-test-kit.js";
import { type InMemoryPublisher, OutputCapture } from "./shared/step-test-kit.js";

const SECRET = "webhook-test-secret-4b1d";
const PUSH = readFixtureBytes("webhooks/github-push.branch-update.json");
const PING = readFixtureBytes("webhooks/github-ping.json");
const REQUEST_SAMPLE = functionUrlRequest.parse(readFixture("aws/lambda-function-url.request.json"));
const DELIVERY = "72d3162e-cc78-11e3-81ab-4c9367dc0958";

function signature(body: Buffer, secret = SECRET): string {
  return `sha256=${createHmac("sha256", secret).update(body).digest("hex")}`;
}

/** The Function URL request fixture carrying a GitHub delivery, as Lambda hands it over (headers lower-cased). */
function request(
  body: Buffer,
  options: {
    readonly event?: string;
    readonly headers?: Record<string, string>;
    readonly base64?: boolean;
    readonly delivery?: string;
  } = {},
): Record<string, unknown> {
  return {
    ...REQUEST_SAMPLE,
    headers: {
      "content-type": "application/json",
      "x-github-event": options.event ?? "push",
      "x-github-delivery": options.delivery ?? DELIVERY,
      "x-hub-signature-256": signature(body),
      "user-agent": "GitHub-Hookshot/044aadd",
      ...options.headers,
    },
    body: options.base64 ? body.toString("base64") : body.toString("utf8"),
    isBase64Encoded: options.base64 ?? false,
  };
}

function messageOf(response: { readonly body?: string }): unknown {
  return JSON.parse(response.body ?? "{}").message;
}

describe("the webhook handler", () => {
  let output: OutputCapture;
  let publisher: InMemoryPublisher;
  let store: FileDocumentStore;
  let clock: TestClock;
  let respond: WebhookResponder;
  /** The handler with its default body limit (5 MB). */
  let respondWithDefaults: WebhookResponder;
  let stepDeps: StepDeps;
  let cleanUp: () => Promise<void>;
  let secretsRead: number;

  beforeEach(async () => {
    output = new OutputCapture();
    output.start();
    const kit = await handlerDeps("webhook");
    ({ publisher, store, clock, cleanUp } = kit);
    stepDeps = kit.deps;
    secretsRead = 0;
    respondWithDefaults = createWebhookResponder({
      ...kit.deps,
      store,
      secrets: { values: async () => [SECRET] },
    });
    respond = createWebhookResponder({
      ...kit.deps,
      store,
      secrets: {
        values: async () => {
          secretsRead += 1;
          return [SECRET];
        },
      },
      maxBodyBytes: 64 * 1024,
    });
  });

  afterEach(async () => {
    output.stop();
    await cleanUp();
  });

  it("publishes a GitHub push as one Commit Pushed and answers 202", async () => {
    // Act
    const response = await respond(request(PUSH));

    // Assert
    expect(response.statusCode).toBe(202);
    expect(publisher.details("Commit Pushed")).toEqual([
      expect.objectContaining({
        commit: "2b54c8118521c2c4dcc924c8e3820ef608bc8cc7",
        refName: "main",
        deliveryId: DELIVERY,
        correlationId: `github:${DELIVERY}`,
      }),
    ]);
    expect(secretsRead).toBe(1);
  });

  it("checks the signature over the decoded bytes of a base64 body", async () => {
    // Act
    const response = await respond(request(PUSH, { base64: true }));

    // Assert
    expect(response.statusCode).toBe(202);
    expect(publisher.details("Commit Pushed")).toHaveLength(1);
  });

  it("publishes a replayed delivery once", async () => {
    // Act
    const first = await respond(request(PUSH));
    const replay = await respond(request(PUSH));

    // Assert
    expect(first.statusCode).toBe(202);
    expect(replay.statusCode).toBe(202);
    expect(messageOf(replay)).toBe("delivery already published");
    expect(publisher.details("Commit Pushed")).toHaveLength(1);
    expect(
      output.logs("Webhook delivery replayed; it was published before, so nothing is published"),
    ).toHaveLength(1);
  });

  it("publishes the same push once when it comes again under a new delivery id", async () => {
    // Act
    const first = await respond(request(PUSH));
    const again = await respond(request(PUSH, { delivery: "0f4c1b2a-0000-4000-8000-000000000001" }));

    // Assert
    expect(first.statusCode).toBe(202);
    expect(again.statusCode).toBe(202);
    expect(messageOf(again)).toBe("delivery already published");
    expect(publisher.details("Commit Pushed")).toHaveLength(1);
  });

  it.each([
    ["refs/heads/feature..x", "it contains '..'"],
    ["refs/heads/my branch", "it contains a space"],
    ["refs/heads/bad\u0000name", "the control character U+0000"],
  ])("answers a push of a ref git refuses (%j) 400 and publishes nothing", async (ref, problem) => {
    // Arrange
    const payload = JSON.parse(PUSH.toString("utf8"));
    const body = Buffer.from(JSON.stringify({ ...payload, ref }));

    // Act
    const response = await respond(request(body));

    // Assert
    expect(response.statusCode).toBe(400);
    expect(messageOf(response)).toEqual(expect.stringContaining(problem));
    expect(publisher.details("Commit Pushed")).toEqual([]);
  });

  it("publishes a push of a thousand commits once, within EventBridge's size", async () => {
    // Arrange
    const payload = JSON.parse(PUSH.toString("utf8"));
    const [head] = payload.commits;
    const commits = Array.from({ length: 1000 }, (_, index) => ({
      ...head,
      id: index.toString(16).padStart(40, "a"),
      message: `Change ${index}\n\n${"x".repeat(200)}`,
      added: [],
      removed: [],
      modified: [`services/part-${index % 50}/file-${index}.ts`],
    }));
    const body = Buffer.from(JSON.stringify({ ...payload, commits }));

    // Act
    const response = await respondWithDefaults(request(body));

    // Assert
    expect(response.statusCode).toBe(202);
    const [published] = publisher.details("Commit Pushed");
    expect(Buffer.byteLength(JSON.stringify(published))).toBeLessThanOrEqual(200 * 1024);
    expect(published).toMatchObject({ commitsOmitted: expect.any(Number), pathsKnown: true });
    expect(Buffer.byteLength(body)).toBeGreaterThan(256 * 1024);
    expect(published).toHaveProperty(
      "changedPaths",
      commits.map((commit) => commit.modified[0]),
    );
  });

  it("answers a push of a repository the configuration does not name 202 and publishes nothing", async () => {
    // Arrange
    const named = createWebhookResponder({
      ...stepDeps,
      store,
      secrets: { values: async () => [SECRET] },
      repositories: (push) => push.repository.fullName === "acme/another-app",
    });

    // Act
    const response = await named(request(PUSH));

    // Assert
    expect(response.statusCode).toBe(202);
    expect(messageOf(response)).toEqual(
      expect.stringContaining("is not a repository the configuration names"),
    );
    expect(publisher.details("Commit Pushed")).toEqual([]);
  });

  it("publishes the same delivery id again once its record has expired", async () => {
    // Arrange
    await respond(request(PUSH));
    clock.current = new Date(clock.current.getTime() + 25 * 60 * 60 * 1000);

    // Act
    const later = await respond(request(PUSH));

    // Assert
    expect(later.statusCode).toBe(202);
    expect(publisher.details("Commit Pushed")).toHaveLength(2);
  });

  it("answers a ping 200 and publishes nothing", async () => {
    // Act
    const response = await respond(request(PING, { event: "ping" }));

    // Assert
    expect(response.statusCode).toBe(200);
    expect(publisher.published).toEqual([]);
  });

  it("answers a branch deletion 202, publishes nothing and logs why", async () => {
    // Arrange
    const payload = JSON.parse(PUSH.toString("utf8"));
    const deletion = Buffer.from(
      JSON.stringify({ ...payload, after: "0".repeat(40), deleted: true, commits: [], head_commit: null }),
    );

    // Act
    const response = await respond(request(deletion));

    // Assert
    expect(response.statusCode).toBe(202);
    expect(publisher.published).toEqual([]);
    expect(output.logs("Webhook delivery ignored")).toEqual([
      expect.objectContaining({ reason: expect.stringContaining("was deleted") }),
    ]);
  });

  it("answers an event that is not a push 202 and publishes nothing", async () => {
    // Arrange
    const body = Buffer.from(JSON.stringify({ action: "opened" }));

    // Act
    const response = await respond(request(body, { event: "issues" }));

    // Assert
    expect(response.statusCode).toBe(202);
    expect(publisher.published).toEqual([]);
  });

  it.each([
    { case: "a wrong signature", headers: { "x-hub-signature-256": signature(PUSH, "another-secret") } },
    { case: "no signature", headers: { "x-hub-signature-256": "" } },
  ])("answers $case 401 and publishes nothing", async ({ headers }) => {
    // Act
    const response = await respond(request(PUSH, { headers }));

    // Assert
    expect(response.statusCode).toBe(401);
    expect(publisher.published).toEqual([]);
  });

  it("answers malformed JSON 400 with the reason", async () => {
    // Arrange
    const body = Buffer.from('{"ref": "refs/heads/main",');

    // Act
    const response = await respond(request(body));

    // Assert
    expect(response.statusCode).toBe(400);
    expect(messageOf(response)).toEqual(expect.stringContaining("JSON"));
  });

  it("answers a body over the limit 413", async () => {
    // Arrange
    const body = Buffer.from(JSON.stringify({ padding: "x".repeat(70 * 1024) }));

    // Act
    const response = await respond(request(body));

    // Assert
    expect(response.statusCode).toBe(413);
  });

  it("answers a wrong content type 415", async () => {
    // Act
    const response = await respond(request(PUSH, { headers: { "content-type": "text/plain" } }));

    // Assert
    expect(response.statusCode).toBe(415);
  });

  it("answers a request that is not a POST 405", async () => {
    // Arrange
    const { requestContext } = REQUEST_SAMPLE;
    const get = {
      ...request(PUSH),
      requestContext: { ...requestContext, http: { ...requestContext.http, method: "GET" } },
    };

    // Act
    const response = await respond(get);

    // Assert
    expect(response.statusCode).toBe(405);
  });

  it("answers 500 when the bus is down, and publishes the host's redelivery", async () => {
    // Arrange
    publisher.failWith = new ShiplineError({ code: "PUBLISH_FAILED", message: "bus down", retryable: true });

    // Act
    const failed = await respond(request(PUSH));
    publisher.failWith = undefined;
    const redelivered = await respond(request(PUSH));

    // Assert
    expect(failed.statusCode).toBe(500);
    expect(redelivered.statusCode).toBe(202);
    expect(publisher.details("Commit Pushed")).toHaveLength(1);
  });

  it("answers 500 when the secret cannot be read", async () => {
    // Arrange
    const kit = await handlerDeps("webhook");
    const failing = createWebhookResponder({
      ...kit.deps,
      store: kit.store,
      secrets: {
        values: async () => {
          throw new ShiplineError({ code: "SECRET_UNAVAILABLE", message: "throttled", retryable: true });
        },
      },
    });

    // Act
    const response = await failing(request(PUSH));
    await kit.cleanUp();

    // Assert
    expect(response.statusCode).toBe(500);
    expect(kit.publisher.published).toEqual([]);
  });

  it("never writes the secret, a signature or the headers to the log", async () => {
    // Arrange
    const wrong = signature(PUSH, "another-secret");

    // Act
    await respond(request(PUSH));
    await respond(request(PUSH, { headers: { "x-hub-signature-256": wrong } }));
    await respond(request(PING, { event: "ping" }));

    // Assert
    const logged = JSON.stringify(output.records());
    expect(output.records().length).toBeGreaterThan(0);
    expect(logged).not.toContain(SECRET);
    expect(logged).not.toContain(signature(PUSH).slice("sha256=".length));
    expect(logged).not.toContain(wrong.slice("sha256=".length));
    expect(logged).not.toContain("GitHub-Hookshot");
  });
});
