import { describe, expect, it } from "vitest";
import { BuildVariable } from "../../../../functions/core/build/build-variable.js";
import type { EventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { eventEnvelope } from "../../../../functions/core/contracts/event-envelope.js";
import { ShiplineError } from "../../../../functions/core/errors/shipline-error.js";
import { repositoryNameOf } from "../../../../functions/core/ledger/ledger-entry.js";
import { ledgerEntryOf } from "../../../../functions/core/ledger/ledger-entry-of.js";
import { CONFIG_COMMIT, IMAGE_DIGEST, SOURCE_COMMIT } from "../contracts/detail-examples.js";
import { readFixture, withChange } from "../contracts/samples.js";
import { shiplineAt } from "./ledger-test-kit.js";

function fixture(name: string): EventEnvelope {
  return eventEnvelope.parse(readFixture(`aws/${name}`));
}

describe("ledgerEntryOf", () => {
  it("records Commit Pushed under its push, with the commit's own time and who pushed", () => {
    // Arrange
    const event = shiplineAt("Commit Pushed", 0, {
      commits: [{ id: SOURCE_COMMIT, message: "Serve /healthz", timestamp: "2026-03-01T11:58:00Z" }],
    });

    // Act
    const entry = ledgerEntryOf(event);

    // Assert
    expect(entry).toMatchObject({
      kind: "entry",
      subject: { kind: "push", commit: SOURCE_COMMIT },
      hop: {
        app: null,
        commit: SOURCE_COMMIT,
        step: "webhook",
        detailType: "Commit Pushed",
        committedAt: "2026-03-01T11:58:00Z",
        trigger: "push of main to acme/web by octocat (github)",
      },
    });
  });

  it("keeps the pushed commit's message, author and repository for notifications", () => {
    // Arrange
    const event = shiplineAt("Commit Pushed", 0, {
      commits: [
        {
          id: SOURCE_COMMIT,
          message: "Serve /healthz",
          author: { name: "Mona Lisa", email: "mona@example.com" },
          timestamp: "2026-03-01T11:58:00Z",
        },
      ],
    });

    // Act
    const entry = ledgerEntryOf(event);

    // Assert
    expect(entry).toMatchObject({
      kind: "entry",
      hop: {
        message: "Serve /healthz",
        author: { name: "Mona Lisa", email: "mona@example.com" },
        repositoryUrl: expect.stringMatching(/^https?:\/\//),
      },
    });
  });

  it("summarises a rejected image with its verdict, blocking count and reason", () => {
    // Act
    const entry = ledgerEntryOf(shiplineAt("Image Rejected", 60));

    // Assert
    expect(entry).toMatchObject({
      kind: "entry",
      subject: { kind: "journey", app: "web", commit: SOURCE_COMMIT },
      hop: {
        step: "scan-gate",
        verdict: "rejected",
        blocking: 1,
        digest: IMAGE_DIGEST,
        reason: "1 CRITICAL finding at or above HIGH",
        at: "2026-03-01T12:01:00Z",
      },
    });
  });

  it("keeps the build id, the repository name and the tag of Build Started for the image index", () => {
    // Act
    const entry = ledgerEntryOf(shiplineAt("Build Started", 1));

    // Assert
    expect(entry).toMatchObject({
      hop: {
        buildId: "web-build:8745a7a9-c340-456a-9166-edf953571bef",
        repository: "web",
        tag: "1.4.0-f485fcc",
        trigger: "Commit Pushed (delivery 72d3162e-cc78-11e3-81ab-4c9367dc0958)",
      },
    });
  });

  it("keeps the environment, revision and health of a deployment and marks a replayed event", () => {
    // Arrange
    const event = { ...shiplineAt("Deployment Failed", 300), "replay-name": "refill" };

    // Act
    const entry = ledgerEntryOf(event);

    // Assert
    expect(entry).toMatchObject({
      hop: {
        step: "agent",
        environment: "staging",
        revision: CONFIG_COMMIT,
        health: "Degraded",
        reason: "Deployment web is Degraded: readiness probe failed",
        replayName: "refill",
      },
    });
  });

  it("records a Step Failed without app or commit as unattributed, and with only a commit under its push", () => {
    // Act
    const none = ledgerEntryOf(shiplineAt("Step Failed", 5, { app: null, commit: null }));
    const pushOnly = ledgerEntryOf(shiplineAt("Step Failed", 5, { app: null }));

    // Assert
    expect(none).toMatchObject({ subject: { kind: "unattributed" }, hop: { step: "start-build" } });
    expect(pushOnly).toMatchObject({ subject: { kind: "push", commit: SOURCE_COMMIT } });
    expect(none.kind === "entry" && none.hop.reason).toBe(
      "CONFIG_INVALID: apps[0].tag: '{latest}' is not a known placeholder",
    );
  });

  it("throws a permanent EVENT_INVALID for a Shipline detail that breaks its contract", () => {
    // Arrange
    const event = shiplineAt("Image Approved", 0, { digest: "latest" });

    // Act
    const act = () => ledgerEntryOf(event);

    // Assert
    expect(act).toThrow(ShiplineError);
    expect(act).toThrow(/detail.digest/);
  });

  it("ignores a detail type this version does not know", () => {
    // Act
    const entry = ledgerEntryOf({ ...shiplineAt("Build Started", 0), "detail-type": "Build Queued" });

    // Assert
    expect(entry).toEqual({
      kind: "ignored",
      reason: "'Build Queued' is not a detail type this version records",
    });
  });

  it("ties a CodeBuild state change to its journey through Shipline's build variables", () => {
    // Arrange
    const sample = fixture("codebuild-build-state-change.failed.json");
    const event = eventEnvelope.parse(
      withChange(sample, ["detail", "additional-information", "environment", "environment-variables"], {
        set: [
          { name: BuildVariable.App, type: "PLAINTEXT", value: "web" },
          { name: BuildVariable.Commit, type: "PLAINTEXT", value: SOURCE_COMMIT },
          { name: BuildVariable.CorrelationId, type: "PLAINTEXT", value: "push-7a1c2f" },
        ],
      }),
    );

    // Act
    const entry = ledgerEntryOf(event);

    // Assert
    expect(entry).toMatchObject({
      subject: { kind: "journey", app: "web", commit: SOURCE_COMMIT },
      hop: {
        step: "codebuild",
        source: "aws.codebuild",
        correlationId: "push-7a1c2f",
        status: "FAILED",
        logsUrl: expect.stringContaining("https://console.aws.amazon.com/cloudwatch/"),
        reason:
          "BUILD FAILED: COMMAND_EXECUTION_ERROR: Error while executing command: npm test. Reason: exit status 1",
      },
    });
  });

  it("ignores a CodeBuild build that Shipline did not start", () => {
    // Act
    const entry = ledgerEntryOf(fixture("codebuild-build-state-change.failed.json"));

    // Assert
    expect(entry).toMatchObject({ kind: "ignored", reason: expect.stringContaining("SHIPLINE_APP") });
  });

  it("does not record an Inspector scan of an EC2 instance, and says why", () => {
    // Arrange
    const event = fixture("inspector2-scan.ec2-instance.json");

    // Act
    const entry = ledgerEntryOf(event);

    // Assert
    expect(entry).toEqual({
      kind: "ignored",
      reason:
        "Inspector2 Scan of EC2 instance i-0a1b2c3d4e5f60718 is not a scan of an ECR container image; only image scans concern Shipline",
    });
  });

  it("maps ECR and Inspector events to image subjects named by repository, digest and tags", () => {
    // Act
    const push = ledgerEntryOf(fixture("ecr-image-action.push.json"));
    const scan = ledgerEntryOf(fixture("ecr-image-scan.complete.json"));
    const inspector = ledgerEntryOf(fixture("inspector2-scan.ecr-initial-scan.json"));

    // Assert
    const digest = "sha256:ac77fdafc6f72fb6541e841098e185dd63368392b6c959a5998f9cdd6965d19e";
    expect(push).toMatchObject({
      subject: { kind: "image", repository: "shipline-demo/app", digest, tags: ["1.2.0-2b54c81"] },
      hop: { step: "ecr", status: "PUSH SUCCESS", tag: "1.2.0-2b54c81" },
    });
    expect(scan).toMatchObject({
      subject: { kind: "image", repository: "shipline-demo/app", digest, tags: ["1.2.0-2b54c81"] },
      hop: { status: "COMPLETE", reason: "1 CRITICAL, 4 HIGH, 7 MEDIUM, 2 LOW" },
    });
    expect(inspector).toMatchObject({
      subject: { kind: "image", repository: "shipline-demo/api", tags: ["0.9.3-ef288c6"] },
      hop: { step: "inspector2", status: "INITIAL_SCAN_COMPLETE", reason: "3 HIGH, 5 MEDIUM" },
    });
  });

  it("records a CodeCommit push under the new commit's push", () => {
    // Act
    const entry = ledgerEntryOf(fixture("codecommit-repository-state-change.reference-updated.json"));

    // Assert
    expect(entry).toMatchObject({
      subject: { kind: "push", commit: "8fa8088ce4a74b6efe061fc090f9095b2dc82ce9" },
      hop: { step: "codecommit", trigger: "referenceUpdated of refs/heads/main in shipline-demo-app" },
    });
  });
});

describe("repositoryNameOf", () => {
  it("strips a registry host or an ECR ARN and keeps a bare name", () => {
    // Act
    const names = [
      "123456789012.dkr.ecr.eu-west-1.amazonaws.com/team/web",
      "arn:aws:ecr:eu-west-1:123456789012:repository/team/web",
      "localhost:5000/demo",
      "team/web",
      "web",
    ].map(repositoryNameOf);

    // Assert
    expect(names).toEqual(["team/web", "team/web", "demo", "team/web", "web"]);
  });
});
