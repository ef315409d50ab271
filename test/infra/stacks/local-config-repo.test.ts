import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import * as z from "zod";
import { stepFunctionConfigOf } from "../../../infra/constructs/step-function-config.js";
import { localConfigRepoOf } from "../../../infra/stacks/local-config-repo.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const fixtureText = readFileSync(path.resolve(here, "../../fixtures/buildspec/shipline.config.yaml"), "utf8");

/** The fixture configuration with another config repository section. */
function configWith(configRepo: Record<string, unknown>) {
  const document = z.object({}).loose().parse(parse(fixtureText));
  return stepFunctionConfigOf(stringify({ ...document, configRepo }));
}

const OIDC = {
  provider: "oidc-exchange",
  exchangeUrl: "https://octo-sts.example.com/sts/exchange",
  audience: "octo-sts.example.com",
};

describe("localConfigRepoOf", () => {
  it("names a config repository of the local runtime", () => {
    // Act
    const reason = localConfigRepoOf(configWith({ url: "local:demo-config", credentials: OIDC }));

    // Assert
    expect(reason).toBe("configRepo.url is 'local:demo-config', a repository of the local runtime");
  });

  it("names the local runtime's token exchange in front of an https repository", () => {
    // Act
    const reason = localConfigRepoOf(
      configWith({
        url: "https://github.com/acme/deploy.git",
        credentials: { ...OIDC, exchangeUrl: "local:oidc-exchange" },
      }),
    );

    // Assert
    expect(reason).toBe(
      "configRepo.credentials.exchangeUrl is 'local:oidc-exchange', the local runtime's token exchange",
    );
  });

  it("finds nothing local in a repository and exchange AWS can reach", () => {
    // Act
    const reason = localConfigRepoOf(
      configWith({ url: "https://github.com/acme/deploy.git", credentials: OIDC }),
    );

    // Assert
    expect(reason).toBeUndefined();
  });
});
