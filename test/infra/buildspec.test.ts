import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ChartVariable } from "../../functions/core/build/chart-variable.js";
import { type AppConfig, app as appSchema } from "../../functions/core/config/app.js";
import { buildspecYaml, renderBuildspec } from "../../infra/constructs/buildspec.js";
import { stepFunctionConfigOf } from "../../infra/constructs/step-function-config.js";

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../fixtures/buildspec");
const { config } = stepFunctionConfigOf(
  readFileSync(path.join(fixtures, "shipline.config.yaml"), "utf8"),
  "test/fixtures/buildspec/shipline.config.yaml",
);

function appNamed(name: string): AppConfig {
  const app = config.apps.find((candidate) => candidate.name === name);
  if (app === undefined) throw new Error(`the fixture configuration has no app ${name}`);
  return app;
}

/** Runs the pre_build commands up to the ECR login, as CodeBuild's one bash shell would, and prints the tag. */
function runTagCommands(app: AppConfig, env: Record<string, string>, cwd: string) {
  const preBuild = renderBuildspec(app).phases.pre_build.commands;
  const commands = preBuild.slice(
    0,
    preBuild.findIndex((command) => command.startsWith("registry=")),
  );
  const script = [...commands, 'printf "%s" "$SHIPLINE_IMAGE_TAG"'].join("\n");
  return spawnSync("bash", ["--noprofile", "--norc", "-c", script], {
    cwd,
    env: { PATH: process.env.PATH, ...env },
    encoding: "utf8",
  });
}

describe("buildspec golden files", () => {
  it.each(config.apps.map((app) => app.name))("generates %s.yaml byte for byte", (name) => {
    // Arrange
    const golden = readFileSync(path.join(fixtures, `${name}.yaml`));

    // Act
    const rendered = buildspecYaml(renderBuildspec(appNamed(name)));

    // Assert
    expect(rendered).toBe(golden.toString("utf8"));
    expect(Buffer.from(rendered, "utf8").equals(golden)).toBe(true);
  });
});

describe("renderBuildspec", () => {
  it("runs every test command before the image is built, and aborts on the first failure", () => {
    // Act
    const spec = renderBuildspec(appNamed("shop"));

    // Assert
    expect(spec.phases.pre_build.commands.slice(-2)).toEqual([
      'cd "$CODEBUILD_SRC_DIR" && npm test',
      'cd "$CODEBUILD_SRC_DIR" && npm run lint',
    ]);
    expect(spec.phases.pre_build.commands.join("\n")).not.toContain("docker build");
    expect(spec.phases.build.commands.at(-1)).toContain("docker build");
    for (const phase of Object.values(spec.phases)) expect(phase?.["on-failure"]).toBe("ABORT");
  });

  it("labels the image with its source revision and correlation id and tags it from start-build's variables", () => {
    // Act
    const docker = renderBuildspec(appNamed("shop")).phases.build.commands.at(-1);

    // Assert
    expect(docker).toContain('--label "org.opencontainers.image.revision=$SHIPLINE_COMMIT"');
    expect(docker).toContain('--label "dev.shipline.correlation-id=$SHIPLINE_CORRELATION_ID"');
    expect(docker).toContain("--label org.opencontainers.image.source=https://github.com/acme/shop.git");
    expect(docker).toContain('--tag "$SHIPLINE_IMAGE_REPOSITORY_URI:$SHIPLINE_IMAGE_TAG" services/shop');
    expect(docker).toContain("--file services/shop/Dockerfile");
  });

  it("pushes nothing once an earlier phase failed", () => {
    // Act
    const [guard, push] = renderBuildspec(appNamed("shop")).phases.post_build.commands;

    // Assert
    expect(guard).toContain('if [ "$CODEBUILD_BUILD_SUCCEEDING" != 1 ]');
    expect(guard).toContain("exit 1");
    expect(push).toBe('docker push "$SHIPLINE_IMAGE_REPOSITORY_URI:$SHIPLINE_IMAGE_TAG"');
  });

  it("packages and pushes the chart to ECR as an OCI artifact only for an app with a chart", () => {
    // Act
    const withChart = renderBuildspec(appNamed("billing"), { architecture: "arm64" });
    const withoutChart = renderBuildspec(appNamed("shop"));

    // Assert
    expect(withChart.phases.install?.commands.join("\n")).toContain("helm-v3.19.0-linux-arm64.tar.gz");
    const postBuild = withChart.phases.post_build.commands;
    const helmPush = postBuild.findIndex((command) => command.includes("helm push"));
    expect(postBuild[helmPush]).toContain(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a bash parameter expansion, not a template
      'helm push "/tmp/shipline-chart/billing-$SHIPLINE_IMAGE_TAG.tgz" "oci://${SHIPLINE_CHART_REPOSITORY_URI%/*}"',
    );
    expect(helmPush).toBeLessThan(postBuild.findIndex((command) => command.startsWith("docker push")));
    expect(withChart.env["exported-variables"]).toEqual(expect.arrayContaining(Object.values(ChartVariable)));
    expect(JSON.stringify(withoutChart)).not.toContain("helm");
  });

  describe("the chart's checks", () => {
    let dir: string;

    beforeEach(async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), "shipline-buildspec-chart-"));
    });

    afterEach(async () => {
      await rm(dir, { recursive: true, force: true });
    });

    it.each([
      ["a chart versioned with the tag", "1.4.0-abc1234-7", "deploy/chart", 0, "CHART_OK"],
      [
        "a tag that is not SemVer",
        "build-abc1234",
        "deploy/chart",
        1,
        "CHART_VERSION_INVALID: the chart's version is the image tag 'build-abc1234'",
      ],
      [
        "a numeric pre-release with a leading zero",
        "1.4.0-0123456",
        "deploy/chart",
        1,
        "CHART_VERSION_INVALID",
      ],
      [
        "a chart path without Chart.yaml",
        "1.4.0-abc1234-7",
        "elsewhere",
        1,
        "CHART_NOT_FOUND: chart.path 'deploy/chart' holds no Chart.yaml",
      ],
    ])(
      "checks %s before packaging it, as CodeBuild's bash runs the commands",
      async (_, tag, chartDir, status, output) => {
        // Arrange: a helm that only shows the chart, as \`helm show chart\` prints Chart.yaml.
        const commands = renderBuildspec(appNamed("billing")).phases.post_build.commands;
        const guards = commands.slice(
          commands.indexOf('cd "$CODEBUILD_SRC_DIR"') + 1,
          commands.findIndex((command) => command.startsWith("helm package")),
        );
        const bin = path.join(dir, "bin");
        await mkdir(bin, { recursive: true });
        await writeFile(path.join(bin, "helm"), '#!/bin/sh\ncat "$3/Chart.yaml"\n', { mode: 0o755 });
        await mkdir(path.join(dir, chartDir), { recursive: true });
        await writeFile(
          path.join(dir, chartDir, "Chart.yaml"),
          "apiVersion: v2\nname: billing # the service\nversion: 0.1.0\n",
        );

        // Act
        const result = spawnSync(
          "bash",
          ["--noprofile", "--norc", "-c", [...guards, "echo CHART_OK"].join("\n")],
          {
            cwd: dir,
            env: { PATH: `${bin}:${process.env.PATH}`, SHIPLINE_IMAGE_TAG: tag },
            encoding: "utf8",
          },
        );

        // Assert
        expect(result.status).toBe(status);
        expect(result.stdout + result.stderr).toContain(output);
      },
    );
  });

  it("leaves out the source label for a local: repository, which no registry reader could resolve", () => {
    // Act
    const docker = renderBuildspec(appNamed("demo")).phases.build.commands.at(-1);

    // Assert
    expect(docker).not.toContain("org.opencontainers.image.source");
  });
});

describe("the generated tag commands", () => {
  let dir: string;

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "shipline-buildspec-"));
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("complete a pending tag with the version file and the build number, as completeTag does", async () => {
    // Arrange
    await writeFile(path.join(dir, "VERSION"), "2.3.0+rc1\n");

    // Act
    const result = runTagCommands(
      appNamed("billing"),
      {
        SHIPLINE_IMAGE_TAG_TEMPLATE: "{version}-0123456-{build}",
        SHIPLINE_VERSION_FROM: "file",
        SHIPLINE_VERSION_PATH: "VERSION",
        CODEBUILD_BUILD_NUMBER: "42",
        SHIPLINE_IMAGE_REPOSITORY_URI: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/billing",
      },
      dir,
    );

    // Assert
    expect(result.stderr).toBe("");
    expect(result.stdout).toBe("2.3.0_rc1-0123456-42");
  });

  it("fail the build when the completed tag is not a valid OCI tag", () => {
    // Act
    const result = runTagCommands(
      appNamed("billing"),
      {
        SHIPLINE_IMAGE_TAG_TEMPLATE: "{version}-0123456-{build}",
        SHIPLINE_VERSION_FROM: "file",
        SHIPLINE_VERSION_PATH: "VERSION",
        CODEBUILD_BUILD_NUMBER: "42",
      },
      dir,
    );

    // Assert
    expect(result.status).not.toBe(0);
    expect(result.stderr).toContain("is not a valid immutable OCI tag");
  });

  it("keep a tag start-build rendered whole", () => {
    // Act
    const result = runTagCommands(appNamed("shop"), { SHIPLINE_IMAGE_TAG: "0123456789abcdef" }, dir);

    // Assert
    expect(result.status).toBe(0);
    expect(result.stdout).toBe("0123456789abcdef");
  });
});

describe("the generated fetch commands of a host CodeBuild cannot clone", () => {
  const URL_OF_REPO = "https://gitea.acme.example/shop/api.git";
  let dir: string;
  let origin: string;
  let checkout: string;

  const git = (cwd: string, ...args: string[]) => {
    const result = spawnSync("git", args, {
      cwd,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        HOME: cwd,
        GIT_AUTHOR_NAME: "Ada",
        GIT_AUTHOR_EMAIL: "ada@example.org",
        GIT_COMMITTER_NAME: "Ada",
        GIT_COMMITTER_EMAIL: "ada@example.org",
      },
    });
    if (result.status !== 0) throw new Error(`git ${args.join(" ")}: ${result.stderr}`);
    return result.stdout.trim();
  };

  const fetchApp = (credentials?: Record<string, unknown>) =>
    appSchema.parse({
      name: "api",
      source: { repo: URL_OF_REPO, host: "gitea", ...(credentials === undefined ? {} : { credentials }) },
      image: { repository: "api" },
      deploy: { staging: { kind: "marker", file: "envs/staging/api.yaml" } },
    });

  /** Runs the install phase's fetch as CodeBuild's bash would, with the repository's URL served from `origin`. */
  const runFetch = (commit: string) => {
    const [script] = renderBuildspec(fetchApp()).phases.install?.commands ?? [];
    return spawnSync("bash", ["--noprofile", "--norc", "-e", "-c", script ?? "exit 3"], {
      encoding: "utf8",
      env: {
        PATH: process.env.PATH,
        HOME: dir,
        CODEBUILD_SRC_DIR: checkout,
        SHIPLINE_COMMIT: commit,
        SHIPLINE_REF_NAME: "main",
        GIT_CONFIG_COUNT: "2",
        GIT_CONFIG_KEY_0: `url.file://${origin}.insteadOf`,
        GIT_CONFIG_VALUE_0: URL_OF_REPO,
        GIT_CONFIG_KEY_1: "protocol.file.allow",
        GIT_CONFIG_VALUE_1: "always",
      },
    });
  };

  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), "shipline-fetch-"));
    origin = path.join(dir, "origin");
    checkout = path.join(dir, "src");
    const work = path.join(dir, "work");
    await Promise.all([origin, checkout, work].map((where) => mkdir(where)));
    git(origin, "init", "--quiet", "--bare", "--initial-branch=main");
    git(work, "init", "--quiet", "--initial-branch=main");
    await writeFile(path.join(work, "README.md"), "one\n");
    git(work, "add", ".");
    git(work, "commit", "--quiet", "-m", "one");
    await writeFile(path.join(work, "README.md"), "two\n");
    git(work, "commit", "--quiet", "-am", "two");
    git(work, "push", "--quiet", origin, "main");
  });

  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("checks out exactly the build's commit, even one behind the branch's head", async () => {
    // Arrange
    const first = git(path.join(dir, "work"), "rev-parse", "HEAD~1");

    // Act
    const result = runFetch(first);

    // Assert
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(git(checkout, "rev-parse", "HEAD")).toBe(first);
    expect(await readFile(path.join(checkout, "README.md"), "utf8")).toBe("one\n");
  });

  it("fails the build for a commit the repository does not have", () => {
    // Act
    const result = runFetch("0123456789abcdef0123456789abcdef01234567");

    // Assert
    expect(result.status).not.toBe(0);
  });

  it("reads the token from Secrets Manager into the environment, never into the commands", () => {
    // Act
    const spec = renderBuildspec(
      fetchApp({ provider: "token", secretName: "shipline/gitea-token", username: "shipline-bot" }),
    );

    // Assert
    expect(spec.env["secrets-manager"]).toEqual({ SHIPLINE_GIT_TOKEN: "shipline/gitea-token" });
    expect(spec.env.variables).toEqual({ SHIPLINE_GIT_USERNAME: "shipline-bot" });
    expect(spec.phases.install?.commands[0]).toContain('"$SHIPLINE_GIT_TOKEN"');
    expect(spec.phases.install?.commands[0]).not.toContain("shipline/gitea-token");
  });

  it("leaves the fetch out of a project CodeBuild clones itself", () => {
    // Act
    const spec = renderBuildspec(appNamed("shop"));

    // Assert
    expect(JSON.stringify(spec)).not.toContain("git remote add origin");
  });
});
