import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { App } from "aws-cdk-lib";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import type * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseConfig } from "../../../functions/core/config/parse-config.js";
import { buildspecYaml, renderBuildspec } from "../../../infra/constructs/buildspec.js";
import type { CommitToImage } from "../../../infra/constructs/commit-to-image.js";
import { StepFunction } from "../../../infra/constructs/step-function.js";
import {
  type StepFunctionConfig,
  stepFunctionConfigOf,
} from "../../../infra/constructs/step-function-config.js";
import { createApp } from "../../../infra/create-app.js";
import type { ShiplineStack } from "../../../infra/stacks/shipline-stack.js";
import { acknowledgements, awsSolutionsFindings } from "../nag-findings.js";

const fixtures = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../../fixtures/buildspec");

type Resource = { Type: string; Properties: Record<string, unknown> };

let outdir: string;
let app: App;
let stack: ShiplineStack;
let steps: CommitToImage;
let deployed: StepFunctionConfig;
let template: Template;
let resources: Record<string, Resource>;

const resolved = (value: unknown): unknown => stack.resolve(value);
const logicalId = (ref: string, within: ShiplineStack = stack): string => {
  const value = within.resolve(ref);
  if (typeof value === "object" && value !== null && "Ref" in value && typeof value.Ref === "string") {
    return value.Ref;
  }
  throw new Error(`not a Ref: ${JSON.stringify(value)}`);
};

/** Every statement of every policy attached to a role (of the stack of the tests, or `within`). */
function statementsOf(
  role: iam.IRole,
  within: { stack: ShiplineStack; resources: Record<string, Resource> } = { stack, resources },
): { Action: string | string[]; Resource: unknown }[] {
  const roleId = logicalId(role.roleName, within.stack);
  return Object.values(within.resources)
    .filter((resource) => resource.Type === "AWS::IAM::Policy")
    .filter((resource) => JSON.stringify(resource.Properties.Roles).includes(`"${roleId}"`))
    .flatMap((resource) => {
      const document = resource.Properties.PolicyDocument;
      if (typeof document !== "object" || document === null || !("Statement" in document)) return [];
      return Array.isArray(document.Statement) ? document.Statement : [];
    });
}

/** The sorted, distinct actions a role is allowed. */
function actionsOf(role: iam.IRole): string[] {
  const actions = statementsOf(role).flatMap((statement) => [statement.Action].flat());
  return [...new Set(actions)].sort();
}

function environmentOf(step: StepFunction): Record<string, unknown> {
  const fn = resources[stack.getLogicalId(step.fn.node.defaultChild as lambda.CfnFunction)];
  const environment = fn?.Properties.Environment;
  if (typeof environment !== "object" || environment === null || !("Variables" in environment)) {
    throw new Error("the function has no environment");
  }
  return environment.Variables as Record<string, unknown>;
}

/** What every step's role may do: write its own logs and traces, publish, dead-letter its failures. */
const BASE_ACTIONS = [
  "events:PutEvents",
  "logs:CreateLogStream",
  "logs:PutLogEvents",
  "sqs:GetQueueAttributes",
  "sqs:GetQueueUrl",
  "sqs:SendMessage",
  "xray:PutTelemetryRecords",
  "xray:PutTraceSegments",
];
/** What claiming and reading back an idempotency record takes (get, put ifAbsent). */
const CLAIM_ACTIONS = ["dynamodb:GetItem", "dynamodb:PutItem"];
/** What announcing an image takes: claim it, record it, release the claim when publishing fails. */
const ANNOUNCE_ACTIONS = ["dynamodb:DeleteItem", "dynamodb:GetItem", "dynamodb:PutItem"];
const ECR_READ = ["ecr:BatchGetImage", "ecr:DescribeImages", "ecr:GetDownloadUrlForLayer"];
/** What image-pushed needs to arm an image's scan timeout in the scan gate's schedule group. */
const SCAN_TIMEOUT_ACTIONS = ["iam:PassRole", "scheduler:CreateSchedule", "scheduler:UpdateSchedule"];

beforeAll(async () => {
  outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-cdk-"));
  deployed = stepFunctionConfigOf(readFileSync(path.join(fixtures, "shipline.config.yaml"), "utf8"));
  ({ app, stack } = createApp({
    app: { outdir, builtinCloudFormationValidation: false },
    stack: { config: deployed, functionCode: lambda.Code.fromInline("exports.handler = async () => {};") },
  }));
  if (stack.commitToImage === undefined) throw new Error("the stack deployed no steps 1 to 4");
  steps = stack.commitToImage;
  template = Template.fromStack(stack);
  resources = template.toJSON().Resources;
});

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe("CommitToImage", () => {
  it("lets each step's function do only its own step", () => {
    // Act
    const webhook = actionsOf(steps.webhook.step.role);
    const startBuild = actionsOf(steps.startBuild.role);
    const buildStatus = actionsOf(steps.buildStatus.role);
    const imagePushed = actionsOf(steps.imagePushed.role);
    const sweep = actionsOf(steps.imageSweep.step.role);

    // Assert
    const sorted = (...lists: string[][]) => [...new Set(lists.flat())].sort();
    expect(webhook).toEqual(
      sorted(BASE_ACTIONS, CLAIM_ACTIONS, ["secretsmanager:DescribeSecret", "secretsmanager:GetSecretValue"]),
    );
    expect(startBuild).toEqual(sorted(BASE_ACTIONS, CLAIM_ACTIONS, ["codebuild:StartBuild"]));
    expect(buildStatus).toEqual(sorted(BASE_ACTIONS, CLAIM_ACTIONS, ["codebuild:BatchGetBuilds"]));
    expect(imagePushed).toEqual(sorted(BASE_ACTIONS, ANNOUNCE_ACTIONS, ECR_READ, SCAN_TIMEOUT_ACTIONS));
    expect(sweep).toEqual(
      sorted(
        BASE_ACTIONS.filter((action) => !action.startsWith("sqs:")),
        ANNOUNCE_ACTIONS,
        ECR_READ,
      ),
    );
  });

  it("scopes every grant to Shipline's own resources", () => {
    // Arrange
    const projectArns = [...steps.builds.values()].flatMap((build) =>
      build.project ? [resolved(build.project.projectArn)] : [],
    );
    const imageRepositoryArns = [...steps.builds.values()].map((build) =>
      resolved(build.imageRepository.repositoryArn),
    );

    // Act
    const startBuild = statementsOf(steps.startBuild.role).find((s) => s.Action === "codebuild:StartBuild");
    const buildReads = statementsOf(steps.buildStatus.role).find(
      (s) => s.Action === "codebuild:BatchGetBuilds",
    );
    const ecrReads = statementsOf(steps.imagePushed.role).filter((s) =>
      JSON.stringify(s.Action).includes("ecr:"),
    );
    const publishes = statementsOf(steps.buildStatus.role).filter((s) => s.Action === "events:PutEvents");
    const passRole = statementsOf(steps.imagePushed.role).filter((s) => s.Action === "iam:PassRole");
    const schedules = statementsOf(steps.imagePushed.role).filter((s) =>
      JSON.stringify(s.Action).includes("scheduler:"),
    );

    // Assert
    expect(startBuild?.Resource).toEqual(projectArns);
    expect(buildReads?.Resource).toEqual(projectArns);
    expect(projectArns).toHaveLength(3);
    expect(ecrReads.map((s) => s.Resource)).toEqual(imageRepositoryArns);
    expect(publishes.map((s) => s.Resource)).toEqual([resolved(stack.bus.eventBus.eventBusArn)]);
    expect(passRole.map((s) => s.Resource)).toEqual([resolved(stack.scanGate?.timeoutRole.roleArn)]);
    expect(schedules.map((s) => s.Resource)).toEqual([
      {
        "Fn::Join": [
          "",
          [
            "arn:",
            { Ref: "AWS::Partition" },
            ":scheduler:",
            { Ref: "AWS::Region" },
            ":",
            { Ref: "AWS::AccountId" },
            `:schedule/${resolved(stack.scanGate?.timeoutGroup.scheduleGroupName)}/*`,
          ],
        ],
      },
    ]);
    for (const step of [steps.startBuild, steps.buildStatus, steps.imagePushed, steps.webhook.step]) {
      const wildcards = statementsOf(step.role).filter((s) => s.Resource === "*");
      expect(wildcards.map((s) => s.Action)).toEqual([["xray:PutTraceSegments", "xray:PutTelemetryRecords"]]);
    }
  });

  it("runs every function on Node.js arm64 with active tracing, Powertools settings and a log group of its own", () => {
    // Arrange
    const all = [
      steps.webhook.step,
      steps.startBuild,
      steps.buildStatus,
      steps.imagePushed,
      steps.imageSweep.step,
    ];

    const stepFunctionIds = stack.node
      .findAll()
      .filter((construct): construct is StepFunction => construct instanceof StepFunction)
      .map((step) => stack.getLogicalId(step.fn.node.defaultChild as lambda.CfnFunction));

    // Act
    const functions = template.findResources("AWS::Lambda::Function");

    // Assert
    // Every function of the stack is a step function (no helper function of a custom resource).
    expect(Object.keys(functions).sort()).toEqual([...stepFunctionIds].sort());
    for (const step of all) {
      expect(stepFunctionIds).toContain(stack.getLogicalId(step.fn.node.defaultChild as lambda.CfnFunction));
    }
    for (const fn of Object.values(functions)) {
      expect(fn.Properties).toMatchObject({
        Architectures: ["arm64"],
        Runtime: "nodejs24.x",
        TracingConfig: { Mode: "Active" },
        LoggingConfig: { LogFormat: "JSON", LogGroup: { Ref: expect.any(String) } },
      });
    }
    expect(all.map((step) => environmentOf(step).POWERTOOLS_SERVICE_NAME)).toEqual([
      "webhook",
      "start-build",
      "build-status",
      "image-pushed",
      "image-sweep",
    ]);
    template.hasResourceProperties("AWS::Logs::LogGroup", { RetentionInDays: 90 });
  });

  it("gives the steps that read the configuration its document, which parses back to the same configuration", () => {
    // Act
    const startBuild = environmentOf(steps.startBuild);

    // Assert
    expect(typeof startBuild.CONFIG_JSON).toBe("string");
    expect(parseConfig(String(startBuild.CONFIG_JSON), "CONFIG_JSON")).toEqual(deployed.config);
    expect(environmentOf(steps.imagePushed).CONFIG_JSON).toBe(deployed.documentJson);
    // No app names accept.branches: image-pushed is bundled without git.
    expect(path.basename(steps.imagePushed.entry)).toBe("image-pushed.ts");
    // The webhook answers pushes of repositories the configuration does not name without publishing.
    expect(environmentOf(steps.webhook.step).CONFIG_JSON).toBe(deployed.documentJson);
    expect(environmentOf(steps.buildStatus).CONFIG_JSON).toBeUndefined();
    expect(JSON.parse(String(startBuild.BUILD_PROJECTS))).toEqual({
      shop: steps.builds.get("shop")?.projectName,
      billing: steps.builds.get("billing")?.projectName,
      docs: steps.builds.get("docs")?.projectName,
    });
    // build-status reads the builds of the apps with a chart only.
    expect(JSON.parse(String(environmentOf(steps.buildStatus).CHART_APPS))).toEqual(["billing"]);
  });

  it("creates each Shipline-managed repository with immutable tags, scan on push and a lifecycle policy", () => {
    // Act
    const repositories = Object.values(template.findResources("AWS::ECR::Repository"));

    // Assert
    expect(repositories.map((r) => r.Properties.RepositoryName).sort()).toEqual([
      "charts/billing",
      "demo",
      "docs",
      "shop",
      "team/billing",
    ]);
    for (const repository of repositories) {
      expect(repository.Properties).toMatchObject({
        ImageTagMutability: "IMMUTABLE",
        ImageScanningConfiguration: { ScanOnPush: true },
      });
      expect(repository.DeletionPolicy).toBe("Retain");
      const rules = JSON.parse(repository.Properties.LifecyclePolicy.LifecyclePolicyText).rules;
      expect(rules.map((rule: { selection: unknown }) => rule.selection)).toEqual([
        { tagStatus: "untagged", countType: "sinceImagePushed", countNumber: 7, countUnit: "days" },
        { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 500 },
      ]);
    }
  });

  it("builds each app in a privileged CodeBuild project running its generated buildspec, allowed to push to its own repositories only", () => {
    // Arrange
    const billing = steps.builds.get("billing");
    if (billing?.project === undefined || billing.chartRepository === undefined)
      throw new Error("no billing build");
    const app = deployed.config.apps.find((candidate) => candidate.name === "billing");
    if (app === undefined) throw new Error("no billing app");

    // Act
    const project = resources[stack.getLogicalId(billing.project.node.defaultChild as never)]?.Properties;
    const pushes = statementsOf(billing.project.role as iam.IRole).filter((s) =>
      JSON.stringify(s.Action).includes("ecr:PutImage"),
    );

    // Assert
    expect(project).toMatchObject({
      Environment: {
        PrivilegedMode: true,
        Image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
        EnvironmentVariables: [
          { Name: "SHIPLINE_APP", Value: "billing" },
          { Name: "SHIPLINE_IMAGE_REPOSITORY_URI", Value: resolved(billing.imageRepository.repositoryUri) },
          { Name: "SHIPLINE_CHART_REPOSITORY_URI", Value: resolved(billing.chartRepository.repositoryUri) },
        ],
      },
      Source: {
        Type: "CODECOMMIT",
        Location: {
          "Fn::Join": [
            "",
            ["https://git-codecommit.eu-west-1.", { Ref: "AWS::URLSuffix" }, "/v1/repos/billing"],
          ],
        },
        BuildSpec: buildspecYaml(renderBuildspec(app)),
      },
      EncryptionKey: { "Fn::GetAtt": [expect.stringMatching(/^CommitToImageBuildKey/), "Arn"] },
      LogsConfig: { CloudWatchLogs: { Status: "ENABLED" } },
    });
    expect(pushes.map((s) => s.Resource)).toEqual([
      resolved(billing.imageRepository.repositoryArn),
      resolved(billing.chartRepository.repositoryArn),
    ]);
  });

  it("creates no project for an app of the local runtime, and says so", () => {
    // Act
    const demo = steps.builds.get("demo");
    const warnings = Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("local:demo"));

    // Assert
    expect(demo?.project).toBeUndefined();
    expect(warnings).toHaveLength(1);
    template.resourceCountIs("AWS::CodeBuild::Project", 3);
  });

  it("exposes the webhook through a Function URL the function itself authenticates, with a generated secret", () => {
    // Act
    const secrets = Object.values(template.findResources("AWS::SecretsManager::Secret"));
    const webhook = environmentOf(steps.webhook.step);

    // Assert
    template.hasResourceProperties("AWS::Lambda::Url", {
      AuthType: "NONE",
      TargetFunctionArn: resolved(steps.webhook.step.fn.functionArn),
    });
    expect(secrets).toHaveLength(1);
    expect(secrets[0]?.Properties.GenerateSecretString).toEqual({
      PasswordLength: 48,
      ExcludePunctuation: true,
    });
    expect(secrets[0]?.Properties.SecretString).toBeUndefined();
    expect(webhook.WEBHOOK_SECRET_ARN).toEqual(resolved(steps.webhook.secret.secretArn));
    expect(webhook.IDEMPOTENCY_TABLE).toEqual(resolved(steps.idempotencyTable.table.tableName));
    // No app of the configuration reads a CodeCommit repository's differences: it filters by no path.
    expect(webhook.CHANGED_PATHS_REPOSITORIES).toBeUndefined();
    template.hasOutput("WebhookUrl", {});
  });

  it("keeps idempotency records and known images in tables with TTL and point-in-time recovery", () => {
    const own = [steps.idempotencyTable.table, steps.imagesTable.table].map((table) =>
      logicalId(table.tableName),
    );

    // Act
    const tables = own.map((id) => resources[id]);

    // Assert
    expect(new Set(own).size).toBe(2);
    for (const table of tables) {
      expect(table?.Type).toBe("AWS::DynamoDB::Table");
      expect(table?.Properties).toMatchObject({
        KeySchema: [
          { AttributeName: "pk", KeyType: "HASH" },
          { AttributeName: "sk", KeyType: "RANGE" },
        ],
        BillingMode: "PAY_PER_REQUEST",
        TimeToLiveSpecification: { AttributeName: "expiresAt", Enabled: true },
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      });
    }
  });

  it("runs the image sweep every five minutes through a role that may only invoke it", () => {
    // Arrange
    const sweepArn = resolved(steps.imageSweep.step.fn.functionArn);

    // Act
    const schedules = Object.values(template.findResources("AWS::Scheduler::Schedule"));
    const roleArn = schedules[0]?.Properties.Target.RoleArn;
    const role = Object.entries(resources).find(([id]) => JSON.stringify(roleArn).includes(`"${id}"`));
    const policies = Object.values(resources).filter(
      (r) => r.Type === "AWS::IAM::Policy" && JSON.stringify(r.Properties.Roles).includes(`"${role?.[0]}"`),
    );

    // Assert
    expect(schedules).toHaveLength(1);
    expect(schedules[0]?.Properties).toMatchObject({
      ScheduleExpression: "rate(5 minutes)",
      Target: { Arn: sweepArn },
    });
    expect(JSON.stringify(policies.map((p) => p.Properties.PolicyDocument))).toBe(
      JSON.stringify([
        {
          Statement: [
            {
              Action: "lambda:InvokeFunction",
              Effect: "Allow",
              Resource: [sweepArn, { "Fn::Join": ["", [sweepArn, ":*"]] }],
            },
          ],
          Version: "2012-10-17",
        },
      ]),
    );
  });

  it("connects each step's function to its rules, and dead-letters what it fails on in the step's queue", () => {
    // Arrange
    const connected = [
      ["webhook", steps.webhook.step],
      ["start-build", steps.startBuild],
      ["build-status", steps.buildStatus],
      ["image-pushed", steps.imagePushed],
    ] as const;

    // Act / Assert
    for (const [name, step] of connected) {
      const queue = stack.routing.deadLetterQueueOf(name);
      expect(queue, name).toBeDefined();
      template.hasResourceProperties("AWS::Lambda::EventInvokeConfig", {
        FunctionName: resolved(step.fn.functionName),
        MaximumRetryAttempts: 2,
        DestinationConfig: { OnFailure: { Destination: resolved(queue?.queueArn) } },
      });
      template.hasResourceProperties("AWS::Events::Rule", {
        Targets: [
          Match.objectLike({
            Arn: resolved(step.fn.functionArn),
            DeadLetterConfig: { Arn: resolved(queue?.queueArn) },
          }),
        ],
      });
    }
  });

  it("lets the webhook read the differences of the CodeCommit repositories whose apps filter by path, and names them", async () => {
    // Arrange
    const billing = "repo: https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/billing\n";
    const text = readFileSync(path.join(fixtures, "shipline.config.yaml"), "utf8");
    const filtering = stepFunctionConfigOf(text.replace(billing, `${billing}      paths: ["src/**"]\n`));
    const dir = await mkdtemp(path.join(os.tmpdir(), "shipline-cdk-"));

    try {
      // Act
      const { stack: other } = createApp({
        app: { outdir: dir, builtinCloudFormationValidation: false },
        stack: {
          config: filtering,
          functionCode: lambda.Code.fromInline("exports.handler = async () => {};"),
        },
      });

      // Assert
      const parts = other.commitToImage;
      if (parts === undefined) throw new Error("the stack deployed no steps 1 to 4");
      const within = { stack: other, resources: Template.fromStack(other).toJSON().Resources };
      const webhookFunction =
        within.resources[other.getLogicalId(parts.webhook.step.fn.node.defaultChild as lambda.CfnFunction)];
      const differencesOf = (role: iam.IRole) =>
        statementsOf(role, within).filter((statement) => statement.Action === "codecommit:GetDifferences");
      expect(webhookFunction?.Properties.Environment).toMatchObject({
        Variables: {
          CHANGED_PATHS_REPOSITORIES: '["git-codecommit.eu-west-1.amazonaws.com/v1/repos/billing"]',
        },
      });
      const [webhookReads, ...more] = differencesOf(parts.webhook.step.role);
      expect(more).toEqual([]);
      expect(JSON.stringify(webhookReads?.Resource)).toContain(":billing");
      expect(differencesOf(parts.startBuild.role)).toEqual([]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("passes cdk-nag's AwsSolutions pack with no unacknowledged finding, each acknowledgement with a reason", () => {
    // Act
    const findings = awsSolutionsFindings(app);
    const acknowledged = acknowledgements(app);

    // Assert
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
    for (const { path: at, rule, reason } of acknowledged) {
      expect(typeof reason === "string" ? reason.length : 0, `${at} ${rule}`).toBeGreaterThan(40);
    }
  });
});
