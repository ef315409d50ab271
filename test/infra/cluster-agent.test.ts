import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { Match, Template } from "aws-cdk-lib/assertions";
import * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import * as logs from "aws-cdk-lib/aws-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ClusterAgent } from "../../infra/constructs/cluster-agent.js";
import { EventRouting } from "../../infra/constructs/event-routing.js";
import { awsSolutionsFindings } from "./nag-findings.js";
import { thrown } from "./thrown.js";

let outdir: string;

function agentStack(options: { readonly irsa: boolean }) {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new Stack(app, "Agents", { env: { account: "123456789012", region: "eu-west-1" } });
  const eventBus = new events.EventBus(stack, "Bus");
  const routing = new EventRouting(stack, "Routing", { eventBus, eventLog: new logs.LogGroup(stack, "Log") });
  const oidcProvider = options.irsa
    ? iam.OpenIdConnectProvider.fromOpenIdConnectProviderArn(
        stack,
        "Oidc",
        "arn:aws:iam::123456789012:oidc-provider/oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE",
      )
    : undefined;
  const agent = new ClusterAgent(stack, "Agent", {
    cluster: "prod-eu",
    eventBus,
    routing,
    eksClusterName: "prod-eu-eks",
    ...(oidcProvider === undefined ? {} : { oidcProvider }),
  });
  return { app, stack, agent, routing, template: Template.fromStack(stack) };
}

beforeAll(async () => {
  outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-cdk-"));
});

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe("ClusterAgent", () => {
  it("creates an encrypted, TLS-only queue that dead-letters a request after ten receives", () => {
    // Act
    const { template, stack, agent } = agentStack({ irsa: false });

    // Assert
    template.hasResourceProperties("AWS::SQS::Queue", {
      SqsManagedSseEnabled: true,
      RedrivePolicy: {
        deadLetterTargetArn: stack.resolve(agent.deadLetterQueue.queueArn),
        maxReceiveCount: 10,
      },
    });
    template.hasResourceProperties("AWS::SQS::Queue", {
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 1_209_600,
    });
    template.hasResourceProperties("AWS::SQS::QueuePolicy", {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("routes the cluster's Sync Requested events, and only those, to its queue", () => {
    // Act
    const { template, stack, agent } = agentStack({ irsa: false });

    // Assert
    template.hasResourceProperties("AWS::Events::Rule", {
      EventPattern: {
        source: ["shipline"],
        "detail-type": ["Sync Requested"],
        detail: { cluster: ["prod-eu"] },
      },
      Targets: [Match.objectLike({ Arn: stack.resolve(agent.queue.queueArn) })],
    });
  });

  it("lets EKS Pod Identity assume the agent's role, with session tags, and associates the ServiceAccount", () => {
    // Act
    const { template, stack, agent } = agentStack({ irsa: false });

    // Assert
    template.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: ["sts:AssumeRole", "sts:TagSession"],
            Effect: "Allow",
            Principal: { Service: "pods.eks.amazonaws.com" },
          },
        ],
      },
    });
    template.hasResourceProperties("AWS::EKS::PodIdentityAssociation", {
      ClusterName: "prod-eu-eks",
      Namespace: "shipline",
      ServiceAccount: "shipline-agent",
      RoleArn: stack.resolve(agent.role.roleArn),
    });
  });

  it("trusts the ServiceAccount's IRSA tokens when given the cluster's OIDC provider", () => {
    // Act
    const { template } = agentStack({ irsa: true });

    // Assert
    template.hasResourceProperties("AWS::IAM::Role", {
      AssumeRolePolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: "sts:AssumeRoleWithWebIdentity",
            Condition: {
              StringEquals: {
                "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:sub":
                  "system:serviceaccount:shipline:shipline-agent",
                "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLE:aud": "sts.amazonaws.com",
              },
            },
          }),
        ]),
      },
    });
  });

  it("allows the agent only to receive, delete and hide messages of its queue and to put events on the bus", () => {
    // Act
    const { template, stack, agent } = agentStack({ irsa: false });

    // Assert
    const cfnRole = agent.role.node.defaultChild;
    if (!(cfnRole instanceof iam.CfnRole)) throw new Error("the agent's role has no CfnRole");
    const policies = Object.values(template.findResources("AWS::IAM::Policy")).filter((policy) =>
      JSON.stringify(policy.Properties.Roles).includes(stack.getLogicalId(cfnRole)),
    );
    expect(policies).toHaveLength(1);
    expect(policies[0]?.Properties.PolicyDocument.Statement).toEqual([
      {
        Action: ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"],
        Effect: "Allow",
        Resource: stack.resolve(agent.queue.queueArn),
      },
      { Action: "events:PutEvents", Effect: "Allow", Resource: expect.anything() },
    ]);
  });

  it("raises no AwsSolutions finding on the agent's resources", () => {
    // Arrange
    const { agent } = agentStack({ irsa: true });

    // Act
    const findings = awsSolutionsFindings(agent);

    // Assert
    expect(findings).toEqual([]);
  });

  it("refuses a cluster name that the configuration could not have", () => {
    // Arrange
    const app = new App({ outdir });
    const stack = new Stack(app, "Bad");
    const eventBus = new events.EventBus(stack, "Bus");
    const routing = new EventRouting(stack, "Routing", {
      eventBus,
      eventLog: new logs.LogGroup(stack, "Log"),
    });

    // Act
    const error = thrown(() => new ClusterAgent(stack, "Agent", { cluster: "Prod_EU", eventBus, routing }));

    // Assert
    expect(error).toMatchObject({ code: "CONSTRUCT_PROPS_INVALID" });
    expect(error.message).toContain("Prod_EU");
  });
});
