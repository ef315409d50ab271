import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { App, Stack } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import * as events from "aws-cdk-lib/aws-events";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import * as logs from "aws-cdk-lib/aws-logs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  ClusterAgentSteps,
  type ClusterAgentStepsProps,
} from "../../../infra/constructs/cluster-agent-steps.js";
import { EventRouting } from "../../../infra/constructs/event-routing.js";
import { stepFunctionConfigOf } from "../../../infra/constructs/step-function-config.js";
import { ShiplineStack } from "../../../infra/stacks/shipline-stack.js";
import { thrown } from "../thrown.js";

const ACCOUNT = "123456789012";
const ISSUER = "oidc.eks.eu-west-1.amazonaws.com/id/EXAMPLED539D4633E53DE1B71EXAMPLE";
const OIDC_ARN = `arn:aws:iam::${ACCOUNT}:oidc-provider/${ISSUER}`;
const INLINE = lambda.Code.fromInline("exports.handler = async () => {};");

/** A deployable configuration whose `clusters:` section is `clusters` (YAML, indented as a list). */
function configText(clusters: string): string {
  return `version: 1
configRepo:
  url: https://git-codecommit.eu-west-1.amazonaws.com/v1/repos/deploy
  credentials:
    provider: codecommit
clusters:
${clusters}
environments:
  - name: staging
    cluster: stage-eu
apps:
  - name: shop
    source:
      repo: https://github.com/acme/shop.git
    image:
      repository: shop
      tag: "{sha}"
    deploy:
      staging: { kind: helm, file: envs/staging/shop.yaml, path: image.tag }
`;
}

/** prod-eu: Pod Identity and IRSA with its own ServiceAccount; stage-eu: Pod Identity only; dev: no eks. */
const WITH_EKS = configText(`  - name: prod-eu
    eks:
      clusterName: prod-eu-eks
      oidcProviderArn: ${OIDC_ARN}
      serviceAccount:
        namespace: delivery
        name: agent
  - name: stage-eu
    eks:
      clusterName: stage_EU
  - name: dev`);

const WITHOUT_EKS = configText(`  - name: prod-eu
  - name: stage-eu`);

interface Synthesized {
  readonly stack: ShiplineStack;
  readonly template: Template;
}

let outdir: string;
let withEks: Synthesized;
let withoutEks: Synthesized;

function synthesize(text: string): Synthesized {
  const app = new App({ outdir, builtinCloudFormationValidation: false });
  const stack = new ShiplineStack(app, "Shipline", {
    env: { account: ACCOUNT, region: "eu-west-1" },
    config: stepFunctionConfigOf(text),
    functionCode: INLINE,
  });
  return { stack, template: Template.fromStack(stack) };
}

/** The trust policy statements of a cluster agent's role. */
function trustOf({ stack, template }: Synthesized, cluster: string): unknown[] {
  const cfnRole = stack.deployment?.agents.get(cluster)?.role.node.defaultChild;
  if (!(cfnRole instanceof iam.CfnRole)) throw new Error(`no agent role for ${cluster}`);
  const logicalId = stack.getLogicalId(cfnRole);
  const document = template.toJSON().Resources[logicalId]?.Properties?.AssumeRolePolicyDocument;
  if (document === undefined) throw new Error(`no trust policy for ${cluster}`);
  return document.Statement;
}

/** A ClusterAgentSteps in a stack of `account` (unknown when undefined), for the checks made at construction. */
function buildSteps(text: string, account: string | undefined, extra: Partial<ClusterAgentStepsProps> = {}) {
  const stack = new Stack(new App({ outdir }), "Agents", {
    ...(account === undefined ? {} : { env: { account, region: "eu-west-1" } }),
  });
  const eventBus = new events.EventBus(stack, "Bus");
  const routing = new EventRouting(stack, "Routing", { eventBus, eventLog: new logs.LogGroup(stack, "Log") });
  const steps = new ClusterAgentSteps(stack, "Deployment", {
    eventBus,
    routing,
    config: stepFunctionConfigOf(text),
    functionCode: INLINE,
    ...extra,
  });
  return { stack, steps };
}

beforeAll(async () => {
  outdir = await mkdtemp(path.join(os.tmpdir(), "shipline-cdk-"));
  withEks = synthesize(WITH_EKS);
  withoutEks = synthesize(WITHOUT_EKS);
});

afterAll(async () => {
  await rm(outdir, { recursive: true, force: true });
});

describe("the agents' EKS identity from shipline.config.yaml", () => {
  it("associates each cluster's configured ServiceAccount with its agent's role through EKS Pod Identity", () => {
    // Arrange
    const { stack, template } = withEks;
    const roleOf = (cluster: string) => stack.resolve(stack.deployment?.agents.get(cluster)?.role.roleArn);

    // Act
    const associations = Object.values(template.findResources("AWS::EKS::PodIdentityAssociation"));

    // Assert
    expect(associations.map((resource) => resource.Properties)).toEqual(
      expect.arrayContaining([
        {
          ClusterName: "prod-eu-eks",
          Namespace: "delivery",
          ServiceAccount: "agent",
          RoleArn: roleOf("prod-eu"),
        },
        {
          ClusterName: "stage_EU",
          Namespace: "shipline",
          ServiceAccount: "shipline-agent",
          RoleArn: roleOf("stage-eu"),
        },
      ]),
    );
    expect(associations).toHaveLength(2);
  });

  it("lets the role trust the configured ServiceAccount's IRSA tokens from the cluster's OIDC provider", () => {
    // Act
    const trust = trustOf(withEks, "prod-eu");

    // Assert
    expect(trust).toContainEqual({
      Action: "sts:AssumeRoleWithWebIdentity",
      Effect: "Allow",
      Principal: { Federated: OIDC_ARN },
      Condition: {
        StringEquals: {
          [`${ISSUER}:sub`]: "system:serviceaccount:delivery:agent",
          [`${ISSUER}:aud`]: "sts.amazonaws.com",
        },
      },
    });
    expect(trust).toContainEqual(
      expect.objectContaining({ Principal: { Service: "pods.eks.amazonaws.com" } }),
    );
  });

  it("keeps Pod Identity trust only for a cluster without an OIDC provider or without an eks section", () => {
    // Act
    const stage = trustOf(withEks, "stage-eu");
    const dev = trustOf(withEks, "dev");

    // Assert
    const podIdentityOnly = [
      {
        Action: ["sts:AssumeRole", "sts:TagSession"],
        Effect: "Allow",
        Principal: { Service: "pods.eks.amazonaws.com" },
      },
    ];
    expect(stage).toEqual(podIdentityOnly);
    expect(dev).toEqual(podIdentityOnly);
  });

  it("creates neither an association nor IRSA trust from a configuration without eks sections", () => {
    // Act
    const associations = withoutEks.template.findResources("AWS::EKS::PodIdentityAssociation");
    const trusts = ["prod-eu", "stage-eu"].flatMap((cluster) => trustOf(withoutEks, cluster));

    // Assert
    expect(associations).toEqual({});
    expect(trusts).toHaveLength(2);
    expect(JSON.stringify(trusts)).not.toContain("AssumeRoleWithWebIdentity");
  });

  it("lets the clusters prop win, key by key, over the file's eks section", () => {
    // Arrange
    const serviceAccount = { namespace: "ops", name: "shipline" };

    // Act
    const { stack } = buildSteps(WITH_EKS, ACCOUNT, { clusters: { "prod-eu": { serviceAccount } } });

    // Assert
    Template.fromStack(stack).hasResourceProperties("AWS::EKS::PodIdentityAssociation", {
      ClusterName: "prod-eu-eks",
      Namespace: "ops",
      ServiceAccount: "shipline",
    });
  });

  it("refuses an OIDC provider in another account than the stack's, naming both accounts", () => {
    // Arrange
    const text = WITH_EKS.replace(OIDC_ARN, OIDC_ARN.replace(ACCOUNT, "210987654321"));

    // Act
    const error = thrown(() => buildSteps(text, ACCOUNT));

    // Assert
    expect(error.code).toBe("CONSTRUCT_PROPS_INVALID");
    expect(error.message).toContain(
      "clusters[0] (prod-eu): eks.oidcProviderArn 'arn:aws:iam::210987654321:oidc-provider/",
    );
    expect(error.message).toContain(
      `is in account 210987654321, not the stack's ${ACCOUNT}, and a role trusts only its own account's OIDC providers; create the cluster's OIDC provider in ${ACCOUNT}`,
    );
  });

  it("accepts an OIDC provider of any account when the stack's account is not known", () => {
    // Arrange
    const text = WITH_EKS.replace(OIDC_ARN, OIDC_ARN.replace(ACCOUNT, "210987654321"));

    // Act
    const { steps } = buildSteps(text, undefined);

    // Assert
    expect(steps.agents.get("prod-eu")?.role).toBeDefined();
  });

  it("refuses two agents associated with the same ServiceAccount of one EKS cluster", () => {
    // Arrange
    const text = configText(`  - name: stage-eu
    eks: { clusterName: shared }
  - name: prod-eu
    eks: { clusterName: shared }`);

    // Act
    const error = thrown(() => buildSteps(text, ACCOUNT));

    // Assert
    expect(error.code).toBe("CONSTRUCT_PROPS_INVALID");
    expect(error.message).toContain(
      "clusters[1] (prod-eu): EKS cluster shared ServiceAccount shipline/shipline-agent is already associated with the agent of clusters[0] (stage-eu)",
    );
    expect(error.message).toContain("give each agent its own eks.serviceAccount");
  });
});
