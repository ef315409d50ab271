import { readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import type { ConfigProblem } from "../../../../functions/core/config/config-problem.js";
import { parseConfig } from "../../../../functions/core/config/parse-config.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { type RawConfig, toYaml, validConfig } from "./config-builder.js";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../../..");

function configError(text: string): ShiplineError {
  try {
    parseConfig(text);
  } catch (error) {
    if (error instanceof ShiplineError) return error;
    throw error;
  }
  throw new Error("expected parseConfig to throw");
}

function problemsOf(error: ShiplineError): ConfigProblem[] {
  const problems = error.data.problems;
  if (!Array.isArray(problems)) throw new Error("data.problems is not a list");
  return problems;
}

function mutated(change: (config: RawConfig) => void): string {
  const config = validConfig();
  change(config);
  return toYaml(config);
}

describe("parseConfig on valid files", () => {
  it("returns the config with defaults filled in and durations in seconds", () => {
    // Arrange
    const text = toYaml(validConfig());

    // Act
    const config = parseConfig(text);

    // Assert
    const [staging, production] = config.environments;
    expect(staging).toMatchObject({
      approval: "auto",
      soakSeconds: 600,
      verifyDeadlineSeconds: 300,
      autoRollback: true,
    });
    expect(production).toMatchObject({ approval: "manual", soakSeconds: 0, verifyDeadlineSeconds: 900 });
    const [shop, billing] = config.apps;
    expect(shop?.source).toEqual({
      repo: "https://github.com/acme/shop.git",
      branch: "main",
      paths: ["src/**", "package.json"],
      ignorePaths: [],
    });
    expect(shop?.build).toEqual({
      commands: { install: ["npm ci"], test: ["npm test"], build: [] },
      dockerfile: "Dockerfile",
      context: ".",
      version: { from: "package-json", path: "package.json" },
    });
    expect(shop?.deploy.staging).toEqual({
      kind: "helm",
      file: "envs/staging/shop/values.yaml",
      path: "image.tag",
      field: "tag",
      application: "shop-staging",
    });
    expect(shop?.deploy.production).toMatchObject({
      kind: "kustomize",
      image: "shop",
      application: "shop-production",
    });
    expect(billing?.deploy.staging).toMatchObject({
      kind: "marker",
      marker: "billing",
      field: "repository+tag",
    });
    expect(billing?.image.tag).toBe("{sha}");
    expect(config.configRepo).toMatchObject({
      branch: "main",
      author: { name: "Shipline", email: "shipline@noreply.invalid" },
      commitMessage: "deploy({environment}): {app} {tag}",
      credentials: {
        provider: "github-app",
        appId: "123456",
        installationId: "7654321",
        apiUrl: "https://api.github.com",
      },
    });
    expect(config.scanPolicy).toMatchObject({
      severityThreshold: "HIGH",
      onlyFixable: false,
      timeoutSeconds: 1800,
      onTimeout: "reject",
      failClosed: true,
    });
  });

  it("reads the example shipline.config.yaml at the repository root as the local demo's config", () => {
    // Arrange
    const text = readFileSync(path.join(repoRoot, "shipline.config.yaml"), "utf8");

    // Act
    const config = parseConfig(text);

    // Assert
    expect(config.apps.map((app) => app.name)).toEqual(["demo"]);
    expect(config.apps[0]?.image.tag).toBe("{version}-{sha7}");
    expect(config.apps[0]?.build).toMatchObject({ commands: { test: ["npm test"] } });
    expect(config.environments).toEqual([
      expect.objectContaining({
        name: "staging",
        cluster: "local",
        approval: "auto",
        autoRollback: true,
        soakSeconds: 0,
        verifyDeadlineSeconds: 180,
      }),
      expect.objectContaining({
        name: "production",
        cluster: "local",
        promoteFrom: "staging",
        approval: "auto",
        soakSeconds: 10,
      }),
    ]);
    expect(config.apps[0]?.deploy.staging).toMatchObject({
      kind: "helm",
      file: "envs/staging/values.yaml",
      path: "image.tag",
    });
    expect(config.apps[0]?.deploy.production).toMatchObject({
      kind: "kustomize",
      file: "envs/production/kustomization.yaml",
      image: config.apps[0]?.image.repository,
    });
    expect(config.configRepo.credentials.provider).toBe("oidc-exchange");
    expect(config.scanPolicy.severityThreshold).toBe("HIGH");
    expect(config.scanPolicy.allowList).toHaveLength(1);
  });

  it("accepts YAML anchors and merge keys to share settings", () => {
    // Arrange
    const text = toYaml(validConfig()).replace(
      "environments:\n",
      "x-defaults: &defaults\n  verifyDeadline: 7m\nenvironments:\n",
    );
    const withMerge = text
      .replace("x-defaults: &defaults\n  verifyDeadline: 7m\n", "")
      .replace("  - name: staging\n", "  - &staging\n    name: staging\n    verifyDeadline: 7m\n")
      .replace("  - name: production\n", "  - <<: *staging\n    name: production\n");

    // Act
    const config = parseConfig(withMerge);

    // Assert
    expect(config.environments[1]).toMatchObject({
      name: "production",
      verifyDeadlineSeconds: 900,
      autoRollback: true,
    });
    expect(config.environments[0]?.verifyDeadlineSeconds).toBe(420);
  });
});

describe("parseConfig refuses each kind of error", () => {
  it.each<[string, (config: RawConfig) => void, string, string]>([
    [
      "an unknown top-level key",
      (c) => Object.assign(c, { extra: 1 }),
      "extra",
      "'extra' is not a known key",
    ],
    [
      "a misspelt key, suggesting the right one",
      (c) => Object.assign(c.apps[0]?.image ?? {}, { tags: "{sha}" }),
      "apps[0].image.tags",
      "did you mean 'tag'?",
    ],
    [
      "a missing required key",
      (c) => delete c.apps[0]?.image.repository,
      "apps[0].image.repository",
      "is missing",
    ],
    [
      "an unsupported version",
      (c) => Object.assign(c, { version: 2 }),
      "version",
      "2 is not supported; write version: 1",
    ],
    ["a missing section", (c) => Reflect.deleteProperty(c, "configRepo"), "configRepo", "is missing"],
    [
      "a branch pattern no git branch can match",
      (c) => Object.assign(c.apps[0]?.source ?? {}, { branch: "main;$(touch /tmp/x)" }),
      "apps[0].source.branch",
      "can match no branch: the name contains a space",
    ],
    ["an empty list of apps", (c) => Object.assign(c, { apps: [] }), "apps", "is an empty list"],
    [
      "a name that is not a DNS label",
      (c) => Object.assign(c.apps[0] ?? {}, { name: "Shop_API" }),
      "apps[0].name",
      "'Shop_API' is not a valid name",
    ],
    [
      "a duplicate environment name",
      (c) => Object.assign(c.environments[1] ?? {}, { name: "staging", promoteFrom: undefined }),
      "environments[1].name",
      "'staging' is also the name of environments[0]",
    ],
    [
      "a duplicate app name",
      (c) => Object.assign(c.apps[1] ?? {}, { name: "shop" }),
      "apps[1].name",
      "is also the name of apps[0]",
    ],
    [
      "a duplicate cluster name",
      (c) => c.clusters.push({ name: "prod-eu" }),
      "clusters[2].name",
      "is also the name of clusters[1]",
    ],
    [
      "an environment on an undeclared cluster",
      (c) => Object.assign(c.environments[0] ?? {}, { cluster: "stage-us" }),
      "environments[0].cluster",
      "'stage-us' is not declared under clusters; did you mean 'stage-eu'?",
    ],
    [
      "promoteFrom naming a missing environment",
      (c) => Object.assign(c.environments[1] ?? {}, { promoteFrom: "qa" }),
      "environments[1].promoteFrom",
      "'qa' is not declared under environments",
    ],
    [
      "a promoteFrom cycle",
      (c) => Object.assign(c.environments[0] ?? {}, { promoteFrom: "production" }),
      "environments[0].promoteFrom",
      "'staging' promotes from 'production', 'production' promotes from 'staging': a cycle",
    ],
    [
      "an environment promoting from itself",
      (c) => Object.assign(c.environments[0] ?? {}, { promoteFrom: "staging" }),
      "environments[0].promoteFrom",
      "'staging' promotes from itself",
    ],
    [
      "a deploy target for an unknown environment",
      (c) =>
        Object.assign(c.apps[0]?.deploy ?? {}, { qa: { kind: "helm", file: "qa.yaml", path: "image.tag" } }),
      "apps[0].deploy.qa",
      "'qa' is not declared under environments",
    ],
    [
      "a deploy target that skips the upstream environment",
      (c) => delete c.apps[1]?.deploy.staging,
      "apps[1].deploy.production",
      "production promotes from staging, where this app has no target, so nothing could reach production; add deploy.staging",
    ],
    [
      "an app with no deploy target",
      (c) => Object.assign(c.apps[1] ?? {}, { deploy: {} }),
      "apps[1].deploy",
      "has no targets",
    ],
    [
      "an unknown deploy kind",
      (c) => Object.assign(c.apps[0]?.deploy.staging ?? {}, { kind: "kustomise" }),
      "apps[0].deploy.staging.kind",
      "'kustomise' is not allowed; did you mean 'kustomize'?",
    ],
    [
      "an absolute deploy file",
      (c) => Object.assign(c.apps[0]?.deploy.staging ?? {}, { file: "/etc/values.yaml" }),
      "apps[0].deploy.staging.file",
      "'/etc/values.yaml' is absolute",
    ],
    [
      "a Dockerfile outside the repository",
      (c) => Object.assign(c.apps[0]?.build ?? {}, { dockerfile: "docker/../../Dockerfile" }),
      "apps[0].build.dockerfile",
      "leaves the repository through '..'",
    ],
    [
      "a source glob outside the repository",
      (c) => Object.assign(c.apps[0]?.source ?? {}, { paths: ["src/**", "../common/**"] }),
      "apps[0].source.paths[1]",
      "'../common/**' leaves the repository",
    ],
    [
      "a Windows-style path",
      (c) => Object.assign(c.apps[0]?.build ?? {}, { context: "services\\api" }),
      "apps[0].build.context",
      "uses '\\'; write it with '/': 'services/api'",
    ],
    [
      "a tag template that is latest",
      (c) => Object.assign(c.apps[1]?.image ?? {}, { tag: "latest" }),
      "apps[1].image.tag",
      "'latest' is a mutable tag",
    ],
    [
      "a tag template without the commit",
      (c) => Object.assign(c.apps[0]?.image ?? {}, { tag: "{version}" }),
      "apps[0].image.tag",
      "does not contain {sha} or {sha7}",
    ],
    [
      "a tag template with characters a tag cannot hold",
      (c) => Object.assign(c.apps[0]?.image ?? {}, { tag: "{version}:{sha7}" }),
      "apps[0].image.tag",
      "literal text ':' has characters a tag cannot hold",
    ],
    [
      "a tag template using {version} with no version source",
      (c) => delete c.apps[0]?.build.version,
      "apps[0].build.version",
      "the tag template uses {version} but nothing says where the version is",
    ],
    [
      "a duration that does not parse",
      (c) => Object.assign(c.environments[0] ?? {}, { soakTime: "10 minutes" }),
      "environments[0].soakTime",
      "'10 minutes' is not a duration",
    ],
    [
      "a duration without a unit",
      (c) => Object.assign(c.environments[1] ?? {}, { verifyDeadline: 90 }),
      "environments[1].verifyDeadline",
      "90 has no unit; write it with a unit, such as 90s or 90m",
    ],
    [
      "a duration out of range",
      (c) => Object.assign(c.environments[1] ?? {}, { verifyDeadline: "2s" }),
      "environments[1].verifyDeadline",
      "'2s' is out of range; use a duration between 10s and 1d",
    ],
    [
      "an unknown approval mode",
      (c) => Object.assign(c.environments[1] ?? {}, { approval: "manuel" }),
      "environments[1].approval",
      "'manuel' is not allowed; did you mean 'manual'?",
    ],
    [
      "a YAML 1.1 boolean",
      (c) => Object.assign(c.environments[0] ?? {}, { autoRollback: "yes" }),
      "environments[0].autoRollback",
      "'yes' is not true or false",
    ],
    [
      "pull-request approval without pull request settings",
      (c) => Object.assign(c.environments[1] ?? {}, { approval: "pull-request" }),
      "environments[1].approval",
      "is pull-request but configRepo.pullRequest is not set",
    ],
    [
      "an unknown credential provider",
      (c) => Object.assign(c.configRepo.credentials, { provider: "ssh-key" }),
      "configRepo.credentials.provider",
      "'ssh-key' is not allowed; use one of oidc-exchange, github-app, codecommit, token",
    ],
    [
      "a provider-specific key that is missing",
      (c) => delete c.configRepo.credentials.privateKeySecret,
      "configRepo.credentials.privateKeySecret",
      "is missing",
    ],
    [
      "a plain-http repository URL",
      (c) => Object.assign(c.apps[0]?.source ?? {}, { repo: "http://git.example.com/acme/shop.git" }),
      "apps[0].source.repo",
      "'http://git.example.com' is not https",
    ],
    [
      "a branch written as a ref",
      (c) => Object.assign(c.apps[0]?.source ?? {}, { branch: "refs/heads/release/*" }),
      "apps[0].source.branch",
      "write the branch name without the prefix, e.g. release/*",
    ],
    [
      "an image repository with a tag",
      (c) => Object.assign(c.apps[0]?.image ?? {}, { repository: "ghcr.io/acme/shop:1.0" }),
      "apps[0].image.repository",
      "has a tag; write the repository only ('ghcr.io/acme/shop')",
    ],
    [
      "two apps pushing to one image repository",
      (c) => Object.assign(c.apps[1]?.image ?? {}, { repository: "shop" }),
      "apps[1].image.repository",
      "'shop' is also the image repository of apps[0]",
    ],
    [
      "two targets writing the same place",
      (c) =>
        Object.assign(c.apps[1]?.deploy.staging ?? {}, {
          kind: "helm",
          file: "envs/staging/shop/values.yaml",
          path: "image.tag",
        }),
      "apps[1].deploy.staging",
      "writes the same place as apps[0].deploy.staging (envs/staging/shop/values.yaml image.tag)",
    ],
    [
      "an unknown commit message placeholder",
      (c) => Object.assign(c.configRepo, { commitMessage: "deploy {application}" }),
      "configRepo.commitMessage",
      "{application} is not a known placeholder",
    ],
    [
      "an allow-list entry for an unknown app",
      (c) => Object.assign(c.scanPolicy.allowList[0] ?? {}, { apps: ["shopp"] }),
      "scanPolicy.allowList[0].apps[0]",
      "'shopp' is not declared under apps; did you mean 'shop'?",
    ],
    [
      "an allow-list entry with an impossible date",
      (c) => Object.assign(c.scanPolicy.allowList[0] ?? {}, { expires: "2026-02-30" }),
      "scanPolicy.allowList[0].expires",
      "'2026-02-30' is not a calendar date",
    ],
    [
      "an allow-list entry given twice",
      (c) => c.scanPolicy.allowList.push({ id: "CVE-2024-3094", reason: "again", expires: "2027-01-01" }),
      "scanPolicy.allowList[1].id",
      "CVE-2024-3094 is already allowed by scanPolicy.allowList[0]",
    ],
    [
      "an unknown severity threshold",
      (c) => Object.assign(c.scanPolicy, { severityThreshold: "SEVERE" }),
      "scanPolicy.severityThreshold",
      "'SEVERE' is not allowed; use one of CRITICAL, HIGH, MEDIUM, LOW",
    ],
  ])("reports %s", (_kind, change, expectedPath, expectedText) => {
    // Arrange
    const text = mutated(change);

    // Act
    const error = configError(text);

    // Assert
    expect(error.code).toBe("CONFIG_INVALID");
    expect(error.retryable).toBe(false);
    const matching = problemsOf(error).filter((problem) => problem.path === expectedPath);
    expect(matching.map((problem) => `${problem.message}; ${problem.fix}`).join("\n")).toContain(
      expectedText,
    );
    expect(error.message).toContain(`${expectedPath}: `);
  });
});

describe("parseConfig and YAML aliases", () => {
  it("refuses an alias bomb with the reason and the fix, without expanding it", () => {
    // Arrange: each level doubles the one before; expanded, it would hold 2^20 items.
    const levels = Array.from({ length: 20 }, (_, index) =>
      index === 0 ? "a0: &a0 [x, x]" : `a${index}: &a${index} [*a${index - 1}, *a${index - 1}]`,
    );
    const text = `${levels.join("\n")}\nversion: 1\n`;

    // Act
    const parse = () => parseConfig(text);

    // Assert
    expect(parse).toThrow(
      expect.objectContaining({
        code: "CONFIG_INVALID",
        message: expect.stringMatching(/YAML aliases expand too much.*use at most 100 alias expansions/s),
      }),
    );
  });
});

describe("parseConfig reports every problem at once", () => {
  it("lists problems from the schema and from cross-key checks together, each with its line", () => {
    // Arrange
    const text = mutated((c) => {
      Object.assign(c.environments[0] ?? {}, { soakTime: "soon", cluster: "nowhere" });
      Object.assign(c.environments[1] ?? {}, { promotFrom: "staging" });
      Object.assign(c.apps[0]?.image ?? {}, { tag: "latest" });
      Object.assign(c.apps[1]?.deploy ?? {}, { qa: { kind: "helm", file: "../qa.yaml", path: "image.tag" } });
    });

    // Act
    const error = configError(text);

    // Assert
    const problems = problemsOf(error);
    expect(problems.map((problem) => problem.path).toSorted()).toEqual(
      [
        "apps[0].image.tag",
        "apps[1].deploy.qa",
        "apps[1].deploy.qa.file",
        "environments[0].cluster",
        "environments[0].soakTime",
        "environments[1].promotFrom",
      ].toSorted(),
    );
    for (const problem of problems) {
      const line = text.split("\n")[(problem.line ?? 0) - 1];
      expect(line, problem.path).toContain(lastKey(problem.path));
    }
    expect(error.message.split("\n")[0]).toBe("shipline.config.yaml has 6 problems:");
  });

  it("writes one line per problem as '<key path>: <what is wrong>; <how to fix> (line N)', in file order", () => {
    // Arrange
    const text = mutated((c) => {
      Object.assign(c.scanPolicy, { onTimeout: "wait" });
      Object.assign(c, { version: "1" });
    });

    // Act
    const error = configError(text);

    // Assert
    const lines = error.message.split("\n").slice(1);
    expect(lines).toEqual([
      `  - version: "1" is not supported; write version: 1 at the top (line ${lineOf(text, "version:")})`,
      `  - scanPolicy.onTimeout: 'wait' is not allowed; use one of reject, approve (line ${lineOf(text, "onTimeout:")})`,
    ]);
  });

  it("names the file it was given in the message", () => {
    // Arrange
    const text = mutated((c) => Object.assign(c, { version: 3 }));

    // Act
    let error: unknown;
    try {
      parseConfig(text, "deploy/shipline.config.yaml");
    } catch (caught) {
      error = caught;
    }

    // Assert
    expect(error).toBeInstanceOf(ShiplineError);
    expect(error instanceof ShiplineError && error.message).toMatch(
      /^deploy\/shipline\.config\.yaml has 1 problem:/,
    );
    expect(error instanceof ShiplineError && error.data.source).toBe("deploy/shipline.config.yaml");
  });

  it("never repeats credentials written into a URL", () => {
    // Arrange
    const text = mutated((c) =>
      Object.assign(c.configRepo, { url: "https://bot:ghp_s3cr3tT0ken@github.com/acme/deploy.git" }),
    );

    // Act
    const error = configError(text);

    // Assert
    expect(problemsOf(error)).toEqual([
      expect.objectContaining({ path: "configRepo.url", message: "the URL contains credentials" }),
    ]);
    expect(error.message).not.toContain("s3cr3t");
    expect(JSON.stringify(error.data)).not.toContain("s3cr3t");
  });
});

describe("parseConfig on files that are not a config", () => {
  it.each<[string, string, string, number | undefined]>([
    ["a YAML syntax error", "version: 1\napps: [\n", "YAML syntax", 3],
    ["a key given twice in one mapping", "version: 1\nversion: 1\n", "Map keys must be unique", 2],
    ["an empty file", "# nothing yet\n", "the file is empty", undefined],
    ["a list instead of a mapping", "- version: 1\n", "a list is not a mapping", 1],
  ])("reports %s", (_case, text, expected, line) => {
    // Act
    const error = configError(text);

    // Assert
    expect(error.code).toBe("CONFIG_INVALID");
    const [first] = problemsOf(error);
    expect(first?.message).toContain(expected);
    expect(first?.line).toBe(line);
  });
});

function lineOf(text: string, fragment: string): number {
  return text.split("\n").findIndex((line) => line.includes(fragment)) + 1;
}

function lastKey(path: string): string {
  const key = path.split(".").at(-1) ?? path;
  return `${key.replace(/\[\d+\]$/, "")}:`;
}
