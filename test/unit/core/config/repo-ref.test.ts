import { describe, expect, it } from "vitest";
import { splitImageRepository } from "../../../../functions/core/config/image-repository.js";
import { parseRepoRef } from "../../../../functions/core/config/repo-ref.js";

describe("parseRepoRef", () => {
  it.each<[string, ReturnType<typeof parseRepoRef>]>([
    [
      "https://github.com/Acme/Shop.git",
      { kind: "url", url: "https://github.com/Acme/Shop.git", key: "github.com/acme/shop" },
    ],
    [
      "https://github.com/acme/shop/",
      { kind: "url", url: "https://github.com/acme/shop/", key: "github.com/acme/shop" },
    ],
    [
      "http://127.0.0.1:8080/demo.git",
      { kind: "url", url: "http://127.0.0.1:8080/demo.git", key: "127.0.0.1:8080/demo" },
    ],
    ["local:demo-config", { kind: "local", name: "demo-config", key: "local:demo-config" }],
  ])("reads %s", (value, expected) => {
    // Act
    const ref = parseRepoRef(value);

    // Assert
    expect(ref).toEqual(expected);
  });

  it.each<[string, string]>([
    ["git@github.com:acme/shop.git", "is not a URL"],
    ["http://git.example.com/acme/shop", "is not https"],
    ["https://github.com", "names no repository"],
    ["local:", "is not a local repository name"],
    ["https://x:hunter2@github.com/acme/shop", "the URL contains credentials"],
    ["https://x:hunter2@exa mple.com/acme/shop", "the value is not a URL"],
  ])("refuses %s without repeating a password", (value, expected) => {
    // Act
    const ref = parseRepoRef(value);

    // Assert
    expect(ref).toMatchObject({ problem: expect.stringContaining(expected) });
    expect(JSON.stringify(ref)).not.toContain("hunter2");
  });
});

describe("splitImageRepository", () => {
  it.each<[string, ReturnType<typeof splitImageRepository>]>([
    ["demo", { name: "demo" }],
    ["team/demo", { name: "team/demo" }],
    ["ghcr.io/acme/demo", { registry: "ghcr.io", name: "acme/demo" }],
    ["localhost/demo", { registry: "localhost", name: "demo" }],
    ["127.0.0.1:5000/demo", { registry: "127.0.0.1:5000", name: "demo" }],
    [
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/shop/api",
      { registry: "123456789012.dkr.ecr.eu-west-1.amazonaws.com", name: "shop/api" },
    ],
  ])("splits %s", (repository, expected) => {
    // Act
    const parts = splitImageRepository(repository);

    // Assert
    expect(parts).toEqual(expected);
  });
});
