import { readFile } from "node:fs/promises";
import { resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import * as z from "zod";

const DIR = resolve(import.meta.dirname, "../../../examples/ci");

const githubWorkflow = z.object({
  permissions: z.record(z.string(), z.string()),
  jobs: z.record(
    z.string(),
    z.object({ steps: z.array(z.looseObject({ uses: z.string().optional(), run: z.string().optional() })) }),
  ),
});

const azurePipeline = z.object({
  steps: z.array(
    z.looseObject({
      task: z.string().optional(),
      bash: z.string().optional(),
      inputs: z.record(z.string(), z.string()).optional(),
    }),
  ),
});

describe("the CI examples (examples/ci)", () => {
  it("GitHub Actions: OIDC to AWS and GHCR with the job's token, the revision label, the announce script", async () => {
    // Arrange
    const text = await readFile(resolve(DIR, "github-actions.yml"), "utf8");

    // Act
    const workflow = githubWorkflow.parse(parse(text));
    const steps = Object.values(workflow.jobs).flatMap((job) => job.steps);

    // Assert
    expect(workflow.permissions).toMatchObject({ "id-token": "write", packages: "write" });
    expect(steps.map((step) => step.uses?.split("@")[0])).toEqual(
      expect.arrayContaining(["aws-actions/configure-aws-credentials", "docker/build-push-action"]),
    );
    // biome-ignore lint/suspicious/noTemplateCurlyInString: GitHub's expression syntax, not a template
    expect(text).toContain("org.opencontainers.image.revision=${{ github.sha }}");
    expect(steps.at(-1)?.run).toContain('./ci/shipline-announce.sh "$IMAGE:$TAG" "$DIGEST"');
    expect(steps.at(-1)?.run, "expressions go through env:, not into the script").not.toContain("${{");
    expect(text).not.toMatch(/aws-access-key-id|AWS_SECRET_ACCESS_KEY/);
  });

  it("Azure Pipelines: build with the revision label, push, announce with the digest", async () => {
    // Arrange
    const text = await readFile(resolve(DIR, "azure-pipelines.yml"), "utf8");

    // Act
    const pipeline = azurePipeline.parse(parse(text));
    const docker = pipeline.steps
      .filter((step) => step.task === "Docker@2")
      .map((step) => step.inputs?.command);

    // Assert
    expect(docker).toEqual(["build", "push"]);
    expect(text).toContain("pr: none");
    expect(pipeline.steps.find((step) => step.inputs?.command === "build")?.inputs?.arguments).toBe(
      "--label org.opencontainers.image.revision=$(Build.SourceVersion)",
    );
    expect(pipeline.steps.at(-1)?.bash).toContain("./ci/shipline-announce.sh");
  });

  it("Jenkins: builds, pushes with the digest file and announces it", async () => {
    // Act
    const text = await readFile(resolve(DIR, "Jenkinsfile"), "utf8");

    // Assert
    expect([...text.matchAll(/stage\('([^']+)'\)/g)].map((match) => match[1])).toEqual([
      "Build",
      "Push",
      "Announce",
    ]);
    expect(text).toContain('--label "org.opencontainers.image.revision=$GIT_COMMIT"');
    expect(text).toContain("--digestfile image.digest");
    expect(text).toContain('./ci/shipline-announce.sh "$IMAGE:$TAG" "$(cat image.digest)"');
    expect(text).toContain("credentialsId: 'shipline-publish-secret', variable: 'SHIPLINE_PUBLISH_SECRET'");
  });
});
