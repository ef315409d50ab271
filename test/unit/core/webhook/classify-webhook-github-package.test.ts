import { describe, expect, it } from "vitest";
import { classifyWebhook } from "../../../../functions/core/webhook/classify-webhook.js";
import {
  edited,
  githubHeaders,
  MAX_BODY_BYTES,
  NOW,
  objectOf,
  SECRET,
  webhookFixture,
} from "./webhook-test-kit.js";

const PACKAGE = webhookFixture("github-package-published.json");
const DIGEST = "sha256:7b2e04f8d5a1c3b6e9f0a2d4c6b8e0f1a3c5d7e9f1b3d5a7c9e1f3b5d7a9c1e3";

function classify(body: Buffer, secret = SECRET) {
  return classifyWebhook({
    headers: githubHeaders(body, "package", secret),
    rawBody: body,
    secret: SECRET,
    now: NOW,
    maxBodyBytes: MAX_BODY_BYTES,
  });
}

function withVersion(change: (version: Record<string, unknown>) => void): Buffer {
  return edited(PACKAGE, (payload) => {
    const pkg = objectOf(payload.package);
    const version = objectOf(pkg.package_version);
    change(version);
    pkg.package_version = version;
    payload.package = pkg;
  });
}

describe("classifyWebhook with GitHub's package webhook (GHCR)", () => {
  it("reads a published container image as an announced image of ghcr.io", () => {
    // Act
    const result = classify(PACKAGE);

    // Assert
    expect(result).toEqual({
      kind: "image",
      deliveryId: "72d3162e-cc78-11e3-81ab-4c9367dc0958",
      deliveryKey: "github:72d3162e-cc78-11e3-81ab-4c9367dc0958",
      image: {
        host: "ghcr.io",
        repository: "acme/shop-api",
        tag: "1.4.2-0123abc",
        digest: DIGEST,
        announcedBy: "github-package",
      },
    });
  });

  it("names the repository from the package when the version has no package_url, in lower case", () => {
    // Arrange
    const body = edited(
      withVersion((version) => {
        delete version.package_url;
      }),
      (payload) => {
        const pkg = objectOf(payload.package);
        pkg.namespace = "Acme";
        payload.package = pkg;
      },
    );

    // Act
    const result = classify(body);

    // Assert
    expect(result).toMatchObject({ kind: "image", image: { host: "ghcr.io", repository: "acme/shop-api" } });
  });

  it("ignores a version without a tag (a platform manifest) with the reason", () => {
    // Arrange
    const body = withVersion((version) => {
      version.container_metadata = { tag: { name: "", digest: DIGEST } };
    });

    // Act
    const result = classify(body);

    // Assert
    expect(result).toMatchObject({ kind: "ignored" });
    expect(result.kind === "ignored" && result.reason).toContain("without a tag (a platform manifest)");
  });

  it("ignores a package that is no container image", () => {
    // Arrange
    const body = edited(PACKAGE, (payload) => {
      const pkg = objectOf(payload.package);
      pkg.package_type = "npm";
      payload.package = pkg;
    });

    // Act
    const result = classify(body);

    // Assert
    expect(result).toMatchObject({
      kind: "ignored",
      reason: "GitHub package shop-api is a npm package, not a container image",
    });
  });

  it("refuses a package delivery signed with another secret (401) and one without its package (400)", () => {
    // Arrange
    const unsigned = classify(PACKAGE, "another-secret");
    const body = edited(PACKAGE, (payload) => {
      delete payload.package;
    });

    // Act
    const malformed = classify(body);

    // Assert
    expect(unsigned).toMatchObject({ kind: "rejected", status: 401 });
    expect(malformed).toMatchObject({ kind: "rejected", status: 400 });
    expect(malformed.kind === "rejected" && malformed.reason).toContain(
      "GitHub package payload is not of the expected shape",
    );
  });
});
