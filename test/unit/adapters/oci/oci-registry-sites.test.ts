import { describe, expect, it } from "vitest";
import { ociRegistrySites } from "../../../../functions/adapters/oci/oci-registry-sites.js";
import { registries } from "../../../../functions/core/config/registries.js";

function appOf(name: string, repository: string) {
  return { name, image: { repository } };
}

describe("ociRegistrySites", () => {
  it("keys each registry of kind oci by the host references name, with the apps whose images live there", () => {
    // Arrange
    const config = {
      apps: [appOf("api", "ghcr.io/acme/api"), appOf("web", "quay.io/acme/web"), appOf("demo", "demo")],
      registries: registries.parse([
        { kind: "oci", url: "https://ghcr.io" },
        { kind: "oci", url: "local:registry" },
        { kind: "harbor", url: "https://harbor.example.com", credentials: { secretName: "robot" } },
      ]),
    };

    // Act
    const sites = ociRegistrySites({
      config: config as never,
      embeddedHost: "127.0.0.1:5000",
      accountOf: () => async () => undefined,
    });

    // Assert
    expect([...sites.keys()]).toEqual(["ghcr.io", "127.0.0.1:5000"]);
    expect(sites.get("ghcr.io")?.apps.map((app) => app.name)).toEqual(["api"]);
    expect(sites.get("127.0.0.1:5000")?.repositories("demo")).toBe(true);
    expect(sites.get("ghcr.io")?.repositories("acme/web")).toBe(false);
  });

  it("reads Docker Hub, which references name docker.io, at its API host registry-1.docker.io", async () => {
    // Arrange
    const asked: string[] = [];
    const fetch = (async (input: string | URL | Request) => {
      asked.push(String(input));
      return new Response("", { status: 404 });
    }) as typeof globalThis.fetch;
    const config = {
      apps: [appOf("api", "docker.io/acme/api")],
      registries: registries.parse([{ kind: "oci", url: "https://docker.io" }]),
    };
    const sites = ociRegistrySites({
      config: config as never,
      accountOf: () => async () => undefined,
      fetch,
    });

    // Act
    const digest = await sites.get("docker.io")?.client.resolveTag("acme/api", "1.4.2");

    // Assert
    expect(digest).toBeUndefined();
    expect(asked).toEqual(["https://registry-1.docker.io/v2/acme/api/manifests/1.4.2"]);
    expect(sites.get("docker.io")?.repositories("acme/api")).toBe(true);
  });
});
