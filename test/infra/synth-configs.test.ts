import { existsSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RULES } from "../../functions/core/topology/rule-topology.js";
import { LAMBDA_ENTRY_DIR, StepFunction } from "../../infra/constructs/step-function.js";
import { CONFIG_FILE_CONTEXT, createAppFromContext, type ShiplineApp } from "../../infra/create-app.js";
import { acknowledgements, awsSolutionsFindings } from "./nag-findings.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The example configuration: the local demo, whose repositories are all `local:`. */
const EXAMPLE = path.join(root, "shipline.config.yaml");
/** The infrastructure tests' configuration: apps and a config repository AWS can reach. */
const AWS_FIXTURE = path.join(root, "test/fixtures/buildspec/shipline.config.yaml");
// Inline code instead of esbuild bundles keeps synthesis fast; step-function.test.ts bundles for real.
const INLINE = lambda.Code.fromInline("exports.handler = async () => {};");

const outdirs: string[] = [];
let example: ShiplineApp;
let aws: ShiplineApp;

/** Builds and synthesizes the app of a configuration file the way `cdk synth` does (cdk-nag included). */
async function synthesized(file: string): Promise<ShiplineApp> {
  const outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-synth-"));
  outdirs.push(outdir);
  const built = await createAppFromContext({
    app: { outdir, context: { [CONFIG_FILE_CONTEXT]: file } },
    stack: { functionCode: INLINE },
  });
  built.app.synth();
  return built;
}

function stepFunctionsOf(built: ShiplineApp): StepFunction[] {
  return built.stack.node
    .findAll()
    .filter((construct): construct is StepFunction => construct instanceof StepFunction);
}

function environmentOf(built: ShiplineApp, step: StepFunction | undefined): Record<string, unknown> {
  const resource = step?.fn.node.defaultChild;
  if (!(resource instanceof lambda.CfnFunction)) throw new Error("not a step function");
  const fn = Template.fromStack(built.stack).toJSON().Resources[built.stack.getLogicalId(resource)];
  return fn.Properties.Environment.Variables;
}

// Synthesis of a whole stack is slow on a busy machine; the limit only stops a hung synthesis.
describe("cdk synth of the configurations", { timeout: 120_000 }, () => {
  beforeAll(async () => {
    example = await synthesized(EXAMPLE);
    aws = await synthesized(AWS_FIXTURE);
  }, 240_000);

  afterAll(async () => {
    await Promise.all(outdirs.map((outdir) => rm(outdir, { recursive: true, force: true })));
  });

  it("synthesizes the example configuration offline, leaving out what only the local runtime can do, with warnings", () => {
    // Act
    const warnings = Annotations.fromStack(example.stack);

    // Assert
    expect(example.stack.commitToImage).toBeDefined();
    expect(example.stack.scanGate).toBeDefined();
    expect(example.stack.deployment?.dispatchSync).toBeDefined();
    expect([...(example.stack.deployment?.agents.keys() ?? [])]).toEqual(["local"]);
    expect(example.stack.configWriter).toBeUndefined();
    expect(example.stack.promote).toBeUndefined();
    expect(example.stack.deployment?.rollback).toBeUndefined();
    expect(
      warnings.findWarning("*", Match.stringLikeRegexp("configRepo.url is 'local:demo-config'")),
    ).toHaveLength(1);
    expect(warnings.findWarning("*", Match.stringLikeRegexp("local:demo"))).toHaveLength(2);
    expect(warnings.findError("*", Match.anyValue())).toEqual([]);
  });

  it("deploys every step of the chain for a configuration AWS can reach", () => {
    // Act
    const { stack } = aws;

    // Assert
    expect(stack.commitToImage).toBeDefined();
    expect(stack.scanGate).toBeDefined();
    expect(stack.promote).toBeDefined();
    expect(stack.configWriter).toBeDefined();
    expect(stack.deployment?.rollback).toBeDefined();
    expect(stack.ledger).toBeDefined();
    expect(stack.notify).toBeDefined();
    expect(Annotations.fromStack(stack).findWarning("*", Match.stringLikeRegexp("configRepo"))).toEqual([]);
  });

  it("connects a function to the rules of every step a rule targets, review-merged too (it reads every config push)", () => {
    // Arrange
    const targeted = new Set(
      RULES.flatMap((rule) => (rule.target.kind === "step" ? [rule.target.step] : [])),
    );

    // Act
    const unconnected = [...targeted].filter(
      (step) => aws.stack.routing.deadLetterQueueOf(step) === undefined,
    );

    // Assert
    expect(targeted.size).toBeGreaterThan(8);
    expect(aws.stack.configWriter?.reviewMerged).toBeDefined();
    expect(unconnected).toEqual([]);
  });

  it("feeds the config writer from its FIFO queue, to which promote and rollback may send and whose URL they are given", () => {
    // Arrange
    const { stack } = aws;
    const writer = stack.configWriter;
    if (writer === undefined || stack.promote === undefined || stack.deployment?.rollback === undefined) {
      throw new Error("the stack has no writer, promote or rollback");
    }
    const template = Template.fromStack(stack);
    const queueUrl = stack.resolve(writer.queue.queueUrl);
    const queueArn = stack.resolve(writer.queue.queueArn);

    // Act
    const promote = environmentOf(aws, stack.promote.step);
    const rollback = environmentOf(aws, stack.deployment.rollback);

    // Assert
    template.hasResourceProperties("AWS::Lambda::EventSourceMapping", {
      EventSourceArn: queueArn,
      FunctionName: stack.resolve(writer.step.fn.functionName),
      FunctionResponseTypes: ["ReportBatchItemFailures"],
    });
    expect(promote.WRITE_QUEUE_URL).toEqual(queueUrl);
    expect(rollback.WRITE_QUEUE_URL).toEqual(queueUrl);
    for (const role of [stack.promote.step.role, stack.deployment.rollback.role]) {
      template.hasResourceProperties("AWS::IAM::Policy", {
        Roles: [stack.resolve(role.roleName)],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: Match.arrayWith(["sqs:SendMessage"]), Resource: queueArn }),
          ]),
        },
      });
    }
  });

  it("gives image-pushed the scan gate's timeout settings within Lambda's environment limit", () => {
    // Act
    const imagePushed = environmentOf(aws, aws.stack.commitToImage?.imagePushed);

    // Assert
    expect(imagePushed).toMatchObject({
      SCAN_TIMEOUT_SCHEDULE_GROUP: aws.stack.resolve(aws.stack.scanGate?.timeoutGroup.scheduleGroupName),
      SCAN_TIMEOUT_TARGET_ARN: aws.stack.resolve(aws.stack.scanGate?.step.fn.functionArn),
      SCAN_TIMEOUT_ROLE_ARN: aws.stack.resolve(aws.stack.scanGate?.timeoutRole.roleArn),
    });
  });

  it("lets promote read every app repository's history: git pull on a CodeCommit one", () => {
    // Arrange
    const { stack } = aws;
    const role = stack.promote?.step.role;
    if (role === undefined) throw new Error("the stack has no promote");
    const roleRef = stack.resolve(role.roleName);
    const template = Template.fromStack(stack);

    // Act
    const actions = Object.values(template.findResources("AWS::IAM::Policy"))
      .filter((policy) => JSON.stringify(policy.Properties.Roles).includes(JSON.stringify(roleRef)))
      .flatMap((policy) => policy.Properties.PolicyDocument.Statement)
      .flatMap((statement: { Action: string | string[] }) => [statement.Action].flat());

    // Assert
    expect(actions).toContain("codecommit:GitPull");
    expect(actions).toContain("codecommit:GetDifferences");
  });

  it("lets only the stack's roles put Shipline's own events on its bus, people's decisions aside", () => {
    // Arrange
    const template = Template.fromStack(aws.stack);

    // Act
    const policies = Object.values(template.findResources("AWS::Events::EventBusPolicy"));
    const roles = Object.values(template.findResources("AWS::IAM::Role"));

    // Assert
    expect(policies.map((policy) => policy.Properties.Statement)).toContainEqual(
      expect.objectContaining({
        Sid: "cdk-OnlyShiplineRolesPublishShiplineEvents",
        Effect: "Deny",
        Action: "events:PutEvents",
        Condition: {
          StringEquals: { "events:source": ["shipline", "shipline.harbor", "shipline.registry"] },
          StringNotEquals: {
            "events:detail-type": ["Promotion Approved", "Hold Placed", "Hold Released"],
            "aws:PrincipalTag/shipline-publisher": "true",
          },
        },
      }),
    );
    expect(roles.length).toBeGreaterThan(5);
    for (const role of roles) {
      expect(role.Properties.Tags).toContainEqual({ Key: "shipline-publisher", Value: "true" });
    }
  });

  it("bundles every step function of both stacks from an entry that exists under functions/lambda/", () => {
    // Act
    const entries = [...stepFunctionsOf(example), ...stepFunctionsOf(aws)].map((step) => step.entry);

    // Assert
    expect(new Set(stepFunctionsOf(aws).map((step) => path.basename(step.entry)))).toEqual(
      new Set([
        "webhook.ts",
        "start-build.ts",
        "build-status.ts",
        "image-pushed.ts",
        "image-sweep.ts",
        "scan-gate.ts",
        "promote.ts",
        "config-writer.ts",
        "review-merged.ts",
        "dispatch-sync.ts",
        "rollback.ts",
        "ledger.ts",
        "notify.ts",
      ]),
    );
    for (const entry of entries) {
      expect(path.dirname(entry), entry).toBe(LAMBDA_ENTRY_DIR);
      expect(existsSync(entry), entry).toBe(true);
    }
  });

  it("alarms on the dead-letter queue of the config writer and of each cluster agent", () => {
    // Act
    const alarms = [...aws.stack.dashboard.alarms.keys()];

    // Assert
    expect(alarms).toEqual(
      expect.arrayContaining(["dlq-promote", "dlq-ConfigWriter-Queue", "dlq-Deployment-Agent-prod-eu-Queue"]),
    );
    expect(alarms.filter((name) => name.startsWith("errors-"))).toHaveLength(stepFunctionsOf(aws).length);
  });

  it("passes cdk-nag's AwsSolutions pack for both configurations, each acknowledgement with a reason", () => {
    // Act
    const findings = [...awsSolutionsFindings(example.app), ...awsSolutionsFindings(aws.app)];
    const acknowledged = [...acknowledgements(example.app), ...acknowledgements(aws.app)];

    // Assert
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
    for (const { path: at, rule, reason } of acknowledged) {
      expect(typeof reason === "string" ? reason.length : 0, `${at} ${rule}`).toBeGreaterThan(40);
    }
  });
});
