import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { FileDocumentStore } from "../../../functions/adapters/local/file-document-store.js";
import { functionUrlRequest } from "../../../functions/core/contracts/aws/function-url-request.js";
import type { RegistryEventRequest } from "../../../functions/core/ports/registry-event-publisher.js";
import { createWebhookResponder, type WebhookResponder } from "../../../functions/handlers/webhook.js";
import { readFixture, readFixtureBytes } from "../../read-fixture.js";
import { handlerDeps } from "./handler-test-kit.js";
import { type InMemoryPublisher, OutputCapture } from "./shared/step-test-kit.js";

const HARBOR_SECRET = "harbor-auth-header-test-5e1a";
const PUSH = readFixtureBytes("webhooks/harbor-push-artifact.json");
const SCAN = readFixtureBytes("webhooks/harbor-scanning-completed.json");
const REQUEST_SAMPLE = functionUrlRequest.parse(readFixture("aws/lambda-function-url.request.json"));

function request(body: Buffer | string, authorization = HARBOR_SECRET): Record<string, unknown> {
  return {
    ...REQUEST_SAMPLE,
    headers: { "content-type": "application/json", "user-agent": "Go-http-client/1.1", authorization },
    body: body.toString(),
    isBase64Encoded: false,
  };
}

function bodyOf(response: { readonly body?: string }): { message?: string; published?: number } {
  return JSON.parse(response.body ?? "{}");
}

describe("the webhook handler with Harbor's notifications", () => {
  let output: OutputCapture;
  let publisher: InMemoryPublisher;
  let store: FileDocumentStore;
  let cleanUp: () => Promise<void>;
  let published: RegistryEventRequest[];
  let respond: WebhookResponder;

  beforeEach(async () => {
    output = new OutputCapture();
    output.start();
    const kit = await handlerDeps("webhook");
    ({ publisher, store, cleanUp } = kit);
    published = [];
    respond = createWebhookResponder({
      ...kit.deps,
      store,
      secrets: { values: async () => ["git-host-secret"] },
      harbor: {
        secrets: { values: async () => [HARBOR_SECRET] },
        events: {
          publish: async (requests) => {
            published.push(...requests);
          },
        },
        repositories: (repository) => repository === "shop/api",
      },
    });
  });

  afterEach(async () => {
    output.stop();
    await cleanUp();
  });

  it("publishes Harbor Artifact Pushed for a push of a repository an app's image lives in", async () => {
    // Act
    const response = await respond(request(PUSH));

    // Assert
    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toEqual({ message: "PUSH_ARTIFACT accepted", published: 1 });
    expect(published.map((event) => [event.detailType, event.detail.repository])).toEqual([
      ["Harbor Artifact Pushed", "shop/api"],
    ]);
    expect(publisher.published).toEqual([]);
  });

  it("publishes Harbor Scan Completed for a finished scan", async () => {
    // Act
    const response = await respond(request(SCAN));

    // Assert
    expect(response.statusCode).toBe(202);
    expect(published.map((event) => event.detailType)).toEqual(["Harbor Scan Completed"]);
  });

  it("answers a bad auth header 401 and publishes nothing", async () => {
    // Act
    const response = await respond(request(PUSH, "guessed"));

    // Assert
    expect(response.statusCode).toBe(401);
    expect(bodyOf(response).message).toContain("Auth Header");
    expect(published).toEqual([]);
  });

  it("answers a payload that does not parse 400 with the reason", async () => {
    // Act
    const response = await respond(request(JSON.stringify({ type: "PUSH_ARTIFACT", occur_at: 1 })));

    // Assert
    expect(response.statusCode).toBe(400);
    expect(bodyOf(response).message).toContain("Harbor payload is not of the expected shape: event_data");
    expect(published).toEqual([]);
  });

  it("answers a repository no app's image lives in 202 with the reason and publishes nothing", async () => {
    // Arrange
    const other = PUSH.toString("utf8").replaceAll("shop/api", "shop/web");

    // Act
    const response = await respond(request(other));

    // Assert
    expect(response.statusCode).toBe(202);
    expect(bodyOf(response).message).toBe(
      "shop/web is not a Harbor repository an app's image lives in (no app's image.repository names it in a registry of kind harbor); nothing was published",
    );
    expect(published).toEqual([]);
  });

  it("answers 500 when the bus does not take the events, so that Harbor delivers again", async () => {
    // Arrange
    const kit = await handlerDeps("webhook");
    const failing = createWebhookResponder({
      ...kit.deps,
      store: kit.store,
      secrets: { values: async () => ["git-host-secret"] },
      harbor: {
        secrets: { values: async () => [HARBOR_SECRET] },
        events: {
          publish: async () => {
            throw new Error("bus unavailable");
          },
        },
        repositories: () => true,
      },
    });

    // Act
    const response = await failing(request(PUSH));
    await kit.cleanUp();

    // Assert
    expect(response.statusCode).toBe(500);
  });
});
