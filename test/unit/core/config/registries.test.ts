import { describe, expect, it } from "vitest";
import { registries, registryOf } from "../../../../functions/core/config/registries.js";
import { harborRepositories } from "../../../../functions/core/images/harbor-repositories.js";

const HARBOR = {
  kind: "harbor",
  url: "https://Harbor.example.com",
  credentials: { secretName: "shipline/harbor-robot" },
};

describe("registries", () => {
  it("takes a Harbor with its robot account and records the host its apps name", () => {
    // Act
    const [harbor] = registries.parse([HARBOR]);

    // Assert
    expect(harbor).toMatchObject({ kind: "harbor", host: "harbor.example.com" });
  });

  it("asks for the robot account of an https Harbor, saying how to give it", () => {
    // Act
    const result = registries.safeParse([{ kind: "harbor", url: "https://harbor.example.com" }]);

    // Assert
    expect(result.success).toBe(false);
    expect(result.error?.issues.map((issue) => [issue.path.join("."), issue.message])).toEqual([
      ["0.credentials", expect.stringContaining("add credentials: { secretName: shipline/harbor-robot }")],
    ]);
  });

  it("refuses two entries for one registry and a registry kind it does not know", () => {
    // Act
    const twice = registries.safeParse([HARBOR, HARBOR]);
    const unknown = registries.safeParse([{ kind: "quay", url: "https://quay.io" }]);

    // Assert
    expect(twice.error?.issues[0]?.message).toContain("names the same registry as registries[0]");
    expect(unknown.error?.issues[0]?.message).toContain("write kind: harbor");
  });

  it("takes local:registry without credentials, for the local runtime", () => {
    // Act
    const [local] = registries.parse([{ kind: "harbor", url: "local:registry" }]);

    // Assert
    expect(local).toMatchObject({ host: "" });
  });
});

describe("registries of kind oci", () => {
  it("takes any OCI registry with or without an account, and the embedded registry", () => {
    // Act
    const parsed = registries.parse([
      { kind: "oci", url: "https://ghcr.io", credentials: { secretName: "shipline/ghcr-reader" } },
      { kind: "oci", url: "https://quay.io" },
      { kind: "oci", url: "local:registry" },
    ]);

    // Assert
    expect(parsed.map((registry) => [registry.kind, registry.host])).toEqual([
      ["oci", "ghcr.io"],
      ["oci", "quay.io"],
      ["oci", ""],
    ]);
  });

  it("refuses another local: name and an unknown field, saying what to write", () => {
    // Act
    const local = registries.safeParse([{ kind: "oci", url: "local:ghcr" }]);
    const field = registries.safeParse([{ kind: "oci", url: "https://ghcr.io", token: "x" }]);

    // Assert
    expect(local.error?.issues[0]?.message).toContain(
      "write local:registry or the registry's https:// address",
    );
    expect(field.error?.issues[0]?.path).toEqual([0]);
  });

  it("finds the registry of kind oci an app's repository names", () => {
    // Arrange
    const list = registries.parse([{ kind: "oci", url: "https://ghcr.io" }, HARBOR]);

    // Act
    const found = [registryOf(list, "ghcr.io/acme/api")?.kind, registryOf(list, "docker.io/acme/api")?.kind];

    // Assert
    expect(found).toEqual(["oci", undefined]);
  });
});

describe("registryOf and harborRepositories", () => {
  it("finds the Harbor an app's repository names, and only its repositories are Harbor's", () => {
    // Arrange
    const list = registries.parse([HARBOR]);
    const apps = [
      { image: { repository: "harbor.example.com/shop/api", tag: "{sha}" } },
      { image: { repository: "demo", tag: "{sha}" } },
    ];

    // Act
    const found = registryOf(list, "harbor.example.com/shop/api");
    const own = registryOf(list, "demo");
    const named = harborRepositories({ apps, registries: list });

    // Assert
    expect(found?.url).toBe("https://Harbor.example.com");
    expect(own).toBeUndefined();
    expect([named("shop/api"), named("demo")]).toEqual([true, false]);
  });
});
