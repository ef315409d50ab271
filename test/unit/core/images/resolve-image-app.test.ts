import { describe, expect, it } from "vitest";
import { repositoryName, resolveImageApp } from "../../../../functions/core/images/resolve-image-app.js";
import { appOf } from "./image-test-kit.js";

const APPS = [appOf("shop", "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/shop"), appOf("demo", "demo")];

describe("resolveImageApp", () => {
  it("finds an app configured with a registry-qualified repository by the repository's name", () => {
    // Act
    const app = resolveImageApp({ apps: APPS, repository: "team/shop" });

    // Assert
    expect(app?.name).toBe("shop");
  });

  it("finds an app configured with a bare name from a qualified repository", () => {
    // Act
    const app = resolveImageApp({ apps: APPS, repository: "127.0.0.1:5000/demo" });

    // Assert
    expect(app?.name).toBe("demo");
  });

  it("finds no app for a repository nobody builds", () => {
    // Act
    const app = resolveImageApp({ apps: APPS, repository: "shop" });

    // Assert
    expect(app).toBeUndefined();
  });

  it("strips only a registry host, never a path component", () => {
    // Act & Assert
    expect(repositoryName("team/demo")).toBe("team/demo");
    expect(repositoryName("localhost/demo")).toBe("demo");
  });
});
