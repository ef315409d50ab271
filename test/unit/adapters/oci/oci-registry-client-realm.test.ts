import { describe, expect, it } from "vitest";
import { OciRegistryClient } from "../../../../functions/adapters/oci/oci-registry-client.js";

/** A registry that challenges for a token at `realm`, and records the token requests it is sent. */
function challengingRegistry(realm: string) {
  const tokenRequests: { url: string; authorization: string | undefined }[] = [];
  const fetch = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = String(input);
    const headers = new Headers(init?.headers);
    if (url.startsWith(realm)) {
      tokenRequests.push({ url, authorization: headers.get("authorization") ?? undefined });
      return Response.json({ token: "t0k3n" });
    }
    if (headers.get("authorization") !== "Bearer t0k3n") {
      return new Response("", {
        status: 401,
        headers: { "www-authenticate": `Bearer realm="${realm}",service="registry.example.com"` },
      });
    }
    return new Response("", { status: 404 });
  };
  return { fetch: fetch as typeof globalThis.fetch, tokenRequests };
}

describe("OciRegistryClient's token requests", () => {
  it("sends the account to a token service over https", async () => {
    // Arrange
    const registry = challengingRegistry("https://auth.example.com/token");
    const client = new OciRegistryClient({
      host: "registry.example.com",
      credentials: async () => ({ username: "ci", password: "p4ss" }),
      fetch: registry.fetch,
    });

    // Act
    await client.resolveTag("acme/api", "1.4.2");

    // Assert
    expect(registry.tokenRequests.map((request) => request.authorization)).toEqual([
      `Basic ${Buffer.from("ci:p4ss").toString("base64")}`,
    ]);
  });

  it("never sends the account to a plain-http realm a challenge names", async () => {
    // Arrange
    const registry = challengingRegistry("http://auth.example.com/token");
    const client = new OciRegistryClient({
      host: "registry.example.com",
      credentials: async () => ({ username: "ci", password: "p4ss" }),
      fetch: registry.fetch,
    });

    // Act
    await client.resolveTag("acme/api", "1.4.2");

    // Assert
    expect(registry.tokenRequests).toHaveLength(1);
    expect(registry.tokenRequests[0]?.authorization).toBeUndefined();
  });
});
