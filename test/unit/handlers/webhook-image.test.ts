import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { functionUrlRequest } from "../../../functions/core/contracts/aws/function-url-request.js";
import { ShiplineError } from "../../../functions/core/errors/shipline-error.js";
import type { RegistryEventRequest } from "../../../functions/core/ports/registry-event-publisher.js";
import type { RegistryReader } from "../../../functions/core/ports/registry-reader.js";
import { createWebhookResponder, type WebhookResponder } from "../../../functions/handlers/webhook.js";
import { readFixture, readFixtureBytes } from "../../read-fixture.js";
import { handlerDeps, NOW } from "./handler-test-kit.js";
import { OutputCapture } from "./shared/step-test-kit.js";

const SECRET = "webhook-secret-of-the-git-hosts";
const PUBLISH_SECRET = "publish-secret-of-the-cis";
const DIGEST = `sha256:${"ab".repeat(32)}`;
const REQUEST_SAMPLE = functionUrlRequest.parse(readFixture("aws/lambda-function-url.request.json"));

/** The "image published" call, signed as `shipline publish` signs it (computed here independently). */
function publishCall(body: unknown, secret = PUBLISH_SECRET): Record<string, unknown> {
  const raw = JSON.stringify(body);
  const timestamp = String(Math.floor(NOW.getTime() / 1000));
  const signature = createHmac("sha256", secret).update(`${timestamp}.${raw}`).digest("hex");
  return {
    ...REQUEST_SAMPLE,
    headers: {
      "content-type": "application/json",
      "x-shipline-event": "image-published",
      "x-shipline-delivery": "ci-run-42",
      "x-shipline-timestamp": timestamp,
      "x-shipline-signature-256": `sha256=${signature}`,
    },
    body: raw,
    isBase64Encoded: false,
  };
}

/** GitHub's package webhook delivery of the fixture, signed with the webhook secret. */
function packageDelivery(): Record<string, unknown> {
  const body = readFixtureBytes("webhooks/github-package-published.json");
  return {
    ...REQUEST_SAMPLE,
    headers: {
      "content-type": "application/json",
      "x-github-event": "package",
      "x-github-delivery": "9b7e3a10-1c2d-11f1-8e4a-5f0b9c1d2e3f",
      "x-hub-signature-256": `sha256=${createHmac("sha256", SECRET).update(body).digest("hex")}`,
    },
    body: body.toString("utf8"),
    isBase64Encoded: false,
  };
}

function bodyOf(response: { readonly body?: string }): { message?: string; digest?: string } {
  return JSON.parse(response.body ?? "{}");
}

/** A registry holding acme/api:1.4.2 and the fixture's ghcr.io image. */
class FakeRegistry implements RegistryReader {
  failure: Error | undefined;
  readonly tags = new Map([
    ["acme/api:1.4.2", DIGEST],
    [
      "acme/shop-api:1.4.2-0123abc",
      "sha256:7b2e04f8d5a1c3b6e9f0a2d4c6b8e0f1a3c5d7e9f1b3d5a7c9e1f3b5d7a9c1e3",
    ],
  ]);

  async resolveTag(repository: string, tag: string): Promise<string | undefined> {
    if (this.failure) throw this.failure;
    return this.tags.get(`${repository}:${tag}`);
  }

  async getManifest(repository: string, reference: string): Promise<{ digest: string } | undefined> {
    if (this.failure) throw this.failure;
    const known = [...this.tags].some(
      ([name, digest]) => name.startsWith(`${repository}:`) && digest === reference,
    );
    return known ? { digest: reference } : undefined;
  }
}

describe("the webhook handler with announced images (shipline publish, GitHub's package webhook)", () => {
  let output: OutputCapture;
  let cleanUp: () => Promise<void>;
  let published: RegistryEventRequest[];
  let registry: FakeRegistry;
  let respond: WebhookResponder;

  beforeEach(async () => {
    output = new OutputCapture();
    output.start();
    const kit = await handlerDeps("webhook");
    cleanUp = kit.cleanUp;
    published = [];
    registry = new FakeRegistry();
    respond = createWebhookResponder({
      ...kit.deps,
      store: kit.store,
      secrets: { values: async () => [SECRET] },
      images: {
        secrets: { values: async () => [PUBLISH_SECRET] },
        events: { publish: async (requests) => void published.push(...requests) },
        registryOf: (host) =>
          host === "ghcr.io"
            ? { repositories: (repository) => repository.startsWith("acme/"), reader: registry }
            : undefined,
      },
    });
  });

  afterEach(async () => {
    output.stop();
    await cleanUp();
  });

  it("resolves the tag and publishes Registry Image Pushed with the digest (202)", async () => {
    // Act
    const response = await respond(publishCall({ image: "ghcr.io/acme/api:1.4.2", digest: DIGEST }));

    // Assert
    expect(response.statusCode).toBe(202);
    expect(bodyOf(response)).toMatchObject({
      message: `ghcr.io/acme/api:1.4.2 announced as ${DIGEST}`,
      digest: DIGEST,
    });
    expect(published).toEqual([
      {
        detailType: "Registry Image Pushed",
        detail: {
          registry: "ghcr.io",
          repository: "acme/api",
          digest: DIGEST,
          tags: ["1.4.2"],
          announcedBy: "publish",
          deliveryId: "ci-run-42",
          occurredAt: NOW.toISOString(),
        },
      },
    ]);
  });

  it("takes GitHub's package webhook of a GHCR image the same way", async () => {
    // Act
    const response = await respond(packageDelivery());

    // Assert
    expect(response.statusCode).toBe(202);
    expect(
      published.map((event) => [
        event.detail.repository,
        event.detail.tags,
        "announcedBy" in event.detail && event.detail.announcedBy,
      ]),
    ).toEqual([["acme/shop-api", ["1.4.2-0123abc"], "github-package"]]);
  });

  it.each([
    {
      case: "a registry the configuration does not name",
      image: "quay.io/acme/api:1.4.2",
      status: 422,
      reason: "quay.io is not a registry of the configuration",
    },
    {
      case: "a repository no app's image lives in",
      image: "ghcr.io/other/api:1.4.2",
      status: 404,
      reason: "no app's image.repository is ghcr.io/other/api",
    },
    {
      case: "a tag that does not exist",
      image: "ghcr.io/acme/api:9.9.9",
      status: 404,
      reason: "ghcr.io/acme/api has no tag 9.9.9",
    },
    {
      case: "a digest the registry does not have",
      image: `ghcr.io/acme/api@sha256:${"ef".repeat(32)}`,
      status: 404,
      reason: "has no image sha256:efef",
    },
  ])("answers $case $status with the reason and publishes nothing", async ({ image, status, reason }) => {
    // Act
    const response = await respond(publishCall({ image }));

    // Assert
    expect(response.statusCode).toBe(status);
    expect(bodyOf(response).message).toContain(reason);
    expect(published).toEqual([]);
  });

  it("answers a tag that points at another digest than announced 409", async () => {
    // Act
    const response = await respond(
      publishCall({ image: "ghcr.io/acme/api:1.4.2", digest: `sha256:${"cd".repeat(32)}` }),
    );

    // Assert
    expect(response.statusCode).toBe(409);
    expect(bodyOf(response).message).toContain(
      `ghcr.io/acme/api:1.4.2 points at ${DIGEST}, not the announced sha256:cdcd`,
    );
    expect(published).toEqual([]);
  });

  it("publishes a delivery once: the same call again, or GitHub's redelivery, is answered 202 and publishes nothing", async () => {
    // Arrange
    await respond(publishCall({ image: "ghcr.io/acme/api:1.4.2" }));
    await respond(packageDelivery());

    // Act
    const again = await respond(publishCall({ image: "ghcr.io/acme/api:1.4.2" }));
    const redelivered = await respond(packageDelivery());

    // Assert
    expect([again.statusCode, redelivered.statusCode]).toEqual([202, 202]);
    expect(bodyOf(again).message).toBe("delivery already published");
    expect(published).toHaveLength(2);
  });

  it("takes a delivery refused before it published once the image is there", async () => {
    // Arrange
    const missing = await respond(publishCall({ image: "ghcr.io/acme/api:1.5.0" }));
    registry.tags.set("acme/api:1.5.0", DIGEST);

    // Act
    const retried = await respond(publishCall({ image: "ghcr.io/acme/api:1.5.0" }));

    // Assert
    expect(missing.statusCode).toBe(404);
    expect(retried.statusCode).toBe(202);
    expect(published).toHaveLength(1);
  });

  it("refuses a call signed with the git hosts' webhook secret: CIs hold the publish secret only", async () => {
    // Act
    const response = await respond(publishCall({ image: "ghcr.io/acme/api:1.4.2" }, SECRET));

    // Assert
    expect(response.statusCode).toBe(401);
    expect(bodyOf(response).message).toContain("sign with the publish secret");
    expect(published).toEqual([]);
  });

  it("answers a bad signature 401 without reading the registry", async () => {
    // Arrange
    registry.failure = new Error("the registry must not be read");

    // Act
    const response = await respond(publishCall({ image: "ghcr.io/acme/api:1.4.2" }, "guessed"));

    // Assert
    expect(response.statusCode).toBe(401);
    expect(published).toEqual([]);
  });

  it("answers a registry that refuses the account 424, saying to fix it rather than to send again", async () => {
    // Arrange
    registry.failure = new ShiplineError({
      code: "OCI_REGISTRY_DENIED",
      message: "ghcr.io refused the account for acme/api (HTTP 403)",
      retryable: false,
    });

    // Act
    const response = await respond(publishCall({ image: "ghcr.io/acme/api:1.4.2" }));

    // Assert
    expect(response.statusCode).toBe(424);
    expect(bodyOf(response).message).toContain("fix the registry's account (registries[].credentials)");
    expect(published).toEqual([]);
  });

  it("answers a registry that cannot be read 502 with its reason, so that the CI announces again", async () => {
    // Arrange
    registry.failure = new ShiplineError({
      code: "OCI_REGISTRY_UNAVAILABLE",
      message: "ghcr.io answered 503",
      retryable: true,
    });

    // Act
    const response = await respond(publishCall({ image: "ghcr.io/acme/api:1.4.2" }));

    // Assert
    expect(response.statusCode).toBe(502);
    expect(bodyOf(response).message).toContain(
      "ghcr.io could not be read (OCI_REGISTRY_UNAVAILABLE): ghcr.io answered 503",
    );
    expect(published).toEqual([]);
  });
});
