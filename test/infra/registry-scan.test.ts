import { Duration, Stack } from "aws-cdk-lib";
import { Match } from "aws-cdk-lib/assertions";
import * as events from "aws-cdk-lib/aws-events";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parse } from "yaml";
import * as z from "zod";
import { registries } from "../../functions/core/config/registries.js";
import { EnvName } from "../../functions/core/topology/env-names.js";
import { RegistryScan } from "../../infra/constructs/registry-scan.js";
import {
  DEFAULT_TRIVY_RELEASE,
  registryScanBuildspec,
} from "../../infra/constructs/registry-scan-buildspec.js";
import { awsSolutionsFindings } from "./nag-findings.js";
import { type StackWithConfig, stackWithConfig } from "./stack-with-config.js";

const ACCOUNT = "shipline/ghcr-reader";

/** A value of the template: a string, or `Fn::Join` of strings and other values (tokens). */
const joined: z.ZodType<string> = z.union([
  z.string(),
  z
    .object({ "Fn::Join": z.tuple([z.string(), z.array(z.unknown())]) })
    .transform(({ "Fn::Join": [separator, parts] }) =>
      parts.map((part) => (typeof part === "string" ? part : JSON.stringify(part))).join(separator),
    ),
]);

/** The event pattern and input template of a rule's target, as synthesized. */
const ruleResource = z.object({
  Properties: z.looseObject({
    EventPattern: z.unknown(),
    Targets: z.array(
      z.looseObject({
        Arn: z.unknown(),
        InputTransformer: z.object({
          InputPathsMap: z.record(z.string(), z.string()),
          InputTemplate: joined,
        }),
        DeadLetterConfig: z.object({ Arn: z.unknown() }),
        RetryPolicy: z.object({ MaximumRetryAttempts: z.number(), MaximumEventAgeInSeconds: z.number() }),
      }),
    ),
  }),
});

let synth: StackWithConfig;

describe("a stack whose configuration declares registries of kind oci", () => {
  beforeAll(async () => {
    synth = await stackWithConfig({
      registries: [
        { kind: "oci", url: "https://ghcr.io", credentials: { secretName: ACCOUNT } },
        { kind: "oci", url: "https://quay.io" },
      ],
    });
  });

  afterAll(async () => {
    await synth.cleanUp();
  });

  it("builds a scan project on the standard Linux image, unprivileged, with the bus and the bucket", () => {
    // Arrange
    const { stack, template, logicalIdOf } = synth;

    // Act
    const project = template.findResources("AWS::CodeBuild::Project", {
      Properties: { Description: Match.stringLikeRegexp("Registry Scan Completed") },
    });

    // Assert
    expect(Object.keys(project)).toEqual([logicalIdOf(stack.registryScan?.project)]);
    template.hasResourceProperties("AWS::CodeBuild::Project", {
      Description: Match.stringLikeRegexp("Registry Scan Completed"),
      Environment: Match.objectLike({
        Image: "aws/codebuild/standard:7.0",
        PrivilegedMode: false,
        EnvironmentVariables: Match.arrayWith([
          Match.objectLike({ Name: "SHIPLINE_EVENT_BUS" }),
          Match.objectLike({
            Name: "SHIPLINE_SCAN_REPORTS_BUCKET",
            Value: { Ref: logicalIdOf(stack.registryScan?.bucket) },
          }),
        ]),
      }),
    });
  });

  it("starts a scan per registry on Image Pushed of its images, with the image in the build's variables", () => {
    // Arrange
    const { stack, template, logicalIdOf } = synth;
    const rules = Object.values(
      template.findResources("AWS::Events::Rule", {
        Properties: { EventPattern: { "detail-type": ["Image Pushed"], detail: Match.objectLike({}) } },
      }),
    ).map((resource) => ruleResource.parse(resource).Properties);

    // Act
    const scans = rules.map((rule) => {
      const [target] = rule.Targets;
      return {
        pattern: rule.EventPattern,
        paths: target?.InputTransformer.InputPathsMap,
        input: target?.InputTransformer.InputTemplate ?? "",
        target,
      };
    });

    // Assert
    expect(scans.map((scan) => scan.pattern)).toEqual([
      {
        source: ["shipline"],
        "detail-type": ["Image Pushed"],
        detail: { imageUri: [{ prefix: "ghcr.io/" }] },
      },
      {
        source: ["shipline"],
        "detail-type": ["Image Pushed"],
        detail: { imageUri: [{ prefix: "quay.io/" }] },
      },
    ]);
    const [ghcr, quay] = scans;
    expect(ghcr?.target?.Arn).toEqual({ "Fn::GetAtt": [logicalIdOf(stack.registryScan?.project), "Arn"] });
    expect(ghcr?.paths).toEqual({
      "detail-imageUri": "$.detail.imageUri",
      "detail-repository": "$.detail.repository",
      "detail-digest": "$.detail.digest",
    });
    expect(ghcr?.input).toContain('{"name":"IMAGE_URI","value":<detail-imageUri>,"type":"PLAINTEXT"}');
    expect(ghcr?.input).toContain('{"name":"REGISTRY","value":"ghcr.io","type":"PLAINTEXT"}');
    expect(ghcr?.input).toContain('{"name":"REPOSITORY","value":<detail-repository>,"type":"PLAINTEXT"}');
    expect(ghcr?.input).toContain('{"name":"DIGEST","value":<detail-digest>,"type":"PLAINTEXT"}');
    expect(ghcr?.input).toContain(`{"name":"REGISTRY_SECRET","value":"${ACCOUNT}","type":"PLAINTEXT"}`);
    expect(quay?.input).toContain('{"name":"REGISTRY","value":"quay.io","type":"PLAINTEXT"}');
    expect(quay?.input).not.toContain("REGISTRY_SECRET");
    expect(ghcr?.target?.RetryPolicy).toEqual({
      MaximumRetryAttempts: 185,
      MaximumEventAgeInSeconds: 21_600,
    });
    expect(ghcr?.target?.DeadLetterConfig).toEqual(quay?.target?.DeadLetterConfig);
  });

  it("keeps reports in an encrypted, TLS-only, private bucket where they expire", () => {
    // Arrange
    const { stack, template, logicalIdOf } = synth;
    const bucket = logicalIdOf(stack.registryScan?.bucket);

    // Act
    const resource = template.findResources("AWS::S3::Bucket")[bucket];

    // Assert
    expect(resource?.Properties).toMatchObject({
      BucketEncryption: {
        ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: "AES256" } }],
      },
      PublicAccessBlockConfiguration: {
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      },
      LifecycleConfiguration: {
        Rules: [expect.objectContaining({ Prefix: "scans/", ExpirationInDays: 30 })],
      },
    });
    template.hasResourceProperties("AWS::S3::BucketPolicy", {
      Bucket: { Ref: bucket },
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({ Effect: "Deny", Condition: { Bool: { "aws:SecureTransport": "false" } } }),
        ]),
      },
    });
  });

  it("lets the project write reports, read the account and put only Registry Scan Completed", () => {
    // Arrange
    const { stack, statementsOf, logicalIdOf } = synth;
    const role = stack.registryScan?.project.role?.node.defaultChild;
    const statements = JSON.stringify(statementsOf(logicalIdOf({ node: { defaultChild: role } })));

    // Act
    const putEvents = statementsOf(logicalIdOf({ node: { defaultChild: role } })).filter((statement) =>
      JSON.stringify(statement).includes("events:PutEvents"),
    );

    // Assert
    expect(putEvents).toEqual([
      expect.objectContaining({
        Condition: {
          StringEquals: {
            "events:source": "shipline.registry",
            "events:detail-type": "Registry Scan Completed",
          },
        },
      }),
    ]);
    expect(statements).toContain('"s3:PutObject","s3:AbortMultipartUpload"');
    expect(statements).toContain("/scans/*");
    expect(statements).toContain(`secret:${ACCOUNT}-`);
    expect(statements).not.toContain("s3:GetObject");
  });

  it("lets the scan gate read the reports, and tells it where they are", () => {
    // Arrange
    const { stack, template, statementsOf, logicalIdOf } = synth;
    const bucket = logicalIdOf(stack.registryScan?.bucket);

    // Act
    const gate = statementsOf(logicalIdOf(stack.scanGate?.step.role)).filter((statement) =>
      JSON.stringify(statement).includes(bucket),
    );

    // Assert
    expect(gate).toEqual([
      expect.objectContaining({
        Action: "s3:GetObject",
        Resource: { "Fn::Join": ["", [{ "Fn::GetAtt": [bucket, "Arn"] }, "/scans/*"]] },
      }),
    ]);
    template.hasResourceProperties("AWS::Lambda::Function", {
      FunctionName: Match.absent(),
      Environment: {
        Variables: Match.objectLike({
          [EnvName.ScanReportsBucketHost]: { "Fn::GetAtt": [bucket, "RegionalDomainName"] },
        }),
      },
    });
  });

  it("runs the scan job's buildspec with the pinned Trivy release, verified by its checksum", () => {
    // Arrange
    const { template } = synth;
    const projects = template.findResources("AWS::CodeBuild::Project", {
      Properties: { Description: Match.stringLikeRegexp("Registry Scan Completed") },
    });
    const source = z.object({ Properties: z.object({ Source: z.object({ BuildSpec: z.string() }) }) });

    // Act
    const buildspec = parse(source.parse(Object.values(projects)[0]).Properties.Source.BuildSpec);

    // Assert
    expect(buildspec).toEqual(registryScanBuildspec(DEFAULT_TRIVY_RELEASE));
    expect(JSON.stringify(buildspec)).toContain(
      `echo \\"${DEFAULT_TRIVY_RELEASE.sha256}  trivy.tar.gz\\" | sha256sum -c -`,
    );
  });

  it("raises an alarm when a scan could not be started", () => {
    // Arrange
    const { stack, template, logicalIdOf } = synth;
    const queueId = logicalIdOf(stack.registryScan?.deadLetterQueue);

    // Act
    const alarms = template.findResources("AWS::CloudWatch::Alarm", {
      Properties: {
        Dimensions: [{ Name: "QueueName", Value: { "Fn::GetAtt": [queueId, "QueueName"] } }],
      },
    });

    // Assert
    expect(Object.keys(alarms)).toHaveLength(1);
  });

  it("passes cdk-nag's AwsSolutions pack", () => {
    // Act
    const findings = awsSolutionsFindings(synth.stack).filter((finding) =>
      finding.paths.some((where) => where.includes("/RegistryScan/")),
    );

    // Assert
    expect(findings, JSON.stringify(findings, null, 2)).toEqual([]);
  });
});

describe("a stack whose registries of kind oci are only the local runtime's", () => {
  it("deploys no scan project, bucket or rule", async () => {
    // Arrange
    const local = await stackWithConfig({ registries: [{ kind: "oci", url: "local:registry" }] });

    try {
      // Act
      const buckets = local.template.findResources("AWS::S3::Bucket");

      // Assert
      expect(local.stack.registryScan).toBeUndefined();
      expect(Object.keys(buckets)).toEqual([]);
    } finally {
      await local.cleanUp();
    }
  });
});

describe("RegistryScan", () => {
  it.each([
    ["a report expiry of part of a day", { reportExpiry: Duration.hours(12) }, "reportExpiry is 12 hours"],
    [
      "a Trivy checksum that is not SHA-256",
      { trivy: { version: "0.69.3", sha256: "abc" } },
      "trivy.sha256 is 'abc'",
    ],
    [
      "a Trivy version with a v",
      { trivy: { version: "v0.69.3", sha256: "0".repeat(64) } },
      "trivy.version is 'v0.69.3'",
    ],
    ["no registry to scan", { registries: [] }, "no registry of kind oci with an https url"],
  ])("refuses %s, saying what to give", (_, props, problem) => {
    // Arrange
    const stack = new Stack();
    const eventBus = new events.EventBus(stack, "Bus");

    // Act
    const build = () =>
      new RegistryScan(stack, "RegistryScan", {
        eventBus,
        registries: registries.parse([{ kind: "oci", url: "https://ghcr.io" }]),
        ...props,
      });

    // Assert
    expect(build).toThrow(
      expect.objectContaining({ code: "CONSTRUCT_PROPS_INVALID", message: expect.stringContaining(problem) }),
    );
  });
});
