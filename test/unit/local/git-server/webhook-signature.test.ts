import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { signWebhookBody } from "../../../../functions/local/git-server/webhook-signature.js";

const VECTORS = path.resolve(
  import.meta.dirname,
  "../../../../../shared/fixtures/webhooks/webhook-signature-vectors.json",
);

describe("signWebhookBody", () => {
  it("matches GitHub's documented X-Hub-Signature-256 test vector", async () => {
    // Arrange
    const vectors = JSON.parse(await readFile(VECTORS, "utf8"));
    const vector = vectors.github_docs_test_vector;

    // Act
    const signature = signWebhookBody(vector.secret, Buffer.from(vector.payload, "utf8"));

    // Assert
    expect(signature).toBe(vector.x_hub_signature_256);
  });
});
