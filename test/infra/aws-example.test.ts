import { readFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Annotations, Match, Template } from "aws-cdk-lib/assertions";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as z from "zod";
import { RULES } from "../../functions/core/topology/rule-topology.js";
import { CONFIG_FILE_CONTEXT, createAppFromContext, type ShiplineApp } from "../../infra/create-app.js";
import { awsSolutionsFindings } from "./nag-findings.js";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
/** The example that deploys the whole chain: GitHub app and config repository, one EKS cluster. */
const AWS_EXAMPLE = path.join(root, "examples/aws/shipline.config.yaml");
/** `cdk.json`'s context: the feature flags `cdk deploy` synthesizes with. */
const CDK_CONTEXT = z
  .object({ context: z.record(z.string(), z.unknown()) })
  .parse(JSON.parse(readFileSync(path.join(root, "cdk.json"), "utf8"))).context;
// Inline code instead of esbuild bundles keeps synthesis fast; step-function.test.ts bundles for real.
const INLINE = lambda.Code.fromInline("exports.handler = async () => {};");

let outdir: string;
let built: ShiplineApp;

// Synthesis of a whole stack is slow on a busy machine; the limit only stops a hung synthesis.
describe("cdk synth of examples/aws/shipline.config.yaml with cdk.json's feature flags", {
  timeout: 120_000,
}, () => {
  beforeAll(async () => {
    outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-aws-example-"));
    built = await createAppFromContext({
      app: { outdir, context: { ...CDK_CONTEXT, [CONFIG_FILE_CONTEXT]: AWS_EXAMPLE } },
      stack: { functionCode: INLINE },
    });
    built.app.synth();
  }, 240_000);

  afterAll(async () => {
    await rm(outdir, { recursive: true, force: true });
  });

  it("deploys every step of the chain, with no warning and no error", () => {
    // Act
    const { stack } = built;
    const annotations = Annotations.fromStack(stack);

    // Assert
    expect(stack.commitToImage?.builds.has("shop")).toBe(true);
    expect(stack.scanGate).toBeDefined();
    expect(stack.promote).toBeDefined();
    expect(stack.configWriter?.reviewMerged).toBeDefined();
    expect(stack.deployment?.dispatchSync).toBeDefined();
    expect(stack.deployment?.rollback).toBeDefined();
    expect([...(stack.deployment?.agents.keys() ?? [])]).toEqual(["prod-eu"]);
    expect(stack.ledger).toBeDefined();
    expect(stack.notify).toBeDefined();
    expect(annotations.findWarning("*", Match.anyValue())).toEqual([]);
    expect(annotations.findError("*", Match.anyValue())).toEqual([]);
  });

  it("outputs the names the CLI's --aws flags take: the bus, the ledger and promote's table", () => {
    // Act
    const template = Template.fromStack(built.stack);

    // Assert
    for (const output of ["EventBusName", "LedgerTableName", "PromotionTableName"]) {
      template.hasOutput(output, { Value: Match.anyValue() });
    }
  });

  it("outputs every dead-letter queue for dlq --aws: each rule target's and each queue's redrive target", () => {
    // Arrange
    const template = Template.fromStack(built.stack);
    const queues = template.findResources("AWS::SQS::Queue");
    const redriveTargets = new Set(
      Object.values(queues).flatMap((queue) => {
        const target = z
          .object({
            Properties: z.looseObject({
              RedrivePolicy: z.looseObject({ deadLetterTargetArn: z.unknown() }).optional(),
            }),
          })
          .parse(queue).Properties.RedrivePolicy?.deadLetterTargetArn;
        const id = z.object({ "Fn::GetAtt": z.tuple([z.string(), z.literal("Arn")]) }).safeParse(target);
        return id.success ? [id.data["Fn::GetAtt"][0]] : [];
      }),
    );
    const ruleTargets = new Set(
      Object.values(template.findResources("AWS::Events::Rule")).flatMap(
        (rule) =>
          JSON.stringify(rule)
            .match(/"DeadLetterConfig":\{"Arn":\{"Fn::GetAtt":\["([^"]+)","Arn"\]/g)
            ?.map((match) => match.replace(/.*\["/, "").replace(/",.*/, "")) ?? [],
      ),
    );

    // Act
    const output = JSON.stringify(template.findOutputs("DeadLetterQueueUrls"));

    // Assert
    expect(redriveTargets.size).toBeGreaterThan(0);
    expect(ruleTargets.size).toBeGreaterThan(0);
    for (const id of [...redriveTargets, ...ruleTargets]) expect(output).toContain(`"Ref":"${id}"`);
  });

  it("connects a function to every step a rule targets and a target to every rule", () => {
    // Arrange
    const targeted = new Set(
      RULES.flatMap((rule) => (rule.target.kind === "step" ? [rule.target.step] : [])),
    );

    // Act
    const unconnected = [...targeted].filter(
      (step) => built.stack.routing.deadLetterQueueOf(step) === undefined,
    );
    const untargeted = [...built.stack.routing.rules.values()]
      .filter((rule) => rule.deadLetterQueue === undefined)
      .map((rule) => rule.definition.name);

    // Assert
    expect(unconnected).toEqual([]);
    expect(untargeted).toEqual([]);
  });

  it("associates the agent's ServiceAccount with its role on the EKS cluster the example names", () => {
    // Act
    const template = Template.fromStack(built.stack);

    // Assert
    template.hasResourceProperties("AWS::EKS::PodIdentityAssociation", {
      ClusterName: "prod-eu",
      Namespace: "shipline",
      ServiceAccount: "shipline-agent",
    });
  });

  it("sends every alarm, when it fires and when it is back to OK, to the alerts topic, which mails the example's address", () => {
    // Arrange
    const { stack } = built;
    const topicArn = stack.resolve(stack.alerts.topic.topicArn);
    const template = Template.fromStack(stack);

    // Act
    const alarms = Object.values(template.findResources("AWS::CloudWatch::Alarm"));

    // Assert
    expect(alarms.length).toBeGreaterThan(20);
    for (const alarm of alarms) {
      expect(alarm.Properties.AlarmActions).toEqual([topicArn]);
      expect(alarm.Properties.OKActions).toEqual([topicArn]);
      expect(alarm.Properties.AlarmDescription).toMatch(/^Shipline: /);
    }
    template.hasResourceProperties("AWS::SNS::Subscription", {
      Protocol: "email",
      Endpoint: "platform-oncall@example.com",
      TopicArn: topicArn,
    });
  });

  it("forwards the alarms' state changes to the bus and routes them to notify", () => {
    // Act
    const forward = built.stack.routing.rules.get("forward-cloudwatch-alarm-state-change");
    const toNotify = built.stack.routing.rules.get("notify-on-alarm-state-change");

    // Assert
    expect(forward?.deadLetterQueue).toBe(built.stack.routing.forwardDeadLetterQueue);
    expect(toNotify?.deadLetterQueue).toBe(built.stack.routing.deadLetterQueueOf("notify"));
    Template.fromStack(built.stack).hasResourceProperties("AWS::Events::Rule", {
      EventPattern: {
        source: ["aws.cloudwatch"],
        "detail-type": ["CloudWatch Alarm State Change"],
        detail: {
          state: { value: ["ALARM", "OK"] },
          configuration: { description: [{ prefix: "Shipline: " }] },
        },
      },
      EventBusName: Match.absent(),
    });
  });

  it("labels each function's series of the dashboard with the function's name", () => {
    // Act
    const [dashboard] = Object.values(
      Template.fromStack(built.stack).findResources("AWS::CloudWatch::Dashboard"),
    );
    const body = JSON.stringify(built.stack.resolve(dashboard?.Properties.DashboardBody));

    // Assert
    for (const name of ["webhook", "image-sweep", "review-merged", "config-writer", "rollback", "notify"]) {
      expect(body).toContain(`\\"label\\":\\"${name}\\"`);
    }
    expect(body).not.toContain(`\\"label\\":\\"Function\\"`);
  });

  it("sets every feature flag the installed aws-cdk-lib recommends, at its recommended value", () => {
    // Arrange
    const recommended = z
      .record(z.string(), z.unknown())
      .parse(
        JSON.parse(
          readFileSync(path.join(root, "node_modules/aws-cdk-lib/recommended-feature-flags.json"), "utf8"),
        ),
      );

    // Act
    const differing = Object.entries(recommended).filter(
      ([flag, value]) => JSON.stringify(CDK_CONTEXT[flag]) !== JSON.stringify(value),
    );

    // Assert
    expect(Object.keys(recommended).length).toBeGreaterThan(80);
    expect(differing).toEqual([]);
  });

  it("passes cdk-nag's AwsSolutions pack", () => {
    // Act
    const findings = awsSolutionsFindings(built.app);

    // Assert
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
});
